"""A page's redirect speaks HTML: whatever sends it (a form's 303, a moved unit's 301, the
schedule's 302, a raised Falcon redirect), it carries text/html and a short page linking to
its Location, for a client that does not follow it."""
import html
import re

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import PASSWORD, Desk

PORTAL_SERVICES = (ContentService,)


def speaks_html(response, status: int, location: str) -> None:
    """The redirect's status, Location, HTML type and a body linking to the Location."""
    assert response.status_code == status, response.text
    assert response.headers["location"] == location
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.startswith("<!DOCTYPE html>") and '<html lang="vi">' in response.text
    links = re.findall(r'<a href="([^"]+)">', response.text)
    assert [html.unescape(link) for link in links] == [location]


def test_a_forms_303_after_signing_in(board):
    desk = Desk(board.client)
    desk.get("/quan-tri/dang-nhap")
    signed = desk.post("/quan-tri/dang-nhap", {"username": "tac-gia", "password": PASSWORD}, follow=False)
    speaks_html(signed, 303, "/quan-tri/phu-mau")  # the one unit tac-gia works in
    assert "Mời xem tiếp tại" in signed.text


def test_a_303_to_sign_in_and_one_back_from_the_display_options_escape_their_address(phu_mau):
    client = phu_mau.client
    to_sign_in = client.simulate_get("/quan-tri/phu-mau/bai-viet")
    speaks_html(to_sign_in, 303, "/quan-tri/dang-nhap?tiep=/quan-tri/phu-mau/bai-viet")
    back = "/phu-mau/van-ban?loai=quyet-dinh&trang=2"
    chosen = client.simulate_get("/hien-thi", params={"co-chu": "lon", "quay-lai": back})
    speaks_html(chosen, 303, back)
    assert "&amp;trang=2" in chosen.text  # the address is escaped in the page


def test_a_merged_units_addresses_move_permanently(phu_mau):
    client = phu_mau.client
    created = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-da", "name": "Xã Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    assert created.status_code == 201, created.text
    merged = client.simulate_post("/api/units/phu-da/merge", headers=PORTAL_ADMIN, json={"successor": "phu-mau"})
    assert merged.status_code == 200, merged.text
    moved = client.simulate_get("/phu-da/hoi-dap")
    speaks_html(moved, 301, "/phu-mau/hoi-dap")
    assert "Trang đã chuyển hẳn đến" in moved.text


def test_a_raised_falcon_redirect_from_the_date_form(phu_mau):
    chosen = phu_mau.client.simulate_get("/phu-mau/tin-theo-ngay", query_string="ngay=05/01/2026")
    speaks_html(chosen, 302, "/phu-mau/tin-theo-ngay/2026-01-05")


def test_the_schedules_302_to_this_week(phu_mau):
    answered = phu_mau.client.simulate_get("/phu-mau/lich-cong-tac")
    assert re.fullmatch(r"/phu-mau/lich-cong-tac/\d{4}-W\d{2}", answered.headers["location"])
    speaks_html(answered, 302, answered.headers["location"])


def test_answers_that_are_no_redirects_are_left_alone(phu_mau):
    client = phu_mau.client
    created = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-da", "name": "Xã Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    assert created.status_code == 201 and created.headers["content-type"] == "application/json"
    page = client.simulate_get("/phu-mau/hoi-dap")
    assert page.status_code == 200
    again = client.simulate_get("/phu-mau/hoi-dap", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and again.text == ""

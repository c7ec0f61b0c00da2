"""Acceptance of "every section the law requires", written from the request and the public surface
only (pages, the documented JSON API, services/content/required_sections.toml): what a citizen, a
unit's staff and the province's IT centre would try, bad input first."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import deque
from urllib.parse import urlencode

import pytest

from gateway.forms import CSRF_COOKIE, CSRF_FIELD
from services.common import vietnam_time
from services.content.service import ContentService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.servers import wait_for

TODAY = vietnam_time.today()  # the services' calendar: after 17:00 UTC it is already tomorrow
COMMENT = {"name": "Trần Thị Bình", "contact": "binh.tran@example.vn",
           "body": "Đề nghị chợ mở cửa từ 5 giờ sáng để bà con kịp bán rau."}
CITIZEN = "203.113.131.7"
XA_ITEMS = 25  # items of required_sections.toml whose levels name "xa"
PROVINCE_CONTACT = {"name": "Hoàng Văn Minh", "title": "Chánh Văn phòng UBND tỉnh", "phone": "0234 3822 555",
                    "email": "tiepnhan@thuathienhue.gov.vn"}


def api(client, method: str, path: str, body: dict | None = None, **kwargs):
    return client.simulate_request(method, path, headers=PORTAL_ADMIN, json=body, **kwargs)


def open_draft(client, unit: str = "phu-mau", title: str = "Dự thảo Quy chế quản lý chợ xã Phú Mậu",
               days: int = 20) -> dict:
    created = api(client, "POST", f"/api/units/{unit}/consultations", {
        "title": title, "description": "UBND xã lấy ý kiến Nhân dân về dự thảo quy chế quản lý chợ.",
        "closes_on": (TODAY + dt.timedelta(days=days)).isoformat(), "field": "Thương mại"})
    assert created.status_code == 201, created.text
    opened = api(client, "POST", f"/api/consultations/{created.json['id']}/open", {"version": created.json["version"]})
    assert opened.status_code == 200, opened.text
    return opened.json


def closed_draft(client, summary_html: str = "<p>UBND xã nhận được 1 ý kiến và đã tiếp thu.</p>") -> dict:
    """A draft that closed months ago, imported as it happened, with one published comment."""
    imported = api(client, "POST", "/api/units/phu-mau/consultation-imports", {
        "title": "Dự thảo Kế hoạch phát triển du lịch cộng đồng",
        "description": "UBND xã đã lấy ý kiến Nhân dân về các điểm du lịch cộng đồng.",
        "opened_at": f"{TODAY.year - 1}-03-02T08:00:00+07:00", "closes_on": f"{TODAY.year - 1}-04-01",
        "comments": [{"name": "Lê Văn Tâm", "body": "Đề nghị hỗ trợ hộ dân làm dịch vụ lưu trú.",
                      "sent_at": f"{TODAY.year - 1}-03-05T09:00:00+07:00"}],
        "summary_html": summary_html})
    assert imported.status_code == 201, imported.text
    return {"id": imported.json["id"], "path": f"/phu-mau/du-thao/{imported.json['id']}"}


def form_token(client, path: str) -> tuple[str, str]:
    """GET a page with the comment form: (its token, the cookie it set)."""
    page = client.simulate_get(path)
    assert page.status_code == 200, page.text
    token = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page.text).group(1)
    return token, page.cookies[CSRF_COOKIE].value


def post_form(client, path: str, fields: dict, cookie: str | None, address: str = CITIZEN):
    return client.simulate_post(path, body=urlencode(fields), remote_addr=address,
                                headers={"Content-Type": "application/x-www-form-urlencoded"},
                                cookies={CSRF_COOKIE: cookie} if cookie else None)


def comment(client, draft_path: str, address: str = CITIZEN, token_from: str | None = None, **changes):
    token, cookie = form_token(client, token_from or draft_path)
    return post_form(client, draft_path, {**COMMENT, CSRF_FIELD: token, **changes}, cookie, address)


def staff_draft(client, draft_id: str) -> dict:
    found = api(client, "GET", f"/api/consultations/{draft_id}")
    assert found.status_code == 200, found.text
    return found.json


def staff_comments(client, draft_id: str) -> list[dict]:
    listed = api(client, "GET", f"/api/consultations/{draft_id}/comments")
    assert listed.status_code == 200, listed.text
    return listed.json["items"]


def conformance(client, unit: str = "phu-mau") -> dict[str, dict]:
    report = client.simulate_get(f"/api/units/{unit}/conformance")
    assert report.status_code == 200, report.text
    return {item["key"]: item for item in report.json["items"]}


def footer(page) -> str:
    return re.search(r"<footer.*?</footer>", page.text, re.S).group(0)


def change_profile(client, unit: str, **fields) -> dict:
    current = api(client, "GET", f"/api/units/{unit}").json
    changed = api(client, "PUT", f"/api/units/{unit}",
                  {"name": current["name"], "version": current["version"], **fields})
    assert changed.status_code == 200, changed.text
    return changed.json


def csv_rows(client) -> list[dict]:
    response = client.simulate_get("/tuan-thu.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def is_vietnamese_page(response) -> bool:
    return response.headers.get("content-type", "").startswith("text/html") and '<html lang="vi"' in response.text


@pytest.fixture
def portal_services(request):
    """Content and ranking; the search service too for the tests that search."""
    if "search" in request.node.name:
        return ContentService, RankingService, SearchService
    return ContentService, RankingService


@pytest.fixture
def client(phu_mau):
    return phu_mau.client


# --- Consultation on draft documents: a citizen's comment -------------------------------------------

def test_a_citizen_comments_through_the_form_and_the_contact_stays_private(client):
    draft = open_draft(client)
    listing = client.simulate_get("/phu-mau/du-thao")
    assert f'href="{draft["path"]}"' in listing.text and draft["title"] in listing.text
    page = client.simulate_get(draft["path"])
    assert page.status_code == 200
    for label, name in (("Họ và tên", "name"), ("Nội dung góp ý", "body")):
        assert label in page.text and f'name="{name}"' in page.text
    assert re.search(r'<label for="([^"]+)">Thư điện tử hoặc số điện thoại</label>', page.text)
    assert f'datetime="{draft["closes_on"]}"' in page.text

    sent = comment(client, draft["path"])
    assert sent.status_code in (200, 303), sent.text
    assert staff_draft(client, draft["id"])["pending_comments"] == 1
    assert COMMENT["body"] not in client.simulate_get(draft["path"]).text  # pending until moderated

    pending = staff_comments(client, draft["id"])
    assert [(c["name"], c["contact"], c["status"]) for c in pending] == [
        (COMMENT["name"], COMMENT["contact"], "pending")]
    published = api(client, "POST", f"/api/consultation-comments/{pending[0]['id']}/publish",
                    {"version": pending[0]["version"]})
    assert published.status_code == 200, published.text
    shown = client.simulate_get(draft["path"])
    assert COMMENT["body"] in shown.text and COMMENT["name"] in shown.text
    assert COMMENT["contact"] not in shown.text
    public = client.simulate_get(f"/api/units/phu-mau/consultations/{draft['id']}/comments")
    assert [c["body"] for c in public.json["items"]] == [COMMENT["body"]]
    assert COMMENT["contact"] not in public.text


def test_a_comment_after_the_closing_date_is_refused_in_vietnamese_and_nothing_is_stored(client):
    open_one = open_draft(client)
    closed = closed_draft(client)
    page = client.simulate_get(closed["path"])
    assert page.status_code == 200
    assert "hết thời hạn" in page.text and 'name="body"' not in page.text  # the form is closed

    # A form kept open from before, or a token from another draft's page: still refused.
    refused = comment(client, closed["path"], token_from=open_one["path"])
    assert refused.status_code in (409, 410, 422), refused.status_code
    assert is_vietnamese_page(refused) and "hết thời hạn" in refused.text
    api_refused = client.simulate_post(f"/api/units/phu-mau/consultations/{closed['id']}/comments", json=COMMENT,
                                       remote_addr=CITIZEN)
    assert api_refused.status_code == 409 and api_refused.json["error"]["message"]
    staff = staff_draft(client, closed["id"])
    assert staff["pending_comments"] == 0
    assert [c["status"] for c in staff_comments(client, closed["id"])] == ["published"]  # the imported one only


def test_a_comment_on_a_draft_that_does_not_exist_or_is_not_open_is_a_404(client):
    draft = open_draft(client)
    prepared = api(client, "POST", "/api/units/phu-mau/consultations", {
        "title": "Dự thảo chưa mở lấy ý kiến", "description": "Dự thảo đang được soạn, chưa công bố.",
        "closes_on": (TODAY + dt.timedelta(days=30)).isoformat()}).json
    for path in ("/phu-mau/du-thao/khong-co-du-thao", f"/phu-mau/du-thao/{prepared['id']}",
                 f"/thua-thien-hue/du-thao/{draft['id']}"):  # another unit's address
        assert client.simulate_get(path).status_code == 404, path
        refused = comment(client, path, token_from=draft["path"])
        assert refused.status_code == 404, (path, refused.status_code)
        assert is_vietnamese_page(refused)
    for draft_id in ("khong-co-du-thao", prepared["id"]):
        answer = client.simulate_post(f"/api/units/phu-mau/consultations/{draft_id}/comments", json=COMMENT,
                                      remote_addr=CITIZEN)
        assert answer.status_code == 404, answer.text
    assert staff_draft(client, prepared["id"])["pending_comments"] == 0
    assert staff_draft(client, draft["id"])["pending_comments"] == 0


def test_a_comment_over_the_size_limit_comes_back_with_a_vietnamese_message_and_is_not_stored(client):
    draft = open_draft(client)
    too_long = "Ý kiến rất dài. " * 400  # 6,400 characters, over the 5,000 the form states
    refused = comment(client, draft["path"], body=too_long)
    assert refused.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', refused.text, re.S)
    assert summary, refused.text[:3000]
    assert 'href="#y-kien"' in summary.group(0) and "ký tự" in summary.group(0)
    assert 'aria-invalid="true"' in refused.text
    assert COMMENT["name"] in refused.text  # what was typed is kept
    api_refused = client.simulate_post(f"/api/units/phu-mau/consultations/{draft['id']}/comments",
                                       json={**COMMENT, "body": too_long}, remote_addr=CITIZEN)
    assert api_refused.status_code == 422 and "body" in api_refused.json["error"]["fields"]
    assert staff_draft(client, draft["id"])["pending_comments"] == 0


def test_a_comment_without_the_form_token_is_refused(client):
    draft = open_draft(client)
    token, cookie = form_token(client, draft["path"])
    for fields, sent_cookie in (({**COMMENT}, cookie), ({**COMMENT, CSRF_FIELD: token}, None),
                                ({**COMMENT, CSRF_FIELD: "forged"}, cookie)):
        refused = post_form(client, draft["path"], fields, sent_cookie)
        assert refused.status_code == 403, refused.status_code
        assert is_vietnamese_page(refused) and COMMENT["body"] not in refused.text
    assert staff_draft(client, draft["id"])["pending_comments"] == 0


def test_too_many_comments_from_one_address_get_a_429_and_another_address_is_not_held_back(client):
    draft = open_draft(client)
    accepted = 0
    for attempt in range(30):
        sent = comment(client, draft["path"], body=f"Góp ý số {attempt + 1} về giờ mở cửa chợ.")
        if sent.status_code == 429:
            break
        assert sent.status_code in (200, 303), sent.text
        accepted += 1
    else:
        pytest.fail("30 comments from one address in a minute were all taken")
    assert accepted >= 1
    assert 0 < int(sent.headers["retry-after"]) <= 3600
    assert is_vietnamese_page(sent)
    assert staff_draft(client, draft["id"])["pending_comments"] == accepted
    assert comment(client, draft["path"], address="2001:ee0:4141:1::7").status_code in (200, 303)


def test_the_closed_draft_shows_the_units_summary_published_only_after_closing(client):
    draft = open_draft(client)
    early = api(client, "POST", f"/api/consultations/{draft['id']}/summary",
                {"summary_html": "<p>Tổng hợp trước hạn.</p>", "version": draft["version"]})
    assert early.status_code == 409
    closed = closed_draft(client, summary_html="")
    version = staff_draft(client, closed["id"])["version"]
    inaccessible = api(client, "POST", f"/api/consultations/{closed['id']}/summary",
                       {"summary_html": '<p><img src="/tep/x"></p>', "version": version})
    assert inaccessible.status_code == 422 and "summary_html" in str(inaccessible.json["error"]["fields"])
    done = api(client, "POST", f"/api/consultations/{closed['id']}/summary",
               {"summary_html": "<p>UBND xã tiếp thu ý kiến về dịch vụ lưu trú.</p><script>alert(1)</script>",
                "version": version})
    assert done.status_code == 200, done.text
    page = client.simulate_get(closed["path"])
    assert "UBND xã tiếp thu ý kiến về dịch vụ lưu trú." in page.text and "<script>alert(1)" not in page.text
    assert "Tổng hợp trước hạn." not in client.simulate_get(draft["path"]).text


def test_a_draft_cannot_be_put_out_with_a_closing_date_already_past(client):
    for closes_on in (TODAY.isoformat(), (TODAY - dt.timedelta(days=3)).isoformat(), "2026-02-30"):
        refused = api(client, "POST", "/api/units/phu-mau/consultations", {
            "title": "Dự thảo hạn sai", "description": "Dự thảo có ngày hết hạn không hợp lệ.", "closes_on": closes_on})
        assert refused.status_code == 422, (closes_on, refused.text)
        assert "closes_on" in refused.json["error"]["fields"]
    assert api(client, "GET", "/api/units/phu-mau/consultation-desk").json["items"] == []


# --- Unknown units, sections and years --------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/khong-co-don-vi/du-thao", "/khong-co-don-vi/thu-tuc-hanh-chinh", "/khong-co-don-vi/cong-khai",
    "/khong-co-don-vi/tuan-thu", "/khong-co-don-vi/danh-muc-thong-tin", "/khong-co-don-vi/cong-khai/ngan-sach",
    "/phu-mau/cong-khai/khong-co-muc", "/phu-mau/cong-khai/khoa-hoc-cong-nghe",  # a section communes do not owe
    "/phu-mau/thu-tuc-hanh-chinh/khong-co-thu-tuc",
    "/phu-mau/gioi-thieu/trang-tu-dat-ten",  # a page no law asks for and nobody wrote: no empty page stands in
])
def test_unknown_units_and_sections_are_vietnamese_404_pages(client, path):
    response = client.simulate_get(path)
    assert response.status_code == 404
    assert is_vietnamese_page(response) and "Traceback" not in response.text


@pytest.mark.parametrize("year", ["abc", "20x6", "0", "99999", str(TODAY.year + 5)])
def test_an_impossible_year_is_a_clear_error_not_an_empty_list(client, year):
    response = client.simulate_get("/phu-mau/cong-khai/ngan-sach", params={"nam": year})
    assert response.status_code in (400, 404, 422), response.status_code
    assert is_vietnamese_page(response) and "Traceback" not in response.text


def test_the_api_names_the_unknown_unit_section_or_year(client):
    assert client.simulate_get("/api/units/khong-co/conformance").status_code == 404
    assert client.simulate_get("/api/units/khong-co/disclosures").status_code == 404
    assert client.simulate_get("/api/units/phu-mau/disclosures/khong-co").status_code == 404
    assert client.simulate_get("/api/units/phu-mau/disclosures/thong-ke").status_code == 404  # not owed by a commune
    for year in ("1800", str(TODAY.year + 1), "abc"):
        refused = client.simulate_get("/api/units/phu-mau/disclosures/ngan-sach", params={"year": year})
        assert refused.status_code == 422, (year, refused.text)
        assert "year" in refused.json["error"]["fields"]


# --- Required sections of a new unit ----------------------------------------------------------------

@pytest.mark.parametrize("level, owed", [("xa", XA_ITEMS), ("so-nganh", 28)])
def test_a_unit_made_through_the_api_answers_every_required_section_at_once(client, level, owed):
    if level != "xa":
        assert api(client, "POST", "/api/levels", {"slug": level, "name": "Sở, ngành", "order": 1}).status_code == 201
    created = api(client, "POST", "/api/units", {"slug": "phu-thanh", "name": "Đơn vị mới", "level": level,
                                                 "parent": "thua-thien-hue"})
    assert created.status_code == 201, created.text
    items = conformance(client, "phu-thanh")
    assert len(items) == owed
    if level == "xa":
        assert "thong-ke" not in items and "khoa-hoc-cong-nghe" not in items  # owed by higher levels only
    empty_checks = {"page", "page_en", "disclosure", "consultations", "procedures"}
    for item in items.values():
        path = item["path"].split("#")[0]
        response = client.simulate_get(path)
        if response.status_code in (302, 303):  # this week's schedule, say: its address moves with the week
            path = response.headers["location"]
            assert path.startswith("/phu-thanh/"), path
            response = client.simulate_get(path)
        assert response.status_code == 200, (item["key"], path, response.status_code)
        if item["check"] in empty_checks:
            assert item["status"] == "missing", item
        if item["check"] in ("page", "disclosure"):
            assert "Chưa có thông tin" in response.text, path
        if item["check"] == "page_en":
            assert "No information yet" in response.text or "Chưa có thông tin" in response.text, path
    sections = client.simulate_get("/api/units/phu-thanh/disclosures").json["items"]
    higher = ["thong-ke", "khoa-hoc-cong-nghe"] if level == "so-nganh" else []
    assert [s["key"] for s in sections] == ["chi-dao-dieu-hanh", "chien-luoc-ke-hoach", "ngan-sach", "dau-tu-mua-sam",
                                            *higher, "pho-bien-phap-luat"]
    assert all(s["count"] == 0 and s["path"] == f"/phu-thanh/cong-khai/{s['key']}" for s in sections)


def test_the_menu_site_map_and_information_list_lead_to_every_required_section(client):
    items = conformance(client)
    home = client.simulate_get("/phu-mau").text
    menu = re.search(r'<nav class="unit-menu".*?</nav>', home, re.S).group(0)
    for path in ("/phu-mau/cong-khai", "/phu-mau/du-thao", "/phu-mau/thu-tuc-hanh-chinh", "/phu-mau/dich-vu-cong"):
        assert f'href="{path}"' in menu, path
    site_map = client.simulate_get("/phu-mau/so-do-trang").text
    listing = client.simulate_get("/phu-mau/danh-muc-thong-tin").text
    for item in items.values():
        assert f'href="{item["path"]}"' in listing, item["key"]
        assert f'href="{item["path"]}"' in site_map, item["key"]
        assert item["source"] in listing  # each with its legal source


# --- The conformance report -------------------------------------------------------------------------

def test_the_report_turns_from_missing_to_present_when_staff_publish(client):
    before = conformance(client)
    assert before["gioi-thieu"]["status"] == "missing" and before["ngan-sach"]["status"] == "missing"
    present_before = {row["Mã đơn vị"]: row["Đã có"] for row in csv_rows(client)}["phu-mau"]
    client.simulate_get("/phu-mau/tuan-thu")  # a copy the page cache may keep

    page = api(client, "POST", "/api/units/phu-mau/pages", {
        "key": "gioi-thieu", "lang": "vi", "title": "Giới thiệu chung",
        "body_html": "<p>Xã Phú Mậu nằm ở phía bắc thành phố Huế, bên bờ sông Hương.</p>"})
    assert page.status_code == 201, page.text
    document = api(client, "POST", "/api/units/phu-mau/documents", {
        "number": "45/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
        "issued_on": TODAY.replace(day=1).isoformat(), "excerpt": f"Giao dự toán ngân sách xã năm {TODAY.year}",
        "section": "ngan-sach"})
    assert document.status_code == 201, document.text
    published = api(client, "POST", f"/api/documents/{document.json['id']}/publish",
                    {"version": document.json["version"]})
    assert published.status_code == 200, published.text

    after = conformance(client)
    assert after["gioi-thieu"]["status"] == "present" and after["gioi-thieu"]["newest"]
    assert after["ngan-sach"]["status"] == "present"
    assert after["chi-dao-dieu-hanh"]["status"] == "missing"  # a document is filed under one section only
    rows = re.findall(r'<tr>\s*<td data-label="Mục thông tin"><a href="([^"]+)">[^<]*</a></td>\s*'
                      r'<td data-label="Tình trạng"><span class="[^"]*">([^<]+)</span>',
                      client.simulate_get("/phu-mau/tuan-thu").text)
    status = dict(rows)
    assert status["/phu-mau/gioi-thieu/gioi-thieu"] == "Đã có" and status["/phu-mau/cong-khai/ngan-sach"] == "Đã có"
    present_now = int({row["Mã đơn vị"]: row["Đã có"] for row in csv_rows(client)}["phu-mau"])
    assert present_now >= int(present_before) + 2  # the document also counts as a legal document
    assert present_now == client.simulate_get("/api/units/phu-mau/conformance").json["present"]
    shown = client.simulate_get("/phu-mau/gioi-thieu/gioi-thieu").text
    assert "bên bờ sông Hương" in shown and "Chưa có thông tin" not in shown


def test_a_disclosure_section_lists_its_documents_by_year(client):
    for number, issued_on, section in (("12/KH-UBND", f"{TODAY.year - 1}-03-10", "chien-luoc-ke-hoach"),
                                       ("30/KH-UBND", f"{TODAY.year}-01-15", "chien-luoc-ke-hoach"),
                                       ("31/QĐ-UBND", f"{TODAY.year}-01-20", "dau-tu-mua-sam")):
        drafted = api(client, "POST", "/api/units/phu-mau/documents", {
            "number": number, "type": "Kế hoạch", "issuing_body": "UBND xã Phú Mậu", "issued_on": issued_on,
            "excerpt": f"Văn bản {number} của xã", "section": section})
        assert drafted.status_code == 201, drafted.text
        assert api(client, "POST", f"/api/documents/{drafted.json['id']}/publish",
                   {"version": drafted.json["version"]}).status_code == 200
    listing = client.simulate_get("/api/units/phu-mau/disclosures/chien-luoc-ke-hoach")
    assert [d["number"] for d in listing.json["items"]] == ["30/KH-UBND", "12/KH-UBND"]
    last_year_api = client.simulate_get("/api/units/phu-mau/disclosures/chien-luoc-ke-hoach",
                                        params={"year": str(TODAY.year - 1)})
    assert [d["number"] for d in last_year_api.json["items"]] == ["12/KH-UBND"]
    sections = {s["key"]: s for s in client.simulate_get("/api/units/phu-mau/disclosures").json["items"]}
    assert sections["chien-luoc-ke-hoach"]["count"] == 2 and sections["dau-tu-mua-sam"]["count"] == 1
    assert sections["chien-luoc-ke-hoach"]["newest_issued_on"] == f"{TODAY.year}-01-15"
    last_year = client.simulate_get("/phu-mau/cong-khai/chien-luoc-ke-hoach", params={"nam": str(TODAY.year - 1)})
    assert last_year.status_code == 200
    assert "12/KH-UBND" in last_year.text and "30/KH-UBND" not in last_year.text and "31/QĐ-UBND" not in last_year.text
    this_year = client.simulate_get("/phu-mau/cong-khai/chien-luoc-ke-hoach", params={"nam": str(TODAY.year)})
    assert "30/KH-UBND" in this_year.text and "12/KH-UBND" not in this_year.text
    empty = client.simulate_get("/phu-mau/cong-khai/chien-luoc-ke-hoach", params={"nam": str(TODAY.year - 3)})
    assert empty.status_code == 200 and "Chưa có thông tin" in empty.text


def test_a_section_not_owed_by_the_unit_is_refused_for_a_document(client):
    refused = api(client, "POST", "/api/units/phu-mau/documents", {
        "number": "9/BC-UBND", "type": "Báo cáo", "issuing_body": "UBND xã Phú Mậu", "issued_on": TODAY.isoformat(),
        "excerpt": "Báo cáo thống kê chuyên ngành", "section": "thong-ke"})
    assert refused.status_code == 422 and "section" in refused.json["error"]["fields"]
    assert api(client, "GET", "/api/units/phu-mau/editorial/documents").json["items"] == []


def test_the_province_wide_csv_opens_in_excel_with_one_row_per_unit(client):
    for slug, name in (("thuy-bieu", 'Phường Thủy Biều, thành phố "Huế"'), ("phu-thanh", "Xã Phú Thanh")):
        assert api(client, "POST", "/api/units", {"slug": slug, "name": name, "level": "xa",
                                                  "parent": "thua-thien-hue"}).status_code == 201
    response = client.simulate_get("/tuan-thu.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers.get("content-disposition", "")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its byte order mark
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len({len(row) for row in rows}) == 1
    units = sorted(row[0] for row in body)
    assert units == ["phu-mau", "phu-thanh", "thua-thien-hue", "thuy-bieu"]
    named = {row[0]: row for row in body}
    assert 'Phường Thủy Biều, thành phố "Huế"' in named["thuy-bieu"]
    api_rows = {row["unit"]: row for row in client.simulate_get("/api/conformance").json["units"]}
    owed = header.index("Số mục phải có")
    assert {unit: int(row[owed]) for unit, row in named.items()} == {u: r["owed"] for u, r in api_rows.items()}
    levels = {level["level"]: level for level in client.simulate_get("/api/conformance").json["levels"]}
    assert (levels["xa"]["units"], levels["xa"]["owed"]) == (3, 3 * XA_ITEMS)
    assert levels["tinh"]["units"] == 1
    assert levels["xa"]["present"] == sum(api_rows[u]["present"] for u in ("phu-mau", "phu-thanh", "thuy-bieu"))
    page = client.simulate_get("/tuan-thu")
    assert page.status_code == 200 and 'href="/tuan-thu.csv"' in page.text
    for unit in units:
        assert f'href="/{unit}/tuan-thu"' in page.text


# --- Footer: managing body, licence line and contact point for information requests ---------------

def test_every_footer_names_the_contact_point_for_information_requests_inherited_by_a_commune(client):
    change_profile(client, "thua-thien-hue", information_contact=PROVINCE_CONTACT,
                   managing_body="Ủy ban nhân dân tỉnh Thừa Thiên Huế",
                   licence="Giấy phép số 20/GP-TTĐT do Bộ Thông tin và Truyền thông cấp")
    draft = open_draft(client)
    for path in ("/phu-mau", "/phu-mau/du-thao", draft["path"], "/phu-mau/tuan-thu", "/phu-mau/cong-khai/ngan-sach",
                 "/phu-mau/gioi-thieu/lanh-dao", "/phu-mau/thu-tuc-hanh-chinh"):
        shown = footer(client.simulate_get(path))
        for value in PROVINCE_CONTACT.values():
            assert value in shown, (path, value)
    province = footer(client.simulate_get("/thua-thien-hue"))
    assert "Giấy phép số 20/GP-TTĐT" in province and "Ủy ban nhân dân tỉnh Thừa Thiên Huế" in province
    assert PROVINCE_CONTACT["email"] in province

    own = {"name": "Lê Thị Hoa", "title": "Công chức Văn phòng - Thống kê", "phone": "0234 3860 124",
           "email": "vanphong.phumau@example.vn"}
    change_profile(client, "phu-mau", information_contact=own)
    shown = footer(client.simulate_get("/phu-mau/du-thao"))
    assert all(value in shown for value in own.values())
    assert PROVINCE_CONTACT["name"] not in shown


def test_a_commune_leaving_its_contact_point_to_the_province_is_not_reported_missing(client):
    assert conformance(client)["dau-moi-cung-cap-thong-tin"]["status"] == "missing"
    change_profile(client, "thua-thien-hue", information_contact=PROVINCE_CONTACT)
    assert conformance(client, "thua-thien-hue")["dau-moi-cung-cap-thong-tin"]["status"] == "present"
    assert PROVINCE_CONTACT["name"] in footer(client.simulate_get("/phu-mau"))
    assert conformance(client)["dau-moi-cung-cap-thong-tin"]["status"] == "present"
    # So with the public services address the province gives every unit below it.
    assert conformance(client)["dich-vu-cong"]["status"] == "missing"
    change_profile(client, "thua-thien-hue", information_contact=PROVINCE_CONTACT,
                   public_services_url="https://dichvucong.thuathienhue.gov.vn/")
    assert conformance(client)["dich-vu-cong"]["status"] == "present"
    assert 'href="https://dichvucong.thuathienhue.gov.vn/"' in client.simulate_get("/phu-mau/dich-vu-cong").text


def test_a_contact_point_nobody_can_reach_is_refused_naming_the_field(client):
    current = api(client, "GET", "/api/units/phu-mau").json
    for contact in ({**PROVINCE_CONTACT, "email": "khong-phai-thu"}, {**PROVINCE_CONTACT, "phone": "gọi cho tôi"}):
        refused = api(client, "PUT", "/api/units/phu-mau",
                      {"name": current["name"], "version": current["version"], "information_contact": contact})
        assert refused.status_code == 422, refused.text
        assert any(name.startswith("information_contact") for name in refused.json["error"]["fields"])
    assert api(client, "GET", "/api/units/phu-mau").json["information_contact"] is None


# --- Administrative procedures and public services ------------------------------------------------

def add_procedure(client, name: str, field: str, **fields) -> dict:
    drafted = api(client, "POST", "/api/units/phu-mau/procedures", {
        "name": name, "field": field, "level": "xa", "processing_time": "Trong ngày", "fees": "Miễn lệ phí",
        "portal_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
        **fields})
    assert drafted.status_code == 201, drafted.text
    published = api(client, "POST", f"/api/procedures/{drafted.json['id']}/publish",
                    {"version": drafted.json["version"]})
    assert published.status_code == 200, published.text
    return published.json


def test_procedures_are_listed_per_field_and_bad_ones_are_refused(client):
    birth = add_procedure(client, "Đăng ký khai sinh", "Hộ tịch")
    add_procedure(client, "Chứng thực bản sao từ bản chính", "Chứng thực")
    for changes, field in (({"portal_url": "javascript:alert(1)"}, "portal_url"), ({"level": "thon"}, "level"),
                           ({"name": "Thủ"}, "name")):
        refused = api(client, "POST", "/api/units/phu-mau/procedures",
                      {"name": "Đăng ký kết hôn", "field": "Hộ tịch", "level": "xa", **changes})
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.text
    duplicate = api(client, "POST", "/api/units/phu-mau/procedures", {"name": "Đăng ký khai sinh", "field": "Hộ tịch",
                                                                      "level": "xa"})
    assert duplicate.status_code == 409
    assert len(api(client, "GET", "/api/units/phu-mau/editorial/procedures").json["items"]) == 2

    catalogue = client.simulate_get("/api/units/phu-mau/procedures", params={"field": "ho tich"}).json
    assert [p["name"] for p in catalogue["procedures"]] == ["Đăng ký khai sinh"]
    assert sorted(f["name"] for f in catalogue["fields"]) == ["Chứng thực", "Hộ tịch"]
    page = client.simulate_get("/phu-mau/thu-tuc-hanh-chinh", params={"linh-vuc": "ho-tich"})
    assert f'href="{birth["path"]}"' in page.text and "Chứng thực bản sao" not in page.text
    unknown = client.simulate_get("/phu-mau/thu-tuc-hanh-chinh", params={"linh-vuc": "khong-co-linh-vuc"})
    assert unknown.status_code in (200, 404) and is_vietnamese_page(unknown)
    assert f'href="{birth["path"]}"' not in unknown.text  # not every procedure, as if no field were asked
    detail = client.simulate_get(birth["path"])
    assert detail.status_code == 200
    assert 'href="https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193"' \
        in detail.text.replace("&amp;", "&")


def test_the_public_services_portal_is_within_three_clicks_of_every_page(client, phu_mau):
    change_profile(client, "thua-thien-hue", public_services_url="https://dichvucong.thuathienhue.gov.vn/")
    procedure = add_procedure(client, "Đăng ký thường trú", "Cư trú", portal_url=None)
    draft = open_draft(client)
    article = publish(client, title="Xã Phú Mậu ra quân làm sạch môi trường")
    starts = ["/phu-mau", procedure["path"], draft["path"], "/phu-mau/tuan-thu", "/phu-mau/cong-khai/ngan-sach",
              "/phu-mau/gioi-thieu/co-cau-to-chuc", "/phu-mau/danh-muc-thong-tin", "/phu-mau/hoi-dap/gui-cau-hoi",
              f"/phu-mau/tin-tuc/{article['slug']}", "/phu-mau/so-do-trang", "/phu-mau/khong-co-trang-nay"]
    portal = "https://dichvucong.thuathienhue.gov.vn/"
    pages: dict[str, str] = {}

    def links(path: str) -> list[str]:
        if path not in pages:
            pages[path] = client.simulate_get(path.partition("?")[0],
                                              query_string=path.partition("?")[2] or None).text
        return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', pages[path])]

    for start in starts:
        seen, queue, clicks = {start}, deque([(start, 0)]), None
        while queue and clicks is None:
            path, depth = queue.popleft()
            for href in links(path):
                if href == portal:
                    clicks = depth + 1
                    break
                internal = href.split("#")[0]
                if depth + 1 < 3 and internal.startswith("/phu-mau") and internal not in seen:
                    seen.add(internal)
                    queue.append((internal, depth + 1))
        assert clicks is not None and clicks <= 3, f"the province's public services are not within 3 clicks of {start}"


# --- More of what staff and the IT centre would try -------------------------------------------------

def test_an_item_left_unchanged_too_long_is_reported_out_of_date(client):
    long_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=800)).isoformat()
    imported = api(client, "POST", "/api/units/phu-mau/history", {"items": [
        {"kind": "page", "key": "lanh-dao", "lang": "vi", "title": "Lãnh đạo xã", "updated_at": long_ago,
         "body_html": "<p>Chủ tịch UBND xã phụ trách chung.</p>"},
        {"kind": "article", "slug": "hoi-nghi-cu", "title": "Hội nghị tổng kết năm cũ", "published_at": long_ago,
         "body_html": "<p>UBND xã tổ chức hội nghị tổng kết.</p>"}]})
    assert imported.status_code in (200, 201), imported.text
    items = conformance(client)
    assert items["lanh-dao"]["status"] == "out_of_date" and items["tin-tuc"]["status"] == "out_of_date"
    page = client.simulate_get("/phu-mau/tuan-thu").text
    row = re.search(r'<a href="/phu-mau/gioi-thieu/lanh-dao">.*?</tr>', page, re.S).group(0)
    assert "Quá hạn cập nhật" in row
    csv_row = {row["Mã đơn vị"]: row for row in csv_rows(client)}["phu-mau"]
    assert int(csv_row["Quá hạn cập nhật"]) == 2
    assert "Chủ tịch UBND xã phụ trách chung." in client.simulate_get("/phu-mau/gioi-thieu/lanh-dao").text


def test_a_dissolved_unit_leaves_the_province_wide_report(client):
    created = api(client, "POST", "/api/units", {"slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa",
                                                 "parent": "thua-thien-hue"})
    assert created.status_code == 201
    assert "phu-thanh" in {row["Mã đơn vị"] for row in csv_rows(client)}
    dissolved = api(client, "POST", "/api/units/phu-thanh/dissolve", {"version": created.json["version"]})
    assert dissolved.status_code == 200, dissolved.text
    assert {row["Mã đơn vị"] for row in csv_rows(client)} == {"thua-thien-hue", "phu-mau"}
    assert 'href="/phu-thanh/tuan-thu"' not in client.simulate_get("/tuan-thu").text


def test_the_province_wide_table_ignores_a_made_up_order(client):
    for order in ("<script>alert(1)</script>", "diem-tang", "x" * 500):
        page = client.simulate_get("/tuan-thu", params={"sap-xep": order})
        assert page.status_code in (200, 400), page.status_code
        assert "<script>alert(1)</script>" not in page.text and is_vietnamese_page(page)


def test_english_pages_footers_carry_the_contact_point_too(client):
    change_profile(client, "thua-thien-hue", information_contact=PROVINCE_CONTACT)
    for path in ("/phu-mau/en/lien-he", "/phu-mau/en/co-cau-to-chuc"):
        response = client.simulate_get(path)
        shown = footer(response)
        assert all(value in shown for value in (PROVINCE_CONTACT["name"], PROVINCE_CONTACT["phone"],
                                                PROVINCE_CONTACT["email"])), path


def test_a_draft_is_published_with_its_file(client):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Du thao quy che cho")
    data = bytes(pdf.output())
    boundary = "ranh-gioi-du-thao"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="du-thao.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    uploaded = client.simulate_post("/api/units/phu-mau/media", body=body, headers={
        **PORTAL_ADMIN, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert uploaded.status_code == 201, uploaded.text
    created = api(client, "POST", "/api/units/phu-mau/consultations", {
        "title": "Dự thảo Quy chế quản lý chợ", "description": "UBND xã lấy ý kiến về dự thảo quy chế chợ.",
        "closes_on": (TODAY + dt.timedelta(days=15)).isoformat(), "file": uploaded.json["id"]})
    assert created.status_code == 201, created.text
    opened = api(client, "POST", f"/api/consultations/{created.json['id']}/open", {"version": created.json["version"]})
    assert opened.json["file"]["path"] == f"/tep/{uploaded.json['id']}"
    page = client.simulate_get(opened.json["path"])
    assert f'href="/tep/{uploaded.json["id"]}"' in page.text
    assert client.simulate_get(f"/tep/{uploaded.json['id']}").content == data
    missing_file = api(client, "POST", "/api/units/phu-mau/consultations", {
        "title": "Dự thảo có tệp không tồn tại", "description": "Tệp dự thảo chưa được tải lên.",
        "closes_on": (TODAY + dt.timedelta(days=15)).isoformat(), "file": "khong-co-tep"})
    assert missing_file.status_code == 422 and "file" in missing_file.json["error"]["fields"]


def test_the_workspace_dashboard_shows_the_unit_its_missing_items(board):
    from tests.gateway.workspace_desk import signed_in
    desk = signed_in(board.client, "quan-tri-xa")
    dashboard = desk.get("/quan-tri/phu-mau")
    assert dashboard.status_code == 200
    assert "Chức năng, nhiệm vụ, quyền hạn" in dashboard.text and 'href="/phu-mau/tuan-thu"' in dashboard.text
    created = api(board.client, "POST", "/api/units/phu-mau/pages", {
        "key": "chuc-nang-nhiem-vu", "lang": "vi", "title": "Chức năng, nhiệm vụ",
        "body_html": "<p>UBND xã thực hiện chức năng quản lý nhà nước ở địa phương.</p>"})
    assert created.status_code == 201, created.text
    assert "Chức năng, nhiệm vụ, quyền hạn" not in desk.get("/quan-tri/phu-mau").text


def test_procedures_and_drafts_are_found_by_search_without_accents(client):
    add_procedure(client, "Đăng ký kết hôn có yếu tố nước ngoài", "Hộ tịch")
    draft = open_draft(client, title="Dự thảo Quy định về phí trông giữ xe")

    def found(words: str) -> str:
        page = client.simulate_get("/tim-kiem", params={"q": words})
        return page.text if page.status_code == 200 else ""

    wait_for(lambda: "Đăng ký kết hôn có yếu tố nước ngoài" in found("dang ky ket hon nuoc ngoai"), timeout=15,
             message="the procedure in the search results")
    wait_for(lambda: draft["path"] in found("phi trong giu xe"), timeout=15,
             message="the draft in the search results")


def coverage_of(client, unit: str = "phu-mau") -> dict:
    standing = client.simulate_get(f"/api/units/{unit}/ranking")
    assert standing.status_code == 200, standing.text
    return next(c for c in standing.json["criteria"] if c["key"] == "coverage")


def test_the_ranking_scores_coverage_from_the_conformance_report(client):
    assert any(c["key"] == "coverage" for c in client.simulate_get("/api/ranking/criteria").json["criteria"])
    before = coverage_of(client)
    report = client.simulate_get("/api/units/phu-mau/conformance").json
    assert before["ratio"] == pytest.approx(report["score"], abs=0.01)
    for key, title in (("gioi-thieu", "Giới thiệu chung"), ("chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ"),
                       ("lanh-dao", "Lãnh đạo xã")):
        created = api(client, "POST", "/api/units/phu-mau/pages", {
            "key": key, "lang": "vi", "title": title, "body_html": f"<p>{title} của xã Phú Mậu.</p>"})
        assert created.status_code == 201, created.text
    score = client.simulate_get("/api/units/phu-mau/conformance").json["score"]
    assert score > before["ratio"]
    wait_for(lambda: coverage_of(client)["ratio"] == pytest.approx(score, abs=0.01), timeout=15,
             message="the ranking's coverage in step with the conformance report")


def test_comments_are_moderated_blank_ones_refused_and_markup_shown_as_text(client):
    draft = open_draft(client)
    blank = comment(client, draft["path"], body="        ")
    assert blank.status_code == 422 and 'href="#y-kien"' in blank.text
    robot = comment(client, draft["path"], trang_web="http://spam.example")
    assert robot.status_code in (200, 303)
    assert staff_draft(client, draft["id"])["pending_comments"] == 0  # neither was kept
    for body in ("<script>alert('x')</script> Đề nghị giữ nguyên giờ họp chợ.", "Ý kiến không phù hợp, cần từ chối."):
        assert comment(client, draft["path"], body=body, address=f"198.51.100.{len(body)}").status_code in (200, 303)
    scripted, rude = staff_comments(client, draft["id"])
    assert api(client, "POST", f"/api/consultation-comments/{scripted['id']}/publish",
               {"version": scripted["version"]}).status_code == 200
    assert api(client, "POST", f"/api/consultation-comments/{rude['id']}/reject",
               {"version": rude["version"]}).status_code == 200
    page = client.simulate_get(draft["path"]).text
    assert "<script>alert('x')</script>" not in page and "&lt;script&gt;" in page
    assert "cần từ chối" not in page
    assert [c["body"] for c in client.simulate_get(
        f"/api/units/phu-mau/consultations/{draft['id']}/comments").json["items"]] == [scripted["body"]]


def test_a_withdrawn_procedure_leaves_the_site_and_the_report(client):
    procedure = add_procedure(client, "Đăng ký khai tử", "Hộ tịch")
    assert conformance(client)["thu-tuc-hanh-chinh"]["status"] == "present"
    client.simulate_get(procedure["path"])  # a copy the page cache may keep
    withdrawn = api(client, "POST", f"/api/procedures/{procedure['id']}/withdraw", {"version": procedure["version"]})
    assert withdrawn.status_code == 200, withdrawn.text
    assert client.simulate_get(procedure["path"]).status_code == 404
    assert "Đăng ký khai tử" not in client.simulate_get("/phu-mau/thu-tuc-hanh-chinh").text
    assert conformance(client)["thu-tuc-hanh-chinh"]["status"] == "missing"


def test_the_list_of_drafts_shows_open_ones_first_then_closed_ones(client):
    closed = closed_draft(client)
    later = open_draft(client, title="Dự thảo Quy chế văn hóa công sở", days=40)
    sooner = open_draft(client, title="Dự thảo Kế hoạch phòng chống lụt bão", days=10)
    page = client.simulate_get("/phu-mau/du-thao").text
    positions = [page.index(f'href="{path}"') for path in (sooner["path"], later["path"], closed["path"])]
    assert positions == sorted(positions)
    listed = client.simulate_get("/api/units/phu-mau/consultations").json["items"]
    assert [(d["id"], d["status"]) for d in listed] == [
        (sooner["id"], "open"), (later["id"], "open"), (closed["id"], "closed")]
    assert listed[2]["days_left"] < 0 and listed[0]["days_left"] == 10


def test_a_comment_cannot_publish_itself_through_the_api(client):
    draft = open_draft(client)
    for extra in ({"status": "published"}, {"moderated_by": "admin"}, {"contact": "x"}):
        refused = client.simulate_post(f"/api/units/phu-mau/consultations/{draft['id']}/comments",
                                       json={**COMMENT, **extra}, remote_addr=CITIZEN)
        assert refused.status_code == 422, refused.text
        assert set(refused.json["error"]["fields"]) & set(extra), refused.text
    taken = client.simulate_post(f"/api/units/phu-mau/consultations/{draft['id']}/comments", json=COMMENT,
                                 remote_addr=CITIZEN)
    assert taken.status_code == 201 and taken.json["status"] == "pending"
    assert staff_draft(client, draft["id"])["pending_comments"] == 1
    assert client.simulate_get(f"/api/units/phu-mau/consultations/{draft['id']}/comments").json["items"] == []


def test_the_province_wide_table_can_put_the_weakest_units_first(client):
    for key, title in (("gioi-thieu", "Giới thiệu chung"), ("lien-he", "Liên hệ")):
        created = api(client, "POST", "/api/units/phu-mau/pages", {
            "key": key, "lang": "vi", "title": title, "body_html": f"<p>{title} của xã Phú Mậu.</p>"})
        assert created.status_code == 201, created.text
    weakest_first = client.simulate_get("/tuan-thu", params={"sap-xep": "diem-tang"}).text
    strongest_first = client.simulate_get("/tuan-thu", params={"sap-xep": "diem"}).text
    province, commune = 'href="/thua-thien-hue/tuan-thu"', 'href="/phu-mau/tuan-thu"'
    assert weakest_first.index(province) < weakest_first.index(commune)
    assert strongest_first.index(commune) < strongest_first.index(province)


def test_a_withdrawn_required_page_says_there_is_no_information_again(client):
    created = api(client, "POST", "/api/units/phu-mau/pages", {
        "key": "co-cau-to-chuc", "lang": "vi", "title": "Cơ cấu tổ chức",
        "body_html": "<p>UBND xã gồm Chủ tịch, hai Phó Chủ tịch và các công chức chuyên môn.</p>"})
    assert created.status_code == 201, created.text
    assert "hai Phó Chủ tịch" in client.simulate_get("/phu-mau/gioi-thieu/co-cau-to-chuc").text  # now kept by the cache
    withdrawn = api(client, "POST", "/api/units/phu-mau/pages/vi/co-cau-to-chuc/withdraw",
                    {"version": created.json["version"]})
    assert withdrawn.status_code == 200, withdrawn.text
    page = client.simulate_get("/phu-mau/gioi-thieu/co-cau-to-chuc")
    assert page.status_code == 200
    assert "Chưa có thông tin" in page.text and "hai Phó Chủ tịch" not in page.text
    assert conformance(client)["co-cau-to-chuc"]["status"] == "missing"


def test_a_document_moved_to_another_section_moves_in_the_lists_and_the_report(client):
    fields = {"number": "7/KH-UBND", "type": "Kế hoạch", "issuing_body": "UBND xã Phú Mậu",
              "issued_on": TODAY.replace(day=1).isoformat(), "excerpt": "Kế hoạch tuyên truyền pháp luật năm nay",
              "section": "chi-dao-dieu-hanh"}
    drafted = api(client, "POST", "/api/units/phu-mau/documents", fields)
    assert drafted.status_code == 201, drafted.text
    published = api(client, "POST", f"/api/documents/{drafted.json['id']}/publish",
                    {"version": drafted.json["version"]})
    assert published.status_code == 200, published.text
    assert "7/KH-UBND" in client.simulate_get("/phu-mau/cong-khai/chi-dao-dieu-hanh").text
    moved = api(client, "PUT", f"/api/documents/{drafted.json['id']}",
                {**fields, "section": "pho-bien-phap-luat", "version": published.json["version"]})
    assert moved.status_code == 200, moved.text
    assert "7/KH-UBND" not in client.simulate_get("/phu-mau/cong-khai/chi-dao-dieu-hanh").text
    assert "7/KH-UBND" in client.simulate_get("/phu-mau/cong-khai/pho-bien-phap-luat").text
    items = conformance(client)
    assert items["chi-dao-dieu-hanh"]["status"] == "missing" and items["pho-bien-phap-luat"]["status"] == "present"
    sections = {s["key"]: s["count"] for s in client.simulate_get("/api/units/phu-mau/disclosures").json["items"]}
    assert sections["chi-dao-dieu-hanh"] == 0 and sections["pho-bien-phap-luat"] == 1


def test_the_api_holds_one_address_to_the_same_limit_with_retry_after(client):
    draft = open_draft(client)
    path = f"/api/units/phu-mau/consultations/{draft['id']}/comments"
    taken = 0
    for attempt in range(30):
        sent = client.simulate_post(path, json={**COMMENT, "body": f"Góp ý qua API số {attempt + 1}."},
                                    remote_addr=CITIZEN)
        if sent.status_code == 429:
            break
        assert sent.status_code == 201, sent.text
        taken += 1
    else:
        pytest.fail("30 comments from one address through the API were all taken")
    assert 0 < sent.json["error"]["retry_after"] <= 3600 and int(sent.headers["retry-after"]) > 0
    assert staff_draft(client, draft["id"])["pending_comments"] == taken
    # The form counts against the same address: no second allowance by switching doors.
    assert comment(client, draft["path"]).status_code == 429


def test_a_commune_shows_the_nearest_contact_point_above_it_and_says_whose_it_is(client):
    assert api(client, "POST", "/api/levels", {"slug": "huyen", "name": "Huyện", "order": 1}).status_code == 201
    for unit in ({"slug": "phu-vang", "name": "Huyện Phú Vang", "level": "huyen", "parent": "thua-thien-hue"},
                 {"slug": "phu-an", "name": "Xã Phú An", "level": "xa", "parent": "phu-vang",
                  "managing_body": "Ủy ban nhân dân xã Phú An"}):
        assert api(client, "POST", "/api/units", unit).status_code == 201
    district = {"name": "Nguyễn Thị Lan", "title": "Chuyên viên Văn phòng HĐND và UBND huyện",
                "phone": "0234 3860 200", "email": "tiepnhan@phuvang.example.vn"}
    change_profile(client, "thua-thien-hue", information_contact=PROVINCE_CONTACT)
    change_profile(client, "phu-vang", information_contact=district)
    shown = footer(client.simulate_get("/phu-an"))
    assert all(value in shown for value in district.values())
    assert PROVINCE_CONTACT["name"] not in shown
    assert "Huyện Phú Vang" in shown  # whose contact point it is
    assert api(client, "GET", "/api/units/phu-an").json["footer"]["information_contact"]["inherited_from"]["slug"] \
        == "phu-vang"

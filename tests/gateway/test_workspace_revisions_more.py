"""Revisions of static pages, categories, the unit profile and leadership schedules in the
workspace: each changed twice, its two versions side by side, the first restored and seen again;
a stale restore said so; another unit's item not found. Through the real services, as a browser
without JavaScript sees them."""
import pytest

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

WEEK = "2026-W48"
ENTRY = {"start": "2026-11-23T07:30", "leader": "Chủ tịch UBND xã Nguyễn Văn An", "location": "Hội trường UBND xã"}


def sent(response, status=200):
    assert response.status_code == status, response.text
    return response.json


def changed_page(client, unit="phu-mau") -> str:
    """The page "lien-he" in Vietnamese at version 3; its revisions page."""
    sent(client.simulate_post(f"/api/units/{unit}/pages", headers=PORTAL_ADMIN, json={
        "key": "lien-he", "lang": "vi", "title": "Liên hệ", "body_html": "<p>Gọi số 0234 3822 000.</p>"}), 201)
    path = f"/api/units/{unit}/pages/vi/lien-he"
    for version, body in ((1, "<p>Gọi số 0234 3822 111.</p>"), (2, "<p>Gọi số 0234 3822 222.</p>")):
        sent(client.simulate_put(path, headers=PORTAL_ADMIN, json={
            "title": "Liên hệ", "body_html": body, "version": version}))
    return f"/quan-tri/{unit}/trang/lien-he/vi/phien-ban"


def changed_category(client, unit="phu-mau") -> str:
    sent(client.simulate_post(f"/api/units/{unit}/categories", headers=PORTAL_ADMIN, json={
        "slug": "tin-dia-phuong", "name": "Tin địa phương", "order": 1}), 201)
    path = f"/api/units/{unit}/categories/tin-dia-phuong"
    for version, name in ((1, "Tin tức địa phương"), (2, "Tin xã nhà")):
        sent(client.simulate_put(path, headers=PORTAL_ADMIN, json={"name": name, "order": 1, "version": version}))
    return f"/quan-tri/{unit}/chuyen-muc/tin-dia-phuong/phien-ban"


def changed_profile(client) -> str:
    """Phú Mậu's profile renamed twice after the version it starts from."""
    unit = sent(client.simulate_get("/api/units/phu-mau"))
    profile = {name: unit[name] for name in ("name", "name_en", "contact", "branding", "public_services_url")}
    version = unit["version"]
    for name in ("Xã Phú Mậu mới", "Phường Phú Mậu"):
        version = sent(client.simulate_put("/api/units/phu-mau", headers=PORTAL_ADMIN, json={
            **profile, "name": name, "version": version}))["version"]
    return "/quan-tri/phu-mau/don-vi/phien-ban"


def changed_week(client) -> str:
    path = f"/api/units/phu-mau/schedules/{WEEK}/draft"
    sent(client.simulate_put(path, headers=PORTAL_ADMIN, json={"entries": [{**ENTRY, "title": "Giao ban tuần"}]}), 201)
    for version, title in ((1, "Giao ban lãnh đạo"), (2, "Họp thường kỳ")):
        sent(client.simulate_put(path, headers=PORTAL_ADMIN, json={
            "entries": [{**ENTRY, "title": title}], "version": version}))
    return f"/quan-tri/phu-mau/lich-cong-tac/{WEEK}/phien-ban"


def restore_first(desk, path, current, first=None):
    """Restore `first` (the oldest version, by default the one `current - 2`) and follow the redirect."""
    shown = desk.get(path)
    assert shown.status_code == 200, shown.text
    assert shown.headers["cache-control"] == "no-store"
    assert f'<th scope="col">Phiên bản {current - 1}</th>' in shown.text
    assert f'<th scope="col">Phiên bản {current}</th>' in shown.text
    first = first or current - 2
    restored = desk.post(path, {"to_version": str(first), "version": str(current)}, follow=False)
    assert restored.status_code == 303, restored.text
    after = desk.get(restored.headers["location"])
    assert f"Đã khôi phục nội dung của phiên bản {first}; nội dung này nay là phiên bản {current + 1}." in after.text
    return shown


def test_a_pages_revisions_are_compared_and_the_first_is_public_again(board):
    path = changed_page(board.client)
    desk = Desk(board.client)
    desk.sign_in("quan-tri-xa")
    edit = desk.get("/quan-tri/phu-mau/trang/lien-he")
    assert 'href="/quan-tri/phu-mau/trang/lien-he/vi/phien-ban"' in edit.text and "Lịch sử phiên bản" in edit.text
    shown = restore_first(desk, path, 3)
    assert "<del>111.</del>" in shown.text and "<ins>222.</ins>" in shown.text
    public = board.client.simulate_get("/phu-mau/gioi-thieu/lien-he")
    assert public.status_code == 200 and "0234 3822 000" in public.text and "222" not in public.text


def test_a_categorys_revisions_are_compared_and_the_first_is_public_again(board):
    path = changed_category(board.client)
    desk = Desk(board.client)
    desk.sign_in("quan-tri-xa")
    edit = desk.get("/quan-tri/phu-mau/chuyen-muc/tin-dia-phuong")
    assert f'href="{path}"' in edit.text
    shown = restore_first(desk, path, 3)
    assert "Tin <del>tức</del> <del>địa phương</del>" in shown.text and "Tin <ins>xã</ins> <ins>nhà</ins>" in shown.text
    public = board.client.simulate_get("/phu-mau/chuyen-muc/tin-dia-phuong")
    assert public.status_code == 200 and "Tin địa phương" in public.text and "Tin xã nhà" not in public.text


def test_the_unit_profiles_revisions_are_compared_and_the_first_is_public_again(board):
    first = sent(board.client.simulate_get("/api/units/phu-mau"))
    path = changed_profile(board.client)
    desk = Desk(board.client)
    desk.sign_in("quan-tri-xa")
    assert f'href="{path}"' in desk.get("/quan-tri/phu-mau/don-vi").text
    current = first["version"] + 2
    shown = restore_first(desk, path, current, first=first["version"])
    assert "<del>Xã</del> Phú Mậu <del>mới</del>" in shown.text and "<ins>Phường</ins> Phú Mậu" in shown.text
    assert sent(board.client.simulate_get("/api/units/phu-mau"))["name"] == first["name"]
    assert first["name"] in board.client.simulate_get("/phu-mau").text


def test_a_weeks_revisions_are_compared_and_the_first_is_published(board):
    path = changed_week(board.client)
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    assert f'href="{path}"' in desk.get(f"/quan-tri/phu-mau/lich-cong-tac/{WEEK}").text
    shown = restore_first(desk, path, 3)
    assert "23/11/2026 07:30 · Chủ tịch UBND xã Nguyễn Văn An: <del>Giao</del>" in shown.text
    assert "<ins>Họp</ins>" in shown.text and "&#39;id&#39;" not in shown.text
    published = desk.post(f"/quan-tri/phu-mau/lich-cong-tac/{WEEK}/dang", {"version": "4"})
    assert published.status_code == 200, published.text
    public = board.client.simulate_get(f"/phu-mau/lich-cong-tac/{WEEK}")
    assert "Giao ban tuần" in public.text and "Họp thường kỳ" not in public.text


@pytest.mark.parametrize("change, who", [(changed_page, "quan-tri-xa"), (changed_category, "quan-tri-xa"),
                                         (changed_profile, "quan-tri-xa"),
                                         (changed_week, "bien-tap")])
def test_a_stale_restore_says_so_and_changes_nothing(board, change, who):
    path = change(board.client)
    desk = Desk(board.client)
    desk.sign_in(who)
    desk.get(path)
    refused = desk.post(path, {"to_version": "1", "version": "1"})
    assert refused.status_code == 409, refused.text
    assert "vừa được người khác thay đổi" in refused.text
    assert "bạn đang xem phiên bản 1, nay đã là phiên bản" in refused.text


@pytest.mark.parametrize("change, path", [
    (changed_page, "/quan-tri/phu-mau/trang/lien-he/vi/phien-ban"),
    (changed_category, "/quan-tri/phu-mau/chuyen-muc/tin-dia-phuong/phien-ban")])
def test_another_units_item_is_not_found(board, change, path):
    change(board.client, unit="thua-thien-hue")
    desk = Desk(board.client)
    desk.sign_in("quan-tri-xa")
    assert desk.get(path).status_code == 404
    assert desk.get("/quan-tri/phu-mau/trang/lien-he/xx/phien-ban").status_code == 404


def test_who_may_not_edit_may_not_read_the_revisions(board):
    path = changed_category(board.client)
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    assert desk.get(path).status_code == 403
    assert desk.get("/quan-tri/phu-mau/don-vi/phien-ban").status_code == 403

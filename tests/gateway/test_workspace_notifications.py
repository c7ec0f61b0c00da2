"""Choosing which notices come by email ("Thông báo qua email"): the workspace page, reached from
every workspace page's menu, and the API's /api/me/notifications, both kept by the notify service."""
from services.content.service import ContentService
from services.notify.service import NotifyService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk, signed_in

PORTAL_SERVICES = (ContentService, NotifyService)
PAGE = "/quan-tri/thong-bao-email"
KINDS = ("standing", "site_stale", "waiting_questions", "empty_schedule")


def ticked(page) -> set[str]:
    return {kind for kind in KINDS if f'name="{kind}" value="1" checked' in page.text}


def test_the_page_asks_a_stranger_to_sign_in_first(board):
    answered = Desk(board.client).get(PAGE, follow=False)
    assert answered.status_code == 303
    assert answered.headers["location"] == f"/quan-tri/dang-nhap?tiep={PAGE}"


def test_a_staff_member_turns_kinds_off_from_the_menu_and_they_stay_off(board):
    desk = signed_in(board.client, "tong-bien-tap")
    assert f'href="{PAGE}">Thông báo qua email</a>' in desk.get("/quan-tri/phu-mau").text  # the menu link
    page = desk.get(PAGE)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert ticked(page) == set(KINDS)  # everything comes until turned off
    assert "Kết quả xếp hạng hằng tháng" in page.text

    saved = desk.post(PAGE, {"standing": "1", "site_stale": "1"})
    assert saved.status_code == 200 and "Đã lưu lựa chọn" in saved.text
    assert ticked(saved) == {"standing", "site_stale"}
    assert ticked(signed_in(board.client, "tong-bien-tap").get(PAGE)) == {"standing", "site_stale"}
    assert ticked(signed_in(board.client, "bien-tap").get(PAGE)) == set(KINDS)  # another person's own


def test_a_kind_the_page_does_not_offer_or_an_old_form_is_refused_in_vietnamese_and_saves_nothing(board):
    desk = signed_in(board.client, "bien-tap")
    desk.get(PAGE)
    refused = desk.post(PAGE, {"standing": "1", "thoi-tiet": "1"})
    assert refused.status_code == 422
    assert "Chưa lưu được lựa chọn" in refused.text and "Loại thông báo không hợp lệ" in refused.text
    expired = desk.post(PAGE, {"standing": "1"}, token="het-han")
    assert expired.status_code == 403 and "Biểu mẫu đã hết hạn" in expired.text
    assert ticked(desk.get(PAGE)) == set(KINDS)


def test_the_api_reads_and_changes_the_callers_choices(board):
    client = board.client
    assert client.simulate_get("/api/me/notifications").status_code == 401
    read = client.simulate_get("/api/me/notifications", headers=PORTAL_ADMIN)
    assert read.status_code == 200 and read.json == {"username": "admin", "kinds": dict.fromkeys(KINDS, True)}

    changed = client.simulate_put("/api/me/notifications", headers=PORTAL_ADMIN,
                                  json={"kinds": {"standing": False, "empty_schedule": False}})
    assert changed.status_code == 200
    assert changed.json["kinds"] == {"standing": False, "site_stale": True, "waiting_questions": True,
                                     "empty_schedule": False}
    refused = client.simulate_put("/api/me/notifications", headers=PORTAL_ADMIN, json={"kinds": {"weather": True}})
    assert refused.status_code == 422 and "kinds.weather" in str(refused.json["error"]["fields"])
    refused = client.simulate_put("/api/me/notifications", headers=PORTAL_ADMIN, json={"kinds": {"standing": "no"}})
    assert refused.status_code == 422 and "kinds.standing" in refused.json["error"]["fields"]
    assert client.simulate_get("/api/me/notifications", headers=PORTAL_ADMIN).json == changed.json

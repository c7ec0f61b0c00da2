"""Royalties in the workspace: the month's report with its totals (this month by default), points
given by the editor-in-chief, the CSV file the API serves, and who may not."""
from datetime import datetime
from zoneinfo import ZoneInfo

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.gateway.workspace_desk import Desk

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone


def month_of(article: dict) -> str:
    return datetime.fromisoformat(article["published_at"]).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")


def test_the_editor_in_chief_gives_points_and_the_month_adds_them_up(board):
    publish(board.client, title="Lễ hội làng Lại Thế")
    second = publish(board.client, title="Mùa lúa mới")
    month = month_of(second)
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    report = desk.get("/quan-tri/phu-mau/nhuan-but")  # this month in Vietnam, unless another is chosen
    this_month = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")
    assert report.status_code == 200 and f'name="thang" type="month" value="{this_month}"' in report.text
    report = desk.get(f"/quan-tri/phu-mau/nhuan-but?thang={month}")
    assert f'href="/quan-tri/phu-mau/nhuan-but/{month}.csv"' in report.text and "Tải CSV" in report.text
    assert f'action="/quan-tri/phu-mau/nhuan-but/{month}/{second["id"]}"' in report.text
    scored = desk.post(f"/quan-tri/phu-mau/nhuan-but/{month}/{second['id']}", {"points": "2,5"})
    assert scored.status_code == 200 and "Đã lưu điểm nhuận bút" in scored.text
    assert "<th scope=\"row\">Tổng cộng</th><td></td><td>2,5</td>" in scored.text
    points = board.client.simulate_get(f"/api/units/phu-mau/royalties/{month}", headers=PORTAL_ADMIN).json
    assert points["total_points"] == 2.5

    refused = desk.post(f"/quan-tri/phu-mau/nhuan-but/{month}/{second['id']}", {"points": "hai"})
    assert refused.status_code == 422 and "<title>Lỗi: " in refused.text
    assert "Điểm nhuận bút là một số từ 0 đến 1000" in refused.text and 'value="hai"' in refused.text
    too_many = desk.post(f"/quan-tri/phu-mau/nhuan-but/{month}/{second['id']}", {"points": "5000"})
    assert too_many.status_code == 422
    again = board.client.simulate_get(f"/api/units/phu-mau/royalties/{month}", headers=PORTAL_ADMIN).json
    assert again["total_points"] == 2.5


def test_the_csv_downloads_as_the_api_serves_it(board):
    month = month_of(publish(board.client, title="Tin có nhuận bút"))
    desk = Desk(board.client)
    desk.sign_in("quan-tri-xa")
    report = desk.get(f"/quan-tri/phu-mau/nhuan-but?thang={month}")
    assert report.status_code == 200 and "Tin có nhuận bút" in report.text
    assert "/nhuan-but/" + month + "/" not in report.text  # a unit admin reads the report but gives no points
    csv = desk.get(f"/quan-tri/phu-mau/nhuan-but/{month}.csv")
    assert csv.status_code == 200
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.headers["content-disposition"].startswith("attachment")
    assert f"nhuan-but-phu-mau-{month}.csv" in csv.headers["content-disposition"]
    assert csv.headers["cache-control"] == "no-store"
    assert csv.content.startswith("\ufeff".encode())
    served = board.client.simulate_get(f"/api/units/phu-mau/royalties/{month}.csv", headers=PORTAL_ADMIN)
    assert csv.content == served.content
    assert "Tin có nhuận bút" in csv.content.decode("utf-8-sig")


def test_who_may_not_is_refused_and_another_units_article_is_not_found(board):
    month = month_of(publish(board.client, title="Tin của xã"))
    unit = {"slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue"}
    assert board.client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit).status_code == 201
    elsewhere = publish(board.client, unit="phu-thanh", title="Tin xã khác")
    author = Desk(board.client)
    author.sign_in("tac-gia")
    assert author.get("/quan-tri/phu-mau/nhuan-but").status_code == 403
    assert author.get(f"/quan-tri/phu-mau/nhuan-but/{month}.csv").status_code == 403
    unit_admin = Desk(board.client)
    unit_admin.sign_in("quan-tri-xa")
    unit_admin.get("/quan-tri/phu-mau/nhuan-but")
    report = board.client.simulate_get(f"/api/units/phu-mau/royalties/{month}", headers=PORTAL_ADMIN).json
    article_id = report["authors"][0]["articles"][0]["id"]
    assert unit_admin.post(f"/quan-tri/phu-mau/nhuan-but/{month}/{article_id}", {"points": "1"}).status_code == 403
    chief = Desk(board.client)
    chief.sign_in("tong-bien-tap")
    chief.get("/quan-tri/phu-mau/nhuan-but")
    guessed = chief.post(f"/quan-tri/phu-mau/nhuan-but/{month}/{elsewhere['id']}", {"points": "1"})
    assert guessed.status_code == 404
    assert chief.get(f"/quan-tri/phu-mau/nhuan-but/{month}/{article_id}").status_code == 405
    bad_month = chief.get("/quan-tri/phu-mau/nhuan-but?thang=2026-13")
    assert bad_month.status_code == 422 and "Tháng “2026-13” không hợp lệ" in bad_month.text

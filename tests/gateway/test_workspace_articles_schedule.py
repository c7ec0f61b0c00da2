"""Publishing and unpublishing an article at a time set on the workspace's step forms, in
Vietnam's time: the content service's scheduler takes the step when it is due. A time already
past, half a time or no time at all is refused on the form, as typed, with nothing changed."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

ARTICLES = "/quan-tri/phu-mau/bai-viet"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = 120  # seconds: the scheduler's sweep comes round well within this


def api(client, method, path, status=200, **body):
    answered = getattr(client, f"simulate_{method}")(path, headers=PORTAL_ADMIN, json=body or None)
    assert answered.status_code == status, answered.text
    return answered.json


def approved(client) -> dict:
    """An article written, submitted and approved, waiting for the editor-in-chief."""
    article = api(client, "post", "/api/units/phu-mau/articles", 201, title="Lịch tiếp dân tháng 12",
                  summary="Lịch tiếp công dân của UBND xã.", body_html="<p>Chủ tịch tiếp dân sáng thứ Năm.</p>")
    for step in ("submit", "approve"):
        article = api(client, "post", f"/api/articles/{article['id']}/{step}", version=article["version"])
    return article


def saved(client, article_id) -> dict:
    return api(client, "get", f"/api/articles/{article_id}")


def chief(board) -> Desk:
    desk = Desk(board.client)
    assert desk.sign_in("tong-bien-tap").status_code == 200
    return desk


def take(desk, article_id, slug, day="", hour="", follow=True):
    page = desk.get(f"{ARTICLES}/{article_id}")
    version = re.search(rf'action="{ARTICLES}/{article_id}/{slug}".*?name="version" value="(\d+)"', page.text, re.S)
    assert version, f"no {slug} button"
    return desk.post(f"{ARTICLES}/{article_id}/{slug}", {"version": version.group(1), "hen_ngay": day,
                                                          "hen_gio": hour}, follow=follow)


def in_vietnam(seconds: float) -> datetime:
    return datetime.now(VIETNAM) + timedelta(seconds=seconds)


def test_the_step_forms_offer_a_day_and_a_time_labelled(board):
    article = approved(board.client)
    page = chief(board).get(f"{ARTICLES}/{article['id']}")
    assert "<legend>Hẹn giờ đăng (không bắt buộc)</legend>" in page.text
    assert '<label for="hen-ngay-publish">Ngày hẹn đăng</label>' in page.text
    assert '<input type="date" id="hen-ngay-publish" name="hen_ngay"' in page.text
    assert '<label for="hen-gio-publish">Giờ hẹn đăng</label>' in page.text
    assert '<input type="time" id="hen-gio-publish" name="hen_gio"' in page.text
    assert 'id="hen-ngay-force_publish"' not in page.text  # forcing is now or never


def test_a_publication_is_scheduled_shown_and_happens_when_due(board):
    article = approved(board.client)
    desk = chief(board)
    tomorrow = (datetime.now(VIETNAM) + timedelta(days=1)).date()
    later = take(desk, article["id"], "dang", tomorrow.isoformat(), "07:30", follow=False)
    assert later.status_code == 303 and later.headers["location"].endswith("?da=hen-dang")
    shown = desk.get(later.headers["location"])
    assert "Đã hẹn giờ đăng bài viết" in shown.text
    assert f"Hẹn đăng lúc <time datetime=\"{saved(board.client, article['id'])['publish_at']}\">07:30 ngày " \
           f"{tomorrow:%d/%m/%Y}</time>" in shown.text
    stored = saved(board.client, article["id"])
    assert stored["status"] == "approved"
    assert datetime.fromisoformat(stored["publish_at"]) == datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, 30,
                                                                    tzinfo=VIETNAM)

    soon = in_vietnam(3)  # moved to a few seconds from now, to the second, as a browser may send it
    take(desk, article["id"], "dang", soon.date().isoformat(), f"{soon:%H:%M:%S}")
    wait_for(lambda: saved(board.client, article["id"])["status"] == "published", timeout=DUE,
             message="the scheduled publication")
    assert saved(board.client, article["id"])["publish_at"] is None
    assert "Hẹn đăng lúc" not in desk.get(f"{ARTICLES}/{article['id']}").text


def test_an_unpublication_is_scheduled_and_happens_when_due(board):
    article = approved(board.client)
    desk = chief(board)
    assert take(desk, article["id"], "dang").status_code == 200  # empty: now
    assert saved(board.client, article["id"])["status"] == "published"
    soon = in_vietnam(3)
    later = take(desk, article["id"], "go-xuong", soon.date().isoformat(), f"{soon:%H:%M:%S}")
    assert "Đã hẹn giờ gỡ bài viết" in later.text and "Hẹn gỡ xuống lúc" in later.text
    wait_for(lambda: saved(board.client, article["id"])["status"] == "unpublished", timeout=DUE,
             message="the scheduled unpublication")


@pytest.mark.parametrize("day, hour, said", [
    ("past", "past", "Thời điểm hẹn đăng đã qua"),
    ("2026-02-31", "07:30", "Ngày hẹn có dạng ngày/tháng/năm"),
    ("2026-12-08", "25:00", "giờ hẹn có dạng giờ:phút"),
    ("tomorrow", "", "Nhập cả ngày và giờ hẹn đăng"),
])
def test_a_time_past_malformed_or_half_given_is_refused_as_typed(board, day, hour, said):
    article = approved(board.client)
    desk = chief(board)
    an_hour_ago = in_vietnam(-3600)
    day = {"past": an_hour_ago.date().isoformat(), "tomorrow": (in_vietnam(86400)).date().isoformat()}.get(day, day)
    hour = f"{an_hour_ago:%H:%M}" if hour == "past" else hour
    refused = take(desk, article["id"], "dang", day, hour)
    assert refused.status_code == 422, refused.text
    assert "Chưa thực hiện được" in refused.text and said in refused.text
    assert 'href="#hen-ngay-publish"' in refused.text and 'aria-invalid="true"' in refused.text
    assert f'name="hen_ngay" value="{day}"' in refused.text and f'name="hen_gio" value="{hour}"' in refused.text
    stored = saved(board.client, article["id"])
    assert stored["status"] == "approved" and stored["publish_at"] is None and stored["version"] == article["version"]


def test_an_unpublication_in_the_past_is_refused(board):
    article = approved(board.client)
    desk = chief(board)
    take(desk, article["id"], "dang")
    an_hour_ago = in_vietnam(-3600)
    refused = take(desk, article["id"], "go-xuong", an_hour_ago.date().isoformat(), f"{an_hour_ago:%H:%M}")
    assert refused.status_code == 422 and "Thời điểm hẹn gỡ xuống đã qua" in refused.text
    assert saved(board.client, article["id"])["status"] == "published"

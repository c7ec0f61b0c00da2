"""A unit's dashboard (/quan-tri/{unit}) shows each member what waits for them, through the
real content and ranking services; the unit chooser (/quan-tri) groups units by level and
filters them without JavaScript."""
import html
import re
from datetime import timedelta

import pytest

from services.content.database import now
from services.content.service import ContentService
from services.ranking.service import RankingService
from tests.drive import acting
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.gateway.workspace_desk import PASSWORD, Desk
from tests.servers import wait_for

BODY = "<p>Nội dung bài viết.</p>"
QUESTION = {"asker_name": "Nguyễn Văn An", "asker_email": "an@example.vn", "title": "Cấp lại giấy khai sinh",
            "question": "Tôi cần chuẩn bị giấy tờ gì?"}


@pytest.fixture
def portal_services(request):
    return getattr(request, "param", (ContentService, RankingService))


def write(board, author: str, title: str, *steps: tuple[str, str, dict]) -> dict:
    """An article by `author`, taken through `steps`: (actor, step, options)."""
    with board.pool.services() as services:
        article = services.content.create_article(acting(author), "phu-mau",
                                                  {"title": title, "summary": f"Tóm tắt: {title}.", "body_html": BODY})
        for actor, step, options in steps:
            article = services.content.move_article(acting(actor), article["id"], step,
                                                    {"version": article["version"], **options})
    return article


def text(page) -> str:
    """The page's text as read, without markup and with single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def dashboard(board, username: str):
    desk = Desk(board.client)
    landed = desk.sign_in(username)  # a member of one unit lands on its dashboard
    assert landed.status_code == 200, landed.text
    assert "<h1>Tổng quan</h1>" in landed.text
    return landed


def test_an_author_sees_their_drafts_and_what_was_sent_back_with_the_reviewers_comment(board):
    draft = write(board, "tac-gia", "Bản tin nông thôn mới")
    sent_back = write(board, "tac-gia", "Hội nghị tổng kết năm", ("tac-gia", "submit", {}),
                      ("bien-tap", "reject", {"comment": "Bổ sung số liệu và ảnh hội nghị"}))
    write(board, "bien-tap", "Nháp của người khác")

    page = dashboard(board, "tac-gia")
    shown = text(page)
    assert f'href="/quan-tri/phu-mau/bai-viet/{draft["id"]}"' in page.text
    assert "Bản nháp của tôi (1)" in shown and "Nháp của người khác" not in shown
    assert f'href="/quan-tri/phu-mau/bai-viet/{sent_back["id"]}"' in page.text
    assert "Bài bị trả lại (1)" in shown and "Trả lại bởi Cán bộ bien-tap" in shown
    assert "Bổ sung số liệu và ảnh hội nghị" in shown
    assert 'href="/quan-tri/phu-mau/bai-viet/moi"' in page.text and "Viết bài mới" in shown
    # Reviewing and questions are not an author's: those blocks are left out.
    assert "Bài chờ tôi duyệt" not in shown and "Câu hỏi của người dân" not in shown


def test_an_editor_sees_what_waits_for_review_the_questions_waiting_and_the_empty_week_ahead(board, mongo_client,
                                                                                              portal_settings):
    submitted = write(board, "tac-gia", "Tin chờ duyệt", ("tac-gia", "submit", {}))
    with board.pool.services() as services:
        asked = services.content.ask_question("phu-mau", QUESTION)
    mongo_client[portal_settings.CONTENT_DB]["questions"].update_one(
        {"_id": asked["id"]}, {"$set": {"created_at": now() - timedelta(days=3)}})  # asked three days ago

    page = dashboard(board, "bien-tap")
    shown = text(page)
    assert "Bài chờ tôi duyệt (1)" in shown and "Tin chờ duyệt" in shown
    assert f'href="/quan-tri/phu-mau/bai-viet/{submitted["id"]}"' in page.text
    assert "Câu hỏi của người dân đang chờ (1)" in shown and "Cấp lại giấy khai sinh" in shown
    assert "đã chờ 3 ngày" in shown and f'href="/quan-tri/phu-mau/hoi-dap/{asked["id"]}"' in page.text
    assert "Lịch công tác tuần sau chưa có" in shown
    assert re.search(r'href="/quan-tri/phu-mau/lich-cong-tac/\d{4}-W\d{2}"', page.text)
    assert "Đơn vị chưa đăng bài viết nào" in shown


def test_the_editor_in_chief_sees_the_days_since_the_last_article_and_the_provisional_ranking(board, mongo_client,
                                                                                               portal_settings):
    approved = write(board, "tac-gia", "Tin đã duyệt", ("tac-gia", "submit", {}), ("bien-tap", "approve", {}))
    published = publish(board.client, title="Tin đã đăng", summary="Tóm tắt tin.")
    mongo_client[portal_settings.CONTENT_DB]["articles"].update_one(
        {"_id": published["id"]}, {"$set": {"published_at": now() - timedelta(days=4)}})
    wait_for(lambda: board.client.simulate_get("/api/units/phu-mau/ranking").status_code == 200,
             message="Phú Mậu ranked this month")

    shown = text(dashboard(board, "tong-bien-tap"))
    assert "Bài đã duyệt, chờ xuất bản (1)" in shown and approved["title"] in shown
    assert "Đã 4 ngày kể từ bài viết gần nhất" in shown
    ranking = shown[shown.index("Xếp hạng tháng này"):]
    assert re.search(r"Hạng trong cấp xã \d+/\d+ Điểm [\d.,]+/[\d.,]+", ranking), ranking
    assert "Tiêu chí có thể thêm nhiều điểm nhất" in ranking and "còn thiếu" in ranking
    assert "Chưa có số liệu xếp hạng" not in ranking


@pytest.mark.parametrize("portal_services", [(ContentService,)], indirect=True)
def test_without_the_ranking_service_the_dashboard_is_served_all_the_same(board):
    page = dashboard(board, "tong-bien-tap")
    assert page.headers["cache-control"] == "no-store"
    assert "Chưa có số liệu xếp hạng" in text(page) and "Bản nháp của tôi" in text(page)


def test_a_member_of_another_unit_has_no_dashboard_here(board):
    created = board.client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    assert created.status_code == 201, created.text
    desk = Desk(board.client)
    desk.sign_in("tac-gia")
    assert desk.get("/quan-tri/phu-da").status_code == 403


def test_the_chooser_groups_units_by_level_and_filters_them_without_javascript(board):
    client = board.client
    named = [("phu-da", "Thị trấn Phú Đa"), ("thuy-bieu", "Phường Thủy Biều"), ("huong-so", "Phường Hương Sơ")]
    for slug, name in named + [(f"xa-so-{n}", f"Xã Số {n}") for n in range(1, 11)]:
        created = client.simulate_post("/api/units", headers=PORTAL_ADMIN,
                                       json={"slug": slug, "name": name, "level": "xa", "parent": "thua-thien-hue"})
        assert created.status_code == 201, created.text
    for username, extra in (("hai-don-vi", {"roles": {"phu-mau": ["editor"], "phu-da": ["author"]}}),
                            ("van-hanh", {"platform_admin": True})):
        created = client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
            "username": username, "name": f"Cán bộ {username}", "password": PASSWORD, **extra})
        assert created.status_code == 201, created.text

    both = Desk(client)
    chooser = text(both.sign_in("hai-don-vi"))
    assert "Chọn đơn vị để làm việc" in chooser and "Xã (2)" in chooser
    # Vietnamese order within the level, each unit with the person's roles there.
    assert "Thị trấn Phú Đa Tác giả Xã Phú Mậu Biên tập viên" in chooser
    assert "Tìm đơn vị theo tên" not in chooser  # two units need no filter

    admin = Desk(client)
    every = admin.sign_in("van-hanh")
    shown = text(every)
    assert shown.index("Tỉnh (1)") < shown.index("Xã (14)") and 'name="loc"' in every.text
    filtered = text(admin.get("/quan-tri?loc=thuy bieu"))  # typed without diacritics
    assert "Phường Thủy Biều" in filtered and "Xã Phú Mậu" not in filtered and "Tỉnh Thừa Thiên Huế" not in filtered
    assert "Tìm thấy 1 đơn vị" in filtered
    assert "Không có đơn vị nào" in text(admin.get("/quan-tri?loc=khong co"))


def test_a_long_list_shows_its_first_items_and_links_to_all_of_them(board):
    for number in range(12):
        write(board, "tac-gia", f"Bản nháp số {number + 1}")
    page = dashboard(board, "tac-gia")
    assert "Bản nháp của tôi (12)" in text(page) and page.text.count('href="/quan-tri/phu-mau/bai-viet/') == 10 + 1
    assert 'href="/quan-tri/phu-mau/bai-viet?trang-thai=draft">Xem tất cả 12 bản nháp' in page.text

"""Articles through the editorial workflow, with authorisation enforced by the content service."""
import base64
import io
import time
from datetime import datetime, timedelta
from unittest import mock

import pytest
from itsdangerous import TimestampSigner
from PIL import Image

from services.common import events
from services.common.actors import ASSERTION_LIFETIME, ActorAssertions
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from services.common.events import utcnow
from services.content.database import LOCAL_TIME
from tests.content.conftest import arrived
from tests.drive import acting, call
from tests.servers import wait_for

ARTICLE = {"title": "Thừa Thiên Huế đẩy mạnh chính quyền điện tử", "summary": "Tóm tắt",
           "body_html": "<p>Nội dung</p>", "tags": ["chuyển đổi số", "chính quyền điện tử"]}


def draft(content, actor="tac-gia", **fields):
    return call(content, "create_article", acting(actor), "phu-mau", {**ARTICLE, **fields})


def step(content, actor, article, name, **options):
    return call(content, "move_article", acting(actor), article["id"], name, options)


def through_review(content, article):
    article = step(content, "tac-gia", article, "submit", version=article["version"])
    return step(content, "bien-tap", article, "approve", version=article["version"])


def test_an_article_goes_from_draft_to_published_through_the_board(board, listener):
    article = draft(board)
    assert article["status"] == "draft" and article["author"] == "tac-gia"
    assert article["slug"] == "thua-thien-hue-day-manh-chinh-quyen-dien-tu"
    article = through_review(board, article)
    assert article["status"] == "approved"
    published = step(board, "tong-bien-tap", article, "publish", version=article["version"])
    assert published["status"] == "published" and published["published_at"]

    event = arrived(events.ArticlePublished)[0]
    assert event.version == published["version"] and event.article.unit_name == "Xã Phú Mậu"
    assert event.article.tags == ["chuyển đổi số", "chính quyền điện tử"]
    assert call(board, "get_published_article", "phu-mau", published["slug"])["id"] == article["id"]


def test_each_role_may_do_only_its_part(board):
    article = draft(board)
    with pytest.raises(Forbidden):
        step(board, "tac-gia", article, "publish")           # authors do not publish
    article = step(board, "tac-gia", article, "submit")
    with pytest.raises(Forbidden):
        step(board, "tac-gia", article, "approve")           # nor review
    with pytest.raises(Forbidden):
        # once submitted, the draft is no longer the author's to change
        call(board, "update_article", acting("tac-gia"), article["id"], ARTICLE, article["version"])
    article = step(board, "bien-tap", article, "approve")
    with pytest.raises(Forbidden):
        step(board, "bien-tap", article, "publish")          # editors do not publish
    with pytest.raises(Forbidden):
        step(board, "quan-tri", article, "publish")          # the unit admin is not on the board


def test_another_units_staff_can_neither_read_drafts_nor_change_anything(board):
    article = draft(board)
    with pytest.raises(Forbidden):
        call(board, "get_article", acting("bien-tap-phu-da"), article["id"])
    with pytest.raises(Forbidden):
        call(board, "update_article", acting("bien-tap-phu-da"), article["id"], ARTICLE, 1)
    with pytest.raises(Forbidden):
        step(board, "bien-tap-phu-da", article, "force_publish", comment="Tin khẩn")
    with pytest.raises(Forbidden):
        call(board, "create_article", acting("bien-tap-phu-da"), "phu-mau", ARTICLE)
    with pytest.raises(Forbidden):
        call(board, "editorial_list", acting("bien-tap-phu-da"), "phu-mau")
    with pytest.raises(Unauthorized):
        call(board, "get_article", acting("nobody"), article["id"])
    assert call(board, "get_article", acting("tac-gia"), article["id"])["status"] == "draft"


def test_a_user_is_acted_for_only_on_the_gateways_signed_word(board):
    """Anything that reaches the broker could send a request; only one carrying the acting user's
    assertion, signed with ACTOR_SECRET and fresh, acts for that user."""
    article = draft(board)
    signed_elsewhere = ActorAssertions("another-key").sign("admin")
    with mock.patch.object(TimestampSigner, "get_timestamp", return_value=int(time.time()) - ASSERTION_LIFETIME - 5):
        stale = acting("admin")
    for claimed in ("admin", "tac-gia", signed_elsewhere, stale, acting("admin") + "x", None, "", 7):
        with pytest.raises(Unauthorized):
            call(board, "move_article", claimed, article["id"], "force_publish", {"comment": "Đăng ngay"})
        with pytest.raises(Unauthorized):
            call(board, "get_article", claimed, article["id"])
    assert call(board, "get_article", acting("tac-gia"), article["id"])["status"] == "draft"


def test_rejection_sends_the_article_back_with_a_comment(board):
    article = step(board, "tac-gia", draft(board), "submit")
    with pytest.raises(InvalidInput) as error:
        step(board, "bien-tap", article, "reject")
    assert "comment" in error.value.fields
    rejected = step(board, "bien-tap", article, "reject", comment="Cần bổ sung ảnh minh họa")
    assert rejected["status"] == "draft" and rejected["review_comment"] == "Cần bổ sung ảnh minh họa"
    with pytest.raises(Conflict):
        step(board, "bien-tap", rejected, "approve")  # drafts must be submitted again first


def test_force_publish_needs_a_reason_and_is_recorded(board):
    article = draft(board)
    with pytest.raises(InvalidInput):
        step(board, "tong-bien-tap", article, "force_publish")
    published = step(board, "tong-bien-tap", article, "force_publish", comment="Thông báo khẩn về bão")
    assert published["status"] == "published"
    entries = call(board, "audit_log", acting("quan-tri"), "phu-mau")
    forced = [e for e in entries if e["action"] == "article.force_publish"]
    assert forced[0]["actor"] == "tong-bien-tap" and forced[0]["details"]["comment"] == "Thông báo khẩn về bão"
    with pytest.raises(Forbidden):
        call(board, "audit_log", acting("tac-gia"), "phu-mau")


def test_scheduled_publish_and_unpublish_happen_on_time(board, listener):
    article = through_review(board, draft(board))
    soon = utcnow() + timedelta(seconds=2)
    scheduled = step(board, "tong-bien-tap", article, "publish", at=soon.isoformat())
    assert scheduled["status"] == "approved" and scheduled["publish_at"]
    live = wait_for(lambda: call(board, "get_article", acting("tong-bien-tap"), article["id"])["status"] == "published",
                    timeout=15, message="scheduled publish")
    assert live
    current = call(board, "get_article", acting("tong-bien-tap"), article["id"])
    step(board, "tong-bien-tap", current, "unpublish", at=(utcnow() + timedelta(seconds=1)).isoformat())
    wait_for(lambda: call(board, "get_article", acting("tong-bien-tap"), article["id"])["status"] == "unpublished",
             timeout=15, message="scheduled unpublish")
    arrived(events.ArticleUnpublished)


def test_a_withdrawn_article_says_when_it_had_been_published(board, listener):
    published = step(board, "tong-bien-tap", draft(board), "force_publish", comment="Đăng ngay")
    step(board, "tong-bien-tap", published, "unpublish")
    [withdrawn] = arrived(events.ArticleUnpublished)
    assert withdrawn.published_at.isoformat() == published["published_at"]
    [replayed] = call(board, "replay", "article")["events"]
    assert replayed["name"] == "article_unpublished"
    assert events.parse("article_unpublished", replayed["payload"]) == withdrawn


def test_every_change_is_a_revision_with_a_diff_and_a_rollback(board, listener):
    article = draft(board)
    changed = call(board, "update_article", acting("tac-gia"), article["id"],
                   {**ARTICLE, "body_html": "<p>Nội dung</p><p>Đoạn mới</p>"}, 1)
    history = call(board, "article_history", acting("bien-tap"), article["id"])
    assert [(r["version"], r["action"], r["actor"]) for r in history] == [(1, "create", "tac-gia"),
                                                                         (2, "update", "tac-gia")]
    assert history[1]["changed"] == ["body_html"]
    diff = call(board, "article_diff", acting("bien-tap"), article["id"], 1, 2)
    assert "+<p>Nội dung</p><p>Đoạn mới</p>" in diff["fields"]["body_html"]

    published = step(board, "tong-bien-tap", changed, "force_publish", comment="Đăng ngay")
    restored = call(board, "rollback_article", acting("tong-bien-tap"), article["id"],
                    {"to_version": 1, "version": published["version"]})
    assert restored["body_html"] == "<p>Nội dung</p>" and restored["version"] == 4
    updated = arrived(events.ArticleUpdated)[0]
    assert updated.version == 4 and updated.article.body_html == "<p>Nội dung</p>"
    with pytest.raises(Forbidden):
        call(board, "rollback_article", acting("bien-tap"), article["id"], {"to_version": 2, "version": 3})


def test_a_stale_writer_gets_a_conflict_and_changes_nothing(board):
    article = draft(board)
    call(board, "update_article", acting("tac-gia"), article["id"], {**ARTICLE, "title": "Tiêu đề mới"}, 1)
    with pytest.raises(Conflict) as error:
        call(board, "update_article", acting("bien-tap"), article["id"], {**ARTICLE, "title": "Ghi đè"}, 1)
    assert error.value.current_version == 2
    assert call(board, "get_article", acting("tac-gia"), article["id"])["title"] == "Tiêu đề mới"


def test_body_html_is_sanitised(board):
    article = draft(board, body_html='<p onclick="x()">Chào<script>alert(1)</script>'
                                     '<a href="javascript:alert(1)">liên kết</a><img src="a.jpg" onerror="x()"></p>')
    for forbidden in ("script", "onclick", "onerror", "javascript:"):
        assert forbidden not in article["body_html"]
    assert "Chào" in article["body_html"]


def test_fields_and_references_are_checked(board):
    with pytest.raises(InvalidInput) as error:
        call(board, "create_article", acting("tac-gia"),
             "phu-mau", {"title": "", "body_html": "<p>x</p>", "colour": "red"})
    assert set(error.value.fields) == {"title", "colour"}
    with pytest.raises(InvalidInput) as error:
        draft(board, category="khong-co")
    assert "category" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        draft(board, author="bien-tap-phu-da")
    assert "author" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        draft(board, cover={"media_id": "0" * 24, "alt": "Ảnh hội nghị"})
    assert "cover.media_id" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        draft(board, cover={"media_id": "0" * 24})
    assert "cover.alt" in error.value.fields
    with pytest.raises(NotFound):
        call(board, "create_article", acting("admin"), "khong-co", ARTICLE)  # to anyone else: Forbidden
    with pytest.raises(NotFound):
        step(board, "tong-bien-tap", {"id": "0" * 32}, "publish")


def test_categories_tags_and_dates_list_published_articles(board):
    call(board, "create_category", acting("quan-tri"), "phu-mau", {"slug": "tin-dia-phuong", "name": "Tin địa phương"})
    with pytest.raises(Forbidden):
        call(board, "create_category", acting("tac-gia"), "phu-mau", {"slug": "khac", "name": "Khác"})
    article = draft(board, category="tin-dia-phuong", featured=True)
    published = step(board, "tong-bien-tap", article, "force_publish", comment="Đăng ngay")
    draft(board, title="Bản nháp chưa đăng")
    assert [a["id"] for a in call(board, "latest_articles", "phu-mau", 10, "tin-dia-phuong")["articles"]] == \
        [article["id"]]
    assert call(board, "latest_articles", "phu-mau", 10, None, "chuyển đổi số")["total"] == 1
    assert call(board, "latest_articles", "phu-mau")["total"] == 1
    local_day = published["published_at"]  # UTC; the archive uses Vietnam's calendar day
    day = datetime.fromisoformat(local_day).astimezone(LOCAL_TIME).date().isoformat()
    assert [a["id"] for a in call(board, "articles_on_date", "phu-mau", day)] == [article["id"]]
    with pytest.raises(InvalidInput):
        call(board, "articles_on_date", "phu-mau", "26/11/2026")


def test_a_home_gets_the_newest_articles_of_every_category_in_one_call(board):
    for slug, name, order in (("van-hoa", "Văn hóa", 2), ("kinh-te", "Kinh tế", 1), ("the-thao", "Thể thao", 3)):
        call(board, "create_category", acting("quan-tri"), "phu-mau", {"slug": slug, "name": name, "order": order})
    published = [step(board, "tong-bien-tap", draft(board, title=f"Tin kinh tế {n}", category="kinh-te"),
                      "force_publish", comment="Đăng ngay") for n in range(3)]
    draft(board, title="Bản nháp văn hóa", category="van-hoa")
    blocks = call(board, "latest_by_category", "phu-mau", 2)
    assert [block["category"] for block in blocks] == ["kinh-te", "van-hoa", "the-thao"]  # menu order
    assert [a["id"] for a in blocks[0]["articles"]] == [published[2]["id"], published[1]["id"]]  # newest first
    assert blocks[1]["articles"] == [] and blocks[2]["articles"] == []  # drafts are not shown
    with pytest.raises(InvalidInput):
        call(board, "latest_by_category", "phu-mau", 0)


def test_a_cover_image_uploaded_by_the_board_can_illustrate_an_article(board):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), "navy").save(buffer, "JPEG")
    data = base64.b64encode(buffer.getvalue()).decode()
    with pytest.raises(Forbidden):
        call(board, "upload_media", acting("bien-tap-phu-da"), "phu-mau", "hoi-nghi.jpg", data)
    media = call(board, "upload_media", acting("tac-gia"), "phu-mau", "hoi-nghi.jpg", data, "image/jpeg")
    assert set(media["renditions"]) == {"320", "640"}
    article = draft(board, cover={"media_id": media["id"], "alt": "Hội nghị triển khai", "caption": "Ảnh: BBT"})
    assert article["cover"]["media_id"] == media["id"]
    rendition = call(board, "open_media", media["id"], "320")
    assert rendition["content_type"] == "image/webp" and base64.b64decode(rendition["data_base64"])
    with pytest.raises(Forbidden):
        call(board, "open_media", media["id"])  # the original only for the unit's staff
    assert call(board, "open_media", media["id"], None, acting("tac-gia"))["content_type"] == "image/jpeg"


def test_a_new_category_is_announced_since_it_changes_the_units_menu(board):
    call(board, "create_category", acting("quan-tri"), "phu-mau", {"slug": "tin-dia-phuong", "name": "Tin địa phương",
                                                            "order": 3})
    with pytest.raises(Conflict):
        call(board, "create_category", acting("quan-tri"), "phu-mau", {"slug": "tin-dia-phuong", "name": "Trùng"})
    announced = arrived(events.CategoryUpdated)
    assert [(e.document_id, e.version, e.unit, e.slug, e.title, e.order) for e in announced] == [
        ("phu-mau/tin-dia-phuong", 1, "phu-mau", "tin-dia-phuong", "Tin địa phương", 3)]
    assert [c["slug"] for c in call(board, "list_categories", "phu-mau")] == ["tin-dia-phuong"]


def test_a_category_is_renamed_by_version_and_deleted_only_when_no_article_uses_it(board, listener):
    category = call(board, "create_category", acting("quan-tri"), "phu-mau",
                    {"slug": "tin-dia-phuong", "name": "Tin địa phương", "order": 3})
    change = {"name": "Tin tức địa phương", "name_en": "Local news", "order": 1, "version": category["version"]}
    with pytest.raises(Forbidden):
        call(board, "update_category", acting("bien-tap-phu-da"), "phu-mau", "tin-dia-phuong", change)
    renamed = call(board, "update_category", acting("quan-tri"), "phu-mau", "tin-dia-phuong", change)
    assert (renamed["name"], renamed["order"], renamed["version"]) == ("Tin tức địa phương", 1, 2)
    with pytest.raises(Conflict) as stale:
        call(board, "update_category", acting("quan-tri"), "phu-mau", "tin-dia-phuong", change)
    assert stale.value.current_version == 2
    with pytest.raises(InvalidInput) as invalid:
        call(board, "update_category", acting("quan-tri"), "phu-mau", "tin-dia-phuong", {"name": "x", "slug": "y"})
    assert set(invalid.value.fields) == {"name", "slug", "version"}
    with pytest.raises(NotFound):
        call(board, "update_category", acting("quan-tri"), "phu-mau", "khong-co", {**change, "version": 1})
    updated = arrived(events.CategoryUpdated, 2)
    assert [(e.version, e.title, e.order) for e in updated] == [(1, "Tin địa phương", 3), (2, "Tin tức địa phương", 1)]

    article = draft(board, category="tin-dia-phuong")
    with pytest.raises(Conflict):
        call(board, "delete_category", acting("quan-tri"), "phu-mau", "tin-dia-phuong")
    call(board, "update_article", acting("tac-gia"), article["id"], {**ARTICLE, "category": None}, article["version"])
    with pytest.raises(Forbidden):
        call(board, "delete_category", acting("tac-gia"), "phu-mau", "tin-dia-phuong")
    assert call(board, "delete_category", acting("quan-tri"), "phu-mau", "tin-dia-phuong")["deleted"] is True
    assert call(board, "list_categories", "phu-mau") == []
    [removed] = arrived(events.CategoryRemoved)
    assert (removed.document_id, removed.version, removed.unit, removed.slug) == (
        "phu-mau/tin-dia-phuong", 3, "phu-mau", "tin-dia-phuong")
    with pytest.raises(NotFound):
        call(board, "delete_category", acting("quan-tri"), "phu-mau", "tin-dia-phuong")


def test_a_categorys_revisions_are_compared_and_restored_as_an_announced_new_version(board, listener):
    def change(name, version, order=3):
        return call(board, "update_category", acting("quan-tri"), "phu-mau", "tin-dia-phuong",
                    {"name": name, "name_en": "Local news", "order": order, "version": version})

    def rollback(to_version, version, actor="quan-tri", slug="tin-dia-phuong"):
        return call(board, "rollback_category", acting(actor), "phu-mau", slug,
                    {"to_version": to_version, "version": version})

    call(board, "create_category", acting("quan-tri"), "phu-mau",
         {"slug": "tin-dia-phuong", "name": "Tin địa phương", "order": 3})
    change("Tin tức địa phương", 1, order=1)
    history = call(board, "category_history", acting("quan-tri"), "phu-mau", "tin-dia-phuong")
    assert [(r["version"], r["action"], r["changed"]) for r in history] == [
        (1, "create", ["name", "name_en", "order"]), (2, "update", ["name", "name_en", "order"])]
    assert [r["version"] for r in call(board, "category_history", acting("quan-tri"), "phu-mau",
                                       "tin-dia-phuong", 1, 1)] == [2]
    diff = call(board, "category_diff", acting("quan-tri"), "phu-mau", "tin-dia-phuong", 1, 2)
    assert sorted(diff["fields"]) == ["name", "name_en", "order"]

    with pytest.raises(Conflict) as stale:
        rollback(1, 1)
    assert stale.value.current_version == 2
    with pytest.raises(NotFound):
        rollback(7, 2)
    with pytest.raises(NotFound):
        rollback(1, 1, slug="khong-co")
    for outsider in ("bien-tap-phu-da", "tong-bien-tap"):
        for method, args in (("rollback_category", ({"to_version": 1, "version": 2},)),
                             ("category_history", ()), ("category_diff", (1, 2))):
            with pytest.raises(Forbidden):
                call(board, method, acting(outsider), "phu-mau", "tin-dia-phuong", *args)
    restored = rollback(1, 2)
    assert (restored["name"], restored["name_en"], restored["order"], restored["version"]) == (
        "Tin địa phương", "", 3, 3)
    assert call(board, "list_categories", "phu-mau") == [restored]
    updated = arrived(events.CategoryUpdated, 3)
    assert [(e.version, e.title, e.order) for e in updated][-1] == (3, "Tin địa phương", 3)
    last = call(board, "category_history", acting("quan-tri"), "phu-mau", "tin-dia-phuong")[-1]
    assert (last["version"], last["action"], last["comment"]) == (3, "rollback", "restored version 1")


def test_a_category_made_again_carries_on_from_its_deletion(board, listener):
    call(board, "create_category", acting("quan-tri"), "phu-mau", {"slug": "su-kien", "name": "Sự kiện"})
    call(board, "delete_category", acting("quan-tri"), "phu-mau", "su-kien")
    with pytest.raises(NotFound):
        call(board, "category_history", acting("quan-tri"), "phu-mau", "su-kien")
    again = call(board, "create_category", acting("quan-tri"), "phu-mau", {"slug": "su-kien", "name": "Lễ hội"})
    assert again["version"] == 3
    history = call(board, "category_history", acting("quan-tri"), "phu-mau", "su-kien")
    assert [(r["version"], r["action"]) for r in history] == [(1, "create"), (2, "delete"), (3, "create")]
    restored = call(board, "rollback_category", acting("quan-tri"), "phu-mau", "su-kien",
                    {"to_version": 1, "version": 3})
    assert (restored["name"], restored["version"]) == ("Sự kiện", 4)
    [removed] = arrived(events.CategoryRemoved)
    announced = arrived(events.CategoryUpdated, 3)
    assert [e.version for e in announced] == [1, 3, 4] and removed.version == 2


def test_published_articles_are_paged_filtered_and_sorted(board):
    call(board, "create_category", acting("quan-tri"), "phu-mau", {"slug": "thong-bao", "name": "Thông báo"})
    published = []
    for number in range(3):
        article = draft(board, title=f"Thông báo số {number + 1}", category="thong-bao" if number else None,
                        featured=number == 2)
        published.append(step(board, "tong-bien-tap", article, "force_publish", comment="Đăng ngay"))
    draft(board, title="Bản nháp chưa đăng")
    newest_first = [article["id"] for article in reversed(published)]

    def listed(**listing):
        return [article["id"] for article in call(board, "published_articles", "phu-mau", listing)]

    assert listed() == newest_first
    assert listed(sort="published_at") == newest_first[::-1]
    assert listed(limit=2) == newest_first[:2] and listed(skip=2, limit=2) == newest_first[2:]
    assert listed(category="thong-bao") == newest_first[:2]
    assert listed(featured="true") == newest_first[:1] and listed(featured=False) == newest_first[1:]
    assert listed(tag="chuyển đổi số") == newest_first
    day = datetime.fromisoformat(published[0]["published_at"]).astimezone(LOCAL_TIME).date()
    assert listed(day=day.isoformat()) == newest_first and listed(day="2020-01-01") == []
    with pytest.raises(InvalidInput) as invalid:
        listed(sort="title", limit=0, skip=-1, featured="maybe", day="31/12/2026", category="Thông Báo", tag="")
    assert set(invalid.value.fields) == {"sort", "limit", "skip", "featured", "day", "category", "tag"}
    with pytest.raises(NotFound):
        call(board, "published_articles", "khong-co", {})


def test_the_editorial_list_is_paged_and_filtered_by_a_known_state(board):
    first, second = draft(board, title="Bài thứ nhất"), draft(board, title="Bài thứ hai")
    step(board, "tac-gia", first, "submit", version=first["version"])

    def listed(actor="bien-tap", **listing):
        return [article["id"] for article in call(board, "editorial_list", acting(actor), "phu-mau", **listing)]

    assert listed() == [first["id"], second["id"]]  # the latest change first
    assert listed(sort="updated_at") == [second["id"], first["id"]]
    assert listed(status="draft") == [second["id"]] and listed(limit=1, skip=1) == [second["id"]]
    with pytest.raises(InvalidInput) as invalid:
        listed(status="published-ish", sort="-title")
    assert set(invalid.value.fields) == {"status", "sort"}
    with pytest.raises(Forbidden):
        listed("bien-tap-phu-da")


def test_an_article_change_names_its_version_with_its_fields(board):
    article = draft(board)
    changed = call(board, "update_article", acting("tac-gia"), article["id"],
                   {**ARTICLE, "title": "Tiêu đề đã sửa", "version": article["version"]})
    assert changed["title"] == "Tiêu đề đã sửa" and changed["version"] == 2
    with pytest.raises(InvalidInput) as invalid:
        call(board, "update_article", acting("tac-gia"), article["id"], ARTICLE)
    assert set(invalid.value.fields) == {"version"}
    with pytest.raises(InvalidInput) as invalid:
        step(board, "tac-gia", changed, "submit", version=2, at="2030-01-01T08:00:00+07:00")
    assert set(invalid.value.fields) == {"at"}
    revisions = call(board, "article_history", acting("bien-tap"), article["id"], skip=1, limit=1)
    assert [revision["version"] for revision in revisions] == [2]

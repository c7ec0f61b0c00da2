"""The dashboard's summary: what waits for each member of a unit's board, in one call."""
from datetime import timedelta

import pytest

from services.common.errors import Forbidden, NotFound
from services.content.database import LOCAL_TIME, now
from tests.drive import acting, call

BODY = "<p>Nội dung bài viết.</p>"


def write(content, author, title):
    return call(content, "create_article", acting(author), "phu-mau",
                {"title": title, "summary": f"Tóm tắt: {title}.", "body_html": BODY})


def step(content, actor, article, name, **options):
    return call(content, "move_article", acting(actor), article["id"], name, {"version": article["version"], **options})


def summary(content, actor, unit="phu-mau"):
    return call(content, "workspace_summary", acting(actor), unit)


def titles(block):
    return [item["title"] for item in block["items"]]


def test_each_member_sees_what_waits_for_them(board, stores):
    write(board, "tac-gia", "Bản nháp của tác giả")
    submitted = step(board, "tac-gia", write(board, "tac-gia", "Bài chờ duyệt"), "submit")
    sent_back = step(board, "tac-gia", write(board, "tac-gia", "Bài bị trả lại"), "submit")
    step(board, "bien-tap", sent_back, "reject", comment="Thiếu nguồn tin, bổ sung giúp")
    approved = step(board, "bien-tap", step(board, "tac-gia", write(board, "tac-gia", "Bài đã duyệt"), "submit"),
                    "approve")
    later = step(board, "bien-tap", step(board, "tac-gia", write(board, "tac-gia", "Bài hẹn giờ"), "submit"),
                 "approve")
    step(board, "tong-bien-tap", later, "publish", at=(now() + timedelta(days=2)).isoformat())
    write(board, "bien-tap", "Nháp của biên tập viên")

    author = summary(board, "tac-gia")
    assert titles(author["drafts"]) == ["Bản nháp của tác giả"] and author["drafts"]["total"] == 1
    [rejected] = author["rejected"]["items"]
    assert (rejected["title"], rejected["review_comment"]) == ("Bài bị trả lại", "Thiếu nguồn tin, bổ sung giúp")
    assert rejected["rejected_by"] == "Bien Tap" and rejected["rejected_at"]
    assert titles(author["scheduled"]) == ["Bài hẹn giờ"]
    # An author reviews, publishes and moderates nothing: those blocks are not theirs.
    assert (author["to_review"], author["to_publish"], author["questions"], author["next_week"]) == (None,) * 4

    editor = summary(board, "bien-tap")
    assert titles(editor["to_review"]) == ["Bài chờ duyệt"] and editor["to_review"]["items"][0]["id"] == submitted["id"]
    assert titles(editor["drafts"]) == ["Nháp của biên tập viên"] and editor["rejected"]["total"] == 0
    assert editor["to_publish"] is None and editor["questions"] == {"items": [], "total": 0}

    chief = summary(board, "tong-bien-tap")
    assert [item["id"] for item in chief["to_publish"]["items"]] == [approved["id"]]  # the scheduled one is apart
    assert titles(chief["scheduled"]) == ["Bài hẹn giờ"] and chief["scheduled"]["items"][0]["publish_at"]
    assert chief["level_name"] == "Xã, phường, thị trấn"


def test_questions_waiting_show_the_days_they_have_waited(board, stores):
    question = {"asker_name": "Nguyễn Văn An", "asker_email": "an@example.vn", "title": "Cấp lại sổ hộ khẩu",
                "question": "Tôi cần giấy tờ gì để làm lại?"}
    old = call(board, "ask_question", "phu-mau", question)
    new = call(board, "ask_question", "phu-mau", {**question, "title": "Đăng ký khai sinh"})
    answered = call(board, "ask_question", "phu-mau", {**question, "title": "Đã được trả lời"})
    call(board, "accept_question", acting("bien-tap"), old["id"])
    call(board, "accept_question", acting("bien-tap"), answered["id"])
    call(board, "answer_question", acting("bien-tap"), answered["id"], {"answer_html": "<p>Trả lời.</p>"})
    stores.db["questions"].update_one({"_id": old["id"]}, {"$set": {"created_at": now() - timedelta(days=5)}})

    waiting = summary(board, "bien-tap")["questions"]
    assert waiting["total"] == 2
    assert [(item["id"], item["status"], item["days_waited"]) for item in waiting["items"]] == [
        (old["id"], "accepted", 5), (new["id"], "pending", 0)]
    assert waiting["items"][0]["path"] == f"/phu-mau/hoi-dap/{old['id']}"


def test_next_week_and_the_last_publication(board, stores):
    chief = summary(board, "tong-bien-tap")
    today = now().astimezone(LOCAL_TIME).date()
    monday = today + timedelta(days=7 - today.weekday())
    year, week, _ = monday.isocalendar()
    assert chief["next_week"] == {
        "week": f"{year}-W{week:02d}", "starts_on": monday.isoformat(),
        "ends_on": (monday + timedelta(days=6)).isoformat(), "path": f"/phu-mau/lich-cong-tac/{year}-W{week:02d}",
        "entries": 0, "published_entries": 0}
    assert (chief["last_published_at"], chief["days_since_publication"]) == (None, None)

    call(board, "create_schedule", acting("bien-tap"), "phu-mau", chief["next_week"]["week"], {"entries": [
        {"start": f"{monday.isoformat()}T07:30", "leader": "Chủ tịch UBND xã", "title": "Giao ban",
         "location": "Hội trường"}]})
    assert summary(board, "bien-tap")["next_week"]["entries"] == 1

    article = write(board, "tong-bien-tap", "Tin đã đăng")
    step(board, "tong-bien-tap", article, "force_publish", comment="Đăng ngay")
    assert summary(board, "tong-bien-tap")["days_since_publication"] == 0
    stores.db["articles"].update_one({"_id": article["id"]}, {"$set": {"published_at": now() - timedelta(days=9)}})
    assert summary(board, "quan-tri")["days_since_publication"] == 9


def test_only_the_units_members_have_a_summary(board):
    with pytest.raises(Forbidden):
        summary(board, "bien-tap-phu-da")  # Phú Đa's editor-in-chief, next door
    assert summary(board, "admin")["drafts"]["total"] == 0  # a platform admin may look at any unit
    with pytest.raises(NotFound):
        summary(board, "admin", unit="khong-co")

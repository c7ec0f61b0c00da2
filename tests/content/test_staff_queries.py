"""What the notify service asks content before writing to a unit's staff: who they are (with
their roles and addresses), which units have citizens waiting too long for an answer, and which
have published no leadership schedule for a week."""
from datetime import timedelta

import pytest

from services.common.errors import InvalidInput, NotFound
from services.content.database import now
from tests.content.test_questions import ask
from tests.content.test_schedules import ENTRIES, WEEK, create, publish
from tests.drive import acting, call


def test_a_units_staff_come_with_their_roles_there_and_their_addresses(board):
    call(board, "create_user", acting("admin"), {
        "username": "pho-tong-bien-tap", "name": "Phó Tổng biên tập", "email": "ptbt@phumau.example.com",
        "roles": {"phu-mau": ["editor", "editor_in_chief"], "phu-da": ["author"]}})
    staff = {person["username"]: person for person in call(board, "unit_staff", "phu-mau")}
    assert sorted(staff) == ["bien-tap", "pho-tong-bien-tap", "quan-tri", "tac-gia", "tong-bien-tap"]
    assert staff["pho-tong-bien-tap"] == {"username": "pho-tong-bien-tap", "name": "Phó Tổng biên tập",
                                          "email": "ptbt@phumau.example.com", "roles": ["editor", "editor_in_chief"]}
    assert staff["quan-tri"]["roles"] == ["unit_admin"] and staff["quan-tri"]["email"] == ""
    assert [person["username"] for person in call(board, "unit_staff", "phu-da")] == [
        "bien-tap-phu-da", "pho-tong-bien-tap"]
    with pytest.raises(NotFound):
        call(board, "unit_staff", "khong-co")
    with pytest.raises(InvalidInput):
        call(board, "unit_staff", "Không hợp lệ")


def test_units_with_questions_waiting_longer_than_the_days_asked(board, mongo_client, settings):
    old = ask(board, title="Hỏi về cấp phép xây dựng")
    ask(board, title="Hỏi về đất đai")  # asked today: not yet too long
    ask(board, unit="phu-da")
    questions = mongo_client[settings.CONTENT_DB]["questions"]
    questions.update_one({"_id": old["id"]}, {"$set": {"created_at": now() - timedelta(days=9)}})

    waiting = call(board, "units_with_waiting_questions", 7)
    assert [(unit["unit"], unit["waiting"]) for unit in waiting] == [("phu-mau", 1)]
    assert call(board, "units_with_waiting_questions", 10) == []
    call(board, "reject_question", acting("bien-tap"), old["id"], {"reason": "Câu hỏi trùng lặp", "version": 1})
    assert call(board, "units_with_waiting_questions", 7) == []  # a rejected question waits for nothing
    with pytest.raises(InvalidInput):
        call(board, "units_with_waiting_questions", 0)


def test_units_without_a_published_schedule_for_a_week(board):
    publish(board, create(board, ENTRIES))
    assert call(board, "units_without_schedule", WEEK) == ["phu-da", "phu-vang", "thua-thien-hue"]
    create(board, [{"start": "2026-12-01T07:30", "leader": ENTRIES[0]["leader"], "title": "Giao ban"}],
           week="2026-W49")  # a draft is not published
    assert "phu-mau" in call(board, "units_without_schedule", "2026-W49")
    with pytest.raises(InvalidInput):
        call(board, "units_without_schedule", "2026-W60")

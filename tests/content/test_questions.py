"""Citizens' questions ("hỏi đáp"): asked on the site, moderated, answered, published."""
import re

import eventlet
import pytest

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from services.content.questions.schemas import QuestionInput
from services.content.validation import validate
from tests.content.conftest import arrived, received
from tests.drive import acting, call

QUESTION = {"asker_name": "Nguyễn Văn An", "asker_email": "an.nguyen@example.vn", "asker_phone": "0234 3812 345",
            "title": "Thủ tục cấp giấy chứng nhận quyền sử dụng đất",
            "question": "Gia đình tôi muốn làm sổ đỏ cho mảnh đất ở thôn Diên Đại.\nCần những giấy tờ gì?"}
ANSWER = "<p>Chào ông An, hồ sơ gồm đơn đề nghị và giấy tờ về quyền sử dụng đất.</p>"


def ask(content, unit="phu-mau", **fields):
    return call(content, "ask_question", unit, {**QUESTION, **fields})


def accept(content, question, actor="bien-tap"):
    return call(content, "accept_question", acting(actor), question["id"])


def answer(content, question, actor="bien-tap", html=ANSWER, **options):
    return call(content, "answer_question", acting(actor), question["id"], {"answer_html": html, **options})


def publish(content, question, actor="tong-bien-tap", **options):
    return call(content, "publish_question", acting(actor), question["id"], options)


def reject(content, question, reason, actor="bien-tap"):
    return call(content, "reject_question", acting(actor), question["id"], {"reason": reason})


def answered(content):
    return answer(content, accept(content, ask(content)))


def test_a_question_goes_from_the_site_to_a_published_answer(board, listener):
    asked = ask(board)
    assert set(asked) == {"id", "reference", "status"} and asked["status"] == "pending"
    assert re.fullmatch(r"HD-\d{4}-\d{6}", asked["reference"])
    with pytest.raises(NotFound):
        call(board, "get_question", "phu-mau", asked["id"])

    accepted = accept(board, asked)
    assert accepted["status"] == "accepted" and accepted["version"] == 2
    reply = answer(board, accepted, version=accepted["version"])
    assert reply["status"] == "answered" and reply["answered_by"] == "Bien Tap"
    assert call(board, "list_questions", "phu-mau")["total"] == 0  # answered, not yet published
    published = publish(board, reply, version=reply["version"])
    assert published["status"] == "published" and published["version"] == 4

    event = arrived(events.QuestionAnswered)[0]
    assert event.document_id == asked["id"] and event.version == 4
    assert event.question.unit_name == "Xã Phú Mậu" and event.question.path == f"/phu-mau/hoi-dap/{asked['id']}"
    assert event.question.answer_html == ANSWER and event.question.asker_name == "Nguyễn Văn An"
    payload = str(events.to_message(event)[1])
    assert QUESTION["asker_email"] not in payload and QUESTION["asker_phone"] not in payload

    public = call(board, "get_question", "phu-mau", asked["id"])
    assert public["question"] == QUESTION["question"] and public["answer_html"] == ANSWER
    assert not {"asker_email", "asker_phone", "status"} & set(public)
    listing = call(board, "list_questions", "phu-mau")
    assert listing["total"] == 1 and listing["questions"] == [public]
    with pytest.raises(NotFound):
        call(board, "get_question", "phu-da", asked["id"])  # only at its own unit's address

    queue = call(board, "question_queue", acting("bien-tap"), "phu-mau", "published")["questions"]
    assert queue[0]["asker_email"] == QUESTION["asker_email"] and queue[0]["reference"] == asked["reference"]


def test_re_answering_a_published_question_republishes_it_with_a_higher_version(board, listener):
    published = publish(board, answered(board))
    corrected = answer(board, published, html="<p>Hồ sơ nộp tại bộ phận một cửa.</p>", version=published["version"])
    assert corrected["status"] == "published" and corrected["version"] == published["version"] + 1

    answers = arrived(events.QuestionAnswered, 2)
    assert [event.version for event in answers] == [published["version"], corrected["version"]]
    assert answers[-1].question.answer_html == "<p>Hồ sơ nộp tại bộ phận một cửa.</p>"
    assert call(board, "get_question", "phu-mau", published["id"])["answer_html"] == corrected["answer_html"]
    history = call(board, "question_history", acting("tong-bien-tap"), published["id"])
    assert [entry["action"] for entry in history] == ["ask", "accept", "answer", "publish", "answer"]
    assert history[0]["actor"] == "cong-dan" and history[-1]["changed"] == ["answer_html"]


def test_an_earlier_answer_is_compared_and_restored_as_a_new_version_in_the_same_state(board, listener):
    corrected_html = "<p>Hồ sơ nộp tại bộ phận một cửa của UBND xã.</p>"
    first = answered(board)                                   # version 3, answered
    corrected = answer(board, first, html=corrected_html, version=first["version"])
    question_id = corrected["id"]
    diff = call(board, "question_diff", acting("bien-tap"), question_id, 3, 4)
    assert list(diff["fields"]) == ["answer_html"] and (diff["from"], diff["to"]) == (3, 4)

    def rollback(to_version, version, actor="bien-tap"):
        return call(board, "rollback_question", acting(actor), question_id, {"to_version": to_version,
                                                                             "version": version})

    with pytest.raises(Conflict) as stale:
        rollback(3, 3)
    assert stale.value.current_version == 4
    with pytest.raises(NotFound):
        rollback(9, 4)
    with pytest.raises(InvalidInput) as error:
        rollback(1, 4)                                        # asked: no answer yet to restore
    assert "to_version" in error.value.fields
    for outsider in ("bien-tap-phu-da", "tac-gia"):
        with pytest.raises(Forbidden):
            rollback(3, 4, actor=outsider)
    restored = rollback(3, 4)
    assert (restored["version"], restored["status"], restored["answer_html"]) == (5, "answered", ANSWER)
    with pytest.raises(NotFound):
        call(board, "get_question", "phu-mau", question_id)   # restoring publishes nothing by itself

    published = publish(board, restored, version=5)
    again = answer(board, published, html=corrected_html, version=6)
    back = rollback(5, again["version"], actor="tong-bien-tap")
    assert (back["version"], back["status"], back["answered_by"]) == (8, "published", "Tong Bien Tap")
    answers = arrived(events.QuestionAnswered, 3)
    assert [(event.version, event.question.answer_html) for event in answers] == [
        (6, ANSWER), (7, corrected_html), (8, ANSWER)]
    assert call(board, "get_question", "phu-mau", question_id)["answer_html"] == ANSWER
    history = call(board, "question_history", acting("bien-tap"), question_id)
    assert [(r["action"], r["comment"]) for r in history[-2:]] == [("answer", ""), ("rollback", "restored version 5")]


def test_a_rejected_or_unanswered_question_has_no_answer_to_restore(board):
    rejected = reject(board, answered(board), "Trùng với câu hỏi đã trả lời")
    accepted = accept(board, ask(board))
    for question in (rejected, accepted):
        with pytest.raises(Conflict) as refused:
            call(board, "rollback_question", acting("bien-tap"), question["id"],
                 {"to_version": 3, "version": question["version"]})
        assert refused.value.current_version == question["version"]
        current = call(board, "get_question_for_staff", acting("bien-tap"), question["id"])
        assert (current["status"], current["version"]) == (question["status"], question["version"])
    with pytest.raises(InvalidInput) as error:
        call(board, "rollback_question", acting("bien-tap"), rejected["id"], {"to_version": 0})
    assert set(error.value.fields) == {"to_version", "version"}


def test_a_rejected_question_needs_a_reason_and_is_never_public(board):
    asked = ask(board)
    with pytest.raises(InvalidInput) as error:
        call(board, "reject_question", acting("bien-tap"), asked["id"], {})
    assert "reason" in error.value.fields
    rejected = reject(board, asked, "Nội dung không thuộc thẩm quyền")
    assert rejected["status"] == "rejected" and rejected["rejection_reason"] == "Nội dung không thuộc thẩm quyền"
    assert rejected["version"] == 2  # the refused rejection wrote nothing
    for step in (lambda: answer(board, asked), lambda: publish(board, asked), lambda: accept(board, asked)):
        with pytest.raises(Conflict):
            step()
    with pytest.raises(NotFound):
        call(board, "get_question", "phu-mau", asked["id"])
    assert call(board, "list_questions", "phu-mau")["total"] == 0
    with pytest.raises(InvalidInput) as error:
        call(board, "reject_question", acting("bien-tap"), asked["id"], {"reason": "Trùng lặp", "decision": "maybe"})
    assert "decision" in error.value.fields  # a field no step takes is refused, not ignored


def test_each_step_waits_for_the_one_before(board):
    asked = ask(board)
    with pytest.raises(Conflict):
        answer(board, asked)                   # a pending question is not answered
    with pytest.raises(Conflict):
        publish(board, asked)
    accepted = accept(board, asked)
    with pytest.raises(Conflict):
        publish(board, accepted)               # nor an unanswered one published
    with pytest.raises(Conflict):
        accept(board, accepted)
    published = publish(board, answer(board, accepted))
    with pytest.raises(Conflict):
        reject(board, published, "Đã trả lời rồi")


def test_each_role_may_do_only_its_part(board):
    asked = ask(board)
    with pytest.raises(Forbidden):
        accept(board, asked, actor="tac-gia")  # authors do not moderate
    with pytest.raises(Forbidden):
        call(board, "question_queue", acting("tac-gia"), "phu-mau")
    accepted = accept(board, asked)
    with pytest.raises(Forbidden):
        answer(board, accepted, actor="quan-tri")  # the unit admin is not on the board
    reply = answer(board, accepted)
    with pytest.raises(Forbidden):
        publish(board, reply, actor="bien-tap")  # editors do not publish
    assert publish(board, reply)["status"] == "published"


def test_another_units_staff_is_forbidden_at_every_step(board):
    stranger = "bien-tap-phu-da"
    asked = ask(board)
    with pytest.raises(Forbidden):
        accept(board, asked, actor=stranger)
    accepted = accept(board, asked)
    with pytest.raises(Forbidden):
        answer(board, accepted, actor=stranger)
    reply = answer(board, accepted)
    with pytest.raises(Forbidden):
        publish(board, reply, actor=stranger)
    for method, args in (("question_queue", ("phu-mau",)), ("get_question_for_staff", (asked["id"],)),
                         ("question_history", (asked["id"],)), ("question_diff", (asked["id"], 1, 2)),
                         ("rollback_question", (asked["id"], {"to_version": 3, "version": 3}))):
        with pytest.raises(Forbidden):
            call(board, method, acting(stranger), *args)
    with pytest.raises(Unauthorized):
        accept(board, asked, actor="nobody")
    assert call(board, "get_question_for_staff", acting("bien-tap"), asked["id"])["status"] == "answered"


def test_a_question_is_checked_field_by_field(board):
    with pytest.raises(InvalidInput) as error:
        ask(board, asker_email="khong-phai-email", question="   ", title="x" * 251, asker_phone="gọi tôi", extra=1)
    assert set(error.value.fields) == {"asker_email", "question", "title", "asker_phone", "extra"}
    with pytest.raises(InvalidInput) as error:
        ask(board, question="Hỏi " * 2000)
    assert set(error.value.fields) == {"question"}
    with pytest.raises(InvalidInput) as error:
        call(board, "ask_question", "phu-mau", {"title": "Câu hỏi không có người hỏi"})
    assert {"asker_name", "asker_email", "question"} <= set(error.value.fields)
    with pytest.raises(NotFound):
        ask(board, unit="khong-co")
    with pytest.raises(NotFound):
        call(board, "list_questions", "khong-co")
    with pytest.raises(InvalidInput) as error:
        call(board, "list_questions", "phu-mau", -1, 1000)
    assert set(error.value.fields) == {"skip", "limit"}
    with pytest.raises(InvalidInput) as error:
        call(board, "question_queue", acting("bien-tap"), "phu-mau", "lost")
    assert "status" in error.value.fields
    with pytest.raises(NotFound):
        accept(board, {"id": "0" * 32})


def test_a_question_is_kept_as_plain_text_and_the_asker_contact_stays_private(board):
    asked = ask(board, asker_name="  Trần   Thị  Bình ", asker_email="Binh@Example.VN",
                title="Hỏi\tvề <b>học phí</b>", question="Dòng một   \r\n\r\n\r\n\r\nDòng hai <script>x</script>")
    staff = call(board, "get_question_for_staff", acting("bien-tap"), asked["id"])
    assert staff["asker_name"] == "Trần Thị Bình" and staff["asker_email"] == "binh@example.vn"
    assert staff["title"] == "Hỏi về <b>học phí</b>"  # text, escaped by the portal when shown
    assert staff["question"] == "Dòng một\n\nDòng hai <script>x</script>"
    audit = call(board, "audit_log", acting("quan-tri"), "phu-mau")
    assert [e["action"] for e in audit if e["target"] == asked["id"]] == ["question.ask"] and "binh@" not in str(audit)


def test_the_answer_is_sanitised(board):
    accepted = accept(board, ask(board))
    reply = answer(board, accepted, html='<p onclick="x()">Trả lời<script>alert(1)</script>'
                                        '<a href="javascript:alert(1)">xem thêm</a></p>')
    for forbidden in ("script", "onclick", "javascript:"):
        assert forbidden not in reply["answer_html"]
    assert "Trả lời" in reply["answer_html"]
    with pytest.raises(InvalidInput) as error:
        answer(board, reply, html="<script>alert(1)</script>")
    assert "answer_html" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        answer(board, reply, html="")
    assert "answer_html" in error.value.fields


def test_a_stale_writer_gets_a_conflict_and_changes_nothing(board):
    accepted = accept(board, ask(board))
    first = answer(board, accepted, version=accepted["version"])
    with pytest.raises(Conflict) as error:
        answer(board, accepted, html="<p>Ghi đè</p>", version=accepted["version"])
    assert error.value.current_version == first["version"]
    with pytest.raises(Conflict):
        publish(board, accepted, version=accepted["version"])
    current = call(board, "get_question_for_staff", acting("bien-tap"), accepted["id"])
    assert current["answer_html"] == ANSWER and current["version"] == first["version"]
    with pytest.raises(InvalidInput) as error:
        publish(board, first, version="3")
    assert "version" in error.value.fields


def test_a_question_is_announced_waiting_when_asked_and_again_when_rejected_without_its_words(board, listener):
    asked = ask(board)
    [waiting] = arrived(events.QuestionReceived)
    staff = call(board, "get_question_for_staff", acting("bien-tap"), asked["id"])
    assert (waiting.document_id, waiting.version, waiting.unit, waiting.state) == (asked["id"], 1, "phu-mau", "waiting")
    assert waiting.asked_at.isoformat() == waiting.occurred_at.isoformat() == staff["asked_at"]
    payload = str(events.to_message(waiting)[1])
    for private in ("title", "question", "asker_name", "asker_email", "asker_phone"):
        assert QUESTION[private] not in payload

    # Accepting and answering concern the board only: the next event is the rejection.
    reply = answer(board, accept(board, asked))
    reject(board, asked, "Không thuộc thẩm quyền của xã")
    announced = arrived(events.QuestionReceived, 2)
    assert [(event.version, event.state) for event in announced] == [(1, "waiting"), (reply["version"] + 1, "rejected")]
    assert announced[1].asked_at == waiting.asked_at and announced[1].occurred_at > waiting.occurred_at
    assert received(events.QuestionAnswered) == []


def test_replay_gives_each_question_as_waiting_rejected_or_answered(board):
    pending, accepted, rejected = ask(board), accept(board, ask(board)), ask(board)
    unpublished = answered(board)
    rejected = reject(board, rejected, "Câu hỏi trùng lặp")
    published = publish(board, answered(board))

    replayed = {event["payload"]["document_id"]: event for event in call(board, "replay", "question")["events"]}
    states = {question["id"]: (replayed[question["id"]]["name"], replayed[question["id"]]["payload"].get("state"))
              for question in (pending, accepted, unpublished, rejected, published)}
    assert states == {pending["id"]: ("question_received", "waiting"), accepted["id"]: ("question_received", "waiting"),
                      unpublished["id"]: ("question_received", "waiting"),  # answered, not yet public
                      rejected["id"]: ("question_received", "rejected"), published["id"]: ("question_answered", None)}
    answer_event = events.parse("question_answered", replayed[published["id"]]["payload"])
    assert answer_event.version == published["version"]
    assert answer_event.question.answered_at.isoformat() == published["answered_at"]
    assert replayed[accepted["id"]]["payload"]["version"] == accepted["version"]


def test_questions_asked_at_once_get_distinct_references(tree, stores):
    questions = stores.questions
    data = validate(QuestionInput, QUESTION)
    pool = eventlet.GreenPool()
    references = list(pool.imap(lambda _: questions.ask("phu-mau", data)["reference"], range(12)))
    assert len(set(references)) == 12 and all(re.fullmatch(r"HD-\d{4}-\d{6}", r) for r in references)

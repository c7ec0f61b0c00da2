"""The question inbox: a citizen's question accepted, answered and published to the unit's
site; a rejection needs its reason; another unit's question is no page; a step sent without its
form token or on a stale version changes nothing and keeps what was typed."""

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk
from tests.gateway.workspace_forms import form_fields
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

INBOX = "/quan-tri/phu-mau/hoi-dap"
QUESTION = {"asker_name": "Nguyễn Văn Bình", "asker_email": "binh.nguyen@example.com", "asker_phone": "0905 123 456",
            "title": "Thủ tục cấp lại giấy khai sinh",
            "question": "Tôi bị mất giấy khai sinh, xin hỏi cần mang theo giấy tờ gì để được cấp lại bản sao?"}


def ask(client, unit: str = "phu-mau", **fields) -> dict:
    """A question asked as the site's form asks it."""
    asked = client.simulate_post(f"/api/units/{unit}/questions", json={**QUESTION, **fields})
    assert asked.status_code == 201, asked.text
    return asked.json


def stored(client, question_id: str) -> dict:
    return client.simulate_get(f"/api/questions/{question_id}", headers=PORTAL_ADMIN).json


def step(desk: Desk, path: str, action: str, **typed):
    """Send the page's form for `action` as it stands, with `typed` typed into it."""
    return desk.post(f"{path}/{action}", {**form_fields(desk.last.text, f"{path}/{action}"), **typed})


def test_a_question_is_accepted_answered_and_published_on_the_site(board):
    question = ask(board.client)
    path = f"{INBOX}/{question['id']}"
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    inbox = editor.get(INBOX)
    assert "Thủ tục cấp lại giấy khai sinh" in inbox.text and "0 ngày" in inbox.text and "Chờ duyệt (1)" in inbox.text
    page = editor.get(path)
    assert "binh.nguyen@example.com" in page.text and "0905 123 456" in page.text  # staff see how to reply
    assert f"{path}/dang" not in page.text  # nothing to publish yet, and an editor may not
    accepted = step(editor, path, "tiep-nhan")
    assert accepted.status_code == 200 and "Đã tiếp nhận câu hỏi" in accepted.text
    answered = step(editor, path, "tra-loi", answer="Ông/bà mang theo **căn cước công dân** đến Bộ phận một cửa.\n\n"
                                                    "Bản sao được cấp trong ngày.")
    assert answered.status_code == 200 and "Đã lưu câu trả lời" in answered.text
    answer = stored(board.client, question["id"])["answer_html"]
    assert "<p>Ông/bà mang theo <strong>căn cước công dân</strong> đến Bộ phận một cửa.</p>" in answer
    assert "<p>Bản sao được cấp trong ngày.</p>" in answer

    chief = Desk(board.client)
    chief.sign_in("tong-bien-tap")
    chief.get(path)
    published = step(chief, path, "dang")
    assert published.status_code == 200 and "Đã đăng câu trả lời" in published.text
    public = wait_for(lambda: "Thủ tục cấp lại giấy khai sinh" in (
        answer := board.client.simulate_get("/phu-mau/hoi-dap")).text and answer, timeout=30,
        message="the answer on the unit's questions page")
    assert "binh.nguyen@example.com" not in public.text
    shown = board.client.simulate_get(f"/phu-mau/hoi-dap/{question['id']}")
    assert "căn cước công dân" in shown.text and "0905 123 456" not in shown.text


def test_a_rejection_without_its_reason_is_refused_in_vietnamese(board):
    question = ask(board.client)
    path = f"{INBOX}/{question['id']}"
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(path)
    refused = step(editor, path, "tu-choi", reason="")
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text and "Nhập lý do từ chối" in refused.text
    assert stored(board.client, question["id"])["status"] == "pending"
    rejected = step(editor, path, "tu-choi", reason="Câu hỏi không thuộc thẩm quyền của UBND xã.")
    assert rejected.status_code == 200 and "Đã từ chối câu hỏi" in rejected.text
    assert stored(board.client, question["id"])["rejection_reason"] == "Câu hỏi không thuộc thẩm quyền của UBND xã."
    assert "Thủ tục cấp lại giấy khai sinh" in editor.get(f"{INBOX}?trang-thai=tu-choi").text


def test_another_units_question_by_its_id_is_no_page(board):
    client = board.client
    made = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue"})
    assert made.status_code == 201, made.text
    other = ask(client, "phu-thanh")
    editor = Desk(client)
    editor.sign_in("tong-bien-tap")
    assert editor.get(f"{INBOX}/{other['id']}").status_code == 404
    editor.get(INBOX)
    assert editor.post(f"{INBOX}/{other['id']}/tiep-nhan", {"version": "1"}).status_code == 404
    assert editor.get(f"{INBOX}/khong-co-cau-hoi-nay").status_code == 404
    assert stored(client, other["id"])["status"] == "pending"


def test_an_answer_without_its_form_token_is_refused_with_the_text_kept(board):
    question = ask(board.client)
    path = f"{INBOX}/{question['id']}"
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(path)
    step(editor, path, "tiep-nhan")
    refused = editor.post(f"{path}/tra-loi", {**form_fields(editor.last.text, f"{path}/tra-loi"),
                                              "answer": "Câu trả lời soạn kỹ mà chưa được lưu."}, token="")
    assert refused.status_code == 403
    assert "Biểu mẫu đã hết hạn" in refused.text and "Câu trả lời soạn kỹ mà chưa được lưu." in refused.text
    assert stored(board.client, question["id"])["answer_html"] == ""


def test_a_step_on_a_stale_version_changes_nothing_and_keeps_the_answer_typed(board):
    question = ask(board.client)
    path = f"{INBOX}/{question['id']}"
    first, second = Desk(board.client), Desk(board.client)
    first.sign_in("bien-tap")
    second.sign_in("tong-bien-tap")
    first.get(path)
    step(first, path, "tiep-nhan")
    second.get(path)
    step(first, path, "tra-loi", answer="Câu trả lời thứ nhất.")
    stale = step(second, path, "tra-loi", answer="Câu trả lời thứ hai, soạn cùng lúc.")
    assert stale.status_code == 409
    assert "vừa được người khác" in stale.text and "Câu trả lời thứ hai, soạn cùng lúc." in stale.text
    assert "Câu trả lời thứ nhất." in stored(board.client, question["id"])["answer_html"]


def test_the_buttons_follow_the_persons_permissions(board):
    question = ask(board.client)
    author = Desk(board.client)
    author.sign_in("tac-gia")
    assert author.get(INBOX).status_code == 403
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    page = editor.get(f"{INBOX}/{question['id']}")
    assert "Tiếp nhận câu hỏi" in page.text and "Từ chối câu hỏi" in page.text
    assert "Đăng câu trả lời" not in page.text and 'name="answer"' not in page.text


def test_an_answers_revisions_compare_it_with_its_correction(board):
    question = ask(board.client)
    path = f"{INBOX}/{question['id']}"
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(path)
    step(editor, path, "tiep-nhan")
    step(editor, path, "tra-loi", answer="Bản sao được cấp trong ba ngày.")
    corrected = step(editor, path, "tra-loi", answer="Bản sao được cấp trong ngày.")
    assert f"{path}/phien-ban" in corrected.text
    revisions = editor.get(f"{path}/phien-ban")
    assert revisions.status_code == 200, revisions.text
    assert "Bản sao được cấp trong <del>ba</del> ngày." in revisions.text

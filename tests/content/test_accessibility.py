"""Accessibility as a publishing gate: each check of services/content/accessibility.py on its own,
then the gate through the real content service (publishing refused and each problem named,
forcing with a reason still publishing, warnings on the draft, pages and answers held to it)."""
from datetime import timedelta

import pytest

from services.common.errors import InvalidInput
from services.common.events import utcnow
from services.content.accessibility import body_problems, in_capitals, problems, refusal_fields, summary_problems
from tests.drive import acting, call

CLEAN = "<h2>Kế hoạch</h2><p>UBND xã Phú Mậu tổ chức tiếp công dân định kỳ.</p>"


def codes(html: str) -> list[str]:
    return [found["code"] for found in body_problems(html)]


# The checks, one by one

def test_a_clean_body_and_summary_have_no_problem():
    assert problems(CLEAN, "Lịch tiếp công dân tháng 12.") == []
    assert body_problems('<p>Ảnh: <img src="/a.jpg" alt="Cầu Trường Tiền"></p>') == []


def test_an_image_without_alt_text_is_named_by_its_place_in_the_body():
    found = body_problems('<p>Mở đầu <img src="/a.jpg" alt="Cầu"></p><p><img src="/media/b.jpg"></p>'
                          '<p><img src="/c.jpg" alt="  "></p>')
    assert [item["code"] for item in found] == ["image_without_alt", "image_without_alt"]
    assert found[0]["message"] == "Ảnh thứ 2 trong nội dung chưa có mô tả (alt)"
    assert found[0]["where"] == "/media/b.jpg" and found[0]["field"] == "body_html"
    assert found[1]["message"] == "Ảnh thứ 3 trong nội dung chưa có mô tả (alt)"  # empty alt counts too


def test_headings_may_go_one_level_down_at_a_time_and_up_at_will():
    assert codes("<h2>A</h2><h3>B</h3><h4>C</h4><h2>D</h2><h3>E</h3>") == []
    skipped = body_problems("<h2>Tin chính</h2><h4>Chi tiết</h4>")
    assert [item["code"] for item in skipped] == ["skipped_heading"]
    assert "cấp 4" in skipped[0]["message"] and "bỏ qua cấp 3" in skipped[0]["message"]
    assert skipped[0]["where"] == "Chi tiết"
    # The article's title is the h1: a body starting at h3 skips h2.
    assert codes("<h3>Bắt đầu</h3><p>Nội dung.</p>") == ["skipped_heading"]


@pytest.mark.parametrize("text", ["bấm vào đây", "Tại đây", "XEM THÊM", "xem thêm...", "Click here!", "đây",
                                  "link", " (Bấm vào ĐÂY) ", "bam vao day"])
def test_link_text_that_says_nothing_is_named(text):
    found = body_problems(f'<p>Kế hoạch: <a href="https://example.vn/ke-hoach">{text}</a></p>')
    assert [item["code"] for item in found] == ["link_text"]
    assert found[0]["message"].startswith("Liên kết thứ 1")


@pytest.mark.parametrize("text", ["Kế hoạch số 12/KH-UBND", "xem thêm kế hoạch tiếp dân", "Đường dây nóng",
                                  "đây là kế hoạch"])
def test_link_text_that_says_where_it_leads_passes(text):
    assert codes(f'<p><a href="https://example.vn/ke-hoach">{text}</a></p>') == []


def test_a_link_with_an_image_is_named_by_the_images_alt_text():
    assert codes('<p><a href="https://dichvucong.gov.vn"><img src="/dvc.png" alt="Dịch vụ công"></a></p>') == []
    assert "link_text" in codes('<p><a href="https://dichvucong.gov.vn"><img src="/dvc.png"></a></p>')


def test_a_table_needs_header_cells():
    found = body_problems("<table><tr><td>Thứ Hai</td><td>Tiếp dân</td></tr></table>")
    assert [item["code"] for item in found] == ["table_without_headers"]
    assert found[0]["message"] == "Bảng thứ 1 trong nội dung chưa có ô tiêu đề (th)"
    assert codes('<table><tr><th scope="col">Ngày</th></tr><tr><td>Thứ Hai</td></tr></table>') == []


def test_a_paragraph_in_capitals_is_named_vietnamese_letters_included():
    assert in_capitals("THÔNG BÁO VỀ VIỆC TIẾP CÔNG DÂN ĐỊNH KỲ")
    found = body_problems("<p>THÔNG BÁO VỀ VIỆC TIẾP CÔNG DÂN ĐỊNH KỲ</p>")
    assert [item["code"] for item in found] == ["capitals"]
    assert "THÔNG BÁO VỀ VIỆC" in found[0]["message"]


@pytest.mark.parametrize("text", ["UBND xã Phú Mậu thông báo lịch tiếp công dân", "THÔNG BÁO KHẨN",
                                  "Số 12/KH-UBND ngày 6/12/2026 của UBND xã", "HĐND UBND MTTQ"])
def test_short_capitals_and_abbreviations_in_a_sentence_pass(text):
    assert not in_capitals(text)
    assert codes(f"<p>{text}</p>") == []


def test_a_body_empty_once_sanitised_is_refused():
    for html in ("", "<p> &nbsp; </p>", "<script>alert(1)</script>", '<p><span style="x"></span></p>'):
        assert codes(html) == ["empty_body"], html
    assert codes('<p><img src="/a.jpg" alt="Toàn cảnh buổi lễ"></p>') == []


def test_a_missing_summary_is_named():
    assert [item["code"] for item in summary_problems("   ")] == ["missing_summary"]
    assert summary_problems("Tóm tắt") == []
    assert [item["field"] for item in problems(CLEAN, "")] == ["summary"]
    assert problems(CLEAN) == []  # a kind without a summary


def test_the_refusals_fields_list_every_problem_under_its_field():
    found = problems('<p><img src="/a.jpg"></p><h4>X</h4>', "")
    assert refusal_fields(found) == {
        "summary": "Chưa có tóm tắt (sapo) cho bài viết",
        "body_html": "Ảnh thứ 1 trong nội dung chưa có mô tả (alt)",
        "body_html.2": found[2]["message"],
    }


# Through the content service

ARTICLE = {"title": "Lịch tiếp công dân tháng 12", "summary": "", "tags": [],
           "body_html": '<p>THÔNG BÁO VỀ VIỆC TIẾP CÔNG DÂN ĐỊNH KỲ</p><p><img src="/anh.jpg"></p>'}


def approved(content, **fields):
    article = call(content, "create_article", acting("tac-gia"), "phu-mau", {**ARTICLE, **fields})
    article = call(content, "move_article", acting("tac-gia"), article["id"], "submit", {"version": 1})
    return call(content, "move_article", acting("bien-tap"), article["id"], "approve", {"version": 2})


def test_publishing_is_refused_with_each_problem_named_and_the_draft_warns_of_them(board):
    article = approved(board)
    draft = call(board, "get_article_draft", acting("tac-gia"), article["id"])
    assert [item["code"] for item in draft["accessibility"]] == ["missing_summary", "capitals", "image_without_alt"]
    with pytest.raises(InvalidInput) as refused:
        call(board, "move_article", acting("tong-bien-tap"), article["id"], "publish", {"version": 3})
    assert refused.value.message.startswith("Not accessible: ")
    assert set(refused.value.fields) == {"summary", "body_html", "body_html.2"}
    assert refused.value.fields["body_html.2"] == "Ảnh thứ 1 trong nội dung chưa có mô tả (alt)"
    # Nor may it be scheduled for later.
    later = (utcnow() + timedelta(hours=2)).isoformat()
    with pytest.raises(InvalidInput):
        call(board, "move_article", acting("tong-bien-tap"), article["id"], "publish", {"version": 3, "at": later})
    assert call(board, "get_article", acting("tong-bien-tap"), article["id"])["status"] == "approved"

    fixed = call(board, "update_article", acting("bien-tap"), article["id"], {
        **ARTICLE, "summary": "Lịch tiếp công dân định kỳ của xã.",
        "body_html": '<p>Thông báo về việc tiếp công dân định kỳ.</p><p><img src="/anh.jpg" alt="Phòng tiếp dân"></p>',
        "version": 3})
    assert call(board, "get_article_draft", acting("tac-gia"), article["id"])["accessibility"] == []
    published = call(board, "move_article", acting("tong-bien-tap"), article["id"], "publish",
                     {"version": fixed["version"]})
    assert published["status"] == "published"


def test_the_editor_in_chief_may_still_force_publication_with_a_reason(board):
    article = approved(board)
    forced = call(board, "move_article", acting("tong-bien-tap"), article["id"], "force_publish",
                  {"version": 3, "comment": "Thông báo khẩn, sửa sau"})
    assert forced["status"] == "published"
    history = call(board, "article_history", acting("tong-bien-tap"), article["id"])
    assert history[-1]["action"] == "force_publish" and history[-1]["comment"] == "Thông báo khẩn, sửa sau"


def test_a_scheduled_publication_edited_into_an_inaccessible_one_is_not_published(board, stores):
    article = approved(board, summary="Tóm tắt", body_html=CLEAN)
    later = (utcnow() + timedelta(hours=2)).isoformat()
    scheduled = call(board, "move_article", acting("tong-bien-tap"), article["id"], "publish",
                     {"version": 3, "at": later})
    call(board, "update_article", acting("bien-tap"), article["id"],
         {**ARTICLE, "summary": "Tóm tắt", "version": scheduled["version"]})
    assert stores.articles.run_schedule(utcnow() + timedelta(hours=3)) == 0
    article = call(board, "get_article", acting("tong-bien-tap"), article["id"])
    assert article["status"] == "approved" and article["publish_at"] is None
    refusal = call(board, "article_history", acting("tong-bien-tap"), article["id"])[-1]
    assert refusal["action"] == "schedule_refused" and refusal["comment"].startswith("Not accessible: ")


def test_text_is_checked_before_it_is_saved(board):
    found = call(board, "check_accessibility", '<p><a href="https://x.vn">Xem thêm</a></p>', "")
    assert [item["code"] for item in found] == ["missing_summary", "link_text"]
    assert call(board, "check_accessibility", CLEAN) == []
    with pytest.raises(InvalidInput):
        call(board, "check_accessibility", 12)


def test_a_static_page_is_held_to_the_same_checks(board):
    page = {"key": "lien-he", "lang": "vi", "title": "Liên hệ",
            "body_html": "<table><tr><td>Điện thoại</td><td>0234 3822 000</td></tr></table>"}
    with pytest.raises(InvalidInput) as refused:
        call(board, "create_page", acting("quan-tri"), "phu-mau", page)
    assert refused.value.fields == {"body_html": "Bảng thứ 1 trong nội dung chưa có ô tiêu đề (th)"}
    created = call(board, "create_page", acting("quan-tri"), "phu-mau", {**page, "body_html": CLEAN})
    with pytest.raises(InvalidInput):
        call(board, "update_page", acting("quan-tri"), "phu-mau", "lien-he", "vi",
             {"title": "Liên hệ", "body_html": "<h4>Địa chỉ</h4><p>Thôn Lại Thế.</p>", "version": created["version"]})


def test_an_answer_is_published_only_when_accessible(board):
    asked = call(board, "ask_question", "phu-mau", {
        "asker_name": "Nguyễn Văn A", "asker_email": "a@example.vn", "title": "Hỏi về tiếp dân",
        "question": "Xin hỏi lịch tiếp công dân của xã?"})
    accepted = call(board, "accept_question", acting("bien-tap"), asked["id"], {"version": 1})
    answered = call(board, "answer_question", acting("bien-tap"), asked["id"], {
        "answer_html": '<p>Xem lịch <a href="https://phumau.vn/lich">tại đây</a>.</p>', "version": accepted["version"]})
    with pytest.raises(InvalidInput) as refused:
        call(board, "publish_question", acting("tong-bien-tap"), asked["id"], {"version": answered["version"]})
    assert list(refused.value.fields) == ["answer_html"]
    answered = call(board, "answer_question", acting("bien-tap"), asked["id"], {
        "answer_html": '<p>Xem <a href="https://phumau.vn/lich">lịch tiếp công dân</a>.</p>',
        "version": answered["version"]})
    published = call(board, "publish_question", acting("tong-bien-tap"), asked["id"], {"version": answered["version"]})
    assert published["status"] == "published"
    with pytest.raises(InvalidInput):  # a published answer changes in public at once
        call(board, "answer_question", acting("bien-tap"), asked["id"],
             {"answer_html": "<p>BẤM VÀO ĐƯỜNG DẪN SAU ĐỂ XEM</p>", "version": published["version"]})

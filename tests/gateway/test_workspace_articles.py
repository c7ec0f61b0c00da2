"""Articles in the workspace, through the real services and a browser without JavaScript: the
list, the form with its cover image, the light markup, the private preview, the workflow
buttons each role sees, a stale save settled without losing anything, and another unit's
article refused by its id."""
import html
import io
import re

import pytest
from PIL import Image
from urllib3 import encode_multipart_formdata

from gateway.workspace.markup import to_html, to_markup
from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.gateway.workspace_desk import Desk

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

ARTICLES = "/quan-tri/phu-mau/bai-viet"
BODY = "## Diễn biến\n\nHơn **300** đoàn viên tham gia.\n\n- Dọn rác\n- Trồng cây\n"


class Author(Desk):
    """A person at the article form, which is sent as multipart when it carries a file."""

    def send_form(self, path: str, fields: dict, files: dict | None = None, follow: bool = True):
        parts = {**fields, "ma_bieu_mau": self.token()}
        for name, (filename, data, content_type) in (files or {}).items():
            parts[name] = (filename, data, content_type)
        body, content_type = encode_multipart_formdata(parts)
        return self._send("POST", path, follow, body=body, headers={"Content-Type": content_type})

    def write(self, title: str = "Ra quân làm sạch bờ sông", cover: bool = True, **fields):
        """A new article from the form; the id it was saved under."""
        self.get(f"{ARTICLES}/moi")
        form = {"title": title, "summary": "Hơn 300 đoàn viên tham gia.", "category": "", "tags": "môi trường, đoàn",
                "body": BODY, "body_format": "markup", "version": "", "cover_media_id": "",
                "cover_alt": "Đoàn viên dọn rác bờ sông", "cover_caption": "Ảnh: Đoàn xã", **fields}
        saved = self.send_form(f"{ARTICLES}/moi", form, {"cover_file": ("bo-song.jpg", jpeg(), "image/jpeg")} if cover
                               else None, follow=False)
        assert saved.status_code == 303, saved.text
        location = saved.headers["location"]
        assert location.endswith("?da=luu")
        self.get(location)
        return location.split("?")[0].rsplit("/", 1)[1]

    def step(self, article_id: str, slug: str, **fields):
        page = self.get(f"{ARTICLES}/{article_id}")
        version = re.search(rf'action="{ARTICLES}/{article_id}/{slug}".*?name="version" value="(\d+)"', page.text,
                            re.S)
        assert version, f"no {slug} button for this person"
        return self.post(f"{ARTICLES}/{article_id}/{slug}", {"version": version.group(1), **fields})


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def signed_in(board, username: str) -> Author:
    desk = Author(board.client)
    assert desk.sign_in(username).status_code == 200
    return desk


def saved(board, article_id: str) -> dict:
    answered = board.client.simulate_get(f"/api/articles/{article_id}", headers=PORTAL_ADMIN)
    assert answered.status_code == 200, answered.text
    return answered.json


def media_of(board) -> list:
    return board.client.simulate_get("/api/units/phu-mau/media", headers=PORTAL_ADMIN).json["items"]


def buttons(page) -> list[str]:
    return re.findall(r'<section class="article-steps".*?</section>', page.text, re.S) and re.findall(
        r'<button type="submit"[^>]*>([^<]+)</button>', re.search(r'<section class="article-steps".*?</section>',
                                                                  page.text, re.S).group(0))


def test_an_author_writes_with_a_cover_submits_and_the_editor_in_chief_publishes_to_the_home(board):
    author = signed_in(board, "tac-gia")
    article_id = author.write()
    page = author.last
    assert "Đã lưu bài viết" in page.text and page.headers["cache-control"] == "no-store"
    article = saved(board, article_id)
    assert article["status"] == "draft" and article["tags"] == ["môi trường", "đoàn"]
    assert "<h2>Diễn biến</h2>" in article["body_html"] and "<li>Dọn rác</li>" in article["body_html"]
    assert article["cover"]["alt"] == "Đoàn viên dọn rác bờ sông"
    assert 'alt="Đoàn viên dọn rác bờ sông"' in page.text  # the current cover, with its description
    assert buttons(page) == ["Gửi duyệt"]  # an author publishes nothing

    form = author.last
    submitted = author.step(article_id, "gui-duyet")
    assert submitted.status_code == 200 and "Đã gửi bài viết cho Ban biên tập duyệt" in submitted.text
    assert "Đăng bài" not in submitted.text and 'name="title"' not in submitted.text  # no longer the author's to change

    author.last = form  # a save from the page opened before submitting keeps what was typed
    late = author.send_form(f"{ARTICLES}/{article_id}", {
        "title": "Sửa muộn", "summary": "", "body": "Đoạn sửa muộn", "body_format": "markup", "version": "2",
        "cover_media_id": "", "cover_alt": "", "cover_caption": ""})
    assert late.status_code == 403 and "không còn sửa được" in late.text and "Đoạn sửa muộn" in late.text
    assert saved(board, article_id)["title"] == "Ra quân làm sạch bờ sông"

    chief = signed_in(board, "tong-bien-tap")
    assert buttons(chief.get(f"{ARTICLES}/{article_id}")) == ["Duyệt bài", "Trả lại cho tác giả", "Đăng ngay"]
    chief.step(article_id, "duyet")
    published = chief.step(article_id, "dang")
    assert "Đã đăng bài viết" in published.text
    assert saved(board, article_id)["status"] == "published"
    home = board.client.simulate_get("/phu-mau")
    assert "Ra quân làm sạch bờ sông" in home.text
    public = board.client.simulate_get(saved(board, article_id)["path"])
    assert 'alt="Đoàn viên dọn rác bờ sông"' in public.text and "Ảnh: Đoàn xã" in public.text


def test_missing_title_and_image_description_are_named_with_the_fields_kept_and_nothing_uploaded(board):
    author = signed_in(board, "tac-gia")
    author.get(f"{ARTICLES}/moi")
    refused = author.send_form(f"{ARTICLES}/moi", {
        "title": " ", "summary": "Tóm tắt giữ nguyên", "body": BODY, "body_format": "markup", "cover_alt": "",
        "cover_caption": "Chú thích giữ nguyên", "version": "", "cover_media_id": ""},
        {"cover_file": ("anh.jpg", jpeg(), "image/jpeg")})
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text
    assert "Vui lòng nhập tiêu đề bài viết" in refused.text and "Vui lòng nhập mô tả ảnh bìa" in refused.text
    assert "Tóm tắt giữ nguyên" in refused.text and 'value="Chú thích giữ nguyên"' in refused.text
    assert html.escape("## Diễn biến", quote=False) in refused.text
    assert media_of(board) == []
    assert board.client.simulate_get("/api/units/phu-mau/editorial/articles", headers=PORTAL_ADMIN).json["items"] == []


@pytest.mark.parametrize("filename, data", [
    ("bao-cao.jpg", b"Day khong phai la anh, chi la chu."),
    ("bao-cao.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
])
def test_a_file_that_is_not_an_image_is_named_and_nothing_is_kept(board, filename, data):
    author = signed_in(board, "tac-gia")
    author.get(f"{ARTICLES}/moi")
    refused = author.send_form(f"{ARTICLES}/moi", {
        "title": "Bài có tệp lạ", "summary": "", "body": BODY, "body_format": "markup", "cover_alt": "Mô tả ảnh",
        "cover_caption": "", "version": "", "cover_media_id": ""}, {"cover_file": (filename, data, "image/jpeg")})
    assert refused.status_code == 422
    assert "Tệp đã chọn không phải là ảnh" in refused.text and 'value="Bài có tệp lạ"' in refused.text
    assert media_of(board) == []


def test_a_stale_save_shows_both_versions_and_keeping_mine_saves_it(board):
    author = signed_in(board, "tac-gia")
    article_id = author.write(title="Tiêu đề của tác giả", cover=False)
    form = author.last
    editor = signed_in(board, "bien-tap")
    editor.get(f"{ARTICLES}/{article_id}")
    editor.send_form(f"{ARTICLES}/{article_id}", {
        "title": "Tiêu đề của biên tập viên", "summary": "", "body": "Nội dung biên tập viên sửa.",
        "body_format": "markup", "version": "1", "cover_media_id": "", "cover_alt": "", "cover_caption": ""})
    assert saved(board, article_id)["version"] == 2

    author.last = form  # the author's page, still open on version 1
    stale = author.send_form(f"{ARTICLES}/{article_id}", {
        "title": "Tiêu đề tác giả sửa lại", "summary": "", "body": "Đoạn **mới** của tác giả.",
        "body_format": "markup", "version": "1", "cover_media_id": "", "cover_alt": "", "cover_caption": ""})
    assert stale.status_code == 409
    assert "Bài viết đã được người khác sửa" in stale.text
    assert "Tiêu đề của biên tập viên" in stale.text and "Tiêu đề tác giả sửa lại" in stale.text
    assert "Đoạn **mới** của tác giả." in stale.text and "Nội dung biên tập viên sửa." in stale.text
    assert saved(board, article_id)["title"] == "Tiêu đề của biên tập viên"  # nothing overwritten

    keep = re.search(r'<form action="[^"]+" method="post">((?:(?!<form).)*?)Giữ bản của tôi', stale.text, re.S).group(1)
    fields = {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', keep)}
    assert fields["version"] == "2"
    kept = author.post(f"{ARTICLES}/{article_id}", fields)
    assert kept.status_code == 200 and "Đã lưu bài viết" in kept.text
    article = saved(board, article_id)
    assert article["title"] == "Tiêu đề tác giả sửa lại" and article["version"] == 3
    assert "<strong>mới</strong>" in article["body_html"]


def test_a_rejected_article_shows_the_reviewers_comment_and_a_reason_is_required(board):
    author = signed_in(board, "tac-gia")
    article_id = author.write(cover=False)
    author.step(article_id, "gui-duyet")
    editor = signed_in(board, "bien-tap")
    assert buttons(editor.get(f"{ARTICLES}/{article_id}")) == ["Duyệt bài", "Trả lại cho tác giả"]
    no_reason = editor.step(article_id, "tra-lai", comment=" ")
    assert no_reason.status_code == 422 and "Vui lòng nhập lý do trả lại" in no_reason.text
    assert saved(board, article_id)["status"] == "submitted"
    editor.step(article_id, "tra-lai", comment="Cần thêm số liệu người tham gia.")
    page = author.get(f"{ARTICLES}/{article_id}")
    assert "Ban biên tập đã trả lại bài viết" in page.text and "Cần thêm số liệu người tham gia." in page.text
    listed = author.get(f"{ARTICLES}?trang-thai=rejected")
    assert "Ra quân làm sạch bờ sông" in listed.text and "Lý do trả lại: Cần thêm số liệu" in listed.text


def test_a_step_the_role_does_not_allow_is_refused_in_vietnamese(board):
    author = signed_in(board, "tac-gia")
    article_id = author.write(cover=False)
    refused = author.post(f"{ARTICLES}/{article_id}/dang-ngay", {"version": "1", "comment": "Đăng luôn"})
    assert refused.status_code == 403 and "Bạn không có quyền “Đăng ngay”" in refused.text
    assert saved(board, article_id)["status"] == "draft"
    stale = author.post(f"{ARTICLES}/{article_id}/gui-duyet", {"version": "7"})
    assert stale.status_code == 409 and "vừa được người khác thay đổi" in stale.text


def test_the_list_shows_an_author_their_own_and_filters_by_state(board):
    author = signed_in(board, "tac-gia")
    first = author.write(title="Bài thứ nhất của tác giả", cover=False)
    author.write(title="Bài thứ hai của tác giả", cover=False)
    author.step(first, "gui-duyet")
    publish(board.client, title="Bài của quản trị cổng")
    listed = author.get(ARTICLES)
    assert listed.status_code == 200 and listed.headers["cache-control"] == "no-store"
    assert listed.text.index("Bài thứ nhất") < listed.text.index("Bài thứ hai")  # the latest change first
    assert "Bài của quản trị cổng" not in listed.text
    assert f'href="{ARTICLES}/{first}"' in listed.text
    waiting = author.get(f"{ARTICLES}?trang-thai=submitted")
    assert "Bài thứ nhất" in waiting.text and "Bài thứ hai" not in waiting.text
    editor = signed_in(board, "bien-tap")
    assert "Bài của quản trị cổng" in editor.get(ARTICLES).text


def test_another_units_article_is_not_found_by_its_id(board):
    client = board.client
    created = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue"})
    assert created.status_code == 201, created.text
    theirs = publish(client, unit="phu-thanh", title="Tin của Phú Thanh")
    editor = signed_in(board, "tong-bien-tap")
    for path in ("", "/xem-truoc"):
        assert editor.get(f"{ARTICLES}/{theirs['id']}{path}").status_code == 404
    editor.get(ARTICLES)
    assert editor.post(f"{ARTICLES}/{theirs['id']}/go-xuong", {"version": "2"}).status_code == 404
    assert saved(board, theirs["id"])["status"] == "published"


def test_the_preview_is_the_public_article_page_at_a_private_address(board):
    author = signed_in(board, "tac-gia")
    article_id = author.write()
    preview = author.get(f"{ARTICLES}/{article_id}/xem-truoc")
    assert preview.status_code == 200 and preview.headers["cache-control"] == "no-store"
    assert "Bản xem trước — chưa đăng" in preview.text
    assert '<article class="article">' in preview.text and "Các tin khác" in preview.text  # article.html
    assert 'aria-label="Danh mục chính"' in preview.text  # in the unit's frame
    assert "<h2>Diễn biến</h2>" in preview.text and 'alt="Đoàn viên dọn rác bờ sông"' in preview.text
    assert board.client.simulate_get(f"{ARTICLES}/{article_id}/xem-truoc").status_code == 303  # strangers sign in

    author.get(f"{ARTICLES}/moi")
    typed = {"title": "Chưa lưu", "summary": "", "body": "| Thôn | Số hộ |\n|---|---|\n| 1 | 120 |",
             "body_format": "markup", "version": "", "cover_media_id": "", "cover_alt": "", "cover_caption": "",
             "category": "", "tags": ""}
    unsaved = author.post(f"{ARTICLES}/moi/xem-truoc", typed)
    assert unsaved.status_code == 200 and unsaved.headers["cache-control"] == "no-store"
    assert '<th scope="col">Thôn</th>' in unsaved.text and "chưa được lưu" in unsaved.text
    back = author.post(f"{ARTICLES}/moi/xem-truoc", {**typed, "sua": "1"})
    assert back.status_code == 200 and 'value="Chưa lưu"' in back.text  # the form again, as typed
    assert author.get(f"{ARTICLES}/moi/xem-truoc").status_code == 405


def test_the_markup_becomes_the_html_the_sanitiser_keeps():
    converted = to_html("# Tiêu đề\n\n### Mục\n\n1. một\n2. hai\n\n[Kế hoạch](https://phumau.gov.vn/ke-hoach)\n\n"
                        "| A | B |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>")
    assert "<h2>Tiêu đề</h2>" in converted and "<h3>Mục</h3>" in converted
    assert "<ol>\n<li>một</li>" in converted
    assert '<a href="https://phumau.gov.vn/ke-hoach">Kế hoạch</a>' in converted
    assert '<th scope="col">A</th>' in converted and "<td>1</td>" in converted
    assert "<script>" not in converted and "&lt;script&gt;" in converted


def test_publishing_refused_for_accessibility_names_each_problem_and_warns_while_editing(board):
    author = signed_in(board, "tac-gia")
    article_id = author.write(summary="", body="## Mục lớn\n\n#### Mục quá sâu\n\nNội dung.", cover=False)
    assert "Chưa có tóm tắt" in author.last.text and 'class="warning-list"' in author.last.text
    preview = author.post(f"{ARTICLES}/{article_id}/xem-truoc", {
        "title": "Chưa lưu", "summary": "", "body": "Nội dung", "body_format": "markup", "version": "1",
        "cover_media_id": "", "cover_alt": "", "cover_caption": "", "category": "", "tags": ""})
    assert "Cần sửa trước khi đăng" in preview.text and "Chưa có tóm tắt" in preview.text
    author.step(article_id, "gui-duyet")
    chief = signed_in(board, "tong-bien-tap")
    chief.step(article_id, "duyet")
    refused = chief.step(article_id, "dang")
    assert refused.status_code == 422 and "Chưa thực hiện được" in refused.text
    assert "Chưa có tóm tắt" in refused.text and 'href="#tom-tat"' in refused.text
    assert saved(board, article_id)["status"] == "approved"
    forced = chief.step(article_id, "dang-ngay", comment="Tin khẩn, bổ sung tóm tắt sau.")
    assert "Đã đăng ngay bài viết" in forced.text and saved(board, article_id)["status"] == "published"


def test_a_saved_body_comes_back_in_the_markup_unless_the_markup_cannot_say_it(board):
    author = signed_in(board, "tac-gia")
    article_id = author.write(cover=False)
    page = author.get(f"{ARTICLES}/{article_id}")
    assert html.escape(BODY.strip(), quote=False) + "</textarea>" in page.text
    assert '<option value="markup" selected>' in page.text and "data-saved-html=" in page.text
    with_image = board.client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN, json={
        "title": "Bài có ảnh trong nội dung", "author": "tac-gia",
        "body_html": '<p>Ảnh:</p><p><img src="https://phumau.gov.vn/a.jpg" alt="Cánh đồng"></p>'})
    assert with_image.status_code == 201, with_image.text
    page = author.get(f"{ARTICLES}/{with_image.json['id']}")
    assert '<option value="html" selected>' in page.text and "&lt;img" in page.text


def test_only_a_conversion_that_gives_back_the_same_body_is_offered_in_the_markup():
    body = ('<h2>Mục</h2><p>Hơn <strong>300</strong> người, <em>đông</em> '
            '<a href="https://phumau.gov.vn/x">Kế hoạch</a><br>dòng hai</p><ol><li>một</li></ol>'
            '<blockquote><p>Trích</p></blockquote><table><thead><tr><th scope="col">Thôn</th></tr></thead>'
            '<tbody><tr><td>1</td></tr></tbody></table><p>1. không phải danh sách *sao*</p>')
    markup = to_markup(body)
    assert markup.startswith("## Mục\n\nHơn **300** người, *đông* [Kế hoạch](https://phumau.gov.vn/x)\ndòng hai")
    assert "1\\. không phải danh sách \\*sao\\*" in markup
    assert to_markup(to_html(markup)) == markup
    assert to_markup('<p><img src="https://phumau.gov.vn/a.jpg" alt="x"></p>') is None
    assert to_markup("<table><tbody><tr><td>không có hàng tiêu đề</td></tr></tbody></table>") is None
    assert to_markup('<table><tr><th scope="col" colspan="2">gộp</th></tr></table>') is None

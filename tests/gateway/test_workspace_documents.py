"""Legal documents in the workspace: a document with its PDF drafted in one form and published;
a file of the wrong kind or a number of the wrong shape refused in Vietnamese with the fields
kept and nothing saved; another unit's document is no page at all."""
import pytest

from services.content.service import ContentService
from tests.browser.conftest import PDF
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk
from tests.gateway.workspace_forms import form_fields, post_with_files
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

LIST = "/quan-tri/phu-mau/van-ban"
NEW = f"{LIST}/moi"
DOCUMENT = {
    "number": "25/2026/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu", "signer": "Nguyễn Văn An",
    "issued_on": "06/04/2026", "effective_on": "2026-04-20",
    "excerpt": "Ban hành Quy chế quản lý, vận hành Trang thông tin điện tử xã Phú Mậu", "field": "Công nghệ thông tin",
}


def editorial(client) -> list[dict]:
    return client.simulate_get("/api/units/phu-mau/editorial/documents", headers=PORTAL_ADMIN).json["items"]


def test_a_document_with_its_pdf_is_drafted_and_published_on_the_site(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    assert editor.get(NEW).status_code == 200
    saved = post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT},
                            {"tep": ("quy-che.pdf", "application/pdf", PDF)})
    assert saved.status_code == 200, saved.text
    assert "Đã lưu văn bản" in saved.text and "quy-che.pdf" in saved.text
    assert "Đăng văn bản" not in saved.text  # an editor may not publish
    [document] = editorial(board.client)
    assert document["status"] == "draft" and document["issued_on"] == "2026-04-06"
    assert document["file"]["filename"] == "quy-che.pdf" and document["file"]["content_type"] == "application/pdf"
    listed = editor.get(LIST)
    assert "25/2026/QĐ-UBND" in listed.text and "Bản nháp" in listed.text

    chief = Desk(board.client)
    chief.sign_in("tong-bien-tap")
    page = chief.get(f"{LIST}/{document['id']}")
    published = chief.post(f"{LIST}/{document['id']}/dang", form_fields(page.text, f"{LIST}/{document['id']}/dang"))
    assert published.status_code == 200 and "Đã đăng văn bản" in published.text
    public = wait_for(lambda: (answer := board.client.simulate_get(f"/phu-mau/van-ban/{document['id']}")).status_code
                      == 200 and answer, timeout=30, message="the published document on the unit's site")
    assert "25/2026/QĐ-UBND" in public.text and f"/tep/{document['file']['media_id']}" in public.text


@pytest.mark.parametrize("filename, content_type, data", [
    ("cai-dat.exe", "application/octet-stream", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200),
    ("ghi-chu.txt", "text/plain", "Danh sách văn bản cần đăng".encode()),
])
def test_a_file_of_the_wrong_kind_is_refused_with_the_fields_kept_and_nothing_saved(board, filename, content_type,
                                                                                    data):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(NEW)
    refused = post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT},
                              {"tep": (filename, content_type, data)})
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text and "Tệp phải là văn bản PDF" in refused.text
    assert 'value="25/2026/QĐ-UBND"' in refused.text and "Ban hành Quy chế quản lý" in refused.text
    assert editorial(board.client) == []
    assert board.client.simulate_get("/api/units/phu-mau/media", headers=PORTAL_ADMIN).json["items"] == []


def test_a_file_over_the_largest_upload_is_named_and_nothing_saved(board, monkeypatch):
    from gateway.workspace import base
    # The largest upload made small, to stand for a file over it; the form's body stays within reach.
    monkeypatch.setattr(base, "MAX_UPLOAD_BYTES", 4000)
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(NEW)
    refused = post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT},
                              {"tep": ("quy-che.pdf", "application/pdf", PDF + b"%" * 4000)})
    assert refused.status_code == 422 and "Tệp lớn hơn 20 MB" in refused.text
    assert 'value="Nguyễn Văn An"' in refused.text
    assert editorial(board.client) == []


def test_a_number_of_the_wrong_shape_is_named_and_the_uploaded_file_is_kept_for_the_next_try(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(NEW)
    refused = post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT, "number": "QĐ so 25"},
                              {"tep": ("quy-che.pdf", "application/pdf", PDF)})
    assert refused.status_code == 422
    assert "Số ký hiệu phải có dạng 12/2026/QĐ-UBND" in refused.text and 'value="QĐ so 25"' in refused.text
    assert "Tệp hiện có" in refused.text and "quy-che.pdf" in refused.text
    assert editorial(board.client) == []
    fields = {**form_fields(refused.text, NEW), "number": "25/2026/QĐ-UBND"}
    saved = post_with_files(editor, NEW, fields, {})
    assert saved.status_code == 200 and "Đã lưu văn bản" in saved.text
    [document] = editorial(board.client)
    assert document["file"]["filename"] == "quy-che.pdf"


def test_a_number_already_taken_and_an_issue_date_in_the_future_are_named(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(NEW)
    post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT}, {})
    editor.get(NEW)
    taken = post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT}, {})
    assert taken.status_code == 409 and "Đơn vị đã có văn bản mang số ký hiệu này" in taken.text
    future = post_with_files(editor, NEW, {**form_fields(taken.text, NEW), "number": "26/2026/QĐ-UBND",
                                           "issued_on": "01/01/2099"}, {})
    assert future.status_code == 422 and "từ năm 1945 đến hôm nay" in future.text
    assert len(editorial(board.client)) == 1


def test_a_correction_without_its_form_token_is_refused_with_the_fields_kept(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(NEW)
    post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT}, {})
    [document] = editorial(board.client)
    path = f"{LIST}/{document['id']}"
    fields = {**form_fields(editor.last.text, path), "excerpt": "Trích yếu đã sửa mà chưa được lưu"}
    refused = post_with_files(editor, path, fields, {}, token="")
    assert refused.status_code == 403
    assert "Biểu mẫu đã hết hạn" in refused.text and "Trích yếu đã sửa mà chưa được lưu" in refused.text
    [unchanged] = editorial(board.client)
    assert unchanged["version"] == document["version"] and unchanged["excerpt"] == DOCUMENT["excerpt"]


def test_another_units_document_by_its_id_is_no_page(board):
    client = board.client
    made = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue"})
    assert made.status_code == 201, made.text
    other = client.simulate_post("/api/units/phu-thanh/documents", headers=PORTAL_ADMIN, json={
        **DOCUMENT, "issued_on": "2026-04-06", "issuing_body": "UBND xã Phú Thanh"})
    assert other.status_code == 201, other.text
    editor = Desk(client)
    editor.sign_in("tong-bien-tap")
    assert editor.get(f"{LIST}/{other.json['id']}").status_code == 404
    assert editor.get(f"{LIST}/{other.json['id']}/phien-ban").status_code == 404
    editor.get(LIST)
    refused = editor.post(f"{LIST}/{other.json['id']}/dang", {"version": "1"})
    assert refused.status_code == 404
    assert client.simulate_get(f"/api/documents/{other.json['id']}", headers=PORTAL_ADMIN).json["status"] == "draft"


def test_a_documents_revisions_compare_the_draft_with_its_correction(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(NEW)
    saved = post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **DOCUMENT}, {})
    [document] = editorial(board.client)
    path = f"{LIST}/{document['id']}"
    assert f"{path}/phien-ban" in saved.text
    post_with_files(editor, path, {**form_fields(saved.text, path), "signer": "Trần Thị Bình"}, {})
    revisions = editor.get(f"{path}/phien-ban")
    assert revisions.status_code == 200, revisions.text
    assert "Người ký" in revisions.text and "<ins>Bình</ins>" in revisions.text

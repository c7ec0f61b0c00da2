"""Drafts for comment in the workspace: an editor prepares one with its file, the editor-in-chief
opens it, moderators publish and reject comments, and after the closing day the summary is
written; bad input is refused in Vietnamese with the fields kept and nothing saved."""
from datetime import timedelta

from pymongo import MongoClient

from services.common.vietnam_time import today
from services.content.service import ContentService
from tests.browser.conftest import PDF
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk
from tests.gateway.workspace_forms import form_fields, post_with_files

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

LIST = "/quan-tri/phu-mau/du-thao"
NEW = f"{LIST}/moi"


def fields(**changes):
    return {"title": "Dự thảo Quy chế quản lý chợ xã", "description": "UBND xã lấy ý kiến về quy chế quản lý chợ.",
            "closes_on": (today() + timedelta(days=7)).strftime("%d/%m/%Y"), "field": "Thương mại", **changes}


def desk(board, username):
    signed = Desk(board.client)
    signed.sign_in(username)
    return signed


def drafts(client) -> list[dict]:
    return client.simulate_get("/api/units/phu-mau/consultation-desk", headers=PORTAL_ADMIN).json["items"]


def test_a_draft_is_prepared_opened_moderated_and_summed_up(board, portal_settings):
    editor = desk(board, "bien-tap")
    assert "Dự thảo lấy ý kiến" in editor.get("/quan-tri/phu-mau").text  # in the workspace's menu
    editor.get(NEW)
    saved = post_with_files(editor, NEW, {**form_fields(editor.last.text, NEW), **fields()},
                            {"tep": ("du-thao.pdf", "application/pdf", PDF)})
    assert saved.status_code == 200, saved.text
    assert "Đã lưu dự thảo" in saved.text and "du-thao.pdf" in saved.text
    assert "Mở lấy ý kiến" not in saved.text  # an editor prepares, the editor-in-chief opens
    [draft] = drafts(board.client)
    assert draft["status"] == "draft" and draft["file"]["filename"] == "du-thao.pdf"
    page = f"{LIST}/{draft['id']}"

    chief = desk(board, "tong-bien-tap")
    chief.get(page)
    opened = chief.post(f"{page}/mo", form_fields(chief.last.text, f"{page}/mo"))
    assert opened.status_code == 200 and "Đã mở lấy ý kiến" in opened.text
    assert board.client.simulate_get(draft["path"]).status_code == 200

    for name in ("Trần Thị Bình", "Lê Văn Cường"):
        sent = board.client.simulate_post(f"/api/units/phu-mau/consultations/{draft['id']}/comments",
                                          json={"name": name, "contact": "0905 123 456", "body": f"Ý kiến của {name}."})
        assert sent.status_code == 201, sent.text
    moderation = editor.get(page)
    assert "0905 123 456" in moderation.text and "Chờ duyệt" in moderation.text
    queue = board.client.simulate_get(f"/api/consultations/{draft['id']}/comments", headers=PORTAL_ADMIN).json["items"]
    first, second = (f"{page}/y-kien/{comment['id']}" for comment in queue)
    assert editor.post(f"{first}/dang", form_fields(moderation.text, f"{first}/dang")).status_code == 200
    assert editor.post(f"{second}/tu-choi", form_fields(editor.last.text, f"{second}/tu-choi")).status_code == 200
    public = board.client.simulate_get(draft["path"])
    assert "Ý kiến của Trần Thị Bình." in public.text and "Lê Văn Cường" not in public.text

    with MongoClient(portal_settings.MONGO_URI) as mongo:  # the closing day passes
        mongo[portal_settings.CONTENT_DB]["consultations"].update_one(
            {"_id": draft["id"]}, {"$set": {"closes_on": str(today() - timedelta(days=1))}})
    closed = chief.get(page)
    assert "Đã hết thời hạn lấy ý kiến" in closed.text and 'name="title"' not in closed.text
    summed = chief.post(f"{page}/tong-hop", {**form_fields(closed.text, f"{page}/tong-hop"),
                                             "summary": "Đã nhận 2 ý kiến.\n\nTiếp thu ý kiến về giờ mở cửa chợ."})
    assert summed.status_code == 200 and "Đã đăng báo cáo tổng hợp" in summed.text
    shown = board.client.simulate_get(draft["path"])
    assert "<p>Tiếp thu ý kiến về giờ mở cửa chợ.</p>" in shown.text


def test_bad_fields_are_refused_in_vietnamese_with_what_was_typed_kept(board):
    editor = desk(board, "bien-tap")
    editor.get(NEW)
    refused = editor.post(NEW, {**form_fields(editor.last.text, NEW),
                                **fields(title="Chợ", closes_on=today().strftime("%d/%m/%Y"))})
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text and "Nhập tên dự thảo, từ 5 đến 250 ký tự." in refused.text
    assert "sau ngày hôm nay" in refused.text and 'aria-invalid="true"' in refused.text
    assert "UBND xã lấy ý kiến về quy chế quản lý chợ." in refused.text
    assert drafts(board.client) == []
    forged = editor.post(NEW, fields(), token="")
    assert forged.status_code == 403 and drafts(board.client) == []


def test_an_author_has_no_drafts_desk_and_another_unit_s_draft_is_no_page(board):
    author = desk(board, "tac-gia")
    assert author.get(LIST).status_code == 403
    assert "/quan-tri/phu-mau/du-thao" not in author.get("/quan-tri/phu-mau").text
    editor = desk(board, "bien-tap")
    assert editor.get(f"{LIST}/khong-co").status_code == 404

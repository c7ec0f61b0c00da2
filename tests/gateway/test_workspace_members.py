"""The unit's members in the workspace: a new member signs in with the password the admin typed,
roles granted and revoked, a reset password shown once that must be changed first, bad input
named and nothing created, another unit's member not found, and nobody but the admin let in."""
import re

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import PASSWORD, Desk, signed_in

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone


def admin(board) -> Desk:
    return signed_in(board.client, "quan-tri-xa")


def roles_of(board, username: str) -> list[str]:
    return board.client.simulate_get(f"/api/users/{username}", headers=PORTAL_ADMIN).json["roles"].get("phu-mau", [])


def test_a_new_member_signs_in_with_the_password_the_admin_typed(board):
    desk = admin(board)
    listing = desk.get("/quan-tri/phu-mau/thanh-vien")
    assert listing.status_code == 200 and "Cán bộ tac-gia" in listing.text
    desk.get("/quan-tri/phu-mau/thanh-vien/moi")
    created = desk.post("/quan-tri/phu-mau/thanh-vien/moi", {
        "username": "tran-thi-hoa", "name": "Trần Thị Hoa", "email": "hoa@hue.gov.vn", "role": "editor",
        "password": "Song-Huong-chay-qua"})
    assert created.status_code == 200 and "Đã tạo tài khoản tran-thi-hoa" in created.text
    assert "Trần Thị Hoa" in created.text and "Song-Huong-chay-qua" not in created.text
    assert roles_of(board, "tran-thi-hoa") == ["editor"]
    member = Desk(board.client)
    landed = member.sign_in("tran-thi-hoa", "Song-Huong-chay-qua")
    assert landed.status_code == 200 and "Trần Thị Hoa" in landed.text
    assert member.get("/quan-tri/phu-mau/thanh-vien").status_code == 403  # an editor manages no members


def test_bad_input_is_named_the_password_is_not_sent_back_and_nobody_is_created(board):
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/thanh-vien/moi")
    refused = desk.post("/quan-tri/phu-mau/thanh-vien/moi", {
        "username": "le-van-an", "name": "Lê Văn An", "email": "an@", "role": "author", "password": "ngan"})
    assert refused.status_code == 422 and "<title>Lỗi: " in refused.text
    assert "Địa chỉ thư điện tử không đúng định dạng" in refused.text
    assert 'value="le-van-an"' in refused.text and 'value="ngan"' not in refused.text
    short = desk.post("/quan-tri/phu-mau/thanh-vien/moi", {
        "username": "le-van-an", "name": "Lê Văn An", "email": "", "role": "author", "password": "ngan"})
    assert short.status_code == 422 and "Mật khẩu phải có ít nhất 10 ký tự" in short.text
    assert board.client.simulate_get("/api/users/le-van-an", headers=PORTAL_ADMIN).status_code == 404
    taken = desk.post("/quan-tri/phu-mau/thanh-vien/moi", {
        "username": "bien-tap", "name": "Người khác", "email": "", "role": "author", "password": "Mot-mat-khau-dai"})
    assert taken.status_code == 422 and "Tên đăng nhập này đã có người dùng" in taken.text


def test_a_role_is_granted_and_revoked(board):
    desk = admin(board)
    listing = desk.get("/quan-tri/phu-mau/thanh-vien")
    assert 'action="/quan-tri/phu-mau/thanh-vien/tac-gia/cap"' in listing.text
    granted = desk.post("/quan-tri/phu-mau/thanh-vien/tac-gia/cap", {"role": "editor"})
    assert granted.status_code == 200 and "Đã cấp thêm vai trò cho tac-gia" in granted.text
    assert roles_of(board, "tac-gia") == ["author", "editor"]
    revoked = desk.post("/quan-tri/phu-mau/thanh-vien/tac-gia/thu-hoi", {"role": "author"})
    assert revoked.status_code == 200 and "Đã thu hồi vai trò của tac-gia" in revoked.text
    assert roles_of(board, "tac-gia") == ["editor"]
    unknown = desk.post("/quan-tri/phu-mau/thanh-vien/tac-gia/cap", {"role": "platform_admin"})
    assert unknown.status_code == 422 and roles_of(board, "tac-gia") == ["editor"]
    expired = desk.post("/quan-tri/phu-mau/thanh-vien/tac-gia/cap", {"role": "author"}, token="")
    assert expired.status_code == 403 and "Biểu mẫu đã hết hạn" in expired.text
    assert roles_of(board, "tac-gia") == ["editor"]


def test_a_reset_password_is_shown_once_works_once_and_must_be_changed(board):
    desk = admin(board)
    listing = desk.get("/quan-tri/phu-mau/thanh-vien")
    assert 'action="/quan-tri/phu-mau/thanh-vien/tac-gia/dat-lai-mat-khau"' in listing.text
    reset = desk.post("/quan-tri/phu-mau/thanh-vien/tac-gia/dat-lai-mat-khau", follow=False)
    assert reset.status_code == 200 and reset.headers["cache-control"] == "no-store"
    assert "location" not in reset.headers
    temporary = re.search(r'<p class="temporary-password"><code>([^<]+)</code>', reset.text).group(1)
    assert "báo mật khẩu tạm này" in reset.text
    assert temporary not in desk.get("/quan-tri/phu-mau/thanh-vien").text
    assert Desk(board.client).sign_in("tac-gia", PASSWORD).status_code == 401  # the old one is gone

    member = Desk(board.client)
    forced = member.sign_in("tac-gia", temporary)
    assert forced.status_code == 200 and "Mật khẩu của bạn vừa được đặt lại" in forced.text
    assert member.get("/quan-tri/phu-mau", follow=False).headers["location"] == "/quan-tri/mat-khau"
    changed = member.post("/quan-tri/mat-khau", {"current_password": temporary, "password": "Mat-khau-rieng-cua-toi",
                                                 "password_again": "Mat-khau-rieng-cua-toi"})
    assert changed.status_code == 200 and "Đã đổi mật khẩu" in changed.text
    assert member.get("/quan-tri/phu-mau").status_code == 200
    assert Desk(board.client).sign_in("tac-gia", temporary).status_code == 401  # it worked once
    assert Desk(board.client).sign_in("tac-gia", "Mat-khau-rieng-cua-toi").status_code == 200


def test_another_units_member_is_not_found_and_an_editor_is_refused(board):
    unit = {"slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue"}
    assert board.client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit).status_code == 201
    assert board.client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": "nguoi-xa-khac", "name": "Người xã khác", "roles": {"phu-thanh": ["editor"]},
        "password": PASSWORD}).status_code == 201
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/thanh-vien")
    assert desk.post("/quan-tri/phu-mau/thanh-vien/nguoi-xa-khac/dat-lai-mat-khau").status_code == 404
    assert desk.post("/quan-tri/phu-mau/thanh-vien/nguoi-xa-khac/cap", {"role": "author"}).status_code == 404
    assert desk.get("/quan-tri/phu-mau/thanh-vien/tac-gia/dat-lai-mat-khau").status_code == 405
    assert Desk(board.client).sign_in("nguoi-xa-khac", PASSWORD).status_code == 200  # untouched
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    assert editor.get("/quan-tri/phu-mau/thanh-vien").status_code == 403
    assert editor.get("/quan-tri/phu-mau/thanh-vien/moi").status_code == 403

"""Signing in to the workspace: passwords, the session cookie, CSRF, the lock after repeated
failures, sign-out, password change and a unit admin's reset; no workspace page is ever stored."""
import re

from services.content.service import ContentService
from tests.gateway.workspace_desk import PASSWORD, Desk

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone


def test_a_page_of_the_workspace_sends_a_stranger_to_sign_in_and_back(board):
    desk = Desk(board.client)
    answered = desk.get("/quan-tri/phu-mau", follow=False)
    assert answered.status_code == 303
    assert answered.headers["location"] == "/quan-tri/dang-nhap?tiep=/quan-tri/phu-mau"
    desk.get(answered.headers["location"])
    signed_in = desk.post("/quan-tri/dang-nhap", {"username": "bien-tap", "password": PASSWORD,
                                                  "tiep": "/quan-tri/phu-mau"}, follow=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/quan-tri/phu-mau"
    cookie = signed_in.cookies["phien"]
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/" and not cookie.secure


def test_the_session_cookie_is_secure_on_https(board):
    desk = Desk(board.client)
    desk.get("/quan-tri/dang-nhap")
    signed_in = desk.post("/quan-tri/dang-nhap", {"username": "bien-tap", "password": PASSWORD}, follow=False,
                          protocol="https")
    assert signed_in.status_code == 303 and signed_in.cookies["phien"].secure


def test_a_member_of_one_unit_lands_on_it_and_every_answer_is_no_store(board):
    desk = Desk(board.client)
    desk.get("/quan-tri/dang-nhap")
    sent = desk.post("/quan-tri/dang-nhap", {"username": "tac-gia", "password": PASSWORD}, follow=False)
    assert sent.headers["location"] == "/quan-tri/phu-mau"
    desk = Desk(board.client)
    landed = desk.sign_in("tac-gia")
    assert landed.status_code == 200, landed.text
    assert "Cán bộ tac-gia" in landed.text
    assert landed.headers["cache-control"] == "no-store"


def test_only_workspace_addresses_are_followed_after_signing_in(board):
    desk = Desk(board.client)
    desk.get("/quan-tri/dang-nhap")
    answered = desk.post("/quan-tri/dang-nhap", {"username": "tac-gia", "password": PASSWORD,
                                                 "tiep": "https://ke-gian.example/quan-tri"}, follow=False)
    assert answered.headers["location"] == "/quan-tri/phu-mau"  # the one unit's dashboard, never the other site


def test_a_wrong_password_is_named_in_vietnamese_and_keeps_the_username(board):
    desk = Desk(board.client)
    answered = desk.sign_in("bien-tap", "sai-mat-khau-roi")
    assert answered.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in answered.text
    assert 'value="bien-tap"' in answered.text
    assert "phien" not in desk.cookies
    unknown = desk.sign_in("khong-ai-ca", "sai-mat-khau-roi")
    assert unknown.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in unknown.text


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(board):
    desk = Desk(board.client)
    for _ in range(5):
        assert desk.sign_in("bien-tap", "sai-mat-khau-roi").status_code == 401
    locked = desk.sign_in("bien-tap", PASSWORD)
    assert locked.status_code == 429
    assert "thử lại sau 15 phút" in locked.text
    assert int(locked.headers["retry-after"]) > 800
    assert Desk(board.client).sign_in("tac-gia").status_code == 200  # another account is untouched


def test_a_sign_in_without_its_form_token_is_refused_and_nobody_is_signed_in(board):
    desk = Desk(board.client)
    desk.get("/quan-tri/dang-nhap")
    refused = desk.post("/quan-tri/dang-nhap", {"username": "bien-tap", "password": PASSWORD}, token="")
    assert refused.status_code == 403 and "Biểu mẫu đã hết hạn" in refused.text
    assert "phien" not in desk.cookies


def test_signing_out_ends_the_session_on_the_server(board):
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    session = desk.cookies["phien"]
    signed_out = desk.post("/quan-tri/dang-xuat")
    assert signed_out.status_code == 200 and "Bạn đã đăng xuất" in signed_out.text
    replayed = board.client.simulate_get("/quan-tri/phu-mau", cookies={"phien": session})
    assert replayed.status_code == 303


def test_a_form_sent_after_the_session_ended_is_kept_through_signing_in(board):
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    token = desk.token()
    desk.cookies["phien"] = "het-han"
    answered = desk.post("/quan-tri/mat-khau", {"current_password": "x", "password": "Dieu-ghi-nho-1",
                                                "password_again": "y"}, token=token)
    assert answered.status_code == 401 and "Phiên làm việc đã hết hạn" in answered.text
    assert 'name="giu__password" value="Dieu-ghi-nho-1"' in answered.text
    fields = dict(re.findall(r'name="(giu__[^"]+)" value="([^"]*)"', answered.text))
    offered = desk.post("/quan-tri/dang-nhap", {**fields, "username": "bien-tap", "password": PASSWORD,
                                                "tiep": "/quan-tri/mat-khau"})
    assert offered.status_code == 200 and "Gửi lại" in offered.text
    assert 'action="/quan-tri/mat-khau"' in offered.text and 'value="Dieu-ghi-nho-1"' in offered.text


def test_a_password_change_needs_the_current_one_and_ends_other_sessions(board):
    other = Desk(board.client)
    other.sign_in("bien-tap")
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    desk.get("/quan-tri/mat-khau")
    wrong = desk.post("/quan-tri/mat-khau", {"current_password": "khong-phai", "password": "Mot-cau-de-nho-2026",
                                             "password_again": "Mot-cau-de-nho-2026"})
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng" in wrong.text
    empty = desk.post("/quan-tri/mat-khau", {"current_password": "", "password": "", "password_again": ""})
    assert empty.status_code == 422
    for named in ("Vui lòng nhập mật khẩu hiện tại", "Vui lòng nhập mật khẩu mới", "Vui lòng nhập lại mật khẩu mới"):
        assert named in empty.text
    short = desk.post("/quan-tri/mat-khau", {"current_password": PASSWORD, "password": "ngan",
                                             "password_again": "ngan"})
    assert short.status_code == 422 and "ít nhất 10 ký tự" in short.text
    changed = desk.post("/quan-tri/mat-khau", {"current_password": PASSWORD, "password": "Mot-cau-de-nho-2026",
                                               "password_again": "Mot-cau-de-nho-2026"})
    assert changed.status_code == 200 and "Đã đổi mật khẩu" in changed.text
    assert desk.get("/quan-tri/phu-mau").status_code == 200  # this session goes on
    assert other.get("/quan-tri/phu-mau", follow=False).status_code == 303  # the other ended
    assert Desk(board.client).sign_in("bien-tap", "Mot-cau-de-nho-2026").status_code == 200


def test_a_reset_password_works_once_and_must_be_changed_first(board):
    with board.pool.services() as services:
        from tests.drive import acting
        reset = services.content.reset_password(acting("quan-tri-xa"), "tac-gia")
    desk = Desk(board.client)
    forced = desk.sign_in("tac-gia", reset["temporary_password"])
    assert forced.status_code == 200 and "Mật khẩu của bạn vừa được đặt lại" in forced.text
    assert desk.get("/quan-tri/phu-mau", follow=False).headers["location"] == "/quan-tri/mat-khau"
    assert Desk(board.client).sign_in("tac-gia").status_code == 401  # the old password is gone

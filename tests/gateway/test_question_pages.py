"""Questions and answers on the site: the published answers, and the form citizens ask with,
protected by a signed double-submit token and a limit per address counted by the content service."""
import dataclasses
import html
import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from itsdangerous import URLSafeTimedSerializer

from gateway.forms import CSRF_COOKIE, CSRF_FIELD
from tests.drive import acting

LIMIT = 2
FORM = "/phu-mau/hoi-dap/gui-cau-hoi"
QUESTION = {"asker_name": "Nguyễn Văn An", "asker_email": "an.nguyen@example.vn", "asker_phone": "0234 3812 345",
            "title": "Thủ tục cấp giấy chứng nhận quyền sử dụng đất",
            "question": "Gia đình tôi muốn làm sổ đỏ cho mảnh đất ở thôn Diên Đại.\nCần những giấy tờ gì?"}
ANSWER = "<p>Chào ông An, hồ sơ gồm <strong>đơn đề nghị</strong> và giấy tờ về quyền sử dụng đất.</p>"


@pytest.fixture
def portal_settings(portal_settings):
    return dataclasses.replace(portal_settings, QUESTION_RATE_LIMIT=LIMIT)


@pytest.fixture
def client(phu_mau):
    return phu_mau.client


@pytest.fixture
def answered(phu_mau):
    """A question asked, answered and published by the board."""
    with phu_mau.pool.services() as services:
        asked = services.content.ask_question("phu-mau", QUESTION)
        services.content.accept_question(acting(phu_mau.admin), asked["id"])
        services.content.answer_question(acting(phu_mau.admin), asked["id"], {"answer_html": ANSWER})
        return services.content.publish_question(acting(phu_mau.admin), asked["id"])


def open_form(client):
    """GET the form: (its token, the cookie it set)."""
    page = client.simulate_get(FORM)
    assert page.status_code == 200
    token = re.search(rf'<input type="hidden" name="{CSRF_FIELD}" value="([^"]+)">', page.text).group(1)
    return token, page.cookies[CSRF_COOKIE].value


def send(client, fields: dict, cookie: str | None = None, address="203.113.131.7"):
    return client.simulate_post(FORM, body=urlencode(fields), remote_addr=address,
                                headers={"Content-Type": "application/x-www-form-urlencoded"},
                                cookies={CSRF_COOKIE: cookie} if cookie else None)


def ask(client, address="203.113.131.7", **changes):
    token, cookie = open_form(client)
    return send(client, {**QUESTION, CSRF_FIELD: token, **changes}, cookie, address)


def test_answered_questions_are_listed_and_shown_without_contact_details(client, answered):
    listing = client.simulate_get("/phu-mau/hoi-dap")
    assert listing.status_code == 200
    assert f'<a href="/phu-mau/hoi-dap/{answered["id"]}">{QUESTION["title"]}</a>' in listing.text
    assert 'href="/phu-mau/hoi-dap/gui-cau-hoi"' in listing.text

    page = client.simulate_get(f"/phu-mau/hoi-dap/{answered['id']}")
    assert page.status_code == 200
    assert f"<h1>{QUESTION['title']}</h1>" in page.text and "Nguyễn Văn An hỏi ngày" in page.text
    assert "<p>Gia đình tôi muốn làm sổ đỏ cho mảnh đất ở thôn Diên Đại.<br>Cần những giấy tờ gì?</p>" in page.text
    assert ANSWER in page.text and answered["reference"] in page.text
    for text in (listing.text, page.text):
        assert QUESTION["asker_email"] not in text and QUESTION["asker_phone"] not in text
    assert client.simulate_get("/phu-mau/hoi-dap/khong-co").status_code == 404


def test_an_unanswered_question_is_not_public(client, phu_mau):
    with phu_mau.pool.services() as services:
        asked = services.content.ask_question("phu-mau", QUESTION)
    assert client.simulate_get(f"/phu-mau/hoi-dap/{asked['id']}").status_code == 404
    assert "Chưa có câu hỏi nào được trả lời" in client.simulate_get("/phu-mau/hoi-dap").text


def test_the_form_sets_a_signed_cookie_its_token_matches_and_is_never_cached(client):
    page = client.simulate_get(FORM)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    cookie = SimpleCookie(page.headers["set-cookie"])[CSRF_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain http here; https requests get Secure
    assert f'name="{CSRF_FIELD}" value="' in page.text
    for name, label in (("asker_name", "Họ và tên"), ("asker_email", "Thư điện tử"), ("title", "Tiêu đề câu hỏi"),
                        ("question", "Nội dung câu hỏi")):
        assert f'name="{name}"' in page.text and label in page.text
    secure = client.simulate_get(FORM, protocol="https")
    assert SimpleCookie(secure.headers["set-cookie"])[CSRF_COOKIE]["secure"]


def test_a_post_without_a_valid_token_is_refused_and_offers_the_form_again(client):
    token, cookie = open_form(client)
    forged = URLSafeTimedSerializer("another-secret", salt="csrf-field").dumps("guess")
    _, other_cookie = open_form(client)
    other_token = URLSafeTimedSerializer("another-secret", salt="csrf-cookie").dumps("guess")
    for fields, sent_cookie in (
            (QUESTION, cookie),                                # no token
            ({**QUESTION, CSRF_FIELD: token}, None),           # no cookie
            ({**QUESTION, CSRF_FIELD: forged}, cookie),        # signed with another key
            ({**QUESTION, CSRF_FIELD: cookie}, cookie),        # the cookie's value is no form token
            ({**QUESTION, CSRF_FIELD: token}, other_token),    # a cookie that was not ours
    ):
        response = send(client, fields, sent_cookie)
        assert response.status_code == 403
        assert "Biểu mẫu đã hết hạn" in response.text and f'action="{FORM}" method="post"' in response.text
        assert QUESTION["title"] not in response.text  # what a forged post carried is not shown back
        assert response.headers["cache-control"] == "no-store"
    # Another visitor's genuine cookie does not go with this visitor's token.
    assert send(client, {**QUESTION, CSRF_FIELD: token}, other_cookie).status_code == 403
    assert send(client, {**QUESTION, CSRF_FIELD: token}, cookie).status_code == 303


def test_invalid_fields_come_back_with_vietnamese_messages_and_the_values_kept(client):
    response = ask(client, asker_name=" ", asker_email="an.nguyen@", title="Hỏi")
    assert response.status_code == 422
    assert response.headers["cache-control"] == "no-store"
    text = response.text
    summary = re.search(r'<div class="error-summary".*?</div>', text, re.S).group(0)
    assert '<a href="#ho-ten">Vui lòng nhập họ và tên.</a>' in summary
    assert '<a href="#thu-dien-tu">Địa chỉ thư điện tử không đúng định dạng' in summary
    assert '<a href="#tieu-de">Tiêu đề phải có từ 5 đến 250 ký tự.</a>' in summary
    assert '<p class="field-error" id="loi-thu-dien-tu">' in text
    assert 'aria-describedby="goi-y-thu-dien-tu loi-thu-dien-tu" aria-invalid="true"' in text
    assert 'value="an.nguyen@"' in text and 'value="Hỏi"' in text
    assert f'value="{QUESTION["asker_phone"]}"' in text
    assert html.escape(QUESTION["question"], quote=False) in text
    assert 'id="noi-dung" name="question"' in text and 'id="loi-noi-dung"' not in text


def test_a_question_sent_redirects_to_a_confirmation_with_its_reference(client, phu_mau):
    response = ask(client)
    assert response.status_code == 303
    location = response.headers["location"]
    assert urlsplit(location).path == "/phu-mau/hoi-dap/gui-cau-hoi/da-gui"
    confirmation = client.simulate_get(location)
    assert confirmation.status_code == 200 and confirmation.headers["cache-control"] == "no-store"
    reference = re.search(r'<strong class="reference">(HD-\d{4}-\d{6})</strong>', confirmation.text).group(1)
    with phu_mau.pool.services() as services:
        queue = services.content.question_queue(acting(phu_mau.admin), "phu-mau")["questions"]
    assert [question["reference"] for question in queue] == [reference]
    assert queue[0]["asker_email"] == QUESTION["asker_email"] and queue[0]["title"] == QUESTION["title"]

    # Nobody can make the portal confirm a question it did not receive.
    signed = parse_qs(urlsplit(location).query)["ma"][0]
    forged = URLSafeTimedSerializer("another-secret", salt="question-reference").dumps(
        {"unit": "phu-mau", "reference": "HD-2026-999999"})
    for value in (forged, signed[:-2] + "xx", ""):
        assert client.simulate_get("/phu-mau/hoi-dap/gui-cau-hoi/da-gui", params={"ma": value}).status_code == 404


def test_a_robot_filling_the_hidden_field_sends_nothing(client, phu_mau):
    response = ask(client, trang_web="http://spam.example")
    assert response.status_code == 303 and response.headers["location"] == "/phu-mau/hoi-dap"
    with phu_mau.pool.services() as services:
        assert services.content.question_queue(acting(phu_mau.admin), "phu-mau")["total"] == 0


def test_one_address_may_send_the_limit_in_an_hour_then_gets_a_429(client):
    for _ in range(LIMIT):
        assert ask(client).status_code == 303
    refused = ask(client)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    assert refused.headers["cache-control"] == "no-store"
    assert "Bạn đã gửi quá nhiều câu hỏi" in refused.text and f"tối đa {LIMIT} câu hỏi trong một giờ" in refused.text
    assert ask(client, address="2001:ee0:4141:1::7").status_code == 303  # another address is not held back

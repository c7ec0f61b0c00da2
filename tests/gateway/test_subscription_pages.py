"""Subscribing on the site, against the real content and notify services and the SMTP sink:
the email's links act only when their page's button POSTs (a GET, as a mail scanner sends,
changes nothing), and a mail client's one-click unsubscribe (RFC 8058) needs no page at all.

A subscription's state is read through the JSON API: subscribing again answers `pending` for
one that is not confirmed (or was cancelled) and `confirmed` for one that is."""
import re
import uuid
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest

from deploy import demo_data
from gateway.forms import CSRF_COOKIE, CSRF_FIELD
from services.common.events import utcnow
from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService, RankingService, NotifyService)
CONFIRM, UNSUBSCRIBE = "/dang-ky/xac-nhan", "/dang-ky/huy"
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def client(phu_mau):
    return phu_mau.client


@pytest.fixture
def address():
    """An address of this test's own: the SMTP sink is shared by the whole session."""
    return f"dan-{uuid.uuid4().hex[:12]}@example.vn"


def status_of(client, address: str, unit: str = "phu-mau") -> str:
    """`pending` or `confirmed`, as subscribing again through the API tells."""
    answer = client.simulate_post("/api/subscriptions", json={"email": address, "unit": unit})
    assert answer.status_code == 202, answer.text
    return answer.json["status"]


def emails_to(smtp_server, address: str, count: int = 1) -> list:
    return wait_for(lambda: len(smtp_server.messages_to(address)) >= count and smtp_server.messages_to(address),
                    message=f"{count} email(s) to {address}")


def link(email, path: str) -> str:
    """The path and query of the email's link to `path`, as a browser would request it."""
    url = re.search(rf"http://\S+{re.escape(path)}\?token=[\w-]+", email.get_body(("plain",)).get_content()).group(0)
    return url[url.index(path):]


def subscribed(client, smtp_server, address: str):
    """A pending subscription of `address` to Xã Phú Mậu, and its confirmation email."""
    assert status_of(client, address) == "pending"
    return emails_to(smtp_server, address)[0]


def post(client, url: str, body: str = "", **headers):
    path, _, query = url.partition("?")
    return client.simulate_post(path, query_string=query, body=body, headers={**FORM_HEADERS, **headers})


def test_opening_a_link_only_shows_its_button_and_the_button_acts(client, smtp_server, address):
    confirmation = subscribed(client, smtp_server, address)
    confirm = link(confirmation, CONFIRM)
    for _ in range(2):  # a mail scanner, then the citizen
        page = client.simulate_get(confirm)
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert f'action="{confirm}" method="post"' in page.text
        assert "<button type=\"submit\">Xác nhận đăng ký</button>" in page.text
        assert address not in page.text
    assert status_of(client, address) == "pending"

    for _ in range(2):  # a second click answers as the first
        done = post(client, confirm)
        assert done.status_code == 200
        assert "Đăng ký nhận tin đã được xác nhận" in done.text and address in done.text
        assert '<a href="/phu-mau">Xã Phú Mậu</a>' in done.text
    assert status_of(client, address) == "confirmed"

    unsubscribe = link(confirmation, UNSUBSCRIBE)
    for _ in range(2):
        page = client.simulate_get(unsubscribe)
        assert page.status_code == 200
        assert f'action="{unsubscribe}" method="post"' in page.text
        assert "<button type=\"submit\">Hủy đăng ký</button>" in page.text
    assert status_of(client, address) == "confirmed"

    for _ in range(2):
        done = post(client, unsubscribe)
        assert done.status_code == 200
        assert "Đã hủy đăng ký nhận tin" in done.text and address in done.text
        assert 'href="/phu-mau/dang-ky-nhan-tin"' in done.text
    assert status_of(client, address) == "pending"  # cancelled: subscribing again starts over


def test_a_link_the_service_cannot_act_on_gets_a_page_naming_why(phu_mau, client, smtp_server, mongo_client,
                                                                 portal_settings, address):
    for path in (CONFIRM, UNSUBSCRIBE):
        for answer in (client.simulate_get(path), client.simulate_get(path, query_string="token="), post(client, path)):
            assert answer.status_code == 404
            assert "Đường dẫn không đầy đủ" in answer.text
        for token in ("khong-co-ma-nay", "<script>alert(1)</script>", "a" * 300):
            assert client.simulate_get(path, params={"token": token}).status_code == 200  # only the button
            refused = client.simulate_post(path, params={"token": token})
            assert refused.status_code == 404, refused.text
            assert "Đường dẫn không đúng" in refused.text and "<script>alert" not in refused.text

    # Confirming a cancelled subscription: subscribing again is the way.
    confirmation = subscribed(client, smtp_server, address)
    assert post(client, link(confirmation, UNSUBSCRIBE)).status_code == 200
    refused = post(client, link(confirmation, CONFIRM))
    assert refused.status_code == 422
    assert "Đăng ký đã được hủy" in refused.text and "vui lòng đăng ký lại" in refused.text

    # A confirmation link past its deadline. Time cannot be moved here, so the deadline is.
    late = f"tre-{address}"
    expired = subscribed(client, smtp_server, late)
    mongo_client[portal_settings.NOTIFY_DB].subscriptions.update_one(
        {"email": late}, {"$set": {"confirm_by": utcnow() - timedelta(minutes=1)}})
    refused = post(client, link(expired, CONFIRM))
    assert refused.status_code == 422
    assert "Đường dẫn xác nhận đã hết hạn" in refused.text
    assert status_of(client, late) == "pending"


def test_a_mail_client_unsubscribes_in_one_click_without_cookies_or_a_page(client, smtp_server, address):
    confirmation = subscribed(client, smtp_server, address)
    assert post(client, link(confirmation, CONFIRM)).status_code == 200

    target = urlsplit(confirmation["List-Unsubscribe"].strip().strip("<>"))  # unfolded: one leading space
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert target.path == UNSUBSCRIBE
    # As Gmail does: a POST to the header's address, that body, no cookie, no form token.
    answer = client.simulate_post(target.path, query_string=target.query, body=ONE_CLICK, headers=FORM_HEADERS)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.text == "Đã hủy đăng ký nhận tin."
    assert "set-cookie" not in answer.headers
    assert status_of(client, address) == "pending"

    # A repeat (a client retrying) is answered alike.
    assert client.simulate_post(target.path, query_string=target.query, body=ONE_CLICK,
                                headers=FORM_HEADERS).status_code == 200


# The "Đăng ký nhận tin" form

FORM = "/phu-mau/dang-ky-nhan-tin"
SENT = "/phu-mau/dang-ky-nhan-tin/da-gui"
FROM_THIS_SITE = {"Sec-Fetch-Site": "same-origin"}
EMBEDDED_FORM = f'<form class="subscribe-form" action="{FORM}" method="post" novalidate>'


def send(client, fields: dict, cookie: str | None = None, address: str = "203.113.131.7", path: str = FORM,
         **headers):
    return client.simulate_post(path, body=urlencode(fields), remote_addr=address,
                                headers={**FORM_HEADERS, **headers},
                                cookies={CSRF_COOKIE: cookie} if cookie else None)


def open_form(client, path: str = FORM):
    """GET the form alone: (its token, the cookie it set)."""
    page = client.simulate_get(path)
    assert page.status_code == 200
    token = re.search(rf'<input type="hidden" name="{CSRF_FIELD}" value="([^"]+)">', page.text).group(1)
    return token, page.cookies[CSRF_COOKIE].value


def test_the_form_is_on_the_units_home_its_news_lists_and_the_portals_home(phu_mau, client):
    assert client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN,
                                json={"slug": "tin-tuc", "name": "Tin tức", "order": 1}).status_code == 201
    publish(client, category="tin-tuc", tags=["chính quyền"])
    for path in ("/phu-mau", "/phu-mau/chuyen-muc/tin-tuc", "/phu-mau/the/chinh-quyen", "/phu-mau/chuyen-muc/tin-tuc"):
        page = client.simulate_get(path)
        assert page.status_code == 200, path
        assert '<h2 id="dang-ky-nhan-tin">Đăng ký nhận tin</h2>' in page.text
        assert EMBEDDED_FORM in page.text
        assert '<label for="dang-ky-thu-dien-tu">Địa chỉ thư điện tử</label>' in page.text
        assert ('<input id="dang-ky-thu-dien-tu" name="email" type="email" value="" autocomplete="email" '
                'spellcheck="false" maxlength="254" required aria-describedby="goi-y-dang-ky">') in page.text
        assert 'id="goi-y-dang-ky"' in page.text and 'name="trang_web"' in page.text
        # A page every visitor shares holds nobody's form token, and is still kept by the page cache.
        assert CSRF_FIELD not in page.text and "set-cookie" not in page.headers
        assert page.headers["cache-control"] == "no-cache"
    home = client.simulate_get("/")
    assert '<form class="subscribe-form" action="/thua-thien-hue/dang-ky-nhan-tin" method="post"' in home.text
    assert "Nhận tin bài mới của Tỉnh Thừa Thiên Huế" in home.text


def test_subscribing_from_a_shared_page_answers_the_same_whoever_is_subscribed(client, smtp_server, address):
    for headers in (FROM_THIS_SITE, {"Origin": "http://falconframework.org"}):
        sent = send(client, {"email": address}, **headers)
        assert sent.status_code == 303 and sent.headers["location"] == SENT
    page = client.simulate_get(SENT)
    assert page.status_code == 200
    assert "<h1>Vui lòng kiểm tra hộp thư để xác nhận</h1>" in page.text
    [confirmation] = emails_to(smtp_server, address)  # one confirmation, however often asked
    assert confirmation["Subject"] == "Xác nhận đăng ký nhận tin từ Xã Phú Mậu"  # never "XãPhú Mậu"
    assert status_of(client, address) == "pending"

    assert post(client, link(confirmation, CONFIRM)).status_code == 200
    again = send(client, {"email": address}, **FROM_THIS_SITE)
    assert again.status_code == 303 and again.headers["location"] == SENT
    assert status_of(client, address) == "confirmed"


def test_the_form_alone_carries_a_token_that_lets_any_browser_send_it(client, smtp_server, address):
    page = client.simulate_get(FORM)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "<h1>Đăng ký nhận tin</h1>" in page.text and EMBEDDED_FORM in page.text
    token, cookie = open_form(client)
    sent = send(client, {"email": address, CSRF_FIELD: token}, cookie)  # no Sec-Fetch-Site, no Origin
    assert sent.status_code == 303 and sent.headers["location"] == SENT
    emails_to(smtp_server, address)


def test_a_post_from_elsewhere_or_unsigned_is_refused_and_offers_the_form_again(client, smtp_server, address):
    token, cookie = open_form(client)
    for fields, sent_cookie, headers in (
            ({"email": address}, None, {"Sec-Fetch-Site": "cross-site"}),
            ({"email": address}, None, {"Sec-Fetch-Site": "same-site"}),
            ({"email": address}, None, {"Origin": "https://gia-mao.example"}),
            ({"email": address}, None, {"Origin": "null"}),
            ({"email": address}, None, {}),  # a browser that says nothing, and no token
            ({"email": address, CSRF_FIELD: token}, None, {}),  # the token without its cookie
            # Another site's page names itself even when it carries a token it fetched.
            ({"email": address, CSRF_FIELD: "gia-mao"}, cookie, {"Sec-Fetch-Site": "cross-site"}),
    ):
        refused = send(client, fields, sent_cookie, **headers)
        assert refused.status_code == 403, headers
        assert "Biểu mẫu đã hết hạn" in refused.text and EMBEDDED_FORM in refused.text
        assert address not in refused.text and refused.headers["cache-control"] == "no-store"
        assert f'name="{CSRF_FIELD}" value="' in refused.text
    assert status_of(client, "ai-do@example.vn") == "pending"  # the API still takes a subscription
    assert smtp_server.messages_to(address) == []


def test_a_wrong_address_is_named_beside_its_field(client, smtp_server):
    for typed, message in (("nguyen.van.an@", "Địa chỉ thư điện tử không đúng định dạng, ví dụ: ten@example.com."),
                           ("   ", "Vui lòng nhập địa chỉ thư điện tử.")):
        refused = send(client, {"email": typed}, **FROM_THIS_SITE)
        assert refused.status_code == 422
        assert "<title>Lỗi: Đăng ký nhận tin - Xã Phú Mậu</title>" in refused.text
        assert f'<li><a href="#dang-ky-thu-dien-tu">{message}</a></li>' in refused.text
        assert (f'<p class="field-error" id="loi-dang-ky-thu-dien-tu"><span class="visually-hidden">Lỗi: </span>'
                f'{message}</p>') in refused.text
        assert 'aria-describedby="goi-y-dang-ky loi-dang-ky-thu-dien-tu" aria-invalid="true"' in refused.text
        assert f'value="{typed}"' in refused.text
        assert f'name="{CSRF_FIELD}"' in refused.text  # sent again from here, any browser gets through


def test_an_unknown_unit_has_no_form_and_a_robot_gets_nothing_sent(client, smtp_server, address):
    for answer in (client.simulate_get("/khong-co/dang-ky-nhan-tin"),
                   send(client, {"email": address}, path="/khong-co/dang-ky-nhan-tin", **FROM_THIS_SITE)):
        assert answer.status_code == 404
        assert "Không tìm thấy trang" in answer.text
    robot = send(client, {"email": address, "trang_web": "http://spam.example"}, **FROM_THIS_SITE)
    assert robot.status_code == 303 and robot.headers["location"] == SENT
    assert status_of(client, f"khac-{address}") == "pending"
    assert smtp_server.messages_to(address) == []


def test_an_address_that_subscribes_too_often_is_told_when_to_come_back(client, address):
    """The notify service allows 20 attempts an hour from one client address, counted from the
    page and the API alike; the gateway passes the address the request came from."""
    busy, other = "203.113.131.9", "14.161.0.20"
    for _ in range(20):
        assert client.simulate_post("/api/subscriptions", json={"email": address, "unit": "phu-mau"},
                                    remote_addr=busy).status_code == 202
    refused = send(client, {"email": address}, address=busy, **FROM_THIS_SITE)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0 and refused.headers["cache-control"] == "no-store"
    assert "Bạn đã gửi quá nhiều yêu cầu đăng ký" in refused.text
    minutes = -(-int(refused.headers["retry-after"]) // 60)
    assert f"Vui lòng gửi lại sau khoảng {minutes} phút." in refused.text
    api = client.simulate_post("/api/subscriptions", json={"email": address, "unit": "phu-mau"}, remote_addr=busy)
    assert api.status_code == 429 and api.json["error"]["retry_after"] > 0 and api.headers["retry-after"]
    assert send(client, {"email": address}, address=other, **FROM_THIS_SITE).status_code == 303


def test_the_demo_province_and_its_units_offer_the_form(phu_mau, portal_settings):
    """As `make run` loads them (without their past months): the form is in the pages' templates."""
    demo = [unit for unit in demo_data.units() if unit["slug"] in ("thua-thien-hue", "thanh-pho-hue")]
    demo_data.load(portal_settings.as_nameko_config(), log=lambda *_: None, only=demo, history=False, league=False)
    client = phu_mau.client
    home = client.simulate_get("/")
    assert '<form class="subscribe-form" action="/thua-thien-hue/dang-ky-nhan-tin" method="post"' in home.text
    for slug in ("thua-thien-hue", "thanh-pho-hue"):
        for path in (f"/{slug}", f"/{slug}/chuyen-muc/tin-dia-phuong"):
            page = client.simulate_get(path)
            assert page.status_code == 200, path
            assert f'<form class="subscribe-form" action="/{slug}/dang-ky-nhan-tin" method="post"' in page.text

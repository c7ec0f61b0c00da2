"""Subscribing on the site, against the real content and notify services and the SMTP sink:
the email's links act only when their page's button POSTs (a GET, as a mail scanner sends,
changes nothing), and a mail client's one-click unsubscribe (RFC 8058) needs no page at all.

A subscription's state is read through the JSON API: subscribing again answers `pending` for
one that is not confirmed (or was cancelled) and `confirmed` for one that is."""
import re
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from services.common.events import utcnow
from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
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
    url = re.search(rf"http://\S+{re.escape(path)}\?token=[\w-]+", email.get_content()).group(0)
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

    target = urlsplit(confirmation["List-Unsubscribe"].strip("<>"))
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

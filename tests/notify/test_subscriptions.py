"""Subscribing, confirming and unsubscribing, through the real RabbitMQ, MongoDB stand-in
and SMTP server."""
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from services.common.errors import InvalidInput, NotFound
from tests.drive import call
from tests.notify.helpers import token_of


def link_in(text, path):
    """The first link in `text` to the portal page `path`."""
    return next(
        word for word in text.split() if word.startswith(f"http://127.0.0.1:8000{path}?")
    )


def test_subscribing_emails_a_confirmation_link_in_vietnamese(notify, notify_db, inbox, new_address):
    address = new_address()

    assert call(notify, "subscribe", f"  {address.upper()} ", "phu-vang") == {
        "email": address, "unit": "phu-vang", "status": "pending",
    }

    [email] = inbox(address)
    assert email["Subject"] == "Xác nhận đăng ký nhận tin từ Huyện Phú Vang"
    plain = email.get_body(("plain",))
    text = plain.get_content()
    assert plain.get_content_charset() == "utf-8"
    assert "trang thông tin điện tử" in text and "Huyện Phú Vang" in text
    token = token_of(notify_db, address)
    confirm_link = urlsplit(link_in(text, "/dang-ky/xac-nhan"))
    assert parse_qs(confirm_link.query) == {"token": [token]}
    assert link_in(text, "/dang-ky/huy").endswith(f"?token={token}")
    assert email["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000/dang-ky/huy?token={token}>"


def test_subscribing_again_while_pending_resends_the_same_link_without_a_duplicate(
    notify, notify_db, inbox, new_address
):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    # An hour later (the first attempt's email is an hour old), the link is sent again.
    notify_db.subscriptions.update_one(
        {"email": address}, {"$set": {"confirmation_sent_at": datetime.now(timezone.utc) - timedelta(hours=1)}})
    call(notify, "subscribe", address, "phu-vang")

    assert notify_db.subscriptions.count_documents({"email": address}) == 1
    token = token_of(notify_db, address)
    assert [f"token={token}" in email.get_body(("plain",)).get_content() for email in inbox(address)] == [True, True]


def test_confirming_makes_the_subscription_active_and_a_second_click_changes_nothing(
    notify, notify_db, inbox, new_address
):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    token = token_of(notify_db, address)

    confirmed = {"email": address, "unit": "phu-vang", "status": "confirmed"}
    assert call(notify, "confirm", token) == confirmed
    assert call(notify, "confirm", token) == confirmed
    # Subscribing once confirmed neither demotes the subscription nor emails again.
    assert call(notify, "subscribe", address, "phu-vang") == confirmed
    assert len(inbox(address)) == 1


def test_one_address_subscribes_to_several_units_separately(notify, notify_db, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    call(notify, "subscribe", address, "thuan-an")

    assert token_of(notify_db, address, "phu-vang") != token_of(notify_db, address, "thuan-an")


def test_an_expired_confirmation_link_is_refused_and_subscribing_again_renews_it(
    notify, notify_db, new_address
):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    subscription = notify_db.subscriptions.find_one({"email": address})
    assert subscription["confirm_by"] - subscription["created_at"] == timedelta(days=7)
    # Seven days pass.
    notify_db.subscriptions.update_one(
        {"_id": subscription["_id"]},
        {"$set": {"confirm_by": datetime.now(timezone.utc) - timedelta(seconds=1)}},
    )
    token = subscription["token"]

    with pytest.raises(InvalidInput) as refused:
        call(notify, "confirm", token)
    assert refused.value.fields == {"token": "expired"}
    assert "expired" in refused.value.message

    call(notify, "subscribe", address, "phu-vang")
    assert call(notify, "confirm", token)["status"] == "confirmed"


def test_an_unknown_token_is_not_found_and_a_malformed_one_is_invalid(notify):
    with pytest.raises(NotFound):
        call(notify, "confirm", "khong-co-token-nay")
    with pytest.raises(NotFound):
        call(notify, "unsubscribe", "khong-co-token-nay")
    with pytest.raises(InvalidInput) as refused:
        call(notify, "confirm", "<script>")
    assert set(refused.value.fields) == {"token"}


def test_an_invalid_email_is_refused_naming_the_field(notify, notify_db):
    with pytest.raises(InvalidInput) as refused:
        call(notify, "subscribe", "khong-phai-email", "phu-vang")

    assert set(refused.value.fields) == {"email"}
    assert notify_db.subscriptions.count_documents({}) == 0


def test_an_unknown_unit_is_not_found(notify, notify_db, inbox, new_address):
    address = new_address()
    with pytest.raises(NotFound):
        call(notify, "subscribe", address, "khong-ton-tai")

    assert notify_db.subscriptions.count_documents({}) == 0
    assert inbox(address) == []


def test_unsubscribing_ends_the_subscription_and_confirming_cannot_revive_it(
    notify, notify_db, new_address
):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    token = token_of(notify_db, address)
    call(notify, "confirm", token)

    assert call(notify, "unsubscribe", token)["status"] == "unsubscribed"
    assert call(notify, "unsubscribe", token)["status"] == "unsubscribed"
    with pytest.raises(InvalidInput) as refused:
        call(notify, "confirm", token)
    assert refused.value.fields == {"token": "unsubscribed"}

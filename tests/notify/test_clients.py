"""Subscribing with the address of the client that asked, as the gateway's form does."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import InvalidInput, TooManyRequests
from services.notify.throttles import ATTEMPTS_PER_CLIENT
from tests.drive import call


def test_a_subscription_names_the_client_it_came_from_or_not(notify, inbox, new_address):
    named, unnamed = new_address(), new_address()

    assert call(notify, "subscribe", named, "phu-vang", client="203.0.113.7")["status"] == "pending"
    assert call(notify, "subscribe", unnamed, "phu-vang")["status"] == "pending"

    assert len(inbox(named)) == 1 and len(inbox(unnamed)) == 1


def test_ten_attempts_in_an_hour_send_one_confirmation(notify, notify_db, inbox, new_address):
    address = new_address()

    answers = [call(notify, "subscribe", address, "phu-vang", client="203.0.113.8") for _ in range(10)]

    assert {answer["status"] for answer in answers} == {"pending"}
    assert len(inbox(address)) == 1
    assert notify_db.subscriptions.count_documents({"email": address}) == 1


def test_a_client_past_twenty_attempts_an_hour_is_refused_with_when_to_retry(notify, notify_db, inbox, new_address):
    addresses = [new_address() for _ in range(ATTEMPTS_PER_CLIENT + 1)]
    for address in addresses[:-1]:
        call(notify, "subscribe", address, "phu-vang", client="198.51.100.4")

    with pytest.raises(TooManyRequests) as refused:
        call(notify, "subscribe", addresses[-1], "phu-vang", client="198.51.100.4")

    assert "20 subscriptions an hour" in refused.value.message
    assert 0 < refused.value.retry_after <= 3600
    assert inbox(addresses[-1]) == []
    assert notify_db.subscriptions.count_documents({"email": addresses[-1]}) == 0
    # Another client, and the gateway's calls that name none, are not held back.
    assert call(notify, "subscribe", addresses[-1], "phu-vang", client="198.51.100.5")["status"] == "pending"
    # The address itself is not stored.
    assert notify_db.client_attempts.count_documents({"client": "198.51.100.4"}) == 0


def test_the_client_limit_lets_attempts_through_again_after_the_hour(notify, notify_db, new_address):
    for _ in range(ATTEMPTS_PER_CLIENT):
        call(notify, "subscribe", new_address(), "phu-vang", client="198.51.100.9")
    # An hour passes for the attempts counted so far.
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1, seconds=1)
    notify_db.client_attempts.update_many({}, {"$set": {"at": an_hour_ago}})

    assert call(notify, "subscribe", new_address(), "phu-vang", client="198.51.100.9")["status"] == "pending"


def test_a_client_that_is_not_an_address_is_refused_naming_it(notify, notify_db, new_address):
    address = new_address()
    for client in (12345, "x" * 101):
        with pytest.raises(InvalidInput) as refused:
            call(notify, "subscribe", address, "phu-vang", client=client)
        assert set(refused.value.fields) == {"client"}
    assert notify_db.subscriptions.count_documents({"email": address}) == 0

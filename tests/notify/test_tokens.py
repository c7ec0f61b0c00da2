"""Links are found by a hash of their token, never by the token itself, so that how long a
lookup takes tells nothing about the tokens; subscriptions older than the hash get it at start."""
import hashlib

import pytest

from services.common.errors import NotFound
from services.common.events import utcnow
from tests.drive import call
from tests.notify.helpers import token_of


def test_a_subscription_keeps_a_256_bit_token_and_its_sha256_hash(notify, notify_db, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")

    subscription = notify_db.subscriptions.find_one({"email": address})
    assert len(subscription["token"]) == 43  # 32 random bytes in URL-safe base64
    assert subscription["token_hash"] == hashlib.sha256(subscription["token"].encode()).hexdigest()
    assert notify_db.subscriptions.index_information()["token_hash_1"]["unique"] is True
    assert call(notify, "confirm", subscription["token"])["status"] == "confirmed"


def test_a_token_differing_from_a_real_one_by_its_last_letter_is_not_found(notify, notify_db, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    token = token_of(notify_db, address)
    near_miss = token[:-1] + ("A" if token[-1] != "A" else "B")

    with pytest.raises(NotFound):
        call(notify, "confirm", near_miss)
    with pytest.raises(NotFound):
        call(notify, "unsubscribe", near_miss)
    assert notify_db.subscriptions.find_one({"email": address})["status"] == "pending"


def test_subscriptions_made_before_token_hashes_get_theirs_at_start(start_notify, notify_db):
    older = [
        {"email": f"cong-dan-cu-{number}@example.vn", "unit": "phu-vang", "status": "confirmed",
         "token": f"token-cu-so-{number}", "created_at": utcnow()}
        for number in range(3)
    ]
    notify_db.subscriptions.insert_many(older)

    notify = start_notify()

    for subscription in older:
        stored = notify_db.subscriptions.find_one({"token": subscription["token"]})
        assert stored["token_hash"] == hashlib.sha256(subscription["token"].encode()).hexdigest()
    assert call(notify, "unsubscribe", "token-cu-so-1")["email"] == "cong-dan-cu-1@example.vn"

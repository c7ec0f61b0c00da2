"""What the service keeps of people, and for how long: the address of a subscription ended 28
days ago is forgotten (its link still says it was cancelled), and the record of an email done
with for 7 days is deleted. The clock is moved by writing old times into MongoDB."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import InvalidInput
from services.notify.dependencies import SubscriptionStore
from services.notify.retention import FORGET_UNSUBSCRIBED_AFTER, KEEP_DELIVERIES_FOR
from tests.drive import call
from tests.notify.helpers import article_published, subscribe_and_confirm, token_of

SECOND = timedelta(seconds=1)


def ago(period: timedelta) -> datetime:
    return datetime.now(timezone.utc) - period


def unsubscribed_since(notify, notify_db, email, period: timedelta) -> str:
    subscribe_and_confirm(notify, notify_db, email)
    token = token_of(notify_db, email)
    call(notify, "unsubscribe", token)
    notify_db.subscriptions.update_one({"token": token}, {"$set": {"unsubscribed_at": ago(period)}})
    return token


def test_an_address_unsubscribed_28_days_ago_is_forgotten_and_its_link_still_answers(
    notify, notify_db, new_address
):
    old, recent, subscribed = new_address(), new_address(), new_address()
    old_token = unsubscribed_since(notify, notify_db, old, FORGET_UNSUBSCRIBED_AFTER + SECOND)
    recent_token = unsubscribed_since(notify, notify_db, recent, FORGET_UNSUBSCRIBED_AFTER - timedelta(minutes=1))
    subscribe_and_confirm(notify, notify_db, subscribed)

    call(notify, "forget_old")
    call(notify, "forget_old")  # another instance's sweep, or the next day's

    forgotten = notify_db.subscriptions.find_one({"token": old_token})
    assert forgotten["email"] == f"forgotten:{forgotten['_id']}"
    assert notify_db.subscriptions.count_documents({"email": old}) == 0
    assert notify_db.subscriptions.find_one({"token": recent_token})["email"] == recent
    assert notify_db.subscriptions.find_one({"email": subscribed})["status"] == "confirmed"
    # The old link still says the subscription was cancelled, without the address.
    assert call(notify, "unsubscribe", old_token)["status"] == "unsubscribed"
    with pytest.raises(InvalidInput) as refused:
        call(notify, "confirm", old_token)
    assert refused.value.fields == {"token": "unsubscribed"}
    # The same address may subscribe anew.
    assert call(notify, "subscribe", old, "phu-vang")["status"] == "pending"
    assert token_of(notify_db, old) != old_token


def test_email_records_done_with_for_7_days_are_deleted_and_others_kept(notify_db):
    # No notify service runs here: its sweep would send these deliveries as they are planned.
    store = SubscriptionStore(notify_db)
    store.ensure_indexes()
    for number in range(6):
        store.confirm(store.subscribe(f"cong-dan-luu-{number}@example.vn", "phu-vang")["token"])
    store.plan_deliveries(article_published())
    deliveries = [delivery["_id"] for delivery in notify_db.deliveries.find()]
    outcomes = ["sent", "failed", "cancelled", "refused", "pending", "sent"]
    ages = [KEEP_DELIVERIES_FOR + SECOND] * 5 + [KEEP_DELIVERIES_FOR - timedelta(minutes=1)]
    for delivery, status, age in zip(deliveries, outcomes, ages):
        notify_db.deliveries.update_one(
            {"_id": delivery},
            {"$set": {"status": status, "created_at": ago(age), "due_at": ago(age) + timedelta(days=365)}})

    store.apply_retention()

    assert sorted(delivery["status"] for delivery in notify_db.deliveries.find()) == ["pending", "sent"]
    assert notify_db.deliveries.find_one({"status": "sent"})["_id"] == deliveries[-1]


def test_following_the_unsubscribe_link_again_does_not_put_off_forgetting(notify, notify_db, new_address):
    address = new_address()
    token = unsubscribed_since(notify, notify_db, address, FORGET_UNSUBSCRIBED_AFTER + SECOND)

    call(notify, "unsubscribe", token)
    call(notify, "forget_old")

    assert notify_db.subscriptions.find_one({"token": token})["email"].startswith("forgotten:")


def test_an_address_never_confirmed_is_forgotten_28_days_after_its_link_expired(notify, notify_db, new_address):
    never, lately = new_address(), new_address()
    for address, expired in ((never, FORGET_UNSUBSCRIBED_AFTER + SECOND),
                             (lately, FORGET_UNSUBSCRIBED_AFTER - timedelta(minutes=1))):
        call(notify, "subscribe", address, "phu-vang")
        notify_db.subscriptions.update_one({"email": address}, {"$set": {"confirm_by": ago(expired)}})
    token = token_of(notify_db, never)

    call(notify, "forget_old")

    assert notify_db.subscriptions.count_documents({"email": never}) == 0
    assert notify_db.subscriptions.find_one({"email": lately})["status"] == "pending"
    with pytest.raises(InvalidInput) as refused:  # its link still answers, without the address
        call(notify, "confirm", token)
    assert refused.value.fields == {"token": "expired"}
    assert call(notify, "subscribe", never, "phu-vang")["status"] == "pending"

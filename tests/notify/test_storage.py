"""Claims on deliveries, against the MongoDB stand-in: what keeps two workers from sending
one email twice, and what lets a sweep recover a delivery whose sender died."""
import uuid
from datetime import timedelta

import eventlet
import pytest

from services.notify import delivery, dependencies
from services.notify.dependencies import SEND_LEASE, MailSession, SubscriptionStore
from tests.notify.helpers import article_published


@pytest.fixture
def store(notify_db):
    store = SubscriptionStore(notify_db)
    store.ensure_indexes()
    return store


def confirmed_subscribers(store, count):
    for number in range(count):
        subscription = store.subscribe(f"cong-dan-{number}@example.vn", "phu-vang")
        store.confirm(subscription["token"])


def test_concurrent_workers_claim_each_delivery_once(store):
    confirmed_subscribers(store, 30)
    store.plan_deliveries(article_published())

    def claim_all():
        claimed = []
        while (delivery := store.claim_due_delivery()) is not None:
            claimed.append(delivery["_id"])
        return claimed

    workers = [eventlet.spawn(claim_all) for _ in range(4)]
    claims = [claim for worker in workers for claim in worker.wait()]

    assert len(claims) == len(set(claims)) == 30


def test_concurrent_workers_claiming_batches_share_the_deliveries_out_once(store):
    confirmed_subscribers(store, 30)
    store.plan_deliveries(article_published())

    def claim_all():
        claimed = []
        while batch := store.claim_due_deliveries(limit=7):
            claimed.extend(delivery["_id"] for delivery in batch)
        return claimed

    workers = [eventlet.spawn(claim_all) for _ in range(4)]
    claims = [claim for worker in workers for claim in worker.wait()]

    assert len(claims) == len(set(claims)) == 30


def test_a_claimed_delivery_is_due_again_once_its_lease_runs_out(store, notify_db):
    confirmed_subscribers(store, 1)
    store.plan_deliveries(article_published())
    claimed = store.claim_due_delivery()
    assert store.claim_due_delivery() is None

    # The claimer died without sending: let its lease run out.
    notify_db.deliveries.update_one(
        {"_id": claimed["_id"]}, {"$set": {"due_at": claimed["due_at"] - SEND_LEASE}}
    )

    reclaimed = store.claim_due_delivery()
    assert reclaimed["_id"] == claimed["_id"] and reclaimed["attempts"] == 2


class SlowMailServer(MailSession):
    """The real mail server, reached only after three leases' time, as a slow one would be."""

    def send_article(self, delivery):
        eventlet.sleep(dependencies.SEND_LEASE.total_seconds() * 3)
        super().send_article(delivery)


def test_a_delivery_stays_its_senders_for_as_long_as_the_send_takes(store, monkeypatch, settings, smtp_server):
    # A lease of 3 s renewed every second: a busy CI machine may stall the renewal a moment, not a lease.
    lease = timedelta(seconds=3)
    monkeypatch.setattr(dependencies, "SEND_LEASE", lease)
    monkeypatch.setattr(delivery, "SEND_LEASE", lease)
    address = f"cong-dan-{uuid.uuid4().hex[:12]}@example.vn"
    store.confirm(store.subscribe(address, "phu-vang")["token"])
    store.plan_deliveries(article_published())
    taken_by_others = []
    tries = int(lease.total_seconds() * 3 / 0.2)  # across the whole send, three times the lease

    def another_worker():
        # Only once the sender holds it: a rival asking first would simply be the sender.
        while store.deliveries.find_one({"email": address, "claim": {"$exists": True}}) is None:
            eventlet.sleep(0.05)
        for _ in range(tries):
            taken_by_others.append(store.claim_due_delivery())
            eventlet.sleep(0.2)

    rival = eventlet.spawn(another_worker)
    mail = SlowMailServer(settings)
    delivery.send_due_deliveries(store, mail)
    mail.close()
    rival.wait()
    assert taken_by_others == [None] * tries
    assert len(smtp_server.messages_to(address)) == 1

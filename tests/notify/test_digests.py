"""Daily and weekly digests: due at 07:00 in Vietnam (Mondays for weekly), sent once per
subscription and period even across a sender stopped mid-way, never empty, without what was
withdrawn. The clock is driven by passing `now` to plan_digests, as the timer passes the real time."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.events import ArticleUnpublished, utcnow
from services.notify.delivery import send_due_deliveries
from services.notify.dependencies import SEND_LEASE, MailSession, SubscriptionStore
from services.notify.digests import period_of
from tests.drive import call
from tests.notify.units_tree import ContentTree, news
from tests.servers import free_port, wait_for

VIETNAM = timezone(timedelta(hours=7))


@pytest.fixture
def content(container_factory, nameko_config):
    container = container_factory(ContentTree, nameko_config)
    container.start()
    return container


@pytest.fixture
def store(notify_db):
    store = SubscriptionStore(notify_db)
    store.ensure_indexes()
    return store


def digests(inbox, address):
    return [message for message in inbox(address) if "Bản tin" in message["Subject"]]


def follow_daily(notify, notify_db, address, frequency="daily"):
    call(notify, "subscribe", address, "phu-vang", frequency=frequency)
    call(notify, "confirm", notify_db.subscriptions.find_one({"email": address})["token"])


def period_end(notify_db, address):
    subscription = notify_db.subscriptions.find_one({"email": address})
    return notify_db.digest_items.find_one({"subscription_id": subscription["_id"]})["due_at"]


@pytest.mark.parametrize("arrived, period", [
    (datetime(2026, 12, 6, 6, 59, tzinfo=VIETNAM), ("daily:2026-12-06", "weekly:2026-12-07")),
    (datetime(2026, 12, 6, 7, 0, tzinfo=VIETNAM), ("daily:2026-12-07", "weekly:2026-12-07")),
    (datetime(2026, 12, 7, 7, 0, tzinfo=VIETNAM), ("daily:2026-12-08", "weekly:2026-12-14")),
    (datetime(2026, 12, 7, 6, 0, tzinfo=timezone.utc), ("daily:2026-12-08", "weekly:2026-12-14")),
])
def test_an_item_goes_in_the_digest_of_the_next_seven_oclock_in_vietnam_mondays_for_weekly(arrived, period):
    assert (period_of("daily", arrived)[0], period_of("weekly", arrived)[0]) == period
    assert period_of("weekly", arrived)[1].astimezone(VIETNAM).hour == 7


def test_a_daily_digest_gathers_the_periods_news_without_what_was_withdrawn(
    notify, notify_db, events_in, inbox, new_address, store
):
    address = new_address()
    follow_daily(notify, notify_db, address)

    for number in (1, 2, 3):
        events_in.deliver(notify, "notify_subscribers", news(f"bai-{number}", title=f"Tin số {number}"))
    events_in.deliver(notify, "withdraw_article", ArticleUnpublished(
        document_id="bai-2", version=2, occurred_at=utcnow(), unit="phu-vang"))
    due = period_end(notify_db, address)

    store.plan_digests(due - timedelta(seconds=1))  # the period has not ended: nothing yet
    assert notify_db.deliveries.count_documents({}) == 0
    store.plan_digests(due)

    [digest] = wait_for(lambda: digests(inbox, address), message="the digest")
    assert digest["Subject"] == "Bản tin hằng ngày: 2 tin mới"
    text = digest.get_body(("plain",)).get_content()
    assert "Tin số 1" in text and "Tin số 3" in text and "Tin số 2" not in text
    assert "http://127.0.0.1:8000/phu-vang/tin-tuc/bai-1" in text
    token = notify_db.subscriptions.find_one({"email": address})["token"]
    assert f"http://127.0.0.1:8000/dang-ky/quan-ly?token={token}" in text
    assert len(inbox(address)) == 2  # the confirmation and the digest: no email per article


def test_a_digest_whose_items_were_all_withdrawn_is_not_sent(notify_db, inbox, new_address, store, settings):
    address = new_address()
    store.confirm(store.subscribe(address, "phu-vang", frequency="weekly")["token"])
    store.plan_deliveries(news("bai-rut"))
    store.plan_deliveries(news("bai-rut-truoc"))
    store.cancel_deliveries_of("bai-rut-truoc")  # withdrawn before the period ended
    store.plan_digests(period_end(notify_db, address))
    store.cancel_deliveries_of("bai-rut")  # withdrawn after the digest was planned, before it went

    send_due_deliveries(store, MailSession(settings))

    assert notify_db.deliveries.find_one({"email": address})["status"] == "cancelled"
    assert inbox(address) == []


def test_a_period_without_items_plans_no_digest(notify_db, new_address, store):
    store.confirm(store.subscribe(new_address(), "phu-vang", frequency="daily")["token"])
    store.plan_digests(utcnow() + timedelta(days=8))
    assert notify_db.deliveries.count_documents({}) == 0


def test_a_digest_goes_exactly_once_though_its_sender_stops_mid_way_and_restarts(
    start_notify, notify_db, events_in, inbox, new_address, store
):
    address = new_address()
    first = start_notify()
    follow_daily(first, notify_db, address)
    events_in.deliver(first, "notify_subscribers", news("bai-1"))
    due = period_end(notify_db, address)
    first.stop()

    # A sender whose mail server stops answering mid-way: it claimed the digest, then is stopped.
    stalled = start_notify(SMTP_PORT=free_port())
    store.plan_digests(due)
    wait_for(lambda: notify_db.deliveries.find_one({"email": address}).get("last_error"),
             message="the stalled sender's attempt")
    stalled.kill()

    # Restarted; every instance's timer plans the period's digest again.
    start_notify()
    store.plan_digests(due)
    store.plan_digests(due + timedelta(minutes=5))

    wait_for(lambda: notify_db.deliveries.find_one({"email": address})["status"] == "sent", message="the digest sent")
    store.plan_digests(due + timedelta(hours=1))
    assert notify_db.deliveries.count_documents({"email": address}) == 1
    assert len(digests(inbox, address)) == 1


def test_an_immediate_subscriber_gets_no_digest(notify, notify_db, events_in, inbox, new_address, store):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    call(notify, "confirm", notify_db.subscriptions.find_one({"email": address})["token"])
    events_in.deliver(notify, "notify_subscribers", news("bai-ngay"))

    store.plan_digests(utcnow() + timedelta(days=8))

    assert notify_db.digest_items.count_documents({}) == 0
    assert [delivery["article_id"] for delivery in notify_db.deliveries.find()] == ["bai-ngay"]


def test_a_digest_its_sender_died_holding_goes_once_when_the_lease_runs_out(
    start_notify, notify_db, inbox, new_address, store
):
    address = new_address()
    store.confirm(store.subscribe(address, "phu-vang", frequency="daily")["token"])
    store.plan_deliveries(news("bai-1"))
    store.plan_digests(period_end(notify_db, address))
    assert store.claim_due_delivery()["period"].startswith("daily:")  # a sender that then died

    start_notify()
    wait_for(lambda: notify_db.deliveries.find_one({"email": address})["status"] == "sent",
             timeout=SEND_LEASE.total_seconds() * 3, message="the digest sent after the lease")
    store.plan_digests(period_end(notify_db, address) + timedelta(days=1))
    assert len(digests(inbox, address)) == 1

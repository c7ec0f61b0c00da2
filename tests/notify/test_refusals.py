"""Addresses the mail server refuses for good are suppressed: their pending emails are cancelled,
no email is planned for them again, and subscribing them sends nothing. The day's figures of
emails sent and refused show the bounce rate."""
import uuid
from datetime import datetime

import pytest

from services.common.errors import InvalidInput
from services.notify.dependencies import SubscriptionStore
from services.notify.emails import PORTAL_TIMEZONE
from tests.drive import call
from tests.notify.helpers import article_published
from tests.notify.refusing_smtp import REFUSED_FOR_GOOD, REFUSED_FOR_NOW, RefusingSmtpServer
from tests.servers import wait_for


@pytest.fixture(scope="module")
def refusing_server(tmp_path_factory):
    server = RefusingSmtpServer(tmp_path_factory.mktemp("refusing-smtp")).start()
    yield server
    server.stop()


@pytest.fixture
def notify(start_notify, refusing_server):
    return start_notify(SMTP_PORT=refusing_server.port)


def address(kind="cong-dan"):
    return f"{kind}-{uuid.uuid4().hex[:12]}@example.vn"


def confirmed(notify_db, email, unit="phu-vang"):
    store = SubscriptionStore(notify_db)
    store.confirm(store.subscribe(email, unit)["token"])


def deliveries_to(notify_db, email):
    return sorted(delivery["status"] for delivery in notify_db.deliveries.find({"email": email}))


def today():
    return datetime.now(PORTAL_TIMEZONE).date().isoformat()


def test_an_address_refused_for_good_is_suppressed_and_its_other_emails_cancelled(
    start_notify, notify_db, publish, refusing_server
):
    gone, kept = address(REFUSED_FOR_GOOD), address()
    confirmed(notify_db, gone)
    confirmed(notify_db, gone, unit="thuan-an")
    confirmed(notify_db, kept)
    # An email to the address for another unit, planned and waiting for a later sweep; made
    # before the service starts, whose sweep would otherwise send it before it is put off.
    SubscriptionStore(notify_db).plan_deliveries(article_published("bai-0", unit="thuan-an"))
    notify_db.deliveries.update_many({}, {"$set": {"due_at": datetime(2099, 1, 1, tzinfo=PORTAL_TIMEZONE)}})
    notify = start_notify(SMTP_PORT=refusing_server.port)

    publish(notify, article_published())

    wait_for(lambda: deliveries_to(notify_db, gone) == ["cancelled", "refused"], message="the refusal recorded")
    assert notify_db.suppressed.find_one({"_id": gone})["reason"].startswith("SMTPRecipientsRefused")
    wait_for(lambda: len(refusing_server.messages_to(kept)) == 1, message="the other subscriber's email")

    # The next article plans nothing for the suppressed address.
    publish(notify, article_published("bai-2"))
    assert deliveries_to(notify_db, gone) == ["cancelled", "refused"]
    wait_for(lambda: len(refusing_server.messages_to(kept)) == 2, message="the next article's email")


def test_a_full_mailbox_is_retried_not_suppressed(notify, notify_db, publish):
    full = address(REFUSED_FOR_NOW)
    confirmed(notify_db, full)

    publish(notify, article_published())

    wait_for(lambda: notify_db.deliveries.find_one({"email": full}, {"last_error": 1}).get("last_error"),
             message="the first refusal")
    [delivery] = notify_db.deliveries.find({"email": full})
    assert delivery["status"] == "pending" and "452" in delivery["last_error"]
    assert notify_db.suppressed.count_documents({}) == 0


def test_subscribing_a_suppressed_address_answers_as_usual_and_sends_nothing(notify, notify_db):
    gone = address(REFUSED_FOR_GOOD)
    # The first confirmation is refused for good: the caller is told nothing of it.
    assert call(notify, "subscribe", gone, "phu-vang")["status"] == "pending"
    assert notify_db.suppressed.count_documents({"_id": gone}) == 1
    # Nor is the next caller, a unit later: the mail server is not asked again.
    assert call(notify, "subscribe", gone, "thuan-an") == {"email": gone, "unit": "thuan-an", "status": "pending"}
    assert notify_db.subscriptions.find_one({"email": gone, "unit": "thuan-an"}).get("confirmation_sent_at") is None

    figures = call(notify, "delivery_figures", 1)
    assert figures["days"] == [{"date": today(), "sent": 0, "refused": 1, "bounce_rate": 1.0}]


def test_the_days_figures_count_sends_and_refusals_with_the_thresholds(notify, notify_db, publish, refusing_server):
    for email in (address(), address(), address(), address(REFUSED_FOR_GOOD)):
        confirmed(notify_db, email)

    publish(notify, article_published())
    wait_for(lambda: notify_db.deliveries.count_documents({"status": {"$in": ["sent", "refused"]}}) == 4,
             message="every email sent or refused")

    figures = call(notify, "delivery_figures")
    assert len(figures["days"]) == 7
    assert figures["days"][-1] == {"date": today(), "sent": 3, "refused": 1, "bounce_rate": 0.25}
    assert {day["sent"] for day in figures["days"][:-1]} == {0}
    assert (figures["warn_at"], figures["suspend_at"]) == (0.05, 0.10)
    assert [day["date"] for day in figures["days"]] == sorted(day["date"] for day in figures["days"])


@pytest.mark.parametrize("days", [0, 91, -1, "7", 7.5, True, None])
def test_a_figures_span_outside_one_to_ninety_days_is_refused(notify, days):
    with pytest.raises(InvalidInput) as refused:
        call(notify, "delivery_figures", days)
    assert set(refused.value.fields) == {"days"}

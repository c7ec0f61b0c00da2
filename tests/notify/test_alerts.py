"""New articles emailed to confirmed subscribers, once each, even through redelivered
events and a mail server outage; an old site's archive imported is not news."""
from datetime import timedelta

from services.common.events import utcnow
from services.notify.dependencies import SEND_LEASE, MailSession, SubscriptionStore
from tests.drive import call
from tests.notify.helpers import article_published, subscribe_and_confirm, token_of
from tests.servers import free_port, wait_for

ARTICLE_URL = "http://127.0.0.1:8000/phu-vang/tin-tuc/bai-1-khanh-thanh"


def alerts(messages):
    return [message for message in messages if "Xác nhận" not in message["Subject"]]


def test_a_confirmed_subscriber_gets_the_article_and_an_unconfirmed_one_does_not(
    notify, notify_db, publish, inbox, new_address
):
    confirmed, unconfirmed, other_unit = new_address(), new_address(), new_address()
    subscribe_and_confirm(notify, notify_db, confirmed)
    call(notify, "subscribe", unconfirmed, "phu-vang")
    subscribe_and_confirm(notify, notify_db, other_unit, unit="thuan-an")

    publish(notify, article_published())

    # Sent by the handler, or by a sweep that claimed it first and may still be sending.
    [alert] = wait_for(lambda: alerts(inbox(confirmed)), message="the article email")
    assert alert["Subject"] == "Huyện Phú Vang: Khánh thành cầu Trường Hà"
    text = alert.get_body(("plain",)).get_content()
    assert "Khánh thành cầu Trường Hà" in text
    assert "Cây cầu nối đôi bờ phá Tam Giang" in text
    assert f"Đọc toàn văn: {ARTICLE_URL}\n" in text
    assert f"/dang-ky/huy?token={token_of(notify_db, confirmed)}" in text
    assert alerts(inbox(unconfirmed)) == []
    assert alerts(inbox(other_unit)) == []
    assert notify_db.deliveries.find_one({"email": confirmed})["status"] == "sent"


def test_the_same_event_twice_or_a_later_version_sends_one_email(
    notify, notify_db, publish, inbox, new_address
):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address)
    event = article_published()

    publish(notify, event)
    publish(notify, event)
    publish(notify, article_published(version=2, title="Khánh thành cầu Trường Hà (cập nhật)"))

    wait_for(lambda: alerts(inbox(address)), message="the article email")
    assert [alert["Subject"] for alert in alerts(inbox(address))] == [
        "Huyện Phú Vang: Khánh thành cầu Trường Hà"
    ]
    assert notify_db.deliveries.count_documents({}) == 1


def test_an_article_published_over_a_week_before_notify_hears_of_it_emails_no_one(
    notify, notify_db, publish, inbox, new_address
):
    """An old site's archive brought in by a history import: its items are published on their old
    dates, and their events must not email every subscriber about last year's news."""
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address)

    publish(notify, article_published("bai-cu", title="Tin năm ngoái", at=utcnow() - timedelta(days=8)))
    assert notify_db.deliveries.count_documents({}) == 0
    assert notify_db.digest_items.count_documents({}) == 0

    publish(notify, article_published("bai-tuan-truoc", title="Tin tuần trước", at=utcnow() - timedelta(days=6)))
    [alert] = wait_for(lambda: alerts(inbox(address)), message="the email of the week-old article")
    assert alert["Subject"] == "Huyện Phú Vang: Tin tuần trước"


def test_an_unsubscribed_address_gets_no_more_articles(notify, notify_db, publish, inbox, new_address):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address)
    call(notify, "unsubscribe", token_of(notify_db, address))

    publish(notify, article_published())

    assert alerts(inbox(address)) == []


def test_the_sweep_sends_what_a_mail_server_outage_left_pending(
    start_notify, notify_db, publish, inbox, new_address
):
    address = new_address()
    healthy = start_notify()
    subscribe_and_confirm(healthy, notify_db, address)
    healthy.stop()

    mail_server_down = start_notify(SMTP_PORT=free_port())  # nothing listens there
    publish(mail_server_down, article_published())
    mail_server_down.stop()

    [delivery] = notify_db.deliveries.find()
    assert delivery["status"] == "pending" and "ConnectionRefusedError" in delivery["last_error"]
    assert alerts(inbox(address)) == []

    start_notify()

    wait_for(lambda: alerts(inbox(address)), message="the swept article email")
    assert len(alerts(inbox(address))) == 1
    wait_for(lambda: notify_db.deliveries.find_one({"_id": delivery["_id"]})["status"] == "sent")


def one_delivery_planned(notify_db, address: str) -> SubscriptionStore:
    """A confirmed subscriber's email about an article, waiting to be claimed, before notify runs."""
    store = SubscriptionStore(notify_db)
    store.ensure_indexes()
    store.confirm(store.subscribe(address, "phu-vang")["token"])
    store.plan_deliveries(article_published())
    return store


def test_an_email_its_sender_died_holding_goes_out_within_seconds(start_notify, notify_db, inbox, new_address):
    address = new_address()
    store = one_delivery_planned(notify_db, address)
    store.claim_due_delivery()  # taken by a sender that then died, before sending
    start_notify()
    # The lease follows the send, not the longest send imaginable: gone in seconds, not minutes.
    wait_for(lambda: alerts(inbox(address)), timeout=SEND_LEASE.total_seconds() * 3, message="the email sent")
    assert len(alerts(inbox(address))) == 1


def test_an_email_sent_again_after_its_sender_died_mid_send_is_the_same_message(
    start_notify, notify_db, inbox, new_address, settings
):
    address = new_address()
    store = one_delivery_planned(notify_db, address)
    # A sender the mail server took the email from, which then died before recording it sent.
    session = MailSession(settings)
    session.send_article(store.claim_due_delivery())
    session.close()
    start_notify()
    first, second = wait_for(lambda: len(alerts(inbox(address))) == 2 and alerts(inbox(address)),
                             timeout=SEND_LEASE.total_seconds() * 3, message="the email sent again")
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"].endswith("@portal.local>")

"""A withdrawn article is not emailed: its pending emails are cancelled, and a publication
arriving late, no newer than the withdrawal, sends nothing."""
import pytest

from services.common.events import ArticleUnpublished, utcnow
from services.notify.dependencies import SubscriptionStore
from tests.notify.helpers import article_published, subscribe_and_confirm
from tests.notify.test_alerts import alerts
from tests.servers import free_port, wait_for


def article_unpublished(article_id="bai-1", version=2, unit="phu-vang"):
    return ArticleUnpublished(document_id=article_id, version=version, occurred_at=utcnow(), unit=unit)


@pytest.fixture
def withdraw(events_in):
    return lambda container, event: events_in.deliver(container, "withdraw_article", event)


@pytest.fixture
def mail_server_down(start_notify):
    """A notify whose emails all stay pending: nothing listens on its SMTP port."""
    return start_notify(SMTP_PORT=free_port())


def confirmed_subscriber(notify_db, address):
    """Subscribed and confirmed without an email: the mail server of these tests is down."""
    store = SubscriptionStore(notify_db)
    store.confirm(store.subscribe(address, "phu-vang")["token"])


def statuses(notify_db, article_id="bai-1"):
    return sorted(delivery["status"] for delivery in notify_db.deliveries.find({"article_id": article_id}))


def test_withdrawing_an_article_cancels_its_pending_emails_once_and_for_all(
    mail_server_down, start_notify, notify_db, publish, withdraw, inbox, new_address
):
    address = new_address()
    confirmed_subscriber(notify_db, address)
    publish(mail_server_down, article_published())
    assert statuses(notify_db) == ["pending"]

    withdraw(mail_server_down, article_unpublished())
    withdraw(mail_server_down, article_unpublished())  # the event again
    assert statuses(notify_db) == ["cancelled"]
    mail_server_down.stop()

    # A working sender sends what is due: the next article, not the withdrawn one.
    healthy = start_notify()
    publish(healthy, article_published("bai-2", title="Lễ hội cầu ngư"))
    wait_for(lambda: alerts(inbox(address)), message="the next article's email")
    assert [alert["Subject"] for alert in alerts(inbox(address))] == ["Huyện Phú Vang: Lễ hội cầu ngư"]
    assert statuses(notify_db) == ["cancelled"]


def test_a_publication_arriving_after_its_withdrawal_sends_nothing(
    mail_server_down, notify_db, publish, withdraw, new_address
):
    confirmed_subscriber(notify_db, new_address())
    withdraw(mail_server_down, article_unpublished(version=2))

    publish(mail_server_down, article_published(version=1))
    publish(mail_server_down, article_published(version=2))
    assert statuses(notify_db) == []

    # Published anew after the withdrawal: a newer version, emailed.
    publish(mail_server_down, article_published(version=3))
    assert statuses(notify_db) == ["pending"]


def test_a_withdrawal_older_than_the_publication_seen_cancels_nothing(
    mail_server_down, notify_db, publish, withdraw, new_address
):
    confirmed_subscriber(notify_db, new_address())
    publish(mail_server_down, article_published(version=3))

    withdraw(mail_server_down, article_unpublished(version=2))

    assert statuses(notify_db) == ["pending"]


def test_an_update_of_a_sent_article_is_not_sent_again(notify, notify_db, publish, inbox, new_address):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address)
    publish(notify, article_published())
    wait_for(lambda: statuses(notify_db) == ["sent"], message="the article sent")

    publish(notify, article_published(version=2, title="Khánh thành cầu Trường Hà (cập nhật)"))
    publish(notify, article_published("bai-2", title="Lễ hội cầu ngư"))  # sent by the same handlers

    wait_for(lambda: len(alerts(inbox(address))) == 2, message="the second article's email")
    assert sorted(alert["Subject"] for alert in alerts(inbox(address))) == [
        "Huyện Phú Vang: Khánh thành cầu Trường Hà", "Huyện Phú Vang: Lễ hội cầu ngư"]
    assert statuses(notify_db) == ["sent"]

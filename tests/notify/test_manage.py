"""One page per address: any of its links lists every subscription of the address, and changes
how often one is emailed or ends it; never another address's."""
import pytest

from services.common.errors import InvalidInput, NotFound
from tests.drive import call
from tests.notify.units_tree import ContentTree


@pytest.fixture
def content(container_factory, nameko_config):
    container = container_factory(ContentTree, nameko_config)
    container.start()
    return container


def token_of(notify_db, address, **scope):
    return notify_db.subscriptions.find_one({"email": address, **scope})["token"]


def test_any_link_of_an_address_lists_all_its_subscriptions_and_no_one_elses(notify, notify_db, new_address):
    address, other = new_address(), new_address()
    call(notify, "subscribe", address, "phu-vang")
    call(notify, "subscribe", address, "thua-thien-hue", with_units_under=True, kind="documents", frequency="weekly")
    call(notify, "subscribe", other, "phu-vang")

    listed = call(notify, "list_subscriptions", token_of(notify_db, address, unit="phu-vang"))

    assert [(s["unit"], s["kind"], s["with_units_under"], s["frequency"], s["status"]) for s in listed] == [
        ("phu-vang", "news", False, "immediately", "pending"),
        ("thua-thien-hue", "documents", True, "weekly", "pending"),
    ]
    assert all(s["email"] == address and "token" not in s for s in listed)
    assert listed == call(notify, "list_subscriptions", token_of(notify_db, address, unit="thua-thien-hue"))


def test_the_page_changes_how_often_and_ends_one_subscription_of_its_address(notify, notify_db, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    call(notify, "subscribe", address, "phu-vang", kind="answers")
    token = token_of(notify_db, address, kind="news")
    news, answers = call(notify, "list_subscriptions", token)

    assert call(notify, "change_frequency", token, answers["id"], "daily")["frequency"] == "daily"
    assert call(notify, "unsubscribe_one", token, news["id"])["status"] == "unsubscribed"

    assert [(s["kind"], s["frequency"], s["status"]) for s in call(notify, "list_subscriptions", token)] == [
        ("news", "immediately", "unsubscribed"), ("answers", "daily", "pending")]


def test_another_addresss_subscription_or_a_bad_choice_is_refused(notify, notify_db, new_address):
    address, other = new_address(), new_address()
    call(notify, "subscribe", address, "phu-vang")
    call(notify, "subscribe", other, "phu-vang")
    token = token_of(notify_db, address)
    [others] = call(notify, "list_subscriptions", token_of(notify_db, other))

    with pytest.raises(NotFound):
        call(notify, "unsubscribe_one", token, others["id"])
    with pytest.raises(NotFound):
        call(notify, "change_frequency", token, others["id"], "daily")
    [own] = call(notify, "list_subscriptions", token)
    with pytest.raises(InvalidInput) as refused:
        call(notify, "change_frequency", token, own["id"], "hourly")
    assert list(refused.value.fields) == ["frequency"]
    with pytest.raises(InvalidInput) as refused:
        call(notify, "unsubscribe_one", token, "not-an-id")
    assert list(refused.value.fields) == ["subscription"]
    assert notify_db.subscriptions.count_documents({"status": "unsubscribed"}) == 0

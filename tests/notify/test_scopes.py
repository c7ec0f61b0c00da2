"""What a subscription follows: a unit, with the units under it or not, one of its news
categories, one kind of content; and a merged unit's subscriptions moving to its successor."""
import pytest

from services.common.errors import InvalidInput, NotFound
from services.notify.dependencies import SubscriptionStore
from tests.drive import call
from tests.notify.units_tree import ContentTree, legal_document, news, unit_merged
from tests.servers import wait_for


@pytest.fixture
def content(container_factory, nameko_config):
    container = container_factory(ContentTree, nameko_config)
    container.start()
    return container


def follow(notify, notify_db, address, unit, **scope):
    call(notify, "subscribe", address, unit, **scope)
    token = notify_db.subscriptions.find_one({"email": address, "unit": unit})["token"]
    return call(notify, "confirm", token)


def alerts(inbox, address):
    return [message["Subject"] for message in inbox(address) if "Xác nhận" not in message["Subject"]]


def test_a_district_with_the_units_under_it_brings_its_communes_news_and_not_its_neighbours(
    notify, notify_db, events_in, inbox, new_address
):
    district, district_only, province = new_address(), new_address(), new_address()
    follow(notify, notify_db, district, "phu-vang", with_units_under=True)
    follow(notify, notify_db, district_only, "phu-vang")
    follow(notify, notify_db, province, "thua-thien-hue", with_units_under=True)

    events_in.deliver(notify, "notify_subscribers", news("bai-xa", unit="thuan-an", title="Tin phường"))
    events_in.deliver(notify, "notify_subscribers", news("bai-ben", unit="phong-dien", title="Tin thị xã"))

    wait_for(lambda: len(alerts(inbox, province)) == 2, message="both emails to the province's follower")
    assert alerts(inbox, district) == ["Phường Thuận An: Tin phường"]
    assert alerts(inbox, district_only) == []


def test_a_category_brings_only_its_news(notify, notify_db, events_in, inbox, new_address):
    address = new_address()
    assert follow(notify, notify_db, address, "phu-vang", category="kinh-te")["status"] == "confirmed"

    events_in.deliver(notify, "notify_subscribers", news("bai-kinh-te", category="kinh-te", title="Kinh tế"))
    events_in.deliver(notify, "notify_subscribers", news("bai-van-hoa", category="van-hoa", title="Văn hóa"))

    wait_for(lambda: alerts(inbox, address), message="the category's email")
    assert alerts(inbox, address) == ["Huyện Phú Vang: Kinh tế"]
    assert notify_db.deliveries.count_documents({"email": address}) == 1


def test_legal_documents_follow_their_own_subscribers_not_the_news_ones(
    notify, notify_db, events_in, inbox, new_address
):
    documents, news_only = new_address(), new_address()
    follow(notify, notify_db, documents, "phu-vang", kind="documents")
    follow(notify, notify_db, news_only, "phu-vang")

    events_in.deliver(notify, "notify_document_subscribers", legal_document("qd-12"))
    events_in.deliver(notify, "notify_subscribers", news("bai-1"))

    wait_for(lambda: alerts(inbox, news_only), message="the news email")
    wait_for(lambda: alerts(inbox, documents), message="the document email")
    assert alerts(inbox, documents) == ["Huyện Phú Vang: Quyết định 12/2026/QĐ-UBND"]
    assert alerts(inbox, news_only) == ["Huyện Phú Vang: Tin mới"]


def test_one_address_follows_one_unit_in_several_scopes_separately(notify, notify_db, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")
    call(notify, "subscribe", address, "phu-vang", kind="documents")
    call(notify, "subscribe", address, "phu-vang", with_units_under=True)
    call(notify, "subscribe", address, "phu-vang", with_units_under=True)

    assert notify_db.subscriptions.count_documents({"email": address}) == 3


@pytest.mark.parametrize("scope, field", [
    ({"kind": "weather"}, "kind"),
    ({"frequency": "hourly"}, "frequency"),
    ({"with_units_under": "yes"}, "with_units_under"),
    ({"category": "Kinh tế!"}, "category"),
])
def test_a_scope_field_out_of_its_values_is_refused_naming_it(notify, notify_db, new_address, scope, field):
    with pytest.raises(InvalidInput) as refused:
        call(notify, "subscribe", new_address(), "phu-vang", **scope)
    assert list(refused.value.fields) == [field]
    assert notify_db.subscriptions.count_documents({}) == 0


def test_an_unknown_category_is_refused_naming_it_and_an_unknown_unit_is_not_found(notify, notify_db, new_address):
    with pytest.raises(InvalidInput) as refused:
        call(notify, "subscribe", new_address(), "phu-vang", category="the-thao")
    assert refused.value.fields == {"category": "unknown"}
    with pytest.raises(InvalidInput) as refused:
        call(notify, "subscribe", new_address(), "phu-vang", category="kinh-te", kind="documents")
    assert list(refused.value.fields) == ["category"]
    with pytest.raises(NotFound):
        call(notify, "subscribe", new_address(), "khong-co", with_units_under=True)
    assert notify_db.subscriptions.count_documents({}) == 0


def test_a_merged_units_subscribers_follow_its_successor_once(notify, notify_db, events_in, inbox, new_address):
    moved, both = new_address(), new_address()
    follow(notify, notify_db, moved, "phu-mau", frequency="daily")
    follow(notify, notify_db, both, "phu-mau")
    call(notify, "subscribe", both, "thuan-an")  # pending there: the confirmed one's standing wins

    merged = unit_merged("phu-mau", successor="thuan-an")
    events_in.deliver(notify, "follow_successor", merged)
    events_in.deliver(notify, "follow_successor", merged)

    assert [(s["unit"], s["status"], s["frequency"]) for s in notify_db.subscriptions.find({"email": moved})] == [
        ("thuan-an", "confirmed", "daily")]
    assert [(s["unit"], s["status"]) for s in notify_db.subscriptions.find({"email": both})] == [
        ("thuan-an", "confirmed")]
    assert notify_db.subscriptions.count_documents({"unit": "phu-mau", "status": {"$ne": "unsubscribed"}}) == 0

    events_in.deliver(notify, "notify_subscribers", news("bai-sau-sap-nhap", unit="thuan-an"))
    wait_for(lambda: alerts(inbox, both), message="the successor's news")
    assert alerts(inbox, both) == ["Phường Thuận An: Tin mới"]
    told = "Xã Phú Mậu đã được sáp nhập vào Phường Thuận An: từ nay bạn nhận tin của Phường Thuận An."
    [first] = [message for message in inbox(both) if "Xác nhận" not in message["Subject"]]
    assert told in first.get_body(("plain",)).get_content() and told in first.get_body(("html",)).get_content()

    # Said once: once that email is recorded sent, the next is only news.
    wait_for(lambda: "merged" not in notify_db.subscriptions.find_one({"email": both, "status": "confirmed"}),
             message="the merger recorded as told")
    events_in.deliver(notify, "notify_subscribers", news("bai-tiep-theo", unit="thuan-an"))
    wait_for(lambda: len(alerts(inbox, both)) == 2, message="the next news")
    [later] = [text for message in inbox(both)
               if "bai-tiep-theo" in (text := message.get_body(("plain",)).get_content())]
    assert "sáp nhập" not in later


def test_subscriptions_made_before_scopes_follow_their_units_news_immediately(notify_db, new_address):
    address = new_address()
    notify_db.subscriptions.create_index([("email", 1), ("unit", 1)], unique=True)
    notify_db.subscriptions.insert_one({"email": address, "unit": "phu-vang", "status": "confirmed",
                                        "token": "t" * 43, "token_hash": "h"})

    SubscriptionStore(notify_db).ensure_indexes()

    stored = notify_db.subscriptions.find_one({"email": address})
    assert (stored["kind"], stored["with_units_under"], stored["category"], stored["frequency"]) == (
        "news", False, None, "immediately")
    assert "email_1_unit_1" not in notify_db.subscriptions.index_information()
    # The same address may now follow the unit's documents as well.
    SubscriptionStore(notify_db).subscribe(address, "phu-vang", kind="documents")

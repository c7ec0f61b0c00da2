"""A unit's emails in its own colours: notify keeps a copy of the units it hears of in
`unit_updated` events (services/notify/units.py), reads the units above an item's unit and the
unit's branding there, and asks content only for a unit it has not heard of."""
import pytest
from nameko.rpc import rpc

from services.common import events
from services.common.errors import NotFound
from services.content.units.branding import contrast_ratio
from services.notify import emails
from tests.drive import call
from tests.notify.helpers import subscribe_and_confirm
from tests.notify.test_email_format import DELIVERY, SETTINGS, html_of, parsed
from tests.notify.units_tree import UNITS, ContentTree, news
from tests.servers import wait_for

PORTAL_COLOUR = "#0b4f8a"
PHU_MAU_BANNER = "Trang thông tin điện tử xã Phú Mậu"
# What content answers for Phú Mậu to a notify that has not heard of it.
ANSWERED_BRANDING = {"phu-mau": {"banner_text": PHU_MAU_BANNER, "accent_colour": "#1F5F3F"}}


class CountingContent(ContentTree):
    """The tree stand-in (units_tree.py), answering Phú Mậu with its branding and counting the
    units notify asks it for."""

    asked: list[str] = []

    @rpc(expected_exceptions=NotFound)
    def get_unit(self, unit):
        CountingContent.asked.append(unit)
        return {**super().get_unit(unit), "branding": ANSWERED_BRANDING.get(unit, {})}


@pytest.fixture
def content(container_factory, nameko_config):
    CountingContent.asked.clear()
    container = container_factory(CountingContent, nameko_config)
    container.start()
    return container


def unit_updated(slug, version, **branding):
    record = UNITS[slug]
    return events.UnitUpdated(
        document_id=slug, version=version, occurred_at=events.utcnow(),
        unit=events.UnitSnapshot(slug=slug, name=record["name"], level=record["level"], parent=record["parent"],
                                 branding=branding))


def hear(notify, events_in, *updates):
    for update in updates:
        events_in.deliver(notify, "follow_successor", update)


def alert_to(inbox, address, title):
    [alert] = wait_for(lambda: [m for m in inbox(address) if title in m["Subject"]], message=f"the email of {title}")
    return parsed(html_of(alert))


def masthead(document):
    """The masthead's background and headline, and the button's background."""
    [header] = document.iter("header")
    [button] = [a for a in document.iter("a") if "button" in a.attrs.get("class", "")]
    return (header.inherited_style("background-color", ""), [h1.text for h1 in header.iter("h1")],
            button.inherited_style("background-color", ""))


def test_a_units_banner_and_colour_head_its_article_email(notify, notify_db, events_in, inbox, new_address):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address, "phong-dien")

    hear(notify, events_in, unit_updated("phong-dien", 2, banner_text="Cổng TTĐT thị xã Phong Điền",
                                         accent_colour="#7A1F1F"))
    events_in.deliver(notify, "notify_subscribers", news("bai-1", unit="phong-dien", title="Tin thị xã"))

    document = alert_to(inbox, address, "Tin thị xã")
    assert masthead(document) == ("#7a1f1f", ["Cổng TTĐT thị xã Phong Điền"], "#7a1f1f")
    [header] = document.iter("header")
    assert "Cổng thông tin điện tử" not in header.text
    for element in header.iter():
        if element.own_text:
            assert contrast_ratio(element.inherited_style("color", "#000000"), "#7a1f1f") >= 4.5
    # Planned once with the event, into the delivery: the sender looks nothing up.
    [delivery] = notify_db.deliveries.find({"email": address, "article_id": "bai-1"})
    assert delivery["branding"] == {"banner_text": "Cổng TTĐT thị xã Phong Điền", "accent_colour": "#7a1f1f"}


def test_a_unit_without_branding_keeps_the_portals_masthead_with_its_name(
    notify, notify_db, events_in, inbox, new_address
):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address, "phong-dien")
    hear(notify, events_in, unit_updated("phong-dien", 2))

    events_in.deliver(notify, "notify_subscribers", news("bai-1", unit="phong-dien", title="Tin thị xã"))

    document = alert_to(inbox, address, "Tin thị xã")
    assert masthead(document) == (PORTAL_COLOUR, ["Thị xã Phong Điền"], PORTAL_COLOUR)
    assert "Cổng thông tin điện tử" in next(document.iter("header")).text


def test_an_older_or_replayed_unit_updated_changes_nothing(notify, notify_db, events_in, inbox, new_address):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address, "phong-dien")

    hear(notify, events_in,
         unit_updated("phong-dien", 3, banner_text="Mới", accent_colour="#7a1f1f"),
         unit_updated("phong-dien", 2, banner_text="Cũ", accent_colour="#1f3f7a"),
         unit_updated("phong-dien", 3, banner_text="Lặp lại", accent_colour="#1f3f7a"))

    kept = notify_db.units.find_one({"_id": "phong-dien"})
    assert (kept["version"], kept["branding"]) == (3, {"banner_text": "Mới", "accent_colour": "#7a1f1f"})
    events_in.deliver(notify, "notify_subscribers", news("bai-1", unit="phong-dien", title="Tin thị xã"))
    assert masthead(alert_to(inbox, address, "Tin thị xã")) == ("#7a1f1f", ["Mới"], "#7a1f1f")


@pytest.mark.parametrize("colour", ["red", "#7a1f1", "#7a1f1f; background-image: url(https://x.example/t.png)"])
def test_a_colour_that_is_not_rrggbb_falls_back_to_the_portals(
    colour, notify, notify_db, events_in, inbox, new_address
):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address, "phong-dien")
    hear(notify, events_in, unit_updated("phong-dien", 2, banner_text="Phong Điền", accent_colour=colour))

    events_in.deliver(notify, "notify_subscribers", news("bai-1", unit="phong-dien", title="Tin thị xã"))

    document = alert_to(inbox, address, "Tin thị xã")
    assert masthead(document) == (PORTAL_COLOUR, ["Phong Điền"], PORTAL_COLOUR)
    assert "url(" not in str(notify_db.deliveries.find_one({"email": address, "article_id": "bai-1"}))


def test_the_units_above_heard_of_cost_no_rpc(notify, notify_db, events_in, inbox, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang", with_units_under=True)
    call(notify, "confirm", notify_db.subscriptions.find_one({"email": address})["token"])
    hear(notify, events_in, *(unit_updated(slug, 1) for slug in ("thua-thien-hue", "phu-vang", "phu-mau")))
    CountingContent.asked.clear()

    events_in.deliver(notify, "notify_subscribers", news("bai-xa", unit="phu-mau", title="Tin xã"))

    assert masthead(alert_to(inbox, address, "Tin xã"))[1] == ["Xã Phú Mậu"]
    assert CountingContent.asked == []


def test_units_not_heard_of_are_asked_of_content_once_and_kept(notify, notify_db, events_in, inbox, new_address):
    address = new_address()
    call(notify, "subscribe", address, "thua-thien-hue", with_units_under=True)
    call(notify, "confirm", notify_db.subscriptions.find_one({"email": address})["token"])
    CountingContent.asked.clear()

    events_in.deliver(notify, "notify_subscribers", news("bai-1", unit="phu-mau", title="Tin thứ nhất"))
    events_in.deliver(notify, "notify_subscribers", news("bai-2", unit="phu-mau", title="Tin thứ hai"))

    # The answer's branding, too, reaches the email.
    assert masthead(alert_to(inbox, address, "Tin thứ nhất")) == ("#1f5f3f", [PHU_MAU_BANNER], "#1f5f3f")
    alert_to(inbox, address, "Tin thứ hai")
    assert CountingContent.asked == ["phu-mau", "phu-vang", "thua-thien-hue"]
    assert {unit["_id"]: unit["parent"] for unit in notify_db.units.find()} == {
        "phu-mau": "phu-vang", "phu-vang": "thua-thien-hue", "thua-thien-hue": None}


def test_a_loop_in_the_tree_heard_of_does_not_hang_the_handler(notify, notify_db, events_in, inbox, new_address):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address, "phu-mau")
    looped = unit_updated("phu-vang", 2).unit.model_copy(update={"parent": "phu-mau"})
    hear(notify, events_in, unit_updated("phu-mau", 2),
         events.UnitUpdated(document_id="phu-vang", version=2, occurred_at=events.utcnow(), unit=looped))

    events_in.deliver(notify, "notify_subscribers", news("bai-1", unit="phu-mau", title="Tin xã"))

    alert_to(inbox, address, "Tin xã")


def test_the_confirmation_carries_the_subscribed_units_branding(notify, inbox, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-mau")

    [confirmation] = wait_for(lambda: inbox(address), message="the confirmation")
    assert masthead(parsed(html_of(confirmation))) == ("#1f5f3f", [PHU_MAU_BANNER], "#1f5f3f")


def test_the_inliner_keeps_an_elements_own_colour_over_the_stylesheets():
    html = html_of(emails.article_alert(SETTINGS, {**DELIVERY, "branding": {"accent_colour": "#7a1f1f"}}))
    [header] = parsed(html).iter("header")
    assert "background-color: #7a1f1f" in header.attrs["style"]
    assert PORTAL_COLOUR not in header.attrs["style"]


def test_a_digest_keeps_the_portals_masthead():
    branded = {**DELIVERY, "branding": {"accent_colour": "#7a1f1f"}}
    html = html_of(emails.digest(SETTINGS, branded, [DELIVERY["article"]]))
    [header] = parsed(html).iter("header")
    assert "background-color: #0b4f8a" in header.attrs["style"]

"""The facts the province-wide conformance report keeps of each unit between reports: marked
stale in the transaction of every change to the unit's public material, recomputed for stale
units only, and never kept over a change made while they were being recomputed."""
from datetime import timedelta

import pytest

from services.common import events
from services.content.conformance_facts import COLLECTION, FactsLedger, units_named
from services.content.database import now
from tests.drive import acting, call

ADMIN = "admin"
PAGE = {"key": "gioi-thieu", "lang": "vi", "title": "Giới thiệu chung", "body_html": "<p>Xã Phú Mậu.</p>"}


def rows_of(tree) -> dict[str, dict]:
    return {row["unit"]: row for row in call(tree, "conformance_report")["units"]}


def entries(stores) -> dict[str, dict]:
    return {entry["_id"]: entry for entry in stores.db[COLLECTION].find()}


def publish_article(stores, unit: str, article_id: str) -> None:
    """Written straight to the database, as no change through the service would: the outbox is not told."""
    stores.db["articles"].insert_one({"_id": article_id, "unit": unit, "slug": article_id, "status": "published",
                                      "published_at": now() - timedelta(days=1)})


def test_the_units_an_event_names_are_its_own_its_snapshot_s_or_the_unit_snapshot_s():
    messages = [{"name": "page_withdrawn", "payload": {"unit": "phu-mau", "document_id": "phu-mau/lien-he/vi"}},
                {"name": "article_published", "payload": {"article": {"unit": "phu-da", "slug": "a"}}},
                {"name": "unit_updated", "payload": {"unit": {"slug": "phu-vang", "name": "Huyện Phú Vang"}}}]
    assert units_named(messages) == {"phu-mau", "phu-da", "phu-vang"}
    assert units_named([{"name": "x", "payload": {"document_id": "d"}}]) == set()


def test_the_first_report_keeps_every_unit_s_facts_and_the_next_one_reads_them(tree, stores):
    first = rows_of(tree)
    kept = entries(stores)
    assert set(kept) == set(first) and not any(FactsLedger.is_stale(entry) for entry in kept.values())
    # Kept facts are what the next report judges from: a write the outbox never saw does not show.
    publish_article(stores, "phu-mau", "a1")
    assert rows_of(tree) == first
    assert call(tree, "conformance", "phu-mau")["present"] == first["phu-mau"]["present"] + 1  # one unit: as stored


def test_a_change_through_the_service_marks_only_its_unit_stale_and_the_report_shows_it(tree, stores):
    before = rows_of(tree)
    publish_article(stores, "phu-da", "a-phu-da")  # unseen by the outbox: Phú Đa stays as kept
    call(tree, "create_page", acting(ADMIN), "phu-mau", PAGE)
    stale = {unit for unit, entry in entries(stores).items() if FactsLedger.is_stale(entry)}
    assert stale == {"phu-mau"}
    after = rows_of(tree)
    assert after["phu-mau"]["present"] == before["phu-mau"]["present"] + 1
    assert after["phu-da"] == before["phu-da"]
    assert not any(FactsLedger.is_stale(entry) for entry in entries(stores).values())


def test_a_profile_change_shows_at_once(tree):
    before = rows_of(tree)
    call(tree, "update_unit_profile", acting(ADMIN), "phu-mau", {
        "name": "Xã Phú Mậu", "contact": {"phone": "0234 3860 000"}})
    assert rows_of(tree)["phu-mau"]["present"] == before["phu-mau"]["present"] + 1


def test_a_unit_marked_stale_while_recomputed_stays_stale(tree, stores):
    rows_of(tree)
    ledger = FactsLedger(stores.db)
    ledger.mark_stale({"phu-mau"}, None)
    read = ledger.held()["phu-mau"]
    ledger.mark_stale({"phu-mau"}, None)  # a change commits while the facts are computed from `read`
    assert not ledger.save("phu-mau", read, {"articles": []})
    assert FactsLedger.is_stale(ledger.held()["phu-mau"])
    # A unit that had no entry when read, and was marked meanwhile, is not overwritten either.
    stores.db[COLLECTION].delete_one({"_id": "phu-da"})
    ledger.mark_stale({"phu-da"}, None)
    assert not ledger.save("phu-da", None, {"articles": []})
    assert FactsLedger.is_stale(ledger.held()["phu-da"])
    # The next report recomputes both and keeps them.
    publish_article(stores, "phu-mau", "a1")
    assert rows_of(tree)["phu-mau"]["present"] == call(tree, "conformance", "phu-mau")["present"]
    assert not any(FactsLedger.is_stale(entry) for entry in entries(stores).values())


def test_the_mark_is_part_of_the_change_s_transaction(tree, stores):
    rows_of(tree)
    counters = {unit: entry["stale"] for unit, entry in entries(stores).items()}
    withdrawn = events.PageWithdrawn(document_id="phu-mau/lien-he/vi", version=1, occurred_at=now(), unit="phu-mau")

    def failing(session):
        stores.outbox.record([withdrawn], session)
        raise RuntimeError("the change fails after its events were stored")

    with pytest.raises(RuntimeError):
        stores.db.transaction(failing)
    assert {unit: entry["stale"] for unit, entry in entries(stores).items()} == counters
    stores.db.transaction(lambda session: stores.outbox.record([withdrawn], session))
    assert entries(stores)["phu-mau"]["stale"] == counters["phu-mau"] + 1

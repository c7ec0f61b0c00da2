"""What the province-wide conformance report keeps of each unit between reports: the newest
public entry of each kind the report looks at (services/content/conformance.py), never the
statuses, since what is out of date depends on the day.

Every change to a unit's public material stores its events in the outbox in the change's own
transaction; the outbox marks the units those events name stale here in that same transaction
(a counter, `stale`). The report recomputes only stale units and saves their facts with the
counter it read (`fresh`): a unit changed while being recomputed keeps a different counter, so
it stays stale. A unit without an entry is stale too.
"""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

COLLECTION = "conformance_facts"


def units_named(messages: list[dict]) -> set[str]:
    """The units whose material the events ({"name", "payload"}) change: a payload's `unit`, its
    snapshot's `unit`, or the unit snapshot's `slug`."""
    named = set()
    for message in messages:
        payload = message["payload"]
        for part in (payload, *(value for value in payload.values() if isinstance(value, dict))):
            unit = part.get("unit")
            if isinstance(unit, str):
                named.add(unit)
            elif isinstance(unit, dict) and isinstance(unit.get("slug"), str):
                named.add(unit["slug"])
    return named


class FactsLedger:
    def __init__(self, db):
        self.entries = db[COLLECTION]

    def mark_stale(self, units: set[str], session) -> None:
        # One write per unit, by _id: the MongoDB stand-in reads the whole collection otherwise.
        for unit in sorted(units):
            self.entries.update_one({"_id": unit}, {"$inc": {"stale": 1}}, upsert=True, session=session)

    def held(self) -> dict[str, dict]:
        """{unit: its entry}."""
        return {entry["_id"]: entry for entry in self.entries.find()}

    @staticmethod
    def is_stale(entry: dict | None) -> bool:
        return entry is None or "facts" not in entry or entry.get("fresh") != entry.get("stale", 0)

    def save(self, unit: str, read: dict | None, facts: dict) -> bool:
        """Keep `facts`, computed after `read` (the unit's entry then), unless the unit was marked
        stale since; whether they were kept."""
        if read is None:
            try:
                self.entries.insert_one({"_id": unit, "stale": 0, "fresh": 0, "facts": facts})
            except DuplicateKeyError:  # marked stale meanwhile
                return False
            return True
        counter = read.get("stale", 0)
        return bool(self.entries.update_one({"_id": unit, "stale": counter},
                                            {"$set": {"facts": facts, "fresh": counter}}).matched_count)

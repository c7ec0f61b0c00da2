"""Frozen months: each revision of a month's table, kept for good, and announced once.

A revision is written in two steps: each unit's explained score (`month_units`, one document per
unit, since a province's details outgrow one document), then the table itself (`months`),
which is what makes the revision exist. A freeze cut short leaves details no table points to;
the next freeze of that revision writes them again. The table carries `announced`: the sweep
publishes `ranking_published` for tables not yet announced, so a crash between freezing and
announcing delays the announcement, never loses it.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, DESCENDING, ReplaceOne
from pymongo.errors import DuplicateKeyError


class RevisionTaken(Exception):
    """Another process froze this revision first."""


class Archive:
    def __init__(self, database):
        self.months = database["months"]
        self.details = database["month_units"]
        self.meta = database["meta"]

    def ensure_indexes(self):
        self.months.create_index([("month", ASCENDING), ("revision", DESCENDING)])
        self.months.create_index([("announced", ASCENDING)])
        self.details.create_index([("unit", ASCENDING), ("month", ASCENDING)])

    def first_month(self, current: str) -> str:
        """The first month this ranking has kept (set when it first starts): months from it on are
        frozen on their own; earlier ones only when an operator freezes imported history."""
        self.meta.update_one({"_id": "first_month"}, {"$setOnInsert": {"month": current}}, upsert=True)
        return self.meta.find_one({"_id": "first_month"})["month"]

    def latest(self, month: str) -> dict | None:
        return self.months.find_one({"month": month}, sort=[("revision", DESCENDING)])

    def revision(self, month: str, revision: int) -> dict | None:
        return self.months.find_one({"_id": f"{month}/{revision}"})

    def revisions(self, month: str) -> list[dict]:
        return list(self.months.find({"month": month}, {"rows": 0}).sort("revision", ASCENDING))

    def frozen_months(self) -> list[dict]:
        """Each frozen month's latest revision (without its rows), newest month first."""
        latest: dict[str, dict] = {}
        for doc in self.months.find({}, {"rows": 0}):
            if doc["month"] not in latest or doc["revision"] > latest[doc["month"]]["revision"]:
                latest[doc["month"]] = doc
        return sorted(latest.values(), key=lambda doc: doc["month"], reverse=True)

    def frozen_month_names(self) -> set[str]:
        return {doc["month"] for doc in self.months.find({}, {"month": 1})}

    def save(self, month: str, revision: int, frozen_at: datetime, reason: str, rows: list[dict],
             details: list[dict], scored_with: dict) -> dict:
        """`scored_with`: the criteria version, maximum and criteria heads, and the idempotency key
        of the operator's request, if any."""
        key = f"{month}/{revision}"
        if details:
            self.details.bulk_write([ReplaceOne({"_id": f"{key}/{detail['unit']}"},
                                                {**detail, "month": month, "revision": revision}, upsert=True)
                                     for detail in details], ordered=False)
        table = {"_id": key, "month": month, "revision": revision, "frozen_at": frozen_at, "reason": reason,
                 **scored_with, "rows": rows, "announced": False}
        try:
            self.months.insert_one(table)
        except DuplicateKeyError:
            raise RevisionTaken(key) from None
        return table

    def made_by(self, month: str, idempotency_key: str) -> dict | None:
        return self.months.find_one({"month": month, "idempotency_key": idempotency_key}, {"rows": 0})

    def detail(self, month: str, revision: int, unit: str) -> dict | None:
        return self.details.find_one({"_id": f"{month}/{revision}/{unit}"})

    def history_rows(self, unit: str, months: list[str]) -> dict[str, dict]:
        """The unit's row in the latest revision of each of `months` that is frozen."""
        found: dict[str, tuple[int, dict]] = {}
        for doc in self.months.find({"month": {"$in": months}}):
            row = next((row for row in doc["rows"] if row["unit"] == unit), None)
            if row is not None and (doc["month"] not in found or doc["revision"] > found[doc["month"]][0]):
                found[doc["month"]] = (doc["revision"], row)
        return {month: row for month, (_, row) in found.items()}

    def unannounced(self) -> list[dict]:
        return list(self.months.find({"announced": False}).sort("frozen_at", ASCENDING))

    def mark_announced(self, key: str) -> None:
        self.months.update_one({"_id": key}, {"$set": {"announced": True}})

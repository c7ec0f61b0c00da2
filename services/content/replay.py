"""Replay: the current public state of every document of a kind, as the contract events
that announced it, in pages. A consumer that missed events (or starts empty) rebuilds
from here; since each event carries its version, replaying over newer state changes nothing.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING

from services.common import events
from services.common.errors import InvalidInput
from services.common.rpc import rpc
from services.content.database import aware
from services.content.validation import page_size

MAX_PAGE = 500


class Replay:
    def __init__(self, content):
        # kind → (collection, the field naming the unit, the area that knows the kind's events)
        self.kinds = {
            "unit": (content.db["units"], "_id", content.units),
            "article": (content.db["articles"], "unit", content.articles),
            "schedule": (content.db["schedules"], "unit", content.schedules),
            "document": (content.db["documents"], "unit", content.documents),
            "question": (content.db["questions"], "unit", content.questions),
            "page": (content.db["pages"], "unit", content.pages),
            "procedure": (content.db["procedures"], "unit", content.procedures),
            "consultation": (content.db["consultations"], "unit", content.consultations),
        }

    def page(self, kind: str, unit: str | None, updated_since: str | None, after: str | None, limit: int) -> dict:
        if kind not in self.kinds:
            raise InvalidInput(f"Unknown kind {kind!r}", {"kind": f"one of {', '.join(self.kinds)}"})
        limit = page_size(limit, MAX_PAGE)
        collection, unit_field, area = self.kinds[kind]
        query: dict = {}
        if unit is not None:
            query[unit_field] = unit
        if updated_since is not None:
            query["updated_at"] = {"$gte": _moment(updated_since, "updated_since")}
        if after is not None:
            moment, _, last_id = after.partition("|")
            query["$or"] = [{"updated_at": {"$gt": _moment(moment, "after")}},
                            {"updated_at": _moment(moment, "after"), "_id": {"$gt": last_id}}]
        docs = list(collection.find(query).sort([("updated_at", ASCENDING), ("_id", ASCENDING)]).limit(limit))
        page = []
        for doc in docs:
            event = area.event_for(doc)
            if event is not None:
                name, payload = events.to_message(event)
                page.append({"name": name, "payload": payload})
        cursor = f"{aware(docs[-1]['updated_at']).isoformat()}|{docs[-1]['_id']}" if len(docs) == limit else None
        return {"events": page, "next": cursor}


def _moment(text: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} must be an ISO 8601 time with its zone", {field: "ISO 8601 time"}) from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{field} needs a time zone", {field: "ISO 8601 time with zone"})
    return moment


class ReplayEntrypoints:
    @rpc
    def replay(self, kind, unit=None, updated_since=None, after=None, limit=100):
        """One page of `kind`'s events (unit, article, schedule, document, question, page,
        procedure), oldest
        change first: {"events": [{"name", "payload"}], "next": cursor for `after`, or None}."""
        return self.content.replay.page(kind, unit, updated_since, after, limit)

"""The transactional outbox: events are stored with the change that causes them, in the
same transaction, and dispatched afterwards. A crash between commit and dispatch loses
nothing: the sweep dispatches whatever is still pending. A dispatched event is kept for
RETENTION, for an operator tracing one, then MongoDB deletes it (a TTL index): consumers that
missed events rebuild from `replay`, not from the outbox.

The events of one change are one entry, in order: a change that announces hundreds (a history
import) is leased and marked sent once, not once per event. Each event carries the id of the
request that caused it (the entry too, for an operator), whoever dispatches it and whenever."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING

from services.common import events
from services.common.logs import current_request_id
from services.content.conformance_facts import FactsLedger, units_named
from services.content.database import now

LEASE = timedelta(seconds=30)
NEVER_LEASED = datetime.min.replace(tzinfo=timezone.utc)
RETENTION = timedelta(days=7)
# Entries one claim takes: each claim reads the entries pending, so a backlog taken one by one
# would cost its length squared.
CLAIM = 20
OLDEST = [("created_at", ASCENDING)]


class Outbox:
    INDEXES = {"outbox": [
        [("dispatched", ASCENDING), ("lease_until", ASCENDING), ("created_at", ASCENDING)],
        # Only dispatched entries have the field, so only they expire.
        {"keys": [("dispatched_at", ASCENDING)], "expire_after": RETENTION},
    ]}

    def __init__(self, db):
        self.entries = db["outbox"]
        self.conformance_facts = FactsLedger(db)

    def record(self, announced: list[events.Event], session) -> None:
        """The events of one change, as one entry; nothing if there are none."""
        if announced:
            request_id = current_request_id()
            stamped = [event.model_copy(update={"request_id": event.request_id or request_id}) for event in announced]
            messages = [dict(zip(("name", "payload"), events.to_message(event))) for event in stamped]  # validated
            self.entries.insert_one({"events": messages, "request_id": request_id, "created_at": now(),
                                     "dispatched": False, "lease_until": NEVER_LEASED}, session=session)
            # What the conformance report keeps of these units is out of date from this commit on.
            self.conformance_facts.mark_stale(units_named(messages), session)

    def claim(self, limit: int = CLAIM) -> list[dict]:
        """Take up to `limit` of the oldest entries not yet sent, oldest first, leasing them so that
        concurrent dispatchers skip them; [] when none is due. Each holds `events`: [{"name", "payload"}].

        A find, then a lease written where each entry is still due, then a read of what this lease
        holds: an entry another dispatcher took in between is left to it. The writes name the
        entries by _id: the MongoDB stand-in reads the whole outbox, sent entries included, for
        a write filtered otherwise."""
        moment = now()
        due = {"dispatched": False, "lease_until": {"$lte": moment}}
        candidates = [entry["_id"] for entry in self.entries.find(due, {"_id": 1}).sort(OLDEST).limit(limit)]
        if not candidates:
            return []
        lease = uuid.uuid4().hex
        self.entries.update_many({"_id": {"$in": candidates}, **due},
                                 {"$set": {"lease_until": moment + LEASE, "lease": lease}})
        return [entry for entry in self.entries.find({"_id": {"$in": candidates}}).sort(OLDEST)
                if entry.get("lease") == lease]

    def mark_dispatched(self, entry_ids: list) -> None:
        if entry_ids:
            self.entries.update_many({"_id": {"$in": entry_ids}},
                                     {"$set": {"dispatched": True, "dispatched_at": now()}})

    def pending_count(self) -> int:
        """Entries not yet sent (each the events of one change)."""
        return self.entries.count_documents({"dispatched": False})

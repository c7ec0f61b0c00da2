"""The transactional outbox: events are stored with the change that causes them, in the
same transaction, and dispatched afterwards. A crash between commit and dispatch loses
nothing: the sweep dispatches whatever is still pending. A dispatched event is kept for
RETENTION, for an operator tracing one, then MongoDB deletes it (a TTL index): consumers that
missed events rebuild from `replay`, not from the outbox."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING

from services.common import events
from services.common.mongo import claim_one
from services.content.database import now

LEASE = timedelta(seconds=30)
NEVER_LEASED = datetime.min.replace(tzinfo=timezone.utc)
RETENTION = timedelta(days=7)


class Outbox:
    INDEXES = {"outbox": [
        [("dispatched", ASCENDING), ("lease_until", ASCENDING), ("created_at", ASCENDING)],
        # Only dispatched entries have the field, so only they expire.
        {"keys": [("dispatched_at", ASCENDING)], "expire_after": RETENTION},
    ]}

    def __init__(self, db):
        self.entries = db["outbox"]

    def record(self, event: events.Event, session) -> None:
        name, payload = events.to_message(event)  # validated before it is ever stored
        self.entries.insert_one(
            {"name": name, "payload": payload, "created_at": now(), "dispatched": False,
             "lease_until": NEVER_LEASED},
            session=session,
        )

    def claim(self) -> dict | None:
        """Take the oldest undispatched event, leasing it so concurrent dispatchers skip it."""
        moment = now()
        return claim_one(self.entries, {"dispatched": False, "lease_until": {"$lte": moment}},
                         {"$set": {"lease_until": moment + LEASE}}, sort=[("created_at", ASCENDING)])

    def mark_dispatched(self, entry_id) -> None:
        self.entries.update_one({"_id": entry_id}, {"$set": {"dispatched": True, "dispatched_at": now()}})

    def pending_count(self) -> int:
        return self.entries.count_documents({"dispatched": False})

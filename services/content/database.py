"""The content service's MongoDB database: its collections, indexes and transactions.

Every area (units, articles, schedules, …) keeps its documents here; the indexes for
every query the service runs are declared in one place so they can be reviewed together.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC

INDEXES = {
    "units": [[("parent", ASC)], [("level", ASC)], [("successor", ASC)]],
    "users": [[("token_hash", ASC)]],
    "articles": [
        ({"keys": [("unit", ASC), ("slug", ASC)], "unique": True}),
        # A unit's latest published articles; its archive by date (a range on published_at).
        [("unit", ASC), ("status", ASC), ("published_at", DESC)],
        # A category page of a unit.
        [("unit", ASC), ("category", ASC), ("status", ASC), ("published_at", DESC)],
        # Latest across all units.
        [("status", ASC), ("published_at", DESC)],
        # Scheduled publishing and unpublishing.
        [("status", ASC), ("publish_at", ASC)],
        [("status", ASC), ("unpublish_at", ASC)],
        # A unit's tag pages.
        [("unit", ASC), ("tags", ASC), ("published_at", DESC)],
        # Replay: changes since a time, in order.
        [("unit", ASC), ("updated_at", ASC), ("_id", ASC)],
        [("updated_at", ASC), ("_id", ASC)],
        # Royalties: a unit's articles published in a month.
        [("unit", ASC), ("published_at", ASC)],
    ],
    "revisions": [{"keys": [("document_id", ASC), ("version", ASC)], "unique": True}],
    "audit": [[("unit", ASC), ("at", DESC)]],
    "categories": [{"keys": [("unit", ASC), ("slug", ASC)], "unique": True}],
    "outbox": [[("dispatched", ASC), ("lease_until", ASC), ("created_at", ASC)]],
}


def now() -> datetime:
    return datetime.now(timezone.utc)


def aware(value: datetime | None) -> datetime | None:
    """MongoDB keeps UTC without a zone; give it back."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


def iso(value: datetime | None) -> str | None:
    return aware(value).isoformat() if value is not None else None


class ContentDatabase:
    def __init__(self, database):
        self.database = database
        self.client = database.client

    def __getitem__(self, name: str):
        return self.database[name]

    def ensure_indexes(self, extra: dict | None = None):
        for collection, indexes in {**INDEXES, **(extra or {})}.items():
            for index in indexes:
                if isinstance(index, dict):
                    self.database[collection].create_index(index["keys"], unique=index.get("unique", False))
                else:
                    self.database[collection].create_index(index)

    @contextmanager
    def transaction(self):
        """Commits when the block ends, aborts if it raises: nothing is ever half-written."""
        with self.client.start_session() as session, session.start_transaction():
            yield session

"""The content service's MongoDB database: its collections, indexes and transactions.

Every area (units, articles, schedules, …) keeps its documents here; the indexes for
every query the service runs are declared in one place so they can be reviewed together.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timezone
from time import sleep
from typing import TypeVar
from zoneinfo import ZoneInfo

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo.errors import PyMongoError

T = TypeVar("T")
WRITE_CONFLICT = 112

# Vietnam's time: the portal shows times in it, and people name days, weeks and months by it.
# Stored times are UTC; Vietnam has kept +07:00 without daylight saving since 1975.
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

# Replay reads a collection's changes since a time, in order, for one unit or for all: every
# collection whose documents are announced declares these.
REPLAY_INDEXES = [[("unit", ASC), ("updated_at", ASC), ("_id", ASC)], [("updated_at", ASC), ("_id", ASC)]]

INDEXES = {
    "units": [[("parent", ASC)], [("level", ASC)], [("successor", ASC)], [("updated_at", ASC), ("_id", ASC)]],
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
        [("unit", ASC), ("tags", ASC), ("status", ASC), ("published_at", DESC)],
        # A unit's featured articles on its home page.
        [("unit", ASC), ("featured", ASC), ("status", ASC), ("published_at", DESC)],
        # An author's own articles, as the editorial list shows them to authors.
        [("unit", ASC), ("author", ASC), ("updated_at", DESC)],
        *REPLAY_INDEXES,
        # Royalties: a unit's articles published in a month.
        [("unit", ASC), ("published_at", ASC)],
    ],
    "revisions": [{"keys": [("document_id", ASC), ("version", ASC)], "unique": True}],
    "audit": [[("unit", ASC), ("at", DESC)]],
    "categories": [{"keys": [("unit", ASC), ("slug", ASC)], "unique": True}],
    "outbox": [[("dispatched", ASC), ("lease_until", ASC), ("created_at", ASC)]],
}


def now() -> datetime:
    """UTC to the millisecond, as MongoDB stores it: an event built from a document just
    written says the same time as one built from it when read back (replay)."""
    moment = datetime.now(timezone.utc)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def aware(value: datetime | None) -> datetime | None:
    """MongoDB keeps UTC without a zone; give it back."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


def iso(value: datetime | None) -> str | None:
    return aware(value).isoformat() if value is not None else None


def local(moment: datetime | None) -> datetime | None:
    """A stored time as Vietnam reads it."""
    return aware(moment).astimezone(LOCAL_TIME) if moment is not None else None


def to_utc(moment: datetime) -> datetime:
    """A time as a person gives it: without an offset it is Vietnam's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    return moment.astimezone(timezone.utc)


def local_midnight(day: date) -> datetime:
    """The moment `day` begins in Vietnam (17:00 UTC the day before)."""
    return datetime.combine(day, time.min, LOCAL_TIME)


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

    def transaction(self, work: Callable[[object], T], attempts: int = 5) -> T:
        """Run `work(session)` in one transaction: committed if it returns, aborted if it raises,
        so nothing is ever half-written. A transaction that lost a write conflict to a
        concurrent one is run again from the start, as MongoDB's drivers advise."""
        for attempt in range(1, attempts + 1):
            try:
                with self.client.start_session() as session, session.start_transaction():
                    return work(session)
            except PyMongoError as error:
                if attempt == attempts or not _transient(error):
                    raise
                sleep(0.005 * 2 ** attempt)  # let the other transaction finish first
        raise AssertionError("unreachable")


def _transient(error: PyMongoError) -> bool:
    return error.has_error_label("TransientTransactionError") or getattr(error, "code", None) == WRITE_CONFLICT

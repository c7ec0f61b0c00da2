"""The content service's MongoDB database: its collections, indexes and transactions.

Every area (units, articles, schedules, …) keeps its documents here; the indexes for
every query the service runs are declared in one place so they can be reviewed together.
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timezone
from itertools import count
from time import monotonic, sleep
from typing import TypeVar

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo.errors import PyMongoError

from services.common.errors import Unavailable
from services.common.vietnam_time import LOCAL_TIME

T = TypeVar("T")
WRITE_CONFLICT = 112
# Seconds a write keeps retrying a conflict before the caller is told to try again: within the
# gateway's patience (RPC_TIMEOUT), and long enough for any live writer to finish.
WRITE_BUDGET = 5.0
# What the caller is told to wait before trying again: a dead process's lock lasts up to a minute.
BUSY_RETRY_AFTER = 10
# The transaction the running worker is in, if any (each worker is a greenlet, with its own context).
_running: ContextVar = ContextVar("content_transaction", default=None)

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
}


def now() -> datetime:
    """The time now, as stored."""
    return stored(datetime.now(timezone.utc))


def stored(moment: datetime) -> datetime:
    """A time as MongoDB stores it, UTC to the millisecond: an event built from a document just
    written says the same time as one built from it when read back (replay)."""
    moment = to_utc(moment)
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


class ContentDatabase:
    def __init__(self, database):
        self.database = database
        self.client = database.client

    def __getitem__(self, name: str):
        return self.database[name]

    def ensure_indexes(self, extra: dict | None = None):
        """Each index is a list of keys, or {"keys", "unique"?, "expire_after"? (a timedelta:
        MongoDB deletes a document that long after the time in its one key field)}."""
        for collection, indexes in {**INDEXES, **(extra or {})}.items():
            for index in indexes:
                if not isinstance(index, dict):
                    index = {"keys": index}
                options = {"unique": index.get("unique", False)}
                if "expire_after" in index:
                    options["expireAfterSeconds"] = int(index["expire_after"].total_seconds())
                self.database[collection].create_index(index["keys"], **options)

    def transaction(self, work: Callable[[object], T], budget: float = WRITE_BUDGET) -> T:
        """Run `work(session)` in one transaction: committed if it returns, aborted if it raises,
        so nothing is ever half-written. Called inside another transaction, `work` joins it, so
        everything a request changes commits together (see outcomes.py).

        A transaction that loses a write conflict is run again from the start, as MongoDB's
        drivers advise, for up to `budget` seconds: a concurrent writer finishes within
        milliseconds, but a lock left by a process killed mid-transaction holds until the server
        expires it. Past the budget the caller is told to try again (Unavailable, nothing written)."""
        joined = _running.get()
        if joined is not None:
            return work(joined.session)
        give_up_at = monotonic() + budget
        for attempt in count(1):
            running = _Running()
            try:
                with self.client.start_session() as session, session.start_transaction():
                    running.session = session
                    token = _running.set(running)
                    try:
                        result = work(session)
                    finally:
                        _running.reset(token)
            except PyMongoError as error:
                if not _transient(error):
                    raise
                pause = min(0.005 * 2 ** attempt, 0.5)  # let the other transaction finish first
                if monotonic() + pause > give_up_at:
                    raise Unavailable("The record is locked by another change; nothing was written, try again",
                                      BUSY_RETRY_AFTER) from error
                sleep(pause)
            else:
                for action in running.after_commit:
                    action()
                return result
        raise AssertionError("unreachable")

    @staticmethod
    def after_commit(action: Callable[[], None]) -> None:
        """Run `action` once the transaction being written has committed (now, outside one):
        what must not happen for a change that may still be undone, such as sending its event."""
        running = _running.get()
        if running is None:
            action()
        else:
            running.after_commit.append(action)


class _Running:
    """The transaction the running worker is in: its session, and what waits for its commit."""

    def __init__(self):
        self.session = None
        self.after_commit: list[Callable[[], None]] = []


def _transient(error: PyMongoError) -> bool:
    return error.has_error_label("TransientTransactionError") or getattr(error, "code", None) == WRITE_CONFLICT

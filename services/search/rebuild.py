"""Reindexing: a new index built from the content service's replay, then put in the current
one's place in one step (Elasticsearch moves the alias; the embedded engine switches
directories under its write lock), so searches never meet a missing or half-built index.

Changes that arrive while the new index is built are written to both indices (ContentIndex
sends every write to the one being built too): nothing needs to be queued and replayed, and
no change can fall between the end of the replay and the swap. Versions make writing a
change twice, or a replayed snapshot after a newer event, harmless. Other instances sharing
an Elasticsearch cluster write through the alias only, so after the swap the changes made
since the rebuild started are replayed once more (`updated_since`).

The check compares, per unit and kind, what the replay says is public with what the index holds.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from eventlet import GreenPool

from services.common import events
from services.common.events import utcnow
from services.search.documents import Record, UnitRecord, entry, indexed
from services.search.engines.base import Indices
from services.search.index import ContentIndex

log = logging.getLogger(__name__)

# The replay's kinds, units first; each kind is also the type of its items in the index.
KINDS = ("unit", "article", "schedule", "document", "question", "page", "procedure", "consultation")
PAGE_SIZE = 500  # the replay's largest page
# Changes this long before the rebuild started are replayed again after the swap, for clocks
# that disagree a little between the content service's database and this instance.
CATCH_UP_MARGIN = timedelta(minutes=1)
MAX_ERRORS = 50  # kept in the status; more are counted in the log only
# Items of a kind are written this many at a time, so that they share the engine's commits (the
# embedded engine's group commit, Elasticsearch's refresh): written one after another, each
# waited for its own, about ten items a second.
PARALLEL_WRITES = 200
IDLE, RUNNING, DONE, FAILED = "idle", "running", "done", "failed"
# A running rebuild saves its progress every SAVE_SECONDS (and at each kind); one not saved for
# STALLED_AFTER has failed with its instance (killed, or cut off), and may be started again.
SAVE_SECONDS = 1.0
STALLED_AFTER = timedelta(minutes=2)

Replay = Callable[..., dict]  # the content service's `replay` RPC


def replayed(replay: Replay, kind: str, updated_since: str | None = None) -> Iterator[events.Event]:
    """Every event of `kind` the content service replays that search indexes, page after page."""
    after = None
    while True:
        page = replay(kind, updated_since=updated_since, after=after, limit=PAGE_SIZE)
        for message in page["events"]:
            event = events.parse(message["name"], message["payload"])
            if indexed(event):
                yield event
        after = page["next"]
        if after is None:
            return


class Rebuild:
    """Reindexing: at most one at a time among all instances sharing the index, run in the
    background by the instance asked, its progress saved where every instance reads it
    (Indices.progress), since a status request may reach any of them."""

    def __init__(self, index: ContentIndex, indices: Indices, spawn: Callable):
        self._index = index
        self._indices = indices
        self._spawn = spawn
        self._status: dict = {}  # the running rebuild's, in this instance
        self._saved_at = 0.0  # time.monotonic() of the last save

    def status(self) -> dict:
        """{"state": idle|running|done|failed, "kind": the kind being replayed, "done": items
        indexed so far, "kinds": {kind: items}, "started_at", "finished_at", "errors": [text]}.
        A rebuild whose instance stopped saving its progress for STALLED_AFTER has failed."""
        saved = self._indices.progress()
        if saved is None:
            return {**_IDLE, "kinds": {}, "errors": []}
        shown = {name: value for name, value in saved.items() if name != "saved_at"}
        if saved["state"] == RUNNING and _stalled(saved):
            shown.update(state=FAILED, kind=None, errors=[*saved["errors"], (
                f"the instance rebuilding stopped reporting at {saved['saved_at']}: start the reindex again")])
        return shown

    def start(self, replay: Replay) -> dict:
        """Start rebuilding in the background unless a rebuild is running here or in another
        instance; returns the status."""
        status = {**_IDLE, "state": RUNNING, "kinds": {}, "errors": [], "started_at": utcnow().isoformat()}
        if self._indices.claim_progress({**status, "saved_at": status["started_at"]}, _running):
            self._status, self._saved_at = status, time.monotonic()
            self._spawn(lambda: self._run(replay))
        return self.status()

    def _run(self, replay: Replay) -> None:
        current = self._index.engine
        new = self._indices.create(current)
        self._index.start_rebuild(new)
        writes = GreenPool(PARALLEL_WRITES)
        try:
            for kind in KINDS:
                self._status["kind"] = kind
                self._save(now=True)
                for event in replayed(replay, kind):
                    writes.spawn_n(self._apply, new.put, kind, event)
                writes.waitall()  # a kind's items after the units they name
            # Best bets live only in the index: carry them over (a newer pin or unpin made
            # meanwhile was written to both and wins over this first version).
            for bet in current.best_bets():
                new.put(bet.key, 1, bet)
            self._indices.promote(current, new)
        except Exception as error:
            log.exception("reindex failed")
            writes.waitall()
            self._index.end_rebuild()
            self._indices.discard(new)
            self._finish(FAILED, f"{type(error).__name__}: {error}")
            return
        self._index.end_rebuild()
        since = (datetime.fromisoformat(self._status["started_at"]) - CATCH_UP_MARGIN).isoformat()
        try:
            for kind in KINDS:
                for event in replayed(replay, kind, updated_since=since):
                    self._index.apply_event(event)
        except Exception as error:
            log.exception("catching up after the reindex failed")
            self._note(f"catching up: {type(error).__name__}: {error}")
        self._finish(DONE)

    def _apply(self, put: Callable, kind: str, event: events.Event) -> None:
        try:
            put(*entry(event))
        except Exception as error:  # one bad item must not stop the others
            log.exception("reindexing %s failed", event.document_id)
            self._note(f"{kind} {event.document_id}: {type(error).__name__}: {error}")
            return
        self._status["done"] += 1
        self._status["kinds"][kind] = self._status["kinds"].get(kind, 0) + 1
        self._save()

    def _note(self, error: str) -> None:
        if len(self._status["errors"]) < MAX_ERRORS:
            self._status["errors"].append(error)

    def _finish(self, state: str, error: str | None = None) -> None:
        if error:
            self._note(error)
        self._status.update(state=state, kind=None, finished_at=utcnow().isoformat())
        self._save(now=True)

    def _save(self, now: bool = False) -> None:
        """Save the progress, at most every SAVE_SECONDS unless `now`; a failed save is logged
        (the rebuild goes on, and its next save may succeed)."""
        if not now and time.monotonic() - self._saved_at < SAVE_SECONDS:
            return
        self._saved_at = time.monotonic()
        try:
            self._indices.save_progress({**self._status, "saved_at": utcnow().isoformat()})
        except Exception:
            log.exception("saving the reindex progress failed")


_IDLE = {"state": IDLE, "kind": None, "done": 0, "started_at": None, "finished_at": None}


def _stalled(saved: dict) -> bool:
    return utcnow() - datetime.fromisoformat(saved["saved_at"]) > STALLED_AFTER


def _running(saved: dict) -> bool:
    return saved["state"] == RUNNING and not _stalled(saved)


def check(index: ContentIndex, replay: Replay) -> dict:
    """Per unit and kind, the items the content service says are public against those the
    index holds: {"equal": bool, "content": total, "index": total,
    "differences": [{"unit", "kind", "content", "index"}]}."""
    public: Counter = Counter()
    for kind in KINDS:
        for event in replayed(replay, kind):
            _, _, record = entry(event)
            if record is None:  # unpublished or withdrawn: a tombstone in the index
                continue
            public[(_unit_of(record), kind)] += 1
    indexed = index.counts()
    differences = [{"unit": unit, "kind": kind, "content": public.get((unit, kind), 0),
                    "index": indexed.get((unit, kind), 0)}
                   for unit, kind in sorted(set(public) | set(indexed))
                   if public.get((unit, kind), 0) != indexed.get((unit, kind), 0)]
    return {"equal": not differences, "content": sum(public.values()), "index": sum(indexed.values()),
            "differences": differences}


def _unit_of(record: Record) -> str:
    return record.slug if isinstance(record, UnitRecord) else record.unit

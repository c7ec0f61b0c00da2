"""Each write request takes effect once: its first outcome is kept and given to every repeat.

A write RPC marked `@once_per_request` and called with an idempotency key (the gateway sends the
client's Idempotency-Key header, or a key of its own for each request) runs in one transaction
with the record of its outcome: the change, its revision, audit entry and event, and the outcome
commit together or not at all. A repeat of the key by the same user gets the stored outcome (the
result, or the refusal), whether a client repeats a request whose answer it never got or the
broker hands out again a request whose process died before replying. A repeat that arrives while
the first still runs waits for it (the claimed key is a write conflict until the first commits).
The same key for a different request is refused: a key names one request.

A change that would commit after its caller stopped waiting is undone instead, so no work
happens for a caller that has already given up. Outcomes are kept for RETENTION (a TTL index);
after that a key is new again.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import json
import time
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from services.common.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound, Unavailable
from services.content.database import WRITE_BUDGET, now

# Refusals a repeat would meet again for the same reason, kept like results. Any other error
# (Unavailable, Unauthorized, TooManyRequests) decided nothing, so a repeat runs anew.
FINAL_REFUSALS = {cls.__name__: cls for cls in (NotFound, InvalidInput, Conflict, Forbidden, Gone)}
RETENTION = timedelta(hours=24)
# Seconds kept for the reply to reach a caller whose deadline is near.
REPLY_MARGIN = 0.5


class _Kept(Exception):
    def __init__(self, entry: dict):
        self.entry = entry


class Outcomes:
    INDEXES = {"outcomes": [{"keys": [("at", 1)], "expire_after": RETENTION}]}

    def __init__(self, db):
        self.db = db
        self.entries = db["outcomes"]

    def once(self, username: str, key: str, request: tuple, run, deadline: float | None):
        """`run()`'s result, or the outcome kept for `key` if this user's request ran before."""
        entry_id = _digest(username, key)
        fingerprint = _digest(*(json.dumps(part, sort_keys=True, default=str) for part in request))
        kept = self.entries.find_one({"_id": entry_id})
        if kept is not None:
            return _replay(kept, fingerprint)

        def work(session):
            kept = self.entries.find_one({"_id": entry_id}, session=session)
            if kept is not None:
                raise _Kept(kept)
            # Claimed first, so a concurrent repeat conflicts here and waits, not after its own work.
            try:
                self.entries.insert_one({"_id": entry_id, "fingerprint": fingerprint, "at": now()}, session=session)
            except DuplicateKeyError:
                raise _Kept(self.entries.find_one({"_id": entry_id})) from None  # committed meanwhile
            result = run()
            if deadline is not None and time.time() > deadline:
                raise Unavailable("The request's time ran out before its change was made; nothing was written", 1)
            self.entries.update_one({"_id": entry_id}, {"$set": {"result": json.dumps(result)}}, session=session)
            return result

        budget = WRITE_BUDGET if deadline is None else max(deadline - time.time() - REPLY_MARGIN, 0.0)
        try:
            return self.db.transaction(work, budget)
        except _Kept as kept:
            return _replay(kept.entry, fingerprint)
        except tuple(FINAL_REFUSALS.values()) as refusal:
            self._keep_refusal(entry_id, fingerprint, refusal)
            raise

    def _keep_refusal(self, entry_id: str, fingerprint: str, refusal: Exception):
        # Nothing else was written (the transaction was aborted), so the refusal is kept alone, as
        # text like results: it may quote field names MongoDB would not take as keys.
        try:
            self.entries.insert_one({"_id": entry_id, "fingerprint": fingerprint, "at": now(),
                                     "refusal": json.dumps([type(refusal).__name__, list(refusal.args)])})
        except DuplicateKeyError:
            pass  # a concurrent repeat kept its outcome first


def _replay(entry: dict, fingerprint: str):
    if entry["fingerprint"] != fingerprint:
        raise InvalidInput("This Idempotency-Key was already used for a different request; use a new key",
                           {"Idempotency-Key": "used for a different request"})
    if "refusal" in entry:
        kind, args = json.loads(entry["refusal"])
        raise FINAL_REFUSALS[kind](*args)
    return json.loads(entry["result"])  # the claim and the result commit together


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def once_per_request(method):
    """Marks a content write RPC whose first argument is the acting user's assertion: with an
    idempotency key, it takes effect once per key and user (see Outcomes)."""

    @functools.wraps(method)
    def write(self, actor, *args, **kwargs):
        request = self.request
        if request.idempotency_key is None:
            return method(self, actor, *args, **kwargs)
        username = self.acting.verify(actor)
        return self.content.outcomes.once(username, request.idempotency_key, (method.__name__, args, kwargs),
                                          lambda: method(self, actor, *args, **kwargs), request.deadline)

    # nameko checks a call's arguments against the signature it sees: the method's own.
    write.__signature__ = inspect.signature(method)
    return write

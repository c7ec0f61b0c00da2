"""How often subscribing may be asked for, counted in MongoDB so that the limits hold however
many notify instances there are.

Two floods are held back: one client asking for many subscriptions (a script trying addresses),
and many confirmation emails to one mailbox (someone using the portal to pester its owner).

A client is never stored as its address: it is a keyed hash of it (HMAC-SHA256 with a random
key of the day), each attempt is kept one hour, and a day's key is dropped after two days, so
an old record cannot be traced back to an address even by someone who holds the database.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.common.errors import TooManyRequests

# Anchored on GOV.UK Notify's rate limits, which count requests over a rolling window and answer
# past it with 429 and nothing done: 20 subscribe attempts an hour from one client address is
# more than a household subscribing to its units, and far fewer than a script trying addresses.
ATTEMPTS_PER_CLIENT = 20
WINDOW = timedelta(hours=1)
# One confirmation email an hour to a subscription, however often it is asked for, over the same
# rolling hour: ten attempts in an hour send one email, and whoever lost it gets a new one the
# next hour. Notify's limits protect the service; this one protects the owner of the mailbox.
CONFIRMATION_INTERVAL = WINDOW
KEPT_KEYS = timedelta(days=2)


class ClientAttempts:
    """The subscribe attempts of each client address in the last hour."""

    def __init__(self, database):
        self.attempts = database["client_attempts"]
        self.keys = database["client_keys"]  # read by _id only

    def ensure_indexes(self):
        self.attempts.create_index([("client", ASCENDING), ("at", ASCENDING)])
        self.attempts.create_index("at")

    def admit(self, address: str, moment: datetime):
        """Count one more attempt from `address`, or raise TooManyRequests.

        The attempt is counted first and the count read after, so two attempts racing past the
        limit are both refused rather than both let through; a refused one is not counted."""
        since = moment - WINDOW
        self.attempts.delete_many({"at": {"$lt": since}})
        self.keys.delete_many({"_id": {"$lt": (moment - KEPT_KEYS).date().isoformat()}})
        # Within the hour the day's key may have changed: the client is known by either.
        client = self._client(address, moment.date())
        recent = [{"client": key, "at": {"$gte": since}}
                  for key in sorted({client, self._client(address, since.date())})]
        record = self.attempts.insert_one({"client": client, "at": moment}).inserted_id
        if sum(self.attempts.count_documents(query) for query in recent) <= ATTEMPTS_PER_CLIENT:
            return
        self.attempts.delete_one({"_id": record})
        counted = [doc["at"] for query in recent
                   if (doc := self.attempts.find_one(query, sort=[("at", ASCENDING)]))]
        free_at = min(counted, default=moment) + WINDOW
        retry_after = max(1, math.ceil((free_at - moment).total_seconds()))
        raise TooManyRequests(
            f"At most {ATTEMPTS_PER_CLIENT} subscriptions an hour from one address; "
            f"try again in {retry_after} seconds", retry_after)

    def _client(self, address: str, day) -> str:
        return hmac.new(self._key(day), address.encode(), hashlib.sha256).hexdigest()[:32]

    def _key(self, day) -> bytes:
        try:
            doc = self.keys.find_one_and_update(
                {"_id": day.isoformat()}, {"$setOnInsert": {"key": secrets.token_hex(32)}},
                upsert=True, return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:  # another worker created the day's key at the same moment
            doc = None
        # When several workers create the day's key at once, the MongoDB stand-in may store it
        # without returning it: it is there to read.
        doc = doc or self.keys.find_one({"_id": day.isoformat()})
        return bytes.fromhex(doc["key"])

"""How often one sender may ask a unit: at most `limit` questions in any hour.

Counted here, in MongoDB, so the limit holds however many gateway workers and content
processes there are. A sender is never stored as its address: it is a keyed hash of the
address (HMAC-SHA256 with a random key of the day, as the ranking service does for
visitors), kept one hour, and the day's key is dropped after two days, so an old record
cannot be traced back to an address even by someone who holds the database.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta

from pymongo import ASCENDING as ASC
from pymongo import ReturnDocument

from services.common.errors import TooManyRequests
from services.content.database import aware

WINDOW = timedelta(hours=1)
KEPT_KEYS = timedelta(days=2)


class Senders:
    INDEXES = {
        # One sender's recent questions to a unit; old records are dropped by time.
        "question_senders": [[("unit", ASC), ("sender", ASC), ("at", ASC)], [("at", ASC)]],
        # "question_sender_keys" is read by _id only.
    }

    def __init__(self, db, kind: str = "question"):
        self.senders = db[f"{kind}_senders"]
        self.keys = db[f"{kind}_sender_keys"]
        self.kind = kind

    def admit(self, unit: str, address: str, moment: datetime, limit: int):
        """Count one more question from `address` to `unit`, or raise TooManyRequests.

        The question is counted first and the count read after, so two questions racing past
        the limit are both refused rather than both let through; a refused one is not counted.
        """
        since = moment - WINDOW
        self.senders.delete_many({"at": {"$lt": since}})
        self.keys.delete_many({"_id": {"$lt": (moment - KEPT_KEYS).date().isoformat()}})
        # Within the hour the day's key may have changed: the sender is known by either. Each
        # is counted by equality, which every MongoDB (and its stand-in here) finds by the index.
        sender = self._sender(address, moment.date())
        recent = [{"unit": unit, "sender": key, "at": {"$gte": since}}
                  for key in sorted({sender, self._sender(address, since.date())})]
        record = self.senders.insert_one({"unit": unit, "sender": sender, "at": moment}).inserted_id
        if sum(self.senders.count_documents(query) for query in recent) <= limit:
            return
        self.senders.delete_one({"_id": record})
        counted = [doc["at"] for query in recent if (doc := self.senders.find_one(query, sort=[("at", ASC)]))]
        free_at = aware(min(counted, default=moment)) + WINDOW
        retry_after = max(1, math.ceil((free_at - moment).total_seconds()))
        raise TooManyRequests(f"At most {limit} {self.kind}s an hour from one sender to {unit!r}", retry_after)

    def _sender(self, address: str, day) -> str:
        return hmac.new(self._key(day), address.encode(), hashlib.sha256).hexdigest()[:32]

    def _key(self, day) -> bytes:
        doc = self.keys.find_one_and_update(
            {"_id": day.isoformat()}, {"$setOnInsert": {"key": secrets.token_hex(32)}},
            upsert=True, return_document=ReturnDocument.AFTER)
        # When several senders create the day's key at once, the MongoDB stand-in may store it
        # without returning it: it is there to read.
        doc = doc or self.keys.find_one({"_id": day.isoformat()})
        return bytes.fromhex(doc["key"])

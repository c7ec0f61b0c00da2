"""The ranking service's storage: what each unit has published, and its visits.

Article state comes only from contract events and is applied by version: a document is
written only if the event is newer than what is stored, so redelivered or late events
change nothing. Visitors are counted without cookies or third parties, as Plausible does:
a visitor is a hash of a daily random salt, the client address and its user agent, so no
address is stored and nobody can be followed from one day to the next.
"""
from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING, ReturnDocument, UpdateOne
from pymongo.errors import DuplicateKeyError

ONLINE_WINDOW = timedelta(minutes=5)
VISITOR_RETENTION = timedelta(days=1)


def now() -> datetime:
    return datetime.now(timezone.utc)


def _visitor(salt: str, client_address: str, user_agent: str) -> str:
    return hashlib.sha256(f"{salt}|{client_address}|{user_agent}".encode()).hexdigest()[:32]


class RankingStore:
    def __init__(self, database):
        self.articles = database["articles"]
        self.units = database["units"]
        self.visit_totals = database["visit_totals"]
        self.visitors = database["visitors"]
        self.salts = database["salts"]

    def ensure_indexes(self):
        self.articles.create_index([("unit", ASCENDING), ("published", ASCENDING)])
        self.visitors.create_index([("unit", ASCENDING), ("seen_at", ASCENDING)])

    def apply_article(self, document_id: str, version: int, unit: str, published: bool,
                      published_at: datetime | None) -> bool:
        return self._apply(self.articles, document_id, version,
                           {"unit": unit, "published": published, "published_at": published_at})

    def apply_unpublished(self, document_id: str, version: int, unit: str) -> bool:
        return self._apply(self.articles, document_id, version, {"unit": unit, "published": False})

    def apply_unit(self, slug: str, version: int, fields: dict) -> bool:
        return self._apply(self.units, slug, version, fields)

    def unit_activity(self, unit: str) -> dict:
        published = {"unit": unit, "published": True}
        latest = self.articles.find_one(published, sort=[("published_at", -1)])
        return {
            "unit": unit,
            "published_articles": self.articles.count_documents(published),
            "last_published_at": latest["published_at"].isoformat() if latest else None,
        }

    def record_visit(self, unit: str, client_address: str, user_agent: str) -> dict:
        return self.record_visits([(unit, client_address, user_agent, 1)])[unit]

    def record_visits(self, visits: list) -> dict[str, dict]:
        """Count a batch of page views, [(unit, client address, user agent, views)], in two bulk
        writes; the counters of every unit in the batch afterwards."""
        moment = now()
        salt = self._daily_salt(moment.date().isoformat())
        views: Counter = Counter()
        for unit, _, _, count in visits:
            views[unit] += count
        seen = {(unit, _visitor(salt, address, agent or "")) for unit, address, agent, _ in visits}
        self.visit_totals.bulk_write(
            [UpdateOne({"_id": unit}, {"$inc": {"total": count}}, upsert=True) for unit, count in views.items()],
            ordered=False)
        self.visitors.bulk_write(
            [UpdateOne({"_id": f"{unit}:{visitor}"}, {"$set": {"unit": unit, "seen_at": moment}}, upsert=True)
             for unit, visitor in seen], ordered=False)
        return {unit: self.visit_counters(unit) for unit in views}

    def visit_counters(self, unit: str) -> dict:
        totals = self.visit_totals.find_one({"_id": unit}) or {}
        online = self.visitors.count_documents({"unit": unit, "seen_at": {"$gte": now() - ONLINE_WINDOW}})
        return {"unit": unit, "total": totals.get("total", 0), "online": online}

    def forget_old_visitors(self) -> int:
        return self.visitors.delete_many({"seen_at": {"$lt": now() - VISITOR_RETENTION}}).deleted_count

    def _daily_salt(self, day: str) -> str:
        doc = self.salts.find_one_and_update(
            {"_id": day}, {"$setOnInsert": {"salt": secrets.token_hex(16)}},
            upsert=True, return_document=ReturnDocument.AFTER)
        return doc["salt"]

    @staticmethod
    def _apply(collection, key: str, version: int, fields: dict) -> bool:
        """Store `fields` at `version` unless an equal or newer version is stored already."""
        try:
            result = collection.update_one(
                {"_id": key, "version": {"$lt": version}},
                {"$set": {**fields, "version": version}}, upsert=True)
        except DuplicateKeyError:
            return False  # the document exists with this version or a newer one
        return result.modified_count == 1 or result.upserted_id is not None

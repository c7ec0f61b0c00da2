"""Sites gone stale: a unit with no update for its level's `stale_after_days` is noted once per
spell without updates (keyed by its last update), and the note announced as `site_stale`.

Notes are kept until announced, so a crash between noting and announcing loses nothing; an
announced note is kept for a year and then forgotten (a TTL index)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.ranking.criteria import Criteria

KEPT = timedelta(days=365)
PLATFORM_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


class StaleNotes:
    def __init__(self, database):
        self.notes = database["stale_notes"]

    def ensure_indexes(self):
        self.notes.create_index([("announced", ASCENDING)])
        self.notes.create_index([("announced_at", ASCENDING)], expireAfterSeconds=int(KEPT.total_seconds()))

    def note(self, criteria: Criteria, units: list[dict], last_updates: dict[str, datetime], now: datetime) -> int:
        """Note every active unit past its level's threshold; returns how many notes are new."""
        new = 0
        for unit in units:
            if unit.get("status", "active") != "active":
                continue
            threshold = criteria.targets(unit["level"]).stale_after_days
            last = last_updates.get(unit["_id"])
            since = last or unit.get("site_since")
            if since is None or now - since < timedelta(days=threshold):
                continue
            version = max(1, int(since.timestamp()) - int(PLATFORM_EPOCH.timestamp()))
            event = events.SiteStale(
                document_id=unit["_id"], version=version, occurred_at=now, unit=unit["_id"],
                unit_name=unit.get("name", unit["_id"]), level=unit["level"], last_update_at=last,
                days=(now - since).days, threshold_days=threshold, link=f"/{unit['_id']}/xep-hang")
            name, payload = events.to_message(event)
            try:
                self.notes.insert_one({"_id": f"{unit['_id']}/{version}", "name": name, "payload": payload,
                                       "announced": False})
            except DuplicateKeyError:
                continue  # this spell was noted already
            new += 1
        return new

    def unannounced(self) -> list[dict]:
        return list(self.notes.find({"announced": False}))

    def mark_announced(self, key: str, now: datetime) -> None:
        self.notes.update_one({"_id": key}, {"$set": {"announced": True, "announced_at": now}})

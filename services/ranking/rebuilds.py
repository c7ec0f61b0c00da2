"""The progress of rebuilding the ranking's facts from content's replay, kept in the ranking's
database: a status request reaches any instance of the service, and only one instance
rebuilds at a time."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

IDLE, RUNNING, DONE, FAILED = "idle", "running", "done", "failed"
# A running rebuild saves its progress after each page of the replay; one not saved for
# STALLED_AFTER has failed with its instance (killed, or cut off), and may be started again.
STALLED_AFTER = timedelta(minutes=2)
_ID = "rebuild"


class RebuildProgress:
    def __init__(self, database, clock: Callable[[], datetime]):
        self._progress = database["rebuild_progress"]
        self._clock = clock

    def status(self) -> dict:
        """{"state": idle|running|done|failed, "kinds": {kind: events applied}, "started_at",
        "finished_at", "error"}."""
        saved = self._progress.find_one({"_id": _ID}, {"_id": 0})
        if saved is None:
            return {"state": IDLE, "kinds": {}, "started_at": None, "finished_at": None, "error": None}
        saved_at = saved.pop("saved_at")
        if saved["state"] == RUNNING and saved_at < self._stalled_before():
            saved.update(state=FAILED, error=f"the instance rebuilding stopped reporting at {saved_at.isoformat()}: "
                                             "start the rebuild again")
        return saved

    def claim(self) -> bool:
        """Record a rebuild starting, unless one is running (in any instance): True if recorded."""
        now = self._clock()
        try:
            self._progress.update_one(
                {"_id": _ID, "$or": [{"state": {"$ne": RUNNING}}, {"saved_at": {"$lt": self._stalled_before()}}]},
                {"$set": {"state": RUNNING, "kinds": {}, "started_at": now.isoformat(), "finished_at": None,
                          "error": None, "saved_at": now}}, upsert=True)
        except DuplicateKeyError:  # the record exists and says running: the upsert's insert collided
            return False
        return True

    def applied(self, kinds: dict[str, int]) -> None:
        self._progress.update_one({"_id": _ID}, {"$set": {"kinds": kinds, "saved_at": self._clock()}})

    def finish(self, error: str | None = None) -> None:
        now = self._clock()
        self._progress.update_one({"_id": _ID}, {"$set": {
            "state": FAILED if error else DONE, "error": error, "finished_at": now.isoformat(), "saved_at": now}})

    def _stalled_before(self) -> datetime:
        return self._clock() - STALLED_AFTER

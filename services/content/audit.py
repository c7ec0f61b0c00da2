"""The per-unit audit log: who did what to which document, and when."""
from __future__ import annotations

from pymongo import DESCENDING

from services.content.database import iso, now


def entry(*, unit: str, actor: str, action: str, target: str, details: dict | None = None) -> dict:
    return {"unit": unit, "actor": actor, "action": action, "target": target, "details": details or {}, "at": now()}


class AuditLog:
    def __init__(self, db):
        self.entries = db["audit"]

    def record(self, session, **audited):
        self.record_all(session, [entry(**audited)])

    def record_all(self, session, audited: list[dict]):
        """Entries made by `entry`, in one write."""
        if audited:
            self.entries.insert_many(audited, session=session)

    def list(self, unit: str, asked) -> list[dict]:
        """The unit's entries, latest first, as `asked` (units.schemas.AuditQuery) filters and pages them."""
        query = {"unit": unit, **{name: getattr(asked, name) for name in ("action", "actor", "target")
                                  if getattr(asked, name) is not None}}
        cursor = self.entries.find(query).sort([("at", DESCENDING), ("_id", DESCENDING)])
        cursor = cursor.skip(asked.skip).limit(asked.limit)
        return [{"unit": e["unit"], "actor": e["actor"], "action": e["action"], "target": e["target"],
                 "details": e["details"], "at": iso(e["at"])} for e in cursor]

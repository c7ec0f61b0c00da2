"""Every change to an editable document is a revision: who, when, what changed, and the
editable fields as they then stood, so any revision can be compared or restored."""
from __future__ import annotations

import difflib

from pydantic import ConfigDict, Field
from pymongo import ASCENDING, DESCENDING

from services.common.errors import NotFound
from services.common.schemas import Output
from services.content.database import iso, now
from services.content.validation import Input, Version


class Revision(Output):
    """One version of a document as its revisions list shows it: who made it, how, and which
    fields it changed."""
    version: int
    actor: str
    action: str
    at: str
    changed: list[str]
    comment: str


class RevisionDiff(Output):
    """Two revisions of a document compared: a unified diff of each field that differs."""
    document_id: str
    from_version: int = Field(alias="from")
    to_version: int = Field(alias="to")
    fields: dict[str, str] = Field(description="field → its unified diff (fields that are equal are left out)")


class Rollback(Input):
    """Restore a revision's fields as the document's next version."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"to_version": 1, "version": 3}]})

    to_version: Version = Field(description="the revision whose fields are restored")
    version: Version = Field(description="the version the rollback is based on (409 if it is not the current one)")


def entry(*, document_id: str, version: int, actor: str, action: str, fields: dict, previous: dict | None,
          comment: str = "") -> dict:
    changed = {name: {"from": (previous or {}).get(name), "to": value}
               for name, value in fields.items() if (previous or {}).get(name) != value}
    return {"document_id": document_id, "version": version, "actor": actor, "action": action, "at": now(),
            "changed": changed, "fields": fields, "comment": comment}


class Revisions:
    def __init__(self, db):
        self.entries = db["revisions"]

    def record(self, session, **revision):
        self.record_all(session, [entry(**revision)])

    def record_all(self, session, revisions: list[dict]):
        """Entries made by `entry`, in one write."""
        if revisions:
            self.entries.insert_many(revisions, session=session)

    def list(self, document_id: str, skip: int = 0, limit: int = 0) -> list[dict]:
        """The document's revisions, oldest first: `limit` of them after `skip` (0: all)."""
        cursor = self.entries.find({"document_id": document_id}).sort("version", ASCENDING).skip(skip).limit(limit)
        return [self._public(entry) for entry in cursor]

    def latest(self, document_id: str, session=None) -> int:
        """The document's last revised version (0 before its first)."""
        last = self.entries.find_one({"document_id": document_id}, {"version": 1}, session=session,
                                     sort=[("version", DESCENDING)])
        return last["version"] if last else 0

    def get(self, document_id: str, version: int) -> dict:
        entry = self.entries.find_one({"document_id": document_id, "version": version})
        if entry is None:
            raise NotFound(f"No revision {version} of {document_id!r}")
        return entry

    def diff(self, document_id: str, from_version: int, to_version: int) -> dict:
        """A unified diff per field that differs between two revisions."""
        before = self.get(document_id, from_version)["fields"]
        after = self.get(document_id, to_version)["fields"]
        diffs = {}
        for name in sorted(set(before) | set(after)):
            old, new = _text(before.get(name)), _text(after.get(name))
            if old != new:
                diffs[name] = "".join(difflib.unified_diff(
                    old.splitlines(keepends=True), new.splitlines(keepends=True),
                    fromfile=f"v{from_version}", tofile=f"v{to_version}"))
        return {"document_id": document_id, "from": from_version, "to": to_version, "fields": diffs}

    @staticmethod
    def _public(entry: dict) -> dict:
        return {"version": entry["version"], "actor": entry["actor"], "action": entry["action"],
                "at": iso(entry["at"]), "changed": sorted(entry["changed"]), "comment": entry["comment"]}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value) + "\n"
    text = str(value)
    return text if text.endswith("\n") else text + "\n"

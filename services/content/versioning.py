"""Versioned writes, as every area of the content service changes its documents.

A change is one new version (`version` + 1, `updated_at` stamped), written in one transaction
with its revision (where the area keeps revisions), its audit entry and, when the public sees
a difference, its event in the outbox. A writer holding an older version gets Conflict with
the current one instead of overwriting someone else's work. Each area keeps its own rules
(who may act, from which state, which event) and hands the change itself to `Versioned`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, NotFound
from services.content import audit, revisions
from services.content.database import now

# The event a change announces, from the document as it now stands (None: nothing to announce).
Announce = Callable[[dict], events.Event | None]
# A document that may be new: what identifies it (a query on equal fields, the last one the field
# that tells the documents of one import apart), and how to make it once it is known new.
New = tuple[dict, Callable[[], dict]]


class Versioned:
    """One area's collection, changed only through versioned writes.

    `area` names its documents in audit actions ("article" -> "article.update") and in NotFound;
    `label` names one document in Conflict messages, formatted with its fields ("Article {_id!r}");
    `revised` gives the fields a revision keeps (None where the area keeps no revisions);
    `noted` gives what every audit entry notes besides a comment (a document's number, say).
    """

    def __init__(self, content, collection: str, *, area: str, label: str,
                 revised: Callable[[dict], dict] | None = None, noted: Callable[[dict], dict] | None = None):
        self.content = content
        self.documents = content.db[collection]
        self.area = area
        self.label = label
        self.revised = revised
        self.noted = noted

    def require(self, document_id) -> dict:
        doc = self.documents.find_one({"_id": document_id}) if isinstance(document_id, str) else None
        if doc is None:
            raise NotFound(f"No {self.area} {document_id!r}")
        return doc

    def insert(self, actor: str, doc: dict, action: str = "create", announce: Announce | None = None) -> dict:
        """Store a new document (at version 1) with its first revision, audit entry and event.

        A duplicate unique key raises DuplicateKeyError, with nothing written, for the area to explain.
        """
        def work(session):
            self.documents.insert_one(doc, session=session)
            self._record(session, actor, [(doc, None)], action, "", announce)

        self.content.db.transaction(work)
        return doc

    def insert_new(self, actor: str, planned: list[New], action: str, announce: Announce) -> int:
        """Store, as `insert` stores one, each planned document whose key no document matches yet
        (nor an earlier one planned); how many were stored. Each collection is written once: an
        import of hundreds of items stays quick, and one run twice adds nothing."""
        def work(session):
            taken, docs = self._existing([key for key, _ in planned], session), []
            for key, build in planned:
                if _identity(key) not in taken:
                    taken.add(_identity(key))
                    docs.append(build())
            if docs:
                self.documents.insert_many(docs, session=session)
                self._record(session, actor, [(doc, None) for doc in docs], action, "", announce)
            return len(docs)

        return self.content.db.transaction(work)

    def _existing(self, keys: list[dict], session) -> set[tuple]:
        """The identities of the keys some stored document matches, one query for keys that differ
        in their last field only ($in on it): a query per key made an import's transaction as
        long as its items, and an $or of whole keys scans the collection on the MongoDB stand-in."""
        asked: dict[tuple, list] = defaultdict(list)
        for key in keys:
            *same, (field, value) = key.items()
            asked[tuple(same), field].append(value)
        found = set()
        for (same, field), values in asked.items():
            names = [name for name, _ in same] + [field]
            query = {**dict(same), field: {"$in": values}}
            found |= {tuple((name, doc[name]) for name in names)
                      for doc in self.documents.find(query, dict.fromkeys(names, 1), session=session)}
        return found

    def update(self, actor: str, current: dict, version: int | None, changes: dict, action: str, *,
               comment: str = "", announce: Announce | None = None, at: datetime | None = None,
               taken: str | None = None) -> dict:
        """Apply `changes` to `current` as its next version and return the document as stored.

        `version` is the one the writer holds (None: whatever is current); `at` stamps updated_at
        (now by default); `taken` is the Conflict's message should the change duplicate a unique key.
        """
        self.check(current, version)

        def work(session):
            # A conditional write, then a read by _id, rather than one find-and-modify: the MongoDB
            # stand-in reads the whole collection for a find-and-modify filtered by more than _id.
            try:
                written = self.documents.update_one(
                    {"_id": current["_id"], "version": current["version"]},
                    {"$set": {**changes, "updated_at": at or now()}, "$inc": {"version": 1}}, session=session)
            except DuplicateKeyError:
                if taken is None:
                    raise
                raise Conflict(taken, current["version"]) from None
            if not written.matched_count:
                latest = self.documents.find_one({"_id": current["_id"]}, {"version": 1})
                raise Conflict(f"{self._name(current)} changed meanwhile", latest and latest["version"])
            doc = self.documents.find_one({"_id": current["_id"]}, session=session)
            self._record(session, actor, [(doc, current)], action, comment, announce)
            return doc

        return self.content.db.transaction(work)

    def check(self, current: dict, version: int | None) -> None:
        """Conflict unless the writer holds the current version (or named none)."""
        if version is not None and current["version"] != version:
            raise Conflict(f"{self._name(current)} is at version {current['version']}, not {version}",
                           current["version"])

    def _record(self, session, actor: str, changed: list[tuple[dict, dict | None]], action: str, comment: str,
                announce: Announce | None):
        """The revisions, audit entries and events of documents as now stored, each beside the
        version before (None for a new one)."""
        if self.revised is not None:
            self.content.revisions.record_all(session, [revisions.entry(
                document_id=doc["_id"], version=doc["version"], actor=actor, action=action, fields=self.revised(doc),
                previous=previous and self.revised(previous), comment=comment) for doc, previous in changed])
        # A unit's own changes go to its own log.
        self.content.audit.record_all(session, [audit.entry(
            unit=doc.get("unit", doc["_id"]), actor=actor, action=f"{self.area}.{action}", target=doc["_id"],
            details={**(self.noted(doc) if self.noted else {}), **({"comment": comment} if comment else {})})
            for doc, _ in changed])
        announced = [announce(doc) for doc, _ in changed] if announce is not None else []
        self.content.outbox.record([event for event in announced if event is not None], session)

    def _name(self, doc: dict) -> str:
        return self.label.format(**doc)


def _identity(key: dict) -> tuple:
    return tuple(key.items())

"""Legal documents ("văn bản"): number and symbol, type, issuing body, signer, issue and
effective dates, excerpt and the downloadable file, as Decree 42/2022/NĐ-CP asks every site
to carry, with the document search that goes with them.

Editors keep drafts; the editor-in-chief publishes. A published document stays public, and
a correction to it is published at once as a new version (so only those who may publish may
make it). As with articles, every change is one new version written in one transaction with
its revision, its audit entry and (when public) its event; a writer holding an older version
gets Conflict with the current one.
"""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, InvalidInput, NotFound
from services.content import disclosures
from services.content.access import Actor
from services.content.database import REPLAY_INDEXES, aware, iso, now
from services.content.documents.keys import number_runs
from services.content.documents.schemas import DisclosureListing, DocumentInput, DocumentSearch, EditorsListing
from services.content.history.schemas import PastDocument
from services.content.remembered import recalled
from services.content.text import folded_key, folded_words
from services.content.validation import validate
from services.content.versioning import New, Versioned

EDITABLE = ("number", "type", "issuing_body", "signer", "issued_on", "effective_on", "excerpt", "field", "file",
            "section")
FILE_FIELDS = ("filename", "content_type", "size")
# The fields a free-text search looks into.
WORDS_FROM = ("number", "type", "issuing_body", "signer", "excerpt", "field")
# Newest issued first; within a day the higher serial number was issued later (see issue_order).
NEWEST_ISSUED = [("issue_order", DESC)]
ISSUE_ORDERS = {"-issued_on": NEWEST_ISSUED, "issued_on": [("issue_order", ASC)]}


def document_path(doc: dict) -> str:
    return f"/{doc['unit']}/van-ban/{doc['_id']}"


def file_path(media_id: str) -> str:
    return f"/tep/{media_id}"


def public_document(doc: dict) -> dict:
    file = doc["file"]
    return {
        "id": doc["_id"], "unit": doc["unit"], **editable_fields(doc),
        "file": {**file, "path": file_path(file["media_id"])} if file else None,
        "status": doc["status"], "version": doc["version"], "path": document_path(doc),
        "created_at": iso(doc["created_at"]), "updated_at": iso(doc["updated_at"]),
        "published_at": iso(doc["published_at"]),
    }


def editable_fields(doc: dict) -> dict:
    # Documents stored before disclosure sections existed have no `section`: they are ordinary ones.
    return {name: doc.get(name) for name in EDITABLE}


def number_taken(unit: str, number: str) -> str:
    return f"Unit {unit!r} already has a document numbered {number!r}"


def issue_order(document_id: str, fields: dict) -> str:
    """'2026-03-02:0000012:<id>': sorts by issue date, then serial number, and is unique, so pages
    never shift on ties; a range of issue dates is a range of its prefix."""
    serial = int(re.match(r"\d+", fields["number"]).group())
    return f"{fields['issued_on']}:{serial:07d}:{document_id}"


def search_keys(document_id: str, fields: dict) -> dict:
    """What the search compares and sorts by, kept beside what is shown (see keys.py)."""
    return {
        "number_key": folded_key(fields["number"]), "number_runs": number_runs(fields["number"]),
        "issue_order": issue_order(document_id, fields),
        "type_key": folded_key(fields["type"]), "issuer_key": folded_key(fields["issuing_body"]),
        "words": sorted(set(folded_words(" ".join(fields[name] for name in WORDS_FROM)))),
    }


def new_document(unit: str, fields: dict, actor: Actor, moment: datetime, published: bool = False) -> dict:
    """A new document as stored: a draft, or (imported) published at `moment`."""
    document_id = uuid.uuid4().hex
    return {"_id": document_id, "unit": unit, **fields, **search_keys(document_id, fields),
            "status": "published" if published else "draft", "version": 1, "created_by": actor.username,
            "created_at": moment, "updated_at": moment, "published_at": moment if published else None}


def search_filter(criteria: DocumentSearch) -> dict:
    """The MongoDB filter for a public document search; only the criteria given appear in it,
    so each combination the indexes are built for is recognised as such by the planner."""
    query: dict = {"status": "published"}
    if criteria.unit is not None:
        query["unit"] = criteria.unit
    if criteria.number is not None:
        query["number_runs"] = folded_key(criteria.number)
    if criteria.type is not None:
        query["type_key"] = folded_key(criteria.type)
    if criteria.issuer is not None:
        query["issuer_key"] = folded_key(criteria.issuer)
    issued = {}
    if criteria.issued_from is not None:
        issued["$gte"] = criteria.issued_from.isoformat()
    if criteria.issued_to is not None:
        issued["$lt"] = (criteria.issued_to + timedelta(days=1)).isoformat()
    if issued:
        query["issue_order"] = issued
    if criteria.text is not None:
        query["words"] = {"$all": sorted(set(folded_words(criteria.text)))}
    return query


def disclosure_path(unit: str, key: str) -> str:
    return f"/{unit}/cong-khai/{key}"


def year_range(year: int) -> dict:
    """The issue orders of a year's documents: issue_order begins with the issue date."""
    return {"$gte": f"{year:04d}-", "$lt": f"{year + 1:04d}-"}


def _indexes_for_search(*scope: str) -> list[list[tuple[str, int]]]:
    """One index per criterion a search narrows by, each ending in the order of issue, which
    bounds a range of issue dates and, walked backwards, gives the newest first unsorted.

    That last key ascends: SecantusDB (the MongoDB stand-in here) misplaces a string in a
    descending key after a shorter string it starts with, and would lose boundary days."""
    prefix = [(name, ASC) for name in (*scope, "status")]
    order = [("issue_order", ASC)]
    narrowed = [prefix + [(criterion, ASC)] + order for criterion in ("type_key", "issuer_key", "number_runs")]
    return [prefix + order, *narrowed]


class Documents:
    INDEXES = {"documents": [
        {"keys": [("unit", ASC), ("number_key", ASC)], "unique": True},  # one number, one document per unit
        *_indexes_for_search("unit"),  # a unit's site
        *_indexes_for_search(),  # across all units
        # A disclosure section of a unit, newest first, by year of issue (ascending: see above).
        [("unit", ASC), ("section", ASC), ("status", ASC), ("issue_order", ASC)],
        *REPLAY_INDEXES,  # also the editors' list of a unit, last changed first (walked backwards)
    ]}

    def __init__(self, content):
        self.content = content
        self.documents = content.db["documents"]
        self.versions = Versioned(content, "documents", area="document", label="Document {_id!r}",
                                  revised=editable_fields, noted=lambda doc: {"number": doc["number"]})

    # Public reading: published documents only.

    def get_published(self, unit: str, document_id: str) -> dict:
        doc = self.documents.find_one({"_id": document_id}) if isinstance(document_id, str) else None
        if doc is None or doc["unit"] != unit or doc["status"] != "published":
            raise NotFound(f"No published document {document_id!r} in unit {unit!r}")
        return public_document(doc)

    def search(self, criteria: DocumentSearch) -> dict:
        """Published documents meeting every criterion given, by issue (newest first unless asked)."""
        if criteria.unit is not None:
            self.content.units.require(criteria.unit)
        query = search_filter(criteria)
        cursor = (self.documents.find(query).sort(ISSUE_ORDERS[criteria.sort])
                  .skip(criteria.skip).limit(criteria.limit))
        return {"documents": [public_document(doc) for doc in cursor],
                "total": self.documents.count_documents(query)}

    # Disclosure sections ("công khai")

    def owed_section(self, unit: str, key: str) -> disclosures.Disclosure:
        """The section, if the unit's level owes it; NotFound for an unknown key and for one the
        level does not owe alike: neither has a page on the unit's site."""
        level = self.content.units.require(unit)["level"]
        section = disclosures.get(key)
        if section is None or not section.owed_by(level):
            raise NotFound(f"Unit {unit!r} has no disclosure section {key!r}")
        return section

    def disclosure_sections(self, unit: str) -> list[dict]:
        """The sections the unit's level owes, each with its published documents' count and the
        newest one's issue date."""
        level = self.content.units.require(unit)["level"]
        return [self._section_summary(unit, section) for section in disclosures.for_level(level)]

    def disclosure(self, listing: DisclosureListing, unit: str) -> dict:
        """A page of a section's published documents (of one year of issue if asked), newest
        first, with the years that have any, newest first."""
        section = self.owed_section(unit, listing.section)
        every_year = {"unit": unit, "section": section.key, "status": "published"}
        query = every_year if listing.year is None else {**every_year, "issue_order": year_range(listing.year)}
        cursor = self.documents.find(query).sort(NEWEST_ISSUED).skip(listing.skip).limit(listing.limit)
        years = {int(day[:4]) for day in self.documents.distinct("issued_on", every_year)}
        return {"section": self._section_summary(unit, section),
                "documents": [public_document(doc) for doc in cursor],
                "total": self.documents.count_documents(query), "years": sorted(years, reverse=True)}

    def _section_summary(self, unit: str, section: disclosures.Disclosure) -> dict:
        query = {"unit": unit, "section": section.key, "status": "published"}
        newest = self.documents.find_one(query, sort=NEWEST_ISSUED, projection={"issued_on": True})
        return {"key": section.key, "title": section.title, "title_en": section.title_en, "source": section.source,
                "count": self.documents.count_documents(query),
                "newest_issued_on": newest["issued_on"] if newest else None,
                "path": disclosure_path(unit, section.key)}

    # The editorial board

    def get_draft(self, actor: Actor, document_id: str) -> dict:
        doc = self.versions.require(document_id)
        actor.require("draft.read", doc["unit"])
        return public_document(doc)

    def for_editors(self, actor: Actor, unit: str, listing: EditorsListing) -> list[dict]:
        """The unit's documents in every state (or one), last changed first."""
        actor.require("draft.read", unit)
        self.content.units.require(unit)
        query = {"unit": unit} if listing.status is None else {"unit": unit, "status": listing.status}
        cursor = (self.documents.find(query).sort([("updated_at", DESC), ("_id", DESC)])
                  .skip(listing.skip).limit(listing.limit))
        return [public_document(doc) for doc in cursor]

    def history(self, actor: Actor, document_id: str, skip: int = 0, limit: int = 0) -> list[dict]:
        actor.require("draft.read", self.versions.require(document_id)["unit"])
        return self.content.revisions.list(document_id, skip, limit)

    def diff(self, actor: Actor, document_id: str, from_version: int, to_version: int) -> dict:
        actor.require("draft.read", self.versions.require(document_id)["unit"])
        return self.content.revisions.diff(document_id, from_version, to_version)

    def create(self, actor: Actor, unit: str, data: DocumentInput) -> dict:
        actor.require("document.edit", unit)
        self.content.units.require_active(unit)
        fields = self._checked_fields(unit, data)
        doc = new_document(unit, fields, actor, now())
        try:
            self.versions.insert(actor.username, doc)
        except DuplicateKeyError:
            raise Conflict(number_taken(unit, fields["number"])) from None
        return public_document(doc)

    def from_past(self, actor: Actor, unit: str, data: PastDocument) -> New:
        """A document of the unit's old site, checked, published when it was there; known by its number."""
        fields = self._checked_fields(unit, data)
        return ({"unit": unit, "number_key": folded_key(data.number)},
                lambda: new_document(unit, fields, actor, data.published_at, published=True))

    def update(self, actor: Actor, document_id: str, data: DocumentInput, version: int | None) -> dict:
        return self._change(actor, self.versions.require(document_id), data, version, "update")

    def rollback(self, actor: Actor, document_id: str, to_version: int, version: int) -> dict:
        """The fields a revision kept, checked again as any change is (its file may since have
        been deleted), as the document's next version."""
        current = self.versions.require(document_id)
        actor.require("document.edit", current["unit"])
        fields = self.content.revisions.get(document_id, to_version)["fields"]
        restored = validate(DocumentInput, {**fields, "file": fields["file"] and fields["file"]["media_id"]})
        return self._change(actor, current, restored, version, "rollback", f"restored version {to_version}")

    def publish(self, actor: Actor, document_id: str, version: int | None) -> dict:
        current = self.versions.require(document_id)
        actor.require("document.publish", current["unit"])
        if current["status"] == "published":
            raise Conflict(f"Document {current['number']!r} is already published", current["version"])
        moment = now()
        doc = self.versions.update(actor.username, current, version, {"status": "published", "published_at": moment},
                                   "publish", at=moment, announce=self.event_for)
        return public_document(doc)

    # Replay

    def event_for(self, doc: dict) -> events.DocumentPublished | None:
        """The event for the document's public state (None while it is a draft)."""
        if doc["status"] != "published":
            return None
        file = doc["file"]
        section = disclosures.get(doc.get("section"))
        snapshot = events.DocumentSnapshot(
            id=doc["_id"], unit=doc["unit"], unit_name=self.content.units.require(doc["unit"])["name"],
            number=doc["number"], type=doc["type"], issuing_body=doc["issuing_body"], signer=doc["signer"],
            issued_on=date.fromisoformat(doc["issued_on"]),
            effective_on=date.fromisoformat(doc["effective_on"]) if doc["effective_on"] else None,
            excerpt=doc["excerpt"], field=doc["field"], file=events.DocumentFile(**file) if file else None,
            section=doc.get("section"), section_title=section.title if section else "",
            path=document_path(doc), published_at=aware(doc["published_at"]), updated_at=aware(doc["updated_at"]),
        )
        return events.DocumentPublished(document_id=doc["_id"], version=doc["version"],
                                        occurred_at=aware(doc["updated_at"]), document=snapshot)

    # Internals

    def _change(self, actor: Actor, current: dict, data: DocumentInput, version: int | None, action: str,
                comment: str = "") -> dict:
        actor.require("document.edit", current["unit"])
        if current["status"] == "published":
            # The change goes public at once: only who may publish may make it.
            actor.require("document.publish", current["unit"])
        fields = self._checked_fields(current["unit"], data)
        changes = {**fields, **search_keys(current["_id"], fields)}
        doc = self.versions.update(actor.username, current, version, changes, action, comment=comment,
                                   announce=self.event_for, taken=number_taken(current["unit"], fields["number"]))
        return public_document(doc)

    def _checked_fields(self, unit: str, data: DocumentInput) -> dict:
        """The editable fields as stored: dates as YYYY-MM-DD (which sort and compare as dates),
        and the file described as it was uploaded."""
        fields = data.model_dump(mode="json", include=set(EDITABLE))
        fields["file"] = self._checked_file(unit, data.file) if data.file is not None else None
        if data.section is not None:
            self._checked_section(unit, data.section)
        return fields

    def _checked_section(self, unit: str, key: str) -> None:
        level = self.content.units.require(unit)["level"]
        if not disclosures.get(key).owed_by(level):
            owed = ", ".join(section.key for section in disclosures.for_level(level))
            raise InvalidInput(f"Unit {unit!r} does not owe the disclosure section {key!r}",
                               {"section": f"not a section of a {level!r} unit: must be one of {owed}"})

    def _checked_file(self, unit: str, media_id: str) -> dict:
        try:
            media = recalled(("media", media_id), lambda: self.content.media.get(media_id))
        except NotFound:
            media = None
        # Another unit's upload is reported as unknown: its existence is none of this unit's business.
        if media is None or media["unit"] != unit:
            raise InvalidInput(f"No uploaded file {media_id!r} in unit {unit!r}", {"file": "unknown file"})
        if media["kind"] != "document":
            raise InvalidInput(f"{media['filename']!r} is an image, not a document",
                               {"file": "must be a document (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS), not an image"})
        return {"media_id": media_id, **{name: media[name] for name in FILE_FIELDS}}

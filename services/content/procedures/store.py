"""Administrative procedures ("thủ tục hành chính"): each one the unit handles, with what a
citizen needs to file it and the link to file it online, listed by field on the unit's site.

As legal documents (documents/store.py): editors keep drafts and the editor-in-chief publishes;
a published procedure's correction is published at once, so only who may publish may make it;
every change is one new version written in one transaction with its revision, its audit entry
and (when public) its event. A procedure abolished or handed to another body is withdrawn: its
page goes, its revisions stay. A unit has one procedure of each name.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, NotFound
from services.common.vietnamese import sort_key
from services.content.access import Actor
from services.content.database import REPLAY_INDEXES, aware, iso, now
from services.content.procedures.schemas import EditorsListing, ProcedureInput, ProcedureListing
from services.content.text import folded_key, sanitise_html
from services.content.validation import validate
from services.content.versioning import New, Versioned

EDITABLE = ("name", "code", "field", "level", "processing_time", "fees", "papers_html", "result", "legal_basis",
            "portal_url")
# Procedures share the editorial board's permissions for legal documents: the same people keep both.
EDIT, PUBLISH = "document.edit", "document.publish"


def procedure_path(doc: dict) -> str:
    return f"/{doc['unit']}/thu-tuc-hanh-chinh/{doc['_id']}"


def public_procedure(doc: dict) -> dict:
    return {
        "id": doc["_id"], "unit": doc["unit"], **editable_fields(doc), "status": doc["status"],
        "version": doc["version"], "path": procedure_path(doc), "created_at": iso(doc["created_at"]),
        "updated_at": iso(doc["updated_at"]), "published_at": iso(doc["published_at"]),
    }


def editable_fields(doc: dict) -> dict:
    return {name: doc[name] for name in EDITABLE}


def name_taken(unit: str, name: str) -> str:
    return f"Unit {unit!r} already has a procedure named {name!r}"


def keys(fields: dict) -> dict:
    """What lists filter by: the name (one procedure of a name per unit) and field, folded."""
    return {"name_key": folded_key(fields["name"]), "field_key": folded_key(fields["field"])}


def new_procedure(unit: str, fields: dict, actor: Actor, moment: datetime, published: bool = False) -> dict:
    """A new procedure as stored: a draft, or (imported) published at `moment`."""
    return {"_id": uuid.uuid4().hex, "unit": unit, **fields, **keys(fields),
            "status": "published" if published else "draft", "version": 1, "created_by": actor.username,
            "created_at": moment, "updated_at": moment, "published_at": moment if published else None}


def catalogue(procedures: list[dict], field_key: str | None) -> dict:
    """Published procedures by field, then name, in Vietnamese order; every field with its count,
    the field asked for (None if none was, or the unit has none such) and its procedures (all when
    none was asked for)."""
    ordered = sorted(procedures, key=lambda doc: (sort_key(doc["field"]), sort_key(doc["name"])))
    fields: dict[str, dict] = {}
    for doc in ordered:
        field = fields.setdefault(doc["field_key"], {"name": doc["field"], "key": doc["field_key"], "count": 0})
        field["count"] += 1
    chosen = [doc for doc in ordered if field_key is None or doc["field_key"] == field_key]
    return {"fields": list(fields.values()), "field": fields.get(field_key) if field_key else None,
            "procedures": [public_procedure(doc) for doc in chosen]}


class Procedures:
    INDEXES = {"procedures": [
        {"keys": [("unit", ASC), ("name_key", ASC)], "unique": True},  # one procedure of a name per unit
        [("unit", ASC), ("status", ASC), ("field_key", ASC)],  # a unit's site, all fields or one
        *REPLAY_INDEXES,  # also the editors' list of a unit, last changed first (walked backwards)
    ]}

    def __init__(self, content):
        self.content = content
        self.procedures = content.db["procedures"]
        self.versions = Versioned(content, "procedures", area="procedure", label="Procedure {name!r}",
                                  revised=editable_fields, noted=lambda doc: {"name": doc["name"]})

    # Public reading: published procedures only.

    def get_published(self, unit: str, procedure_id: str) -> dict:
        doc = self.procedures.find_one({"_id": procedure_id}) if isinstance(procedure_id, str) else None
        if doc is None or doc["unit"] != unit or doc["status"] != "published":
            raise NotFound(f"No published procedure {procedure_id!r} in unit {unit!r}")
        return public_procedure(doc)

    def list_published(self, unit: str, listing: ProcedureListing) -> dict:
        self.content.units.require(unit)
        published = list(self.procedures.find({"unit": unit, "status": "published"}))
        return catalogue(published, None if listing.field is None else folded_key(listing.field))

    # The editorial board

    def get_draft(self, actor: Actor, procedure_id: str) -> dict:
        doc = self.versions.require(procedure_id)
        actor.require("draft.read", doc["unit"])
        return public_procedure(doc)

    def for_editors(self, actor: Actor, unit: str, listing: EditorsListing) -> list[dict]:
        """The unit's procedures in every state (or one), last changed first."""
        actor.require("draft.read", unit)
        self.content.units.require(unit)
        query = {"unit": unit} if listing.status is None else {"unit": unit, "status": listing.status}
        cursor = (self.procedures.find(query).sort([("updated_at", DESC), ("_id", DESC)])
                  .skip(listing.skip).limit(listing.limit))
        return [public_procedure(doc) for doc in cursor]

    def history(self, actor: Actor, procedure_id: str, skip: int = 0, limit: int = 0) -> list[dict]:
        actor.require("draft.read", self.versions.require(procedure_id)["unit"])
        return self.content.revisions.list(procedure_id, skip, limit)

    def diff(self, actor: Actor, procedure_id: str, from_version: int, to_version: int) -> dict:
        actor.require("draft.read", self.versions.require(procedure_id)["unit"])
        return self.content.revisions.diff(procedure_id, from_version, to_version)

    def create(self, actor: Actor, unit: str, data: ProcedureInput) -> dict:
        actor.require(EDIT, unit)
        self.content.units.require_active(unit)
        fields = stored_fields(data)
        doc = new_procedure(unit, fields, actor, now())
        try:
            self.versions.insert(actor.username, doc)
        except DuplicateKeyError:
            raise Conflict(name_taken(unit, fields["name"])) from None
        return public_procedure(doc)

    def imported(self, actor: Actor, unit: str, data: ProcedureInput, moment: datetime) -> New:
        """A procedure published at `moment` (the demo's, an old site's), known by its name."""
        fields = stored_fields(data)
        return ({"unit": unit, "name_key": folded_key(fields["name"])},
                lambda: new_procedure(unit, fields, actor, moment, published=True))

    def import_published(self, actor: Actor, unit: str, items: list[ProcedureInput], moment: datetime) -> int:
        """Publish at once each procedure the unit has none of that name of yet; how many were new."""
        actor.require(PUBLISH, unit)
        self.content.units.require_active(unit)
        return self.versions.insert_new(actor.username, [self.imported(actor, unit, item, moment) for item in items],
                                        "import", self.event_for)

    def update(self, actor: Actor, procedure_id: str, data: ProcedureInput, version: int | None) -> dict:
        return self._change(actor, self.versions.require(procedure_id), data, version, "update")

    def rollback(self, actor: Actor, procedure_id: str, to_version: int, version: int) -> dict:
        """The fields a revision kept, checked again as any change is, as the procedure's next version."""
        current = self.versions.require(procedure_id)
        actor.require(EDIT, current["unit"])
        fields = self.content.revisions.get(procedure_id, to_version)["fields"]
        restored = validate(ProcedureInput, {name: value for name, value in fields.items() if value is not None})
        return self._change(actor, current, restored, version, "rollback", f"restored version {to_version}")

    def publish(self, actor: Actor, procedure_id: str, version: int | None) -> dict:
        current = self.versions.require(procedure_id)
        actor.require(PUBLISH, current["unit"])
        if current["status"] == "published":
            raise Conflict(f"Procedure {current['name']!r} is already published", current["version"])
        moment = now()
        doc = self.versions.update(actor.username, current, version, {"status": "published", "published_at": moment,
                                                                   "withdrawn": False},
                                   "publish", at=moment, announce=self.event_for)
        return public_procedure(doc)

    def withdraw(self, actor: Actor, procedure_id: str, version: int | None) -> dict:
        """Take a published procedure off the site; it is a draft again, to correct or delete."""
        current = self.versions.require(procedure_id)
        actor.require(PUBLISH, current["unit"])
        if current["status"] != "published":
            raise Conflict(f"Procedure {current['name']!r} is not published", current["version"])
        doc = self.versions.update(actor.username, current, version, {"status": "draft", "published_at": None,
                                                                   "withdrawn": True},
                                   "withdraw", announce=self.withdrawal)
        return public_procedure(doc)

    # Replay

    def event_for(self, doc: dict) -> events.ProcedurePublished | events.ProcedureWithdrawn | None:
        """The event for the procedure's public state: published, withdrawn, or (a draft never
        published) None."""
        if doc["status"] != "published":
            return self.withdrawal(doc) if doc.get("withdrawn") else None
        snapshot = events.ProcedureSnapshot(
            id=doc["_id"], unit=doc["unit"], unit_name=self.content.units.require(doc["unit"])["name"],
            **editable_fields(doc), path=procedure_path(doc), published_at=aware(doc["published_at"]),
            updated_at=aware(doc["updated_at"]))
        return events.ProcedurePublished(document_id=doc["_id"], version=doc["version"],
                                         occurred_at=aware(doc["updated_at"]), procedure=snapshot)

    def withdrawal(self, doc: dict) -> events.ProcedureWithdrawn:
        return events.ProcedureWithdrawn(document_id=doc["_id"], version=doc["version"],
                                         occurred_at=aware(doc["updated_at"]), unit=doc["unit"])

    # Internals

    def _change(self, actor: Actor, current: dict, data: ProcedureInput, version: int | None, action: str,
                comment: str = "") -> dict:
        actor.require(EDIT, current["unit"])
        if current["status"] == "published":
            # The change goes public at once: only who may publish may make it.
            actor.require(PUBLISH, current["unit"])
        fields = stored_fields(data)
        doc = self.versions.update(actor.username, current, version, {**fields, **keys(fields)}, action,
                                   comment=comment, announce=self.event_for,
                                   taken=name_taken(current["unit"], fields["name"]))
        return public_procedure(doc)


def stored_fields(data: ProcedureInput) -> dict:
    """The editable fields as stored: the papers sanitised, the portal's address as text."""
    fields = data.model_dump(mode="json", include=set(EDITABLE))
    fields["papers_html"] = sanitise_html(fields["papers_html"])
    return fields

"""Units: a tree of any depth whose levels are data. Units merge (their addresses then
redirect to the successor) and dissolve; each change is a new version, announced. A unit is read
with the footer its site shows, where what it left empty is taken from the units above it."""
from __future__ import annotations

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, InvalidInput
from services.common.vietnamese import sort_key
from services.content.access import Actor
from services.content.database import aware, iso, now
from services.content.remembered import recalled
from services.content.units.schemas import LevelInput, LevelQuery, Placement, UnitInput, UnitProfile, UnitQuery
from services.content.validation import Page
from services.content.versioning import Versioned

# How long a chain of merges may be followed before it is called a loop.
MAX_SUCCESSION = 20
# What a unit's own admin writes, and so what its revisions keep and a rollback restores.
PROFILE = ("name", "name_en", "contact", "branding", "public_services_url", "managing_body", "licence",
           "information_contact")
# A commune may answer information requests through the contact point of its district or the
# province; every other unit names its own (Decree 13/2018/ND-CP, art. 9).
CONTACT_POINT_SHARED_AT = frozenset({"xa"})


def public_unit(doc: dict, above: list[dict]) -> dict:
    """The unit as anyone reads it; `above` is its parent, that one's parent and so on to the top."""
    return {
        "slug": doc["_id"], "name": doc["name"], "name_en": doc.get("name_en", ""),
        "level": doc["level"], "parent": doc.get("parent"), "status": doc["status"],
        "successor": doc.get("successor"), "contact": doc.get("contact", {}),
        "branding": doc.get("branding", {}), "public_services_url": doc.get("public_services_url"),
        "managing_body": doc.get("managing_body") or "", "licence": doc.get("licence") or "",
        "information_contact": doc.get("information_contact"), "footer": site_footer(doc, above),
        "version": doc["version"], "updated_at": iso(doc["updated_at"]),
    }


def site_footer(doc: dict, above: list[dict]) -> dict:
    """What the unit's footer shows (Decree 42/2022/ND-CP, art. 4): its own values, and where it
    left one empty, the managing body as its parent's name, the contact point of the nearest unit
    above that names one (communes only) and the province's public services address; each names
    the unit it came from."""
    parent, top = (above[0], above[-1]) if above else (None, None)
    contact, contact_from = doc.get("information_contact"), None
    if not contact and doc["level"] in CONTACT_POINT_SHARED_AT:
        contact_from = next((unit for unit in above if unit.get("information_contact")), None)
        contact = contact_from and contact_from["information_contact"]
    return {
        "managing_body": _own_or_inherited(doc.get("managing_body"), parent, parent and parent["name"]),
        "licence": doc.get("licence") or "",
        "information_contact": {**contact, "inherited_from": _named(contact_from)} if contact else None,
        "public_services_url": _own_or_inherited(doc.get("public_services_url"), top,
                                                 top and top.get("public_services_url")),
    }


def _own_or_inherited(own: str | None, source: dict | None, inherited: str | None) -> dict:
    if own or not inherited:
        return {"value": own or None, "inherited_from": None}
    return {"value": inherited, "inherited_from": _named(source)}


def _named(unit: dict | None) -> dict | None:
    return {"slug": unit["_id"], "name": unit["name"]} if unit else None


def unit_updated(doc: dict) -> events.UnitUpdated:
    snapshot = events.UnitSnapshot(
        slug=doc["_id"], name=doc["name"], name_en=doc["name_en"], level=doc["level"],
        parent=doc["parent"], status=doc["status"], successor=doc["successor"],
        contact=doc.get("contact", {}), branding=doc.get("branding", {}),
        public_services_url=doc.get("public_services_url"), managing_body=doc.get("managing_body") or "",
        licence=doc.get("licence") or "", information_contact=doc.get("information_contact"),
        created_at=aware(doc.get("created_at")),
    )
    return events.UnitUpdated(document_id=doc["_id"], version=doc["version"],
                              occurred_at=aware(doc["updated_at"]), unit=snapshot)


class Units:
    event_for = staticmethod(unit_updated)  # every version of a unit is public

    def __init__(self, content):
        self.db = content.db
        self.units = content.db["units"]
        self.levels = content.db["levels"]
        self.revisions = content.revisions
        # A revision keeps the profile, which the unit's admin may take back to an earlier one;
        # where the unit sits and its standing are told by the audit log and its events.
        self.versions = Versioned(content, "units", area="unit", label="Unit {_id!r}",
                                  revised=lambda doc: {name: doc.get(name) for name in PROFILE})

    # Levels

    def create_level(self, actor: Actor, data: LevelInput) -> dict:
        actor.require("platform.admin")
        level = {"_id": data.slug, "name": data.name, "order": data.order}
        try:
            self.db.transaction(lambda session: self.levels.insert_one(level, session=session))
        except DuplicateKeyError:
            raise Conflict(f"Level {data.slug!r} already exists") from None
        return {"slug": data.slug, "name": data.name, "order": data.order}

    def list_levels(self, asked: LevelQuery) -> list[dict]:
        cursor = self.levels.find().sort([("order", ASCENDING), ("_id", ASCENDING)]).skip(asked.skip)
        return [{"slug": level["_id"], "name": level["name"], "order": level["order"]}
                for level in cursor.limit(asked.limit or 0)]

    # Reading

    def get(self, slug: str) -> dict:
        return self._public(self.require(slug))

    def require(self, slug: str) -> dict:
        return recalled(("unit", slug), lambda: self.versions.require(slug))

    def require_active(self, slug: str) -> dict:
        doc = self.require(slug)
        if doc["status"] != "active":
            raise InvalidInput(f"Unit {slug!r} is {doc['status']} and no longer publishes", {"unit": doc["status"]})
        return doc

    def list(self, asked: UnitQuery) -> list[dict]:
        """Units by slug, or by name in Vietnamese order (sorted here: a province has a few hundred)."""
        query = {name: getattr(asked, name) for name in ("level", "parent", "status") if getattr(asked, name)}
        end = None if asked.limit is None else asked.skip + asked.limit
        field, descending = asked.sort.lstrip("-"), asked.sort.startswith("-")
        if field == "slug":
            cursor = self.units.find(query).sort("_id", DESCENDING if descending else ASCENDING)
            return self._public_all(list(cursor.skip(asked.skip).limit(asked.limit or 0)))
        docs = sorted(self.units.find(query), key=lambda doc: (sort_key(doc["name"]), doc["_id"]), reverse=descending)
        return self._public_all(docs[asked.skip:end])

    def history(self, actor: Actor, slug: str, page: Page) -> list[dict]:
        """The profile's revisions, oldest first (kept since units kept them)."""
        actor.require("unit.profile", slug)
        self.require(slug)
        return self.revisions.list(slug, page.skip, page.limit)

    def diff(self, actor: Actor, slug: str, from_version: int, to_version: int) -> dict:
        """What changed in the profile between two of its revisions, a unified diff per field."""
        actor.require("unit.profile", slug)
        self.require(slug)
        return self.revisions.diff(slug, from_version, to_version)

    def resolve(self, slug: str) -> dict:
        """The unit now answering for `slug`: itself, or the end of its chain of merges."""
        doc = self.require(slug)
        for _ in range(MAX_SUCCESSION):
            if doc["status"] != "merged":
                return self._public(doc)
            doc = self.require(doc["successor"])
        raise Conflict(f"The merges from {slug!r} form a loop")

    def with_predecessors(self, slug: str) -> list[str]:
        """`slug` and every unit merged into it, directly or through earlier merges: the
        successor answers for their published material at its own addresses."""
        family, frontier = [slug], [slug]
        while frontier and len(family) < 1000:
            frontier = [doc["_id"] for doc in self.units.find({"successor": {"$in": frontier}, "status": "merged"})]
            family += [unit for unit in frontier if unit not in family]
        return family

    # Writing

    def create(self, actor: Actor, data: UnitInput) -> dict:
        actor.require("platform.admin")
        self._check_placement(data.level, data.parent)
        moment = now()
        # Units created before the platform kept created_at have none: their start is unknown.
        doc = {
            "_id": data.slug, **self._profile_fields(data), "level": data.level, "parent": data.parent,
            "status": "active", "successor": None, "version": 1, "created_at": moment, "updated_at": moment,
        }
        try:
            self.versions.insert(actor.username, doc, announce=unit_updated)
        except DuplicateKeyError:
            raise Conflict(f"Unit {data.slug!r} already exists", 1) from None
        return self._public(doc)

    def update_profile(self, actor: Actor, slug: str, data: UnitProfile, version: int | None) -> dict:
        actor.require("unit.profile", slug)
        return self._change(actor, slug, version, self._profile_fields(data), "update_profile")

    def rollback(self, actor: Actor, slug: str, to_version: int, version: int) -> dict:
        """The profile as it stood at `to_version`, as the next version."""
        actor.require("unit.profile", slug)
        restored = self.revisions.get(slug, to_version)["fields"]
        return self._change(actor, slug, version, restored, "rollback")

    def place(self, actor: Actor, slug: str, data: Placement, version: int | None) -> dict:
        """Move a unit in the tree, e.g. when the district level is abolished."""
        actor.require("platform.admin")
        self._check_placement(data.level, data.parent, moving=slug)
        return self._change(actor, slug, version, {"level": data.level, "parent": data.parent}, "place")

    def merge(self, actor: Actor, slug: str, successor: str, version: int | None) -> dict:
        """`slug` is merged into `successor`: its children move there, its addresses redirect."""
        actor.require("platform.admin")
        target = self.require_active(successor)
        if target["_id"] == slug:
            raise InvalidInput("A unit cannot merge into itself", {"successor": "must be another unit"})
        merged = self._change(actor, slug, version, {"status": "merged", "successor": successor}, "merge",
                              allowed_from={"active"})
        for child in self.units.find({"parent": slug, "status": "active"}):
            self._change(actor, child["_id"], None, {"parent": successor}, "place")
        return merged

    def dissolve(self, actor: Actor, slug: str, version: int | None) -> dict:
        actor.require("platform.admin")
        if self.units.find_one({"parent": slug, "status": "active"}):
            raise Conflict(f"Unit {slug!r} still has active units under it; move or merge them first")
        return self._change(actor, slug, version, {"status": "dissolved"}, "dissolve", allowed_from={"active"})

    # Internals

    def _public(self, doc: dict) -> dict:
        return self._public_all([doc])[0]

    def _public_all(self, docs: list[dict]) -> list[dict]:
        """The units as anyone reads them, the units above them read a level at a time."""
        known = {doc["_id"]: doc for doc in docs}
        wanted = {doc["parent"] for doc in docs if doc.get("parent")} - known.keys()
        for _ in range(MAX_SUCCESSION * 5):  # a tree is never this deep; stops on bad data
            if not wanted:
                break
            found = list(self.units.find({"_id": {"$in": sorted(wanted)}}))
            known |= {doc["_id"]: doc for doc in found}
            wanted = {doc["parent"] for doc in found if doc.get("parent")} - known.keys()
        return [public_unit(doc, self._above(doc, known)) for doc in docs]

    @staticmethod
    def _above(doc: dict, known: dict[str, dict]) -> list[dict]:
        above = []
        while doc.get("parent") in known and len(above) < MAX_SUCCESSION * 5:
            doc = known[doc["parent"]]
            above.append(doc)
        return above

    @staticmethod
    def _profile_fields(data: UnitProfile) -> dict:
        return data.model_dump(mode="json", include=set(PROFILE))

    def _check_placement(self, level: str, parent: str | None, moving: str | None = None):
        if self.levels.find_one({"_id": level}) is None:
            raise InvalidInput(f"Unknown level {level!r}", {"level": "unknown level"})
        if parent is None:
            return
        ancestor = self.units.find_one({"_id": parent})
        if ancestor is None:
            raise InvalidInput(f"Unknown parent unit {parent!r}", {"parent": "unknown unit"})
        for _ in range(MAX_SUCCESSION * 5):  # a tree is never this deep; stops on bad data
            if ancestor["_id"] == moving:
                raise InvalidInput("A unit cannot be placed under itself", {"parent": "would make a loop"})
            if ancestor.get("parent") is None:
                return
            ancestor = self.require(ancestor["parent"])

    def _change(self, actor: Actor, slug: str, version: int | None, changes: dict, action: str,
                allowed_from: set[str] | None = None) -> dict:
        current = self.require(slug)
        if allowed_from is not None and current["status"] not in allowed_from:
            raise Conflict(f"Unit {slug!r} is {current['status']}", current["version"])
        return self._public(self.versions.update(actor.username, current, version, changes, action,
                                                 announce=unit_updated))

"""A unit's static pages: its introduction (functions and duties, organisation chart,
leaders, contacts) and any other page it keeps, in Vietnamese and English.

A page is one document per (unit, key, language). Every change is a new version, written
in one transaction with its revision and audit entry; a writer holding an older version
gets Conflict. Withdrawing hides a page but keeps it and its history, and creating the
same page again brings it back as its next version. Each change announces
`page_published` (or `page_withdrawn`), so that search indexes pages and the portal's
cached pages (whose menus list them) are refreshed.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, InvalidInput, NotFound
from services.content import accessibility
from services.content.access import Actor
from services.content.database import REPLAY_INDEXES, aware, iso, now
from services.content.history.schemas import PastPage
from services.content.pages.schemas import PageContent, PageInput, PageRef, default_order
from services.content.text import sanitise_html
from services.content.validation import validate
from services.content.versioning import New, Versioned

EDITABLE = ("title", "body_html", "order")


def page_id(unit: str, ref: PageRef) -> str:
    # Readable in the audit log, and unique by construction: two creates of one page collide.
    return f"{unit}/{ref.key}/{ref.lang}"


def page_path(unit: str, key: str, lang: str) -> str:
    return f"/{unit}/gioi-thieu/{key}" if lang == "vi" else f"/{unit}/{lang}/{key}"


def public_page(doc: dict) -> dict:
    return {"unit": doc["unit"], "key": doc["key"], "lang": doc["lang"], "title": doc["title"],
            "body_html": doc["body_html"], "order": doc["order"], "status": doc["status"],
            "version": doc["version"], "created_at": iso(doc["created_at"]), "updated_at": iso(doc["updated_at"])}


def editable_fields(doc: dict) -> dict:
    return {name: doc.get(name) for name in EDITABLE}


def new_page(unit: str, ref: PageRef, fields: dict, actor: Actor, moment: datetime) -> dict:
    return {"_id": page_id(unit, ref), "unit": unit, "key": ref.key, "lang": ref.lang, **fields,
            "status": "published", "version": 1, "created_by": actor.username, "created_at": moment,
            "updated_at": moment}


class Pages:
    INDEXES = {
        "pages": [
            # A unit's menu (unit), and the languages one page exists in (unit, key).
            {"keys": [("unit", ASCENDING), ("key", ASCENDING), ("lang", ASCENDING)], "unique": True},
            *REPLAY_INDEXES,
        ],
    }

    def __init__(self, content):
        self.content = content
        self.pages = content.db["pages"]
        self.versions = Versioned(content, "pages", area="page", label="Page {_id!r}", revised=editable_fields)

    # Public reading: pages that are not withdrawn

    def get(self, unit: str, ref: PageRef) -> dict:
        self.content.units.require(unit)
        doc = self.pages.find_one({"_id": page_id(unit, ref), "status": "published"})
        if doc is None:
            raise NotFound(f"No page {ref.key!r} in {ref.lang!r} for unit {unit!r}")
        languages = sorted(other["lang"] for other in self.pages.find(
            {"unit": unit, "key": ref.key, "status": "published"}, {"lang": 1}))
        return {**public_page(doc), "languages": languages}

    def list(self, unit: str, lang: str, skip: int = 0, limit: int | None = None) -> list[dict]:
        """The unit's pages in `lang`, in menu order, each saying which languages it exists in
        (`limit` of them after `skip`; all by default: a menu is a few dozen pages)."""
        self.content.units.require(unit)
        languages: dict[str, list[str]] = {}
        in_lang = []
        for doc in self.pages.find({"unit": unit, "status": "published"}, {"body_html": 0}):
            languages.setdefault(doc["key"], []).append(doc["lang"])
            if doc["lang"] == lang:
                in_lang.append(doc)
        in_lang.sort(key=lambda doc: (doc["order"], doc["key"]))
        shown = in_lang[skip:] if limit is None else in_lang[skip:skip + limit]
        return [{"key": doc["key"], "title": doc["title"], "order": doc["order"],
                 "languages": sorted(languages[doc["key"]])} for doc in shown]

    def history(self, actor: Actor, unit: str, ref: PageRef, skip: int = 0, limit: int = 0) -> list[dict]:
        actor.require("page.manage", unit)
        return self.content.revisions.list(self._require(unit, ref, include_withdrawn=True)["_id"], skip, limit)

    def diff(self, actor: Actor, unit: str, ref: PageRef, from_version: int, to_version: int) -> dict:
        actor.require("page.manage", unit)
        page = self._require(unit, ref, include_withdrawn=True)
        return self.content.revisions.diff(page["_id"], from_version, to_version)

    # The unit's administrator: withdrawn pages too

    def all(self, actor: Actor, unit: str) -> list[dict]:
        """Every page of the unit in each language it was written in, withdrawn ones too, in menu
        order: what the administrator looks after. Without bodies: each says its status and version."""
        actor.require("page.manage", unit)
        self.content.units.require(unit)
        docs = sorted(self.pages.find({"unit": unit}, {"body_html": 0}),
                      key=lambda doc: (doc["order"], doc["key"], doc["lang"]))
        return [{"key": doc["key"], "lang": doc["lang"], "title": doc["title"], "order": doc["order"],
                 "status": doc["status"], "version": doc["version"], "updated_at": iso(doc["updated_at"])}
                for doc in docs]

    def read(self, actor: Actor, unit: str, ref: PageRef) -> dict:
        """A page as its administrator edits it, withdrawn or not."""
        actor.require("page.manage", unit)
        return public_page(self._require(unit, ref, include_withdrawn=True))

    # Writing

    def create(self, actor: Actor, unit: str, data: PageInput) -> dict:
        actor.require("page.manage", unit)
        self.content.units.require_active(unit)
        fields = self._new_page_fields(data)
        accessibility.require_accessible(accessibility.problems(fields["body_html"]))  # live once saved
        withdrawn = self.pages.find_one({"_id": page_id(unit, data), "status": "withdrawn"})
        if withdrawn is not None:
            return self._write(actor, withdrawn, None, {**fields, "status": "published"}, "restore")
        doc = new_page(unit, data, fields, actor, now())
        try:
            self.versions.insert(actor.username, doc, announce=self.event_for)
        except DuplicateKeyError:
            raise Conflict(f"Page {data.key!r} in {data.lang!r} already exists in unit {unit!r}",
                           self.pages.find_one({"_id": doc["_id"]})["version"]) from None
        return public_page(doc)

    def from_past(self, actor: Actor, unit: str, data: PastPage) -> New:
        """A page of the unit's old site, checked, as last reviewed there; known by its key and
        language (a page withdrawn here counts as there)."""
        fields = self._new_page_fields(data)
        return {"_id": page_id(unit, data)}, lambda: new_page(unit, data, fields, actor, data.updated_at)

    def update(self, actor: Actor, unit: str, ref: PageRef, data: PageContent, version: int | None) -> dict:
        actor.require("page.manage", unit)
        return self._change(actor, self._require(unit, ref), data, version, "update")

    def rollback(self, actor: Actor, unit: str, ref: PageRef, to_version: int, version: int) -> dict:
        """A live page's content as a revision kept it, checked again, as its next version (a
        withdrawn page comes back by being created again)."""
        actor.require("page.manage", unit)
        current = self._require(unit, ref)
        restored = validate(PageContent, self.content.revisions.get(current["_id"], to_version)["fields"])
        return self._change(actor, current, restored, version, "rollback", f"restored version {to_version}")

    def withdraw(self, actor: Actor, unit: str, ref: PageRef, version: int | None) -> dict:
        actor.require("page.manage", unit)
        return self._write(actor, self._require(unit, ref), version, {"status": "withdrawn"}, "withdraw")

    def event_for(self, doc: dict) -> events.PagePublished | events.PageWithdrawn:
        """The event for the page's public state: published, or withdrawn."""
        common = dict(document_id=doc["_id"], version=doc["version"], occurred_at=aware(doc["updated_at"]))
        if doc["status"] != "published":
            return events.PageWithdrawn(**common, unit=doc["unit"])
        snapshot = events.PageSnapshot(
            unit=doc["unit"], unit_name=self.content.units.require(doc["unit"])["name"], key=doc["key"],
            lang=doc["lang"], title=doc["title"], body_html=doc["body_html"], order=doc["order"],
            path=page_path(doc["unit"], doc["key"], doc["lang"]), updated_at=aware(doc["updated_at"]))
        return events.PagePublished(**common, page=snapshot)

    # Internals

    def _change(self, actor: Actor, current: dict, data: PageContent, version: int | None, action: str,
                comment: str = "") -> dict:
        # Leaving the order out keeps the menu as the unit arranged it.
        changes = {**self._content_fields(data), "order": current["order"] if data.order is None else data.order}
        accessibility.require_accessible(accessibility.problems(changes["body_html"]))  # live once saved
        return self._write(actor, current, version, changes, action, comment)

    def _new_page_fields(self, data: PageInput) -> dict:
        return {**self._content_fields(data), "order": default_order(data.key) if data.order is None else data.order}

    @staticmethod
    def _content_fields(data: PageContent) -> dict:
        body_html = sanitise_html(data.body_html).strip()
        if not body_html:
            raise InvalidInput("The page has no content once unsafe markup is removed",
                               {"body_html": "nothing left after removing unsafe markup"})
        return {"title": data.title, "body_html": body_html}

    def _write(self, actor: Actor, current: dict, version: int | None, changes: dict, action: str,
               comment: str = "") -> dict:
        return public_page(self.versions.update(actor.username, current, version, changes, action, comment=comment,
                                                announce=self.event_for))

    def _require(self, unit: str, ref: PageRef, include_withdrawn: bool = False) -> dict:
        query = {"_id": page_id(unit, ref)}
        if not include_withdrawn:
            query["status"] = "published"
        doc = self.pages.find_one(query)
        if doc is None:
            raise NotFound(f"No page {ref.key!r} in {ref.lang!r} for unit {unit!r}")
        return doc

"""Each unit's own categories of news. Every change announces itself (`category_updated`, or
`category_removed`): the unit's menu changes on every page of its site.

A category is known by its slug within its unit: that is its address and what articles are
filed under, so it never changes; its names and place in the menu do, one version at a time,
each a revision that can be compared and restored. Deleting is a version too: a category made
again under the same slug carries on from it, its earlier revisions with it, so that no event
about the address is ever older than one before it.
"""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, NotFound
from services.content.access import Actor
from services.content.articles.schemas import CategoryChange, CategoryContent, CategoryInput
from services.content.database import now
from services.content.validation import Page, validate

EDITABLE = ("name", "name_en", "order")


def public_category(doc: dict) -> dict:
    return {"unit": doc["unit"], "slug": doc["slug"], "name": doc["name"], "name_en": doc.get("name_en", ""),
            "order": doc.get("order", 0), "version": doc.get("version", 1)}


def category_id(unit: str, slug: str) -> str:
    """What names a category in its revisions, audit entries and events."""
    return f"{unit}/{slug}"


def editable_fields(doc: dict) -> dict:
    public = public_category(doc)
    return {name: public[name] for name in EDITABLE}


class Categories:
    def __init__(self, content):
        self.db = content.db
        self.categories = content.db["categories"]
        self.articles = content.db["articles"]
        self.units = content.units
        self.audit = content.audit
        self.outbox = content.outbox
        self.revisions = content.revisions

    def create(self, actor: Actor, unit: str, data: CategoryInput) -> dict:
        actor.require("category.manage", unit)
        self.units.require_active(unit)
        doc = {"unit": unit, **data.model_dump(), "updated_at": now()}

        def work(session):
            # A slug used before carries on from its last version (its deletion).
            doc["version"] = self.revisions.latest(category_id(unit, data.slug), session) + 1
            self.categories.insert_one(doc, session=session)
            self._record(session, actor, doc, None, "create", self._updated(doc))

        try:
            self.db.transaction(work)
        except DuplicateKeyError:
            raise Conflict(f"Category {data.slug!r} already exists in unit {unit!r}") from None
        return public_category(doc)

    def update(self, actor: Actor, unit: str, slug: str, data: CategoryChange) -> dict:
        # Permission first: who may not act learns nothing about the category.
        actor.require("category.manage", unit)
        return self._change(actor, self._require(unit, slug), data, data.version, "update")

    def history(self, actor: Actor, unit: str, slug: str, page: Page) -> list[dict]:
        actor.require("category.manage", unit)
        self._require(unit, slug)
        return self.revisions.list(category_id(unit, slug), page.skip, page.limit)

    def diff(self, actor: Actor, unit: str, slug: str, from_version: int, to_version: int) -> dict:
        actor.require("category.manage", unit)
        self._require(unit, slug)
        return self.revisions.diff(category_id(unit, slug), from_version, to_version)

    def rollback(self, actor: Actor, unit: str, slug: str, to_version: int, version: int) -> dict:
        """The names and menu place a revision kept (one before a deletion too), checked again, as
        the category's next version."""
        actor.require("category.manage", unit)
        current = self._require(unit, slug)
        restored = validate(CategoryContent, self.revisions.get(category_id(unit, slug), to_version)["fields"])
        return self._change(actor, current, restored, version, "rollback", f"restored version {to_version}")

    def delete(self, actor: Actor, unit: str, slug: str) -> dict:
        """Only a category no article is filed under (in any state) goes: articles keep their
        category, and an address of the unit's site would otherwise lead nowhere."""
        actor.require("category.manage", unit)
        current = self._require(unit, slug)
        if self.articles.count_documents({"unit": unit, "category": slug}, limit=1):
            raise Conflict(f"Articles are filed under category {slug!r}; move them first", current.get("version", 1))

        def work(session):
            if not self.categories.delete_one({"_id": current["_id"], "version": current.get("version", 1)},
                                              session=session).deleted_count:
                raise Conflict(f"Category {slug!r} changed meanwhile", self._version_now(current))
            gone = {**current, "version": current.get("version", 1) + 1, "updated_at": now()}
            removed = events.CategoryRemoved(document_id=category_id(unit, slug), version=gone["version"],
                                             occurred_at=gone["updated_at"], unit=unit, slug=slug)
            self._record(session, actor, gone, current, "delete", removed)

        self.db.transaction(work)
        return {"unit": unit, "slug": slug, "deleted": True}

    def list(self, unit: str, page: Page | None = None) -> list[dict]:
        self.units.require(unit)
        cursor = self.categories.find({"unit": unit}).sort([("order", ASCENDING), ("slug", ASCENDING)])
        if page is not None:
            cursor = cursor.skip(page.skip).limit(page.limit)
        return [public_category(doc) for doc in cursor]

    # Internals

    def _change(self, actor: Actor, current: dict, data: CategoryContent, version: int, action: str,
                comment: str = "") -> dict:
        held = current.get("version", 1)
        if held != version:
            raise Conflict(f"Category {current['slug']!r} is at version {held}, not {version}", held)
        changes = {**data.model_dump(include=set(EDITABLE)), "version": held + 1, "updated_at": now()}

        def work(session):
            written = self.categories.update_one({"_id": current["_id"], "version": current.get("version", 1)},
                                                 {"$set": changes}, session=session)
            if not written.matched_count:
                raise Conflict(f"Category {current['slug']!r} changed meanwhile", self._version_now(current))
            doc = {**current, **changes}
            self._record(session, actor, doc, current, action, self._updated(doc), comment)
            return doc

        return public_category(self.db.transaction(work))

    def _require(self, unit: str, slug: str) -> dict:
        doc = self.categories.find_one({"unit": unit, "slug": slug}) if isinstance(slug, str) else None
        if doc is None:
            self.units.require(unit)
            raise NotFound(f"No category {slug!r} in unit {unit!r}")
        return doc

    def _version_now(self, current: dict) -> int | None:
        latest = self.categories.find_one({"_id": current["_id"]}, {"version": 1})
        return latest and latest.get("version", 1)

    @staticmethod
    def _updated(doc: dict) -> events.CategoryUpdated:
        return events.CategoryUpdated(document_id=f"{doc['unit']}/{doc['slug']}", version=doc["version"],
                                      occurred_at=doc["updated_at"], unit=doc["unit"], slug=doc["slug"],
                                      title=doc["name"], order=doc["order"])

    def _record(self, session, actor: Actor, doc: dict, previous: dict | None, action: str, event: events.Event,
                comment: str = "") -> None:
        """The change's revision, audit entry and event, in the change's transaction: `doc` as the
        category now stands (as it last stood, at its new version, when deleted), beside `previous`."""
        target = category_id(doc["unit"], doc["slug"])
        self.revisions.record(session, document_id=target, version=doc["version"], actor=actor.username,
                              action=action, fields=editable_fields(doc),
                              previous=previous and editable_fields(previous), comment=comment)
        self.audit.record(session, unit=doc["unit"], actor=actor.username, action=f"category.{action}",
                          target=target, details={"comment": comment} if comment else None)
        self.outbox.record([event], session)

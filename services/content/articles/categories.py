"""Each unit's own categories of news. Every change announces itself (`category_updated`, or
`category_removed`): the unit's menu changes on every page of its site.

A category is known by its slug within its unit: that is its address and what articles are
filed under, so it never changes; its names and place in the menu do, one version at a time.
"""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, NotFound
from services.content.access import Actor
from services.content.articles.schemas import CategoryChange, CategoryInput
from services.content.database import now
from services.content.validation import Page


def public_category(doc: dict) -> dict:
    return {"unit": doc["unit"], "slug": doc["slug"], "name": doc["name"], "name_en": doc.get("name_en", ""),
            "order": doc.get("order", 0), "version": doc.get("version", 1)}


class Categories:
    def __init__(self, content):
        self.db = content.db
        self.categories = content.db["categories"]
        self.articles = content.db["articles"]
        self.units = content.units
        self.audit = content.audit
        self.outbox = content.outbox

    def create(self, actor: Actor, unit: str, data: CategoryInput) -> dict:
        actor.require("category.manage", unit)
        self.units.require_active(unit)
        doc = {"unit": unit, **data.model_dump(), "version": 1, "updated_at": now()}

        def work(session):
            self.categories.insert_one(doc, session=session)
            self._record(session, actor, doc, "create", self._updated(doc))

        try:
            self.db.transaction(work)
        except DuplicateKeyError:
            raise Conflict(f"Category {data.slug!r} already exists in unit {unit!r}") from None
        return public_category(doc)

    def update(self, actor: Actor, unit: str, slug: str, data: CategoryChange) -> dict:
        # Permission first: who may not act learns nothing about the category.
        actor.require("category.manage", unit)
        current = self._require(unit, slug)
        if current.get("version", 1) != data.version:
            raise Conflict(f"Category {slug!r} is at version {current.get('version', 1)}, not {data.version}",
                           current.get("version", 1))
        changes = {**data.model_dump(exclude={"version"}), "version": data.version + 1, "updated_at": now()}

        def work(session):
            written = self.categories.update_one({"_id": current["_id"], "version": current.get("version", 1)},
                                                 {"$set": changes}, session=session)
            if not written.matched_count:
                raise Conflict(f"Category {slug!r} changed meanwhile", self._version_now(current))
            doc = {**current, **changes}
            self._record(session, actor, doc, "update", self._updated(doc))
            return doc

        return public_category(self.db.transaction(work))

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
            removed = events.CategoryRemoved(document_id=f"{unit}/{slug}", version=current.get("version", 1) + 1,
                                             occurred_at=now(), unit=unit, slug=slug)
            self._record(session, actor, current, "delete", removed)

        self.db.transaction(work)
        return {"unit": unit, "slug": slug, "deleted": True}

    def list(self, unit: str, page: Page | None = None) -> list[dict]:
        self.units.require(unit)
        cursor = self.categories.find({"unit": unit}).sort([("order", ASCENDING), ("slug", ASCENDING)])
        if page is not None:
            cursor = cursor.skip(page.skip).limit(page.limit)
        return [public_category(doc) for doc in cursor]

    # Internals

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

    def _record(self, session, actor: Actor, doc: dict, action: str, event: events.Event) -> None:
        self.audit.record(session, unit=doc["unit"], actor=actor.username, action=f"category.{action}",
                          target=f"{doc['unit']}/{doc['slug']}")
        self.outbox.record([event], session)

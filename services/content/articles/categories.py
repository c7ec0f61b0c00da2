"""Each unit's own categories of news. Creating one announces `category_updated`: the unit's
menu changes on every page of its site."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict
from services.content.access import Actor
from services.content.articles.schemas import CategoryInput
from services.content.database import now


def public_category(doc: dict) -> dict:
    return {"unit": doc["unit"], "slug": doc["slug"], "name": doc["name"], "name_en": doc.get("name_en", ""),
            "order": doc.get("order", 0)}


class Categories:
    def __init__(self, db, units, outbox):
        self.db = db
        self.categories = db["categories"]
        self.units = units
        self.outbox = outbox

    def create(self, actor: Actor, unit: str, data: CategoryInput) -> dict:
        actor.require("category.manage", unit)
        self.units.require_active(unit)
        doc = {"unit": unit, **data.model_dump(), "version": 1, "updated_at": now()}

        def work(session):
            self.categories.insert_one(doc, session=session)
            self.outbox.record([events.CategoryUpdated(
                document_id=f"{unit}/{data.slug}", version=1, occurred_at=doc["updated_at"], unit=unit,
                slug=data.slug, title=data.name, order=data.order)], session)

        try:
            self.db.transaction(work)
        except DuplicateKeyError:
            raise Conflict(f"Category {data.slug!r} already exists in unit {unit!r}") from None
        return public_category(doc)

    def list(self, unit: str) -> list[dict]:
        self.units.require(unit)
        cursor = self.categories.find({"unit": unit}).sort([("order", ASCENDING), ("slug", ASCENDING)])
        return [public_category(doc) for doc in cursor]

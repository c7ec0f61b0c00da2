"""Each unit's own categories of news."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common.errors import Conflict
from services.content.access import Actor
from services.content.articles.schemas import CategoryInput


def public_category(doc: dict) -> dict:
    return {"unit": doc["unit"], "slug": doc["slug"], "name": doc["name"], "name_en": doc.get("name_en", ""),
            "order": doc.get("order", 0)}


class Categories:
    def __init__(self, db, units):
        self.categories = db["categories"]
        self.units = units

    def create(self, actor: Actor, unit: str, data: CategoryInput) -> dict:
        actor.require("category.manage", unit)
        self.units.require_active(unit)
        doc = {"unit": unit, **data.model_dump()}
        try:
            self.categories.insert_one(doc)
        except DuplicateKeyError:
            raise Conflict(f"Category {data.slug!r} already exists in unit {unit!r}") from None
        return public_category(doc)

    def list(self, unit: str) -> list[dict]:
        self.units.require(unit)
        cursor = self.categories.find({"unit": unit}).sort([("order", ASCENDING), ("slug", ASCENDING)])
        return [public_category(doc) for doc in cursor]

"""Royalties ("nhuận bút"): what each author of a unit published in a month, with the points
the editorial board gave each article (see Articles.assign_points), to pay them from.

An article counts in the month it first went out (its published_at, in Vietnam's time),
whatever became of it later: it was published and read, and the board says what it is
worth through its points (0 for nothing). Republishing keeps published_at, so no article
is ever counted in two months.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from pymongo import ASCENDING

from services.common.vietnam_time import local_midnight
from services.content.access import Actor
from services.content.database import iso
from services.content.royalties.export import royalty_csv
from services.content.royalties.names import name_order

FIELDS = {"title": 1, "author": 1, "author_name": 1, "published_at": 1, "royalty_points": 1, "status": 1}


def published_in(unit: str, month: str) -> dict:
    """The query for a unit's articles first published in `month` ("YYYY-MM", already validated)."""
    year, number = map(int, month.split("-"))
    start = local_midnight(date(year, number, 1))
    end = local_midnight(date(year + number // 12, number % 12 + 1, 1))
    return {"unit": unit, "published_at": {"$gte": start, "$lt": end}}


def total(points) -> float:
    """Summed in decimal, so 0.1 + 0.2 makes 0.3 on the payslip."""
    return float(sum((Decimal(str(p)) for p in points if p is not None), Decimal(0)))


def author_entry(docs: list[dict]) -> dict:
    """One author's articles of the month, oldest first, credited under the name on the latest."""
    latest = docs[-1]
    points = [doc.get("royalty_points") for doc in docs]
    return {
        "author": latest["author"], "author_name": latest.get("author_name") or latest["author"],
        "articles": [{"id": doc["_id"], "title": doc["title"], "published_at": iso(doc["published_at"]),
                      "status": doc["status"], "points": doc.get("royalty_points")} for doc in docs],
        "total_points": total(points), "unscored": points.count(None),
    }


class Royalties:
    # Reads the articles through their (unit, published_at) index, declared with the articles'.
    INDEXES: dict = {}

    def __init__(self, content):
        self.content = content
        self.articles = content.db["articles"]

    def report(self, actor: Actor, unit: str, month: str) -> dict:
        actor.require("royalty.report", unit)
        self.content.units.require(unit)
        by_author: dict[str, list[dict]] = {}
        for doc in self.articles.find(published_in(unit, month), FIELDS).sort("published_at", ASCENDING):
            by_author.setdefault(doc["author"], []).append(doc)
        authors = sorted((author_entry(docs) for docs in by_author.values()),
                         key=lambda entry: (name_order(entry["author_name"]), entry["author"]))
        return {"unit": unit, "month": month, "authors": authors,
                "total_points": total(entry["total_points"] for entry in authors)}

    def csv(self, actor: Actor, unit: str, month: str) -> str:
        return royalty_csv(self.report(actor, unit, month))

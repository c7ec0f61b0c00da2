"""What the ranking knows of each unit's site: the facts the content events tell, one document
per article, schedule, legal document, question, page and unit, applied by version (an older
event never overwrites a newer one, so redelivered and late events change nothing).

Only what scoring needs is kept: when things were published, how long an article's body is,
whether it has a summary and a described cover, when a question was asked and answered;
never a question's text or who asked it.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import nh3
from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.ranking.months import Month, iso_weeks

KINDS = ("unit", "article", "schedule", "document", "question", "page")


_TAG = re.compile(r"<[^>]*>")


def words(body_html: str) -> int:
    """Words of an article's text: every tag parts words (paragraphs, line breaks, list items)."""
    return len(html.unescape(_TAG.sub(" ", nh3.clean(body_html or ""))).split())


@dataclass
class MonthFacts:
    """Everything scoring reads for one month, up to `until` (the month's end, or now)."""
    month: Month
    until: datetime
    units: list[dict]
    articles: list[dict] = field(default_factory=list)
    schedules: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    views: dict[str, int] = field(default_factory=dict)
    # {unit: share of the required sections present}, from content's conformance report; None
    # when it could not be had
    coverage: dict[str, float] | None = None

    def of(self, kind: str, unit: str) -> list[dict]:
        return self._by_unit(kind).get(unit, [])

    def _by_unit(self, kind: str) -> dict[str, list[dict]]:
        cache = self.__dict__.setdefault("_grouped", {})
        if kind not in cache:
            grouped: dict[str, list[dict]] = {}
            for doc in getattr(self, kind):
                grouped.setdefault(doc["unit"], []).append(doc)
            cache[kind] = grouped
        return cache[kind]


class FactStore:
    def __init__(self, database):
        self.db = database
        self.collections = {kind: database[f"{kind}s"] for kind in KINDS}
        self.last_updates = database["last_updates"]

    def ensure_indexes(self):
        self.collections["article"].create_index([("published_at", ASCENDING)])
        self.collections["document"].create_index([("published_at", ASCENDING)])
        self.collections["schedule"].create_index([("week", ASCENDING)])
        self.collections["question"].create_index([("state", ASCENDING), ("asked_at", ASCENDING)])
        self.collections["question"].create_index([("answered_at", ASCENDING)])

    # Applying events

    def apply(self, event: events.Event) -> bool:
        """Keep what `event` says unless a newer version is kept; True if it changed anything."""
        kind, fields, updated_at = _facts_of(event)
        applied = _apply(self.collections[kind], event.document_id, event.version, fields)
        if applied and updated_at is not None:
            self.last_updates.update_one({"_id": fields["unit"]}, {"$max": {"at": updated_at},
                                                                   "$min": {"first": updated_at}}, upsert=True)
        return applied

    # Reading

    def units(self) -> list[dict]:
        """Every unit, with `site_since`: when it got its site here, or the first update it
        published if that is earlier (history carried over from its earlier site)."""
        first = {doc["_id"]: doc.get("first") for doc in self.last_updates.find({}, {"first": 1})}
        units = list(self.collections["unit"].find({}))
        for unit in units:
            known = [moment for moment in (unit.get("created_at"), first.get(unit["_id"])) if moment is not None]
            unit["site_since"] = min(known) if known else None
        return units

    def unit(self, slug: str) -> dict | None:
        return self.collections["unit"].find_one({"_id": slug})

    def last_update(self, unit: str) -> datetime | None:
        found = self.last_updates.find_one({"_id": unit})
        return found["at"] if found else None

    def all_last_updates(self) -> dict[str, datetime]:
        return {doc["_id"]: doc["at"] for doc in self.last_updates.find({})}

    def month(self, month: Month, until: datetime, answer_within: timedelta) -> MonthFacts:
        """The month's facts for every unit, in one query per kind."""
        start = month.start
        in_month = {"$gte": start, "$lt": until}
        questions = self.collections["question"]
        due_before = until - answer_within
        return MonthFacts(
            month=month, until=until, units=self.units(),
            articles=list(self.collections["article"].find({"published_at": in_month})),
            schedules=list(self.collections["schedule"].find({"week": {"$in": iso_weeks(month)}})),
            documents=list(self.collections["document"].find({"published_at": in_month, "published": True})),
            # answered this month, or due by its end and not answered by then
            questions=list({doc["_id"]: doc for doc in [
                *questions.find({"answered_at": in_month}),
                *questions.find({"state": "waiting", "asked_at": {"$lt": due_before}}),
                *questions.find({"answered_at": {"$gte": until}, "asked_at": {"$lt": due_before}})]}.values()),
            pages=list(self.collections["page"].find({"present": True})),
        )

    def unit_activity(self, unit: str) -> dict:
        """What is known of a unit's publishing, for operators: published articles now, and the
        last publication and update."""
        articles = self.collections["article"]
        published = {"unit": unit, "published": True}
        latest = articles.find_one(published, sort=[("published_at", DESCENDING)])
        last_update = self.last_update(unit)
        return {"unit": unit, "published_articles": articles.count_documents(published),
                "last_published_at": latest["published_at"].isoformat() if latest else None,
                "last_update_at": last_update.isoformat() if last_update else None}


def _facts_of(event: events.Event) -> tuple[str, dict, datetime | None]:
    """(kind, fields to keep, when the unit's site was last updated by it or None)."""
    if isinstance(event, (events.ArticlePublished, events.ArticleUpdated)):
        article = event.article
        return "article", {
            "unit": article.unit, "published": True, "published_at": article.published_at, "withdrawn_at": None,
            "title": article.title, "path": article.path, "words": words(article.body_html),
            "summary": bool(article.summary.strip()),
            "described_cover": bool(article.cover and str(article.cover.get("alt") or "").strip()),
        }, article.updated_at
    if isinstance(event, events.ArticleUnpublished):
        fields = {"unit": event.unit, "published": False, "withdrawn_at": event.occurred_at}
        if event.published_at is not None:
            fields["published_at"] = event.published_at
        return "article", fields, None
    if isinstance(event, events.SchedulePublished):
        schedule = event.schedule
        return "schedule", {"unit": schedule.unit, "week": schedule.week, "entries": len(schedule.entries),
                            "published_at": schedule.published_at, "path": schedule.path}, schedule.updated_at
    if isinstance(event, events.DocumentPublished):
        document = event.document
        return "document", {"unit": document.unit, "published": True, "published_at": document.published_at,
                            "title": f"{document.number} — {document.excerpt}"[:300],
                            "path": document.path}, document.published_at
    if isinstance(event, events.QuestionReceived):
        return "question", {"unit": event.unit, "asked_at": event.asked_at, "state": event.state,
                            "answered_at": None}, None
    if isinstance(event, events.QuestionAnswered):
        question = event.question
        return "question", {"unit": question.unit, "asked_at": question.asked_at, "state": "answered",
                            "answered_at": question.answered_at, "title": question.title,
                            "path": question.path}, question.answered_at
    if isinstance(event, events.PagePublished):
        page = event.page
        return "page", {"unit": page.unit, "key": page.key, "lang": page.lang, "present": True,
                        "updated_at": page.updated_at, "title": page.title, "path": page.path}, page.updated_at
    if isinstance(event, events.PageWithdrawn):
        return "page", {"unit": event.unit, "present": False}, None
    if isinstance(event, events.UnitUpdated):
        unit = event.unit
        fields = {"unit": unit.slug, "name": unit.name, "level": unit.level, "parent": unit.parent,
                  "status": unit.status, "successor": unit.successor, "created_at": unit.created_at}
        fields["status_since"] = event.occurred_at if unit.status != "active" else None
        return "unit", fields, None
    raise TypeError(f"the ranking keeps no facts of {event.name}")


def _apply(collection, key: str, version: int, fields: dict) -> bool:
    """Store `fields` at `version` unless an equal or newer version is stored already."""
    try:
        result = collection.update_one({"_id": key, "version": {"$lt": version}},
                                       {"$set": {**fields, "version": version}}, upsert=True)
    except DuplicateKeyError:
        return False  # the document exists with this version or a newer one
    return result.modified_count == 1 or result.upserted_id is not None

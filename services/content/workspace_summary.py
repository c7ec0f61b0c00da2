"""What a unit's dashboard shows the member signed in, in one call: their drafts and rejected
articles, what waits for their review or publication, what is scheduled, the citizens'
questions waiting, whether next week's schedule has anything in it, and how long the site has
gone without a new article.

A block the person has no say in (reviewing without article.review, questions without
question.moderate, …) is None, so the page leaves it out. Each list holds its first LISTED
items, the longest waiting first, beside its total.
"""
from __future__ import annotations

from datetime import timedelta

from pymongo import ASCENDING, DESCENDING

from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.content.access import Actor
from services.content.articles.store import article_path
from services.content.database import iso, local, now
from services.content.questions.store import question_path
from services.content.schedules.store import schedule_path

LISTED = 10
NOT_COMMENTED = ("", None)  # review_comment of an article no reviewer has sent back (absent on new ones)
WAITING_QUESTIONS = ("pending", "accepted")


class WorkspaceSummaryEntrypoints:
    @rpc
    def workspace_summary(self, actor, unit):
        """{"unit", "level", "level_name", "drafts", "rejected", "to_review", "to_publish",
        "scheduled", "questions": {"items", "total"} or None, "next_week": {"week", "starts_on",
        "ends_on", "path", "entries", "published_entries"} or None, "last_published_at",
        "days_since_publication"}: see services/content/workspace_summary.py."""
        return WorkspaceSummary(self.content).of(self.actor(actor), unit)


def article_brief(doc: dict) -> dict:
    return {"id": doc["_id"], "title": doc["title"], "status": doc["status"], "author": doc["author"],
            "author_name": doc.get("author_name", ""), "updated_at": iso(doc["updated_at"]),
            "publish_at": iso(doc.get("publish_at")), "review_comment": doc.get("review_comment") or "",
            "path": article_path(doc)}


class WorkspaceSummary:
    def __init__(self, content):
        self.content = content
        self.articles = content.db["articles"]
        self.questions = content.db["questions"]
        self.schedules = content.db["schedules"]
        self.revisions = content.db["revisions"]
        self.users = content.db["users"]
        self.levels = content.db["levels"]

    def of(self, actor: Actor, unit: str) -> dict:
        if not (actor.platform_admin or actor.roles.get(unit)):
            raise Forbidden(f"{actor.username} holds no role in unit {unit!r}")
        doc = self.content.units.require(unit)
        moment = now()
        mine = {"unit": unit, "author": actor.username}  # as the article list shows an author their own
        own_drafts = {**mine, "status": "draft"}
        # Everyone who may read the unit's drafts sees all that is scheduled; an author, their own.
        scheduled = {"unit": unit} if actor.can("draft.read", unit) else dict(mine)
        scheduled.update(status="approved", publish_at={"$gt": moment})
        level = self.levels.find_one({"_id": doc["level"]}) or {}
        last = self.articles.find_one({"unit": unit, "status": "published"}, {"published_at": 1},
                                      sort=[("published_at", DESCENDING)])
        last_published = last["published_at"] if last else None
        return {
            "unit": unit, "level": doc["level"], "level_name": level.get("name", doc["level"]),
            "drafts": self._articles({**own_drafts, "review_comment": {"$in": list(NOT_COMMENTED)}}),
            "rejected": self._rejected({**own_drafts, "review_comment": {"$nin": list(NOT_COMMENTED)}}),
            "to_review": self._articles({"unit": unit, "status": "submitted"}, "updated_at")
            if actor.can("article.review", unit) else None,
            "to_publish": self._articles({"unit": unit, "status": "approved", "publish_at": None}, "updated_at")
            if actor.can("article.publish", unit) else None,
            "scheduled": self._articles(scheduled, "publish_at"),
            "questions": self._questions(unit, moment) if actor.can("question.moderate", unit) else None,
            "next_week": self._next_week(unit, moment) if actor.can("schedule.edit", unit) else None,
            "last_published_at": iso(last_published),
            "days_since_publication": days_between(last_published, moment) if last_published else None,
        }

    def _articles(self, query: dict, oldest_first_by: str | None = None) -> dict:
        """The first LISTED matching articles (the longest waiting first by `oldest_first_by`,
        else the latest change first) and how many match."""
        order = [(oldest_first_by, ASCENDING)] if oldest_first_by else [("updated_at", DESCENDING)]
        cursor = self.articles.find(query).sort([*order, ("_id", ASCENDING)]).limit(LISTED)
        return {"items": [article_brief(doc) for doc in cursor], "total": self.articles.count_documents(query)}

    def _rejected(self, query: dict) -> dict:
        """The author's articles sent back, each with who sent it back and when (its last reject)."""
        listed = self._articles(query)
        rejections = {}
        for item in listed["items"]:
            rejection = self.revisions.find_one({"document_id": item["id"], "action": "reject"},
                                                sort=[("version", DESCENDING)])
            if rejection is not None:
                rejections[item["id"]] = rejection
        names = {user["_id"]: user.get("name") or user["_id"] for user in
                 self.users.find({"_id": {"$in": sorted({r["actor"] for r in rejections.values()})}}, {"name": 1})}
        for item in listed["items"]:
            rejection = rejections.get(item["id"])
            item["rejected_by"] = names.get(rejection["actor"], rejection["actor"]) if rejection else ""
            item["rejected_at"] = iso(rejection["at"]) if rejection else None
        return listed

    def _questions(self, unit: str, moment) -> dict:
        query = {"unit": unit, "status": {"$in": list(WAITING_QUESTIONS)}}
        cursor = self.questions.find(query).sort([("created_at", ASCENDING), ("_id", ASCENDING)]).limit(LISTED)
        items = [{"id": doc["_id"], "reference": doc["reference"], "title": doc["title"], "status": doc["status"],
                  "asker_name": doc["asker_name"], "asked_at": iso(doc["created_at"]), "path": question_path(doc),
                  "days_waited": days_between(doc["created_at"], moment)} for doc in cursor]
        return {"items": items, "total": self.questions.count_documents(query)}

    def _next_week(self, unit: str, moment) -> dict:
        """Next ISO week in Vietnam: how many entries its working copy and its public copy hold."""
        monday = local(moment).date() + timedelta(days=7 - local(moment).weekday())
        year, number, _ = monday.isocalendar()
        week = f"{year:04d}-W{number:02d}"
        doc = self.schedules.find_one({"unit": unit, "week": week}) or {}
        return {"week": week, "starts_on": monday.isoformat(), "ends_on": (monday + timedelta(days=6)).isoformat(),
                "path": schedule_path(unit, week), "entries": len(doc.get("entries", [])),
                "published_entries": len((doc.get("published") or {}).get("entries", []))}


def days_between(earlier, later) -> int:
    """Whole days from `earlier` to `later` as Vietnam's calendar counts them (yesterday: 1)."""
    return (local(later).date() - local(earlier).date()).days

"""The content service's storage: units, articles and the outbox of events to publish.

Every write that must be announced stores its event in the `outbox` collection in the same
MongoDB transaction as the change itself. The service dispatches outbox entries after the
write and again from a sweep, so an event survives a crash between commit and dispatch.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, InvalidInput, NotFound
from services.content.schemas import ArticleInput, UnitInput
from services.content.text import sanitise_html, slugify

OUTBOX_LEASE = timedelta(seconds=30)


def now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def public_unit(doc: dict) -> dict:
    return {
        "slug": doc["_id"], "name": doc["name"], "name_en": doc.get("name_en", ""),
        "level": doc["level"], "parent": doc.get("parent"), "status": doc["status"],
        "successor": doc.get("successor"), "version": doc["version"],
        "updated_at": _iso(doc["updated_at"]),
    }


def public_article(doc: dict) -> dict:
    return {
        "id": doc["_id"], "unit": doc["unit"], "slug": doc["slug"], "title": doc["title"],
        "summary": doc["summary"], "body_html": doc["body_html"], "author": doc["author"],
        "status": doc["status"], "version": doc["version"], "path": article_path(doc),
        "created_at": _iso(doc["created_at"]), "updated_at": _iso(doc["updated_at"]),
        "published_at": _iso(doc.get("published_at")),
    }


def article_path(doc: dict) -> str:
    return f"/{doc['unit']}/tin-tuc/{doc['slug']}"


class ContentStore:
    def __init__(self, database):
        self.client = database.client
        self.units = database["units"]
        self.articles = database["articles"]
        self.outbox = database["outbox"]

    def ensure_indexes(self):
        self.articles.create_index([("unit", ASCENDING), ("slug", ASCENDING)], unique=True)
        # A unit's latest published articles, and the latest across all units.
        self.articles.create_index([("unit", ASCENDING), ("status", ASCENDING), ("published_at", DESCENDING)])
        self.articles.create_index([("status", ASCENDING), ("published_at", DESCENDING)])
        self.outbox.create_index([("dispatched", ASCENDING), ("created_at", ASCENDING)])

    # Units

    def create_unit(self, unit: UnitInput) -> dict:
        if unit.parent is not None and self.units.find_one({"_id": unit.parent}) is None:
            raise InvalidInput(f"Unknown parent unit {unit.parent!r}", {"parent": "unknown unit"})
        doc = {
            "_id": unit.slug, "name": unit.name, "name_en": unit.name_en, "level": unit.level,
            "parent": unit.parent, "status": "active", "successor": None, "version": 1,
            "updated_at": now(),
        }
        with self._transaction() as session:
            try:
                self.units.insert_one(doc, session=session)
            except DuplicateKeyError:
                raise Conflict(f"Unit {unit.slug!r} already exists", 1) from None
            self._record(self._unit_event(doc), session)
        return public_unit(doc)

    def get_unit(self, slug: str) -> dict:
        return public_unit(self._unit(slug))

    def list_units(self) -> list[dict]:
        return [public_unit(doc) for doc in self.units.find().sort("_id", ASCENDING)]

    # Articles

    def create_article(self, unit_slug: str, article: ArticleInput) -> dict:
        unit = self._unit(unit_slug)
        if unit["status"] != "active":
            raise InvalidInput(f"Unit {unit_slug!r} no longer publishes", {"unit": unit["status"]})
        created = now()
        doc = {
            "_id": uuid.uuid4().hex, "unit": unit_slug,
            "slug": article.slug or slugify(article.title), "title": article.title,
            "summary": article.summary, "body_html": sanitise_html(article.body_html),
            "author": article.author, "status": "draft", "version": 1,
            "created_at": created, "updated_at": created, "published_at": None,
        }
        try:
            self.articles.insert_one(doc)
        except DuplicateKeyError:
            if article.slug:
                raise Conflict(f"Slug {article.slug!r} is taken in unit {unit_slug!r}") from None
            # A generated slug that collides gets a short unique suffix instead.
            doc["slug"] = f"{doc['slug']}-{doc['_id'][:6]}"
            self.articles.insert_one(doc)
        return public_article(doc)

    def get_article(self, article_id: str) -> dict:
        return public_article(self._article(article_id))

    def get_published_article(self, unit_slug: str, slug: str) -> dict:
        doc = self.articles.find_one({"unit": unit_slug, "slug": slug, "status": "published"})
        if doc is None:
            raise NotFound(f"No published article {slug!r} in unit {unit_slug!r}")
        return public_article(doc)

    def latest_published(self, unit_slug: str | None, limit: int) -> list[dict]:
        query = {"status": "published"}
        if unit_slug is not None:
            self._unit(unit_slug)
            query["unit"] = unit_slug
        cursor = self.articles.find(query).sort("published_at", DESCENDING).limit(limit)
        return [public_article(doc) for doc in cursor]

    def update_article(self, article_id: str, article: ArticleInput, expected_version: int) -> dict:
        changes = {
            "title": article.title, "summary": article.summary,
            "body_html": sanitise_html(article.body_html), "author": article.author,
        }
        if article.slug:
            changes["slug"] = article.slug

        def announce(doc, unit):
            if doc["status"] == "published":
                return events.ArticleUpdated(**self._article_event_fields(doc, unit))
            return None

        return self._change_article(article_id, expected_version, changes, announce)

    def publish_article(self, article_id: str, expected_version: int | None) -> dict:
        def announce(doc, unit):
            return events.ArticlePublished(**self._article_event_fields(doc, unit))

        return self._change_article(
            article_id, expected_version, {"status": "published"}, announce,
            allowed_from={"draft", "unpublished"}, stamp_published=True,
        )

    def unpublish_article(self, article_id: str, expected_version: int | None) -> dict:
        def announce(doc, unit):
            return events.ArticleUnpublished(
                document_id=doc["_id"], version=doc["version"], occurred_at=doc["updated_at"],
                unit=doc["unit"],
            )

        return self._change_article(
            article_id, expected_version, {"status": "unpublished"}, announce,
            allowed_from={"published"},
        )

    # Outbox

    def claim_pending_event(self) -> dict | None:
        """Take the oldest undispatched event, leasing it so concurrent sweeps skip it."""
        moment = now()
        return self.outbox.find_one_and_update(
            {"dispatched": False, "lease_until": {"$lte": moment}},
            {"$set": {"lease_until": moment + OUTBOX_LEASE}},
            sort=[("created_at", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )

    def mark_dispatched(self, entry_id) -> None:
        self.outbox.update_one({"_id": entry_id}, {"$set": {"dispatched": True, "dispatched_at": now()}})

    def pending_event_count(self) -> int:
        return self.outbox.count_documents({"dispatched": False})

    # Internals

    @contextmanager
    def _transaction(self):
        """Commits when the block ends, aborts if it raises."""
        with self.client.start_session() as session, session.start_transaction():
            yield session

    def _record(self, event: events.Event, session) -> None:
        name, payload = events.to_message(event)
        self.outbox.insert_one(
            {"name": name, "payload": payload, "created_at": now(), "dispatched": False,
             "lease_until": datetime.min.replace(tzinfo=timezone.utc)},
            session=session,
        )

    def _unit(self, slug: str) -> dict:
        doc = self.units.find_one({"_id": slug})
        if doc is None:
            raise NotFound(f"No unit {slug!r}")
        return doc

    def _article(self, article_id: str) -> dict:
        doc = self.articles.find_one({"_id": article_id})
        if doc is None:
            raise NotFound(f"No article {article_id!r}")
        return doc

    def _change_article(self, article_id, expected_version, changes, announce,
                        allowed_from=None, stamp_published=False) -> dict:
        """Apply `changes` as one new version, with its event, atomically.

        A writer that read an older version gets Conflict with the current version
        instead of silently overwriting someone else's change.
        """
        with self._transaction() as session:
            current = self.articles.find_one({"_id": article_id}, session=session)
            if current is None:
                raise NotFound(f"No article {article_id!r}")
            if expected_version is not None and current["version"] != expected_version:
                raise Conflict(
                    f"Article {article_id!r} is at version {current['version']}, not {expected_version}",
                    current["version"],
                )
            if allowed_from is not None and current["status"] not in allowed_from:
                raise Conflict(f"Article {article_id!r} is {current['status']}", current["version"])
            moment = now()
            update = {**changes, "updated_at": moment}
            if stamp_published and current.get("published_at") is None:
                update["published_at"] = moment
            try:
                doc = self.articles.find_one_and_update(
                    {"_id": article_id, "version": current["version"]},
                    {"$set": update, "$inc": {"version": 1}},
                    return_document=ReturnDocument.AFTER, session=session,
                )
            except DuplicateKeyError:
                raise Conflict(f"Slug {changes.get('slug')!r} is taken", current["version"]) from None
            if doc is None:
                current_version = self._article(article_id)["version"]
                raise Conflict(f"Article {article_id!r} changed meanwhile", current_version)
            event = announce(doc, self.units.find_one({"_id": doc["unit"]}, session=session))
            if event is not None:
                self._record(event, session)
        return public_article(doc)

    @staticmethod
    def _article_event_fields(doc: dict, unit: dict) -> dict:
        snapshot = events.ArticleSnapshot(
            id=doc["_id"], unit=doc["unit"], unit_name=unit["name"], slug=doc["slug"],
            title=doc["title"], summary=doc["summary"], body_html=doc["body_html"],
            author=doc["author"], path=article_path(doc),
            published_at=_aware(doc["published_at"]), updated_at=_aware(doc["updated_at"]),
        )
        return {"document_id": doc["_id"], "version": doc["version"],
                "occurred_at": _aware(doc["updated_at"]), "article": snapshot}

    @staticmethod
    def _unit_event(doc: dict) -> events.UnitUpdated:
        snapshot = events.UnitSnapshot(
            slug=doc["_id"], name=doc["name"], name_en=doc["name_en"], level=doc["level"],
            parent=doc["parent"], status=doc["status"], successor=doc["successor"],
        )
        return events.UnitUpdated(document_id=doc["_id"], version=doc["version"],
                                  occurred_at=_aware(doc["updated_at"]), unit=snapshot)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

"""News articles: written, reviewed and published by a unit's editorial board.

Every change is one new version, written in one transaction with its revision, its audit
entry and (when the public sees a difference) its event. A writer holding an older version
gets Conflict with the current one instead of overwriting someone else's work.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.vietnam_time import local_midnight
from services.common.vietnamese import folded_key
from services.content import accessibility
from services.content.access import Actor
from services.content.articles.schemas import ArticleInput, EditorialListing, PublishedListing
from services.content.articles.workflow import TRANSITIONS, transition
from services.content.database import aware, iso, now
from services.content.history.schemas import PastArticle
from services.content.remembered import recalled
from services.content.text import sanitise_html, slugify
from services.content.validation import Page
from services.content.versioning import New, Versioned

EDITABLE = ("title", "summary", "body_html", "slug", "category", "tags", "featured", "cover", "author")
SCHEDULE_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
SYSTEM = "he-thong"  # the actor recorded for scheduled publishing


def article_path(doc: dict) -> str:
    return f"/{doc['unit']}/tin-tuc/{doc['slug']}"


def public_article(doc: dict) -> dict:
    return {
        "id": doc["_id"], "unit": doc["unit"], "slug": doc["slug"], "title": doc["title"],
        "summary": doc["summary"], "body_html": doc["body_html"], "category": doc.get("category"),
        "tags": doc.get("tags", []), "featured": doc.get("featured", False), "cover": doc.get("cover"),
        "author": doc["author"], "author_name": doc.get("author_name", ""), "status": doc["status"],
        "version": doc["version"], "path": article_path(doc), "created_at": iso(doc["created_at"]),
        "updated_at": iso(doc["updated_at"]), "published_at": iso(doc.get("published_at")),
        "publish_at": iso(doc.get("publish_at")), "unpublish_at": iso(doc.get("unpublish_at")),
        "review_comment": doc.get("review_comment", ""),
    }


def editable_fields(doc: dict) -> dict:
    return {name: doc.get(name) for name in EDITABLE}


def new_article(article_id: str, unit: str, fields: dict, actor: Actor, moment: datetime,
                published: bool = False) -> dict:
    """A new article as stored: a draft, or (imported) published at `moment`."""
    return {"_id": article_id, "unit": unit, **fields, "status": "published" if published else "draft",
            "version": 1, "created_by": actor.username, "created_at": moment, "updated_at": moment,
            "published_at": moment if published else None, "publish_at": None, "unpublish_at": None,
            "royalty_points": None}


class Articles:
    def __init__(self, content):
        self.db = content.db
        self.articles = content.db["articles"]
        self.categories = content.db["categories"]
        self.audit = content.audit
        self.revisions = content.revisions
        self.access = content.access
        self.units = content.units
        self.media_exists = content.media.exists_in_unit
        self.versions = Versioned(content, "articles", area="article", label="Article {_id!r}",
                                  revised=editable_fields)

    # Reading: published material is public; anything else needs a role in the unit.

    def get(self, actor: Actor, article_id: str) -> dict:
        doc = self.versions.require(article_id)
        if doc["status"] != "published":
            self._require_draft_reader(actor, doc)
        return public_article(doc)

    def get_draft(self, actor: Actor, article_id: str) -> dict:
        """The article as its staff edit it: with what would keep it from being published
        ("accessibility"), shown to them as warnings while they write."""
        article = self.get(actor, article_id)
        return {**article, "accessibility": accessibility.problems(article["body_html"], article["summary"])}

    def get_published(self, unit: str, slug: str) -> dict:
        """Also finds what units merged into `unit` published: their addresses redirect here."""
        for member in self.units.with_predecessors(unit):
            doc = self.articles.find_one({"unit": member, "slug": slug})  # the unique address
            if doc is not None and doc["status"] == "published":
                return public_article(doc)
        raise NotFound(f"No published article {slug!r} in unit {unit!r}")

    def latest(self, unit: str | None, limit: int, category: str | None = None, tag: str | None = None,
               featured: bool | None = None, skip: int = 0, with_total: bool = True,
               tag_key: str | None = None) -> dict:
        """Published articles, newest first. Counting them all costs a walk of every matching
        key on any server, so lists without page numbers ask for no total (None)."""
        query = self._published(unit, category=category, tag=tag, featured=featured)
        if tag_key is not None:
            query["tags"] = {"$in": self._tags_folding_to(query, tag_key)}
        cursor = self.articles.find(query).sort("published_at", DESCENDING).skip(skip).limit(limit)
        return {"articles": [public_article(doc) for doc in cursor],
                "total": self.articles.count_documents(query) if with_total else None}

    def latest_in_each_category(self, unit: str, limit: int) -> list[dict]:
        """The newest `limit` published articles of each of the unit's categories, in menu order:
        [{"category": slug, "articles": [...]}], what a home shows in blocks, asked for once."""
        categories = self.categories.find({"unit": unit}, {"_id": 0, "slug": 1}).sort(
            [("order", ASCENDING), ("slug", ASCENDING)])
        return [{"category": category["slug"],
                 "articles": self.latest(unit, limit, category=category["slug"], with_total=False)["articles"]}
                for category in categories]

    def published(self, unit: str, listing: PublishedListing) -> list[dict]:
        """A page of the unit's published articles, as `listing` filters and orders them."""
        query = self._published(unit, category=listing.category, tag=listing.tag, featured=listing.featured,
                                day=listing.day)
        return [public_article(doc) for doc in self._page(query, listing.sort, listing)]

    def on_date(self, unit: str, day: date) -> list[dict]:
        """A unit's articles published on `day` in Vietnam's time ("Xem tin theo ngày")."""
        query = self._published(unit, day=day)
        return [public_article(doc) for doc in self.articles.find(query).sort("published_at", DESCENDING)]

    def for_editors(self, actor: Actor, unit: str, listing: EditorialListing) -> list[dict]:
        """The unit's articles in any state, as its editorial board sees them."""
        self.units.require(unit)
        query: dict = {"unit": unit}
        if not actor.can("draft.read", unit):
            actor.require("draft.read_own", unit)
            query["author"] = actor.username
        if listing.status is not None:
            query["status"] = listing.status.value
        return [public_article(doc) for doc in self._page(query, listing.sort, listing)]

    def history(self, actor: Actor, article_id: str, page: Page | None = None) -> list[dict]:
        self._require_draft_reader(actor, self.versions.require(article_id))
        return self.revisions.list(article_id, page.skip, page.limit) if page else self.revisions.list(article_id)

    def diff(self, actor: Actor, article_id: str, from_version: int, to_version: int) -> dict:
        self._require_draft_reader(actor, self.versions.require(article_id))
        return self.revisions.diff(article_id, from_version, to_version)

    # Writing

    def create(self, actor: Actor, unit: str, data: ArticleInput) -> dict:
        actor.require("article.create", unit)
        self.units.require_active(unit)
        fields = self._checked_fields(actor, unit, data)
        article_id = uuid.uuid4().hex
        if not fields["slug"]:
            fields["slug"] = slugify(data.title)
            if self.versions.documents.count_documents({"unit": unit, "slug": fields["slug"]}, limit=1):
                fields["slug"] += f"-{article_id[:6]}"  # a generated slug gets a unique suffix
        doc = new_article(article_id, unit, fields, actor, now())
        try:
            # Checked before, not caught and tried again: a failed write ends the transaction it is in.
            self.versions.insert(actor.username, doc)
        except DuplicateKeyError:
            raise Conflict(f"Slug {doc['slug']!r} is taken in unit {unit!r}") from None
        return public_article(doc)

    def from_past(self, actor: Actor, unit: str, data: PastArticle) -> New:
        """An article of the unit's old site, checked, published when it was there; known by its slug."""
        fields = self._checked_fields(actor, unit, data)
        return {"unit": unit, "slug": data.slug}, lambda: new_article(uuid.uuid4().hex, unit, fields, actor,
                                                                       data.published_at, published=True)

    def update(self, actor: Actor, article_id: str, data: ArticleInput, version: int | None) -> dict:
        current = self.versions.require(article_id)
        self._require_editor_of(actor, current)
        fields = self._checked_fields(actor, current["unit"], data)
        fields["slug"] = fields["slug"] or current["slug"]
        return self._write(actor, current, version, fields, "update")

    def rollback(self, actor: Actor, article_id: str, to_version: int, version: int | None) -> dict:
        current = self.versions.require(article_id)
        actor.require("article.rollback", current["unit"])
        restored = self.revisions.get(article_id, to_version)["fields"]
        return self._write(actor, current, version, restored, "rollback", comment=f"restored version {to_version}")

    def move(self, actor: Actor, article_id: str, step_name: str, version: int | None,
             comment: str = "", at: datetime | None = None) -> dict:
        """Take the article through one step of the workflow (see workflow.py)."""
        current = self.versions.require(article_id)
        # Permission first: who may not act learns nothing about the article's state.
        actor.require(TRANSITIONS[step_name].permission, current["unit"])
        if step_name == "submit" and not actor.can("article.edit", current["unit"]):
            self._require_own(actor, current)
        step = transition(step_name, current["status"], current["version"])
        if step.needs_comment and len(comment.strip()) < 3:
            raise InvalidInput(f"{step_name} needs a comment saying why", {"comment": "required"})
        # Now or later, what is published must be accessible; forcing it (with a reason) is the way past.
        if step_name == "publish":
            accessibility.require_accessible(accessibility.problems(current["body_html"], current["summary"]))
        if at is not None and at > now():
            return self._schedule(actor, current, version, step_name, at)
        changes = {"status": step.target, "publish_at": None} if step.target == "published" else {"status": step.target}
        if step.target in ("unpublished", "archived"):
            changes["unpublish_at"] = None
        if step_name == "reject":
            changes["review_comment"] = comment
        if step.target == "published" and current.get("published_at") is None:
            changes["published_at"] = now()
        return self._write(actor, current, version, changes, step_name, comment=comment)

    def assign_points(self, actor: Actor, article_id: str, points: float) -> dict:
        current = self.versions.require(article_id)
        actor.require("royalty.assign", current["unit"])

        def work(session):
            self.articles.update_one({"_id": article_id}, {"$set": {"royalty_points": points}}, session=session)
            self.audit.record(session, unit=current["unit"], actor=actor.username, action="royalty.assign",
                              target=article_id, details={"points": points})

        self.db.transaction(work)
        return {**public_article(current), "royalty_points": points}

    def run_schedule(self, moment: datetime | None = None) -> int:
        """Publish and unpublish what is due; called by the service's sweep every few seconds."""
        moment = moment or now()
        system = Actor(username=SYSTEM, name="Hệ thống", platform_admin=True)
        done = 0
        for step_name, status, field in (("publish", "approved", "publish_at"),
                                         ("unpublish", "published", "unpublish_at")):
            # The lower bound leaves out the articles with nothing scheduled (null), which an
            # unbounded $lte would walk on some servers.
            for doc in self.articles.find({"status": status, field: {"$gte": SCHEDULE_EPOCH, "$lte": moment}}):
                try:
                    self.move(system, doc["_id"], step_name, doc["version"])
                    done += 1
                except Conflict:
                    pass  # changed meanwhile by an editor; the next sweep looks again
                except InvalidInput as refusal:
                    # Edited since it was scheduled into something not accessible: it stays
                    # approved, unscheduled, with the reason in its history for the board.
                    self._write(system, doc, doc["version"], {"publish_at": None}, "schedule_refused",
                                comment=refusal.message)
        return done

    # Internals

    def _tags_folding_to(self, query: dict, key: str) -> list[str]:
        """The tags, as people typed them, of the articles `query` finds whose folded words are
        `key`: one tag address gathers 'Chính quyền điện tử' and 'chính quyền  điện tử'."""
        return [tag for tag in self.articles.distinct("tags", query) if folded_key(tag) == key]

    def _published(self, unit: str | None, category: str | None = None, tag: str | None = None,
                   featured: bool | None = None, day: date | None = None) -> dict:
        """The query for published articles (of `unit`, or of every unit) with each filter given."""
        query: dict = {"status": "published"}
        if unit is not None:
            self.units.require(unit)
            query["unit"] = unit
        if category is not None:
            query["category"] = category
        if tag is not None:
            query["tags"] = tag
        if featured is not None:
            query["featured"] = featured
        if day is not None:  # Vietnam's day
            start = local_midnight(day)
            query["published_at"] = {"$gte": start, "$lt": start + timedelta(days=1)}
        return query

    def _page(self, query: dict, sort: str, page: Page):
        """The documents of one page of a list ordered by `sort` ("field" or "-field"); _id
        breaks ties, so that pages neither repeat nor skip an item."""
        direction = DESCENDING if sort.startswith("-") else ASCENDING
        order = [(sort.lstrip("-"), direction), ("_id", direction)]
        return self.articles.find(query).sort(order).skip(page.skip).limit(page.limit)

    def _schedule(self, actor, current, version, step_name, at):
        field = "publish_at" if step_name in ("publish", "force_publish") else "unpublish_at"
        if step_name not in ("publish", "unpublish"):
            raise InvalidInput(f"{step_name} cannot be scheduled", {"at": "not allowed for this step"})
        return self._write(actor, current, version, {field: at}, f"schedule_{step_name}",
                           comment=f"{step_name} at {at.isoformat()}")

    def _checked_fields(self, actor: Actor, unit: str, data: ArticleInput) -> dict:
        """The article's editable fields, with every reference checked and the body sanitised."""
        author = data.author or actor.username
        # The actor may act in the unit (checked before this) and is known by name: read only another author.
        if author != actor.username and not self.access.holds_role_in(author, unit):
            raise InvalidInput(f"Unknown author {author!r} in unit {unit!r}", {"author": "not a member of the unit"})
        if data.category is not None and recalled(
                ("category", unit, data.category),
                lambda: self.categories.find_one({"unit": unit, "slug": data.category})) is None:
            raise InvalidInput(f"Unknown category {data.category!r}", {"category": "unknown category"})
        if data.cover is not None and not recalled(("media in unit", data.cover.media_id, unit),
                                                   lambda: self.media_exists(data.cover.media_id, unit)):
            raise InvalidInput(f"Unknown image {data.cover.media_id!r}", {"cover.media_id": "unknown image"})
        fields = data.model_dump(mode="json", include=set(EDITABLE))
        fields.update(author=author, body_html=sanitise_html(data.body_html),
                      tags=list(dict.fromkeys(tag.strip() for tag in data.tags if tag.strip())))
        fields["author_name"] = actor.name if author == actor.username else self.access.get_user(author)["name"]
        return fields

    def _write(self, actor: Actor, current: dict, version: int | None, changes: dict, action: str,
               comment: str = "") -> dict:
        doc = self.versions.update(actor.username, current, version, changes, action, comment=comment,
                                   announce=lambda doc: self._event_for(current["status"], doc),
                                   taken=f"Slug {changes.get('slug')!r} is taken")
        return public_article(doc)

    def _event_for(self, before: str, doc: dict) -> events.Event | None:
        after = doc["status"]
        common = {"document_id": doc["_id"], "version": doc["version"], "occurred_at": aware(doc["updated_at"])}
        if after == "published":
            snapshot = self.snapshot(doc)
            return (events.ArticleUpdated if before == "published" else events.ArticlePublished)(
                **common, article=snapshot)
        if before == "published":
            return events.ArticleUnpublished(**common, unit=doc["unit"], published_at=aware(doc["published_at"]))
        return None

    def event_for(self, doc: dict) -> events.Event | None:
        """The event standing for the article's public state now (for replay)."""
        if doc["status"] == "published":
            return self._event_for("draft", doc)
        if doc.get("published_at") is not None:  # it was public once: consumers must drop it
            return self._event_for("published", doc)
        return None

    def snapshot(self, doc: dict) -> events.ArticleSnapshot:
        unit = self.units.require(doc["unit"])
        return events.ArticleSnapshot(
            id=doc["_id"], unit=doc["unit"], unit_name=unit["name"], slug=doc["slug"], title=doc["title"],
            summary=doc["summary"], body_html=doc["body_html"], author=doc.get("author_name") or doc["author"],
            category=doc.get("category"), tags=doc.get("tags", []), featured=doc.get("featured", False),
            cover=doc.get("cover"), path=article_path(doc), published_at=aware(doc["published_at"]),
            updated_at=aware(doc["updated_at"]),
        )

    def _require_own(self, actor: Actor, doc: dict):
        if actor.username not in (doc["author"], doc.get("created_by")):
            raise Forbidden(f"{actor.username} may only change their own drafts")

    def _require_editor_of(self, actor: Actor, doc: dict):
        if actor.can("article.edit", doc["unit"]):
            return
        actor.require("article.edit_own", doc["unit"])
        self._require_own(actor, doc)
        if doc["status"] != "draft":
            raise Forbidden("Authors may change an article only while it is a draft")

    def _require_draft_reader(self, actor: Actor, doc: dict):
        if actor.can("draft.read", doc["unit"]):
            return
        actor.require("draft.read_own", doc["unit"])
        self._require_own(actor, doc)

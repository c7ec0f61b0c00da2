"""Drafts put out for comment ("lấy ý kiến dự thảo văn bản").

    draft → open            (opened for comment by the editor-in-chief, closing day in the future)
    open → closed           (by the calendar: the day after `closes_on` in Vietnam, no write)
    closed → summary published (the comments received and the unit's response)

Editors prepare a draft; the editor-in-chief opens it, and corrections to an open draft go
public at once, so only they may make them. Citizens comment while it is open, without an
account; moderators publish or reject each comment, as they do questions. A comment's contact
(email or phone) stays with the unit's staff: no public read or event has it. As with the other
areas, every change is one new version with its revision, audit entry and (once public) event.
"""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.vietnam_time import local_day, local_midnight, today
from services.content import accessibility
from services.content.access import Actor
from services.content.consultations.schemas import (
    CommentInput,
    CommentListing,
    ConsultationInput,
    PastConsultation,
    StaffListing,
)
from services.content.database import REPLAY_INDEXES, aware, iso, now, stored
from services.content.questions.senders import Senders
from services.content.questions.store import CITIZEN
from services.content.text import sanitise_html
from services.content.validation import Page
from services.content.versioning import Versioned

EDITABLE = ("title", "description", "closes_on", "field", "file")
REVISED = (*EDITABLE, "summary_html")
TAG = re.compile(r"<[^>]*>")
# Who may do what, in the permissions of documents (the draft) and questions (the comments).
EDIT, OPEN, MODERATE = "document.edit", "document.publish", "question.moderate"
READ = ("draft.read", MODERATE)


def status(doc: dict, day: date | None = None) -> str:
    """The draft's state on `day` (today in Vietnam): an open draft closes after its closing day."""
    if doc["status"] == "open" and date.fromisoformat(doc["closes_on"]) < (day or today()):
        return "closed"
    return doc["status"]


def consultation_path(doc: dict) -> str:
    return f"/{doc['unit']}/du-thao/{doc['_id']}"


def public_consultation(doc: dict, comments: int) -> dict:
    file = doc["file"]
    return {
        "id": doc["_id"], "unit": doc["unit"], "title": doc["title"], "description": doc["description"],
        "field": doc["field"], "file": file and {**file, "path": f"/tep/{file['media_id']}"},
        "status": status(doc), "opens_at": iso(doc["opens_at"]), "closes_on": doc["closes_on"],
        "days_left": (date.fromisoformat(doc["closes_on"]) - today()).days, "comments": comments,
        "summary_html": doc["summary_html"], "summary_published_at": iso(doc["summary_published_at"]),
        "path": consultation_path(doc), "version": doc["version"],
    }


def public_comment(doc: dict) -> dict:
    return {"id": doc["_id"], "name": doc["name"], "body": doc["body"], "created_at": iso(doc["created_at"])}


def staff_comment(doc: dict) -> dict:
    return {**public_comment(doc), "consultation": doc["consultation"], "contact": doc["contact"],
            "status": doc["status"], "moderated_by": doc["moderated_by"], "version": doc["version"]}


def _closing_day(closes_on: date) -> None:
    if closes_on <= today():
        raise InvalidInput(f"The closing day {closes_on.isoformat()} is not in the future",
                           {"closes_on": "must be a day after today"})


class Consultations:
    INDEXES = {
        "consultations": [
            # A unit's drafts out for comment, and its board's list, latest change first.
            [("unit", ASC), ("status", ASC), ("closes_on", DESC)],
            [("unit", ASC), ("updated_at", DESC)],
            *REPLAY_INDEXES,
        ],
        "consultation_comments": [
            # A draft's published comments, oldest first; the moderators' queue of one state.
            [("consultation", ASC), ("status", ASC), ("created_at", ASC)],
        ],
        "consultation_comment_senders": [[("unit", ASC), ("sender", ASC), ("at", ASC)], [("at", ASC)]],
    }

    def __init__(self, content):
        self.content = content
        self.consultations = content.db["consultations"]
        self.comments = content.db["consultation_comments"]
        self.versions = Versioned(content, "consultations", area="consultation", label="Consultation {_id!r}",
                                  revised=lambda doc: {name: doc[name] for name in REVISED})
        # Comments keep no revisions: the text is the citizen's, and only its state changes.
        self.comment_versions = Versioned(content, "consultation_comments", area="consultation_comment",
                                          label="Comment {_id!r}")
        self.senders = Senders(content.db, kind="consultation_comment")

    # Public reading

    def get_published(self, unit: str, consultation_id: str) -> dict:
        doc = self._public(unit, consultation_id)
        return public_consultation(doc, self._published_comments(doc["_id"]))

    def list_published(self, unit: str, page: Page) -> dict:
        """Open drafts first, closing soonest first; then closed ones, latest closed first."""
        self.content.units.require(unit)
        docs = list(self.consultations.find({"unit": unit, "status": "open"}))
        docs.sort(key=lambda doc: doc["closes_on"], reverse=True)
        docs.sort(key=lambda doc: doc["closes_on"] if status(doc) == "open" else "")
        docs.sort(key=lambda doc: status(doc) != "open")
        shown = docs[page.skip:page.skip + page.limit]
        return {"consultations": [public_consultation(doc, self._published_comments(doc["_id"])) for doc in shown],
                "total": len(docs)}

    def published_comments(self, unit: str, consultation_id: str, page: Page) -> dict:
        doc = self._public(unit, consultation_id)
        query = {"consultation": doc["_id"], "status": "published"}
        cursor = self.comments.find(query).sort("created_at", ASC).skip(page.skip).limit(page.limit)
        return {"comments": [public_comment(comment) for comment in cursor],
                "total": self.comments.count_documents(query)}

    # Citizens

    def comment(self, unit: str, consultation_id: str, data: CommentInput, sender: str | None = None,
                limit: int | None = None) -> dict:
        """A comment waiting for moderation; `sender` (never stored) may send `limit` an hour."""
        doc = self._public(unit, consultation_id)
        if status(doc) != "open":
            raise Conflict(f"Consultation {consultation_id!r} closed on {doc['closes_on']}: comments are no longer "
                           "taken", doc["version"])
        moment = now()
        if sender is not None and limit is not None:
            self.senders.admit(unit, sender, moment, limit)
        comment = {"_id": uuid.uuid4().hex, "unit": unit, "consultation": doc["_id"], **data.model_dump(),
                   "status": "pending", "moderated_by": None, "version": 1, "created_at": moment, "updated_at": moment}
        self.comment_versions.insert(CITIZEN, comment, "comment")
        return {"id": comment["_id"], "status": comment["status"]}

    # The editorial board

    def for_staff(self, actor: Actor, unit: str, listing: StaffListing) -> dict:
        self.content.units.require(unit)
        self._require_reader(actor, unit)
        query: dict = {"unit": unit}
        if listing.status == "draft":
            query["status"] = "draft"
        elif listing.status is not None:
            # Open and closed are both stored open: the calendar tells them apart.
            query["status"] = "open"
            edge = today().isoformat()
            query["closes_on"] = {"$gte": edge} if listing.status == "open" else {"$lt": edge}
        cursor = (self.consultations.find(query).sort([("updated_at", DESC), ("_id", DESC)])
                  .skip(listing.skip).limit(listing.limit))
        return {"consultations": [self._staff(doc) for doc in cursor],
                "total": self.consultations.count_documents(query)}

    def get_for_staff(self, actor: Actor, consultation_id: str) -> dict:
        doc = self.versions.require(consultation_id)
        self._require_reader(actor, doc["unit"])
        return self._staff(doc)

    def history(self, actor: Actor, consultation_id: str, page: Page) -> list[dict]:
        self._require_reader(actor, self.versions.require(consultation_id)["unit"])
        return self.content.revisions.list(consultation_id, page.skip, page.limit)

    def create(self, actor: Actor, unit: str, data: ConsultationInput) -> dict:
        actor.require(EDIT, unit)
        self.content.units.require_active(unit)
        _closing_day(data.closes_on)
        moment = now()
        doc = {"_id": uuid.uuid4().hex, "unit": unit, **self._fields(unit, data), "status": "draft",
               "opens_at": None, "published_at": None, "summary_html": "", "summary_published_at": None,
               "created_by": actor.username, "version": 1, "created_at": moment, "updated_at": moment}
        self.versions.insert(actor.username, doc)
        return self._staff(doc)

    def update(self, actor: Actor, consultation_id: str, data: ConsultationInput, version: int | None) -> dict:
        current = self.versions.require(consultation_id)
        actor.require(EDIT, current["unit"])
        if current["status"] != "draft":
            # The change goes public at once: only who may open a draft may make it.
            actor.require(OPEN, current["unit"])
        if status(current) == "closed":
            raise Conflict(f"Consultation {consultation_id!r} is closed: only its summary may change",
                           current["version"])
        if data.closes_on.isoformat() != current["closes_on"]:
            _closing_day(data.closes_on)
        doc = self.versions.update(actor.username, current, version, self._fields(current["unit"], data), "update",
                                   announce=self._updated)
        return self._staff(doc)

    def open(self, actor: Actor, consultation_id: str, version: int | None) -> dict:
        current = self.versions.require(consultation_id)
        actor.require(OPEN, current["unit"])
        if current["status"] != "draft":
            raise Conflict(f"Consultation {consultation_id!r} is already open", current["version"])
        _closing_day(date.fromisoformat(current["closes_on"]))
        moment = now()
        doc = self.versions.update(actor.username, current, version,
                                   {"status": "open", "opens_at": moment, "published_at": moment}, "open", at=moment,
                                   announce=lambda doc: self._event(events.ConsultationOpened, doc))
        return self._staff(doc)

    def publish_summary(self, actor: Actor, consultation_id: str, summary_html: str, version: int | None) -> dict:
        """The comments received and the unit's response, once comments are no longer taken; a
        published summary may be corrected the same way."""
        current = self.versions.require(consultation_id)
        actor.require(OPEN, current["unit"])
        if status(current) != "closed":
            raise Conflict(f"Consultation {consultation_id!r} is {status(current)}: its summary follows its closing",
                           current["version"])
        summary_html = sanitise_html(summary_html)
        if not TAG.sub("", summary_html).strip():
            raise InvalidInput("The summary has no text",
                               {"summary_html": "no text left once unsafe markup is removed"})
        accessibility.require_accessible(accessibility.body_problems(summary_html, "summary_html"))
        doc = self.versions.update(actor.username, current, version,
                                   {"summary_html": summary_html, "summary_published_at": now()}, "summary",
                                   announce=self._updated)
        return self._staff(doc)

    def import_past(self, actor: Actor, unit: str, past: PastConsultation) -> dict:
        """A draft the unit put out for comment before the platform held its drafts, closed, with
        its published comments and summary: {"id", "imported"}. Known by its title in the unit, so
        a second import adds nothing. Platform admins only."""
        actor.require("platform.admin")
        self.content.units.require_active(unit)
        if past.closes_on >= today() or past.closes_on < local_day(past.opened_at):
            raise InvalidInput("A past consultation closed before today and after it opened",
                               {"closes_on": "before today, not before opened_at"})
        summary_html = sanitise_html(past.summary_html) if past.summary_html else ""
        if existing := self.consultations.find_one({"unit": unit, "title": past.title}, {"_id": 1}):
            return {"id": existing["_id"], "imported": False}
        summed_at = local_midnight(past.closes_on) + timedelta(days=3) if summary_html else None
        changed_at = stored(min(summed_at or local_midnight(past.closes_on), now()))
        doc = {"_id": uuid.uuid4().hex, "unit": unit, "title": past.title, "description": past.description,
               "closes_on": past.closes_on.isoformat(), "field": past.field, "file": None, "status": "open",
               "opens_at": past.opened_at, "published_at": past.opened_at, "summary_html": summary_html,
               "summary_published_at": summed_at and changed_at, "created_by": actor.username, "version": 1,
               "created_at": past.opened_at, "updated_at": changed_at}
        comments = [{"_id": uuid.uuid4().hex, "unit": unit, "consultation": doc["_id"], "name": comment.name,
                     "contact": "", "body": comment.body, "status": "published", "moderated_by": actor.username,
                     "version": 1, "created_at": comment.sent_at, "updated_at": comment.sent_at}
                    for comment in past.comments]

        def work(session):
            self.versions.insert(actor.username, doc, "import", announce=self.event_for)
            self.comment_versions.insert_new(actor.username, [({"_id": comment["_id"]}, lambda comment=comment: comment)
                                                              for comment in comments], "import", None)
            return {"id": doc["_id"], "imported": True}

        return self.content.db.transaction(work)

    # Moderating comments

    def comment_queue(self, actor: Actor, consultation_id: str, listing: CommentListing) -> dict:
        doc = self.versions.require(consultation_id)
        self._require_reader(actor, doc["unit"])
        query = {"consultation": doc["_id"]}
        if listing.status is not None:
            query["status"] = listing.status
        cursor = self.comments.find(query).sort("created_at", ASC).skip(listing.skip).limit(listing.limit)
        return {"comments": [staff_comment(comment) for comment in cursor],
                "total": self.comments.count_documents(query)}

    def moderate(self, actor: Actor, comment_id: str, decision: str, version: int | None) -> dict:
        """Publish or reject a comment; a published one may be withdrawn (rejected) later, and a
        rejected one published after all."""
        current = self.comment_versions.require(comment_id)
        # Permission first: who may not act learns nothing about the comment's state.
        actor.require(MODERATE, current["unit"])
        if current["status"] == decision:
            raise Conflict(f"Comment {comment_id!r} is already {decision}", current["version"])
        doc = self.comment_versions.update(actor.username, current, version,
                                           {"status": decision, "moderated_by": actor.username}, decision)
        return staff_comment(doc)

    # Replay and events

    def event_for(self, doc: dict) -> events.ConsultationUpdated | None:
        """The draft as consumers see it once opened (None while it is a draft)."""
        return None if doc["status"] == "draft" else self._event(events.ConsultationUpdated, doc)

    def _updated(self, doc: dict) -> events.ConsultationUpdated | None:
        return self.event_for(doc)

    def _event(self, kind, doc: dict):
        file = doc["file"]
        snapshot = events.ConsultationSnapshot(
            id=doc["_id"], unit=doc["unit"], unit_name=self.content.units.require(doc["unit"])["name"],
            title=doc["title"], description=doc["description"], field=doc["field"],
            file=events.DocumentFile(**file) if file else None, opens_at=aware(doc["opens_at"]),
            closes_on=date.fromisoformat(doc["closes_on"]), summary_html=doc["summary_html"],
            summary_published_at=aware(doc["summary_published_at"]), path=consultation_path(doc),
            updated_at=aware(doc["updated_at"]))
        return kind(document_id=doc["_id"], version=doc["version"], occurred_at=aware(doc["updated_at"]),
                    consultation=snapshot)

    # Internals

    def _public(self, unit: str, consultation_id: str) -> dict:
        doc = self.consultations.find_one({"_id": consultation_id}) if isinstance(consultation_id, str) else None
        if doc is None or doc["unit"] != unit or doc["status"] == "draft":
            raise NotFound(f"No consultation {consultation_id!r} in unit {unit!r}")
        return doc

    def _published_comments(self, consultation_id: str) -> int:
        return self.comments.count_documents({"consultation": consultation_id, "status": "published"})

    def _staff(self, doc: dict) -> dict:
        return {**public_consultation(doc, self._published_comments(doc["_id"])), "status": status(doc),
                "created_at": iso(doc["created_at"]), "updated_at": iso(doc["updated_at"]),
                "pending_comments": self.comments.count_documents({"consultation": doc["_id"], "status": "pending"})}

    def _fields(self, unit: str, data: ConsultationInput) -> dict:
        fields = data.model_dump(mode="json", include=set(EDITABLE))
        # The draft's file is checked as a legal document's is: a document uploaded to this unit.
        fields["file"] = self.content.documents._checked_file(unit, data.file) if data.file is not None else None
        return fields

    def _require_reader(self, actor: Actor, unit: str) -> None:
        if not any(actor.can(permission, unit) for permission in READ):
            raise Forbidden(f"{actor.username} may not read the consultations of unit {unit!r}")

"""Citizens' questions and the unit's answers ("hỏi đáp").

    pending → accepted → answered → published     (moderated, answered, then published)
    pending, accepted or answered → rejected      (with a reason; never public)
    answered or published → answered again       (a published answer is re-published at once)
    answered or published → an earlier answer restored (rollback: the state stays as it is)

A question arrives from the site without an account; the unit's editorial board moderates
and answers it and its editor-in-chief publishes the answer. As with articles, every change
is one new version written in one transaction with its revision, its audit entry and its
event: `question_received` when it is asked (waiting) and when it is rejected, without its
text or who asked; `question_answered` once public. Accepting and answering before
publication concern only the board and announce nothing; for consumers such a question is
still waiting. A writer holding an older version gets Conflict. The asker's email and phone
stay with the unit's staff: no public read or event has them.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo import ReturnDocument

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.content import accessibility
from services.content.access import Actor
from services.content.database import REPLAY_INDEXES, aware, iso, local, now
from services.content.history.schemas import PastQuestion
from services.content.questions.schemas import QuestionInput, QueueFilter
from services.content.questions.senders import Senders
from services.content.text import sanitise_html
from services.content.validation import Page
from services.content.versioning import New, Versioned

CITIZEN = "cong-dan"  # the actor recorded for a question sent from the site
REVISED = ("answer_html",)  # what a revision keeps: the answer is the one thing staff write
TAG = re.compile(r"<[^>]*>")

# Each step: the permission it takes and the states it may start from. A published question
# stays published: the contract has no event withdrawing an answer.
STEPS = {
    "accept": ("question.moderate", {"pending"}),
    "reject": ("question.moderate", {"pending", "accepted", "answered"}),
    "answer": ("question.answer", {"accepted", "answered", "published"}),
    "publish": ("question.publish", {"answered"}),
    # Only a question with an answer has one to restore; a rejected one is never brought back.
    "rollback": ("question.answer", {"answered", "published"}),
}
STAFF_PERMISSIONS = {permission for permission, _ in STEPS.values()}
# A citizen still waits for the answer in these states.
WAITING = ("pending", "accepted", "answered")
# The states a step announces; asking announces the question waiting.
ANNOUNCED = ("rejected", "published")


def question_path(doc: dict) -> str:
    return f"/{doc['unit']}/hoi-dap/{doc['_id']}"


def public_question(doc: dict) -> dict:
    return {
        "id": doc["_id"], "reference": doc["reference"], "unit": doc["unit"], "title": doc["title"],
        "question": doc["question"], "asker_name": doc["asker_name"], "asked_at": iso(doc["created_at"]),
        "answer_html": doc["answer_html"], "answered_by": doc["answered_by"], "answered_at": iso(doc["answered_at"]),
        "path": question_path(doc), "version": doc["version"],
    }


def checked_answer(answer_html: str) -> str:
    """The answer as stored: sanitised, and with some text left."""
    answer_html = sanitise_html(answer_html)
    if not TAG.sub("", answer_html).strip():
        raise InvalidInput("The answer has no text", {"answer_html": "no text left once unsafe markup is removed"})
    return answer_html


def imported_id(unit: str, title: str, asked_at: datetime) -> str:
    """An imported question's id, from what tells it apart in the old site's archive (its title
    and when it was asked): a second import finds it, and two at once collide."""
    return hashlib.sha256(f"{unit}\x1f{title}\x1f{asked_at.isoformat()}".encode()).hexdigest()[:32]


def staff_question(doc: dict) -> dict:
    return {
        **public_question(doc), "status": doc["status"], "asker_email": doc["asker_email"],
        "asker_phone": doc["asker_phone"], "answerer": doc["answerer"], "moderated_by": doc["moderated_by"],
        "rejection_reason": doc["rejection_reason"], "created_at": iso(doc["created_at"]),
        "updated_at": iso(doc["updated_at"]), "published_at": iso(doc["published_at"]),
    }


class Questions:
    INDEXES = {
        "questions": [
            {"keys": [("reference", ASC)], "unique": True},
            # A unit's published answers, newest answered first.
            [("unit", ASC), ("status", ASC), ("answered_at", DESC)],
            # The board's queue of one state, latest change first.
            [("unit", ASC), ("status", ASC), ("updated_at", DESC)],
            *REPLAY_INDEXES,  # also the board's queue of every state, walked backwards
        ],
        # "question_references" is only ever read by _id, which MongoDB always indexes.
        **Senders.INDEXES,
    }

    def __init__(self, content):
        self.content = content
        self.questions = content.db["questions"]
        # Neither revisions nor audit entries hold the asker's contact details.
        self.versions = Versioned(content, "questions", area="question", label="Question {_id!r}",
                                  revised=lambda doc: {name: doc[name] for name in REVISED})
        self.references = content.db["question_references"]
        self.senders = Senders(content.db)

    def waiting_since(self, before: datetime) -> list[dict]:
        """Units with questions asked before `before` and still waiting (pending, accepted or
        answered but not published): {"unit", "waiting", "oldest_asked_at"}, by unit."""
        return [{"unit": group["_id"], "waiting": group["waiting"], "oldest_asked_at": iso(group["oldest"])}
                for group in self.questions.aggregate([
                    {"$match": {"status": {"$in": list(WAITING)}, "created_at": {"$lt": before}}},
                    {"$group": {"_id": "$unit", "waiting": {"$sum": 1}, "oldest": {"$min": "$created_at"}}},
                    {"$sort": {"_id": 1}}])]

    # Citizens

    def ask(self, unit: str, data: QuestionInput, sender: str | None = None, limit: int | None = None) -> dict:
        """`sender` (the client's address, which is never stored) may send at most `limit` an hour."""
        self.content.units.require_active(unit)
        moment = now()
        if sender is not None and limit is not None:
            self.senders.admit(unit, sender, moment, limit)
        doc = {
            "_id": uuid.uuid4().hex, "reference": self._next_reference(moment), "unit": unit, **data.model_dump(),
            "status": "pending", "version": 1, "created_at": moment, "updated_at": moment,
            "moderated_by": None, "rejection_reason": "", "answer_html": "", "answered_by": "", "answerer": None,
            "answered_at": None, "published_at": None,
        }
        self.versions.insert(CITIZEN, doc, "ask", announce=self.event_for)
        return {"id": doc["_id"], "reference": doc["reference"], "status": doc["status"]}

    def from_past(self, actor: Actor, unit: str, data: PastQuestion) -> New:
        """A question of the unit's old site, checked: answered and published when it was there, or
        waiting for moderation here; known by its title and when it was asked (its number is
        taken only once it is known new)."""
        answer_html = checked_answer(data.answer_html) if data.answered else ""
        question_id = imported_id(unit, data.title, data.asked_at)

        def build():
            return {
                "_id": question_id, "reference": self._next_reference(data.asked_at), "unit": unit,
                **data.model_dump(include={"asker_name", "title", "question"}), "asker_email": "", "asker_phone": "",
                "status": "published" if data.answered else "pending", "version": 1, "created_at": data.asked_at,
                "updated_at": data.answered_at or data.asked_at,
                "moderated_by": actor.username if data.answered else None, "rejection_reason": "",
                "answer_html": answer_html, "answered_by": data.answered_by or "", "answerer": None,
                "answered_at": data.answered_at, "published_at": data.answered_at,
            }

        return {"_id": question_id}, build

    def get_published(self, unit: str, question_id: str) -> dict:
        doc = (self.questions.find_one({"_id": question_id, "unit": unit, "status": "published"})
               if isinstance(question_id, str) else None)
        if doc is None:
            raise NotFound(f"No published question {question_id!r} in unit {unit!r}")
        return public_question(doc)

    def list_published(self, unit: str, page: Page) -> dict:
        self.content.units.require(unit)
        query = {"unit": unit, "status": "published"}
        cursor = self.questions.find(query).sort("answered_at", DESC).skip(page.skip).limit(page.limit)
        return {"questions": [public_question(doc) for doc in cursor], "total": self.questions.count_documents(query)}

    # The editorial board

    def queue(self, actor: Actor, unit: str, asked: QueueFilter) -> dict:
        self.content.units.require(unit)
        self._require_staff(actor, unit)
        query = {"unit": unit} if asked.status is None else {"unit": unit, "status": asked.status}
        cursor = self.questions.find(query).sort("updated_at", DESC).skip(asked.skip).limit(asked.limit)
        return {"questions": [staff_question(doc) for doc in cursor], "total": self.questions.count_documents(query)}

    def get_for_staff(self, actor: Actor, question_id: str) -> dict:
        doc = self.versions.require(question_id)
        self._require_staff(actor, doc["unit"])
        return staff_question(doc)

    def history(self, actor: Actor, question_id: str, page: Page) -> list[dict]:
        self._require_staff(actor, self.versions.require(question_id)["unit"])
        return self.content.revisions.list(question_id, page.skip, page.limit)

    def diff(self, actor: Actor, question_id: str, from_version: int, to_version: int) -> dict:
        self._require_staff(actor, self.versions.require(question_id)["unit"])
        return self.content.revisions.diff(question_id, from_version, to_version)

    def accept(self, actor: Actor, question_id: str, version: int | None) -> dict:
        current = self._start("accept", actor, question_id)
        return self._write(actor, current, version, {"status": "accepted", "moderated_by": actor.username}, "accept")

    def reject(self, actor: Actor, question_id: str, reason: str, version: int | None) -> dict:
        current = self._start("reject", actor, question_id)
        changes = {"status": "rejected", "moderated_by": actor.username, "rejection_reason": reason}
        return self._write(actor, current, version, changes, "reject", comment=reason)

    def answer(self, actor: Actor, question_id: str, answer_html: str, version: int | None) -> dict:
        current = self._start("answer", actor, question_id)
        return self._write(actor, current, version, self._answered(actor, current, answer_html), "answer")

    def rollback(self, actor: Actor, question_id: str, to_version: int, version: int) -> dict:
        """The answer a revision kept, checked again, given anew by `actor` as the question's next
        version: answered stays answered, and published stays published with the answer announced."""
        current = self._start("rollback", actor, question_id)
        restored = self.content.revisions.get(question_id, to_version)["fields"]["answer_html"]
        if not restored:
            raise InvalidInput(f"Version {to_version} of question {question_id!r} has no answer",
                               {"to_version": "a version with an answer"})
        return self._write(actor, current, version, self._answered(actor, current, restored), "rollback",
                           comment=f"restored version {to_version}")

    def publish(self, actor: Actor, question_id: str, version: int | None) -> dict:
        current = self._start("publish", actor, question_id)
        accessibility.require_accessible(accessibility.body_problems(current["answer_html"], "answer_html"))
        return self._write(actor, current, version, {"status": "published", "published_at": now()}, "publish")

    # Replay and events

    def event_for(self, doc: dict) -> events.QuestionAnswered | events.QuestionReceived:
        """The event for the question as consumers see it: answered once published, else
        waiting (pending, accepted or answered but not yet published) or rejected."""
        common = dict(document_id=doc["_id"], version=doc["version"], occurred_at=aware(doc["updated_at"]))
        if doc["status"] == "published":
            return events.QuestionAnswered(**common, question=self.snapshot(doc))
        return events.QuestionReceived(**common, unit=doc["unit"], asked_at=aware(doc["created_at"]),
                                       state="rejected" if doc["status"] == "rejected" else "waiting")

    def snapshot(self, doc: dict) -> events.QuestionSnapshot:
        unit = self.content.units.require(doc["unit"])
        return events.QuestionSnapshot(
            id=doc["_id"], unit=doc["unit"], unit_name=unit["name"], title=doc["title"], question=doc["question"],
            asker_name=doc["asker_name"], asked_at=aware(doc["created_at"]), answer_html=doc["answer_html"],
            answered_by=doc["answered_by"], answered_at=aware(doc["answered_at"]), path=question_path(doc),
        )

    # Internals

    def _next_reference(self, moment: datetime) -> str:
        """'HD-2026-000123': numbered per year across the province, for the citizen to quote.

        Taken outside the question's transaction so that concurrent askers never conflict on
        the counter; a question that then fails to save leaves a gap, which is harmless.
        """
        year = local(moment).year
        for _ in range(3):
            counter = self.references.find_one_and_update({"_id": year}, {"$inc": {"last": 1}}, upsert=True,
                                                          return_document=ReturnDocument.AFTER)
            # When several askers create the year's counter at once, the MongoDB stand-in may
            # count one without returning it; asking again costs only a gap in the numbers.
            if counter is not None:
                return f"HD-{year}-{counter['last']:06d}"
        raise RuntimeError(f"Could not number a question for {year}")

    def _start(self, step: str, actor: Actor, question_id: str) -> dict:
        """The question, once `actor` may take `step` in its unit and its state allows it."""
        current = self.versions.require(question_id)
        permission, sources = STEPS[step]
        # Permission first: who may not act learns nothing about the question's state.
        actor.require(permission, current["unit"])
        if current["status"] not in sources:
            raise Conflict(f"Cannot {step} a question that is {current['status']}", current["version"])
        return current

    @staticmethod
    def _answered(actor: Actor, current: dict, answer_html: str) -> dict:
        """The changes of answering: who answered and when, as the public reads them."""
        answer_html = checked_answer(answer_html)
        # The public sees a published question's new answer straight away: it must be accessible.
        if current["status"] == "published":
            accessibility.require_accessible(accessibility.body_problems(answer_html, "answer_html"))
        return {"answer_html": answer_html, "answered_by": actor.name or actor.username,
                "answerer": actor.username, "answered_at": now(),
                "status": "published" if current["status"] == "published" else "answered"}

    def _write(self, actor: Actor, current: dict, version: int | None, changes: dict, action: str,
               comment: str = "") -> dict:
        doc = self.versions.update(actor.username, current, version, changes, action, comment=comment,
                                   announce=self._announced)
        return staff_question(doc)

    def _announced(self, doc: dict) -> events.Event | None:
        # Still waiting after a step (accepted, answered unpublished): nothing new to announce.
        return self.event_for(doc) if doc["status"] in ANNOUNCED else None

    def _require_staff(self, actor: Actor, unit: str):
        if not any(actor.can(permission, unit) for permission in STAFF_PERMISSIONS):
            raise Forbidden(f"{actor.username} may not read the questions of unit {unit!r}")

"""The question inbox ("hỏi đáp"): citizens' questions by state with the days each has waited,
and one page per question where the board accepts, rejects (saying why), answers and publishes.

    /quan-tri/{unit}/hoi-dap                      the inbox (?trang-thai=cho-duyet, … see STATES)
    /quan-tri/{unit}/hoi-dap/{id}                 the question, with the asker's contact details
    /quan-tri/{unit}/hoi-dap/{id}/{step}          POST one step: tiep-nhan, tu-choi, tra-loi, dang
    /quan-tri/{unit}/hoi-dap/{id}/phien-ban       its answer's revisions (revisions.py, with REVISIONS)

The answer is typed in the workspace's light markup (see markup.py), as an article's body is
without an editor; the content service sanitises it as it does any answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import falcon

from gateway.forms import see_other
from gateway.vietnam_time import LOCAL_TIME, today
from gateway.workspace import markup
from gateway.workspace.base import Workspace
from gateway.workspace.items import done_path, done_step, form_version, owned
from gateway.workspace.revisions import RevisedKind, text_lines
from services.common.errors import Conflict, InvalidInput

# The inbox's tabs: ?trang-thai= → the state the content service names.
STATES = {"cho-duyet": "pending", "da-tiep-nhan": "accepted", "da-tra-loi": "answered", "da-dang": "published",
          "tu-choi": "rejected"}
STATE_PARAMETER = "trang-thai"
WAITING = ("pending", "accepted", "answered")  # states in which the asker is still waiting
LISTED = 50
REVISIONS = RevisedKind(
    read="get_question_for_staff", history="question_history", diff="question_diff", rollback="rollback_question",
    ids=lambda unit, params: (params["question_id"],), fields=("answer_html",),
    html_fields=frozenset({"answer_html"}), section="hoi-dap",
    back=lambda unit, params: f"/quan-tri/{unit}/hoi-dap/{params['question_id']}",
    permission="question.answer", noun="hoi-dap",
)


@dataclass(frozen=True)
class Step:
    """A step of a question as the page offers it: its address, its RPC, who may take it and
    from which states (the content service decides again; this only chooses the buttons)."""

    name: str
    slug: str
    rpc: str
    permission: str
    sources: frozenset[str]


STEPS = (
    Step("accept", "tiep-nhan", "accept_question", "question.moderate", frozenset({"pending"})),
    Step("reject", "tu-choi", "reject_question", "question.moderate", frozenset({"pending", "accepted", "answered"})),
    Step("answer", "tra-loi", "answer_question", "question.answer",
         frozenset({"accepted", "answered", "published"})),
    Step("publish", "dang", "publish_question", "question.publish", frozenset({"answered"})),
)


def inbox_path(unit: str) -> str:
    return f"/quan-tri/{unit}/hoi-dap"


def question_path(unit: str, question_id: str) -> str:
    return f"{inbox_path(unit)}/{question_id}"


def local_day(moment: str) -> date:
    return datetime.fromisoformat(moment).astimezone(LOCAL_TIME).date()


def days_waited(question: dict) -> int:
    """Days from asking to today while the asker waits; to publication or rejection after."""
    if question["status"] in WAITING:
        until = today()
    else:
        until = local_day(question["published_at"] or question["updated_at"])
    return (until - local_day(question["created_at"])).days


def answer_text(question: dict) -> str:
    """The answer as the text to correct: its paragraphs, one blank line apart."""
    return "\n\n".join(text_lines([question["answer_html"]], True)) if question["answer_html"] else ""


class Inbox(Workspace):
    def on_get(self, req, resp, unit):
        state = req.get_param(STATE_PARAMETER)
        state = state if state in STATES else "cho-duyet"
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="question.moderate")
            listing = services.content.question_queue(staff.actor, unit["slug"], STATES[state], limit=LISTED)
            totals = {key: services.content.question_queue(staff.actor, unit["slug"], name, limit=1)["total"]
                      for key, name in STATES.items()}
        questions = [{**question, "days_waited": days_waited(question)} for question in listing["questions"]]
        self.render(req, resp, "workspace/question_list.html", staff=staff, unit=unit, state=state, states=STATES,
                    questions=questions, total=listing["total"], totals=totals)


class QuestionDesk(Workspace):
    def question(self, services, staff, unit: dict, question_id: str) -> dict:
        return owned(unit, "question", lambda: services.content.get_question_for_staff(staff.actor, question_id))

    def show(self, req, resp, staff, unit: dict, question: dict, typed: dict | None = None,
             problems: dict | None = None, expired=False, conflict="", done=""):
        """The question's page; `typed` keeps what was typed in its forms (reason, answer)."""
        slug = unit["slug"]
        steps = {step.name: step for step in STEPS
                 if question["status"] in step.sources and staff.can(step.permission, slug)}
        typed = {"reason": "", "answer": answer_text(question), **(typed or {})}
        self.render(req, resp, "workspace/question_page.html", staff=staff, unit=unit, question=question,
                    steps=steps, typed=typed, problems=problems or {}, expired=expired, conflict=conflict, done=done,
                    days_waited=days_waited(question), path=question_path(slug, question["id"]),
                    inbox=inbox_path(slug))


class QuestionPage(QuestionDesk):
    def on_get(self, req, resp, unit, question_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            question = self.question(services, staff, unit, question_id)
        self.show(req, resp, staff, unit, question, done=done_step(req))


class QuestionStep(QuestionDesk):
    def __init__(self, rpc, templates, settings, step: Step):
        super().__init__(rpc, templates, settings)
        self.step = step

    def on_post(self, req, resp, unit, question_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            # Permission first: who may not take the step learns nothing about the question.
            self.require(staff, self.step.permission, unit["slug"])
            question = self.question(services, staff, unit, question_id)
            form = self.submitted(req)
            typed = {name: form.get(name) for name in ("reason", "answer") if name in form.fields}
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, staff, unit, question, typed, expired=True)
            data = {"version": form_version(form)}
            if self.step.name == "reject":
                data["reason"] = form.get("reason")
            elif self.step.name == "answer":
                data["answer_html"] = markup.to_html(form.get("answer"))
            try:
                getattr(services.content, self.step.rpc)(staff.actor, question["id"], data)
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show(req, resp, staff, unit, question, typed, problems=error.fields)
            except Conflict:
                # Someone took a step meanwhile: the page shows the question as it now stands,
                # with what was typed kept.
                resp.status = falcon.HTTP_409
                question = self.question(services, staff, unit, question_id)
                return self.show(req, resp, staff, unit, question, typed, conflict=self.step.name)
        see_other(resp, done_path(question_path(unit["slug"], question["id"]), self.step.slug))

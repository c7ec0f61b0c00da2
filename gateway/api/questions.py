"""Citizens' questions through the API: the published answers and asking, for anyone; the unit's
inbox, each step of a question (accept, reject, answer, publish) and its revisions (listed,
compared, an earlier answer restored) for its editorial board.

A question is asked as the site's form asks it: the content service counts how often the
client's address asks a unit (429 past the limit) and never stores the address."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.api.revisions import FROM_TO, versions_compared

STEP_ERRORS = (409,)  # a stale version, or a step the question's state does not allow

# Publication's accessibility gate, as publishing an answer (or correcting a published one) meets it.
NOT_ACCESSIBLE = ("Refused (422, \"Not accessible: …\") while the answer fails an accessibility check (Circular 32): "
                  "an image without alt text, a skipped heading level, link text that says nothing, a table without "
                  "header cells or a paragraph in capitals; `fields` names each problem in Vietnamese (`answer_html`, "
                  "then `answer_html.2`, …). A published question's corrected answer is held to the same checks.")


class UnitQuestions(Api):
    @operation("A unit's published questions and answers, newest answer first", tag="questions", auth=None,
               lists="PublicQuestion", sorts=("-answered_at",))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            listing = services.content.list_questions(unit, skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, listing["questions"])

    @operation("Ask the unit a question (pending until its editorial board moderates it)", tag="questions",
               auth=None, body="QuestionInput", answers={201: "QuestionReceipt"}, errors=(429,),
               description="One address may ask a unit a limited number of questions an hour; past it the "
                           "answer is 429 with `retry_after`. The asker's email and phone are kept for the "
                           "unit's reply only: no public read shows them.")
    def on_post(self, req, resp, unit):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.ask_question(unit, data, client=req.context.client)
        resp.status = falcon.HTTP_201


class UnitQuestion(Api):
    @operation("A published question and its answer", tag="questions", auth=None, answers={200: "PublicQuestion"})
    def on_get(self, req, resp, unit, question_id):
        with self.services(req) as services:
            resp.media = services.content.get_question(unit, question_id)


class QuestionInbox(Api):
    @operation("The unit's questions as its editorial board sees them, latest change first", tag="questions",
               lists="StaffQuestion", sorts=("-updated_at",),
               params=(Param("status", {"$ref": "#/components/schemas/StaffQuestion/properties/status"},
                             "only the questions in this state"),))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            listing = services.content.question_queue(self.actor(req, services), unit, req.get_param("status"),
                                                      limit=query.fetch, skip=query.skip)
        resp.media = self.list_page(req, query, listing["questions"])


class Question(Api):
    @operation("A question with the asker's contact details, for its unit's board", tag="questions",
               answers={200: "StaffQuestion"})
    def on_get(self, req, resp, question_id):
        with self.services(req) as services:
            resp.media = services.content.get_question_for_staff(self.actor(req, services), question_id)


class QuestionRevisions(Api):
    @operation("A question's revisions, oldest first", tag="questions", lists="Revision", sorts=("version",))
    def on_get(self, req, resp, question_id):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            revisions = services.content.question_history(self.actor(req, services), question_id,
                                                          skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, revisions)


class QuestionDiff(Api):
    @operation("Two revisions of a question's answer compared", tag="questions", params=FROM_TO,
               answers={200: "RevisionDiff"})
    def on_get(self, req, resp, question_id):
        first, second = versions_compared(req)
        with self.services(req) as services:
            resp.media = services.content.question_diff(self.actor(req, services), question_id, first, second)


class QuestionRollback(Api):
    @operation("Restore an earlier revision's answer as the question's next version", tag="questions",
               body="AnswerRollback", answers={200: "StaffQuestion"}, errors=STEP_ERRORS,
               description="The answer is what a revision keeps; restoring it is answering again with that "
                           "text (the restorer answers for it, now). The question's state stays as it is: an "
                           "answered one stays unpublished, a published one stays published and its restored "
                           "answer is announced at once, as a corrected answer is. 409 for a question with no "
                           "answer yet or a rejected one (never brought back), or a stale `version`; 422 for a "
                           "revision that holds no answer.")
    def on_post(self, req, resp, question_id):
        resp.media = self.change(req, "rollback_question", question_id)


class AcceptQuestion(Api):
    @operation("Accept a pending question for an answer", tag="questions", body="QuestionStep",
               answers={200: "StaffQuestion"}, errors=STEP_ERRORS)
    def on_post(self, req, resp, question_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.accept_question(self.actor(req, services), question_id, data)


class RejectQuestion(Api):
    @operation("Reject a question, saying why (it is never made public)", tag="questions", body="Rejection",
               answers={200: "StaffQuestion"}, errors=STEP_ERRORS)
    def on_post(self, req, resp, question_id):
        resp.media = self.change(req, "reject_question", question_id)


class AnswerQuestion(Api):
    @operation("Answer an accepted question, or correct an answer (a published one stays published)",
               tag="questions", body="QuestionAnswer", answers={200: "StaffQuestion"}, errors=STEP_ERRORS)
    def on_post(self, req, resp, question_id):
        resp.media = self.change(req, "answer_question", question_id)


class PublishQuestion(Api):
    @operation("Publish an answered question on the unit's site", tag="questions", body="QuestionStep",
               answers={200: "StaffQuestion"}, errors=STEP_ERRORS, description=NOT_ACCESSIBLE)
    def on_post(self, req, resp, question_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.publish_question(self.actor(req, services), question_id, data)

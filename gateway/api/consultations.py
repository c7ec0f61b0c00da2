"""Drafts put out for comment ("lấy ý kiến dự thảo văn bản") through the JSON API: the drafts
out for comment, their published comments and commenting, for anyone; drafting, opening,
moderating comments and the summary, for the unit's editorial board.

A draft's file is uploaded first, as media of the unit (POST /api/units/{unit}/media), and named
by the media id that upload answers with. A comment is sent as the site's form sends it: the
content service counts how often the client's address comments to a unit (429 past the limit)
and never stores the address; the commenter's contact is for the unit's staff only."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation

TAG = "consultations"
STEP_ERRORS = (409,)  # a stale version, or a step the draft's state does not allow
CLOSING = ("Open until the end of `closes_on` (Vietnam's calendar), closed after it; `days_left` counts the days "
           "to it (0 on the day).")


class UnitConsultations(Api):
    @operation("A unit's drafts out for comment: open ones first (closing soonest first), then closed ones",
               tag=TAG, auth=None, lists="PublicConsultation", sorts=("closes_on",), description=CLOSING)
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            listing = services.content.list_consultations(unit, skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, listing["consultations"])

    @operation("Prepare a draft for comment (not public until opened)", tag=TAG, body="ConsultationInput",
               answers={201: "StaffConsultation"},
               description="The closing day must be after today. Its file, if any, is uploaded first "
                           "(POST /api/units/{unit}/media) and named here by its media id.")
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "create_consultation", unit)
        resp.status = falcon.HTTP_201


class UnitConsultation(Api):
    @operation("A draft out for comment", tag=TAG, auth=None, answers={200: "PublicConsultation"},
               description=CLOSING + " 404 for a draft not yet opened.")
    def on_get(self, req, resp, unit, consultation_id):
        with self.services(req) as services:
            resp.media = services.content.get_consultation(unit, consultation_id)


class ConsultationComments(Api):
    @operation("A draft's published comments, oldest first", tag=TAG, auth=None, lists="PublicComment",
               sorts=("created_at",))
    def on_get(self, req, resp, unit, consultation_id):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            listing = services.content.list_consultation_comments(unit, consultation_id, skip=query.skip,
                                                                  limit=query.fetch)
        resp.media = self.list_page(req, query, listing["comments"])

    @operation("Comment on an open draft (pending until moderated)", tag=TAG, auth=None, body="CommentInput",
               answers={201: "CommentReceipt"}, errors=(409, 429),
               description="409 once the draft has closed; 404 for a draft that is not out for comment. One "
                           "address may send a unit a limited number of comments an hour; past it the answer "
                           "is 429 with `retry_after`. The contact is kept for the unit's staff only.")
    def on_post(self, req, resp, unit, consultation_id):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.comment_on_consultation(unit, consultation_id, data,
                                                                  client=req.context.client)
        resp.status = falcon.HTTP_201


class ConsultationDesk(Api):
    @operation("A unit's drafts in every state, as its editorial board sees them, last changed first", tag=TAG,
               lists="StaffConsultation", sorts=("-updated_at",),
               params=(Param("status", {"$ref": "#/components/schemas/StaffConsultation/properties/status"},
                             "only the drafts in this state"),))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            listing = services.content.list_consultations_for_staff(
                self.actor(req, services), unit, req.get_param("status"), limit=query.fetch, skip=query.skip)
        resp.media = self.list_page(req, query, listing["consultations"])


class Consultation(Api):
    @operation("A draft in any state, with its pending comments counted", tag=TAG,
               answers={200: "StaffConsultation"})
    def on_get(self, req, resp, consultation_id):
        with self.services(req) as services:
            resp.media = services.content.get_consultation_for_staff(self.actor(req, services), consultation_id)

    @operation("Change a draft", tag=TAG, body="ConsultationChange", answers={200: "StaffConsultation"},
               errors=STEP_ERRORS,
               description="Every field again, with the `version` it is based on. An open draft's correction is "
                           "public at once, so only who may open it may make it; a closed one no longer changes "
                           "(409). A new closing day must be after today.")
    def on_put(self, req, resp, consultation_id):
        resp.media = self.change(req, "update_consultation", consultation_id)


class OpenConsultation(Api):
    @operation("Open a draft for comment on the unit's site", tag=TAG, body="ConsultationStep",
               answers={200: "StaffConsultation"}, errors=STEP_ERRORS,
               description="409 if it is already open; 422 if its closing day is not after today.")
    def on_post(self, req, resp, consultation_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.open_consultation(self.actor(req, services), consultation_id, data)


class ConsultationSummary(Api):
    @operation("Publish the summary of comments received and the unit's response", tag=TAG, body="Summary",
               answers={200: "StaffConsultation"}, errors=STEP_ERRORS,
               description="Only once the draft has closed (409 before). The HTML is sanitised, and held to "
                           "the accessibility checks a published answer meets (422 naming `summary_html`). "
                           "Publishing again corrects it.")
    def on_post(self, req, resp, consultation_id):
        resp.media = self.change(req, "publish_consultation_summary", consultation_id)


class CommentQueue(Api):
    @operation("A draft's comments as moderators see them (with contacts), oldest first", tag=TAG,
               lists="StaffComment", sorts=("created_at",),
               params=(Param("status", {"$ref": "#/components/schemas/StaffComment/properties/status"},
                             "only the comments in this state"),))
    def on_get(self, req, resp, consultation_id):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            listing = services.content.consultation_comment_queue(
                self.actor(req, services), consultation_id, req.get_param("status"), limit=query.fetch,
                skip=query.skip)
        resp.media = self.list_page(req, query, listing["comments"])


class PublishComment(Api):
    @operation("Publish a comment under its draft", tag=TAG, body="ConsultationStep", answers={200: "StaffComment"},
               errors=STEP_ERRORS, description="409 if it is already published or `version` is stale.")
    def on_post(self, req, resp, comment_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.publish_consultation_comment(self.actor(req, services), comment_id, data)


class RejectComment(Api):
    @operation("Reject a comment (or withdraw a published one)", tag=TAG, body="ConsultationStep",
               answers={200: "StaffComment"}, errors=STEP_ERRORS,
               description="409 if it is already rejected or `version` is stale.")
    def on_post(self, req, resp, comment_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.reject_consultation_comment(self.actor(req, services), comment_id, data)


class ConsultationRevisions(Api):
    @operation("A draft's revisions, oldest first", tag=TAG, lists="Revision", sorts=("version",))
    def on_get(self, req, resp, consultation_id):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.consultation_history(
                self.actor(req, services), consultation_id, query.skip, query.fetch))


class ConsultationImports(Api):
    @operation("Import a draft the unit put out for comment before the platform held its drafts", tag=TAG,
               body="PastConsultation", answers={201: "ImportReceipt", 200: "ImportReceipt"},
               description="For moving an old site: the draft as it happened there, closed (its closing day "
                           "before today), with the comments it published and its summary. Known by its title in "
                           "the unit: one already there is left as it is (200, `imported` false). Platform "
                           "administrators only.")
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "import_past_consultation", unit)
        resp.status = falcon.HTTP_201 if resp.media["imported"] else falcon.HTTP_200

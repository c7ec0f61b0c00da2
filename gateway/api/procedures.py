"""Administrative procedures ("thủ tục hành chính") through the JSON API: a unit's published
procedures by field and each one for anyone; drafts, corrections, publication, withdrawal and
revisions for the unit's editorial board (who keeps its legal documents too)."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.api.revisions import FROM_TO, versions_compared

TAG = "procedures"
FIELD = Param("field", {"type": "string", "maxLength": 100},
              "only this field (lĩnh vực), by its name or key, any case and marks: ho-tich, Hộ tịch")


class UnitProcedures(Api):
    @operation("A unit's published procedures by field", tag=TAG, auth=None, params=(FIELD,),
               answers={200: "ProcedureCatalogue"},
               description="Fields and, within each, names in Vietnamese alphabetical order; every field with "
                           "its count, whichever field is asked for.")
    def on_get(self, req, resp, unit):
        with self.services(req) as services:
            resp.media = services.content.list_procedures(unit, req.get_param("field"))

    @operation("Draft a procedure", tag=TAG, body="ProcedureInput", answers={201: "Procedure"}, errors=(409,),
               description="409 if the unit has a procedure of that name. `papers_html` is sanitised as an "
                           "article's body is; `portal_url` must be http or https.")
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "create_procedure", unit)
        resp.status = falcon.HTTP_201


class PublishedProcedure(Api):
    @operation("A published procedure", tag=TAG, auth=None, answers={200: "Procedure"})
    def on_get(self, req, resp, unit, procedure_id):
        with self.services(req) as services:
            resp.media = services.content.get_procedure(unit, procedure_id)


class EditorialProcedures(Api):
    @operation("A unit's procedures in every state, last changed first", tag=TAG, lists="Procedure",
               sorts=("-updated_at",),
               params=(Param("status", {"type": "string", "enum": ["draft", "published"]}, "only this state"),))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.list_procedure_drafts(
                self.actor(req, services), unit, req.get_param("status"), query.fetch, query.skip))


class Procedure(Api):
    @operation("A procedure in any state", tag=TAG, answers={200: "Procedure"})
    def on_get(self, req, resp, procedure_id):
        with self.services(req) as services:
            resp.media = services.content.get_procedure_draft(self.actor(req, services), procedure_id)

    @operation("Change a procedure", tag=TAG, body="ProcedureChange", answers={200: "Procedure"}, errors=(409,),
               description="Every field again, with the `version` it is based on. A published procedure's "
                           "correction is published at once, so only who may publish may make it.")
    def on_put(self, req, resp, procedure_id):
        resp.media = self.change(req, "update_procedure", procedure_id)


class ProcedurePublication(Api):
    @operation("Publish a draft procedure", tag=TAG, body="ProcedurePublication", answers={200: "Procedure"},
               errors=(409,), description="409 if it is already published.")
    def on_post(self, req, resp, procedure_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.publish_procedure(self.actor(req, services), procedure_id, data=data)


class ProcedureWithdrawal(Api):
    @operation("Withdraw a published procedure", tag=TAG, body="ProcedurePublication", answers={200: "Procedure"},
               errors=(409,), description="It leaves the unit's site and search, and is a draft again. "
                                          "409 if it is not published.")
    def on_post(self, req, resp, procedure_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.withdraw_procedure(self.actor(req, services), procedure_id, data=data)


class ProcedureRevisions(Api):
    @operation("A procedure's revisions, oldest first", tag=TAG, lists="Revision", sorts=("version",))
    def on_get(self, req, resp, procedure_id):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.procedure_history(
                self.actor(req, services), procedure_id, query.skip, query.fetch))


class ProcedureDiff(Api):
    @operation("Two revisions of a procedure compared", tag=TAG, params=FROM_TO, answers={200: "RevisionDiff"})
    def on_get(self, req, resp, procedure_id):
        first, second = versions_compared(req)
        with self.services(req) as services:
            resp.media = services.content.procedure_diff(self.actor(req, services), procedure_id, first, second)


class ProcedureRollback(Api):
    @operation("Restore a revision's fields as the procedure's next version", tag=TAG, body="Rollback",
               answers={200: "Procedure"}, errors=(409,),
               description="The fields are checked again as any change is; a published procedure's restored "
                           "fields are published at once.")
    def on_post(self, req, resp, procedure_id):
        resp.media = self.change(req, "rollback_procedure", procedure_id)

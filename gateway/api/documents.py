"""Legal documents ("văn bản") through the JSON API: the search and each published document for
anyone; drafts, corrections, publication and revisions for the unit's editorial board.

A document's file is uploaded first, as media of the unit (POST /api/units/{unit}/media); the
document names it by the media id, and its answers describe it with its address, /tep/{media_id}."""
from __future__ import annotations

import re
from contextlib import contextmanager

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.api.revisions import FROM_TO, versions_compared
from gateway.errors import PortalHTTPError
from services.common.errors import InvalidInput

TAG = "documents"
TWO_STEPS = ("Its file, if any, is uploaded first (POST /api/units/{unit}/media: PDF, DOC, DOCX, XLS, XLSX, ODT "
             "or ODS) and named here by the media id that upload answers with; the answer describes the file "
             "with its address, /tep/{media_id}.")
_TEXT = {"type": "string", "maxLength": 200}
_DAY = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
SEARCH = (
    Param("number", {"type": "string", "maxLength": 50}, "số ký hiệu, or whole parts of it: 12/2026 finds "
                                                         "12/2026/QĐ-UBND"),
    Param("type", {"type": "string", "maxLength": 60}, "the whole type, e.g. Quyết định"),
    Param("issuer", _TEXT, "the whole issuing body, e.g. UBND xã Phú Mậu"),
    Param("issued_from", _DAY, "issued on this day or later (YYYY-MM-DD)"),
    Param("issued_to", _DAY, "issued on this day or earlier (YYYY-MM-DD)"),
    Param("text", _TEXT, "every word somewhere in the document"),
)


class UnitDocuments(Api):
    @operation("Search a unit's published documents", tag=TAG, auth=None, lists="LegalDocument",
               sorts=("-issued_on", "issued_on"), params=SEARCH,
               description="Every criterion given must hold; all of them ignore case and Vietnamese marks.")
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        criteria = {param.name: req.get_param(param.name) for param in SEARCH}
        with self.services(req) as services, skip_named_as_page():
            found = services.content.search_documents(unit=unit, **criteria, skip=query.skip, limit=query.fetch,
                                                      sort=query.sort)
        resp.media = self.list_page(req, query, found["documents"])

    @operation("Draft a legal document", tag=TAG, body="DocumentInput", answers={201: "LegalDocument"},
               errors=(409,), description=TWO_STEPS + " 409 if the unit has a document of that number.")
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "create_document", unit)
        resp.status = falcon.HTTP_201


class PublishedDocument(Api):
    @operation("A published document", tag=TAG, auth=None, answers={200: "LegalDocument"})
    def on_get(self, req, resp, unit, document_id):
        with self.services(req) as services:
            resp.media = services.content.get_document(unit, document_id)


YEAR = Param("year", {"type": "integer", "minimum": 1945, "maximum": 9999},
             "only documents issued in this year (YYYY), not after the current one")


class UnitDisclosures(Api):
    @operation("The disclosure sections a unit's level owes", tag=TAG, auth=None, lists="DisclosureSection",
               sorts=("order",),
               description="In the order the law lists them, each with its legal source, the count of the "
                           "unit's published documents filed under it and the newest one's issue date.")
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            sections = services.content.disclosure_sections(unit)
        resp.media = self.list_page(req, query, sections[query.skip:query.skip + query.fetch])


class DisclosureDocuments(Api):
    @operation("A unit's published documents of one disclosure section", tag=TAG, auth=None,
               lists="LegalDocument", sorts=("-issued_on",), params=(YEAR,),
               description="Newest issued first. 404 for a section the unit's level does not owe, as for an "
                           "unknown one; the sections a unit owes are listed at /api/units/{unit}/disclosures.")
    def on_get(self, req, resp, unit, section):
        query = self.list_query(req, self.on_get)
        year = req.get_param("year")
        if year is not None and not re.fullmatch(r"[0-9]{4}", year):
            raise PortalHTTPError(422, "Invalid parameters: year", {"year": "must be a year as YYYY"})
        with self.services(req) as services, skip_named_as_page():
            found = services.content.list_disclosures(unit, section, int(year) if year else None, query.skip,
                                                      query.fetch)
        resp.media = self.list_page(req, query, found["documents"])


class EditorialDocuments(Api):
    @operation("A unit's documents in every state, last changed first", tag=TAG, lists="LegalDocument",
               sorts=("-updated_at",),
               params=(Param("status", {"type": "string", "enum": ["draft", "published"]}, "only this state"),))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.list_document_drafts(
                self.actor(req, services), unit, req.get_param("status"), query.fetch, query.skip))


class Document(Api):
    @operation("A document in any state", tag=TAG, answers={200: "LegalDocument"})
    def on_get(self, req, resp, document_id):
        with self.services(req) as services:
            resp.media = services.content.get_document_draft(self.actor(req, services), document_id)

    @operation("Change a document", tag=TAG, body="DocumentChange", answers={200: "LegalDocument"}, errors=(409,),
               description="Every field again, with the `version` it is based on. A published document's "
                           "correction is published at once, so only who may publish may make it. " + TWO_STEPS)
    def on_put(self, req, resp, document_id):
        resp.media = self.change(req, "update_document", document_id)


class DocumentPublication(Api):
    @operation("Publish a draft document", tag=TAG, body="DocumentPublication", answers={200: "LegalDocument"},
               errors=(409,), description="409 if it is already published.")
    def on_post(self, req, resp, document_id):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.publish_document(self.actor(req, services), document_id, data=data)


class DocumentRevisions(Api):
    @operation("A document's revisions, oldest first", tag=TAG, lists="Revision", sorts=("version",))
    def on_get(self, req, resp, document_id):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.document_history(
                self.actor(req, services), document_id, query.skip, query.fetch))


class DocumentDiff(Api):
    @operation("Two revisions of a document compared", tag=TAG, params=FROM_TO, answers={200: "RevisionDiff"})
    def on_get(self, req, resp, document_id):
        first, second = versions_compared(req)
        with self.services(req) as services:
            resp.media = services.content.document_diff(self.actor(req, services), document_id, first, second)


class DocumentRollback(Api):
    @operation("Restore a revision's fields as the document's next version", tag=TAG, body="Rollback",
               answers={200: "LegalDocument"}, errors=(409,),
               description="The fields are checked again as any change is (its file must still be there); "
                           "a published document's restored fields are published at once.")
    def on_post(self, req, resp, document_id):
        resp.media = self.change(req, "rollback_document", document_id)


@contextmanager
def skip_named_as_page():
    """The search goes only so deep; the caller named a page, not the items skipped."""
    try:
        yield
    except InvalidInput as error:
        if "skip" not in error.fields:
            raise
        fields = {name: problem for name, problem in error.fields.items() if name != "skip"}
        fields["page"] = "too deep: narrow the search instead"
        raise PortalHTTPError(422, f"Invalid parameters: {', '.join(sorted(fields))}", fields) from None

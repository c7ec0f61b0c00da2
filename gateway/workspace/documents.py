"""Legal documents ("văn bản") in the workspace: the unit's list in every state, one form to
draft or correct a document with its file, and publication by who may publish.

    /quan-tri/{unit}/van-ban               the list (?trang-thai=nhap or da-dang)
    /quan-tri/{unit}/van-ban/moi           GET the empty form, POST a new draft
    /quan-tri/{unit}/van-ban/{id}          GET the document's form, POST its correction
    /quan-tri/{unit}/van-ban/{id}/dang     POST: publish the draft
    /quan-tri/{unit}/van-ban/{id}/phien-ban  its revisions (revisions.py, with REVISIONS)

The file comes in the same form (multipart). It is uploaded first, as the unit's media, and only
then is the document saved naming it: a file refused leaves the document as it was. A file the
document itself refuses (an image) is deleted again; one kept while other fields are put right
is carried by the form, so it is not chosen twice.
"""
from __future__ import annotations

import base64

import falcon

from gateway.forms import see_other
from gateway.vietnam_time import iso_date
from gateway.workspace.base import Workspace
from gateway.workspace.items import done_path, done_step, form_values, form_version, owned
from gateway.workspace.revisions import RevisedKind
from services.common.errors import Conflict, InvalidInput, NotFound

FIELDS = ("number", "type", "issuing_body", "signer", "issued_on", "effective_on", "excerpt", "field", "section")
DATES = ("issued_on", "effective_on")
FILE_INPUT = "tep"  # the form's file input; the hidden field "file" holds the media id the document names
STATES = {"nhap": "draft", "da-dang": "published"}  # ?trang-thai= on the list
STATE_PARAMETER = "trang-thai"
LISTED = 100  # the most recently changed documents the list shows
# Restoring a revision of a published document publishes it at once: the editor-in-chief's to do.
REVISIONS = RevisedKind(
    read="get_document_draft", history="document_history", diff="document_diff", rollback="rollback_document",
    ids=lambda unit, params: (params["document_id"],), fields=(*FIELDS, "file"), html_fields=frozenset(),
    section="van-ban", back=lambda unit, params: f"/quan-tri/{unit}/van-ban/{params['document_id']}",
    permission="document.publish", noun="van-ban",
)


def list_path(unit: str) -> str:
    return f"/quan-tri/{unit}/van-ban"


def document_path(unit: str, document_id: str) -> str:
    return f"{list_path(unit)}/{document_id}"


def values_of(document: dict | None) -> dict:
    return form_values(document, FIELDS)


def file_problem(error: InvalidInput) -> dict:
    """An upload's refusal as the form's one file field: the service also names the file's name,
    which the form has no field for (an extension that belies the content)."""
    if "filename" in error.fields:
        return {"file": "filename"}
    return {"file": error.fields.get("file", "type not allowed")}


class DocumentList(Workspace):
    def on_get(self, req, resp, unit):
        state = req.get_param(STATE_PARAMETER) or ""
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="document.edit")
            documents = services.content.list_document_drafts(staff.actor, unit["slug"], STATES.get(state),
                                                              limit=LISTED)
        self.render(req, resp, "workspace/document_list.html", staff=staff, unit=unit, documents=documents,
                    state=state if state in STATES else "", listed=LISTED)


class DocumentForm(Workspace):
    """What the new and the existing document's forms share: showing the form, and saving it
    with its file."""

    def show(self, req, resp, staff, unit: dict, document: dict | None, values: dict, file: dict | None,
             problems: dict | None = None, expired=False, conflict=False, done="", version: int | None = None,
             sections: list | None = None):
        """The form; `version` is the one a save is based on (the document's own unless given);
        `sections` the disclosure sections the unit's level owes, for the "Mục công khai" select."""
        slug = unit["slug"]
        published = document is not None and document["status"] == "published"
        self.render(req, resp, "workspace/document_form.html", staff=staff, unit=unit, document=document,
                    values=values, file=file, problems=problems or {}, expired=expired, conflict=conflict, done=done,
                    sections=sections or [],
                    version=version if version is not None else (document["version"] if document else None),
                    action=document_path(slug, document["id"]) if document else f"{list_path(slug)}/moi",
                    # A published document's correction is published at once: only who may publish may make it.
                    editable=staff.can("document.publish" if published else "document.edit", slug),
                    can_publish=staff.can("document.publish", slug))

    def kept_file(self, services, unit: dict, media_id: str) -> dict | None:
        """The file the form carries (the document's own, or one uploaded while fields were put
        right), described if it is this unit's."""
        if not media_id:
            return None
        try:
            media = services.content.get_media(media_id)
        except (NotFound, InvalidInput):
            return None
        return media if media["unit"] == unit["slug"] else None

    def save(self, req, resp, services, staff, unit: dict, document: dict | None):
        """Upload the file (if one was chosen), then save the document naming it; any refusal
        shows the form again as it was typed, the document unchanged."""
        form = self.submitted(req)
        values = {name: form.get(name) for name in (*FIELDS, "file")}
        version = form_version(form)
        shown = {"staff": staff, "unit": unit, "document": document, "values": values,
                 "sections": services.content.disclosure_sections(unit["slug"])}
        if not form.trusted:
            resp.status = falcon.HTTP_403
            return self.show(req, resp, **shown, file=self.kept_file(services, unit, values["file"]), version=version,
                             expired=True)
        kept = self.kept_file(services, unit, values["file"])
        chosen = form.files.get(FILE_INPUT)
        uploaded = None
        if chosen is not None and chosen["too_big"]:
            resp.status = falcon.HTTP_422
            return self.show(req, resp, **shown, file=kept, problems={"file": "too large"})
        if chosen is not None:
            try:
                uploaded = services.content.upload_media(staff.actor, unit["slug"], chosen["filename"],
                                                         base64.b64encode(chosen["data"]).decode("ascii"),
                                                         chosen["content_type"])
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show(req, resp, **shown, file=kept, problems=file_problem(error))
        fields = {name: iso_date(values[name]) if name in DATES else values[name] for name in FIELDS}
        fields["section"] = fields["section"] or None  # "none": an ordinary legal document
        fields["file"] = uploaded["id"] if uploaded else (kept["id"] if kept else None)
        try:
            if document is None:
                saved = services.content.create_document(staff.actor, unit["slug"], fields)
            else:
                saved = services.content.update_document(staff.actor, document["id"], {**fields, "version": version})
        except (InvalidInput, Conflict) as error:
            if uploaded and isinstance(error, InvalidInput) and "file" in error.fields:
                # A file the document cannot name (an image): the upload goes again.
                services.content.delete_media(staff.actor, uploaded["id"])
                uploaded = None
            file = uploaded or kept
            values["file"] = file["id"] if file else ""
            if isinstance(error, InvalidInput):
                resp.status = falcon.HTTP_422
                return self.show(req, resp, **shown, file=file, version=version, problems=error.fields)
            resp.status = falcon.HTTP_409
            if document is None or error.current_version == version:
                return self.show(req, resp, **shown, file=file, version=version, problems={"number": "taken"})
            # Someone saved meanwhile: what was typed stays, based on their version, so saving
            # again is a choice made knowing it replaces theirs.
            return self.show(req, resp, **shown, file=file, version=error.current_version, conflict=True)
        see_other(resp, done_path(document_path(unit["slug"], saved["id"]), "luu"))


class NewDocument(DocumentForm):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="document.edit")
            sections = services.content.disclosure_sections(unit["slug"])
        self.show(req, resp, staff, unit, None, {**values_of(None), "issuing_body": unit["name"]}, None,
                  sections=sections)

    def on_post(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="document.edit")
            self.save(req, resp, services, staff, unit, None)


class EditDocument(DocumentForm):
    def on_get(self, req, resp, unit, document_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="document.edit")
            document = owned(unit, "document",
                             lambda: services.content.get_document_draft(staff.actor, document_id))
            file = self.kept_file(services, unit, values_of(document)["file"])
            sections = services.content.disclosure_sections(unit["slug"])
        self.show(req, resp, staff, unit, document, values_of(document), file, done=done_step(req), sections=sections)

    def on_post(self, req, resp, unit, document_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="document.edit")
            document = owned(unit, "document",
                             lambda: services.content.get_document_draft(staff.actor, document_id))
            if document["status"] == "published":
                self.require(staff, "document.publish", unit["slug"])
            self.save(req, resp, services, staff, unit, document)


class DocumentPublication(DocumentForm):
    def on_post(self, req, resp, unit, document_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="document.publish")
            document = owned(unit, "document",
                             lambda: services.content.get_document_draft(staff.actor, document_id))
            form = self.submitted(req)
            shown = (staff, unit, document, values_of(document), self.kept_file(services, unit,
                                                                                  values_of(document)["file"]))
            sections = services.content.disclosure_sections(unit["slug"])
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, *shown, expired=True, sections=sections)
            try:
                services.content.publish_document(staff.actor, document["id"], data={"version": form_version(form)})
            except Conflict:
                # Published meanwhile, or changed since the page was opened: the page shows it as it is now.
                resp.status = falcon.HTTP_409
                return self.show(req, resp, *shown, problems={"publish": "conflict"}, sections=sections)
        see_other(resp, done_path(document_path(unit["slug"], document["id"]), "dang"))

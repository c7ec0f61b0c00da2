"""Drafts put out for comment in the workspace: the unit's list in every state, one form to
prepare or correct a draft with its file, opening it, moderating its comments and, once it has
closed, the summary of comments received and the unit's response.

    /quan-tri/{unit}/du-thao                         the list
    /quan-tri/{unit}/du-thao/moi                     GET the empty form, POST a new draft
    /quan-tri/{unit}/du-thao/{id}                    GET the draft's page, POST its correction
    /quan-tri/{unit}/du-thao/{id}/mo                 POST: open it for comment
    /quan-tri/{unit}/du-thao/{id}/tong-hop           POST: publish the summary (after closing)
    /quan-tri/{unit}/du-thao/{id}/y-kien/{c}/dang    POST: publish a comment
    /quan-tri/{unit}/du-thao/{id}/y-kien/{c}/tu-choi POST: reject a comment

As on the document form, the file is uploaded first as the unit's media and the draft then
names it; the summary is typed in the workspace's light markup (markup.py).
"""
from __future__ import annotations

import base64

import falcon

from gateway.forms import see_other
from gateway.vietnam_time import iso_date
from gateway.workspace import markup
from gateway.workspace.base import Workspace
from gateway.workspace.documents import file_problem
from gateway.workspace.items import done_path, done_step, form_values, form_version, owned
from gateway.workspace.revisions import text_lines
from services.common.errors import Conflict, InvalidInput, NotFound

FIELDS = ("title", "description", "closes_on", "field")
FILE_INPUT = "tep"
EDIT, OPEN, MODERATE = "document.edit", "document.publish", "question.moderate"
LISTED = 100


def list_path(unit: str) -> str:
    return f"/quan-tri/{unit}/du-thao"


def draft_path(unit: str, consultation_id: str) -> str:
    return f"{list_path(unit)}/{consultation_id}"


def values_of(consultation: dict | None) -> dict:
    return form_values(consultation, FIELDS)


def summary_text(consultation: dict) -> str:
    """The published summary as the text to correct: its paragraphs, one blank line apart."""
    html = consultation["summary_html"]
    return "\n\n".join(text_lines([html], True)) if html else ""


class ConsultationList(Workspace):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            if not (staff.can(EDIT, unit["slug"]) or staff.can(MODERATE, unit["slug"])):
                self.require(staff, EDIT, unit["slug"])
            listing = services.content.list_consultations_for_staff(staff.actor, unit["slug"], limit=LISTED)
        self.render(req, resp, "workspace/consultation_list.html", staff=staff, unit=unit,
                    consultations=listing["consultations"], listed=LISTED)


class ConsultationPages(Workspace):
    """What the new and the existing draft's pages share: showing the page, saving the form."""

    def show(self, req, resp, services, staff, unit: dict, consultation: dict | None, values: dict,
             problems: dict | None = None, expired=False, conflict=False, version: int | None = None,
             summary: str | None = None):
        slug = unit["slug"]
        comments = (services.content.consultation_comment_queue(staff.actor, consultation["id"], limit=100)
                    if consultation else {"comments": [], "total": 0})
        editable = consultation is None or (consultation["status"] != "closed" and staff.can(
            OPEN if consultation["status"] == "open" else EDIT, slug))
        self.render(req, resp, "workspace/consultation_page.html", staff=staff, unit=unit,
                    consultation=consultation, values=values, problems=problems or {}, expired=expired,
                    conflict=conflict, done=done_step(req), comments=comments["comments"],
                    file=self.kept_file(services, unit, values.get("file", "")),
                    version=version if version is not None else (consultation["version"] if consultation else None),
                    action=draft_path(slug, consultation["id"]) if consultation else f"{list_path(slug)}/moi",
                    editable=editable, can_open=staff.can(OPEN, slug), can_moderate=staff.can(MODERATE, slug),
                    summary=summary if summary is not None else (summary_text(consultation) if consultation else ""))

    @staticmethod
    def kept_file(services, unit: dict, media_id: str) -> dict | None:
        if not media_id:
            return None
        try:
            media = services.content.get_media(media_id)
        except (NotFound, InvalidInput):
            return None
        return media if media["unit"] == unit["slug"] else None

    def save(self, req, resp, services, staff, unit: dict, consultation: dict | None):
        form = self.submitted(req)
        values = {name: form.get(name) for name in (*FIELDS, "file")}
        version = form_version(form)
        shown = {"services": services, "staff": staff, "unit": unit, "consultation": consultation,
                 "values": values, "version": version}
        if not form.trusted:
            resp.status = falcon.HTTP_403
            return self.show(req, resp, **shown, expired=True)
        chosen = form.files.get(FILE_INPUT)
        if chosen is not None and chosen["too_big"]:
            resp.status = falcon.HTTP_422
            return self.show(req, resp, **shown, problems={"file": "too large"})
        if chosen is not None:
            try:
                uploaded = services.content.upload_media(staff.actor, unit["slug"], chosen["filename"],
                                                         base64.b64encode(chosen["data"]).decode("ascii"),
                                                         chosen["content_type"])
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show(req, resp, **shown, problems=file_problem(error))
            values["file"] = uploaded["id"]
        fields = {**{name: values[name] for name in FIELDS}, "closes_on": iso_date(values["closes_on"]),
                  "file": values["file"] or None}
        try:
            if consultation is None:
                saved = services.content.create_consultation(staff.actor, unit["slug"], fields)
            else:
                saved = services.content.update_consultation(staff.actor, consultation["id"],
                                                             {**fields, "version": version})
        except InvalidInput as error:
            resp.status = falcon.HTTP_422
            return self.show(req, resp, **shown, problems=error.fields)
        except Conflict as error:
            resp.status = falcon.HTTP_409
            # Someone saved meanwhile: what was typed stays, based on their version.
            return self.show(req, resp, **{**shown, "version": error.current_version}, conflict=True)
        see_other(resp, done_path(draft_path(unit["slug"], saved["id"]), "luu"))

    def draft(self, services, staff, unit: dict, consultation_id: str) -> dict:
        return owned(unit, "consultation",
                     lambda: services.content.get_consultation_for_staff(staff.actor, consultation_id))


class NewConsultation(ConsultationPages):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
            self.show(req, resp, services, staff, unit, None, values_of(None))

    def on_post(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
            self.save(req, resp, services, staff, unit, None)


class ConsultationPage(ConsultationPages):
    def on_get(self, req, resp, unit, consultation_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            consultation = self.draft(services, staff, unit, consultation_id)
            self.show(req, resp, services, staff, unit, consultation, values_of(consultation))

    def on_post(self, req, resp, unit, consultation_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
            consultation = self.draft(services, staff, unit, consultation_id)
            if consultation["status"] != "draft":
                self.require(staff, OPEN, unit["slug"])
            self.save(req, resp, services, staff, unit, consultation)


class ConsultationStep(ConsultationPages):
    """A step on the draft's page (opening it, its summary): its form posted, then the page again."""

    def __init__(self, rpc, templates, settings, needs: str, done: str):
        super().__init__(rpc, templates, settings)
        self.needs = needs
        self.done = done

    def on_post(self, req, resp, unit, consultation_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=self.needs)
            consultation = self.draft(services, staff, unit, consultation_id)
            form = self.submitted(req)
            shown = (services, staff, unit, consultation, values_of(consultation))
            summary = form.get("summary") if self.done == "tong-hop" else None
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, *shown, expired=True, summary=summary)
            try:
                self.take(services, staff, consultation, form)
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show(req, resp, *shown, problems=error.fields, summary=summary)
            except Conflict:
                resp.status = falcon.HTTP_409
                return self.show(req, resp, *shown, problems={self.done: "conflict"}, summary=summary)
        see_other(resp, done_path(draft_path(unit["slug"], consultation["id"]), self.done))

    def take(self, services, staff, consultation: dict, form) -> None:
        data = {"version": form_version(form)}
        if self.done == "mo":
            services.content.open_consultation(staff.actor, consultation["id"], data)
        else:
            services.content.publish_consultation_summary(
                staff.actor, consultation["id"], {**data, "summary_html": markup.to_html(form.get("summary"))})


class CommentDecision(ConsultationPages):
    """Publishing or rejecting one comment from the draft's page."""

    def __init__(self, rpc, templates, settings, publish: bool):
        super().__init__(rpc, templates, settings)
        self.publish = publish

    def on_post(self, req, resp, unit, consultation_id, comment_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=MODERATE)
            consultation = self.draft(services, staff, unit, consultation_id)
            form = self.submitted(req)
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, services, staff, unit, consultation, values_of(consultation),
                                 expired=True)
            step = (services.content.publish_consultation_comment if self.publish
                    else services.content.reject_consultation_comment)
            try:
                step(staff.actor, comment_id, {"version": form_version(form)})
            except (Conflict, NotFound):
                # Decided meanwhile by someone else: the page shows it as it is now.
                resp.status = falcon.HTTP_409
                return self.show(req, resp, services, staff, unit, consultation, values_of(consultation),
                                 problems={"comment": "conflict"})
        see_other(resp, done_path(draft_path(unit["slug"], consultation["id"]), "y-kien"))

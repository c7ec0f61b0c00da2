"""Administrative procedures ("thủ tục hành chính") in the workspace: the unit's list in every
state, one form to draft or correct a procedure, publication and withdrawal by who may publish.

    /quan-tri/{unit}/thu-tuc-hanh-chinh               the list (?trang-thai=nhap or da-dang)
    /quan-tri/{unit}/thu-tuc-hanh-chinh/moi           GET the empty form, POST a new draft
    /quan-tri/{unit}/thu-tuc-hanh-chinh/{id}          GET the procedure's form, POST its correction
    /quan-tri/{unit}/thu-tuc-hanh-chinh/{id}/dang     POST: publish the draft
    /quan-tri/{unit}/thu-tuc-hanh-chinh/{id}/rut      POST: withdraw it from the site

The papers to bring are typed one a line and kept as a list; the content service sanitises that
list as it does any HTML it is given.
"""
from __future__ import annotations

from html import escape
from html.parser import HTMLParser

import falcon

from gateway.forms import see_other
from gateway.workspace.base import Workspace
from gateway.workspace.documents import STATE_PARAMETER, STATES
from gateway.workspace.items import done_path, done_step, form_version, owned
from services.common.errors import Conflict, InvalidInput

FIELDS = ("name", "code", "field", "level", "processing_time", "fees", "papers", "result", "legal_basis",
          "portal_url")
LISTED = 100  # the most recently changed procedures the list shows (the most one page of the service holds)
# The level a new procedure is handled at, from the unit's own (a department's are the province's).
UNIT_LEVELS = {"xa": "xa", "huyen": "huyen"}
EDIT, PUBLISH = "document.edit", "document.publish"  # the board that keeps legal documents keeps these


def list_path(unit: str) -> str:
    return f"/quan-tri/{unit}/thu-tuc-hanh-chinh"


def procedure_path(unit: str, procedure_id: str) -> str:
    return f"{list_path(unit)}/{procedure_id}"


class _Lines(HTMLParser):
    """The text of each list item (or, without items, of each line) of some HTML."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = [""]

    def handle_starttag(self, tag, attrs):
        if tag in ("li", "p", "br", "tr"):
            self.lines.append("")

    def handle_data(self, data):
        self.lines[-1] += data


def papers_lines(html: str) -> str:
    """The papers as the form shows them: one a line."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    return "\n".join(" ".join(line.split()) for line in parser.lines if line.strip())


def papers_html(lines: str) -> str:
    """The papers typed one a line, as a list."""
    items = [" ".join(line.split()) for line in lines.splitlines() if line.strip()]
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>" if items else ""


def values_of(procedure: dict | None, unit: dict) -> dict:
    """The form's fields as a procedure holds them (for a new one, the unit's own level)."""
    if procedure is None:
        return {**{name: "" for name in FIELDS}, "level": UNIT_LEVELS.get(unit["level"], "tinh")}
    values = {name: procedure.get(name) or "" for name in FIELDS if name != "papers"}
    values["papers"] = papers_lines(procedure["papers_html"])
    return values


def fields_of(values: dict) -> dict:
    """What the content service takes, from the form as typed."""
    fields = {name: values[name] for name in FIELDS if name != "papers"}
    fields["papers_html"] = papers_html(values["papers"])
    return fields


class ProcedureList(Workspace):
    def on_get(self, req, resp, unit):
        state = req.get_param(STATE_PARAMETER) or ""
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
            procedures = services.content.list_procedure_drafts(staff.actor, unit["slug"], STATES.get(state),
                                                                limit=LISTED)
        self.render(req, resp, "workspace/procedure_list.html", staff=staff, unit=unit, procedures=procedures,
                    state=state if state in STATES else "", listed=LISTED)


class ProcedureForm(Workspace):
    """What the new and the existing procedure's forms share: showing the form, and saving it."""

    def show(self, req, resp, staff, unit: dict, procedure: dict | None, values: dict, problems: dict | None = None,
             expired=False, conflict=False, done="", version: int | None = None):
        slug = unit["slug"]
        published = procedure is not None and procedure["status"] == "published"
        self.render(req, resp, "workspace/procedure_form.html", staff=staff, unit=unit, procedure=procedure,
                    values=values, problems=problems or {}, expired=expired, conflict=conflict, done=done,
                    version=version if version is not None else (procedure["version"] if procedure else None),
                    action=procedure_path(slug, procedure["id"]) if procedure else f"{list_path(slug)}/moi",
                    # A published procedure's correction is published at once: only who may publish may make it.
                    editable=staff.can(PUBLISH if published else EDIT, slug), can_publish=staff.can(PUBLISH, slug))

    def save(self, req, resp, services, staff, unit: dict, procedure: dict | None):
        """Save the procedure as typed; any refusal shows the form again as it was typed."""
        form = self.submitted(req)
        values = {name: form.get(name) for name in FIELDS}
        version = form_version(form)
        shown = {"staff": staff, "unit": unit, "procedure": procedure, "values": values, "version": version}
        if not form.trusted:
            resp.status = falcon.HTTP_403
            return self.show(req, resp, **shown, expired=True)
        try:
            if procedure is None:
                saved = services.content.create_procedure(staff.actor, unit["slug"], fields_of(values))
            else:
                saved = services.content.update_procedure(staff.actor, procedure["id"],
                                                          {**fields_of(values), "version": version})
        except InvalidInput as error:
            resp.status = falcon.HTTP_422
            problems = {("papers" if name == "papers_html" else name): problem
                        for name, problem in error.fields.items()}
            return self.show(req, resp, **shown, problems=problems)
        except Conflict as error:
            resp.status = falcon.HTTP_409
            if procedure is None or error.current_version == version:
                return self.show(req, resp, **shown, problems={"name": "taken"})
            # Someone saved meanwhile: what was typed stays, based on their version.
            return self.show(req, resp, **{**shown, "version": error.current_version}, conflict=True)
        see_other(resp, done_path(procedure_path(unit["slug"], saved["id"]), "luu"))


class NewProcedure(ProcedureForm):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
        self.show(req, resp, staff, unit, None, values_of(None, unit))

    def on_post(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
            self.save(req, resp, services, staff, unit, None)


class EditProcedure(ProcedureForm):
    def on_get(self, req, resp, unit, procedure_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
            procedure = owned(unit, "procedure",
                              lambda: services.content.get_procedure_draft(staff.actor, procedure_id))
        self.show(req, resp, staff, unit, procedure, values_of(procedure, unit), done=done_step(req))

    def on_post(self, req, resp, unit, procedure_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=EDIT)
            procedure = owned(unit, "procedure",
                              lambda: services.content.get_procedure_draft(staff.actor, procedure_id))
            if procedure["status"] == "published":
                self.require(staff, PUBLISH, unit["slug"])
            self.save(req, resp, services, staff, unit, procedure)


class ProcedureStep(ProcedureForm):
    """Publishing a draft (`dang`) or withdrawing a published procedure (`rut`), by who may publish."""

    def __init__(self, rpc, templates, settings, step: str):
        super().__init__(rpc, templates, settings)
        self.step = step
        self.method = {"dang": "publish_procedure", "rut": "withdraw_procedure"}[step]

    def on_post(self, req, resp, unit, procedure_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs=PUBLISH)
            procedure = owned(unit, "procedure",
                              lambda: services.content.get_procedure_draft(staff.actor, procedure_id))
            form = self.submitted(req)
            shown = (staff, unit, procedure, values_of(procedure, unit))
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, *shown, expired=True)
            try:
                getattr(services.content, self.method)(staff.actor, procedure["id"],
                                                       data={"version": form_version(form)})
            except Conflict:
                # Done meanwhile, or changed since the page was opened: the page shows it as it is now.
                resp.status = falcon.HTTP_409
                return self.show(req, resp, *shown, problems={self.step: "conflict"})
        see_other(resp, done_path(procedure_path(unit["slug"], procedure["id"]), self.step))

"""A unit's administrative procedures ("thủ tục hành chính"): the list by field, and each one
with the link to file it online.

    /{unit}/thu-tuc-hanh-chinh?linh-vuc=ho-tich
    /{unit}/thu-tuc-hanh-chinh/{id}

The field filter is a plain GET form, so a field's list is a link that can be shared and works
without JavaScript.
"""
from __future__ import annotations

import falcon

from gateway.resources.base import Page, unit_frame
from services.common.errors import InvalidInput

FIELD_PARAMETER = "linh-vuc"


class ProcedureListPage(Page):
    def on_get(self, req, resp, unit):
        field = (req.get_param(FIELD_PARAMETER) or "").strip()
        problems = {}
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            try:
                listing = services.content.list_procedures(unit, field or None)
            except InvalidInput as error:
                problems = error.fields
                resp.status = falcon.HTTP_422
                listing = services.content.list_procedures(unit)
        if field and listing["field"] is None and not problems:
            resp.status = falcon.HTTP_404  # a field the unit has no procedures in: nothing to list
        self.render(req, resp, "procedures.html", listing=listing, field=field, problems=problems,
                    groups=grouped(listing["procedures"]), **frame)


class ProcedurePage(Page):
    def on_get(self, req, resp, unit, procedure_id):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            procedure = services.content.get_procedure(unit, procedure_id)
        self.render(req, resp, "procedure.html", procedure=procedure, **frame)


def grouped(procedures: list[dict]) -> list[tuple[str, list[dict]]]:
    """The procedures, already in field order, as (field, its procedures)."""
    groups: list[tuple[str, list[dict]]] = []
    for procedure in procedures:
        if not groups or groups[-1][0] != procedure["field"]:
            groups.append((procedure["field"], []))
        groups[-1][1].append(procedure)
    return groups

"""A unit's legal documents ("văn bản"): the search form with its results, and each document.

    /{unit}/van-ban?so-ky-hieu=&loai=&co-quan=&tu-ngay=&den-ngay=&tu-khoa=&trang=
    /{unit}/van-ban/{id}

The form is a plain GET, so a search is a link that can be shared and works without
JavaScript. The content service judges the criteria; what it rejects is redisplayed with
the form, named by the control that fixes it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from urllib.parse import urlencode

import falcon

from gateway.paging import PAGE_PARAMETER, page_or_first, pagination
from gateway.resources.base import Page, unit_frame
from gateway.vietnam_time import iso_date
from services.common.errors import InvalidInput

PER_PAGE = 20


@dataclass(frozen=True)
class DocumentQuery:
    """The search as the query string states it; each field's metadata names its parameter."""

    number: str = ""
    type: str = ""
    issuer: str = ""
    issued_from: str = ""
    issued_to: str = ""
    text: str = ""
    page: int = 1

    PARAMETERS = {"number": "so-ky-hieu", "type": "loai", "issuer": "co-quan", "issued_from": "tu-ngay",
                  "issued_to": "den-ngay", "text": "tu-khoa"}

    @classmethod
    def read(cls, req) -> DocumentQuery:
        given = {name: (req.get_param(parameter) or "").strip() for name, parameter in cls.PARAMETERS.items()}
        return cls(**given, page=page_or_first(req))

    def search_arguments(self, unit: str) -> dict:
        criteria = {name: value for name, value in asdict(self).items() if name in self.PARAMETERS}
        for name in ("issued_from", "issued_to"):
            criteria[name] = iso_date(criteria[name])  # 31/12/2026 as typed, or 2026-12-31 from a date picker
        return {"unit": unit, **criteria, "skip": (self.page - 1) * PER_PAGE, "limit": PER_PAGE}

    def url(self, unit: str, **changes) -> str:
        query = replace(self, **changes)
        params = [(self.PARAMETERS[f.name], getattr(query, f.name)) for f in fields(self)
                  if f.name in self.PARAMETERS and getattr(query, f.name)]
        if query.page != 1:
            params.append((PAGE_PARAMETER, query.page))
        return f"/{unit}/van-ban" + ("?" + urlencode(params) if params else "")

    @property
    def narrowed(self) -> bool:
        return any(getattr(self, name) for name in self.PARAMETERS)


class DocumentSearchPage(Page):
    def on_get(self, req, resp, unit):
        query = DocumentQuery.read(req)
        results, problems = None, {}
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            try:
                results = services.content.search_documents(**query.search_arguments(unit))
            except InvalidInput as error:
                problems = error.fields
                resp.status = falcon.HTTP_422
        pages = pagination(query.page, PER_PAGE, results["total"]) if results else None
        self.render(req, resp, "documents.html", query=query, results=results, problems=problems, pages=pages,
                    **frame)


class DocumentPage(Page):
    def on_get(self, req, resp, unit, document_id):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            document = services.content.get_document(unit, document_id)
            # The disclosure section it is filed under, named as the unit's list of sections names it.
            section = next((section for section in services.content.disclosure_sections(unit)
                            if section["key"] == document["section"]), None) if document["section"] else None
        self.render(req, resp, "document.html", document=document, section=section, **frame)

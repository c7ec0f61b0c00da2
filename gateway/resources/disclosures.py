"""A unit's disclosures ("công khai thông tin"): the sections its level owes, and each section's
documents by year of issue.

    /{unit}/cong-khai                 the sections, each with its legal source, count and newest date
    /{unit}/cong-khai/{key}?nam=&trang=   one section's documents, newest issued first

The year is chosen in a plain GET form, so a filtered list is a link that can be shared. A
section the unit's level does not owe has no page (404), as an unknown one; a year that is no
year is a 400 shown with the form, so the reader can choose again.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

import falcon

from gateway.paging import PAGE_PARAMETER, page_or_first, pagination
from gateway.resources.base import Page, unit_frame
from services.common.errors import InvalidInput

PER_PAGE = 20
YEAR_PARAMETER = "nam"
_YEAR = re.compile(r"[0-9]{4}")


def year_asked(req) -> tuple[int | None, bool]:
    """`?nam=YYYY`: the year, or None for every year; False beside it when what was given is no year."""
    raw = (req.get_param(YEAR_PARAMETER) or "").strip()
    if not raw:
        return None, True
    return (int(raw), True) if _YEAR.fullmatch(raw) else (None, False)


def section_url(path: str, year: int | None, page: int = 1) -> str:
    params = ([(YEAR_PARAMETER, year)] if year else []) + ([(PAGE_PARAMETER, page)] if page != 1 else [])
    return path + ("?" + urlencode(params) if params else "")


class DisclosureIndex(Page):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            sections = services.content.disclosure_sections(unit)
        self.render(req, resp, "disclosures.html", sections=sections, **frame)


class DisclosureSection(Page):
    def on_get(self, req, resp, unit, key):
        year, well_formed = year_asked(req)
        page = page_or_first(req)
        problems = {} if well_formed else {"year": "not a year"}
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            if not problems:
                try:
                    listing = services.content.list_disclosures(unit, key, year, (page - 1) * PER_PAGE, PER_PAGE)
                except InvalidInput as error:
                    problems = error.fields
            if problems:
                # The section and its years for the form; its documents are not shown under a bad filter.
                resp.status = falcon.HTTP_400
                listing = {**services.content.list_disclosures(unit, key, None, 0, 1), "documents": []}
        pages = None if problems else pagination(page, PER_PAGE, listing["total"])
        self.render(req, resp, "disclosure.html", section=listing["section"], listing=listing, year=year, page=page,
                    pages=pages, problems=problems, section_url=section_url, **frame)

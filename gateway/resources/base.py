"""What every rendered page shares: the template call and the frame of a unit's site."""
from __future__ import annotations

import re

import falcon

from gateway import preferences
from gateway.errors import PortalHTTPError

_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() would also take '٣' and '３'


def whole_number(req, name: str, default: int | None = None) -> int | None:
    """An optional whole-number parameter (`default` when absent or empty); anything else is a
    422 naming it. Its range is the service's to judge."""
    raw = req.get_param(name)
    if raw is None or raw.strip() == "":
        return default
    if not _WHOLE_NUMBER.fullmatch(raw.strip()):
        raise PortalHTTPError(422, f"{name} must be a whole number", {name: "must be a whole number"})
    return int(raw)


def current_unit(services, slug: str, req) -> dict:
    """The unit, if it still stands; a merged unit's address moves to its successor's (301),
    a dissolved unit's is gone (410)."""
    unit = services.content.get_unit(slug)
    if unit["status"] == "merged":
        successor = services.content.resolve_unit(slug)["slug"]
        query = "?" + req.query_string if req.query_string else ""
        raise falcon.HTTPMovedPermanently("/" + successor + req.path[len(slug) + 1:] + query)
    if unit["status"] == "dissolved":
        raise PortalHTTPError(410, f"Unit {slug!r} was dissolved")
    return unit


def unit_frame(services, slug: str, req, lang: str = "vi") -> dict:
    """The context `unit_base.html` needs around any page of a unit's site: the unit (banner, and
    its footer as the content service reads it), its categories and its static pages (the menu)."""
    unit = current_unit(services, slug, req)
    return {
        "unit": unit, "categories": services.content.list_categories(slug),
        "menu_pages": services.content.list_pages(slug, lang),
    }


class Page:
    """A resource that answers with HTML rendered from a template."""

    def __init__(self, rpc, templates):
        self.rpc = rpc
        self.templates = templates

    def render(self, req, resp, template: str, **context):
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self.templates.get_template(template).render(
            prefs=preferences.from_request(req), request_path=req.path, return_to=req.relative_uri, **context)

"""A unit's static pages (introduction, functions and duties, organisation chart, leaders,
contacts and any page of its own) in Vietnamese and English, and its HTML site map."""
from __future__ import annotations

import falcon

from gateway.request_ids import request_id_of
from gateway.resources.base import Page, unit_frame
from services.common.errors import NotFound

LANGUAGES = ("vi", "en")


def page_path(unit: str, key: str, lang: str) -> str:
    """`/{unit}/gioi-thieu/{key}` in Vietnamese, `/{unit}/en/{key}` in English."""
    return f"/{unit}/{'gioi-thieu' if lang == 'vi' else 'en'}/{key}"


class StaticPage(Page):
    """One static page in one language (`lang`), with a link to its other language."""

    def __init__(self, rpc, templates, lang: str):
        super().__init__(rpc, templates)
        self.lang = lang
        self.other_lang = next(other for other in LANGUAGES if other != lang)

    def on_get(self, req, resp, unit, key):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req, lang=self.lang)
            try:
                page = services.content.get_page(unit, key, self.lang)
            except NotFound:
                # The unit stands but the page is not there in this language: say so in that
                # language, and point to the other one if the page exists there.
                others = services.content.list_pages(unit, self.other_lang)
                other = next((p for p in others if p["key"] == key), None)
                required = required_page(services, frame["unit"]["level"], key, self.lang)
                if required is not None:
                    # A page the law asks every site of its level to carry is a section of the site
                    # even while empty: it says so honestly rather than "not found".
                    self.render(req, resp, "static_page_empty.html", lang=self.lang, required=required,
                                other_page=other, other_path=page_path(unit, key, self.other_lang), **frame)
                    return
                resp.status = falcon.HTTP_404
                resp.cache_control = ["no-store"]
                self.render(req, resp, "static_page_missing.html", lang=self.lang, other_page=other,
                            other_path=page_path(unit, key, self.other_lang), request_id=request_id_of(req), **frame)
                return
        other_path = page_path(unit, key, self.other_lang) if self.other_lang in page["languages"] else None
        self.render(req, resp, "static_page.html", page=page, lang=self.lang, other_path=other_path, **frame)


def required_page(services, level: str, key: str, lang: str) -> dict | None:
    """The required item (required_sections.toml) that is this page for a unit of `level`, if any."""
    check = "page" if lang == "vi" else "page_en"
    for item in services.content.required_sections(level)["items"]:
        if item["check"] == check and item["path"].rsplit("/", 1)[-1] == key:
            return item
    return None


class SiteMap(Page):
    """`/{unit}/so-do-trang`: every section of the unit's site, as Circular 32/2017 asks."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            english_pages = services.content.list_pages(unit, "en")
            owed = services.content.required_sections(frame["unit"]["level"])["items"]
        self.render(req, resp, "site_map.html", english_pages=english_pages, required=required_by_group(owed, unit),
                    **frame)


def required_by_group(items: list[dict], unit: str) -> list[dict]:
    """[{"group", "items"}]: the sections the law asks of the unit's level, each address once."""
    groups: dict[str, list[dict]] = {}
    seen = set()
    for item in items:
        path = item["path"].replace("{unit}", unit)
        if path not in seen:
            seen.add(path)
            groups.setdefault(item["group"], []).append({**item, "path": path})
    return [{"group": group, "items": listed} for group, listed in groups.items()]

"""The revisions page (gateway/workspace/revisions.py) for static pages, categories, the unit
profile and leadership schedules: each with the content RPCs of its kind and the permission its
edit page asks for, which the service asks for again on every read and rollback."""
from __future__ import annotations

import ast
from datetime import datetime

from gateway.vietnam_time import LOCAL_TIME
from gateway.workspace.revisions import RevisedKind
from gateway.workspace.schedules import week_path
from services.common.errors import NotFound

LANGUAGES = ("vi", "en")  # a static page's languages, as the page's address names them


def _page(content, actor, unit: str, key: str, lang: str) -> dict:
    if lang not in LANGUAGES:  # not a language a page is written in: no such page, not a refused input
        raise NotFound(f"no page {key!r} in {lang!r}")
    return content.read_page(actor, unit, key, lang)


def _category(content, actor, unit: str, slug: str) -> dict | None:
    """The unit's category `slug` (the categories are read as the menu lists them)."""
    return next((category for category in content.list_categories(unit) if category["slug"] == slug), None)


def _unit(content, actor, unit: str) -> dict:
    return {**content.get_unit(unit), "unit": unit}


def _week(content, actor, unit: str, week: str) -> dict:
    """The week's working copy, titled as the week grid titles it ("tuần 49 năm 2026")."""
    year, number = week.split("-W")
    return {**content.get_schedule_draft(actor, unit, week), "title": f"tuần {int(number)} năm {year}"}


def _entry(field: str, line: str) -> str:
    """A schedule entry as its revision keeps it (a Python literal) said as the week grid says it:
    "23/11/2026 07:30–09:00 · leader: title · place"; its id, new on every save, left out."""
    try:
        entry = ast.literal_eval(line)
        start = datetime.fromisoformat(entry["start"]).astimezone(LOCAL_TIME)
        end = datetime.fromisoformat(entry["end"]).astimezone(LOCAL_TIME) if entry.get("end") else None
    except (ValueError, SyntaxError, TypeError, KeyError):
        return line
    when = f"{start:%d/%m/%Y %H:%M}" + (f"–{end:%H:%M}" if end else "")
    parts = [when, f"{entry.get('leader', '')}: {entry.get('title', '')}", entry.get("location") or "",
             entry.get("participants") or "", entry.get("preparer") or ""]
    return " · ".join(part for part in parts if part)


PAGE = RevisedKind(
    read=_page, history="page_history", diff="page_diff", rollback="rollback_page",
    ids=lambda unit, params: (unit, params["key"], params["lang"]), fields=("title", "body_html", "order"),
    html_fields=frozenset({"body_html"}), section="trang",
    back=lambda unit, params: f"/quan-tri/{unit}/trang/{params['key']}",
    permission="page.manage", noun="trang", view="page.manage",
)
CATEGORY = RevisedKind(
    read=_category, history="category_history", diff="category_diff", rollback="rollback_category",
    ids=lambda unit, params: (unit, params["slug"]), fields=("name", "name_en", "order"), html_fields=frozenset(),
    section="chuyen-muc", back=lambda unit, params: f"/quan-tri/{unit}/chuyen-muc/{params['slug']}",
    permission="category.manage", noun="chuyen-muc", view="category.manage",
)
UNIT = RevisedKind(
    read=_unit, history="unit_history", diff="unit_diff", rollback="rollback_unit",
    ids=lambda unit, params: (unit,), fields=("name", "name_en", "contact", "branding", "public_services_url",
                                             "managing_body", "licence", "information_contact"),
    html_fields=frozenset(), section="don-vi", back=lambda unit, params: f"/quan-tri/{unit}/don-vi",
    permission="unit.profile", noun="don-vi", view="unit.profile",
)
WEEK = RevisedKind(
    read=_week, history="schedule_history", diff="schedule_diff", rollback="rollback_schedule",
    ids=lambda unit, params: (unit, params["week"]), fields=("entries",), html_fields=frozenset(),
    section="lich-cong-tac", back=lambda unit, params: week_path(unit, params["week"]),
    permission="schedule.edit", noun="lich-cong-tac", view="schedule.edit", said=_entry,
)

"""The two homes, laid out as a government portal's: first what matters most (the banner with who
runs the site, the lead story with its picture, the newest news, the way to the online public
services), then the news in blocks by category, the week's leadership schedule, the newest
documents and answers to citizens, and the way to the other units' sites.

`/` is the portal's home: the province's site, with the newest news of every unit and the whole
directory "Liên kết website"; `/{unit}` is a unit's home, which links to the units above and
below it and searches the directory. Both are cached (gateway/page_cache.py): any content event
of a unit (an article, a schedule, a document, an answer) makes its home stale, and the
portal's home with it; the page cache's key holds the current week, for the schedule block.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from gateway.resources.base import Page, unit_frame
from gateway.resources.pages import cover_image
from gateway.resources.ranking import current_rank
from gateway.resources.static_pages import page_path
from gateway.unit_names import distinct_names
from gateway.unit_tree import district_directory, province
from gateway.vietnam_time import this_week
from services.common.errors import NotFound

FEATURED = 3  # the lead story, with its picture, and two more titles beside it
LATEST = 8
PER_CATEGORY = 4  # titles in each category's block
DOCUMENTS = 5
ANSWERS = 5
SCHEDULE_ON_HOME = 8  # entries of this week shown; the rest a click away
MAX_UNIT_QUERY = 100
INTRODUCTION = "gioi-thieu"  # the static page an English reader is sent to first


def home_blocks(services, unit: str) -> dict:
    """What both homes show of `unit`, one RPC a block. The lead story is the newest featured
    one, or the newest of all when none is featured: a home always leads with a story."""
    week, monday = this_week()
    featured = services.content.latest_articles(unit, FEATURED, featured=True, with_total=False)["articles"]
    recent = services.content.latest_articles(unit, LATEST + len(featured) + 1, with_total=False)["articles"]
    featured = featured or recent[:1]
    shown = {article["id"] for article in featured}
    schedule = published_schedule(services, unit, week)
    entries = sorted(schedule["entries"], key=lambda entry: entry["start"]) if schedule else []
    english = services.content.list_pages(unit, "en")
    return {
        "featured": featured,
        "lead_cover": cover_image(services, featured[0]["cover"]) if featured else None,
        "latest": [article for article in recent if article["id"] not in shown][:LATEST],
        "category_news": [block for block in services.content.latest_by_category(unit, PER_CATEGORY)
                          if block["articles"]],
        "week_start": monday.isoformat(), "week_end": (monday + timedelta(days=6)).isoformat(),
        "schedule_days": by_day(entries[:SCHEDULE_ON_HOME]), "more_entries": len(entries) > SCHEDULE_ON_HOME,
        "documents": services.content.search_documents(unit=unit, limit=DOCUMENTS)["documents"],
        "answers": services.content.list_questions(unit, limit=ANSWERS)["questions"],
        "english_page": next((page for page in english if page["key"] == INTRODUCTION), next(iter(english), None)),
    }


def unit_query_of(req) -> str:
    """What the directory's form (?don-vi=) asks for."""
    return (req.get_param("don-vi") or "").strip()[:MAX_UNIT_QUERY]


class HomePage(Page):
    """`/`: the province's site as the portal's home, with the newest news of every unit and the
    directory "Liên kết website", which a plain GET form (?don-vi=) narrows by name, with or
    without Vietnamese marks."""

    def on_get(self, req, resp):
        unit_query = unit_query_of(req)
        with self.rpc.services() as services:
            levels = services.content.list_levels()
            units = services.content.list_units()
            active = [unit for unit in units if unit["status"] == "active"]
            top = province(levels, active)
            blocks = home_blocks(services, top["slug"]) if top else {}
            everywhere = services.content.latest_articles(None, LATEST, with_total=False)["articles"]
            categories = services.content.list_categories(top["slug"]) if top else []
        directory = district_directory(active, top, unit_query)
        self.render(req, resp, "home.html", province=top, categories=categories, everywhere=everywhere,
                    unit_names=distinct_names(units), directory=directory, unit_query=unit_query,
                    matches=len({unit["slug"] for group in directory for unit in group["units"]}), **blocks)


class UnitPage(Page):
    """`/{unit}`: the unit's home. The rank shown is the one when the page was rendered, and is
    left out when ranking cannot tell it."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            blocks = home_blocks(services, unit)
            below = services.content.list_units(parent=unit, status="active", sort="name")
            parent = parent_unit(services, frame["unit"])
        english = blocks["english_page"]
        self.render(req, resp, "unit.html", below=below, parent=parent, rank=current_rank(self.rpc, unit),
                    english_path=page_path(unit, english["key"], "en") if english else None, **blocks, **frame)


def parent_unit(services, unit: dict) -> dict | None:
    """The unit above `unit`, if it still exists: the home links to it."""
    if not unit["parent"]:
        return None
    try:
        return services.content.get_unit(unit["parent"])
    except NotFound:
        return None


def published_schedule(services, unit: str, week: str) -> dict | None:
    try:
        return services.content.get_schedule(unit, week)
    except NotFound:
        return None


def by_day(entries: list[dict]) -> list[dict]:
    """Schedule entries (in time order, in local time) by day: [{"day": "2026-06-01", "weekday": 0
    for Monday … 6, "entries": [{..., "time": "08:00"}]}]; the template names the weekdays."""
    days: list[dict] = []
    for entry in entries:
        start = datetime.fromisoformat(entry["start"])
        if not days or days[-1]["day"] != start.date().isoformat():
            days.append({"day": start.date().isoformat(), "weekday": start.weekday(), "entries": []})
        days[-1]["entries"].append({**entry, "time": start.strftime("%H:%M")})
    return days

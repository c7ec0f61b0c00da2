"""A unit's dashboard: what needs doing today, and the chooser of units for people in several.

The dashboard asks content once for everything waiting for the person (workspace_summary) and
ranking once for the unit's provisional standing this month. The ranking block is an extra: a
ranking service that does not answer leaves it saying there are no figures, never a failed page.
"""
from __future__ import annotations

import logging

from gateway.resources.ranking import level_name
from gateway.visits import FAILURES
from gateway.workspace.base import Workspace
from services.common.errors import NotFound, PortalError
from services.common.vietnamese import folded_phrase, sort_key

log = logging.getLogger(__name__)

GAINS = 3  # the criteria that would gain the most points, as the dashboard lists them
FILTER = "loc"  # the chooser's filter field (?loc=phu vang)


# Where staff add or refresh each kind of required item (required_sections.toml's checks); a
# kind whose desk is elsewhere links to its place on the public site.
FIX_PATHS = {
    "page": "/quan-tri/{unit}/trang", "page_en": "/quan-tri/{unit}/trang", "profile": "/quan-tri/{unit}/don-vi",
    "public_services": "/quan-tri/{unit}/don-vi", "articles": "/quan-tri/{unit}/bai-viet",
    "schedule": "/quan-tri/{unit}/lich-cong-tac", "documents": "/quan-tri/{unit}/van-ban/moi",
    "disclosure": "/quan-tri/{unit}/van-ban/moi", "questions": "/quan-tri/{unit}/hoi-dap",
}


class Dashboard(Workspace):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            summary = services.content.workspace_summary(staff.actor, unit["slug"])
        self.render(req, resp, "workspace/dashboard.html", staff=staff, unit=unit, summary=summary,
                    standing=provisional_standing(self.rpc, unit["slug"]),
                    lacking=lacking_sections(self.rpc, unit["slug"]))


def lacking_sections(rpc, unit: str) -> list[dict] | None:
    """The unit's required items missing or out of date, each with `fix`: where staff see to it
    (an existing page that is out of date, at its own editor). None when content cannot say."""
    try:
        with rpc.services() as services:
            report = services.content.conformance(unit)
    except (*FAILURES, PortalError) as error:
        log.warning("conformance of %s not shown on its dashboard: %s", unit, error)
        return None
    lacking = []
    for item in report["items"]:
        if item["status"] == "present":
            continue
        fix = FIX_PATHS.get(item["check"], item["path"]).replace("{unit}", unit)
        if item["check"] in ("page", "page_en") and item["status"] == "out_of_date":
            fix = f"/quan-tri/{unit}/trang/{item['target']}"
        lacking.append({**item, "fix": fix})
    return lacking


def provisional_standing(rpc, unit: str) -> dict | None:
    """The unit's place and score this month with the criteria that would gain it the most
    points; None when the unit is not ranked yet or the ranking service cannot say."""
    try:
        with rpc.services() as services:
            standing = services.ranking.unit_standing(unit)
    except NotFound:
        return None
    except (*FAILURES, PortalError) as error:
        log.warning("ranking of %s not shown on its dashboard: %s", unit, error)
        return None
    gains = sorted((criterion for criterion in standing["criteria"] if criterion["points"] < criterion["maximum"]),
                   key=lambda criterion: criterion["points"] - criterion["maximum"])
    return {**standing, "gains": [{**criterion, "gain": criterion["maximum"] - criterion["points"]}
                                  for criterion in gains[:GAINS]]}


def unit_choices(units: list[dict], levels: list[dict], asked: str) -> list[dict]:
    """The units a person may choose, grouped by level from the top of the tree down and in
    Vietnamese order within each, keeping those whose name or address holds `asked` (with or
    without diacritics)."""
    wanted = folded_phrase(asked)
    kept = [unit for unit in units if wanted in folded_phrase(unit["name"]) or wanted in unit["slug"].replace("-", " ")]
    order = {level["slug"]: level["order"] for level in levels}
    groups = []
    for slug in sorted({unit["level"] for unit in kept}, key=lambda slug: (slug not in order, order.get(slug, 0))):
        groups.append({"level": slug, "name": level_name(levels, slug),
                       "units": sorted((unit for unit in kept if unit["level"] == slug),
                                       key=lambda unit: sort_key(unit["name"]))})
    return groups

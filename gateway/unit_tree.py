"""The units' tree as the portal shows it: the unit at its top (the province), and the directory
"Liên kết website", where each district heads a group with its communes under it."""
from __future__ import annotations

import math
from collections.abc import Iterable

from services.common.vietnamese import folded_phrase, sort_key

MAX_TREE_DEPTH = 20  # how far down the tree is followed; a broken tree stops the walk, not the page


def province(levels: list[dict], units: list[dict]) -> dict | None:
    """The unit at the top of the tree (the province), whose site the portal's home is: of the
    units without a parent among `units`, the one of the highest level."""
    slugs = {unit["slug"] for unit in units}
    order = {level["slug"]: level["order"] for level in levels}
    tops = [unit for unit in units if unit["parent"] not in slugs]
    return min(tops, key=lambda unit: (order.get(unit["level"], math.inf), sort_key(unit["name"])), default=None)


def district_directory(units: list[dict], top: dict | None, unit_query: str = "") -> list[dict]:
    """The directory's groups: [{"head": unit or None, "units": [...]}]. The first group is the
    top unit with the units directly under it that have none of their own (departments, and
    communes once a district level is gone); then one group for each unit under the top that
    has units under it (a district), headed and led by it, with all those below it. Units
    outside the top's tree come last, in a group without a head. Inside a group, units follow
    Vietnamese alphabetical order (the head first); groups of districts are in that order too.

    Only units whose name contains `unit_query` (marks optional) are kept, and no empty group."""
    children: dict[str | None, list[dict]] = {}
    for unit in units:
        children.setdefault(unit["parent"], []).append(unit)
    placed: set[str] = set()
    groups = []
    if top is not None:
        direct = [child for child in children.get(top["slug"], []) if child["slug"] not in children]
        groups.append({"head": top, "units": [top, *_alphabetical(direct)]})
        districts = [child for child in children.get(top["slug"], []) if child["slug"] in children]
        groups += [{"head": district, "units": [district, *_alphabetical(_below(children, district))]}
                   for district in _alphabetical(districts)]
        placed = {unit["slug"] for group in groups for unit in group["units"]}
    groups.append({"head": None, "units": _alphabetical(unit for unit in units if unit["slug"] not in placed)})
    wanted = folded_phrase(unit_query)
    chosen = [{**group, "units": [unit for unit in group["units"] if wanted in folded_phrase(unit["name"])]}
              for group in groups]
    return [group for group in chosen if group["units"]]


def _below(children: dict[str | None, list[dict]], unit: dict) -> list[dict]:
    """Every unit under `unit`, however deep."""
    found, level = [], children.get(unit["slug"], [])
    for _ in range(MAX_TREE_DEPTH):
        if not level:
            break
        found += level
        level = [child for parent in level for child in children.get(parent["slug"], [])]
    return found


def _alphabetical(units: Iterable[dict]) -> list[dict]:
    return sorted(units, key=lambda unit: sort_key(unit["name"]))

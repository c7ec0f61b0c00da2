"""The name a list shows for each unit: its own name, or, where two units share a name (two
communes "Xã Hương Phong" in different districts), the name followed by its parent's, so a
reader can tell them apart: "Xã Hương Phong (Thị xã Hương Trà)"."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

MAX_ANCESTORS = 20  # how far up `parent` is followed; a broken tree stops the search, not the page


def distinct_names(units: Iterable[Mapping]) -> dict[str, str]:
    """{slug: display name} for every unit of `units` (dicts with slug, name and parent). A name
    that repeats gets its parent's name in brackets; if that still repeats (two same-named
    communes under same-named districts), the grandparent's follows, and so on up the tree.
    Names are compared as a reader would, ignoring case and extra spaces."""
    by_slug = {unit["slug"]: unit for unit in units}
    names = {slug: unit["name"] for slug, unit in by_slug.items()}
    ancestors = {slug: _ancestor_names(by_slug, unit) for slug, unit in by_slug.items()}
    for depth in range(1, MAX_ANCESTORS + 1):
        repeated = _repeated(names)
        if not repeated:
            break
        for slug in repeated:
            if len(ancestors[slug]) >= depth:
                names[slug] = f"{by_slug[slug]['name']} ({', '.join(ancestors[slug][:depth])})"
    return names


def _repeated(names: dict[str, str]) -> list[str]:
    counts = Counter(_compared(name) for name in names.values())
    return [slug for slug, name in names.items() if counts[_compared(name)] > 1]


def _compared(name: str) -> str:
    return " ".join(name.casefold().split())


def _ancestor_names(by_slug: dict[str, Mapping], unit: Mapping) -> list[str]:
    """The names of the unit's parent, grandparent, … as far as they are among the units."""
    found, seen = [], {unit["slug"]}
    parent = by_slug.get(unit.get("parent") or "")
    while parent is not None and parent["slug"] not in seen and len(found) < MAX_ANCESTORS:
        found.append(parent["name"])
        seen.add(parent["slug"])
        parent = by_slug.get(parent.get("parent") or "")
    return found

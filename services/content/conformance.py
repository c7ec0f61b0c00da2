"""Conformance: whether each unit's site carries every item the law asks of its level
(services/content/required_sections.toml), from what the content database holds now.

Each owed item is "present", "missing" or "out_of_date" (its newest entry is older than the
item's `fresh_days`). Only what the public can see counts: published pages, articles, weeks,
documents, answers, procedures and drafts put out for comment. A kind whose collection is still
empty, or a profile field never filled, is simply missing; the managing body, the contact point
for information requests and the public services address count as the unit's footer shows
them, taken from the units above where the unit left them empty.

One unit's report reads its entries afresh. The province's report judges every unit from the
facts kept of it between reports (conformance_facts.py: the newest entry of each kind, marked
stale by the outbox in the transaction of every change to the unit's material) and recomputes
only the stale units: each in turn when they are few, all at once with one aggregation per
kind, grouped by unit, when many are (after a load). Profiles are read afresh every time.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field

from services.common.rpc import rpc
from services.common.schemas import Output
from services.content import required_sections
from services.content.conformance_facts import FactsLedger
from services.content.database import aware, iso, now
from services.content.units.store import site_footer

PRESENT, MISSING, OUT_OF_DATE = "present", "missing", "out_of_date"
STATUSES = (PRESENT, MISSING, OUT_OF_DATE)
MAX_TREE_DEPTH = 10  # as the units' tree allows
# Profile items the footer may take from the units above (services/content/units/store.py
# site_footer): they count as the footer shows them, as citizens see them.
FOOTER_FIELDS = ("managing_body", "information_contact")
# Past this share of the units stale, one pass over every unit costs less than one per stale unit.
GATHER_ALL_SHARE = 0.2
VALUED = ("managing_body", "public_services_url")  # footer entries given as {"value", "inherited_from"}


class ConformanceEntrypoints:
    @rpc
    def required_sections(self, level=None):
        """{"version", "items": [{"key", "title", "group", "source", "check", "levels", "fresh_days",
        "path" (with "{unit}")}]}: every item of the file, or those a `level` owes, in its order."""
        sections = required_sections.SECTIONS
        items = sections.items if level is None else sections.for_level(str(level))
        return {"version": sections.version, "items": [item.public() for item in items]}

    @rpc
    def conformance(self, unit):
        """One unit's report: {"unit", "name", "level", "level_name", "version", "computed_at",
        "owed", "present", "missing", "out_of_date", "score" (present share, 0..1), "items":
        [{"key", "title", "group", "source", "check", "target", "path", "status", "newest" (ISO time
        or None), "fresh_days"}]}. NotFound for an unknown unit."""
        return Conformance(self.content).of_unit(unit)

    @rpc
    def conformance_report(self):
        """Every active unit's counts: {"version", "computed_at", "units": [{"unit", "name",
        "level", "level_name", "parent", "owed", "present", "missing", "out_of_date", "score"}]
        in the tree's order of levels then by slug, "levels": [{"level", "level_name", "units",
        "owed", "present", "missing", "out_of_date", "score", "items": [{"key", "title",
        "units", "present"}]}]}."""
        return Conformance(self.content).report()


class Conformance:
    def __init__(self, content):
        self.content = content
        self.db = content.db
        self.sections = required_sections.SECTIONS

    def of_unit(self, slug: str) -> dict:
        unit = self.content.units.require(slug)
        facts = Facts(self.db, gather(self.db, [slug]))
        level_names = self._level_names()
        return {**self._unit_head(unit, level_names), "version": self.sections.version,
                **self._judged(unit, facts, now())}

    def report(self) -> dict:
        units = list(self.db["units"].find({"status": "active"}))
        facts = Facts(self.db, held_facts(self.db, [unit["_id"] for unit in units]))
        moment = now()
        level_names = self._level_names()
        order = {level: position for position, level in enumerate(level_names)}
        units.sort(key=lambda unit: (order.get(unit["level"], len(order)), unit["_id"]))
        rows, levels = [], {}
        for unit in units:
            judged = self._judged(unit, facts, moment)
            rows.append({**self._unit_head(unit, level_names), "parent": unit.get("parent"),
                         **{key: judged[key] for key in ("owed", *STATUSES, "score")}})
            level = levels.setdefault(unit["level"], {
                "level": unit["level"], "level_name": level_names.get(unit["level"], unit["level"]), "units": 0,
                "owed": 0, **{status: 0 for status in STATUSES}, "items": {}})
            level["units"] += 1
            for key in ("owed", *STATUSES):
                level[key] += judged[key]
            for item in judged["items"]:
                counted = level["items"].setdefault(item["key"], {"key": item["key"], "title": item["title"],
                                                                  "units": 0, "present": 0})
                counted["units"] += 1
                counted["present"] += item["status"] == PRESENT
        for level in levels.values():
            level["score"] = _share(level[PRESENT], level["owed"])
            level["items"] = list(level["items"].values())
        return {"version": self.sections.version, "computed_at": iso(moment), "units": rows,
                "levels": list(levels.values())}

    def _level_names(self) -> dict[str, str]:
        """{slug: name} in the tree's order, from the province down."""
        return {level["_id"]: level["name"] for level in self.db["levels"].find().sort([("order", 1), ("_id", 1)])}

    @staticmethod
    def _unit_head(unit: dict, level_names: dict) -> dict:
        return {"unit": unit["_id"], "name": unit["name"], "level": unit["level"],
                "level_name": level_names.get(unit["level"], unit["level"])}

    def _judged(self, unit: dict, facts: Facts, moment: datetime) -> dict:
        items = []
        for item in self.sections.for_level(unit["level"]):
            found, newest = facts.newest(item, unit)
            if not found:
                status = MISSING
            elif item.fresh_days and newest is not None and newest < moment - timedelta(days=item.fresh_days):
                status = OUT_OF_DATE
            else:
                status = PRESENT
            items.append({"key": item.key, "title": item.title, "group": item.group, "source": item.source,
                          "check": item.check, "target": item.target, "path": item.path_for(unit["_id"]),
                          "status": status, "newest": iso(newest), "fresh_days": item.fresh_days})
        counts = {status: sum(1 for item in items if item["status"] == status) for status in STATUSES}
        return {"computed_at": iso(moment), "owed": len(items), **counts,
                "score": _share(counts[PRESENT], len(items)), "items": items}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


class Facts:
    """The newest public entry of every kind, per unit (and per page or disclosure section), as
    `gather` finds them: {kind: {(unit, *group): newest}}."""

    def __init__(self, db, found: dict[str, dict[tuple, datetime | None]]):
        # Every unit, for what a footer takes from the units above (site_footer).
        self.tree = {doc["_id"]: doc for doc in db["units"].find({}, {
            "name": 1, "level": 1, "parent": 1, "public_services_url": 1, "managing_body": 1,
            "information_contact": 1})}
        self.found = dict(found)
        documents: dict = {}
        for (unit, _section), moment in found["sections"].items():
            documents[(unit,)] = max(filter(None, (documents.get((unit,)), moment)), default=None)
        self.found["documents"] = documents

    def newest(self, item, unit: dict) -> tuple[bool, datetime | None]:
        """(whether the unit has the item, the time of its newest entry when it has one)."""
        slug, check = unit["_id"], item.check
        if check in ("page", "page_en"):
            return _had(self.found["pages"], (slug, item.target, "vi" if check == "page" else "en"))
        if check == "disclosure":
            return _had(self.found["sections"], (slug, item.target))
        if check == "profile":
            footer = self._footer(unit)
            shown = footer[item.target] if item.target in FOOTER_FIELDS else _field(unit, item.target)
            return bool(_filled(shown)), None
        if check == "public_services":
            return bool(_filled(self._footer(unit)["public_services_url"])), None
        if check == "generated":
            return True, None
        return _had(self.found[{"schedule": "schedules"}.get(check, check)], (slug,))

    def _footer(self, unit: dict) -> dict:
        """The unit's footer as its site shows it: what it left empty taken from the units above."""
        above, parent = [], self.tree.get(unit.get("parent"))
        while parent is not None and len(above) < MAX_TREE_DEPTH:
            above.append(parent)
            parent = self.tree.get(parent.get("parent"))
        footer = site_footer(unit, above)
        return {name: (value.get("value") if name in VALUED else value) for name, value in footer.items()}


def _kinds() -> dict[str, tuple]:
    """{kind: (collection, what counts, what it is grouped by beside the unit, its moment)}."""
    page_keys = sorted({item.target for item in required_sections.SECTIONS.items
                        if item.check in ("page", "page_en")})
    return {
        "pages": ("pages", {"status": "published", "key": {"$in": page_keys}}, {"key": "$key", "lang": "$lang"},
                  "$updated_at"),
        "articles": ("articles", {"status": "published"}, {}, "$published_at"),
        "schedules": ("schedules", {"status": "published"}, {}, "$published.at"),
        "sections": ("documents", {"status": "published"}, {"section": "$section"}, "$published_at"),
        "questions": ("questions", {"status": "published"}, {}, "$published_at"),
        "procedures": ("procedures", {"status": "published"}, {}, {"$max": ["$updated_at", "$published_at"]}),
        "consultations": ("consultations", {"status": {"$in": ["open", "closed"]}}, {},
                          {"$max": ["$published_at", "$opens_at"]}),
    }


KINDS = _kinds()


def gather(db, units: list[str] | None = None) -> dict[str, dict[tuple, datetime | None]]:
    """{kind: {(unit, *group): newest}}: one aggregation per kind grouped by unit over every unit
    (None), or over each of `units` in turn (the stand-in scans a whole collection for a
    `unit: {$in: [...]}` but reads one unit's entries by its indexes)."""
    found: dict[str, dict] = {kind: {} for kind in KINDS}
    for scope in [{}] if units is None else [{"unit": unit} for unit in units]:
        for kind, (collection, match, by, moment) in KINDS.items():
            found[kind].update(_newest(db[collection], {**scope, **match}, {"unit": "$unit", **by}, moment))
    return found


def held_facts(db, units: list[str]) -> dict[str, dict[tuple, datetime | None]]:
    """What `gather` would find for these units, from the facts kept of each (conformance_facts.py),
    recomputing and keeping those of the units marked stale only."""
    ledger = FactsLedger(db)
    held = ledger.held()
    stale = [unit for unit in units if ledger.is_stale(held.get(unit))]
    found: dict[str, dict] = {kind: {} for kind in KINDS}
    for unit in units:
        if unit not in stale:
            for kind, rows in held[unit]["facts"].items():
                for *group, moment in rows:
                    found[kind][(unit, *group)] = aware(moment) if isinstance(moment, datetime) else None
    if stale:
        fresh = gather(db, None if len(stale) > len(units) * GATHER_ALL_SHARE else stale)
        kept: dict[str, dict] = {unit: {kind: [] for kind in KINDS} for unit in stale}
        for kind, newest in fresh.items():
            for (unit, *group), moment in newest.items():
                if unit in kept:
                    found[kind][(unit, *group)] = moment
                    kept[unit][kind].append([*group, moment])
        for unit in stale:
            ledger.save(unit, held.get(unit), kept[unit])
    return found


def _newest(collection, match: dict, by, moment) -> dict:
    """{group key: newest `moment`} over the documents `match` finds; a group key that is a
    dict comes back as the tuple of its values, in its order."""
    found = {}
    for doc in collection.aggregate([{"$match": match}, {"$group": {"_id": by, "newest": {"$max": moment}}}]):
        key = doc["_id"]
        if isinstance(by, dict):
            key = tuple((key or {}).get(name) for name in by)
        found[key] = aware(doc["newest"]) if isinstance(doc["newest"], datetime) else None
    return found


def _had(found: dict, key) -> tuple[bool, datetime | None]:
    return (key in found), found.get(key)


def _field(doc: dict, dotted: str):
    value = doc
    for name in dotted.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _filled(value) -> bool:
    if isinstance(value, dict):
        return any(_filled(part) for part in value.values())
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


# What the API documents (services/content/contract.py)

class ConformanceItem(Output):
    key: str
    title: str
    group: str
    source: str = Field(description="the legal text that requires the item")
    check: str = Field(description="how it is judged: page, page_en, profile, articles, disclosure, …")
    target: str | None = Field(description="the page, profile field or disclosure section the check looks at")
    path: str = Field(description="where the item lives on the unit's site")
    status: str = Field(description="present, missing or out_of_date")
    newest: str | None = Field(description="when its newest entry was published or changed, if it has dates")
    fresh_days: int = Field(description="older than this many days is out of date (0: never)")


class UnitConformance(Output):
    """What a unit's site carries of what the law asks of its level."""
    unit: str
    name: str
    level: str
    level_name: str
    version: str = Field(description="the version of the list of required sections")
    computed_at: str
    owed: int
    present: int
    missing: int
    out_of_date: int
    score: float = Field(description="the share of owed items present, 0 to 1")
    items: list[ConformanceItem]


class ConformanceRow(Output):
    unit: str
    name: str
    level: str
    level_name: str
    parent: str | None
    owed: int
    present: int
    missing: int
    out_of_date: int
    score: float


class LevelItemCount(Output):
    key: str
    title: str
    units: int = Field(description="units of the level that owe it")
    present: int = Field(description="of them, those that have it")


class LevelConformance(Output):
    level: str
    level_name: str
    units: int
    owed: int
    present: int
    missing: int
    out_of_date: int
    score: float
    items: list[LevelItemCount]


class ConformanceReport(Output):
    """Every active unit's conformance, and each level's totals."""
    version: str
    computed_at: str
    units: list[ConformanceRow]
    levels: list[LevelConformance]


API_OUTPUTS = (UnitConformance, ConformanceReport)

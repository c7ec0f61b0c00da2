"""The search index as the service's workers see it: domain methods over whichever engine holds
the index. Everything engine-neutral about answering a request happens here: synonyms, levels
resolved to units, facets by level, did-you-mean and the result shape."""
from __future__ import annotations

import html
import logging
import time
from dataclasses import dataclass, replace
from datetime import timedelta

from services.common.events import utcnow
from services.search import spelling
from services.search.core import (
    HIGHLIGHT_CHARS,
    AnyOf,
    Between,
    Completion,
    EnginePage,
    EngineQuery,
    Filter,
    Found,
    QueryText,
)
from services.search.documents import UNIT, IndexedDocument, UnitRecord, key, local_midnight
from services.search.engines.base import SearchEngine
from services.search.requests import SearchRequest, SuggestRequest
from services.search.synonyms import Synonyms
from services.search.text import fold, words

log = logging.getLogger(__name__)

# Did-you-mean is offered when a query finds fewer results than this.
SUGGEST_BELOW = 3
# How long an instance trusts the unit records it read; its own writes refresh them at once.
# (Other instances sharing an Elasticsearch cluster see a unit's new level within this.)
UNITS_FRESH_SECONDS = 5.0
# What an autocomplete suggestion carries: enough to show it and go straight to the item.
COMPLETION_FIELDS = ("title", "path", "type", "unit", "unit_name", "date")


@dataclass(frozen=True)
class Hit:
    id: str
    type: str
    unit: str
    unit_name: str
    unit_level: str | None
    category: str | None
    title: str
    summary: str
    path: str
    date: str
    published_at: str
    highlight: str  # HTML: matched words in HIGHLIGHT_TAGS, everything else escaped; may be ""
    snippet: str  # HTML to show under the title: the highlight, else the start of the summary

    @classmethod
    def build(cls, found: Found, units: dict[str, UnitRecord]) -> Hit:
        shown = dict(found.source)
        unit = units.get(shown["unit"])
        if unit:  # the unit's current name: units are renamed and merged
            shown["unit_name"] = unit.name
        return cls(**shown, unit_level=unit.level if unit else None, highlight=found.highlight,
                   snippet=found.highlight or _excerpt(shown["summary"]))


class ContentIndex:
    """Everything the content service publishes, searchable: articles, legal documents,
    leadership schedules and answered questions, plus each unit's level."""

    def __init__(self, engine: SearchEngine, synonyms: Synonyms):
        self._engine = engine
        self._synonyms = synonyms
        self._units: dict[str, UnitRecord] = {}
        self._units_read_at: float | None = None  # None: read them at the next request

    def apply(self, document: IndexedDocument, version: int) -> bool:
        """Index this version of a published item unless a newer one is already applied."""
        return self._put(document.key, version, document)

    def withdraw(self, type_: str, document_id: str, version: int) -> bool:
        """Hide an unpublished item from results, for good unless a newer version comes."""
        return self._put(key(type_, document_id), version, None)

    def apply_unit(self, document_id: str, version: int, unit: UnitRecord) -> bool:
        """Keep this version of a unit's record (its level and name) unless a newer one is kept."""
        applied = self._put(key(UNIT, document_id), version, unit)
        self._units_read_at = None
        return applied

    def search(self, request: SearchRequest) -> dict:
        units = self._unit_records()
        query = EngineQuery(
            text=QueryText.parse(request.query, self._synonyms), filters=_engine_filters(request, units),
            sort=request.sort, offset=request.offset, limit=request.per_page, now=utcnow())
        page = self._engine.search(query) if query.text.groups else EnginePage(total=0, found=[])
        return {
            "query": request.query,
            "total": page.total,
            "page": request.page,
            "per_page": request.per_page,
            "sort": request.sort,
            "filters": request.filters.as_dict(),
            "hits": [vars(Hit.build(found, units)) for found in page.found],
            "facets": _facets(page.facets, units),
            "suggestion": self._did_you_mean(query, page.total),
        }

    def suggest(self, request: SuggestRequest) -> dict:
        typed = [fold(word.text) for word in words(request.prefix)]
        finished = request.prefix.endswith(" ")
        found = []
        if typed:
            found = self._engine.complete(Completion(
                words=tuple(typed if finished else typed[:-1]), partial=None if finished else typed[-1],
                unit=request.unit, limit=request.limit))
        units = self._unit_records()
        shown = [Hit.build(each, units) for each in found]
        return {"prefix": request.prefix.strip(),
                "suggestions": [{name: getattr(hit, name) for name in COMPLETION_FIELDS} for hit in shown]}

    def _did_you_mean(self, query: EngineQuery, total: int) -> str | None:
        if total >= SUGGEST_BELOW:
            return None
        corrected = spelling.correct(query.text.text, self._engine.vocabulary)
        if corrected is None:
            return None
        corrected_query = replace(query, text=QueryText.parse(corrected, self._synonyms))
        return corrected if self._engine.count(corrected_query) > total else None

    def _unit_records(self) -> dict[str, UnitRecord]:
        if self._units_read_at is None or time.monotonic() - self._units_read_at >= UNITS_FRESH_SECONDS:
            self._units = {unit.slug: unit for unit in self._engine.units()}
            self._units_read_at = time.monotonic()
        return self._units

    def _put(self, key_: str, version: int, record) -> bool:
        applied = self._engine.put(key_, version, record)
        if not applied:
            log.info("ignored %s version %s: the index already holds that version or a newer one", key_, version)
        return applied


def _engine_filters(request: SearchRequest, units: dict[str, UnitRecord]) -> dict[str, Filter]:
    given = request.filters
    filters: dict[str, Filter] = {
        name: AnyOf(name, getattr(given, name)) for name in ("unit", "type", "category") if getattr(given, name)}
    if given.level:
        # Levels are data that change (the district level went in 2025): a level is the units
        # now at it, so items need no reindexing when a unit moves.
        filters["level"] = AnyOf("unit", tuple(sorted(slug for slug, unit in units.items()
                                                      if unit.level in given.level)))
    if given.start or given.end:
        filters["date"] = Between(
            start=local_midnight(given.start) if given.start else None,
            end=local_midnight(given.end) + timedelta(days=1) if given.end else None)
    return filters


def _facets(counted: dict[str, list[tuple[str, int]]], units: dict[str, UnitRecord]) -> dict[str, list[dict]]:
    levels: dict[str, int] = {}
    for slug, count in counted.get("level", []):
        if slug in units:
            levels[units[slug].level] = levels.get(units[slug].level, 0) + count
    facets = {
        "unit": [{"value": slug, "count": count, "name": units[slug].name if slug in units else None}
                 for slug, count in counted.get("unit", [])],
        "level": [{"value": level, "count": count} for level, count in levels.items()],
        "type": [{"value": value, "count": count} for value, count in counted.get("type", [])],
        "category": [{"value": value, "count": count} for value, count in counted.get("category", [])],
    }
    for entries in facets.values():
        entries.sort(key=lambda entry: (-entry["count"], entry["value"]))
    return facets


def _excerpt(text: str) -> str:
    if len(text) > HIGHLIGHT_CHARS:
        text = text[:HIGHLIGHT_CHARS].rsplit(" ", 1)[0] + "…"
    return html.escape(text)


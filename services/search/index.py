"""The search index as the service's workers see it: domain methods over whichever engine holds
the index. Everything engine-neutral about answering a request happens here: synonyms, levels
resolved to units, facets by level, did-you-mean and the result shape."""
from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cachetools import TTLCache

from services.common.events import Event, utcnow
from services.search import fallbacks, spelling
from services.search.core import (
    FEW_RESULTS,
    HIGHLIGHT_CHARS,
    RELAXED_WORDS,
    RELEVANCE,
    AnyOf,
    Between,
    Completion,
    EnginePage,
    EngineQuery,
    Filter,
    Found,
    Frequencies,
    NoneOf,
    QueryText,
)
from services.search.documents import (
    BEST_BET,
    TYPES,
    UNIT,
    BestBet,
    Record,
    UnitRecord,
    entry,
    key,
    local_midnight,
    pinned_query,
)
from services.search.engines.base import SearchEngine
from services.search.fallbacks import ALL_WORDS, SOME_WORDS, significant_words
from services.search.language import query_language
from services.search.requests import SearchRequest, SuggestRequest
from services.search.synonyms import Synonyms

if TYPE_CHECKING:
    from services.search.fillers import Fillers
from services.search.telex import folded_from_telex
from services.search.text import fold, words
from services.search.unit_names import UnitNames

log = logging.getLogger(__name__)

# How long an instance trusts the unit records and best bets it read; its own writes refresh
# them at once. (Other instances sharing an Elasticsearch cluster see changes within this.)
UNITS_FRESH_SECONDS = 5.0
# Results of the same request are kept until the index changes (its `revision`), as
# Elasticsearch's request cache is until a refresh; and at most this long, for recency.
RESULTS_KEPT = 5000
RESULTS_KEPT_SECONDS = 60.0
# Did you mean is offered when the correction finds more than this many times what the query did.
CLEARLY_MORE = 2
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
    best_bet: bool  # pinned first for this query by a platform admin
    duplicates: int  # how many other units' copies of this item matched too (shown once, as this hit)
    duplicate_units: list[str]  # the names of up to DUPLICATE_UNITS_NAMED of those units

    @classmethod
    def build(cls, found: Found, units: dict[str, UnitRecord], best_bet: bool = False) -> Hit:
        shown = dict(found.source)
        unit = units.get(shown["unit"])
        return cls(**shown | {"unit_name": _current_name(shown["unit"], shown["unit_name"], units)},
                   unit_level=unit.level if unit else None, highlight=found.highlight,
                   snippet=found.highlight or _excerpt(shown["summary"]), best_bet=best_bet,
                   duplicates=found.duplicates,
                   duplicate_units=[_current_name(slug, name, units) for slug, name in found.duplicate_units])


def _current_name(slug: str, stored: str, units: dict[str, UnitRecord]) -> str:
    """The unit's current name (units are renamed and merged), else the name the item was indexed with."""
    unit = units.get(slug)
    return unit.name if unit else stored


class ContentIndex:
    """Everything the content service publishes, searchable: articles, legal documents,
    leadership schedules, answered questions and static pages, plus each unit's level."""

    def __init__(self, engine: SearchEngine, synonyms: Synonyms, on_change: Callable[[], None] = lambda: None,
                 fillers: Fillers | None = None):
        """`on_change` runs after every change searches can see (see changes.py); `fillers`
        name the words of a question that need not match."""
        self._engine = engine
        self._synonyms = synonyms
        self._fillers = fillers
        self._on_change = on_change
        # While a reindex builds a new index, every change goes to it too (see rebuild.py).
        self._rebuilding: SearchEngine | None = None
        self._units: dict[str, UnitRecord] = {}
        self._unit_names = UnitNames([])
        self._best_bets: dict[str, list[str]] = {}  # pinned query -> keys of its items
        self._read_at: float | None = None  # None: read units and best bets at the next request
        self._results: TTLCache = TTLCache(maxsize=RESULTS_KEPT, ttl=RESULTS_KEPT_SECONDS)

    def apply_event(self, event: Event) -> bool:
        """Apply a contract event (an item published, updated or withdrawn, a unit's record)
        unless the index already holds its version or a newer one."""
        return self._put(*entry(event))

    def pin(self, query: str, type_: str, document_id: str, version: int) -> bool:
        best_bet_key, bet = self._best_bet(query, type_, document_id)
        return self._put(best_bet_key, version, bet)

    def unpin(self, query: str, type_: str, document_id: str, version: int) -> bool:
        best_bet_key, _ = self._best_bet(query, type_, document_id)
        return self._put(best_bet_key, version, None)

    def best_bets(self) -> list[dict]:
        """Every best bet: [{"query" (folded), "type", "id"}]."""
        found = ({"query": bet.query, **dict(zip(("type", "id"), bet.target.split(":", 1)))}
                 for bet in self._engine.best_bets())
        return sorted(found, key=lambda bet: (bet["query"], bet["type"], bet["id"]))

    def counts(self) -> dict[tuple[str, str], int]:
        """How many visible items of each (unit, type) the index holds, and (unit, "unit"): 1
        for each unit record."""
        counted = {(unit, type_): count for type_ in TYPES for unit, count in self._engine.counts(type_).items()}
        counted.update({(unit.slug, UNIT): 1 for unit in self._engine.units()})
        return counted

    def start_rebuild(self, new: SearchEngine) -> None:
        self._rebuilding = new

    def end_rebuild(self) -> None:
        self._rebuilding = None
        self._read_at = None
        self._on_change()

    @property
    def engine(self) -> SearchEngine:
        return self._engine

    def search(self, request: SearchRequest) -> dict:
        revision = self._engine.revision
        if revision is None:
            return self._search(request)
        key = (request, id(self._engine), revision)
        found = self._results.get(key)
        if found is None:
            found = self._results[key] = self._search(request)
        return found

    def _search(self, request: SearchRequest) -> dict:
        units = self._unit_records()
        text = QueryText.parse(request.query, self._synonyms, self._fillers, self._unit_names)
        query = EngineQuery(
            text=text, filters=_engine_filters(request, units), sort=request.sort, offset=request.offset,
            limit=request.per_page, now=utcnow(),
            # Only relevance order prefers the query's language.
            language=query_language(text.text, self._engine.marked) if request.sort == RELEVANCE else None)
        # Best bets open the results; the engine pages through the rest, without them.
        pinned = self._pinned(request.query, query)
        shown_pinned = pinned[request.offset:request.offset + request.per_page]
        rest = replace(query, offset=max(0, request.offset - len(pinned)),
                       limit=max(1, request.per_page - len(shown_pinned)),
                       filters={**query.filters, "best_bets": NoneOf("key", tuple(map(_key, pinned)))})
        page, match, as_typed, complete = self._answer(rest, len(pinned))
        found = page.found[:request.per_page - len(shown_pinned)]
        return {
            "query": request.query,
            "total": page.total + len(pinned),
            "page": request.page,
            "per_page": request.per_page,
            "sort": request.sort,
            "filters": request.filters.as_dict(),
            "match": match,
            "complete_matches": complete + len(pinned),
            "units_named": [{"slug": slug, "name": units[slug].name}
                            for slug in query.text.units_named if slug in units],
            "ignored_from": query.text.ignored_from,
            "hits": [vars(Hit.build(each, units, best_bet=True)) for each in shown_pinned]
                    + [vars(Hit.build(each, units)) for each in found],
            "facets": _facets(page.facets, units),
            "suggestion": self._did_you_mean(query, as_typed + len(pinned)),
        }

    def _answer(self, query: EngineQuery, pinned: int) -> tuple[EnginePage, str, int, int]:
        """The page of results, how they match, how many the query found as typed and how many
        have every word (misspelt ones loosened): every required word first; then, with few
        results, unknown words loosened (misspellings, telex); then, with still few, most words,
        the items with every word first."""
        if not query.text.groups:
            return EnginePage(total=0, found=[]), ALL_WORDS, 0, 0
        page = self._enough(query, pinned)
        as_typed = page.total
        if as_typed + pinned >= FEW_RESULTS:
            return page, ALL_WORDS, as_typed, as_typed
        frequencies = self._frequencies(query.text)
        loosened = fallbacks.loosened(query.text, frequencies)
        if loosened:
            query = replace(query, text=replace(query.text, loosened=loosened))
            found = self._enough(query, pinned)
            if found.total > page.total:
                page = found
        if significant_words(query.text) > 1:
            found = self._engine.search(replace(query, text=fallbacks.relaxed(query.text, frequencies)))
            only_counted = page.total and not page.found  # a long query's complete matches
            if found.total > page.total or only_counted:
                # The items with every word open the relaxed results: in their own order, when
                # they were searched for.
                complete_here = min(max(0, page.total - query.offset), len(page.found))
                found = replace(found, found=page.found[:complete_here] + found.found[complete_here:])
                return found, SOME_WORDS if found.total > page.total else ALL_WORDS, as_typed, page.total
        return page, ALL_WORDS, as_typed, page.total

    def _enough(self, query: EngineQuery, pinned: int) -> EnginePage:
        """The query's page of results; for a long question or a pasted paragraph, whose
        complete matches are few if any, only their count (cheaper than a scored search) while
        they are too few to answer: the relaxed query, which lists them first, then answers."""
        if significant_words(query.text) > RELAXED_WORDS:
            counted = EnginePage(total=self._engine.count(query), found=[])
            if counted.total + pinned < FEW_RESULTS:
                return counted
        return self._engine.search(query)

    def _frequencies(self, text: QueryText) -> Frequencies:
        """How common the query's words are, folded and as typed, and the words its telex
        leftovers spell."""
        terms = {term for group in text.groups for term in group.terms}
        terms |= {spelled for term in terms if (spelled := folded_from_telex(term))}
        terms |= {typed for group in text.groups for typed in group.as_typed}
        return self._engine.frequencies(sorted(terms))

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
        """A corrected query when this one, as typed, finds few results and the correction
        finds clearly more: more than twice as many (even if loosened matching already found
        them: the reader learns the spelling)."""
        if total >= FEW_RESULTS:
            return None
        corrected = spelling.correct(query.text.text, self._engine.vocabulary, self._engine.frequencies)
        if corrected is None:
            return None
        corrected_query = replace(query, text=QueryText.parse(corrected, self._synonyms, self._fillers,
                                                              self._unit_names))
        return corrected if self._engine.count(corrected_query) > CLEARLY_MORE * total else None

    def _pinned(self, text: str, query: EngineQuery) -> list[Found]:
        """The items pinned to this query that pass its filters, in the order pinned keys sort."""
        self._unit_records()
        keys = self._best_bets.get(pinned_query(text), [])
        found = {_key(each): each for each in self._engine.get(keys)
                 if all(_passes(each.source, restriction) for restriction in query.filters.values())}
        return [found[each] for each in keys if each in found]

    def _unit_records(self) -> dict[str, UnitRecord]:
        if self._read_at is None or time.monotonic() - self._read_at >= UNITS_FRESH_SECONDS:
            self._units = {unit.slug: unit for unit in self._engine.units()}
            self._unit_names = UnitNames(self._units.values())
            best_bets: dict[str, list[str]] = {}
            for bet in self._engine.best_bets():
                best_bets.setdefault(bet.query, []).append(bet.target)
            self._best_bets = {query: sorted(keys) for query, keys in best_bets.items()}
            self._read_at = time.monotonic()
        return self._units

    @staticmethod
    def _best_bet(query: str, type_: str, document_id: str) -> tuple[str, BestBet]:
        bet = BestBet(query=pinned_query(query), target=key(type_, document_id))
        return bet.key, bet

    def _put(self, key_: str, version: int, record: Record) -> bool:
        rebuilding = self._rebuilding  # read first: a rebuild starting after this replays the change
        applied = self._engine.put(key_, version, record)
        if rebuilding is not None:
            rebuilding.put(key_, version, record)
        if key_.startswith((f"{UNIT}:", f"{BEST_BET}:")):
            self._read_at = None
        if applied:
            self._on_change()
        else:
            log.info("ignored %s version %s: the index already holds that version or a newer one", key_, version)
        return applied


def _key(found: Found) -> str:
    return key(found.source["type"], found.source["id"])


def _passes(source: dict, restriction: Filter) -> bool:
    if isinstance(restriction, AnyOf):
        return source.get(restriction.field) in restriction.values
    moment = datetime.fromisoformat(source["date"])
    return ((restriction.start is None or moment >= restriction.start)
            and (restriction.end is None or moment < restriction.end))


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


"""What both engines share: the stored fields, the query an engine receives (already parsed,
expanded and resolved), the relevance rules and the shape of what an engine returns. Engines
translate these into their own queries; they decide nothing else.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING

from services.search.documents import ARTICLE, BEST_BET, TYPES, UNIT, BestBet, Record, UnitRecord
from services.search.synonyms import Synonyms
from services.search.text import fold, words

if TYPE_CHECKING:
    from services.search.fillers import Fillers
    from services.search.unit_names import UnitNames

# Bumped whenever the stored fields change: engines then open a fresh index (named with it),
# which the content service's replay refills, instead of failing on the old one.
LAYOUT_VERSION = 8

# Relevance. Every query word must appear in the item, accents optional (the folded fields);
# on top of that, words typed with the item's own accents (the exact fields) and adjacent
# syllables in the query's order ('điện tử', a phrase) score higher. The unit's names
# ('phu mau' finds Xã Phú Mậu's items) count least: an item naming the unit in its title or text
# ranks above one that is merely the unit's.
FIELD_BOOSTS = {"title": 3.0, "summary": 2.0, "body": 1.0, "unit_names": 0.5}
EXACT_BOOST = 2.0
PHRASE_BOOST = 2.0
# Words in order count for a query of at most this many words: a longer one (a citizen's whole
# question) is never found word for word, and its phrase would only cost time.
MAX_PHRASE_WORDS = 8
# A legal document's number in the query ('12/2026/QĐ-UBND', or its start '12/2026', alone or
# among other words) matches that document whatever the other words, and puts it first: above
# items that merely cite the number (an article repeating it in title and body, with recency,
# scores about 80 on the words) and above the words of a long query. Added as constants.
NUMBER_BOOST = 1000.0
NUMBER_PREFIX_BOOST = 500.0
# A query naming a unit ('khai sinh Hương Toàn') puts that unit's items, and those of the
# units under it, first: a constant added to their score, more than words alone ever give, so
# the named unit's matches come first in their own order and other units' follow.
UNIT_NAMED_BOOST = 1000.0
# In a relaxed query (a long question: 'tôi ở phường Vỹ Dạ, đăng ký thường trú ở đâu') the
# topic matters more than the place: the unit's items get only a little more.
RELAXED_UNIT_BOOST = 3.0
# No item with every word: the relaxed query asks for most of them (RELAXED_SHARE of the
# required groups, at least one), each scoring by its rarity as BM25 does; words in more than
# COMMON_SHARE of the items count for nothing there (they need not match).
RELAXED_SHARE = 0.25
# In a relaxed query the items with every word come first: above any unit the query names
# (UNIT_NAMED_BOOST) and any number it holds (a number found is never relaxed).
ALL_WORDS_BOOST = 2000.0
COMMON_SHARE = 0.2
# A query is searched by its first MAX_QUERY_WORDS words, as Google does (32), and the answer names
# the first word left out: a pasted paragraph then costs no more than a long question (whose
# words are far fewer), and the page says where the search stopped. The relaxed query asks for
# the RELAXED_WORDS rarest words.
MAX_QUERY_WORDS = 32
RELAXED_WORDS = 12
# Adjacent counted words of a relaxed query score more together, as a phrase: at most this many
# pairs, the first in the query (each is a phrase query, which costs more than a word).
RELAXED_PAIRS = 6
# Misspellings: a query finding fewer than FEW_RESULTS is run again with each word that no
# visible item holds as typed (and has FUZZY_MIN_LETTERS letters or more) also matching the
# indexed words one edit away (a swap of two neighbours counts once) that share its first
# FUZZY_PREFIX letters ('dien tuu' finds 'điện tử', 'phong chong luc bao' 'lụt bão'), and the
# word a telex leftover spells ('chuyeenr' finds 'chuyển'; see telex.py). Words the index knows
# are taken as meant: Vietnamese syllables are short and most have neighbours, so loosening
# them too would only add noise. A neighbour scores NEIGHBOUR_WEIGHT of the word as typed.
FEW_RESULTS = 3
FUZZY_DISTANCE = 1
FUZZY_PREFIX = 1
FUZZY_MIN_LETTERS = 3
FUZZY_MAX_EXPANSIONS = 50  # neighbours per word and field, most common first
NEIGHBOUR_WEIGHT = 0.5
# News: in relevance order a recent article scores up to RECENCY_WEIGHT more (×1.2 today,
# ×1.1 a month ago, ×1.0 long ago), so it passes an equal match but never a much better one.
RECENCY_TYPES = (ARTICLE,)
RECENCY_WEIGHT = 0.2
RECENCY_HALF_LIFE_DAYS = 30
# A query's language (see language.py): in relevance order an item in it scores LANGUAGE_WEIGHT
# more (added to the recency factor: ×1.3 for a page, up to ×1.5 for today's news), so a
# unit's Vietnamese introduction passes its English one for a Vietnamese query, while a much
# better match in the other language keeps its place.
LANGUAGE_WEIGHT = 1.0

# Highlight: one fragment of about this many characters, from the first field that matched.
HIGHLIGHT_FIELDS = ("body", "summary")
HIGHLIGHT_CHARS = 160
HIGHLIGHT_TAGS = ("<mark>", "</mark>")

# Autocomplete: titles that have the typed words in the typed order rank first.
COMPLETION_PHRASE_BOOST = 5.0

RELEVANCE, DATE = "relevance", "date"
SORTS = (RELEVANCE, DATE)

# What a hit shows, as stored by the engines (a hit's unit level comes from the unit records).
SHOWN_FIELDS = ("id", "type", "unit", "unit_name", "category", "title", "summary", "path", "date",
                "published_at")
# Copies of one item (the same `fingerprint`, see documents.same_text) are one result: it names
# this many of the other copies' units.
DUPLICATE_UNITS_NAMED = 3
# Upper bounds for things an engine lists whole.
MAX_UNITS = 10_000
MAX_VOCABULARY = 10_000


def recency_factor(date: datetime, now: datetime) -> float:
    """1 + RECENCY_WEIGHT, halving every RECENCY_HALF_LIFE_DAYS away from now: Elasticsearch's
    `exp` decay, computed the same way for the embedded engine."""
    age_days = abs((now - date).total_seconds()) / 86_400
    return 1 + RECENCY_WEIGHT * math.pow(0.5, age_days / RECENCY_HALF_LIFE_DAYS)


def ranking_factor(news_date: datetime | None, language: str | None, query_language: str | None,
                   now: datetime) -> float:
    """What an item's relevance score is multiplied by: the recency factor for news (`news_date`;
    None for other items, 1), plus LANGUAGE_WEIGHT for an item in the query's language."""
    factor = recency_factor(news_date, now) if news_date is not None else 1.0
    return factor + (LANGUAGE_WEIGHT if query_language is not None and language == query_language else 0.0)


def stored_fields(key: str, record: Record) -> dict:
    """What an engine stores under `key`: a searchable item, a unit's record, a best bet or a tombstone
    (an unpublished item: hidden, but its version still refuses older events). Only visible
    entries are ever results."""
    if record is None:
        return {"key": key, "visible": False}
    if isinstance(record, UnitRecord):
        return {"key": key, "type": UNIT, "unit": record.slug, "unit_name": record.name,
                "unit_level": record.level,
                "unit_parent": record.parent, "visible": False}
    if isinstance(record, BestBet):
        return {"key": key, "type": BEST_BET, "query": record.query, "target": record.target, "visible": False}
    return {**asdict(record), "spellings": record.spellings, "unit_names": record.unit_names, "visible": True}


@dataclass(frozen=True)
class Group:
    """Query words that must all match, or (for an abbreviation or what it stands for) any of
    the group's synonyms as a phrase. An optional group (a question word, a filler, a unit the
    query names, a common word of a relaxed query) adds to an item's score but need not match."""

    text: str  # as typed: a stretch of the query, separators included
    synonyms: tuple[str, ...] = ()
    optional: bool = False
    in_order: bool = False  # the words next to each other, in this order (a phrase)

    @cached_property  # read again and again while a query is built
    def terms(self) -> list[str]:
        """The words folded, as the folding analyzers index them."""
        return [fold(word.text) for word in words(self.text)]

    @cached_property
    def as_typed(self) -> list[str]:
        """The words as typed: lowercase, accents kept ('hộ' is far rarer than 'ho', which 'hồ
        sơ' holds); a word typed without accents folded, as it matches."""
        return [unicodedata.normalize("NFC", word.text.lower()) if not word.text.isascii() else fold(word.text)
                for word in words(self.text)]


def matches_neighbours(term: str) -> bool:
    """Whether a folded query word may match its neighbours: long enough, and letters only
    (a typo in a number or a year is not one to guess)."""
    return len(term) >= FUZZY_MIN_LETTERS and term.isascii() and term.isalpha()


@dataclass(frozen=True)
class QueryText:
    """A query as the engines receive it: its groups of words and how many must match, the
    words no item holds and what to match instead, and the units it names (boosted)."""

    text: str
    groups: tuple[Group, ...]
    numbers: tuple[str, ...]  # folded, for exact matches on legal document numbers
    # How many required groups an item must have: None, all of them; fewer when relaxed, and
    # then the items with every group of `complete` (the query's own) score ALL_WORDS_BOOST more.
    minimum: int | None = None
    complete: tuple[Group, ...] = ()
    # Folded words no visible item holds -> the indexed words they were meant as (a telex
    # leftover spelled out); they also match the indexed words one edit away (FUZZY_DISTANCE).
    loosened: tuple[tuple[str, tuple[str, ...]], ...] = ()
    units_named: tuple[str, ...] = ()  # units the query names ('xã Hương Toàn')
    units: tuple[str, ...] = ()  # those and the units under them: their items score UNIT_NAMED_BOOST more
    ignored_from: str | None = None  # in a query of more than MAX_QUERY_WORDS, the first word left out

    @property
    def required(self) -> tuple[Group, ...]:
        return tuple(group for group in self.groups if not group.optional)

    @property
    def optional(self) -> tuple[Group, ...]:
        return tuple(group for group in self.groups if group.optional)

    @property
    def in_order(self) -> bool:
        """Whether items with the query's words in its order score more (PHRASE_BOOST)."""
        return 1 < len(words(self.text)) <= MAX_PHRASE_WORDS

    @property
    def unit_boost(self) -> float:
        """What an item of a unit the query names scores more."""
        return UNIT_NAMED_BOOST if self.minimum is None else RELAXED_UNIT_BOOST

    def instead_of(self, term: str) -> tuple[str, ...] | None:
        """What a loosened word matches besides its neighbours; None if it is not loosened."""
        return dict(self.loosened).get(term)

    @classmethod
    def parse(cls, text: str, synonyms: Synonyms, fillers: Fillers | None = None,
              units: UnitNames | None = None) -> QueryText:
        found = words(text)
        ignored_from = None
        if len(found) > MAX_QUERY_WORDS:
            ignored_from = found[MAX_QUERY_WORDS].text
            text = text[:found[MAX_QUERY_WORDS - 1].end]
            found = found[:MAX_QUERY_WORDS]
        folded = [fold(word.text) for word in found]
        # Words that need not match: question words and fillers, and a unit's name (its items
        # are boosted instead, including those that never write the name).
        # Question words and fillers need not match ('cho tôi hỏi', 'ở đâu', 'ạ'), though they
        # still score: an answer often repeats the question. Nor need a unit's name: its items
        # are boosted instead, including those that never write it. A query of nothing else
        # means its words.
        optional = set(fillers.positions(found)) if fillers else set()
        named: list[str] = []
        for start, end, slugs in (units.spans(folded) if units else []):
            optional.update(range(start, end))
            named.extend(slugs)
        if len(optional) >= len(found):
            optional = set()
        groups, plain = [], []

        def close_plain():
            if plain:
                groups.append(Group(text[plain[0].start:plain[-1].end]))
                plain.clear()

        position = 0
        while position < len(found):
            if position in optional:
                close_plain()
                groups.append(Group(found[position].text, optional=True))
                position += 1
                continue
            match = synonyms.match(folded, position)
            if match is None:
                plain.append(found[position])
                position += 1
                continue
            close_plain()
            length, others = match
            groups.append(Group(text[found[position].start:found[position + length - 1].end], others,
                                optional=any(place in optional for place in range(position, position + length))))
            position += length
        close_plain()
        return cls(text=text, groups=_distinct(groups), numbers=_document_numbers(text),
                   units_named=tuple(sorted(set(named))), ignored_from=ignored_from,
                   units=units.with_units_under(named) if named and units else ())


def _distinct(groups: list[Group]) -> tuple[Group, ...]:
    """Each group once: a pasted paragraph repeats its words."""
    seen, kept = set(), []
    for group in groups:
        spelled = (tuple(group.terms), group.optional)
        if spelled not in seen and (group.terms or group.synonyms):
            seen.add(spelled)
            kept.append(group)
    return tuple(kept)


_NUMBER_EDGES = "\"'“”‘’()[]{}<>.,;:!?"


def _document_numbers(text: str) -> tuple[str, ...]:
    """Stretches that look like a number/symbol ('12/2026/QĐ-UBND', '12/2026'), folded."""
    chunks = (chunk.strip(_NUMBER_EDGES) for chunk in text.split())
    return tuple(dict.fromkeys(fold(chunk) for chunk in chunks
                               if "/" in chunk and any(char.isdigit() for char in chunk)))


@dataclass(frozen=True)
class AnyOf:
    """Keeps items whose `field` is one of `values` (none: no item)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class NoneOf:
    """Leaves out items whose `field` is one of `values` (none: no item left out)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Between:
    """Keeps items whose date lies in [start, end); either end may be open."""

    start: datetime | None
    end: datetime | None
    field: str = "date"


Filter = AnyOf | NoneOf | Between


@dataclass(frozen=True)
class Facet:
    """Counts of each value of `field` among the matches, ignoring the filter named `ignores`
    (so a facet keeps showing the other choices once one is picked, as GOV.UK's finders do)."""

    name: str
    field: str
    ignores: str
    size: int


FACETS = (
    Facet("unit", "unit", "unit", MAX_UNITS),
    # Levels are counted from the units (a unit's level can change without reindexing).
    Facet("level", "unit", "level", MAX_UNITS),
    Facet("type", "type", "type", len(TYPES)),
    Facet("category", "category", "category", 200),
)


@dataclass(frozen=True)
class EngineQuery:
    text: QueryText
    filters: dict[str, Filter]  # by name: 'unit', 'level', 'type', 'category', 'date'
    sort: str
    offset: int
    limit: int
    now: datetime
    facets: tuple[Facet, ...] = FACETS
    language: str | None = None  # the query's, when it tells (documents.LANGUAGES): preferred in ranking

    def filters_but(self, name: str | None) -> list[Filter]:
        return [found for filter_name, found in self.filters.items() if filter_name != name]


@dataclass(frozen=True)
class Completion:
    """Autocomplete: titles with every word in `words` and one starting with `partial`
    (all folded; `partial` is None once the last word is finished)."""

    words: tuple[str, ...]
    partial: str | None
    unit: str | None
    limit: int

    @property
    def phrase(self) -> list[str]:
        return [*self.words, *([self.partial] if self.partial else [])]


@dataclass(frozen=True)
class Frequencies:
    """How common words are: `of` maps a word to how many items hold it in a searchable field
    (folded, or with its accents when it has any); `items` is how many the index holds (both
    may count a few withdrawn items)."""

    items: int
    of: dict[str, int]


def other_units(shown: str, copies: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The units to name beside a result (slug, name): those of its next copies, each once, not the
    shown copy's own (a unit may publish an item twice). Only DUPLICATE_UNITS_NAMED + 1 copies are
    looked at, so naming costs the same however many copies there are."""
    units: dict[str, str] = {}
    for slug, name in islice(copies, DUPLICATE_UNITS_NAMED + 1):
        if slug != shown:
            units.setdefault(slug, name)
    return tuple(units.items())[:DUPLICATE_UNITS_NAMED]


@dataclass(frozen=True)
class Found:
    """One match as an engine returns it: the stored SHOWN_FIELDS and a highlight (HTML:
    matched words in HIGHLIGHT_TAGS, everything else escaped; may be ''). A search shows an
    item many units published once (its best-ranked copy): `duplicates` says how many other
    copies match too, `duplicate_units` names some of their units as (slug, stored name)."""

    source: dict
    highlight: str = ""
    duplicates: int = 0
    duplicate_units: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EnginePage:
    total: int
    found: list[Found]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # name -> (value, count)

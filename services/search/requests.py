"""The RPC arguments, validated: anything wrong raises InvalidInput naming each offending field,
so no malformed value ever reaches an engine."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from services.common.errors import InvalidInput
from services.common.limits import CALENDAR, in_calendar
from services.search.core import RELEVANCE, SORTS
from services.search.documents import TYPES, pinned_query
from services.search.text import normalise

# A citizen may paste a whole paragraph; the core searches its first MAX_QUERY_WORDS words.
MAX_QUERY_CHARS = 2000
MAX_PER_PAGE = 50
# Elasticsearch refuses to page past its max_result_window (10,000 by default); the embedded
# engine keeps the same limit so both answer the same requests.
MAX_RESULT_WINDOW = 10_000
MAX_FILTER_VALUES = 50
MAX_VALUE_CHARS = 100
MAX_PREFIX_CHARS = 100
MAX_COMPLETIONS = 20

VALUE_FILTERS = ("unit", "level", "type", "category")
DATE_FILTERS = ("from", "to")
FILTERS = VALUE_FILTERS + DATE_FILTERS
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Filters:
    unit: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    start: date | None = None  # 'from', inclusive
    end: date | None = None  # 'to', inclusive

    @classmethod
    def parse(cls, filters, problems: dict) -> Filters:
        """Filters as the RPC takes them: {'unit': 'phu-vang' or a list, 'level', 'type',
        'category' likewise, 'from'/'to': 'YYYY-MM-DD'}. Empty values mean no filter (what a
        search form sends); several values of one filter match any of them."""
        if filters is None:
            return cls()
        if not isinstance(filters, dict):
            problems["filters"] = f"must be a mapping of {', '.join(FILTERS)}"
            return cls()
        values = {}
        for name, value in filters.items():
            if name in VALUE_FILTERS:
                values[name] = _values(name, value, problems)
            elif name in DATE_FILTERS:
                values[name] = _date(name, value, problems)
            else:
                problems[f"filters.{name}"] = f"unknown filter; filters are {', '.join(FILTERS)}"
        unknown_types = [value for value in values.get("type", ()) if value not in TYPES]
        if unknown_types:
            problems["filters.type"] = f"must be among {', '.join(TYPES)}"
        start, end = values.get("from"), values.get("to")
        if start and end and end < start:
            problems["filters.to"] = "must not be before filters.from"
        return cls(unit=values.get("unit", ()), level=values.get("level", ()), type=values.get("type", ()),
                   category=values.get("category", ()), start=start, end=end)

    def as_dict(self) -> dict:
        """The filters in effect, as the RPC takes them."""
        given = {name: list(getattr(self, name)) for name in VALUE_FILTERS if getattr(self, name)}
        if self.start:
            given["from"] = self.start.isoformat()
        if self.end:
            given["to"] = self.end.isoformat()
        return given


def _values(name: str, value, problems: dict) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) or value is None else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(item, str) or item is None for item in values):
        problems[f"filters.{name}"] = "must be text or a list of text"
        return ()
    cleaned = tuple(dict.fromkeys(item.strip() for item in values if item and item.strip()))
    # Counted as sent, as the API's document describes them.
    if len(values) > MAX_FILTER_VALUES:
        problems[f"filters.{name}"] = f"must have at most {MAX_FILTER_VALUES} values"
    elif any(len(item) > MAX_VALUE_CHARS for item in values if item):
        problems[f"filters.{name}"] = f"values must be at most {MAX_VALUE_CHARS} characters"
    return cleaned


def _date(name: str, value, problems: dict) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
        if day is not None and in_calendar(day):
            return day
    problems[f"filters.{name}"] = f"must be a date written YYYY-MM-DD, {CALENDAR}"
    return None


@dataclass(frozen=True)
class SearchRequest:
    query: str
    page: int
    per_page: int
    filters: Filters
    sort: str

    @classmethod
    def parse(cls, query, unit=None, page=1, per_page=10, filters=None, sort=RELEVANCE) -> SearchRequest:
        """Validate RPC arguments; raise InvalidInput naming every offending field."""
        problems = {}
        query = _text("query", query, MAX_QUERY_CHARS, problems)
        if unit is not None and not isinstance(unit, str):
            problems["unit"] = "must be a unit slug"
        if not _is_int(page) or page < 1:
            problems["page"] = "must be a whole number from 1"
        if not _is_int(per_page) or not 1 <= per_page <= MAX_PER_PAGE:
            problems["per_page"] = f"must be a whole number from 1 to {MAX_PER_PAGE}"
        elif "page" not in problems and page * per_page > MAX_RESULT_WINDOW:
            problems["page"] = f"must not go past result {MAX_RESULT_WINDOW}"
        parsed = Filters.parse(filters, problems)
        # `unit` is the original way to search one unit's site; an empty one means all units.
        unit = (unit or "").strip() if isinstance(unit, str) else None
        if unit and parsed.unit:
            problems["unit"] = "give the unit either as `unit` or in filters, not both"
        if sort not in SORTS:
            problems["sort"] = f"must be one of {', '.join(SORTS)}"
        if problems:
            raise InvalidInput("invalid search request", problems)
        if unit:
            parsed = replace(parsed, unit=(unit,))
        return cls(query=query, page=page, per_page=per_page, filters=parsed, sort=sort)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class SuggestRequest:
    prefix: str
    unit: str | None
    limit: int

    @classmethod
    def parse(cls, prefix, unit=None, limit=8) -> SuggestRequest:
        problems = {}
        prefix = _text("prefix", prefix, MAX_PREFIX_CHARS, problems, keep_trailing_space=True)
        if unit is not None and (not isinstance(unit, str) or len(unit) > MAX_VALUE_CHARS):
            problems["unit"] = f"must be a unit slug (at most {MAX_VALUE_CHARS} characters)"
        if not _is_int(limit) or not 1 <= limit <= MAX_COMPLETIONS:
            problems["limit"] = f"must be a whole number from 1 to {MAX_COMPLETIONS}"
        if problems:
            raise InvalidInput("invalid suggest request", problems)
        return cls(prefix=prefix, unit=(unit or "").strip() or None, limit=limit)


def _text(name: str, value, limit: int, problems: dict, keep_trailing_space: bool = False) -> str:
    if not isinstance(value, str):
        problems[name] = "must be text"
        return ""
    text = normalise(value)
    if not text:
        problems[name] = "must not be empty"
    elif len(text) > limit:
        problems[name] = f"must be at most {limit} characters (this one has {len(text)})"
    # Autocomplete tells a finished last word ('thu tuc ') from one being typed ('thu tuc').
    elif keep_trailing_space and value[-1:].isspace():
        text += " "
    return text


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class BestBetRequest:
    query: str
    type: str
    id: str

    @classmethod
    def parse(cls, query, document_type, document_id) -> BestBetRequest:
        problems = {}
        query = _text("query", query, MAX_QUERY_CHARS, problems)
        if query and not pinned_query(query):
            problems["query"] = "must have a word"
        if document_type not in TYPES:
            problems["document_type"] = f"must be one of {', '.join(TYPES)}"
        if not isinstance(document_id, str) or not document_id.strip() or len(document_id) > MAX_VALUE_CHARS:
            problems["document_id"] = f"must be an item's id (at most {MAX_VALUE_CHARS} characters)"
        if problems:
            raise InvalidInput("invalid best bet", problems)
        return cls(query=query, type=document_type, id=document_id.strip())

"""What searches answer, as the API documents them. The arguments are checked by hand in
requests.py, which names each offending one; these models describe the answers."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.common.schemas import Output
from services.search.core import DUPLICATE_UNITS_NAMED, SORTS
from services.search.documents import TYPES


class SearchHit(Output):
    id: str
    type: Literal[TYPES]
    unit: str
    unit_name: str
    unit_level: str | None
    category: str | None
    title: str
    summary: str
    path: str
    date: str
    published_at: str
    highlight: str = Field(description="HTML: the matched words marked, everything else escaped; may be empty")
    snippet: str = Field(description="HTML to show under the title: the highlight, else the summary's start")
    best_bet: bool = Field(description="pinned first for this query by a platform admin")
    duplicates: int = Field(default=0, ge=0, description=(
        "how many other units published the same item and matched too: shown once, as this hit (the best-"
        "ranked copy); 0 usually"))
    duplicate_units: list[str] = Field(default=[], max_length=DUPLICATE_UNITS_NAMED, description=(
        f"the current names of up to {DUPLICATE_UNITS_NAMED} of those units"))


class FacetValue(Output):
    value: str
    count: int


class UnitFacetValue(FacetValue):
    name: str | None


class SearchFacets(Output):
    unit: list[UnitFacetValue]
    level: list[FacetValue]
    type: list[FacetValue]
    category: list[FacetValue]


class SearchFilters(Output):
    """The filters in effect."""
    unit: list[str] = []
    level: list[str] = []
    type: list[str] = []
    category: list[str] = []
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class UnitNamed(Output):
    slug: str
    name: str


class SearchResults(Output):
    query: str
    total: int = Field(description=(
        "how many results match, an item several units published counting once (copies are collapsed "
        "among the best-ranked matches; past the first few hundred, each copy counts)"))
    page: int
    per_page: int
    sort: Literal[SORTS]
    filters: SearchFilters
    match: Literal["all", "relaxed"] = Field(default="all", description=(
        "all: every significant word of the query is in every result; relaxed: fewer than three items had "
        "them all, so the closest items (the rarest of the words) follow those that do"))
    complete_matches: int = Field(default=0, description=(
        "how many results, listed first, have every significant word (all of them when match is all)"))
    units_named: list[UnitNamed] = Field(default=[], description=(
        "units the query names, whose items (and those of the units under them) are ranked first"))
    ignored_from: str | None = Field(default=None, description=(
        "a query is searched by its first 32 words: the first word left out of a longer one (it and the "
        "words after it were not searched for); null when every word was"))
    hits: list[SearchHit]
    facets: SearchFacets = Field(description=(
        "each filter's values with how many matching items have them (copies counted one by one: each unit "
        "has its own)"))
    suggestion: str | None = Field(description="a corrected query when this one finds little")


class Completion(Output):
    title: str
    path: str
    type: Literal[TYPES]
    unit: str
    unit_name: str
    date: str


class Completions(Output):
    prefix: str
    suggestions: list[Completion]


API_OUTPUTS = (SearchResults, Completions)

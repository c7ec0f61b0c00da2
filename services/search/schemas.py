"""What searches answer, as the API documents them. The arguments are checked by hand in
requests.py, which names each offending one; these models describe the answers."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.common.schemas import Output
from services.search.core import SORTS
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


class SearchResults(Output):
    query: str
    total: int
    page: int
    per_page: int
    sort: Literal[SORTS]
    filters: SearchFilters
    hits: list[SearchHit]
    facets: SearchFacets
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

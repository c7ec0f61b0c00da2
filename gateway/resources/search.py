"""Search across every unit's site: the page /tim-kiem (a plain GET form, so it works without
JavaScript), its JSON twin /api/search and autocomplete /api/search/suggest.

All three read the same query-string parameters (q, unit, level, type, category, from, to,
sort, page, and the page's size: per_page, which the API names limit as its other lists do); the
search service validates them, and its complaints come back named by the parameter the caller sent."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from gateway.api.base import Api
from gateway.api.lists import ListQuery, list_schema, page_links
from gateway.api.openapi import REF
from gateway.api.operations import Param, operation
from gateway.errors import PortalHTTPError
from gateway.paging import pagination
from gateway.resources.base import Page, whole_number
from gateway.search_results import SearchResults
from gateway.unit_names import distinct_names
from gateway.vietnam_time import iso_date
from services.common.errors import InvalidInput

PAGE_PATH = "/tim-kiem"
RESULTS_PER_PAGE = 10
SUGGESTIONS = 8
SUGGEST_MAX_AGE = 60  # seconds: autocomplete asks on every keystroke, and new titles can wait a minute
# The search service answers at most this deep into the results (Elasticsearch's
# max_result_window), so pagination offers no page past it.
MAX_RESULT_WINDOW = 10_000
RELEVANCE = "relevance"
VALUE_FILTERS = ("unit", "level", "type", "category")
DATE_FILTERS = ("from", "to")
# What the search service calls an argument -> the query-string parameter that carries it.
PARAMETERS = {"query": "q", "prefix": "q"}


@contextmanager
def named_by_parameter(names: dict = PARAMETERS):
    """Re-raise the service's InvalidInput as a 422 whose fields are the query-string names."""
    try:
        yield
    except InvalidInput as error:
        fields = {names.get(name, name.removeprefix("filters.")): problem
                  for name, problem in error.fields.items()}
        raise PortalHTTPError(422, error.message, fields) from None


@dataclass(frozen=True)
class SearchForm:
    """The search as the query string states it, ready to redisplay, to link to and to send."""

    query: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # VALUE_FILTERS' chosen values
    start: str = ""
    end: str = ""
    sort: str = RELEVANCE
    page: int = 1
    per_page: int = RESULTS_PER_PAGE

    @classmethod
    def read(cls, req, per_page: int | None = None, size_parameter: str = "per_page") -> SearchForm:
        """`per_page` fixes the page's size; otherwise the parameter `size_parameter` gives it."""
        chosen = tuple((name, tuple(value for value in req.get_param_as_list(name) or () if value.strip()))
                       for name in VALUE_FILTERS)
        return cls(query=(req.get_param("q") or "").strip(), filters=chosen,
                   start=req.get_param("from") or "", end=req.get_param("to") or "",
                   sort=req.get_param("sort") or RELEVANCE, page=whole_number(req, "page", 1),
                   per_page=per_page if per_page is not None else whole_number(req, size_parameter, RESULTS_PER_PAGE))

    def chosen(self, name: str) -> tuple[str, ...]:
        return dict(self.filters).get(name, ())

    def search_arguments(self) -> dict:
        filters = {name: list(values) for name, values in self.filters if values}
        for name, value in zip(DATE_FILTERS, (self.start, self.end)):
            if value.strip():
                filters[name] = iso_date(value)
        return {"query": self.query, "page": self.page, "per_page": self.per_page, "filters": filters,
                "sort": self.sort}

    def url(self, **changes) -> str:
        """This search's address with `changes` (page=2, query=…); defaults are left out."""
        form = replace(self, **changes)
        params = [("q", form.query)] + [(name, value) for name, values in form.filters for value in values]
        params += [(name, value) for name, value in (("from", form.start), ("to", form.end)) if value]
        if form.sort != RELEVANCE:
            params.append(("sort", form.sort))
        if form.page != 1:
            params.append(("page", form.page))
        return PAGE_PATH + "?" + urlencode(params)


def searched(rpc, search_results: SearchResults, form: SearchForm, names: dict = PARAMETERS) -> dict:
    """The search service's answer to `form`: kept by this process, or asked now; a complaint
    names the query-string parameter (`names`: the service's argument -> the parameter)."""
    def ask(**arguments):
        with rpc.services() as services, named_by_parameter(names):
            return services.search.search(**arguments)
    return search_results.search(ask, **form.search_arguments())


def facet_options(results: dict, form: SearchForm, names: dict[str, dict]) -> dict[str, list[dict]]:
    """Each filter's choices with their counts; a chosen value nothing matches still shows,
    so it can be unticked. `names`: for a filter, its values' names ({"level": {slug: name}}),
    which win over the search's own."""
    options = {}
    for name in VALUE_FILTERS:
        entries = [dict(entry) for entry in results["facets"].get(name, [])]
        shown = {entry["value"] for entry in entries}
        entries += [{"value": value, "count": 0} for value in form.chosen(name) if value not in shown]
        for entry in entries:
            entry["checked"] = entry["value"] in form.chosen(name)
            entry["name"] = names.get(name, {}).get(entry["value"]) or entry.get("name")
        options[name] = entries
    return options


class SearchPage(Page):
    def __init__(self, rpc, templates, search_results: SearchResults):
        super().__init__(rpc, templates)
        self.search_results = search_results

    def on_get(self, req, resp):
        form, results, options, problems, unit_names = SearchForm(), None, {}, {}, {}
        try:
            form = SearchForm.read(req, per_page=RESULTS_PER_PAGE)
            if form.query:
                results = searched(self.rpc, self.search_results, form)
                with self.rpc.services() as services:
                    levels = services.content.list_levels()
                    units = services.content.list_units()
                unit_names = distinct_names(units)  # two units of one name told apart by their parents'
                options = facet_options(results, form, {"level": {level["slug"]: level["name"] for level in levels},
                                                        "unit": unit_names})
        except PortalHTTPError as error:
            if error.code != 422:
                raise
            problems = error.fields
            resp.status = 422
            # Redisplay what was typed, even where it could not be read.
            form = replace(form, query=(req.get_param("q") or "").strip(),
                           start=req.get_param("from") or "", end=req.get_param("to") or "")
        pages = None
        if results:
            pages = pagination(results["page"], results["per_page"], results["total"], MAX_RESULT_WINDOW)
        self.render(req, resp, "search.html", query=form.query, form=form, results=results, options=options,
                    pages=pages, problems=problems, unit_names=unit_names)


def _values(description: str, item: dict | None = None) -> dict:
    return {"type": "array", "items": item or {"type": "string", "maxLength": 100}, "maxItems": 50,
            "description": description}


_TYPE = {"$ref": "#/components/schemas/SearchHit/properties/type"}
# A day as the form types it too (31/12/2026); the search service judges it.
_DAY = {"type": "string", "examples": ["2026-12-01"]}
SEARCH_PARAMS = (
    Param("q", {"type": "string", "minLength": 1}, "the words sought, with or without diacritics (at most 2,000 "
          "characters once spaces are collapsed)", required=True),
    Param("unit", _values("units' slugs (any of them)"), "only these units"),
    Param("level", _values("levels' slugs"), "only the units at these levels"),
    Param("type", _values("kinds", _TYPE), "only these kinds of item"),
    Param("category", _values("categories' slugs"), "only these categories of news"),
    Param("from", _DAY, "published on or after this day: YYYY-MM-DD (or DD/MM/YYYY)"),
    Param("to", _DAY, "published on or before this day: YYYY-MM-DD (or DD/MM/YYYY)"),
    Param("sort", {"$ref": "#/components/schemas/SearchResults/properties/sort"},
          "relevance (default), or date: newest first"),
    Param("page", {"type": "integer", "minimum": 1, "maximum": MAX_RESULT_WINDOW}, "the page, from 1"),
    Param("limit", {"type": "integer", "minimum": 1, "maximum": 50}, "results per page (10 unless said)"),
)
# What the API passes on from the search service's answer, beside the list's own fields.
ANSWER_FIELDS = ("query", "total", "filters", "facets", "suggestion", "match", "complete_matches", "units_named",
                 "ignored_from")
# As every list of the API answers (gateway/api/lists.py), with the search's own fields beside.
SEARCH_ANSWER = {"allOf": [list_schema(REF + "SearchHit"), {
    "type": "object",
    "required": list(ANSWER_FIELDS),
    "properties": {"query": {"type": "string"},
                   "total": {"$ref": REF + "SearchResults/properties/total"},
                   "filters": {"$ref": REF + "SearchFilters"}, "facets": {"$ref": REF + "SearchFacets"},
                   "suggestion": {"type": ["string", "null"],
                                  "description": "a corrected query when this one finds little"},
                   "match": {"$ref": REF + "SearchResults/properties/match"},
                   "complete_matches": {"$ref": REF + "SearchResults/properties/complete_matches"},
                   "units_named": {"$ref": REF + "SearchResults/properties/units_named"},
                   "ignored_from": {"$ref": REF + "SearchResults/properties/ignored_from"}}}]}
# The API names the page's size `limit`, as every list does.
API_PARAMETERS = {**PARAMETERS, "per_page": "limit"}


class Search(Api):
    def __init__(self, rpc, settings, search_results: SearchResults):
        super().__init__(rpc, settings)
        self.search_results = search_results

    @operation("Search everything every unit publishes", tag="search", auth=None, answers={200: SEARCH_ANSWER},
               params=SEARCH_PARAMS,
               description="A list as every other (items, page, limit, sort, next, previous), best first unless "
                           "sorted by date, with how many match in all, each filter's counts (facets) and, when "
                           "a query finds little, a corrected spelling. An item several units published is one "
                           "result (duplicates, duplicate_units); match and complete_matches say "
                           "whether every word matched, and in how many results. Pages go no deeper than result "
                           "10,000.")
    def on_get(self, req, resp):
        form = SearchForm.read(req, size_parameter="limit")
        results = searched(self.rpc, self.search_results, form, API_PARAMETERS)
        depth = min(results["total"], MAX_RESULT_WINDOW)
        query = ListQuery(results["page"], results["per_page"], results["sort"])
        resp.media = {"items": results["hits"], **page_links(req, query, more=query.page * query.limit < depth),
                      **{name: results[name] for name in ANSWER_FIELDS}}


class SearchSuggestions(Api):
    @operation("Titles completing what is typed, best first", tag="search", auth=None,
               answers={200: "Completions"},
               params=(Param("q", {"type": "string", "minLength": 1}, "what is typed so far (at most 100 "
                             "characters once spaces are collapsed); a trailing space ends the last word",
                             required=True),
                       Param("unit", {"type": "string", "maxLength": 100}, "only this unit's items"),
                       Param("limit", {"type": "integer", "minimum": 1, "maximum": 20}, "how many (8 unless said)")))
    def on_get(self, req, resp):
        limit = whole_number(req, "limit", SUGGESTIONS)
        # The prefix keeps its trailing space: it tells a finished word from one being typed.
        prefix = req.get_param("q") or ""
        with self.rpc.services() as services, named_by_parameter():
            resp.media = services.search.suggest(prefix, unit=req.get_param("unit") or None, limit=limit)
        resp.cache_control = ["public", f"max-age={SUGGEST_MAX_AGE}"]

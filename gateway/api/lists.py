"""Every list the API answers with is paged, sorted and filtered the same way.

- `?page=N` (from 1) and `?limit=M` (1 to 100, 20 unless said): the page of M items;
- `?sort=field` or `?sort=-field` (descending): one of the orders the list names in the
  OpenAPI document, its first being the default;
- filters are further query parameters named after the field they filter.

The answer is `{"items": [...], "page", "limit", "sort", "next", "previous"}`, where `next` and
`previous` are the addresses of the neighbouring pages or null. The gateway asks the service for
one item more than the page holds: its presence is what `next` means, without counting the list.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from gateway.errors import PortalHTTPError
from gateway.resources.base import whole_number

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_PAGE = 10_000


@dataclass(frozen=True)
class ListQuery:
    page: int
    limit: int
    sort: str | None

    @property
    def skip(self) -> int:
        return (self.page - 1) * self.limit

    @property
    def fetch(self) -> int:
        """How many items to ask the service for: one more than the page shows."""
        return self.limit + 1


def list_query(req, sorts: tuple[str, ...] = (), default_limit: int = DEFAULT_LIMIT) -> ListQuery:
    """The page, size and order asked for; a 422 naming each parameter that is none of them."""
    problems = {}
    page = _bounded(req, "page", 1, 1, MAX_PAGE, problems)
    limit = _bounded(req, "limit", default_limit, 1, MAX_LIMIT, problems)
    asked = req.get_param("sort")
    sort = asked if asked is not None else (sorts[0] if sorts else None)
    if asked is not None and sort not in sorts:
        problems["sort"] = f"must be one of: {', '.join(sorts)}" if sorts else "this list has one order only"
    # Falcon hands over the last of a repeated parameter: ?limit=x&limit= would pass as no limit at all.
    problems.update({name: "must be given once" for name in ("page", "limit", "sort")
                     if isinstance(req.params.get(name), list)})
    if problems:
        raise PortalHTTPError(422, f"Invalid parameters: {', '.join(sorted(problems))}", problems)
    return ListQuery(page, limit, sort)


def _bounded(req, name: str, default: int, lowest: int, highest: int, problems: dict) -> int:
    """The parameter, or `default` when it is absent; given empty (?limit=), it is no number either."""
    raw = req.get_param(name)
    try:
        value = whole_number(req, name, default) if raw is None or raw.strip() else None
    except PortalHTTPError:
        value = None
    if value is None or not lowest <= value <= highest:
        problems[name] = f"must be a whole number from {lowest} to {highest}"
        return default
    return value


def list_page(req, query: ListQuery, fetched: list) -> dict:
    """The answer for a list, from what the service gave for `query.skip` and `query.fetch`."""
    return {"items": fetched[:query.limit], **page_links(req, query, more=len(fetched) > query.limit)}


def page_links(req, query: ListQuery, more: bool) -> dict:
    """A list answer's fields beside its items: where it stands, and its neighbours' addresses."""
    return {
        "page": query.page,
        "limit": query.limit,
        "sort": query.sort,
        "next": _address(req, query, query.page + 1) if more else None,
        "previous": _address(req, query, query.page - 1) if query.page > 1 else None,
    }


def _address(req, query: ListQuery, page: int) -> str:
    params = [(name, value) for name, value in req.params.items() if name not in ("page", "limit")]
    params += [("page", page), ("limit", query.limit)]
    flat = [(name, item) for name, value in params for item in (value if isinstance(value, list) else [value])]
    return req.path + "?" + urlencode(flat)


def list_schema(item_ref: str) -> dict:
    """The JSON Schema of a list answer whose items are `item_ref`."""
    address = {"type": ["string", "null"], "description": "the neighbouring page's address, or null"}
    return {
        "type": "object",
        "required": ["items", "page", "limit", "sort", "next", "previous"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": item_ref}},
            "page": {"type": "integer", "minimum": 1},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "sort": {"type": ["string", "null"]},
            "next": address,
            "previous": address,
        },
    }


def list_params(sorts: tuple[str, ...], default_limit: int = DEFAULT_LIMIT) -> list[dict]:
    """The OpenAPI parameters every list takes."""
    params = [
        {"name": "page", "in": "query", "description": "the page, from 1",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
        {"name": "limit", "in": "query", "description": "items per page",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": default_limit}},
    ]
    if sorts:
        params.append({"name": "sort", "in": "query", "description": "the order; '-' before a field is descending",
                       "schema": {"type": "string", "enum": list(sorts), "default": sorts[0]}})
    return params

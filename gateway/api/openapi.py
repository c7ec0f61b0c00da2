"""The OpenAPI 3.1 document of /api, built from what serves it.

Paths come from the routes app.py adds through `ApiRoutes`; what each operation takes and
answers comes from its `@operation` record; the schemas of bodies and answers are the pydantic
models the services validate with, fetched from each service's `api_schemas` RPC
(services/common/schemas.py); the shapes only the gateway makes (errors, list pages) are here.
A route without a record cannot be documented, and building the document says which.
"""
from __future__ import annotations

import re

from apispec import APISpec

from gateway.api.lists import list_params, list_schema
from gateway.api.operations import WRITE_METHODS, Operation
from gateway.converters import CONVERTERS

METHODS = ("get", "post", "put", "patch", "delete")
# The services whose models the document names; each answers `api_schemas`.
SCHEMA_SOURCES = ("content", "ranking", "search", "notify")
REF = "#/components/schemas/"

DESCRIPTION = """\
The JSON API of the province's government portals: every unit's published news, schedules,
legal documents, answers to citizens and pages for anyone to read, and the editorial work behind
them for unit staff and other systems.

- **Users.** A request that acts for someone names them with `Authorization: Bearer <token>`;
  the content service decides what that user may do in which unit (403 otherwise). Open reads
  need no token.
- **Errors.** Every failure answers `{"error": {"status", "message", "fields"?, …}}`: `fields`
  names each offending field (a body's fields by their path, such as `entries.0.start`, and query
  parameters by their name); a 409 gives the `current_version`; a 429, 503 or 504 a `retry_after`
  (also in the Retry-After header); `request_id` is the request's id (its X-Request-Id).
- **Request ids.** Every answer carries `X-Request-Id`: the one the request sent, if it is 1 to 64
  letters, digits, `.`, `_` or `-`, else a new one. Quote it when reporting a problem.
- **Lists.** `?page=` (from 1), `?limit=` (1 to 100) and `?sort=` (a field, `-field` descending;
  the first order listed is the default) on every list, whose answer is
  `{"items", "page", "limit", "sort", "next", "previous"}` with the neighbouring pages' addresses.
- **Parameters.** A query parameter is given with a value or left out: given empty (`?status=`)
  it is a 422 naming it.
- **Writes.** A change to a versioned item names the `version` it is based on; a stale one is a
  409. Each write may carry an `Idempotency-Key` (1 to 255 visible ASCII characters): repeating it
  gives the first outcome, never a second change. An answer that cannot tell whether a write was
  made (503, 504) says so and names the key to repeat it with.
- **Caching.** Every read carries a strong ETag; send it back in `If-None-Match` for a 304.
"""

STATUS_MEANINGS = {
    200: "Done", 201: "Created", 202: "Accepted", 204: "Done, nothing to answer", 304: "Not modified",
    400: "Malformed request (JSON, a header)", 401: "No valid bearer token",
    403: "The user may not do this in this unit", 404: "No such item (or not the caller's to see)",
    409: "Conflict: the item changed since the version given, or the change does not fit its state",
    410: "Gone: the unit was dissolved", 411: "The body's length must be stated (Content-Length)",
    413: "Body too large", 415: "Body of the wrong media type",
    422: "Invalid fields or parameters, each named", 429: "Too many requests: retry after the time given",
    503: "A service is unavailable: retry after the time given", 504: "A service did not answer in time",
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"type": "integer"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "each offending field or parameter, and what is wrong with it"},
            "current_version": {"type": ["integer", "null"]},
            "retry_after": {"type": ["integer", "number"]},
            "idempotency_key": {"type": "string"},
            "request_id": {"type": "string", "description": "the request's X-Request-Id, to quote when reporting it"},
        },
    }},
}

# Path fields the document describes more narrowly than any string.
PATH_FIELDS = {
    "unit": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 100},
    "username": {"type": "string", "minLength": 1, "maxLength": 100},
}
_FIELD = re.compile(r"{(\w+)(?::(\w+)(?:\([^)]*\))?)?}")


class ApiRoutes:
    """Adds the API's routes to the app and remembers them for the document."""

    def __init__(self, app):
        self.app = app
        self.routes: list[tuple[str, object]] = []

    def add(self, template: str, resource) -> None:
        self.app.add_route(template, resource)
        self.routes.append((template, resource))


def documented_operations(routes):
    """(template, method, Operation) for every responder of every route; a responder without a
    record is an error naming it."""
    for template, resource in routes:
        for method in METHODS:
            responder = getattr(resource, f"on_{method}", None)
            if responder is None:
                continue
            record = getattr(responder, "operation", None)
            if not isinstance(record, Operation):
                raise LookupError(f"{method.upper()} {template} has no @operation record")
            if record.lists and not record.sorts:  # every list says its order, even when it has one
                raise LookupError(f"{method.upper()} {template} is a list that names no order (sorts)")
            yield template, method, record


def build_document(routes, schemas: dict[str, dict], version: str = "1") -> dict:
    spec = APISpec(title="Cổng thông tin điện tử — API", version=version, openapi_version="3.1.0",
                   info={"description": DESCRIPTION})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in sorted({**schemas, "Error": ERROR_SCHEMA}.items()):
        spec.components.schema(name, schema)
    paths: dict[str, dict] = {}
    for template, method, record in documented_operations(routes):
        paths.setdefault(template, {})[method] = _operation(template, method, record)
    for template, operations in paths.items():
        spec.path(path=_FIELD.sub(r"{\1}", template), operations=operations)
    return spec.to_dict()


def _operation(template: str, method: str, record: Operation) -> dict:
    fields = _FIELD.findall(template)
    operation = {
        "operationId": re.sub(r"[^A-Za-z0-9]+", "_", f"{method}{template}").strip("_"),
        "summary": record.summary,
        "tags": [record.tag or template.split("/")[2]],
        "parameters": [_path_parameter(name, converter) for name, converter in fields]
        + [_parameter(param) for param in record.params],
        "responses": _responses(method, record, bool(fields)),
    }
    if record.description:
        operation["description"] = record.description
    if record.lists:
        operation["parameters"] += list_params(record.sorts)
    if method in WRITE_METHODS:
        operation["parameters"].append({
            "name": "Idempotency-Key", "in": "header", "required": False,
            "description": "repeat a write with the same key to get its first outcome",
            "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"}})
    if record.auth:
        operation["security"] = [{"bearer": []}] + ([{}] if record.auth == "optional" else [])
    else:
        operation["security"] = [{}]
    if record.body:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": {"$ref": REF + record.body}}}}
    elif record.upload:
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": record.upload}}}
    return operation


def _path_parameter(name: str, converter: str) -> dict:
    schema = getattr(CONVERTERS.get(converter), "openapi", None) or PATH_FIELDS.get(name) or {
        "type": "string", "minLength": 1}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _parameter(param) -> dict:
    described = {"name": param.name, "in": param.where, "required": param.required, "schema": param.schema}
    if param.description:
        described["description"] = param.description
    return described


def _responses(method: str, record: Operation, has_path_fields: bool) -> dict:
    responses = {}
    for status, schema in record.answers.items():
        responses[str(status)] = _answer(status, schema, record.media)
    if record.lists:
        responses["200"] = {"description": STATUS_MEANINGS[200],
                            "content": {"application/json": {"schema": list_schema(REF + record.lists)}}}
    if method == "get":
        if "200" in responses:
            responses["200"]["headers"] = {"ETag": {
                "description": "a strong validator of this answer: send it in If-None-Match for a 304",
                "schema": {"type": "string"}}}
        responses["304"] = {"description": STATUS_MEANINGS[304]}
    for status in sorted(_error_statuses(method, record, has_path_fields)):
        responses[str(status)] = {"description": STATUS_MEANINGS.get(status, "Error"),
                                  "content": {"application/json": {"schema": {"$ref": REF + "Error"}}}}
    return responses


def _answer(status: int, schema, media: str) -> dict:
    answer = {"description": STATUS_MEANINGS.get(status, "Done")}
    if schema is None:
        return answer
    if isinstance(schema, str):
        schema = {"$ref": REF + schema}
    answer["content"] = {media: {"schema": schema}}
    return answer


def _error_statuses(method: str, record: Operation, has_path_fields: bool) -> set[int]:
    """What a route of this kind may answer besides its own errors: a service may be away (503)
    or slow (504) for any; a user is named (401) and judged (403); a body may be malformed (400),
    too large (413), of the wrong type (415) or invalid (422); parameters may be invalid (422);
    a path names an item that may not exist (404); a write's Idempotency-Key may be malformed
    (400) or reused for another request (422)."""
    statuses = {503, 504, *record.errors}
    if record.auth:
        statuses |= {401, 403} if record.auth == "required" else {401}
    if record.body or record.upload:
        statuses |= {400, 413, 415, 422}
    if record.lists or record.params:
        statuses.add(422)
    if has_path_fields:
        statuses.add(404)
    if method in WRITE_METHODS:
        statuses |= {400, 422}
    return statuses

"""The API's contract, served: /api/openapi.json for systems, and the same document as a page
for people (/tai-lieu-api)."""
from __future__ import annotations

import json
import threading

from markupsafe import Markup, escape

from gateway.api.base import Api
from gateway.api.openapi import SCHEMA_SOURCES, build_document
from gateway.api.operations import operation
from gateway.resources.base import Page


class Contract:
    """The document, built once per process from the routes and the services' schemas (which
    change only when a service is deployed); until every source answers, it is not built."""

    def __init__(self, rpc, routes):
        self.rpc = rpc
        self.routes = routes
        self._document = None
        self._lock = threading.Lock()

    def document(self) -> dict:
        with self._lock:
            if self._document is None:
                schemas = {}
                with self.rpc.services() as services:
                    for source in SCHEMA_SOURCES:
                        for name, schema in getattr(services, source).api_schemas().items():
                            if name in schemas and schemas[name] != schema:
                                raise ValueError(f"two services publish different schemas named {name!r}")
                            schemas[name] = schema
                self._document = build_document(self.routes, schemas)
            return self._document


class OpenApiDocument(Api):
    def __init__(self, rpc, settings, contract: Contract):
        super().__init__(rpc, settings)
        self.contract = contract

    @operation("This API's OpenAPI 3.1 document", tag="contract", auth=None,
               answers={200: {"type": "object", "required": ["openapi", "paths"]}})
    def on_get(self, req, resp):
        resp.media = self.contract.document()


class ApiReferencePage(Page):
    """Every operation, its parameters, body and answers, and every schema, readable in a browser."""

    def __init__(self, rpc, templates, contract: Contract):
        super().__init__(rpc, templates)
        self.contract = contract

    def on_get(self, req, resp):
        document = self.contract.document()
        self.render(req, resp, "api_reference.html", document=document, operations=_by_tag(document),
                    schemas=document["components"]["schemas"], describe=describe, as_json=as_json)


def _by_tag(document: dict) -> list[tuple[str, list[dict]]]:
    tags: dict[str, list[dict]] = {}
    for path, item in document["paths"].items():
        for method, described in item.items():
            tags.setdefault(described["tags"][0], []).append({"path": path, "method": method.upper(), **described})
    return sorted(tags.items())


def describe(schema: dict) -> Markup:
    """A schema in a few words, each named schema a link to its description on the page."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            return Markup(" | ").join(describe(part) for part in schema[combined])
    kind = schema.get("type", "object" if "properties" in schema else "")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array" and "items" in schema:
        text = Markup("array of ") + describe(schema["items"])
    else:
        text = escape(kind)
    details = [f"{key} {schema[key]}" for key in ("format", "pattern", "minimum", "maximum", "minLength",
                                                   "maxLength", "maxItems") if key in schema]
    if "enum" in schema:
        details.append("one of " + ", ".join(str(value) for value in schema["enum"]))
    if "default" in schema:
        details.append(f"default {schema['default']}")
    return text + (escape(" (" + "; ".join(details) + ")") if details else "")


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)

"""What each API responder promises, kept on the responder itself.

`@operation(...)` records the summary, the body it takes (a schema the service validates with,
by name), what it answers with and which errors it may give. Nothing here changes how a request
is served: the services validate, the gateway passes on. The OpenAPI document (openapi.py) reads
these records from the routes app.py adds, and the contract tests hold every route to them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Param:
    """A query (or header) parameter beyond the list conventions (page, limit, sort)."""

    name: str
    schema: dict
    description: str = ""
    required: bool = False
    where: str = "query"


@dataclass(frozen=True)
class Operation:
    summary: str
    description: str = ""
    tag: str = ""
    # The JSON body: a component schema's name; `upload` instead for a multipart/form-data body.
    body: str | None = None
    upload: dict | None = None
    # Status → a component schema's name, an inline JSON Schema, or None for a body-less answer;
    # `media` is the answer's type (a CSV download names text/csv).
    answers: dict = field(default_factory=lambda: {200: None})
    media: str = "application/json"
    # A list answer: its items' schema name, the orders it offers (the first is the default).
    lists: str | None = None
    sorts: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    # "required": a bearer token names the user; "optional": a token changes what is seen; None: open.
    auth: str | None = "required"
    # Errors this route gives besides those every route of its kind may give (see openapi.py).
    errors: tuple[int, ...] = ()


def operation(summary: str, **details):
    """Decorate a responder (`on_get`, `on_post`, …) with what it promises."""
    record = Operation(summary=summary, **details)

    def decorate(responder):
        responder.operation = record
        return responder

    return decorate

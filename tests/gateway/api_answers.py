"""Real answers held to the OpenAPI document: the document built, as /api/openapi.json builds it,
from the routes under some prefixes and the running services' schemas, and each answer checked
against what its operation promises for its status."""
from __future__ import annotations

import re

import jsonschema_rs

from gateway.api.openapi import build_document
from gateway.api.operations import WRITE_METHODS

FIELD = re.compile(r"{(\w+)(?::\w+)?}")


def api_routes(client) -> list[tuple[str, object]]:
    """Every (template, resource) app.py added to the API, as the contract holds them."""
    resource = client.app._router.find("/api/openapi.json")[0]
    return resource.contract.routes


def build(portal, prefixes: tuple[str, ...], sources: tuple[str, ...] = ("content",),
          templates: tuple[str, ...] = ()) -> dict:
    """The document of the routes whose template starts with one of `prefixes` or is one of `templates`."""
    routes = [(template, resource) for template, resource in api_routes(portal.client)
              if template.startswith(prefixes) or template in templates]
    schemas = {}
    with portal.pool.services() as services:
        for source in sources:
            schemas.update(getattr(services, source).api_schemas())
    return build_document(routes, schemas)


def check(document: dict, method: str, template: str, response) -> None:
    """`response` (to `method` on the route `template`) is one its operation documents, and its body
    fits the schema documented for its status."""
    path = FIELD.sub(r"{\1}", template)
    operation = document["paths"][path][method.lower()]
    answer = operation["responses"].get(str(response.status_code))
    assert answer is not None, f"{method} {path} answered {response.status_code}, which it does not document"
    content = answer.get("content")
    if content is None:
        assert not response.content, f"{method} {path} {response.status_code}: a body it does not document"
        return
    schema = {**content["application/json"]["schema"], "components": document["components"]}
    errors = [error.message for error in jsonschema_rs.validator_for(schema).iter_errors(response.json)]
    assert not errors, f"{method} {path} {response.status_code}: {errors[:5]}"


def body_example(document: dict, template: str, method: str = "post") -> dict:
    """The first example the body schema of `method` on `template` gives."""
    assert method in WRITE_METHODS
    ref = document["paths"][FIELD.sub(r"{\1}", template)][method]["requestBody"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[-1]
    return document["components"]["schemas"][name]["examples"][0]

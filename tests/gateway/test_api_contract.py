"""/api/openapi.json held to the API that serves it, against the real services.

- the document is OpenAPI 3.1, and every schema in it is a JSON Schema (2020-12);
- every route under /api in Falcon's own router, with each method it has a responder for, is in
  the document, and nothing else is (read from the router, not from what the document was built
  from: a route added around `ApiRoutes` is caught);
- every example in the document is valid against the schema it illustrates, and every example
  of a request body is accepted by its route;
- every read answers a prepared item with the status and body the document gives it, 304 to its
  ETag, and without a token when the document asks none;
- bad requests of each kind (malformed JSON, another media type, too large, a field or query
  parameter its schema refuses, an unknown item, no token, a malformed Idempotency-Key) answer
  the status their operation documents, with the Error body naming the field or parameter, and
  leave the item they name as it was.

Failures are collected over every operation and reported together, each with its request and
answer, so one run names everything that differs."""
from __future__ import annotations

import copy
import dataclasses
import json
import re
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

import jsonschema_rs
import pytest
import schemathesis
from falcon import testing

from gateway.api.media import MAX_UPLOAD_BYTES
from gateway.vietnam_time import today
from services.common.config import Settings
from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.api_site import FIELD, add_commune, current_version, fill, multipart, png, prepare
from tests.gateway.conftest import PORTAL_ADMIN

DOCUMENT_URI = "urn:portal:api"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TEMPLATE_FIELD = re.compile(r"{(\w+)(?::\w+(?:\([^)]*\))?)?}")  # {day:date} as the document writes it: {day}


class Site(NamedTuple):
    client: testing.TestClient
    document: dict
    values: dict[str, str]  # path field -> a prepared item's value


@pytest.fixture
def portal_services():
    return ContentService, RankingService, SearchService, NotifyService


@pytest.fixture
def portal_settings(portal_settings):
    # Examples ask questions from one address, more than citizens may in an hour.
    return dataclasses.replace(portal_settings, QUESTION_RATE_LIMIT=1000)


@pytest.fixture
def site(phu_mau) -> Site:
    values = prepare(phu_mau)
    response = phu_mau.client.simulate_get("/api/openapi.json")
    assert response.status_code == 200, response.text
    return Site(phu_mau.client, response.json, values)


# What the document says


def operations(document: dict):
    """(path, method, operation) for every operation of the document."""
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def schema_validator(document: dict, schema: dict) -> jsonschema_rs.Validator:
    """A 2020-12 validator for `schema`, wherever it sits in the document: its references
    (#/components/schemas/…) are read from the document, registered under its own address."""
    registry = jsonschema_rs.Registry([(DOCUMENT_URI, document)])
    anchored = json.loads(json.dumps(schema).replace('"#/components/', f'"{DOCUMENT_URI}#/components/'))
    return jsonschema_rs.Draft202012Validator(anchored, registry=registry, validate_formats=True)


def resolved(document: dict, schema: dict) -> dict:
    """The schema a reference names (an empty one if it names nothing: the first test says so)."""
    while "$ref" in schema:
        found = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            found = found.get(part, {})
        schema = found
    return schema


def body_schema(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def body_examples(document: dict, operation: dict) -> list:
    """The examples of a JSON request body: its media type's and its schema's."""
    media = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if media is None:
        return []
    found = [media["example"]] if "example" in media else []
    found += [example["value"] for example in media.get("examples", {}).values() if "value" in example]
    schema = media.get("schema", {})
    found += schema.get("examples", []) + resolved(document, schema).get("examples", [])
    return found


def schema_objects(value, where: str = "#"):
    """(location, schema) for every JSON Schema in the document: a dict whose `examples` is a
    list is one (OpenAPI's own `examples` are maps), as is every component schema and every
    `schema` of a parameter, a body or an answer."""
    if isinstance(value, dict):
        if isinstance(value.get("examples"), list) or where.startswith("#/components/schemas/") and (
                where.count("/") == 3):
            yield where, value
        for key, item in value.items():
            if key == "schema" and isinstance(item, dict):
                yield f"{where}/schema", item
            yield from schema_objects(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from schema_objects(item, f"{where}/{index}")


def documented(operation: dict, status: int) -> dict | None:
    return operation["responses"].get(str(status))


# What Falcon routes


def routed_operations(app) -> set[tuple[str, str]]:
    """(path as the document writes it, method) for every responder of every route under /api/,
    read from Falcon's compiled router. A method Falcon answers by itself (405, OPTIONS) has a
    responder that is no method of the resource."""
    found = set()
    nodes = list(app._router._roots)
    while nodes:
        node = nodes.pop()
        nodes.extend(node.children)
        if node.resource is None or not node.uri_template.startswith("/api/"):
            continue
        for method, responder in node.method_map.items():
            if getattr(responder, "__self__", None) is node.resource:
                found.add((TEMPLATE_FIELD.sub(r"{\1}", node.uri_template), method.lower()))
    return found


# Requests and what their answers must be


class Failures(list):
    def check(self, ok: bool, request: str, response, why: str) -> None:
        if not ok:
            self.append(f"{request} -> {response.status_code} {response.text[:400]!r}: {why}")

    def report(self) -> str:
        return f"{len(self)} answers differ from the document:\n" + "\n".join(self)


def answered_as_documented(site: Site, failures: Failures, request: str, operation: dict, response,
                           expected: set[int]) -> None:
    """The answer's status is one of `expected` and one its operation documents; an error has the
    Error body naming its status, a success the body its status documents."""
    status = response.status_code
    failures.check(status in expected, request, response, f"expected {sorted(expected)}")
    answer = documented(operation, status)
    failures.check(answer is not None, request, response, f"{status} is not documented for this operation")
    if answer is None or status == 304 or request.startswith("HEAD"):
        return
    content = answer.get("content")
    if not content:
        failures.check(not response.content, request, response, "the document gives this answer no body")
        return
    media = response.headers.get("content-type", "").split(";")[0].strip()
    failures.check(media in content, request, response, f"{media!r} is not documented, only {sorted(content)}")
    if media != "application/json" or media not in content:
        return
    errors = [error.message for error in schema_validator(site.document, content[media]["schema"]).iter_errors(
        response.json)]
    failures.check(not errors, request, response, f"body does not match its schema: {errors[:3]}")
    if status >= 400 and not errors:
        failures.check(response.json["error"]["status"] == status, request, response, "error.status differs")


def send(site: Site, method: str, path: str, body=None, headers=None, raw: bytes | None = None,
         content_type: str = "application/json"):
    headers = dict(PORTAL_ADMIN if headers is None else headers)
    if raw is None and body is not None:
        raw = json.dumps(body).encode()
    if raw is not None:
        headers["Content-Type"] = content_type
    response = site.client.simulate_request(method.upper(), path, headers=headers, body=raw)
    shown = (raw or b"")[:200]
    return f"{method.upper()} {path} {'' if raw is None else repr(shown)}".strip(), response


# The document itself


def test_the_document_is_openapi_3_1_and_its_schemas_are_json_schemas(site):
    document = site.document
    assert document["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(copy.deepcopy(document)).validate()
    for where, schema in schema_objects(document):
        try:
            jsonschema_rs.meta.validate(schema)
        except jsonschema_rs.ValidationError as error:
            raise AssertionError(f"{where} is no JSON Schema: {error.message}") from None
    text = json.dumps(document)
    for reference in set(re.findall(r'"\$ref": "([^"]+)"', text)):
        assert reference.startswith("#/components/"), reference
        found = document
        for part in reference[2:].split("/"):
            assert part in found, f"{reference} names nothing"
            found = found[part]


def test_every_api_route_and_method_is_documented_and_nothing_else(site):
    routed = routed_operations(site.client.app)
    described = {(path, method) for path, method, _ in operations(site.document)}
    assert ("/api/openapi.json", "get") in routed
    assert routed - described == set(), "routed but not in the document"
    assert described - routed == set(), "in the document but not routed"


def test_every_example_is_valid_against_its_schema(site):
    document, invalid, checked = site.document, [], 0
    for where, schema in schema_objects(document):
        examples = schema.get("examples")
        for index, example in enumerate(examples if isinstance(examples, list) else []):
            errors = [f"{error.instance_path}: {error.message}"
                      for error in schema_validator(document, schema).iter_errors(example)]
            if errors:
                invalid.append(f"{where}/examples/{index}: {errors}")
            checked += 1
    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if "example" in parameter and not schema_validator(document, parameter["schema"]).is_valid(
                    parameter["example"]):
                invalid.append(f"{method.upper()} {path} parameter {parameter['name']}: {parameter['example']!r}")
    assert not invalid, f"{len(invalid)} examples are invalid:\n" + "\n".join(invalid)
    assert checked, "the document has no examples"


# Requests against the prepared commune


def with_version(site: Site, path: str, example):
    """An example naming a `version` names the item's current one: which that is depends on what
    was done to it before, and a stale one is rightly a 409."""
    if isinstance(example, dict) and "version" in example:
        version = current_version(site.client, path)
        others = {name: value for name, value in example.items() if name != "version"}
        return others if version is None else {**others, "version": version}
    return example


class Step(NamedTuple):
    """A request sent before an example: its operation, path values of its own, its body (the
    operation's first example unless given), and the path field its answer's `id` fills for
    what follows (a new item)."""

    method: str
    path: str
    fields: dict = {}
    body: dict | None = None
    gives: str | None = None


NEW_ARTICLE = Step("post", "/api/units/{unit}/articles", gives="article_id")
NEW_DOCUMENT = Step("post", "/api/units/{unit}/documents", gives="document_id")
NEW_QUESTION = Step("post", "/api/units/{unit}/questions", gives="question_id")
NEW_PROCEDURE = Step("post", "/api/units/{unit}/procedures", gives="procedure_id")
ARTICLE_SUBMITTED = [NEW_ARTICLE, Step("post", "/api/articles/{article_id}/submit")]
QUESTION_ACCEPTED = [NEW_QUESTION, Step("post", "/api/questions/{question_id}/accept")]
NEW_CONSULTATION = Step("post", "/api/units/{unit}/consultations", gives="consultation_id")
# A draft whose closing day has passed: only an import makes one at once.
PAST_CONSULTATION = Step("post", "/api/units/{unit}/consultation-imports", gives="consultation_id")
WEEK_BEFORE = {"week": "2026-W47"}  # the week schedule examples copy from
# Each example is sent in a commune of its own holding what its path names (api_site.py: the
# article, document and question published, the week's schedule too), so that none finds its item
# changed or removed by another; BEFORE names the requests that bring an item to the state an
# example needs, AT the path values an example is sent with instead of the prepared ones (a month
# is recomputed once it has ended).
BEFORE = {
    "/api/units/{unit}/rollback": [Step("put", "/api/units/{unit}")],
    "/api/articles/{article_id}/submit": [NEW_ARTICLE],
    "/api/articles/{article_id}/approve": ARTICLE_SUBMITTED,
    "/api/articles/{article_id}/reject": ARTICLE_SUBMITTED,
    "/api/articles/{article_id}/publish": [*ARTICLE_SUBMITTED, Step("post", "/api/articles/{article_id}/approve")],
    "/api/articles/{article_id}/force-publish": [NEW_ARTICLE],
    "/api/articles/{article_id}/rollback": [Step("put", "/api/articles/{article_id}")],
    "/api/units/{unit}/schedules/{week}/publish": [Step("put", "/api/units/{unit}/schedules/{week}/draft")],
    "/api/units/{unit}/schedules/{week}/copy": [
        Step("put", "/api/units/{unit}/schedules/{week}/draft", WEEK_BEFORE, {"entries": [
            {"start": "2026-11-16T07:30", "leader": "Chủ tịch UBND xã", "title": "Giao ban đầu tuần"}]}),
        Step("post", "/api/units/{unit}/schedules/{week}/publish", WEEK_BEFORE)],
    "/api/units/{unit}/schedules/{week}/rollback": [Step("put", "/api/units/{unit}/schedules/{week}/draft")],
    "/api/documents/{document_id}/publish": [NEW_DOCUMENT],
    "/api/documents/{document_id}/rollback": [Step("put", "/api/documents/{document_id}")],
    "/api/procedures/{procedure_id}/publish": [NEW_PROCEDURE],
    "/api/units/{unit}/pages/{lang}/{key}/rollback": [Step("put", "/api/units/{unit}/pages/{lang}/{key}")],
    "/api/questions/{question_id}/accept": [NEW_QUESTION],
    "/api/questions/{question_id}/reject": [NEW_QUESTION],
    "/api/questions/{question_id}/answer": QUESTION_ACCEPTED,
    "/api/questions/{question_id}/publish": [*QUESTION_ACCEPTED, Step("post", "/api/questions/{question_id}/answer")],
    "/api/consultations/{consultation_id}/open": [NEW_CONSULTATION],
    "/api/consultations/{consultation_id}/summary": [PAST_CONSULTATION],
}
AT = {
    "/api/units/{unit}/schedules/{week}/copy": {"week": "2026-W49"},  # into a week with no schedule
    "/api/ranking/{month}/revisions": {"month": (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")},
}


def send_example(site: Site, failures: Failures, path: str, method: str, values: dict, example=None):
    """An example of the operation's body (its first unless given) sent to `path` with `values`
    in its path fields; the answer if it was taken, else None."""
    if example is None:
        examples = body_examples(site.document, site.document["paths"][path][method])
        example = examples[0] if examples else {}
    address = fill(path, values)
    request, response = send(site, method, address, with_version(site, address, example))
    taken = 200 <= response.status_code < 300
    failures.check(taken, request, response, "the example is refused")
    if taken:
        answered_as_documented(site, failures, request, site.document["paths"][path][method], response,
                               {response.status_code})
    return response if taken else None


def test_every_request_body_example_is_accepted_by_its_route(site, phu_mau):
    failures, sent = Failures(), 0
    for path, method, operation in operations(site.document):
        for example in body_examples(site.document, operation):
            sent += 1
            steps = BEFORE.get(path, [])
            needs = set(FIELD.findall(path)).union(*(FIELD.findall(step.path) for step in steps))
            values = dict(site.values)
            if needs:
                values["unit"] = f"vi-du-{sent}"
                add_commune(site.client, values["unit"])
                values.update(prepare(phu_mau, values["unit"], needs))
            for step in steps:
                made = send_example(site, failures, step.path, step.method, {**values, **step.fields}, step.body)
                if made is not None and step.gives:
                    values[step.gives] = made.json["id"]
            send_example(site, failures, path, method, {**values, **AT.get(path, {})}, example)
    assert not failures, failures.report()
    assert sent, "no operation has a body example"


def required_query(document: dict, operation: dict, values: dict, failures: Failures, request: str) -> str:
    """The query string giving each required query parameter a value: a prepared item's if it is
    named like a path field (?unit=), else its example, default, first choice or least value, or
    for text the commune's name (words its items hold)."""
    given = []
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query" or not parameter.get("required"):
            continue
        schema = resolved(document, parameter.get("schema", {}))
        for value in (values.get(parameter["name"]), parameter.get("example"), (schema.get("examples") or [None])[0],
                      schema.get("default"), (schema.get("enum") or [None])[0], schema.get("minimum"),
                      "Phú Mậu" if schema.get("type") == "string" and "pattern" not in schema else None):
            if value is not None:
                given.append((parameter["name"], value))
                break
        else:
            failures.append(f"{request}: the required parameter {parameter['name']!r} has no example")
    return urlencode(given)


def addressed(site: Site, operation: dict, path: str, failures: Failures, values: dict | None = None) -> str:
    """`path` with its fields and required parameters filled."""
    values = site.values if values is None else values
    address = fill(path, values)
    query = required_query(site.document, operation, values, failures, address)
    return address + ("?" + query if query else "")


def test_every_read_answers_a_prepared_item_as_documented(site):
    """Each read of a prepared item: 200 with its documented body, for anyone when the document
    asks no token, and 304 when its ETag is sent back."""
    failures = Failures()
    for path, method, operation in operations(site.document):
        if method != "get":
            continue
        address = addressed(site, operation, path, failures)
        request, response = send(site, "get", address)
        answered_as_documented(site, failures, request, operation, response, {200})
        etag = response.headers.get("etag")
        failures.check(etag is not None, request, response, "a read carries no ETag")
        if etag is not None:
            again, response = send(site, "get", address, headers={**PORTAL_ADMIN, "If-None-Match": etag})
            # A 200 is right only if the answer changed meanwhile (a ranking rescored in the background).
            changed = response.status_code == 200 and response.headers.get("etag") != etag
            answered_as_documented(site, failures, f"{again} If-None-Match", operation, response,
                                   {200, 304} if changed else {304})
        if {} in operation.get("security", []):
            anyone, response = send(site, "get", address, headers={})
            answered_as_documented(site, failures, f"{anyone} (no token)", operation, response, {200})
    assert not failures, failures.report()


# Values of each JSON type, some of which a lenient reader turns into another ("1", true -> 1).
WRONG_TYPES = ({"x": 1}, "1", ["x"], True, 1.5)


@pytest.mark.slow
def test_bad_requests_answer_what_their_operation_documents(site):
    """Each kind of bad request on every operation it applies to, answered with a status the
    operation documents and the Error body."""
    document, failures = site.document, Failures()
    for path, method, operation in operations(document):
        address = addressed(site, operation, path, failures)
        schema = body_schema(operation)
        upload = "multipart/form-data" in operation.get("requestBody", {}).get("content", {})
        examples = body_examples(document, operation)
        valid = with_version(site, address, examples[0]) if examples else {}
        # What a request that is right but for what each check changes sends as its body.
        if upload:
            form, form_type = multipart(file=("anh.png", "image/png", png()))
            right = {"raw": form, "content_type": form_type}
        else:
            right = {"body": valid} if schema is not None else {}

        def expect(statuses, *args, case: str = "", **kwargs):
            request, response = send(site, method, *args, **kwargs)
            answered_as_documented(site, failures, f"{request} [{case}]" if case else request, operation, response,
                                   statuses)
            return response

        before = current_version(site.client, address) if method != "get" else None
        if method != "get":
            expect({400}, address, headers={**PORTAL_ADMIN, "Idempotency-Key": "khóa"}, **right)
        if schema is not None:
            expect({400}, address, raw=b'{"title": ')
            expect({415}, address, raw=b"title=x", content_type="application/x-www-form-urlencoded")
            expect({413}, address, raw=b'{"x": "' + b"x" * Settings.MAX_BODY_BYTES + b'"}')
            expect({422}, address, raw=b"[]")
            field_named(site, failures, method, address, schema, valid, expect)
        if upload:
            expect({415}, address, {"file": "anh.png"})
            expect({413}, address, raw=b"x" * (MAX_UPLOAD_BYTES + 1), content_type=form_type)
        fields = [(match.start(), match[1]) for match in FIELD.finditer(path)]
        typed = {parameter["name"] for parameter in operation.get("parameters", [])
                 if parameter["in"] == "path" and "pattern" in parameter["schema"] and parameter["name"] != "unit"}
        untyped = [(start, name) for start, name in fields if name not in typed]
        if untyped and (method in ("get", "delete") or examples or upload):
            start, name = untyped[-1]
            unknown = path[:start] + "khong-co" + path[start + len(name) + 2:]
            expect({404}, addressed(site, operation, unknown, failures), **right)
        for name, wrong in refused_parameters(document, operation):
            response = expect({422}, with_parameter(address, name, wrong), **right)
            named = response.json.get("error", {}).get("fields", {}) if response.status_code == 422 else {}
            failures.check(response.status_code != 422 or name in named, f"{method.upper()} {address} ?{name}={wrong}",
                           response, f"error.fields does not name {name}")
        if operation.get("security") == [{"bearer": []}]:
            expect({401}, address, headers={}, **right)
            expect({401}, address, headers={"Authorization": "Bearer khong-phai-ma"}, **right)
        after = current_version(site.client, address) if method != "get" else None
        if after != before:  # nothing refused is half-written
            failures.append(f"{method.upper()} {address}: refused requests moved its version {before} to {after}")
    assert not failures, failures.report()


def refused_parameters(document: dict, operation: dict):
    """(name, text) for each query parameter and a value its schema refuses as a query string
    carries it: given empty, and the first of a few near misses that it refuses."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        schema = resolved(document, parameter.get("schema", {}))
        if schema.get("type") == "array":
            schema = resolved(document, schema.get("items", {}))
        near_misses = ["x", "-1", "0", "2026-13-45", "9" * 12, "a" * (schema.get("maxLength", 0) + 1)]
        refused = [text for text in ["", *near_misses] if not takes(document, schema, text)]
        yield from ((parameter["name"], text) for text in refused[:1] + [text for text in refused[1:2] if text])


def takes(document: dict, schema: dict, text: str) -> bool:
    """Whether a query parameter of `schema` takes `text`: a number read from it, else the text."""
    kinds = schema.get("type", "string")
    kinds = set(kinds if isinstance(kinds, list) else [kinds])
    value = text
    if kinds & {"integer", "number"} and "string" not in kinds:
        if not re.fullmatch(r"-?[0-9]+", text):
            return False
        value = int(text)
    elif kinds == {"boolean"}:
        if text not in ("true", "false"):
            return False
        value = text == "true"
    return schema_validator(document, schema).is_valid(value)


def with_parameter(address: str, name: str, value: str) -> str:
    """`address` with the query parameter `name` set to `value` (in place of any value it had)."""
    path, _, query = address.partition("?")
    kept = [(key, kept_value) for key, kept_value in parse_qsl(query, keep_blank_values=True) if key != name]
    return path + "?" + urlencode([*kept, (name, value)])


def field_named(site: Site, failures: Failures, method: str, address: str, schema: dict, valid, expect) -> None:
    """A valid body with one field of a type its schema refuses, without a required field, or with
    a field the schema does not name, is a 422 naming that field."""
    if not isinstance(valid, dict):
        return
    described = resolved(site.document, schema)
    wrong = [(name, {**valid, name: value}) for name, field in sorted(described.get("properties", {}).items())
             for value in WRONG_TYPES if not schema_validator(site.document, field).is_valid(value)]
    missing = [(name, {key: value for key, value in valid.items() if key != name})
               for name in described.get("required", []) if name in valid]
    unknown = [("khong_co", {**valid, "khong_co": 1})] if described.get("additionalProperties") is False else []
    for name, body in wrong + missing + unknown:
        case = f"{name}: {json.dumps(body[name])}" if name in body else f"{name} left out"
        response = expect({422}, address, body, case=case)
        named = response.json.get("error", {}).get("fields", {}) if response.status_code == 422 else {}
        failures.check(response.status_code != 422 or any(
            field_name == name or field_name.startswith(name + ".") for field_name in named),
            f"{method.upper()} {address} [{case}]", response, f"error.fields does not name {name}")


def test_an_address_or_method_no_route_serves_answers_the_error_body(site):
    """Outside every operation the document lists, a failure still has the Error body: an unknown
    address under /api (404), a method a route does not serve (405)."""
    error = schema_validator(site.document, {"$ref": "#/components/schemas/Error"})
    routed = routed_operations(site.client.app)
    unserved = sorted((path, method) for path in {path for path, _ in routed} for method in ("put", "patch", "delete")
                      if (path, method) not in routed)
    failures = Failures()
    for path, method, status in [("/api/khong-co", "get", 404), *((path, method, 405) for path, method in unserved)]:
        request, response = send(site, method, fill(path, site.values))
        failures.check(response.status_code == status and error.is_valid(response.json)
                       and response.json["error"]["status"] == status, request, response, f"expected {status} as Error")
    assert not failures, failures.report()

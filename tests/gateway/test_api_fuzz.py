"""Every operation of /api/openapi.json fuzzed by schemathesis from the document itself, against
the real content, ranking, search and notify services: requests drawn from each operation's
parameters and body schema, valid ones and (in negative mode) ones the schema refuses, each
answered with no server error, a documented status, content type and headers, and a body its
schema takes; a request the schema refuses is refused.

Where test_fuzz.py throws anything at every route to find crashes, this holds the answers to the
document: the two overlap only in never allowing a 5xx. Path fields name the prepared commune's
real items three times in four (api_site.py), so requests reach them rather than a 404, and
every request carries the platform admin's token, so writes get past permission to the
services' validation (but for the part a negative case breaks, sent as drawn). Examples are
drawn without randomness (derandomize) and none are saved, so a run is the same everywhere;
their number is bounded to keep the file within a few minutes.

Scenarios along the links schemathesis infers (`as_state_machine`) are left out: with the
services' state carried from one scenario to the next, Hypothesis finds the same choices
leading to other rules and stops with FlakyStrategyDefinition, and the scenarios mostly named
made-up items; the prepared items above reach further."""
from __future__ import annotations

import dataclasses
import traceback

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.api_site import FIELD, add_commune, current_version, prepare
from tests.gateway.conftest import PORTAL_ADMIN

# The five the contract names, and that a request the schema refuses is refused (negative mode).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]
# Per operation and mode: the file ran in 2 min 20 s on two cores under a load of 4.6 (December 2026).
EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 12}
# Removals last, so that no other operation is fuzzed against an item already removed; a unit
# merged or dissolved is another commune than the one the rest is fuzzed in.
LAST_METHODS = ("delete",)
TAKE_APART = ("/api/units/{unit}/merge", "/api/units/{unit}/dissolve")
APART = "phu-da"


@pytest.fixture
def portal_services():
    return ContentService, RankingService, SearchService, NotifyService


@pytest.fixture
def portal_settings(portal_settings):
    # Fuzzing asks questions from one address far more often than citizens may.
    return dataclasses.replace(portal_settings, QUESTION_RATE_LIMIT=100_000)


def negated(case, location: ParameterLocation) -> bool:
    """Whether the case breaks its schema in `location` (negative mode): that part is sent as drawn."""
    component = case.meta.components.get(location) if case.meta else None
    return component is not None and component.mode.is_negative


def fuzzed(operation, mode: GenerationMode, client, values: dict[str, str]):
    """The operation's cases in `mode`, three times in four with their path fields naming a
    prepared item and a body's `version` its current one, so that they reach it and may change it
    (unless that part is the one the case breaks)."""
    real = {name: values[name] for name in FIELD.findall(operation.path) if name in values}
    if operation.path in TAKE_APART:
        real["unit"] = APART

    def with_real_items(drawn):
        case, use_real = drawn
        if not use_real:
            return case
        if real and case.path_parameters is not None and not negated(case, ParameterLocation.PATH):
            case.path_parameters = {**case.path_parameters, **real}
        if isinstance(case.body, dict) and "version" in case.body and not negated(case, ParameterLocation.BODY):
            case.body = {**case.body, "version": current_version(client, case.formatted_path)}
        return case

    return st.tuples(operation.as_strategy(generation_mode=mode),
                     st.sampled_from([True, True, True, False])).map(with_real_items)


def fuzz(operation, mode: GenerationMode, client, values: dict[str, str]) -> str | None:
    """Run the operation's cases; the first failure found, with its request and answer, or None."""
    failed = []

    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=fuzzed(operation, mode, client, values))
    def run(case):
        headers = as_admin(case)
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as error:
            failed.append(described(case, response, error))
            raise

    try:
        run()
    except Unsatisfiable:
        # An operation may have nothing its schema refuses (no body, no bounded parameter).
        return None if mode is GenerationMode.NEGATIVE else f"{operation.label}: no request fits its schema"
    except (Exception, BaseExceptionGroup):
        return f"{operation.label} ({mode.value}): " + (failed[-1] if failed else traceback.format_exc())
    return None


def as_admin(case) -> dict:
    """The platform admin's token on every request, but for one whose headers are what it breaks."""
    return {} if negated(case, ParameterLocation.HEADER) else dict(PORTAL_ADMIN)


def described(case, response, error) -> str:
    """The request, the answer and what was wrong with it, for the report."""
    problems = [str(failure).strip() for failure in getattr(error, "exceptions", [error])]
    body = "" if case.body is None or case.body is NOT_SET else f" body={case.body!r:.300}"
    return (f"{case.method} {case.formatted_path} query={case.query or {}} headers={case.headers or {}}"
            f" type={case.media_type}{body}\n  -> {response.status_code} {response.text[:400]!r}\n  "
            + "\n  ".join(problems))


@pytest.mark.slow
def test_every_operation_answers_as_its_document_says(phu_mau):
    values = prepare(phu_mau)
    add_commune(phu_mau.client, APART)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", phu_mau.client.app)
    refusals = schema.config.checks.negative_data_rejection
    # A request the schema refuses may be refused for its size before its fields are read (413).
    refusals.expected_statuses = [*refusals.expected_statuses, "413"]
    found = [result.ok() for result in schema.get_all_operations()]
    found.sort(key=lambda operation: operation.method.lower() in LAST_METHODS)
    failures = [failure for operation in found for mode in EXAMPLES
                if (failure := fuzz(operation, mode, phu_mau.client, values)) is not None]
    assert not failures, f"{len(failures)} operations answer otherwise than documented:\n\n" + "\n\n".join(failures)

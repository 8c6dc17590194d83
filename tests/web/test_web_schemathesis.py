"""schemathesis against the generated OpenAPI document: no server error, no mismatch.

For every operation, schemathesis generates requests that fit the document (positive) and
requests that break it (negative), on the demo data, and checks every response with all of
its response checks: documented status, content type, headers and body schema, negative
data refused, valid data accepted (refused only for a rule of the domain that no schema can
state: ``tests/web/schemathesis_checks.py``). Methods a path does not serve answer 405 with
an ``Allow`` header.

The same document, checks and more phases (coverage, stateful) run against a live server
with ``SCHEMATHESIS_HOOKS=tests.web.schemathesis_checks schemathesis run ...`` (see
docs/security.md).
"""

from __future__ import annotations

import inspect

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.generation import GenerationMode
from schemathesis_checks import domain_aware_acceptance, domain_only

MAX_EXAMPLES = 15
SLOW_EXAMPLES = 3  # network reports take about a second each on the demo data
#: response checks of schemathesis that work on one response (the others need a whole run);
#: positive_data_acceptance is replaced by domain_aware_acceptance
load_all_checks()
CHECKED = [
    c
    for c in CHECKS.get_all()
    if inspect.isfunction(c) and c.__name__ != "positive_data_acceptance"
]


def test_every_response_check_is_used():
    names = {c.__name__ for c in CHECKED}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
    } <= names


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(demo_app, staff_headers, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 20
    tested = set()
    for operation in operations:
        examples = SLOW_EXAMPLES if "/network/" in operation.path else MAX_EXAMPLES

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            case.call_and_validate(
                headers=staff_headers, checks=[*CHECKED, domain_aware_acceptance]
            )

        try:
            check()
        except Unsatisfiable:  # nothing to break: no body, no query, free-text path segments
            assert mode == GenerationMode.NEGATIVE
            assert not operation.body
            assert all(p.location != "query" for p in operation.iter_parameters())
            continue
        tested.add(operation.label)
    breakable = {
        o.label
        for o in operations
        if o.body or any(p.location == "query" for p in o.iter_parameters())
    }
    assert len(breakable) == 15
    assert breakable <= tested
    assert len(tested) == 20 if mode == GenerationMode.POSITIVE else len(tested) >= 15


def test_methods_not_served_answer_405_with_allow(demo_app, staff_headers):
    doc = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    client = demo_app.test_client()
    checked = 0
    for path, operations in doc["paths"].items():
        url = "/api/v1" + path.replace("{code}", "DEMO-BOZZA-M1-ETS-MIN").replace(
            "{tax_code}", "99000059990"
        )
        allowed = {m.upper() for m in operations}
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - allowed:
            r = client.open(url, method=method, headers=staff_headers)
            assert r.status_code == 405, (method, path)
            served = {m.strip() for m in r.headers["Allow"].split(",")}
            assert served - {"HEAD", "OPTIONS"} == allowed, (method, path)
            assert r.mimetype == "application/problem+json"
            checked += 1
    assert checked == 16 * 5 - 20


def test_domain_only_refusals_are_told_apart():
    assert domain_only(b'{"errors": [{"type": "reference"}, {"type": "check_digit"}]}')
    assert not domain_only(b'{"errors": [{"type": "reference"}, {"type": "string_too_long"}]}')
    assert not domain_only(b'{"errors": []}')
    assert not domain_only(b"not json")

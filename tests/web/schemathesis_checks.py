"""schemathesis's acceptance check, with the one refusal a schema cannot foresee.

``positive_data_acceptance`` fails when a request that the OpenAPI document calls valid is
refused. A few rules of the domain cannot be written in JSON Schema: a tax code's check
digit, a district or organisation that must exist, a contradiction with stored data. The API
refuses those with 422 and says so in every field error's ``type``
(:attr:`matchmaker.domain.DomainError.KINDS`). This check accepts such a 422, and only
such: a schema-valid request refused for any other type of error (a length, a range, a
pattern: what the schema should have said) fails, as in schemathesis's own check.

Used by ``tests/web/test_web_schemathesis.py``, and by the command line through
``SCHEMATHESIS_HOOKS=tests.web.schemathesis_checks``.
"""

from __future__ import annotations

import json

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData

#: refusals that no request schema can state (see DomainError.KINDS)
DOMAIN_ONLY = frozenset({"reference", "check_digit", "conflict", "duplicate", "state"})
#: what a schema-valid request may get besides a success (schemathesis's defaults)
ACCEPTED = {401, 403, 404, 409, 429}


def domain_only(body: bytes | str) -> bool:
    """Whether a 422 problem document lists only errors the schema cannot state."""
    try:
        problem = json.loads(body)
    except ValueError:
        return False
    errors = problem.get("errors") if isinstance(problem, dict) else None
    return bool(errors) and all(e.get("type") in DOMAIN_ONLY for e in errors)


@schemathesis.check
def domain_aware_acceptance(ctx, response, case) -> bool | None:
    """Schema-valid requests are accepted, or refused only for a rule of the domain."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 400 or status in ACCEPTED or status >= 500:  # 5xx: not_a_server_error
        return None
    if status == 422 and domain_only(response.content):
        return None
    raise RejectedPositiveData(
        operation=case.operation.label,
        message="Valid data should have been accepted (or refused for a domain rule only)\n"
        f"Got {status}: {response.content[:300]!r}",
        status_code=status,
        allowed_statuses=["2xx", "3xx", *map(str, sorted(ACCEPTED)), "422 (domain rules)"],
    )

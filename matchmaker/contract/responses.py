"""The shapes of the API's answers, as models: the OpenAPI document's response schemas.

The API builds its answers from the library's own records (``organisation_dict``,
``CheckResult.as_dict``, ``MatchResult.to_dict``...); these models describe them, and the
schemathesis test checks every answer against them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from matchmaker.contract.limits import MAX_PER_PAGE, MEASURE_MAX
from matchmaker.domain import MemberRole, OrgKind, PartnershipStatus, RuntsSection, Sector

__all__ = ["RESPONSE_MODELS"]


def _values(enum: Any) -> Any:
    return Literal[tuple(e.value for e in enum)]  # type: ignore[misc]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldProblem(_Out):
    """One field of a refused request."""

    field: str | None
    message: str
    message_en: str = ""
    type: str = ""
    value: str = ""


class Problem(BaseModel):
    """An error (RFC 9457 problem document); ``errors`` lists the fields concerned."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = []


class Theme(_Out):
    code: str
    label_it: str
    label_en: str
    group: str


class Comune(_Out):
    istat_code: Annotated[str, Field(pattern="^[0-9]{6}$")]
    name: str
    province: str
    lat: float | None
    lon: float | None
    area_km2: float | None
    population: int | None
    asl: str | None


class OrganisationRef(_Out):
    tax_code: str
    name: str


class District(_Out):
    code: str
    name: str
    is_illustrative: bool
    enti_gestori: list[OrganisationRef]
    comuni_count: int
    comuni: list[str] = []


class Seat(_Out):
    istat_code: str
    name: str
    province: str


class Organisation(_Out):
    tax_code: str
    name: str
    kind: _values(OrgKind)
    sector: _values(Sector)
    runts_section: _values(RuntsSection) | None
    seat: Seat | None
    districts: list[str]
    themes: list[str]
    description: str
    website: str | None
    is_illustrative: bool
    source: str | None
    version: int
    created_at: str
    updated_at: str
    email: str | None = None
    phone: str | None = None


class Member(_Out):
    tax_code: str
    name: str
    kind: _values(OrgKind)
    role: _values(MemberRole)
    joined_on: str | None


class Partnership(_Out):
    code: str
    title: str
    measure: Annotated[int, Field(ge=1, le=MEASURE_MAX)]
    round: int
    year: int | None
    status: _values(PartnershipStatus)
    description: str
    budget_eur: str | None
    districts: list[str]
    themes: list[str]
    members: list[Member]
    is_illustrative: bool
    source: str | None
    version: int


class StatusChange(_Out):
    """A status change of an ATS, with the check of its composition at that moment."""

    code: str
    from_status: _values(PartnershipStatus)
    to_status: _values(PartnershipStatus)
    at: str
    actor: str
    note: str
    admissible: bool


class MatchResult(_Out):
    tax_code: str
    name: str
    kind: str
    score: Annotated[float, Field(ge=0, le=1)]
    channels: dict[str, float]
    explanation: dict[str, Any]
    flags: list[str]


class MatchResponse(_Out):
    results: list[MatchResult]


class FixOut(BaseModel):
    action: str
    message_it: str
    message_en: str
    tax_codes: list[str]
    districts: list[str]
    details: dict[str, Any]


class FindingOut(_Out):
    rule_id: str
    severity: Literal["error", "warning"]
    message_it: str
    message_en: str
    paragraph: str
    tax_codes: list[str]
    districts: list[str]
    fixes: list[FixOut]
    details: dict[str, Any]


class CheckResult(_Out):
    admissible: bool
    complete: bool
    composition: dict[str, Any]
    rules_checked: list[str]
    findings: list[FindingOut]


class ProposeResponse(_Out):
    proposals: list[dict[str, Any]]


class ThemeList(_Out):
    items: list[Theme]


class DistrictList(_Out):
    items: list[District]


class _Page(_Out):
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]
    total: Annotated[int, Field(ge=0)]
    pages: Annotated[int, Field(ge=1)]


class ComunePage(_Page):
    items: list[Comune]


class OrganisationPage(_Page):
    items: list[Organisation]


class PartnershipPage(_Page):
    items: list[Partnership]


class NetworkMetrics(BaseModel):
    """The measures report of the network (see docs/network.md)."""

    model_config = ConfigDict(extra="allow")

    summary: dict[str, Any]
    nodes: dict[str, Any]


#: every response model, by the name the OpenAPI document gives its schema
RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    m.__name__: m
    for m in (
        CheckResult,
        ComunePage,
        District,
        DistrictList,
        MatchResponse,
        NetworkMetrics,
        Organisation,
        OrganisationPage,
        Partnership,
        PartnershipPage,
        Problem,
        ProposeResponse,
        StatusChange,
        ThemeList,
    )
}

"""The request bodies of the JSON API and of the ATS builder's JSON endpoints, as models.

Every body is validated by one of these models before anything else runs, and the OpenAPI
document is generated from the same models, so the document and the server cannot drift:
a body the document calls valid passes the model, an invalid one is refused with a field
error. What a model cannot state (a tax code's check digit, a district that must exist, an
organisation already in the ATS) is checked afterwards by the library, and refused with an
error whose ``type`` says so (see :class:`matchmaker.domain.DomainError`).

Models are strict (no "1" for 1, no true for 1) and refuse unknown fields.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from matchmaker.contract.errors import ContractError, FieldError, from_validation_error
from matchmaker.contract.limits import (
    CODE_MAX,
    DESCRIPTION_MAX,
    DISTRICTS_MAX,
    EMAIL_PATTERN,
    EXCLUDE_MAX,
    FILLED,
    MEASURE_MAX,
    MEMBERS_MAX,
    NO_NUL,
    NOTE_MAX,
    PROPOSAL_SIZE_MAX,
    ROUND_MAX,
    TAX_CODE_MAX,
    TEXT_MAX,
    THEMES_MAX,
    TITLE_MAX,
    TOP_K_MAX,
)
from matchmaker.domain import MemberRole, OrgKind, PartnershipStatus, RuntsSection, Sector

__all__ = [
    "REQUEST_MODELS",
    "AtsCheckRequest",
    "CompositionIn",
    "ContractError",
    "DraftIn",
    "DraftUpdate",
    "MatchRequest",
    "MemberAdd",
    "MemberIn",
    "OrganisationCreate",
    "OrganisationUpdate",
    "ProposeRequest",
    "StatusChangeIn",
    "duplicate",
    "given",
    "validate",
]


def _values(enum: Any) -> Any:
    return Literal[tuple(e.value for e in enum)]  # type: ignore[misc]


RoleValue = _values(MemberRole)
KindValue = _values(OrgKind)
SectorValue = _values(Sector)
StatusValue = _values(PartnershipStatus)
RuntsValue = Literal[(*(r.value for r in RuntsSection), "")]  # type: ignore[misc]


def _str(max_length: int, *, filled: bool = False, **extra: Any) -> Any:
    """A text of at most ``max_length`` characters without NUL (``filled``: not blank)."""
    if filled:
        return Annotated[str, Field(min_length=1, max_length=max_length, pattern=FILLED, **extra)]
    return Annotated[str, Field(max_length=max_length, pattern=NO_NUL, **extra)]


Code = _str(CODE_MAX, filled=True)
TaxCode = _str(TAX_CODE_MAX, filled=True)
Title = _str(TITLE_MAX, filled=True)
Text = _str(TEXT_MAX)
Description = _str(DESCRIPTION_MAX)


def _whole(value: Any) -> Any:
    """A JSON number without a fraction (``3.0``) is the integer it spells."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _int(lo: int, hi: int | None = None, **extra: Any) -> Any:
    """An integer between ``lo`` and ``hi``: ``true`` and ``"1"`` are not integers."""
    return Annotated[int, Field(ge=lo, le=hi, **extra), BeforeValidator(_whole)]


#: the measure of an ATS (the service refuses one whose call has no rules: a new call is
#: a rule file, not a change of the contract)
Measure = _int(1, MEASURE_MAX)
Round = _int(1, ROUND_MAX)
Version = _int(1)


def _codes(limit: int) -> Any:
    """A list of distinct codes (district or theme codes)."""
    return Annotated[list[Code], Field(max_length=limit, json_schema_extra={"uniqueItems": True})]


_M = TypeVar("_M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    #: list fields whose items must be distinct (``uniqueItems`` in the document)
    _distinct: tuple[str, ...] = ()

    def problems(self) -> list[FieldError]:
        """What the field types alone do not check: distinct items, one field of several."""
        out = []
        for name in self._distinct:
            wire = type(self).model_fields[name].alias or name
            seen: set[Any] = set()
            for i, item in enumerate(getattr(self, name) or ()):
                if item in seen:
                    out.append(duplicate(wire, i, str(item), "elemento ripetuto", "repeated item"))
                seen.add(item)
        return out


class MemberIn(_Model):
    """A member of an ATS: a tax code (spaces and dots allowed) and its role."""

    tax_code: TaxCode
    role: RoleValue = MemberRole.MANDANTE.value


class CompositionIn(_Model):
    """An ATS composition to check against the call's rules."""

    measure: Measure
    call_round: Round = Field(alias="round")
    districts: _codes(DISTRICTS_MAX)
    members: Annotated[list[MemberIn], Field(max_length=MEMBERS_MAX)]
    themes: _codes(THEMES_MAX) = []
    code: Code | None = None
    title: _str(TITLE_MAX) | None = None

    _distinct = ("districts", "themes")


class AtsCheckRequest(CompositionIn):
    """A composition to check, with or without fixes, and the need that ranks their
    candidates."""

    fixes: bool = True
    need: Text = ""


class ProposeRequest(_Model):
    """Propose complete admissible ATS for an Ente Gestore (``for_tax_code``) or a district,
    and a need."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": ["for_tax_code"]}, {"required": ["district"]}]}
    )

    text: _str(TEXT_MAX, filled=True)
    for_tax_code: TaxCode = None  # type: ignore[assignment]
    district: Code = None  # type: ignore[assignment]
    size: _int(1, PROPOSAL_SIZE_MAX) = 3
    call_round: Round = Field(default=None, alias="round")  # type: ignore[assignment]
    measure: _int(1, 1, description="Le squadre si propongono per la Misura 1") = 1
    alternatives: _int(1, 3) = 3

    def problems(self) -> list[FieldError]:
        if self.for_tax_code is None and self.district is None:
            return [_missing_one("for_tax_code", "for_tax_code (un Ente Gestore) o district", None)]
        return []


class MatchRequest(_Model):
    """A request for partners: a need in words, an asking organisation or themes."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["text"], "properties": {"text": {"pattern": FILLED}}},
                {"required": ["for_tax_code"], "properties": {"for_tax_code": {"type": "string"}}},
                {"required": ["themes"], "properties": {"themes": {"minItems": 1}}},
            ]
        }
    )

    text: Text = ""
    for_tax_code: TaxCode | None = None
    districts: _codes(DISTRICTS_MAX) = []
    kinds: Annotated[
        list[KindValue], Field(max_length=len(OrgKind), json_schema_extra={"uniqueItems": True})
    ] = [OrgKind.ETS.value]
    top_k: _int(1, TOP_K_MAX) = 10
    territory: Literal["soft", "hard", "off"] = "soft"
    radius_km: Annotated[float, Field(gt=0, le=1000)] | None = None
    exclude_tax_codes: Annotated[list[TaxCode], Field(max_length=EXCLUDE_MAX)] = []
    call_round: Round | None = None
    measure: Measure | None = None
    exclude_at_capacity: bool = False
    prefer_newcomers: bool = False
    themes: _codes(THEMES_MAX) = []

    _distinct = ("districts", "kinds", "themes")

    def problems(self) -> list[FieldError]:
        out = super().problems()
        if not (self.text.strip() or self.for_tax_code or self.themes):
            out.append(
                _missing_one(
                    "text",
                    "il bisogno (text), un ente (for_tax_code) o dei temi",
                    "the need (text), an organisation (for_tax_code) or themes",
                )
            )
        return out


class DraftIn(_Model):
    """A new ATS as its builder writes it: title, description, measure, round (default: the
    open round of the measure), districts and members (in order)."""

    title: Title
    description: Description = ""
    measure: Measure = 1
    call_round: Round | None = Field(
        default=None, alias="round", description="Predefinito: il turno aperto della misura"
    )
    districts: _codes(DISTRICTS_MAX) = []
    members: Annotated[list[MemberIn], Field(max_length=MEMBERS_MAX)] = []
    themes: _codes(THEMES_MAX) | None = None

    _distinct = ("districts", "themes")


class DraftUpdate(_Model):
    """A stored ATS rewritten whole (every field is required), with the version it was
    read at."""

    title: Title
    description: Description
    measure: Measure
    call_round: Round = Field(alias="round")
    districts: _codes(DISTRICTS_MAX)
    members: Annotated[list[MemberIn], Field(max_length=MEMBERS_MAX)]
    themes: _codes(THEMES_MAX) | None = None
    version: Version

    _distinct = ("districts", "themes")


class MemberAdd(_Model):
    """One organisation to add to a draft ATS."""

    tax_code: TaxCode
    role: RoleValue = MemberRole.MANDANTE.value
    version: Version | None = None


class StatusChangeIn(_Model):
    """Move an ATS to another status of its life cycle."""

    status: StatusValue
    note: _str(NOTE_MAX) = ""


_List = list[_str(100)] | _str(5000)
_Email = Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN)]
_Name = _str(300, filled=True)
_ProfileTaxCode = _str(20, filled=True)
_Comune = _str(100, description="Codice ISTAT, codice catastale o nome del comune")


class OrganisationCreate(_Model):
    """A new organisation's profile (name, kind and tax code required)."""

    name: _Name
    kind: KindValue
    sector: SectorValue | None = None
    tax_code: _ProfileTaxCode
    comune: _Comune | None = None
    districts: _List = []
    runts_section: RuntsValue | None = None
    themes: _List = []
    description: Description = ""
    website: _str(300) | None = None
    email: _Email | None = None
    phone: _str(40) | None = None


class OrganisationUpdate(_Model):
    """Changed fields of a profile, with the version the editor read (``tax_code``, when
    given, must be the profile's own: it cannot change)."""

    name: _Name = None  # type: ignore[assignment]
    kind: KindValue = None  # type: ignore[assignment]
    sector: SectorValue | None = None
    tax_code: _ProfileTaxCode = None  # type: ignore[assignment]
    comune: _Comune | None = None
    districts: _List = None  # type: ignore[assignment]
    runts_section: RuntsValue | None = None
    themes: _List = None  # type: ignore[assignment]
    description: Description = None  # type: ignore[assignment]
    website: _str(300) | None = None
    email: _Email | None = None
    phone: _str(40) | None = None
    version: Version


#: every request model, by the name the OpenAPI document gives its schema
REQUEST_MODELS: dict[str, type[BaseModel]] = {
    m.__name__: m
    for m in (
        AtsCheckRequest,
        DraftIn,
        DraftUpdate,
        MatchRequest,
        MemberAdd,
        OrganisationCreate,
        OrganisationUpdate,
        ProposeRequest,
        StatusChangeIn,
    )
}


def validate(model: type[_M], data: Any) -> _M:
    """``data`` (parsed JSON) as an instance of ``model``; :class:`ContractError` otherwise.

    Raises
    ------
    ContractError
        Listing every field that is wrong, with Italian and English messages.
    """
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    problems = instance.problems() if isinstance(instance, _Model) else []
    if problems:
        raise ContractError(problems)
    return instance


def _missing_one(field: str, what_it: str, what_en: str | None = None) -> FieldError:
    return FieldError(
        field=field,
        type="missing",
        message_it=f"{field}: indicare {what_it}",
        message_en=f"{field}: give {what_en or what_it}",
    )


def given(instance: BaseModel) -> dict[str, Any]:
    """The fields the request actually carried, by their wire names (aliases)."""
    return instance.model_dump(by_alias=True, exclude_unset=True)


def duplicate(field: str, index: int, value: str, what_it: str, what_en: str) -> FieldError:
    """The error for an item listed twice (``members[3].tax_code``)."""
    return FieldError(
        field=f"{field}[{index}]",
        type="duplicate",
        message_it=f"{field}[{index}]: {value} compare più di una volta ({what_it})",
        message_en=f"{field}[{index}]: {value} is listed twice ({what_en})",
        value=value,
    )

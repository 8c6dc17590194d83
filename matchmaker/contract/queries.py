"""The query strings of the API's lists and network views, as models.

Values arrive as text: integers must be written as plain digits, lists are comma-separated
(or the parameter repeated), and a pattern says which items a list admits, so that the
OpenAPI document states exactly what the server accepts. Unknown parameters are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from matchmaker.contract.limits import MAX_PAGE, MAX_PER_PAGE, MEASURE_MAX, NO_NUL, ROUND_MAX
from matchmaker.domain import OrgKind, PartnershipStatus, RuntsSection, Sector

__all__ = [
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "ComuniQuery",
    "MemberRemoveQuery",
    "NetworkExportQuery",
    "NetworkQuery",
    "OrganisationsQuery",
    "PageQuery",
    "PartnershipsQuery",
    "csv_items",
    "query_values",
]

_DIGITS = re.compile(r"-?[0-9]+")


def _digits(value: Any) -> Any:
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise PydanticCustomError("int_parsing", "atteso un numero intero")
    return value


def _int(lo: int, hi: int, description: str | None = None) -> Any:
    return Annotated[int, Field(ge=lo, le=hi, description=description), BeforeValidator(_digits)]


def _csv(description: str, *items: str) -> Any:
    """A comma-separated list of the given items (a pattern in the document)."""
    one = "(?:" + "|".join(re.escape(i) for i in items) + ")"
    return Annotated[
        str, Field(pattern=f"^{one}(?:,{one})*$", max_length=2000, description=description)
    ]


def _csv_pattern(one: str, description: str) -> Any:
    return Annotated[
        str, Field(pattern=f"^{one}(?:,{one})*$", max_length=2000, description=description)
    ]


_ROUND = r"(?:1000|[1-9][0-9]{0,2})"
_YEAR = r"(?:19[0-9]{2}|20[0-9]{2}|2100)"
_CODE = r"[^,\x00]+"
_Text = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]


class _Query(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PageQuery(_Query):
    """``page`` and ``per_page`` of a list."""

    page: _int(1, MAX_PAGE, "Numero di pagina (da 1)") = 1
    per_page: _int(1, MAX_PER_PAGE, f"Elementi per pagina (al massimo {MAX_PER_PAGE})") = 50


class ComuniQuery(PageQuery):
    """Comuni of Piemonte, of one province or starting with ``q``."""

    province: (
        Annotated[
            str,
            Field(max_length=2, pattern=NO_NUL, description="Sigla della provincia (TO, CN...)"),
        ]
        | None
    ) = None
    q: (
        Annotated[str, Field(max_length=100, pattern=NO_NUL, description="Inizio del nome")] | None
    ) = None


class OrganisationsQuery(PageQuery):
    """Filters of the directory."""

    q: Annotated[
        str,
        Field(
            max_length=200,
            pattern=NO_NUL,
            description="Parole nel nome o nella descrizione, o un codice fiscale",
        ),
    ] = ""
    kind: _csv("Tipi di ente separati da virgola", *(k.value for k in OrgKind)) | None = None
    sector: _csv("Settori separati da virgola", *(s.value for s in Sector)) | None = None
    district: _csv_pattern(_CODE, "Codici di distretto separati da virgola") | None = None
    province: _csv_pattern(r"[A-Za-z]{2}", "Sigle di provincia separate da virgola") | None = None
    theme: _csv_pattern(_CODE, "Codici di tema separati da virgola") | None = None
    runts_section: (
        _csv("Sezioni RUNTS separate da virgola", *(r.value for r in RuntsSection)) | None
    ) = None
    sort: Annotated[
        Literal["name", "-name", "created", "-created", "kind"],
        Field(description="Ordinamento: nome, data di inserimento (- per decrescente), tipo"),
    ] = "name"


class PartnershipsQuery(PageQuery):
    """Filters of the ATS list."""

    measure: _int(1, MEASURE_MAX, "Misura 1-5") | None = None
    round: _int(1, ROUND_MAX, "Turno del bando") | None = None
    status: (
        Annotated[
            Literal[tuple(s.value for s in PartnershipStatus)],  # type: ignore[valid-type]
            Field(description="Stato dell'ATS"),
        ]
        | None
    ) = None
    district: (
        Annotated[str, Field(max_length=2000, pattern=NO_NUL, description="Codice di distretto")]
        | None
    ) = None
    member: (
        Annotated[
            str, Field(max_length=40, pattern=NO_NUL, description="Codice fiscale di un membro")
        ]
        | None
    ) = None


class MemberRemoveQuery(_Query):
    """Taking a member out of a draft ATS: the version read, to refuse a stale change."""

    version: _int(1, 2**31 - 1, "Versione dell'ATS letta (facoltativa)") | None = None


class NetworkQuery(_Query):
    """Filters of the collaboration network (each a comma-separated list)."""

    round: _csv_pattern(_ROUND, "Turni del bando, separati da virgola") | None = None
    year: _csv_pattern(_YEAR, "Anni, separati da virgola") | None = None
    measure: _csv_pattern(f"[1-{MEASURE_MAX}]", "Misure, separate da virgola") | None = None
    district: _csv_pattern(_CODE, "Codici di distretto") | None = None
    theme: _csv_pattern(_CODE, "Codici di tema") | None = None
    sector: _csv("Settori separati da virgola", *(s.value for s in Sector)) | None = None
    collaborations: Annotated[
        Literal["0", "1"], Field(description="0: solo i legami da ATS, senza le collaborazioni")
    ] = "1"


class NetworkExportQuery(NetworkQuery):
    """A network export: format, pseudonyms, and the network's filters."""

    format: Annotated[
        Literal["graphml", "gexf", "json", "csv"],
        Field(description="Formato: GraphML, GEXF (Gephi), JSON node-link, CSV (zip)"),
    ] = "graphml"
    pseudonymise: Annotated[
        Literal["0", "1"],
        Field(
            description="1: pseudonimi al posto di nomi e codici fiscali (sempre per i ricercatori)"
        ),
    ] = "0"


def csv_items(value: str | None) -> list[str]:
    """The items of a comma-separated value (none for ``None``)."""
    return [p for p in (value or "").split(",") if p]


def query_values(args: Any, model: type[BaseModel]) -> dict[str, Any]:
    """A request's query string as the fields of ``model``: repeated list parameters are
    joined with commas, others keep their first value."""
    out: dict[str, Any] = {}
    lists = {"kind", "sector", "district", "province", "theme", "runts_section", "round"}
    lists |= {"year", "measure"} if issubclass(model, NetworkQuery) else set()
    for name in model.model_fields:
        values = args.getlist(name) if hasattr(args, "getlist") else _one(args, name)
        if not values:
            continue
        out[name] = ",".join(values) if name in lists and len(values) > 1 else values[0]
    return out


def _one(args: Mapping[str, Any], name: str) -> list[Any]:
    return [args[name]] if name in args else []

"""The columns of each kind of file: canonical names (the export header), Italian aliases,
which are required, and how the header of a file is matched to them."""

from __future__ import annotations

import dataclasses

from matchmaker.ingest.errors import RowError
from matchmaker.ingest.fields import fold

__all__ = ["KINDS", "SHEET_NAMES", "KindSchema", "match_header"]


@dataclasses.dataclass(frozen=True)
class KindSchema:
    """Columns of one kind of file."""

    kind: str
    columns: tuple[str, ...]
    required: frozenset[str]
    aliases: dict[str, str]


def _schema(kind: str, columns: str, required: str, aliases: dict[str, str]) -> KindSchema:
    return KindSchema(kind, tuple(columns.split(",")), frozenset(required.split(",")), aliases)


_COMMON = {
    "dimostrativo": "is_illustrative",
    "illustrativo": "is_illustrative",
    "illustrative": "is_illustrative",
    "fonte": "source",
}

KINDS: dict[str, KindSchema] = {
    "organisations": _schema(
        "organisations",
        "name,kind,tax_code,comune,districts,runts_section,themes,description,website,email,"
        "phone,sector,comuni_served,is_illustrative,source",
        "name,kind,tax_code",
        {
            **_COMMON,
            "denominazione": "name",
            "nome": "name",
            "ragione_sociale": "name",
            "tipo": "kind",
            "tipologia": "kind",
            "codice_fiscale": "tax_code",
            "cf": "tax_code",
            "partita_iva": "tax_code",
            "piva": "tax_code",
            "sede": "comune",
            "comune_sede": "comune",
            "distretti": "districts",
            "sezione_runts": "runts_section",
            "runts": "runts_section",
            "temi": "themes",
            "descrizione": "description",
            "sito": "website",
            "sito_web": "website",
            "telefono": "phone",
            "settore": "sector",
            "comuni_serviti": "comuni_served",
        },
    ),
    "districts": _schema(
        "districts",
        "code,name,comuni,enti_gestori,is_illustrative,source",
        "code,name",
        {
            **_COMMON,
            "codice": "code",
            "nome": "name",
            "denominazione": "name",
            "distretto": "name",
            "comuni_istat": "comuni",
            "enti_gestori_cf": "enti_gestori",
        },
    ),
    "partnerships": _schema(
        "partnerships",
        "code,title,measure,round,status,districts,lead_tax_code,member_tax_codes,themes,"
        "description,budget_eur,year,is_illustrative,source",
        "code,title,measure",
        {
            **_COMMON,
            "codice": "code",
            "titolo": "title",
            "misura": "measure",
            "bando": "round",
            "tornata": "round",
            "call_round": "round",
            "stato": "status",
            "distretti": "districts",
            "capofila": "lead_tax_code",
            "cf_capofila": "lead_tax_code",
            "membri": "member_tax_codes",
            "mandanti": "member_tax_codes",
            "cf_mandanti": "member_tax_codes",
            "temi": "themes",
            "descrizione": "description",
            "budget": "budget_eur",
            "importo": "budget_eur",
            "contributo_eur": "budget_eur",
            "anno": "year",
        },
    ),
    "collaborations": _schema(
        "collaborations",
        "source_tax_code,target_tax_code,kind,year_from,year_to,weight,evidence,is_illustrative",
        "source_tax_code,target_tax_code,kind",
        {
            "dimostrativo": "is_illustrative",
            "illustrativo": "is_illustrative",
            "cf_origine": "source_tax_code",
            "cf_da": "source_tax_code",
            "cf_destinazione": "target_tax_code",
            "cf_a": "target_tax_code",
            "tipo": "kind",
            "anno_inizio": "year_from",
            "dal": "year_from",
            "anno_fine": "year_to",
            "al": "year_to",
            "peso": "weight",
            "evidenza": "evidence",
            "fonte": "evidence",
        },
    ),
}

#: XLSX sheet names recognised for each kind in a workbook with several sheets
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "organisations": ("organisations", "enti", "organizzazioni", "organisation"),
    "districts": ("districts", "distretti"),
    "partnerships": ("partnerships", "ats", "partenariati"),
    "collaborations": ("collaborations", "collaborazioni"),
}


def match_header(schema: KindSchema, header: list[str]) -> tuple[dict[int, str], list[RowError]]:
    """Map the file's column positions to canonical names.

    Returns the mapping and the header's errors (row 1): unknown or repeated columns, missing
    required ones.
    """
    mapping: dict[int, str] = {}
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for i, name in enumerate(header):
        key = fold(name.lstrip("\ufeff")).replace(" ", "_")
        canonical = key if key in schema.columns else schema.aliases.get(key)
        if not name.strip():
            errors.append(
                RowError(1, f"#{i + 1}", "", "colonna senza nome", "column without a name")
            )
        elif canonical is None:
            expected = ", ".join(schema.columns)
            errors.append(
                RowError(
                    1,
                    name,
                    name,
                    f"colonna sconosciuta (attese: {expected})",
                    f"unknown column (expected: {expected})",
                )
            )
        elif canonical in seen:
            errors.append(
                RowError(
                    1,
                    name,
                    name,
                    f"colonna ripetuta: {seen[canonical]!r} e {name!r} indicano lo stesso campo",
                    f"repeated column: {seen[canonical]!r} and {name!r} are the same field",
                )
            )
        else:
            seen[canonical] = name
            mapping[i] = canonical
    for col in schema.columns:
        if col in schema.required and col not in seen:
            errors.append(
                RowError(
                    1,
                    col,
                    "",
                    f"colonna obbligatoria mancante: {col}",
                    f"required column is missing: {col}",
                )
            )
    return mapping, errors

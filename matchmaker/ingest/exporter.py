"""Export of every kind to CSV, XLSX and JSON with the import's headers, so that
export -> import -> export gives the same bytes (CSV)."""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from matchmaker.domain import MemberRole, OrgKind
from matchmaker.ingest.errors import IngestError
from matchmaker.ingest.readers import escape_cell
from matchmaker.ingest.schema import KINDS
from matchmaker.storage.models import (
    Collaboration,
    District,
    Organisation,
    Partnership,
)

__all__ = ["EXPORT_FORMATS", "export_kind", "export_rows"]

EXPORT_FORMATS = ("csv", "xlsx", "json")
_LISTS = {"districts", "themes", "comuni_served", "comuni", "enti_gestori", "member_tax_codes"}


def _organisations(session: Session) -> Iterator[dict[str, Any]]:
    query = (
        select(Organisation)
        .order_by(Organisation.name, Organisation.tax_code)
        .options(
            selectinload(Organisation.districts),
            selectinload(Organisation.themes),
            selectinload(Organisation.comuni_served),
        )
        .execution_options(yield_per=2000)
    )
    for o in session.scalars(query):
        yield {
            "name": o.name,
            "kind": o.kind,
            "tax_code": o.tax_code,
            "comune": o.seat_comune_code,
            "districts": [d.code for d in o.districts],
            "runts_section": o.runts_section,
            "themes": [t.code for t in o.themes],
            "description": o.description,
            "website": o.website,
            "email": o.email,
            "phone": o.phone,
            "sector": o.sector,
            "comuni_served": [c.istat_code for c in o.comuni_served],
            "is_illustrative": o.is_illustrative,
            "source": o.source,
        }


def _districts(session: Session) -> Iterator[dict[str, Any]]:
    query = (
        select(District)
        .order_by(District.code)
        .options(selectinload(District.comuni), selectinload(District.organisations))
    )
    for d in session.scalars(query):
        yield {
            "code": d.code,
            "name": d.name,
            "comuni": [c.istat_code for c in d.comuni],
            "enti_gestori": sorted(
                o.tax_code for o in d.organisations if o.kind == OrgKind.ENTE_GESTORE
            ),
            "is_illustrative": d.is_illustrative,
            "source": d.source,
        }


def _partnerships(session: Session) -> Iterator[dict[str, Any]]:
    tax = dict(session.execute(select(Organisation.id, Organisation.tax_code)).all())
    query = (
        select(Partnership)
        .order_by(Partnership.code)
        .options(
            selectinload(Partnership.members),
            selectinload(Partnership.themes),
            selectinload(Partnership.districts),
        )
    )
    for p in session.scalars(query):
        lead = [tax[m.organisation_id] for m in p.members if m.role == MemberRole.CAPOFILA]
        yield {
            "code": p.code,
            "title": p.title,
            "measure": p.measure,
            "round": p.call_round,
            "status": p.status,
            "districts": [d.code for d in p.districts],
            "lead_tax_code": lead[0] if lead else None,
            "member_tax_codes": [
                tax[m.organisation_id] for m in p.members if m.role != MemberRole.CAPOFILA
            ],
            "themes": [t.code for t in p.themes],
            "description": p.description,
            "budget_eur": p.budget_eur,
            "year": p.year,
            "is_illustrative": p.is_illustrative,
            "source": p.source,
        }


def _collaborations(session: Session) -> Iterator[dict[str, Any]]:
    src, tgt = aliased(Organisation), aliased(Organisation)
    query = (
        select(Collaboration, src.tax_code, tgt.tax_code)
        .join(src, Collaboration.source_id == src.id)
        .join(tgt, Collaboration.target_id == tgt.id)
        .order_by(src.tax_code, tgt.tax_code, Collaboration.kind, Collaboration.year_from)
    )
    for c, source, target in session.execute(query):
        yield {
            "source_tax_code": source,
            "target_tax_code": target,
            "kind": c.kind,
            "year_from": c.year_from,
            "year_to": c.year_to,
            "weight": c.weight,
            "evidence": c.evidence,
            "is_illustrative": c.is_illustrative,
        }


_ROWS = {
    "organisations": _organisations,
    "districts": _districts,
    "partnerships": _partnerships,
    "collaborations": _collaborations,
}


def export_rows(session: Session, kind: str) -> Iterator[dict[str, Any]]:
    """The records of ``kind`` as dictionaries keyed by the import's column names, in a
    stable order (by name and tax code, by code, by the tie's key)."""
    if kind not in _ROWS:
        raise ValueError(f"tipo di dati sconosciuto: {kind!r} (ammessi: {', '.join(_ROWS)})")
    return _ROWS[kind](session)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def export_kind(session: Session, kind: str, path: Path | str, fmt: str | None = None) -> int:
    """Write every record of ``kind`` to ``path``; return the number of records.

    Parameters
    ----------
    session : Session
    kind : {"organisations", "districts", "partnerships", "collaborations"}
    path : path-like
    fmt : {"csv", "xlsx", "json"}, optional
        Default: from the file's extension.

    Notes
    -----
    CSV is UTF-8 with a BOM (so that Excel shows accents), comma-separated, CRLF line ends,
    lists joined with ``;``. In CSV and XLSX, text cells that begin with ``=``, ``+``, ``-``
    or ``@`` are prefixed with an apostrophe (CSV injection); the importer removes it.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in EXPORT_FORMATS:
        raise IngestError(
            f"formato di esportazione sconosciuto: {fmt} (ammessi: csv, xlsx, json)",
            f"unknown export format: {fmt} (allowed: csv, xlsx, json)",
        )
    columns = KINDS[kind].columns if kind in KINDS else ()
    rows = export_rows(session, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([escape_cell(_text(row[c])) for c in columns])
                count += 1
    elif fmt == "xlsx":
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet(kind)
        ws.append(list(columns))
        for row in rows:  # control characters cannot be stored in XLSX: shown as U+FFFD
            ws.append(
                [ILLEGAL_CHARACTERS_RE.sub("\ufffd", escape_cell(_text(row[c]))) for c in columns]
            )
            count += 1
        wb.save(path)
        wb.close()
    else:
        out = [{c: _json_value(row[c]) for c in columns} for row in rows]
        count = len(out)
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return count

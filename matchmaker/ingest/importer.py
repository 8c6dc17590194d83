"""``import_file``: read a file, validate every row, write all of it or nothing."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from matchmaker.ingest import kind_links, kind_organisations, kind_partnerships
from matchmaker.ingest.errors import ImportReport, ImportValidationError, RowError
from matchmaker.ingest.fields import Lookups, Row
from matchmaker.ingest.readers import MAX_FILE_BYTES, escape_cell, read_table
from matchmaker.ingest.schema import KINDS, SHEET_NAMES, match_header

__all__ = ["IMPORT_KINDS", "PROGRESS_THRESHOLD", "import_file"]

IMPORT_KINDS = tuple(KINDS)
#: imports with more rows than this show a progress bar when ``progress=True``
PROGRESS_THRESHOLD = 300

_T = TypeVar("_T")
_Validator = Callable[[Row, Lookups, bool], tuple[Any, dict[str, Any]]]
_HANDLERS: dict[str, tuple[_Validator, Callable[..., tuple[int, int, int]], str]] = {
    "organisations": (
        kind_organisations.validate_organisation,
        kind_organisations.write_organisations,
        "tax_code",
    ),
    "districts": (kind_links.validate_district, kind_links.write_districts, "code"),
    "partnerships": (
        kind_partnerships.validate_partnership,
        kind_partnerships.write_partnerships,
        "code",
    ),
    "collaborations": (
        kind_links.validate_collaboration,
        kind_links.write_collaborations,
        "source_tax_code",
    ),
}


def import_file(
    session: Session,
    kind: str,
    path: Path | str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    update: bool = False,
    progress: bool = False,
    sheet: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    ignore_columns: Collection[str] = (),
) -> ImportReport:
    """Import a CSV, XLSX or JSON file of ``kind`` records.

    Every row is validated before anything is written. By default the import is
    all-or-nothing: if any row (or the header) is invalid, :class:`ImportValidationError` is
    raised and nothing has been added to the session. The function never commits: the caller
    commits the session (``Database.session()`` does it on success) or rolls it back on any
    exception. Writes go through the ORM, so the audit log records them under the session's
    actor.

    Parameters
    ----------
    session : Session
    kind : {"organisations", "districts", "partnerships", "collaborations"}
    path : path-like
        CSV (comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252), XLSX or
        JSON (a list of objects). See ``docs/formats.md``.
    dry_run : bool
        Validate and count what would be created or updated; write nothing.
    skip_invalid : bool
        Write the valid rows; write the rejected ones, with their reasons, to
        ``<name>.scartati.csv`` beside the input (not in a dry run).
    update : bool
        Update existing records with the same key (tax code, code); without it an existing
        key is an error.
    progress : bool
        Show a tqdm progress bar on stderr for files over ``PROGRESS_THRESHOLD`` rows.
    sheet : str, optional
        Sheet of an XLSX workbook with several.
    max_bytes : int
        Size limit of the file.
    ignore_columns : collection of str
        Canonical columns to leave out (as if absent from the file).

    Returns
    -------
    ImportReport

    Raises
    ------
    FileFormatError
        The file cannot be read as a table.
    ImportValidationError
        Invalid header, or invalid rows without ``skip_invalid``.
    """
    if kind not in KINDS:
        raise ValueError(f"tipo di dati sconosciuto: {kind!r} (ammessi: {', '.join(KINDS)})")
    path = Path(path)
    schema = KINDS[kind]
    table = read_table(path, sheet=sheet, sheet_names=SHEET_NAMES[kind], max_bytes=max_bytes)
    report = ImportReport(kind=kind, path=path, rows=len(table.rows), dry_run=dry_run)
    mapping, header_errors = match_header(schema, table.header)
    if header_errors:
        report.errors = header_errors
        report.rejected = len(table.rows)
        raise ImportValidationError(report)
    mapping = {i: c for i, c in mapping.items() if c not in ignore_columns}
    validate, write, key_col = _HANDLERS[kind]
    names = {canonical: table.header[i] for i, canonical in mapping.items()}
    lookups = Lookups(session)
    show = progress and len(table.rows) > PROGRESS_THRESHOLD
    valid: list[tuple[Any, dict[str, Any]]] = []
    rejected: list[tuple[int, list[str], list[RowError]]] = []
    first_row: dict[Any, int] = {}
    formulas: dict[int, list[int]] = {}
    for r, c in sorted(table.formula_cells):
        formulas.setdefault(r, []).append(c)
    for number, cells in _progress(table.rows, show, f"verifica {kind}"):
        row = Row(number, {canonical: cells[i] for i, canonical in mapping.items()}, names)
        for c in formulas.get(number, ()):
            if c in mapping:
                row.error(
                    mapping[c],
                    cells[c],
                    "il valore inizia con '=' ed è una formula: non importato (premettere un "
                    "apostrofo per importarlo come testo)",
                    "the value starts with '=' and is a formula: not imported (prefix an "
                    "apostrophe to import it as text)",
                )
        if number in table.extra_cells:
            row.error(
                None,
                "",
                "la riga ha più celle dell'intestazione",
                "the row has more cells than the header",
            )
        key, clean = validate(row, lookups, update)
        if key is not None:
            if key in first_row:
                row.error(
                    key_col,
                    row.raw(key_col),
                    f"chiave duplicata nel file: già presente alla riga {first_row[key]}",
                    f"duplicate key in the file: already on row {first_row[key]}",
                )
            else:
                first_row[key] = number
        if row.errors:
            report.errors.extend(row.errors)
            rejected.append((number, cells, row.errors))
        else:
            valid.append((key, clean))
    report.rejected = len(rejected)
    if rejected and not skip_invalid:
        raise ImportValidationError(report)
    bar = _bar(len(valid), show, f"scrittura {kind}")
    try:
        report.created, report.updated, report.unchanged = write(
            session, valid, lookups, dry_run=dry_run, tick=bar.update if bar else None
        )
    finally:
        if bar is not None:
            bar.close()
    if rejected and not dry_run:
        report.rejected_path = _write_rejected(path, table.header, rejected)
    return report


def _progress(items: list[_T], show: bool, desc: str) -> Iterable[_T]:
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="righe", file=sys.stderr, leave=False)


def _bar(total: int, show: bool, desc: str) -> Any:
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="righe", file=sys.stderr, leave=False)


def _write_rejected(
    path: Path, header: list[str], rejected: list[tuple[int, list[str], list[RowError]]]
) -> Path:
    out = path.with_name(f"{path.stem}.scartati.csv")
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["riga", *header, "errori", "errors"])
        for number, cells, errors in rejected:
            it = " | ".join(f"{e.column or 'riga'}: {e.reason_it}" for e in errors)
            en = " | ".join(f"{e.column or 'row'}: {e.reason_en}" for e in errors)
            writer.writerow([number, *(escape_cell(c) for c in cells), it, en])
    return out

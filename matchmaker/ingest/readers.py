"""Reading CSV, XLSX and JSON files into a plain table of strings.

Nothing here knows about organisations or partnerships: a reader returns a header and rows of
text cells, or raises :class:`~matchmaker.ingest.errors.FileFormatError`. Formulas are never
evaluated: a CSV or XLSX cell that begins with ``=`` is reported (``Table.formula_cells``) and
the importer rejects it; an XLSX cell of formula type is reported the same way.

CSV injection escaping (see :func:`escape_cell`) is undone here for CSV and XLSX cells, so
that export -> import is exact.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from matchmaker.ingest.errors import FileFormatError
from matchmaker.ingest.readers_sheets import read_json_bytes, read_xlsx_bytes
from matchmaker.ingest.table import (
    MAX_CELL_CHARS,
    Table,
    decode_text,
    escape_cell,
    table_from_records,
    unescape_cell,
)

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "Table",
    "escape_cell",
    "read_csv_bytes",
    "read_table",
    "unescape_cell",
]

#: files larger than this are refused before being read
MAX_FILE_BYTES = 200 * 1024 * 1024


def read_table(
    path: Path | str,
    *,
    sheet: str | None = None,
    sheet_names: tuple[str, ...] = (),
    max_bytes: int = MAX_FILE_BYTES,
) -> Table:
    """Read a CSV, XLSX or JSON file (format from the extension, else from the content).

    Parameters
    ----------
    path : path-like
    sheet : str, optional
        XLSX sheet to read; by default the only non-empty sheet, else the one whose name is in
        ``sheet_names``.
    sheet_names : tuple of str
        Names (case-insensitive) that identify the wanted sheet of a workbook with several.
    max_bytes : int
        Size limit.

    Raises
    ------
    FileFormatError
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileFormatError(
            f"file non leggibile: {path} ({exc.strerror})", f"cannot read {path}"
        ) from None
    if not path.is_file():
        raise FileFormatError(f"{path} non è un file", f"{path} is not a file")
    if size > max_bytes:
        raise FileFormatError(
            f"file troppo grande: {size} byte (limite {max_bytes})",
            f"file too large: {size} bytes (limit {max_bytes})",
        )
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileFormatError(
            "formato .xls (Excel 97-2003) non supportato: salvare il file come .xlsx o .csv",
            "the .xls format is not supported: save the file as .xlsx or .csv",
        )
    if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".txt", ".json") and _is_zip(data)):
        return read_xlsx_bytes(data, sheet, sheet_names)
    if suffix == ".json" or (suffix not in (".csv", ".txt") and data.lstrip()[:1] in (b"[", b"{")):
        return read_json_bytes(data)
    return read_csv_bytes(data)


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


# --- CSV ----------------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv_bytes(data: bytes) -> Table:
    """Read CSV bytes: encoding (UTF-8 with or without BOM, else Windows-1252) and delimiter
    (comma, semicolon or tab, from the header line) are detected.

    Raises
    ------
    FileFormatError
        For every input that is not a readable table; no other exception escapes.
    """
    text, encoding = decode_text(data)
    if not text.strip():
        raise FileFormatError("il file è vuoto", "the file is empty")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        raise FileFormatError(
            f"CSV non valido alla riga {len(records) + 1} (riga fisica {reader.line_num}): "
            f"{_csv_reason_it(str(exc))}",
            f"invalid CSV at row {len(records) + 1} (line {reader.line_num}): {exc}",
        ) from None
    return table_from_records(records, "csv", encoding=encoding, delimiter=delimiter)


def _csv_reason_it(message: str) -> str:
    if "field larger than field limit" in message:
        return f"una cella supera il limite di {MAX_CELL_CHARS} caratteri"
    if "quote" in message or "delimiter" in message:
        return "virgolette non bilanciate o carattere inatteso dopo le virgolette"
    if "new-line" in message or "newline" in message:
        return "a capo non racchiuso tra virgolette"
    return message

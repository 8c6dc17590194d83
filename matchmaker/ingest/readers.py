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
import dataclasses
import io
import re
from pathlib import Path

from matchmaker.ingest.errors import FileFormatError

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
#: the csv module's own field limit: a longer cell makes the file unreadable
MAX_CELL_CHARS = csv.field_size_limit()

_TRIGGER = "=+-@"
_ESCAPED = re.compile(r"^'+[=+\-@]")
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@]")


def escape_cell(value: str) -> str:
    """Prefix an apostrophe to a value that a spreadsheet would run as a formula.

    Values that begin with ``=``, ``+``, ``-`` or ``@`` (or with apostrophes followed by one of
    them) get one more leading apostrophe; :func:`unescape_cell` removes exactly one, so the
    pair is a bijection on strings.

    Examples
    --------
    >>> escape_cell("=1+1"), escape_cell("+39 011"), escape_cell("ok")
    ("'=1+1", "'+39 011", 'ok')
    >>> unescape_cell(escape_cell("'=x")) == "'=x"
    True
    """
    return "'" + value if _NEEDS_ESCAPE.match(value) else value


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell`."""
    return value[1:] if _ESCAPED.match(value) else value


@dataclasses.dataclass
class Table:
    """A file read as text cells.

    Attributes
    ----------
    header : list of str
        Column names as written.
    rows : list of (int, list of str)
        Row number (spreadsheet numbering: header = 1; JSON: position from 1) and cells,
        padded to the header's width. Blank rows are skipped.
    fmt : str
        ``csv``, ``xlsx`` or ``json``.
    encoding, delimiter : str or None
        What was detected for a CSV file.
    formula_cells : set of (int, int)
        (row number, column index) of cells that hold a formula.
    extra_cells : set of int
        Row numbers with more non-empty cells than the header has columns.
    """

    header: list[str]
    rows: list[tuple[int, list[str]]]
    fmt: str
    encoding: str | None = None
    delimiter: str | None = None
    formula_cells: set[tuple[int, int]] = dataclasses.field(default_factory=set)
    extra_cells: set[int] = dataclasses.field(default_factory=set)


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
        from matchmaker.ingest.readers_sheets import read_xlsx_bytes

        return read_xlsx_bytes(data, sheet, sheet_names)
    if suffix == ".json" or (suffix not in (".csv", ".txt") and data.lstrip()[:1] in (b"[", b"{")):
        from matchmaker.ingest.readers_sheets import read_json_bytes

        return read_json_bytes(data)
    return read_csv_bytes(data)


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


# --- CSV ----------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _encoding_error(exc) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise FileFormatError(
            "il file non è testo in UTF-8 o Windows-1252 (contiene byte nulli: forse UTF-16 o "
            "un file binario); salvarlo come CSV UTF-8",
            "the file is not UTF-8 or Windows-1252 text (it contains NUL bytes: UTF-16 or a "
            "binary file?); save it as CSV UTF-8",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _encoding_error(exc) from None


def _encoding_error(exc: UnicodeDecodeError) -> FileFormatError:
    return FileFormatError(
        f"codifica non riconosciuta: il byte {exc.object[exc.start]:#04x} in posizione "
        f"{exc.start} non è valido né in UTF-8 né in Windows-1252",
        f"unknown encoding: byte {exc.object[exc.start]:#04x} at offset {exc.start} is "
        "valid neither in UTF-8 nor in Windows-1252",
    )


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
    text, encoding = _decode(data)
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
    return _table_from_records(records, "csv", encoding=encoding, delimiter=delimiter)


def _csv_reason_it(message: str) -> str:
    if "field larger than field limit" in message:
        return f"una cella supera il limite di {MAX_CELL_CHARS} caratteri"
    if "quote" in message or "delimiter" in message:
        return "virgolette non bilanciate o carattere inatteso dopo le virgolette"
    if "new-line" in message or "newline" in message:
        return "a capo non racchiuso tra virgolette"
    return message


def _table_from_records(
    records: list[list[str]], fmt: str, *, encoding: str | None = None, delimiter: str | None = None
) -> Table:
    header_index = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if header_index is None:
        raise FileFormatError("il file è vuoto", "the file is empty")
    header = [c.strip() for c in records[header_index]]
    while header and not header[-1]:
        header.pop()
    table = Table(header=header, rows=[], fmt=fmt, encoding=encoding, delimiter=delimiter)
    width = len(header)
    for offset, record in enumerate(records[header_index + 1 :], start=header_index + 2):
        if not any(c.strip() for c in record):
            continue
        if len(record) > width and any(c.strip() for c in record[width:]):
            table.extra_cells.add(offset)
        cells = (record + [""] * width)[:width]
        out = []
        for col, cell in enumerate(cells):
            if cell.startswith("="):
                table.formula_cells.add((offset, col))
            out.append(unescape_cell(cell))
        table.rows.append((offset, out))
    return table

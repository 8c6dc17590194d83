"""A file read as text cells, and the cell-level rules every reader shares.

:class:`Table` is what each reader of :mod:`matchmaker.ingest.readers` (CSV) and
:mod:`matchmaker.ingest.readers_sheets` (XLSX, JSON) returns; :func:`escape_cell` and
:func:`unescape_cell` are the CSV-injection escaping that exports apply and imports undo.
"""

from __future__ import annotations

import csv
import dataclasses
import re

from matchmaker.ingest.errors import FileFormatError

__all__ = [
    "MAX_CELL_CHARS",
    "Table",
    "decode_text",
    "escape_cell",
    "table_from_records",
    "unescape_cell",
]

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


def decode_text(data: bytes) -> tuple[str, str]:
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


def table_from_records(
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

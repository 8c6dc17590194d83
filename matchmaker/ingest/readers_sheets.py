"""Reading XLSX workbooks (openpyxl, formulas never evaluated) and JSON lists of objects."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from matchmaker.ingest.errors import FileFormatError
from matchmaker.ingest.table import Table, decode_text, table_from_records

__all__ = ["read_json_bytes", "read_xlsx_bytes"]


# --- XLSX ---------------------------------------------------------------------------------


def read_xlsx_bytes(data: bytes, sheet: str | None, sheet_names: tuple[str, ...]) -> Table:
    """Read the chosen sheet of an XLSX workbook (see ``readers.read_table``)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileFormatError(
            f"file XLSX non valido o danneggiato ({type(exc).__name__})",
            f"invalid or damaged XLSX file ({type(exc).__name__}: {exc})",
        ) from None
    except Exception as exc:  # openpyxl raises its own types for broken parts
        raise FileFormatError(
            f"file XLSX non valido o danneggiato ({type(exc).__name__})",
            f"invalid or damaged XLSX file ({type(exc).__name__}: {exc})",
        ) from None
    try:
        ws = _pick_sheet(wb, sheet, sheet_names)
        records: list[list[str]] = []
        formulas: set[tuple[int, int]] = set()
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells = []
            for c, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    formulas.add((r, c))
                cells.append(_xlsx_text(cell.value))
            records.append(cells)
    finally:
        wb.close()
    table = table_from_records(records, "xlsx")
    table.formula_cells |= {rc for rc in formulas if rc[0] > 1}
    return table


def _pick_sheet(wb: Any, sheet: str | None, sheet_names: tuple[str, ...]) -> Any:
    names = list(wb.sheetnames)
    if sheet is not None:
        if sheet not in names:
            raise FileFormatError(
                f"il foglio {sheet!r} non esiste (fogli: {', '.join(names)})",
                f"no sheet named {sheet!r} (sheets: {', '.join(names)})",
            )
        return wb[sheet]
    filled = [n for n in names if _sheet_has_data(wb[n])]
    if len(filled) == 1:
        return wb[filled[0]]
    wanted = {s.casefold() for s in sheet_names}
    matching = [n for n in names if n.strip().casefold() in wanted]
    if len(matching) == 1:
        return wb[matching[0]]
    if not filled:
        raise FileFormatError("il file è vuoto", "the file is empty")
    raise FileFormatError(
        f"il file contiene più fogli con dati ({', '.join(filled)}) e nessuno si chiama "
        f"{' o '.join(sheet_names[:2]) or 'come il tipo di dati'}: indicare il foglio "
        "(opzione --sheet)",
        f"the workbook has several sheets with data ({', '.join(filled)}) and none is named "
        f"{' or '.join(sheet_names[:2])}: choose one (option --sheet)",
    )


def _sheet_has_data(ws: Any) -> bool:
    return any(any(c.value not in (None, "") for c in row) for row in ws.iter_rows(max_row=50))


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- JSON ---------------------------------------------------------------------------------


def read_json_bytes(data: bytes) -> Table:
    """Read a JSON list of objects (or ``{"rows": [...]}``) as a table."""
    try:
        text, _ = decode_text(data)
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"JSON non valido alla riga {exc.lineno}, colonna {exc.colno}: {exc.msg}",
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
        ) from None
    except RecursionError:
        raise FileFormatError("JSON troppo annidato", "JSON nested too deeply") from None
    if isinstance(doc, dict) and isinstance(doc.get("rows"), list):
        doc = doc["rows"]
    if not isinstance(doc, list) or not all(isinstance(o, dict) for o in doc):
        raise FileFormatError(
            "il JSON deve essere una lista di oggetti (uno per riga)",
            "the JSON must be a list of objects (one per row)",
        )
    if not doc:
        raise FileFormatError("il file è vuoto", "the file is empty")
    header: list[str] = []
    for obj in doc:
        header.extend(k for k in obj if k not in header)
    table = Table(header=[str(h) for h in header], rows=[], fmt="json")
    for n, obj in enumerate(doc, start=1):
        table.rows.append((n, [_json_text(obj.get(k)) for k in header]))
    return table


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_json_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)

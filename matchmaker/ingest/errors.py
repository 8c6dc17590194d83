"""What an import reports: row errors, the report, and the exceptions it raises.

Two kinds of failure, with two exit codes in the CLI:

- :class:`FileFormatError` (exit 2): the file cannot be read as a table at all (empty, binary,
  wrong encoding, malformed quoting, a cell beyond the size limit, an XLSX with several sheets
  and none named after the kind, a file larger than the limit);
- :class:`ImportValidationError` (exit 1): the file is a table but some rows or the header are
  not acceptable; it carries the :class:`ImportReport` with one :class:`RowError` per problem.

Both derive from :class:`IngestError`, the only exception type an import raises on bad input.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

__all__ = [
    "FileFormatError",
    "ImportReport",
    "ImportValidationError",
    "IngestError",
    "RowError",
]


class IngestError(Exception):
    """Base class of the errors raised on bad input by import, export, backup and restore.

    ``message_it`` is the Italian message shown to users, ``message_en`` its English form.
    """

    def __init__(self, message_it: str, message_en: str | None = None) -> None:
        super().__init__(message_it)
        self.message_it = message_it
        self.message_en = message_en or message_it


class FileFormatError(IngestError):
    """The file cannot be read as a table (CLI exit code 2)."""


@dataclasses.dataclass(frozen=True)
class RowError:
    """One problem in one row of an imported file.

    Attributes
    ----------
    row : int
        Row number as a spreadsheet shows it: the header is row 1, the first record row 2
        (records spanning several lines because of quoted newlines count once). In a JSON
        file, the position of the object in the list, from 1. Row 1 errors concern the header.
    column : str or None
        Column name as written in the file's header, or ``None`` for the whole row.
    value : str
        The offending value (truncated to 200 characters).
    reason_it, reason_en : str
        Why, in Italian and in English.
    kind : str
        ``invalid`` (the value itself), ``reference`` (it names a comune, district, theme or
        organisation that does not exist), ``check_digit`` (a tax code fails its check) or
        ``conflict`` (it contradicts stored data or another field).
    """

    row: int
    column: str | None
    value: str
    reason_it: str
    reason_en: str
    kind: str = "invalid"

    def __post_init__(self) -> None:
        if len(self.value) > 200:
            object.__setattr__(self, "value", self.value[:197] + "...")


@dataclasses.dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do).

    Attributes
    ----------
    kind : str
        ``organisations``, ``districts``, ``partnerships`` or ``collaborations``.
    path : Path or None
        The imported file.
    rows : int
        Records read from the file.
    created, updated, unchanged, rejected : int
        New records, existing records changed (``update=True``), existing records already
        equal to the file, rows not imported because invalid.
    errors : list of RowError
    rejected_path : Path or None
        The CSV of rejected rows written beside the input by ``skip_invalid=True``.
    dry_run : bool
        Nothing was written.
    """

    kind: str
    path: Path | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    rejected_path: Path | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """No row was rejected."""
        return not self.errors


class ImportValidationError(IngestError):
    """Some rows (or the header) are invalid; nothing was written (CLI exit code 1).

    Attributes
    ----------
    report : ImportReport
    errors : list of RowError
    """

    def __init__(self, report: ImportReport) -> None:
        n = len(report.errors)
        rows = len({e.row for e in report.errors})
        super().__init__(
            f"{n} errori in {rows} righe: nessuna riga importata",
            f"{n} errors in {rows} rows: nothing imported",
        )
        self.report = report
        self.errors = report.errors

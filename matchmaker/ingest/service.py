"""Imports, exports and backups as units of work, for callers that do not manage
transactions (the web pages).

Each method opens its own transaction on the :class:`~matchmaker.storage.Database`: a dry
run is always rolled back, an import is committed only when every row is valid (or rolled
back whole), exports and backups only read.
"""

from __future__ import annotations

from pathlib import Path

from matchmaker.ingest.backup import backup
from matchmaker.ingest.errors import ImportReport
from matchmaker.ingest.exporter import export_kind
from matchmaker.ingest.importer import import_file
from matchmaker.ingest.readers import MAX_FILE_BYTES
from matchmaker.storage.db import Database

__all__ = ["DataService"]


class DataService:
    """Validate, import, export and back up, each in one transaction.

    Parameters
    ----------
    database : Database
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    def dry_run(
        self,
        kind: str,
        path: Path | str,
        *,
        update: bool = False,
        sheet: str | None = None,
        max_bytes: int = MAX_FILE_BYTES,
    ) -> ImportReport:
        """What importing ``path`` would do, writing nothing (see :func:`import_file`).

        Raises
        ------
        ImportValidationError, FileFormatError
            As :func:`import_file` (the report of the errors is in the first).
        """
        session = self.database.new_session(actor="anteprima")
        try:
            return import_file(
                session,
                kind,
                path,
                dry_run=True,
                update=update,
                sheet=sheet,
                max_bytes=max_bytes,
            )
        finally:
            session.rollback()
            session.close()

    def import_file(
        self,
        kind: str,
        path: Path | str,
        *,
        actor: str,
        update: bool = False,
        sheet: str | None = None,
        max_bytes: int = MAX_FILE_BYTES,
    ) -> ImportReport:
        """Import ``path`` all or nothing, logged under ``actor``."""
        with self.database.session(actor=actor) as session:
            return import_file(session, kind, path, update=update, sheet=sheet, max_bytes=max_bytes)

    def export(self, kind: str, path: Path | str, fmt: str | None = None) -> int:
        """Write every record of ``kind`` to ``path`` (see :func:`export_kind`)."""
        session = self.database.new_session()
        try:
            return export_kind(session, kind, path, fmt)
        finally:
            session.close()

    def backup(self, path: Path | str) -> dict[str, int]:
        """The whole database as a zip at ``path`` (see :func:`backup`)."""
        session = self.database.new_session()
        try:
            return backup(session, path)
        finally:
            session.rollback()
            session.close()

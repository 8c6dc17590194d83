"""Data in and out: imports that lose nothing, exports, backups and the illustrative data set.

Public API
----------
- :func:`import_file` reads a CSV/XLSX/JSON file of organisations, districts, partnerships
  or collaborations, validates every row and writes all of it or nothing.
- :func:`export_kind` writes one kind to CSV, XLSX or JSON with the import's headers;
  :func:`export_all` / :func:`import_directory` do every kind through a folder.
- :func:`backup` / :func:`restore` round-trip the whole database, audit log included.
- :func:`load_demo` writes the deterministic illustrative data set;
  :func:`build_demo_database` creates a database file with it (for tests).

See ``docs/formats.md`` for the file formats and error messages.
"""

from __future__ import annotations

from matchmaker.ingest.backup import RestoreError, backup, restore, table_checksums
from matchmaker.ingest.bundle import export_all, import_directory
from matchmaker.ingest.demo import (
    DEMO_SEED,
    DRAFT_RULES,
    DemoReport,
    build_demo_database,
    load_demo,
    plan_demo,
)
from matchmaker.ingest.errors import (
    FileFormatError,
    ImportReport,
    ImportValidationError,
    IngestError,
    RowError,
)
from matchmaker.ingest.exporter import EXPORT_FORMATS, export_kind, export_rows
from matchmaker.ingest.importer import IMPORT_KINDS, import_file

__all__ = [
    "DEMO_SEED",
    "DRAFT_RULES",
    "EXPORT_FORMATS",
    "IMPORT_KINDS",
    "DemoReport",
    "FileFormatError",
    "ImportReport",
    "ImportValidationError",
    "IngestError",
    "RestoreError",
    "RowError",
    "backup",
    "build_demo_database",
    "export_all",
    "export_kind",
    "export_rows",
    "import_directory",
    "import_file",
    "load_demo",
    "plan_demo",
    "restore",
    "table_checksums",
]

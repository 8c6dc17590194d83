"""Export every kind into a folder, and import such a folder into a database in one go.

Districts and organisations refer to each other (a district lists its Enti Gestori, an
organisation the districts it serves), so a folder is imported in this order, all within the
caller's transaction: districts without their ``enti_gestori`` column, organisations, the
districts' ``enti_gestori`` links, partnerships, collaborations.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from matchmaker.ingest.errors import FileFormatError, ImportReport
from matchmaker.ingest.exporter import EXPORT_FORMATS, export_kind
from matchmaker.ingest.importer import IMPORT_KINDS, import_file

__all__ = ["export_all", "import_directory"]


def export_all(session: Session, directory: Path | str, fmt: str = "csv") -> dict[str, Path]:
    """Write ``<kind>.<fmt>`` for every kind into ``directory``; return the paths."""
    directory = Path(directory)
    out: dict[str, Path] = {}
    for kind in IMPORT_KINDS:
        path = directory / f"{kind}.{fmt}"
        export_kind(session, kind, path, fmt)
        out[kind] = path
    return out


def _find(directory: Path, kind: str) -> Path | None:
    for fmt in EXPORT_FORMATS:
        path = directory / f"{kind}.{fmt}"
        if path.is_file():
            return path
    return None


def import_directory(
    session: Session,
    directory: Path | str,
    *,
    update: bool = False,
    progress: bool = False,
) -> dict[str, ImportReport]:
    """Import the ``<kind>.csv|xlsx|json`` files of ``directory`` (as written by
    :func:`export_all`), all-or-nothing; missing kinds are skipped.

    Raises
    ------
    FileFormatError, ImportValidationError
        As :func:`~matchmaker.ingest.import_file`; the caller rolls back.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileFormatError(f"{directory} non è una cartella", f"{directory} is not a folder")
    files = {kind: _find(directory, kind) for kind in IMPORT_KINDS}
    if not any(files.values()):
        raise FileFormatError(
            f"nessun file da importare in {directory} (attesi organisations.csv, ...)",
            f"nothing to import in {directory} (expected organisations.csv, ...)",
        )
    opts = {"progress": progress}
    reports: dict[str, ImportReport] = {}
    if files["districts"]:
        reports["districts"] = import_file(
            session,
            "districts",
            files["districts"],
            update=update,
            ignore_columns=("enti_gestori",),
            **opts,
        )
    if files["organisations"]:
        reports["organisations"] = import_file(
            session, "organisations", files["organisations"], update=update, **opts
        )
    if files["districts"]:
        links = import_file(session, "districts", files["districts"], update=True, **opts)
        reports["districts"].updated += links.updated
    for kind in ("partnerships", "collaborations"):
        if files[kind]:
            reports[kind] = import_file(session, kind, files[kind], update=update, **opts)
    return reports

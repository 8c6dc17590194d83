"""CLI commands of the ingest area: import, export, import-all, export-all, backup, restore,
demo. Exit codes: 0 done, 1 validation errors (nothing written), 2 bad usage or unreadable
file. Registered on the ``matchmaker`` group by ``matchmaker/cli.py``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import click

from matchmaker.ingest.backup import RestoreError, backup, restore
from matchmaker.ingest.bundle import export_all, import_directory
from matchmaker.ingest.demo import DEMO_SEED, load_demo
from matchmaker.ingest.errors import (
    FileFormatError,
    ImportReport,
    ImportValidationError,
    IngestError,
    RowError,
)
from matchmaker.ingest.exporter import EXPORT_FORMATS, export_kind
from matchmaker.ingest.importer import IMPORT_KINDS, import_file

__all__ = ["COMMANDS", "echo_demo_report", "print_errors"]

_MAX_SHOWN = 50


def _database() -> Any:
    """The Database of the root ``matchmaker`` context, with its schema ready."""
    from matchmaker.instance import SchemaNotReady, ensure_schema_ready

    db = click.get_current_context().find_root().obj.database
    try:
        ensure_schema_ready(db.engine)
    except SchemaNotReady as exc:
        click.echo(f"Errore: {exc}", err=True)
        raise SystemExit(2) from None
    return db


def _fail(exc: IngestError, code: int) -> None:
    click.echo(f"Errore: {exc.message_it}", err=True)
    if exc.message_en != exc.message_it:
        click.echo(f"Error: {exc.message_en}", err=True)
    raise SystemExit(code)


def print_errors(errors: list[RowError], *, err: bool = True) -> None:
    """Print the validation table: row, column, value, reason in Italian and English."""
    width = max(60, min(shutil.get_terminal_size((120, 20)).columns, 200))
    col_w = max([len("colonna")] + [len(e.column or "") for e in errors[:_MAX_SHOWN]])
    col_w = min(col_w, 24)
    head = f"{'riga':>6}  {'colonna':<{col_w}}  {'valore':<24}  motivo / reason"
    click.echo(head, err=err)
    click.echo("-" * min(width, len(head) + 40), err=err)
    for e in errors[:_MAX_SHOWN]:
        value = e.value.replace("\n", " ")
        value = value if len(value) <= 24 else value[:21] + "..."
        click.echo(
            f"{e.row:>6}  {(e.column or '-')[:col_w]:<{col_w}}  {value:<24}  {e.reason_it}",
            err=err,
        )
        click.echo(f"{'':>6}  {'':<{col_w}}  {'':<24}  ({e.reason_en})", err=err)
    if len(errors) > _MAX_SHOWN:
        click.echo(
            f"... e altri {len(errors) - _MAX_SHOWN} errori / and {len(errors) - _MAX_SHOWN} "
            "more errors",
            err=err,
        )


def _summary(report: ImportReport) -> None:
    verb = "da creare" if report.dry_run else "creati"
    click.echo(
        f"{report.kind}: {report.rows} righe lette; {verb} {report.created}, "
        f"aggiornati {report.updated}, invariati {report.unchanged}, scartati {report.rejected}"
        + (" (prova: nulla è stato scritto)" if report.dry_run else "")
    )
    if report.rejected_path:
        click.echo(f"Righe scartate, con i motivi, in {report.rejected_path}")


@click.command("import")
@click.argument("kind", type=click.Choice(IMPORT_KINDS))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows; write the rejected ones with reasons to FILE.scartati.csv.",
)
@click.option("--update", is_flag=True, help="Update records whose tax code / code exists.")
@click.option("--sheet", help="Sheet of an XLSX workbook with several sheets.")
@click.option("--actor", default="matchmaker import", show_default=True, help="Audit-log actor.")
def import_command(
    kind: str,
    file: Path,
    dry_run: bool,
    skip_invalid: bool,
    update: bool,
    sheet: str | None,
    actor: str,
) -> None:
    """Import organisations, districts, partnerships or collaborations from CSV/XLSX/JSON."""
    db = _database()
    try:
        with db.session(actor=actor) as session:
            report = import_file(
                session,
                kind,
                file,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                update=update,
                progress=True,
                sheet=sheet,
            )
            if dry_run:
                session.rollback()
    except FileFormatError as exc:
        _fail(exc, 2)
    except ImportValidationError as exc:
        print_errors(exc.errors)
        _summary(exc.report)
        _fail(exc, 1)
    if report.errors:
        print_errors(report.errors)
    _summary(report)


@click.command("export")
@click.argument("kind", type=click.Choice(IMPORT_KINDS))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), help="Default: the file's extension."
)
def export_command(kind: str, file: Path, fmt: str | None) -> None:
    """Export one kind to CSV, XLSX or JSON (same headers as the import)."""
    if fmt is None and file.suffix.lower().lstrip(".") not in EXPORT_FORMATS:
        raise click.UsageError("estensione non riconosciuta: usare .csv, .xlsx, .json o --format")
    with _database().session() as session:
        n = export_kind(session, kind, file, fmt)
    click.echo(f"{kind}: {n} righe esportate in {file}")


@click.command("export-all")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True
)
def export_all_command(directory: Path, fmt: str) -> None:
    """Export every kind into DIRECTORY (organisations.csv, districts.csv, ...)."""
    with _database().session() as session:
        paths = export_all(session, directory, fmt)
    for kind, path in paths.items():
        click.echo(f"{kind}: {path}")


@click.command("import-all")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--update", is_flag=True, help="Update records whose tax code / code exists.")
@click.option("--actor", default="matchmaker import", show_default=True, help="Audit-log actor.")
def import_all_command(directory: Path, update: bool, actor: str) -> None:
    """Import a folder written by export-all, all kinds in one transaction."""
    try:
        with _database().session(actor=actor) as session:
            reports = import_directory(session, directory, update=update, progress=True)
    except FileFormatError as exc:
        _fail(exc, 2)
    except ImportValidationError as exc:
        print_errors(exc.errors)
        _summary(exc.report)
        _fail(exc, 1)
    for report in reports.values():
        _summary(report)


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def backup_command(file: Path) -> None:
    """Write a full backup (every table, audit log included) to FILE.zip."""
    with _database().session() as session:
        counts = backup(session, file)
    click.echo(f"Backup scritto in {file}: {sum(counts.values())} righe in {len(counts)} tabelle")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def restore_command(file: Path) -> None:
    """Restore a backup into an empty database (run `matchmaker init` first)."""
    try:
        with _database().session(actor="matchmaker restore") as session:
            counts = restore(session, file)
    except RestoreError as exc:
        _fail(exc, 2)
    click.echo(f"Ripristinate {sum(counts.values())} righe in {len(counts)} tabelle da {file}")


def echo_demo_report(report: Any) -> None:
    """Print what :func:`load_demo` wrote."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.organisations.items()))
    click.echo(
        f"Dati dimostrativi caricati (seme {report.seed}): {report.districts} distretti, "
        f"{report.total_organisations} enti ({kinds}), {report.partnerships} ATS con "
        f"{report.members} membri, {report.collaborations} collaborazioni "
        f"in {report.seconds:.1f} s."
    )


@click.command("demo")
@click.option("--seed", default=DEMO_SEED, show_default=True, type=int, help="Generator seed.")
def demo_command(seed: int) -> None:
    """Load the illustrative data set (flagged 'dati dimostrativi')."""
    try:
        with _database().session(actor="matchmaker demo") as session:
            report = load_demo(session, seed)
    except IngestError as exc:
        _fail(exc, 2)
    echo_demo_report(report)


COMMANDS = (
    import_command,
    export_command,
    export_all_command,
    import_all_command,
    backup_command,
    restore_command,
    demo_command,
)

"""The ``matchmaker`` command: thin wrappers over library functions.

Settings come from ``MATCHMAKER_*`` environment variables; ``--database-url`` overrides
``MATCHMAKER_DATABASE_URL`` for one command.
"""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from typing import Any

import click

from matchmaker import __version__
from matchmaker.config import Settings
from matchmaker.instance import init_instance, open_database
from matchmaker.storage import Database, current_revision, head_revision, safe_url

__all__ = ["main", "pass_ctx"]


class _Group(click.Group):
    """The ``matchmaker`` group: its own commands, plus those other installed packages add.

    A package adds commands through the entry-point group ``matchmaker.commands`` (the web
    application adds ``serve`` that way), loaded only when listed or called, so that the
    library never imports them.
    """

    def _plugins(self) -> dict[str, Any]:
        found = {ep.name: ep for ep in entry_points(group="matchmaker.commands")}
        return {k: v for k, v in found.items() if k not in self.commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugins()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            plugin = self._plugins().get(cmd_name)
            if plugin is not None:
                command = plugin.load()
        return command


class _Context:
    def __init__(self, database_url: str | None) -> None:
        overrides = {"database_url": database_url} if database_url else None
        self.settings = Settings.load(overrides=overrides)
        self._database: Database | None = None

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = open_database(self.settings)
        return self._database


pass_ctx = click.make_pass_decorator(_Context)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="matchmaker")
@click.option(
    "--database-url",
    envvar="MATCHMAKER_DATABASE_URL",
    help="SQLAlchemy URL of the database (default: SQLite in ./instance).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """matchmaker: partner suggestions, ATS checks and network analysis for WeCaRe Piemonte."""
    ctx.obj = _Context(database_url)
    ctx.call_on_close(lambda: ctx.obj._database and ctx.obj._database.dispose())


@main.command()
@click.option(
    "--demo",
    is_flag=True,
    help="Also load the illustrative data set when the database holds no organisations yet.",
)
@pass_ctx
def init(obj: _Context, demo: bool) -> None:
    """Create or upgrade the schema and load the reference data (idempotent)."""
    report = init_instance(obj.database, obj.settings)
    click.echo(f"Database: {safe_url(obj.settings.database_url)}")
    if report.revision_before == report.revision_after:
        click.echo(f"Schema già aggiornato (revisione {report.revision_after}).")
    else:
        click.echo(
            f"Schema aggiornato: {report.revision_before or 'vuoto'} -> {report.revision_after}."
        )
    created = {k: v for k, v in report.reference.created.items() if v}
    updated = {k: v for k, v in report.reference.updated.items() if v}
    if not created and not updated:
        click.echo("Dati di riferimento già presenti: nessuna modifica.")
    for table, n in created.items():
        click.echo(f"  {table}: {n} righe inserite")
    for table, n in updated.items():
        click.echo(f"  {table}: {n} righe aggiornate")
    if demo and not obj.settings.load_demo:
        click.echo("Dati dimostrativi disattivati (MATCHMAKER_LOAD_DEMO=0): non caricati.")
    elif demo:
        _init_demo(obj.database)


def _init_demo(database: Database) -> None:
    from sqlalchemy import func, select

    from matchmaker.ingest.cli import echo_demo_report
    from matchmaker.ingest.demo import load_demo
    from matchmaker.storage import Organisation

    with database.session(actor="matchmaker init --demo") as session:
        if session.scalar(select(func.count()).select_from(Organisation)):
            click.echo("Il database contiene già degli enti: dati dimostrativi non caricati.")
            return
        demo_report = load_demo(session)
    echo_demo_report(demo_report)


@main.command("db-info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_ctx
def db_info(obj: _Context, as_json: bool) -> None:
    """Show the database URL, schema revision and the number of rows per table."""
    db = obj.database
    info = {
        "url": safe_url(obj.settings.database_url),
        "dialect": db.dialect,
        "revision": current_revision(db.engine),
        "head": head_revision(),
        "tables": db.counts(),
    }
    if as_json:
        click.echo(json.dumps(info, indent=2, sort_keys=True))
        return
    click.echo(f"Database:  {info['url']}")
    click.echo(f"Revisione: {info['revision'] or '(schema assente)'} (ultima: {info['head']})")
    if not info["tables"]:
        click.echo("Nessuna tabella: eseguire `matchmaker init`.")
    width = max((len(t) for t in info["tables"]), default=0)
    for table, n in info["tables"].items():
        click.echo(f"  {table:<{width}}  {n:>8}")


def _register() -> None:
    """Attach the command groups of each area (kept in their own modules)."""
    from matchmaker.accounts.cli import ACCOUNT_COMMANDS
    from matchmaker.ingest.cli import COMMANDS as INGEST_COMMANDS
    from matchmaker.matching.cli import MATCHING_COMMANDS
    from matchmaker.network.cli import network
    from matchmaker.rules.cli import ats

    # import, export, import-all, export-all, backup, restore, demo; match, eval, index;
    # ats; network; users, tokens, audit
    for command in (*INGEST_COMMANDS, *MATCHING_COMMANDS, ats, network, *ACCOUNT_COMMANDS):
        main.add_command(command)


_register()


if __name__ == "__main__":  # pragma: no cover
    main()

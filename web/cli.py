"""``matchmaker serve``: the web application under the waitress production server.

The command belongs to the web package and reaches the ``matchmaker`` command line through
the entry point ``matchmaker.commands`` (``setup.cfg``), so the library never imports ``web``.
"""

from __future__ import annotations

import sys

import click

from matchmaker import __version__
from matchmaker.cli import pass_ctx
from matchmaker.instance import SchemaNotReady, ensure_schema_ready, overview
from matchmaker.storage import safe_url

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@pass_ctx
def serve(obj, host: str, port: int, threads: int) -> None:
    """Serve the web application with the waitress production server."""
    try:
        ensure_schema_ready(obj.database.engine)
    except SchemaNotReady as exc:
        raise click.ClickException(str(exc)) from None
    import waitress

    from web import create_app

    with obj.database.session() as session:
        summary = overview(session)
    app = create_app(settings=obj.settings)
    click.echo(
        f"matchmaker {__version__}: {summary.comuni} comuni, {summary.organisations} enti, "
        f"{summary.partnerships} ATS in {safe_url(obj.settings.database_url)}"
    )
    click.echo(f"In ascolto su http://{host}:{port}/  (Ctrl+C per fermare)")
    sys.stdout.flush()
    waitress.serve(app, host=host, port=port, threads=threads, ident="matchmaker")

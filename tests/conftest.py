"""Shared fixtures: temporary databases (SQLite always, PostgreSQL when configured),
the Flask app, its client and CLI runner."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

from matchmaker.config import Settings
from matchmaker.instance import init_instance
from matchmaker.storage import Database

PG_URL = os.environ.get("MATCHMAKER_TEST_DATABASE_URL", "")
PG_SKIP_REASON = (
    "MATCHMAKER_TEST_DATABASE_URL is not set: PostgreSQL tests skipped "
    "(.ci/run sets it to the CI server)"
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _pg_schema_url(schema: str) -> str:
    url = make_url(PG_URL)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to a fresh, empty PostgreSQL schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:  # pragma: no cover - server absent
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
    yield _pg_schema_url(schema)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest) -> str:
    """An empty database URL: SQLite, then PostgreSQL (skipped when not configured)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return Settings.load(
        environ={},
        overrides={"instance_path": tmp_path / "instance", "database_url": sqlite_url},
    )


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    """A SQLite database with the schema and the reference data."""
    db = Database(settings.database_url)
    init_instance(db, settings)
    yield db
    db.dispose()


@pytest.fixture
def any_database(any_url: str, tmp_path: Path) -> Iterator[Database]:
    """Like ``database`` but on SQLite and PostgreSQL in turn."""
    db = Database(any_url)
    overrides = {"instance_path": tmp_path, "database_url": any_url}
    init_instance(db, Settings.load(environ={}, overrides=overrides))
    yield db
    db.dispose()


@pytest.fixture
def app(settings: Settings, database: Database):
    from web import create_app

    return create_app(
        {
            "TESTING": True,
            "instance_path": str(settings.instance_path),
            "database_url": settings.database_url,
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- the illustrative (demo) data set ------------------------------------------------------


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with schema, reference data and the demo data set (built once)."""
    from matchmaker.ingest import build_demo_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    build_demo_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def demo_database(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo database."""
    import shutil

    target = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{demo_file}{suffix}").exists():
            shutil.copyfile(f"{demo_file}{suffix}", f"{target}{suffix}")
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


# --- real server and real browser ---------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where browser tests save screenshots (kept by CI as artefacts, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def serve(app):
    """Serve ``app`` with waitress (the production server) on a free loopback port."""
    import contextlib
    import socket
    import threading

    from waitress.server import create_server

    @contextlib.contextmanager
    def running():
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        port = server.socket.getsockname()[1]
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.close()
            thread.join(timeout=5)

    return running()


@pytest.fixture(scope="session")
def serve_app():
    """The function ``serve``: ``with serve_app(app) as url: ...``."""
    return serve


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app served by waitress on a free loopback port."""
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What a guarded browser page saw that it should not have."""

    def __init__(self) -> None:
        self.outside: list[str] = []  # requests to another host (aborted)
        self.dialogs: list[str] = []  # alert/confirm/prompt
        self.failed: list[str] = []  # failed local requests
        self.csp: list[str] = []  # Content-Security-Policy violations

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left the machine: {self.outside}"
        assert self.dialogs == [], f"unexpected dialogs: {self.dialogs}"
        assert self.failed == [], f"failed requests: {self.failed}"
        assert self.csp == [], f"CSP violations: {self.csp}"


@pytest.fixture
def guarded_page(browser):
    """A factory: ``page, watch = guarded_page(width, height)``; checked clean at teardown.

    Requests to any host but this machine are aborted and recorded, dialogs are dismissed
    and recorded, and so are failed requests and CSP violations.
    """
    from urllib.parse import urlsplit

    opened: list[tuple[object, Watch]] = []

    def open_page(width: int = 1366, height: int = 768):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="it-IT")
        watch = Watch()

        def guard(route):
            host = urlsplit(route.request.url).hostname or ""
            if host in ("127.0.0.1", "localhost") or route.request.url.startswith(
                ("data:", "blob:")
            ):
                route.continue_()
            else:
                watch.outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        pg = context.new_page()
        pg.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
        pg.on(
            "requestfailed",  # aborted: a fetch cut short by the next navigation
            lambda r: None if r.failure == "net::ERR_ABORTED" else watch.failed.append(r.url),
        )
        pg.on(
            "console",
            lambda m: watch.csp.append(m.text) if "Content Security Policy" in m.text else None,
        )
        opened.append((context, watch))
        return pg, watch

    yield open_page
    for context, watch in opened:
        context.close()
        watch.assert_clean()


@pytest.fixture
def page(guarded_page, live_server):
    """A guarded page on the test app; ``page.base_url`` is the server's address."""
    pg, _watch = guarded_page()
    pg.base_url = live_server
    return pg


# --- accounts ---------------------------------------------------------------------------

PASSWORD = "una-password-di-prova"
ROLE_EMAILS = {
    "admin": "admin@example.org",
    "facilitatore": "facilitatore@example.org",
    "ente": "ente@example.org",
    "ricercatore": "ricercatore@example.org",
}


@pytest.fixture
def accounts(database) -> dict[str, str]:
    """One account per role (the ``ente`` one bound to an ETS); role -> e-mail."""
    from matchmaker.accounts import create_user
    from matchmaker.domain import OrgKind, Sector
    from matchmaker.storage import Organisation

    with database.session(actor="test") as s:
        s.add(
            Organisation(
                kind=OrgKind.ETS,
                sector=Sector.THIRD_SECTOR,
                name="APS Account di prova",
                tax_code="80087670016",
                seat_comune_code="001272",
            )
        )
        s.flush()
        for role, email in ROLE_EMAILS.items():
            create_user(s, email, role, PASSWORD, "80087670016" if role == "ente" else None)
    return dict(ROLE_EMAILS)


@pytest.fixture
def login(client):
    """Sign the test client in as an e-mail (CSRF token taken from the form)."""
    import re

    def _login(email: str, password: str = PASSWORD):
        page = client.get("/accedi").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return client.post(
            "/accedi", data={"email": email, "password": password, "csrf_token": token}
        )

    return _login


@pytest.fixture(scope="session")
def statements():
    """``statements(db)``: a context manager listing the SQL statements ``db`` runs in it."""

    @contextlib.contextmanager
    def count(db: Database) -> Iterator[list[str]]:
        seen: list[str] = []

        def record(_conn, _cursor, statement, _params, _context, _many):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return count

"""The Flask application: HTTP in, library calls, HTML or JSON out."""

from __future__ import annotations

import dataclasses
import os
import runpy
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g

from matchmaker import __version__
from matchmaker.config import Settings
from matchmaker.storage import Database

__all__ = ["AppState", "create_app", "db_session"]


@dataclasses.dataclass
class AppState:
    """Shared objects of one application, kept in ``app.extensions['matchmaker']``."""

    settings: Settings
    database: Database
    match_engine: Any = None  # built on first use (web.engines)
    ats_service: Any = None
    services: dict[str, Any] = dataclasses.field(default_factory=dict)


def create_app(
    test_config: Mapping[str, Any] | None = None, *, settings: Settings | None = None
) -> Flask:
    """Build the application. Cheap: no migrations, no downloads, no connection.

    Configuration layers, each over the previous: defaults, the instance folder's
    ``config.py``, ``MATCHMAKER_*`` environment variables, then ``test_config``.
    """
    if settings is None:
        settings = _load_settings(test_config)
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    app.config.update(
        SECRET_KEY=settings.secret_key or _secret_key(settings.instance_path, test_config),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k.isupper()})
    app.extensions["matchmaker"] = AppState(settings, Database(settings.database_url))

    from web import errors
    from web.i18n import init_i18n
    from web.security import init_security
    from web.views import admin, ats, auth, data, directory, districts, main, network, partners

    init_i18n(app)
    init_security(app)
    from web import api

    modules = (main, auth, admin, api, directory, partners, network, districts, ats, data)
    for module in modules:
        app.register_blueprint(module.bp)
    errors.register(app)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"app_version": __version__}

    app.jinja_env.filters["numero"] = _format_number
    return app


def db_session():
    """The request's database session (opened on first use, closed at teardown)."""
    from flask import current_app

    if "db_session" not in g:
        state: AppState = current_app.extensions["matchmaker"]
        g.db_session = state.database.new_session(actor=getattr(g, "actor", "web"))
    return g.db_session


def _load_settings(test_config: Mapping[str, Any] | None) -> Settings:
    first = Settings.load(overrides=test_config)
    instance_file = first.instance_path / "config.py"
    mapping: dict[str, Any] = {}
    if instance_file.is_file():
        mapping = {k: v for k, v in runpy.run_path(str(instance_file)).items() if k.isupper()}
    return Settings.load(mapping=mapping, overrides=test_config)


def _secret_key(instance_path: Path, test_config: Mapping[str, Any] | None) -> str:
    """Read the instance's generated key, creating it (mode 0600) on first start."""
    if test_config and test_config.get("TESTING"):
        return secrets.token_hex(32)
    path = instance_path / "secret_key"
    if path.is_file():
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def _format_number(value: int | float | None) -> str:
    """Digit grouping of the page's language: 1179 -> '1.179' (it), '1,179' (en)."""
    if value is None:
        return "–"
    from web.i18n import current_language

    english = current_language() == "en"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}"
        return text if english else text.replace(",", "X").replace(".", ",").replace("X", ".")
    text = f"{int(value):,}"
    return text if english else text.replace(",", ".")

"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, make_url, select
from sqlalchemy.orm import Session, sessionmaker

from matchmaker.storage.audit import DEFAULT_ACTOR, install_audit
from matchmaker.storage.models import Base

__all__ = ["Database", "safe_url"]


def safe_url(url: str) -> str:
    """The URL with any password masked, for printing."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """A database: its engine, its session factory and the audit hook.

    Parameters
    ----------
    url : str
        SQLAlchemy URL, e.g. ``sqlite:///instance/matchmaker.sqlite3`` or
        ``postgresql+psycopg://postgres@127.0.0.1:5432/test``.
    echo : bool
        Log every SQL statement.

    Examples
    --------
    >>> db = Database("sqlite://")
    >>> db.dialect
    'sqlite'
    """

    def __init__(self, url: str, *, echo: bool = False, **engine_kwargs: Any) -> None:
        self.url = url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine_kwargs.setdefault("connect_args", {"timeout": 30})
        else:
            engine_kwargs.setdefault("pool_pre_ping", True)
        self.engine: Engine = create_engine(url, echo=echo, **engine_kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        install_audit(self.sessionmaker)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def new_session(self, actor: str = DEFAULT_ACTOR) -> Session:
        """A session whose writes are logged under ``actor``."""
        session = self.sessionmaker()
        session.info["actor"] = actor
        return session

    @contextlib.contextmanager
    def session(self, actor: str = DEFAULT_ACTOR) -> Iterator[Session]:
        """A unit of work: commits on success, rolls everything back on error."""
        session = self.new_session(actor)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def counts(self) -> dict[str, int]:
        """Number of rows in every table of the schema that exists in the database."""
        from sqlalchemy import inspect as sa_inspect

        present = set(sa_inspect(self.engine).get_table_names())
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                if table.name in present:
                    out[table.name] = conn.execute(
                        select(func.count()).select_from(table)
                    ).scalar_one()
        return out

    def dispose(self) -> None:
        self.engine.dispose()

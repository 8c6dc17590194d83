"""The cache of the database snapshot, read again only when the data changes.

:class:`SnapshotCache` (one per engine: :func:`snapshot_cache`) keeps the latest
:class:`~matchmaker.storage.snapshot.Snapshot` and reads the database again only when
:func:`data_version` changes. A version is the engine's *generation*, bumped after the
commit of any transaction through this engine (ORM or Core: edits, reference data, restores)
that wrote a table the snapshot reads, plus the top of the audit log (``max(audit_entry.id)``
and the entries among the last :data:`AUDIT_WINDOW` ids): every audited write
(organisations, districts, ATS, members, collaborations, accounts) and every reference load
adds an entry in its own transaction, whichever process made it; the count notices a
PostgreSQL transaction committing after one that took a higher id. A session with
uncommitted writes of its own, or whose transaction began before the engine was followed,
has no version: it reads its own state, never cached.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from matchmaker.storage.models import (
    ASL,
    AuditEntry,
    Collaboration,
    Comune,
    ComuneAdjacency,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    Theme,
    district_comune,
    organisation_comune,
    organisation_district,
    organisation_theme,
    partnership_district,
    partnership_theme,
)
from matchmaker.storage.snapshot import DataVersion, Snapshot, load_snapshot

__all__ = ["AUDIT_WINDOW", "WATCHED", "SnapshotCache", "data_version", "snapshot_cache"]

T = TypeVar("T")
#: audit ids counted by the probe, below the highest one
AUDIT_WINDOW = 10_000

#: the tables a snapshot reads: a committed write to one of them bumps the generation
WATCHED = frozenset(
    getattr(t, "__table__", t).name
    for t in (
        *(Organisation, District, Partnership, PartnershipMember, Collaboration, Comune, ASL),
        *(Theme, ComuneAdjacency, district_comune, organisation_comune, organisation_district),
        *(organisation_theme, partnership_district, partnership_theme),
    )
)
_WRITE_SQL = re.compile(
    r"\s*(insert|update|delete|replace|merge|truncate|create|drop|alter)\b", re.I
)
_BEGUN, _DIRTY, _COMMITTED = "snapshot_begun", "snapshot_dirty", "snapshot_committed"
_CACHES: weakref.WeakKeyDictionary[Engine, SnapshotCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _writes(context: Any, statement: str) -> bool:
    """Whether a statement may change what a snapshot reads (an unknown write does)."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        name = getattr(getattr(context.compiled.statement, "table", None), "name", None)
        return not isinstance(name, str) or name in WATCHED
    return bool(getattr(context, "isddl", False) or _WRITE_SQL.match(statement))


class SnapshotCache:
    """The latest snapshot of one engine's database, read again when its version changes.

    Creating one starts following the engine's transactions (see the module docstring);
    :func:`snapshot_cache` gives the one that every user of an engine shares. Thread-safe.
    ``generation`` counts the committed writes seen, ``loads`` the snapshots read.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = weakref.ref(engine)
        self.generation = 0
        self.loads = 0
        self._current: Snapshot | None = None
        self._lock = threading.Lock()  # one load at a time
        self._counting = threading.Lock()  # never waits for a load: writers take it
        ref = weakref.ref(self)

        def bump() -> None:
            cache = ref()
            if cache is not None:
                with cache._counting:
                    cache.generation += 1

        def begin(conn: Any) -> None:
            cache = ref()
            conn.info[_BEGUN] = cache.generation if cache is not None else None

        def after_cursor_execute(
            conn: Any, _cur: Any, sql: str, _p: Any, ctx: Any, _m: Any
        ) -> None:
            if not _writes(ctx, sql):
                return
            if getattr(conn, "_is_autocommit_isolation", bool)():
                bump()  # already committed
            else:
                conn.info[_DIRTY] = True

        def commit(conn: Any) -> None:  # before the database commits: bump again at checkin
            if conn.info.pop(_DIRTY, False):
                conn.info[_COMMITTED] = True
                bump()

        def rollback(conn: Any) -> None:
            conn.info.pop(_DIRTY, None)

        def checkin(_dbapi: Any, record: Any) -> None:  # the transaction is over
            record.info.pop(_BEGUN, None)
            committed = record.info.pop(_COMMITTED, False)
            if record.info.pop(_DIRTY, False) or committed:  # dirty: not rolled back by us
                bump()

        for fn in (begin, after_cursor_execute, commit, rollback, checkin):
            event.listen(engine, fn.__name__, fn)

    def version(self, session: Session) -> DataVersion | None:
        """The version of the data ``session`` reads; ``None`` if it has writes of its own."""
        if session.new or session.dirty or session.deleted:
            return None
        conn = session.connection()
        begun = conn.info.get(_BEGUN)
        if begun is None or conn.info.get(_DIRTY) or conn.engine is not self._engine():
            return None
        top = select(func.coalesce(func.max(AuditEntry.id), 0)).scalar_subquery()
        probe = select(func.max(AuditEntry.id), func.count(AuditEntry.id))
        last, recent = session.execute(probe.where(AuditEntry.id > top - AUDIT_WINDOW)).one()
        return DataVersion(begun, last, recent)

    def get(self, session: Session) -> Snapshot:
        """What :func:`load_snapshot` would read through ``session``: the cached snapshot
        while the version holds, else a new one (cached when ``session`` has a version)."""
        version = self.version(session)
        if version is None:
            return load_snapshot(session)
        with self._lock:
            current = self._current
            if current is not None and current.version == version:
                return current
            snapshot = load_snapshot(session, version)
            self.loads += 1
            if version.generation == self.generation:  # else already out of date
                self._current = snapshot
            return snapshot

    def view(self, session: Session, factory: Callable[[Snapshot], T]) -> T:
        """``factory(snapshot)`` for the snapshot of :meth:`get`, cached with it."""
        return self.get(session).view(factory)

    def clear(self) -> None:
        """Forget the cached snapshot."""
        with self._lock:
            self._current = None


def snapshot_cache(bind: Any) -> SnapshotCache:
    """The shared :class:`SnapshotCache` of a ``Database``, an ``Engine`` or a session's."""
    engine: Engine = (bind.get_bind() if isinstance(bind, Session) else bind).engine
    with _CACHES_LOCK:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = SnapshotCache(engine)
        return cache


def data_version(session: Session) -> DataVersion | None:
    """The version of the data ``session`` reads (``None``: not cacheable, see above)."""
    return snapshot_cache(session).version(session)

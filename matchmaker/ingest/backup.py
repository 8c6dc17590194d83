"""Full backup and restore: every table of the schema, audit log included, in one zip.

The zip holds ``manifest.json`` (format, schema revision, row counts, SHA-256 of every table)
and ``tables/<name>.jsonl`` (one JSON object per row, ordered by primary key). Restoring
writes the rows back with their ids, so that the audit log's references and the order of
members stay the same; it refuses a database that is not empty.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Date, DateTime, Numeric, Table, delete, func, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from matchmaker.ingest.errors import IngestError
from matchmaker.storage.audit import jsonable
from matchmaker.storage.models import AuditEntry, Base

__all__ = ["BACKUP_FORMAT", "RestoreError", "backup", "restore", "table_checksums"]

BACKUP_FORMAT = "matchmaker-backup/1"
#: tables that ``matchmaker init`` fills: a restore target may hold them
_REFERENCE = {"province", "asl", "comune", "comune_adjacency", "theme"}
_CHUNK = 2000


class RestoreError(IngestError):
    """The backup cannot be restored into this database (not empty, other schema, damaged)."""


def _revision(conn: Connection) -> str | None:
    heads = MigrationContext.configure(conn).get_current_heads()
    return "+".join(sorted(heads)) or None


def _tables(conn: Connection) -> list[Table]:
    present = set(inspect(conn).get_table_names())
    return [t for t in Base.metadata.sorted_tables if t.name in present]


def _rows(conn: Connection, table: Table) -> Any:
    order = list(table.primary_key.columns) or list(table.columns)
    return conn.execute(select(table).order_by(*order)).mappings()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return jsonable(value)


def _encode(row: Any) -> str:
    return json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False)


def table_checksums(conn: Connection | Session) -> dict[str, str]:
    """SHA-256 of the content of every table, rows in primary-key order.

    Values are hashed as the database driver returns them (no type conversion, so it is
    fast), hence compare checksums of databases on the same engine. Tests use it to show that
    a failed import left every table unchanged, and that a restore gives back the same data.
    """
    conn = conn.connection() if isinstance(conn, Session) else conn
    out: dict[str, str] = {}
    quote = conn.dialect.identifier_preparer.quote
    for table in _tables(conn):
        order = list(table.primary_key.columns) or list(table.columns)
        # table and column names come from the metadata, quoted: no input reaches the SQL
        columns = ", ".join(quote(c.name) for c in table.columns)
        keys = ", ".join(quote(c.name) for c in order)
        sql = f"SELECT {columns} FROM {quote(table.name)} ORDER BY {keys}"  # noqa: S608
        digest = hashlib.sha256()
        for row in conn.exec_driver_sql(sql):  # identifiers from the schema, quoted
            digest.update(repr(tuple(row)).encode("utf-8"))
        out[table.name] = digest.hexdigest()
    return out


def backup(session: Session, path: Path | str) -> dict[str, int]:
    """Write every table to the zip ``path``; return the row count per table."""
    conn = session.connection()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    sums: dict[str, str] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in _tables(conn):
            digest = hashlib.sha256()
            n = 0
            with zf.open(f"tables/{table.name}.jsonl", "w") as fh:
                for row in _rows(conn, table):
                    line = _encode(row).encode("utf-8") + b"\n"
                    digest.update(line)
                    fh.write(line)
                    n += 1
            counts[table.name], sums[table.name] = n, digest.hexdigest()
        manifest = {
            "format": BACKUP_FORMAT,
            "revision": _revision(conn),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tables": counts,
            "sha256": sums,
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    return counts


def _decode(table: Table, obj: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in table.columns:
        value = obj.get(column.name)
        if value is not None:
            if isinstance(column.type, DateTime):
                value = dt.datetime.fromisoformat(value)
            elif isinstance(column.type, Date):
                value = dt.date.fromisoformat(value)
            elif isinstance(column.type, Numeric) and column.type.asdecimal:
                value = Decimal(str(value))
        out[column.name] = value
    return out


def _check_empty(conn: Connection) -> None:
    busy = []
    for table in _tables(conn):
        if table.name in _REFERENCE:
            continue
        query = select(func.count()).select_from(table)
        if table.name == AuditEntry.__tablename__:
            query = query.where(table.c.entity != "reference")
        n = conn.execute(query).scalar_one()
        if n:
            busy.append(f"{table.name} ({n})")
    if busy:
        raise RestoreError(
            "il ripristino avviene solo in un database vuoto (appena creato con "
            f"`matchmaker init`); questo contiene già dati: {', '.join(busy)}",
            f"restore only into an empty database (fresh from `matchmaker init`); this one "
            f"already holds data: {', '.join(busy)}",
        )


def restore(session: Session, path: Path | str) -> dict[str, int]:
    """Restore the zip ``path`` into an empty database; return the row count per table.

    The database must have the backup's schema revision and hold nothing but the reference
    data (and its audit entries), as right after ``matchmaker init``. The reference tables and
    the audit log are replaced by the backup's. The caller commits.

    Raises
    ------
    RestoreError
    """
    conn = session.connection()
    try:
        zf = zipfile.ZipFile(Path(path))
    except (OSError, zipfile.BadZipFile) as exc:
        raise RestoreError(
            f"backup non leggibile: {exc}", f"cannot read the backup: {exc}"
        ) from None
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except (KeyError, ValueError):
            raise RestoreError(
                "il file non è un backup di matchmaker (manca manifest.json)",
                "not a matchmaker backup (manifest.json missing)",
            ) from None
        if manifest.get("format") != BACKUP_FORMAT:
            raise RestoreError(
                f"formato di backup sconosciuto: {manifest.get('format')!r}",
                f"unknown backup format: {manifest.get('format')!r}",
            )
        revision = _revision(conn)
        if manifest.get("revision") != revision:
            raise RestoreError(
                f"il backup è della revisione di schema {manifest.get('revision')}, il database "
                f"della {revision}: aggiornare entrambi con `matchmaker init`",
                f"the backup has schema revision {manifest.get('revision')}, the database "
                f"{revision}",
            )
        _check_empty(conn)
        tables = {t.name: t for t in _tables(conn)}
        missing = sorted(set(manifest["tables"]) - set(tables))
        if missing:
            raise RestoreError(
                f"tabelle del backup assenti nel database: {', '.join(missing)}",
                f"tables of the backup missing in the database: {', '.join(missing)}",
            )
        for table in reversed(list(tables.values())):
            conn.execute(delete(table))
        counts: dict[str, int] = {}
        for name, table in tables.items():
            if name not in manifest["tables"]:
                continue
            batch: list[dict[str, Any]] = []
            n = 0
            with zf.open(f"tables/{name}.jsonl") as fh:
                for line in fh:
                    batch.append(_decode(table, json.loads(line)))
                    n += 1
                    if len(batch) >= _CHUNK:
                        conn.execute(insert(table), batch)
                        batch = []
            if batch:
                conn.execute(insert(table), batch)
            if n != manifest["tables"][name]:
                raise RestoreError(
                    f"backup danneggiato: la tabella {name} ha {n} righe invece di "
                    f"{manifest['tables'][name]}",
                    f"damaged backup: table {name} has {n} rows instead of "
                    f"{manifest['tables'][name]}",
                )
            counts[name] = n
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, tables.values())
    session.expire_all()
    return counts


def _reset_sequences(conn: Connection, tables: Any) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto"
                and column.type.python_type is int
                and len(table.primary_key.columns) == 1
            ):
                # names come from the metadata, not from input
                seq = f"pg_get_serial_sequence('{table.name}', '{column.name}')"
                top = f"(SELECT MAX({column.name}) FROM {table.name})"  # noqa: S608
                conn.execute(text(f"SELECT setval({seq}, COALESCE({top}, 0) + 1, false)"))

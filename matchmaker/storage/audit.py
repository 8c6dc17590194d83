"""The audit log: every write to a domain record leaves an entry with its account.

The hook runs inside the flush, on the same connection and transaction as the write
itself, so an entry exists exactly when the change does. Several flushes of the same record
within one transaction (autoflush) fold into one entry.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.orm import ColumnProperty, RelationshipProperty, Session

from matchmaker.storage.accounts_models import ApiToken, User
from matchmaker.storage.models import (
    AuditEntry,
    Base,
    Collaboration,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    utcnow,
)

__all__ = ["AUDITED", "DEFAULT_ACTOR", "install_audit", "jsonable"]

#: models whose every create/update/delete is logged row by row
AUDITED: tuple[type[Base], ...] = (
    Organisation,
    District,
    Partnership,
    PartnershipMember,
    Collaboration,
    User,
    ApiToken,
)
DEFAULT_ACTOR = "sistema"


def jsonable(value: Any) -> Any:
    """A JSON-friendly form of a column or relationship value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Base):
        return value.audit_key()
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return str(value)


def _snapshot(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for prop in state.mapper.column_attrs:
        if prop.key not in obj.__audit_exclude__:
            out[prop.key] = jsonable(state.dict.get(prop.key))
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key in state.dict:
            out[rel.key] = sorted(jsonable(list(state.dict[rel.key])))
    return out


def _diff(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for prop in state.mapper.attrs:
        if prop.key in obj.__audit_exclude__:
            continue
        if isinstance(prop, RelationshipProperty) and prop.secondary is None:
            continue  # many-to-one: the foreign-key column carries the change
        history = state.attrs[prop.key].history
        if not history.has_changes():
            continue
        if isinstance(prop, ColumnProperty):
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                out[prop.key] = {"old": jsonable(old), "new": jsonable(new)}
        else:
            out[prop.key] = {
                "added": sorted(jsonable(list(history.added))),
                "removed": sorted(jsonable(list(history.deleted))),
            }
    return out


def _merge(action: str, earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """Fold an update into the entry already written for the same record and transaction."""
    merged = dict(earlier)
    for key, change in later.items():
        if action == "create":  # the snapshot takes the new values
            if "new" in change:
                merged[key] = change["new"]
            else:
                items = set(merged.get(key, [])) | set(change["added"])
                merged[key] = sorted(items - set(change["removed"]))
        elif "new" in change:
            first = merged.get(key, change)
            if first["old"] == change["new"]:
                merged.pop(key, None)
            else:
                merged[key] = {"old": first["old"], "new": change["new"]}
        else:
            prev = merged.get(key, {"added": [], "removed": []})
            added = (set(prev["added"]) - set(change["removed"])) | (
                set(change["added"]) - set(prev["removed"])
            )
            removed = (set(prev["removed"]) - set(change["added"])) | (
                set(change["removed"]) - set(prev["added"])
            )
            merged[key] = {"added": sorted(added), "removed": sorted(removed)}
    return merged


def _after_flush(session: Session, _flush_context: Any) -> None:
    actor = session.info.get("actor") or DEFAULT_ACTOR
    now = utcnow()
    # (entity, key) -> action of the entries written in this transaction
    written: dict[tuple[str, str], str] = session.info.setdefault("_audit_written", {})
    connection = session.connection()
    table = AuditEntry.__table__
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Base, changes: dict[str, Any]) -> None:
        key = (obj.__tablename__, obj.audit_key()[:120])
        if action == "update" and written.get(key) in ("create", "update"):
            earlier = connection.execute(
                select(table.c.id, table.c.changes)
                .where(table.c.entity == key[0], table.c.entity_key == key[1])
                .order_by(table.c.id.desc())
                .limit(1)
            ).first()
            if earlier is not None:  # None when a savepoint rolled the entry back
                merged = _merge(written[key], earlier.changes, changes)
                if not merged and written[key] == "update":  # changed, then changed back
                    connection.execute(delete(table).where(table.c.id == earlier.id))
                    del written[key]
                    return
                connection.execute(
                    update(table).where(table.c.id == earlier.id).values(changes=merged, at=now)
                )
                return
        written[key] = action
        rows.append(
            {
                "at": now,
                "actor": actor,
                "action": action,
                "entity": key[0],
                "entity_key": key[1],
                "changes": changes,
            }
        )

    for obj in session.new:
        if isinstance(obj, AUDITED):
            add("create", obj, _snapshot(obj))
    for obj in session.dirty:
        if isinstance(obj, AUDITED) and session.is_modified(obj, include_collections=True):
            changes = _diff(obj)
            if changes:
                add("update", obj, changes)
    for obj in session.deleted:
        if isinstance(obj, AUDITED):
            add("delete", obj, _snapshot(obj))
    if rows:
        connection.execute(insert(table), rows)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop("_audit_written", None)


def install_audit(session_factory: Any) -> None:
    """Attach the audit hook to a ``sessionmaker`` (idempotent)."""
    if not event.contains(session_factory, "after_flush", _after_flush):
        event.listen(session_factory, "after_flush", _after_flush)
        event.listen(session_factory, "after_commit", _forget)
        event.listen(session_factory, "after_rollback", _forget)

"""Reading the audit log: who changed what, and when (the writes are logged by
:mod:`matchmaker.storage.audit`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.registry.paging import Page, paginate
from matchmaker.storage import AuditEntry

__all__ = ["audit_entities", "audit_page", "newest_entries"]


def _query(entity: str | None, actor: str | None, entity_key: str | None = None):
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if entity_key:
        query = query.where(AuditEntry.entity_key == entity_key)
    return query


def audit_page(
    session: Session,
    *,
    entity: str | None = None,
    actor: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[AuditEntry]:
    """Entries newest first, of one table and/or one account."""
    query = _query(entity, actor).order_by(AuditEntry.id.desc())
    return paginate(session, query, page, per_page)


def newest_entries(
    session: Session,
    *,
    entity: str | None = None,
    actor: str | None = None,
    entity_key: str | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """The newest ``limit`` entries matching the filters, oldest of them first."""
    query = _query(entity, actor, entity_key).order_by(AuditEntry.id.desc()).limit(limit)
    return list(reversed(session.scalars(query).all()))


def audit_entities(session: Session) -> list[str]:
    """The tables that have entries, alphabetically."""
    return list(session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))

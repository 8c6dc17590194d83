"""Storage: SQLAlchemy models, the session factory, the audit log and migrations."""

from __future__ import annotations

from matchmaker.storage.db import Database, safe_url
from matchmaker.storage.migrate import current_revision, head_revision, upgrade
from matchmaker.storage.models import (
    ASL,
    AuditEntry,
    Base,
    Collaboration,
    Comune,
    ComuneAdjacency,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    Province,
    Theme,
)

__all__ = [
    "ASL",
    "AuditEntry",
    "Base",
    "Collaboration",
    "Comune",
    "ComuneAdjacency",
    "Database",
    "District",
    "Organisation",
    "Partnership",
    "PartnershipMember",
    "Province",
    "Theme",
    "current_revision",
    "head_revision",
    "safe_url",
    "upgrade",
]

"""Storage: SQLAlchemy models, the session factory, the audit log and migrations."""

from __future__ import annotations

from matchmaker.storage.accounts_models import ApiToken, User  # noqa: F401
from matchmaker.storage.db import Database, safe_url
from matchmaker.storage.matching_models import ProfileEmbedding  # noqa: F401  (registers the table)
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
from matchmaker.storage.rules_models import AtsStatusChange  # noqa: F401  (registers the table)

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

"""Storage: SQLAlchemy models, the session factory, the audit log, migrations and snapshots."""

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
from matchmaker.storage.snapshot import DataVersion, Snapshot, load_snapshot
from matchmaker.storage.snapshot_cache import SnapshotCache, data_version, snapshot_cache

__all__ = [
    "ASL",
    "AuditEntry",
    "Base",
    "Collaboration",
    "Comune",
    "ComuneAdjacency",
    "DataVersion",
    "Database",
    "District",
    "Organisation",
    "Partnership",
    "PartnershipMember",
    "Province",
    "Snapshot",
    "SnapshotCache",
    "Theme",
    "current_revision",
    "data_version",
    "head_revision",
    "load_snapshot",
    "safe_url",
    "snapshot_cache",
    "upgrade",
]

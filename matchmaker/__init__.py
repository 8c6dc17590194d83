"""matchmaker: partnership matchmaking and network analysis for WeCaRe Piemonte.

The library never imports Flask: the command line, the notebooks, the tests and the
web application (package ``web``) all use it the same way.
"""

from __future__ import annotations

__version__ = "0.1.0"

from matchmaker.config import Settings
from matchmaker.domain import (
    CollaborationKind,
    MemberRole,
    OrgKind,
    PartnershipStatus,
    RuntsSection,
    Sector,
    TaxCodeError,
    sector_for_kind,
    validate_tax_code,
)

__all__ = [
    "CollaborationKind",
    "MemberRole",
    "OrgKind",
    "PartnershipStatus",
    "RuntsSection",
    "Sector",
    "Settings",
    "TaxCodeError",
    "__version__",
    "sector_for_kind",
    "validate_tax_code",
]

"""History of ATS status changes: one dated row per transition, with the rule check it passed.

Each row keeps who moved the ATS, from which status to which, when, a free note and a
summary of the rule check run at that moment (admissible or not, the ids of the error- and
warning-level findings), so that the history of an ATS can be read back without re-running
the checks against a database that has changed since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.domain import PartnershipStatus
from matchmaker.storage.models import Base, Partnership, utcnow

__all__ = ["AtsStatusChange"]


def _status_enum(name: str) -> Enum:
    return Enum(
        PartnershipStatus,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
    )


class AtsStatusChange(Base):
    """One transition of an ATS (a :class:`Partnership`) between two statuses."""

    __tablename__ = "ats_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[PartnershipStatus] = mapped_column(_status_enum("from_status"))
    to_status: Mapped[PartnershipStatus] = mapped_column(_status_enum("to_status"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    admissible: Mapped[bool] = mapped_column(Boolean)
    check_summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    partnership: Mapped[Partnership] = relationship()

    __table_args__ = (
        CheckConstraint("from_status <> to_status", name="status_changes"),
        CheckConstraint("length(trim(actor)) > 0", name="actor_not_blank"),
    )

    def audit_key(self) -> str:
        return f"{self.partnership_id}:{self.id}"

"""Stored sentence vectors of organisation profiles, for the matching index.

One row per (organisation, model, text hash, chunk): chunk 0 is the whole profile text
(name and description), chunks 1..n its sentences. A profile whose text changes gets a new
hash, so its old rows are replaced; a change of model keeps the old model's rows apart
(``model`` is part of the key) until they are pruned.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.storage.models import Base, utcnow

__all__ = ["ProfileEmbedding"]


class ProfileEmbedding(Base):
    """A float32 vector of one chunk of one organisation's profile, by one model."""

    __tablename__ = "profile_embedding"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    model: Mapped[str] = mapped_column(String(200), index=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    chunk: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint(
            "organisation_id", "model", "text_hash", "chunk", name="uq_profile_embedding_key"
        ),
        CheckConstraint("chunk >= 0", name="chunk_non_negative"),
        CheckConstraint("dim > 0", name="dim_positive"),
    )

    def audit_key(self) -> str:
        return f"{self.organisation_id}:{self.model}:{self.chunk}"

"""SQLAlchemy 2.0 models: reference geography, organisations, ATS, ties, audit log.

Rules that matter are constraints in the database, not only checks in Python: unique tax
codes and codes, foreign keys, enumerations as CHECK constraints, sector consistent with
kind, one capofila per ATS, no tie from an organisation to itself.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from matchmaker.domain import (
    CollaborationKind,
    MemberRole,
    OrgKind,
    PartnershipStatus,
    RuntsSection,
    Sector,
)

__all__ = [
    "ASL",
    "AuditEntry",
    "Base",
    "Collaboration",
    "Comune",
    "ComuneAdjacency",
    "District",
    "Organisation",
    "Partnership",
    "PartnershipMember",
    "Province",
    "Theme",
    "utcnow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now in UTC, without time zone: how every time is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enumeration: VARCHAR plus a CHECK constraint listing the values."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    #: columns left out of audit entries (bookkeeping, not content)
    __audit_exclude__: frozenset[str] = frozenset({"created_at", "updated_at", "version"})

    def audit_key(self) -> str:
        """Stable identity written in audit entries and change lists."""
        return str(getattr(self, "id", None))


# --- reference geography -------------------------------------------------------------


class Province(Base):
    __tablename__ = "province"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # sigla: TO, CN...
    istat_code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(80))

    comuni: Mapped[list[Comune]] = relationship(back_populates="province")

    def audit_key(self) -> str:
        return self.code


class ASL(Base):
    __tablename__ = "asl"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    seat: Mapped[str] = mapped_column(String(80))
    provinces: Mapped[str] = mapped_column(String(40))  # space- or comma-separated sigle
    note: Mapped[str | None] = mapped_column(Text)

    comuni: Mapped[list[Comune]] = relationship(back_populates="asl")

    def audit_key(self) -> str:
        return self.code


district_comune = Table(
    "district_comune",
    Base.metadata,
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
    Column("comune_code", ForeignKey("comune.istat_code"), primary_key=True),
)


class Comune(Base):
    __tablename__ = "comune"

    istat_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), index=True)
    cadastral_code: Mapped[str] = mapped_column(String(4), unique=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    area_km2: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    asl_code: Mapped[str | None] = mapped_column(ForeignKey("asl.code"), index=True)

    province: Mapped[Province] = relationship(back_populates="comuni")
    asl: Mapped[ASL | None] = relationship(back_populates="comuni")
    districts: Mapped[list[District]] = relationship(
        secondary=district_comune, back_populates="comuni"
    )

    __table_args__ = (
        CheckConstraint("length(istat_code) = 6", name="istat_code_length"),
        CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat_range"),
        CheckConstraint("lon IS NULL OR (lon BETWEEN -180 AND 180)", name="lon_range"),
        CheckConstraint("population IS NULL OR population >= 0", name="population_positive"),
    )

    def audit_key(self) -> str:
        return self.istat_code


class ComuneAdjacency(Base):
    """Two comuni that share a border; stored once with ``comune_a < comune_b``."""

    __tablename__ = "comune_adjacency"

    comune_a: Mapped[str] = mapped_column(ForeignKey("comune.istat_code"), primary_key=True)
    comune_b: Mapped[str] = mapped_column(
        ForeignKey("comune.istat_code"), primary_key=True, index=True
    )

    __table_args__ = (CheckConstraint("comune_a < comune_b", name="ordered_pair"),)


class Theme(Base):
    __tablename__ = "theme"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_it: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str | None] = mapped_column(Text)

    def audit_key(self) -> str:
        return self.code


# --- districts and organisations -------------------------------------------------------

organisation_district = Table(
    "organisation_district",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)

organisation_comune = Table(
    "organisation_comune",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("comune_code", ForeignKey("comune.istat_code"), primary_key=True),
)

organisation_theme = Table(
    "organisation_theme",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_code", ForeignKey("theme.code"), primary_key=True),
)


class District(Base):
    """A Distretto della Coesione Sociale: a group of comuni and their Enti Gestori."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    source: Mapped[str | None] = mapped_column(Text)

    comuni: Mapped[list[Comune]] = relationship(
        secondary=district_comune, back_populates="districts", order_by="Comune.istat_code"
    )
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=organisation_district, back_populates="districts"
    )

    def audit_key(self) -> str:
        return self.code


class Organisation(Base):
    """An Ente Gestore, ETS, Comune/Unione, ASL, business or other body."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind, "org_kind"), index=True)
    sector: Mapped[Sector] = mapped_column(_enum(Sector, "sector"), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    tax_code: Mapped[str] = mapped_column(String(16), unique=True)
    seat_comune_code: Mapped[str | None] = mapped_column(
        ForeignKey("comune.istat_code"), index=True
    )
    runts_section: Mapped[RuntsSection | None] = mapped_column(_enum(RuntsSection, "runts_section"))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    seat: Mapped[Comune | None] = relationship()
    comuni_served: Mapped[list[Comune]] = relationship(
        secondary=organisation_comune, order_by="Comune.istat_code"
    )
    districts: Mapped[list[District]] = relationship(
        secondary=organisation_district, back_populates="organisations", order_by="District.code"
    )
    themes: Mapped[list[Theme]] = relationship(secondary=organisation_theme, order_by="Theme.code")
    memberships: Mapped[list[PartnershipMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint(
            "(kind IN ('ente_gestore', 'comune', 'unione_comuni', 'asl') AND sector = 'public')"
            " OR (kind = 'ets' AND sector = 'third_sector')"
            " OR (kind = 'impresa' AND sector = 'market')"
            " OR kind = 'altro'",
            name="sector_matches_kind",
        ),
        CheckConstraint("runts_section IS NULL OR kind = 'ets'", name="runts_only_for_ets"),
        CheckConstraint("length(tax_code) = 11 OR length(tax_code) = 16", name="tax_code_length"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    )

    def audit_key(self) -> str:
        return self.tax_code


# --- partnerships (ATS) -----------------------------------------------------------------

partnership_theme = Table(
    "partnership_theme",
    Base.metadata,
    Column("partnership_id", ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_code", ForeignKey("theme.code"), primary_key=True),
)

partnership_district = Table(
    "partnership_district",
    Base.metadata,
    Column("partnership_id", ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)


class Partnership(Base):
    """An ATS (Associazione Temporanea di Scopo) with its one project."""

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    measure: Mapped[int] = mapped_column(Integer)
    call_round: Mapped[int] = mapped_column(Integer, default=1)
    year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[PartnershipStatus] = mapped_column(
        _enum(PartnershipStatus, "partnership_status"), default=PartnershipStatus.BOZZA
    )
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    themes: Mapped[list[Theme]] = relationship(secondary=partnership_theme, order_by="Theme.code")
    districts: Mapped[list[District]] = relationship(
        secondary=partnership_district, order_by="District.code"
    )
    members: Mapped[list[PartnershipMember]] = relationship(
        back_populates="partnership",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PartnershipMember.id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint("measure BETWEEN 1 AND 5", name="measure_range"),
        CheckConstraint("call_round >= 1", name="call_round_positive"),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="budget_positive"),
        CheckConstraint("year IS NULL OR year BETWEEN 2000 AND 2100", name="year_range"),
    )

    def audit_key(self) -> str:
        return self.code


class PartnershipMember(Base):
    __tablename__ = "partnership_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(_enum(MemberRole, "member_role"))
    joined_on: Mapped[dt.date | None] = mapped_column(Date)

    partnership: Mapped[Partnership] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

    __table_args__ = (
        UniqueConstraint("partnership_id", "organisation_id", name="uq_member_once"),
        Index(
            "uq_one_capofila",
            "partnership_id",
            unique=True,
            sqlite_where=text("role = 'capofila'"),
            postgresql_where=text("role = 'capofila'"),
        ),
    )

    def audit_key(self) -> str:
        return f"{self.partnership_id}:{self.organisation_id}"


# --- declared collaborations ------------------------------------------------------------


class Collaboration(Base):
    """A declared tie between two organisations, outside (or besides) any ATS."""

    __tablename__ = "collaboration"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CollaborationKind] = mapped_column(_enum(CollaborationKind, "collaboration_kind"))
    year_from: Mapped[int | None] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[str | None] = mapped_column(Text)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    source: Mapped[Organisation] = relationship(foreign_keys=[source_id])
    target: Mapped[Organisation] = relationship(foreign_keys=[target_id])

    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint(
            "year_from IS NULL OR year_to IS NULL OR year_to >= year_from", name="years_ordered"
        ),
        UniqueConstraint("source_id", "target_id", "kind", "year_from", name="uq_collaboration"),
    )


# --- audit log ----------------------------------------------------------------------------


class AuditEntry(Base):
    """One write: who, when, which record, and the old and new values of what changed."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(64), index=True)
    entity_key: Mapped[str] = mapped_column(String(120))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete', 'load')", name="action_known"),
        Index("ix_audit_entity_key", "entity", "entity_key"),
    )

"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asl",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("seat", sa.String(length=80), nullable=False),
        sa.Column("provinces", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_asl")),
        sa.UniqueConstraint("name", name=op.f("uq_asl_name")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_key", sa.String(length=120), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete', 'load')",
            name=op.f("ck_audit_entry_action_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity_key", ["entity", "entity_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_entity"), ["entity"], unique=False)

    op.create_table(
        "district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district")),
        sa.UniqueConstraint("code", name=op.f("uq_district_code")),
    )
    op.create_table(
        "partnership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("measure", sa.Integer(), nullable=False),
        sa.Column("call_round", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "bozza",
                "preliminare_presentato",
                "ammesso_fase2",
                "non_ammesso",
                "definitivo_presentato",
                "finanziato",
                "non_finanziato",
                "concluso",
                name="partnership_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("budget_eur", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("is_illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "budget_eur IS NULL OR budget_eur >= 0", name=op.f("ck_partnership_budget_positive")
        ),
        sa.CheckConstraint("call_round >= 1", name=op.f("ck_partnership_call_round_positive")),
        sa.CheckConstraint("measure BETWEEN 1 AND 5", name=op.f("ck_partnership_measure_range")),
        sa.CheckConstraint(
            "year IS NULL OR year BETWEEN 2000 AND 2100", name=op.f("ck_partnership_year_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership")),
        sa.UniqueConstraint("code", name=op.f("uq_partnership_code")),
    )
    op.create_table(
        "province",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("istat_code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_province")),
        sa.UniqueConstraint("istat_code", name=op.f("uq_province_istat_code")),
    )
    op.create_table(
        "theme",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("label_it", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("group", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_theme")),
    )
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_group"), ["group"], unique=False)

    op.create_table(
        "comune",
        sa.Column("istat_code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("cadastral_code", sa.String(length=4), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("asl_code", sa.String(length=3), nullable=True),
        sa.CheckConstraint(
            "lat IS NULL OR (lat BETWEEN -90 AND 90)", name=op.f("ck_comune_lat_range")
        ),
        sa.CheckConstraint("length(istat_code) = 6", name=op.f("ck_comune_istat_code_length")),
        sa.CheckConstraint(
            "lon IS NULL OR (lon BETWEEN -180 AND 180)", name=op.f("ck_comune_lon_range")
        ),
        sa.CheckConstraint(
            "population IS NULL OR population >= 0", name=op.f("ck_comune_population_positive")
        ),
        sa.ForeignKeyConstraint(["asl_code"], ["asl.code"], name=op.f("fk_comune_asl_code_asl")),
        sa.ForeignKeyConstraint(
            ["province_code"], ["province.code"], name=op.f("fk_comune_province_code_province")
        ),
        sa.PrimaryKeyConstraint("istat_code", name=op.f("pk_comune")),
        sa.UniqueConstraint("cadastral_code", name=op.f("uq_comune_cadastral_code")),
    )
    with op.batch_alter_table("comune", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comune_asl_code"), ["asl_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_comune_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_comune_province_code"), ["province_code"], unique=False
        )

    op.create_table(
        "partnership_district",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["district.id"],
            name=op.f("fk_partnership_district_district_id_district"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_partnership_district_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "partnership_id", "district_id", name=op.f("pk_partnership_district")
        ),
    )
    op.create_table(
        "partnership_theme",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("theme_code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_partnership_theme_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_code"], ["theme.code"], name=op.f("fk_partnership_theme_theme_code_theme")
        ),
        sa.PrimaryKeyConstraint("partnership_id", "theme_code", name=op.f("pk_partnership_theme")),
    )
    op.create_table(
        "comune_adjacency",
        sa.Column("comune_a", sa.String(length=6), nullable=False),
        sa.Column("comune_b", sa.String(length=6), nullable=False),
        sa.CheckConstraint("comune_a < comune_b", name=op.f("ck_comune_adjacency_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["comune_a"], ["comune.istat_code"], name=op.f("fk_comune_adjacency_comune_a_comune")
        ),
        sa.ForeignKeyConstraint(
            ["comune_b"], ["comune.istat_code"], name=op.f("fk_comune_adjacency_comune_b_comune")
        ),
        sa.PrimaryKeyConstraint("comune_a", "comune_b", name=op.f("pk_comune_adjacency")),
    )
    with op.batch_alter_table("comune_adjacency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_comune_adjacency_comune_b"), ["comune_b"], unique=False
        )

    op.create_table(
        "district_comune",
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("comune_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["comune_code"],
            ["comune.istat_code"],
            name=op.f("fk_district_comune_comune_code_comune"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["district.id"],
            name=op.f("fk_district_comune_district_id_district"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("district_id", "comune_code", name=op.f("pk_district_comune")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ente_gestore",
                "ets",
                "comune",
                "unione_comuni",
                "asl",
                "impresa",
                "altro",
                name="org_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "sector",
            sa.Enum(
                "public",
                "third_sector",
                "market",
                name="sector",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=False),
        sa.Column("seat_comune_code", sa.String(length=6), nullable=True),
        sa.Column(
            "runts_section",
            sa.Enum(
                "odv",
                "aps",
                "ente_filantropico",
                "impresa_sociale",
                "rete_associativa",
                "societa_mutuo_soccorso",
                "altro_ets",
                name="runts_section",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("is_illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind IN ('ente_gestore', 'comune', 'unione_comuni', 'asl') AND sector = 'public') OR (kind = 'ets' AND sector = 'third_sector') OR (kind = 'impresa' AND sector = 'market') OR kind = 'altro'",
            name=op.f("ck_organisation_sector_matches_kind"),
        ),
        sa.CheckConstraint(
            "runts_section IS NULL OR kind = 'ets'", name=op.f("ck_organisation_runts_only_for_ets")
        ),
        sa.CheckConstraint(
            "length(tax_code) = 11 OR length(tax_code) = 16",
            name=op.f("ck_organisation_tax_code_length"),
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_organisation_name_not_blank")),
        sa.ForeignKeyConstraint(
            ["seat_comune_code"],
            ["comune.istat_code"],
            name=op.f("fk_organisation_seat_comune_code_comune"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("tax_code", name=op.f("uq_organisation_tax_code")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organisation_seat_comune_code"), ["seat_comune_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organisation_sector"), ["sector"], unique=False)

    op.create_table(
        "collaboration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "coprogettazione",
                "convenzione",
                "protocollo",
                "rete",
                "servizio",
                "altro",
                name="collaboration_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("year_from", sa.Integer(), nullable=True),
        sa.Column("year_to", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("is_illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_collaboration_not_self")),
        sa.CheckConstraint("weight > 0", name=op.f("ck_collaboration_weight_positive")),
        sa.CheckConstraint(
            "year_from IS NULL OR year_to IS NULL OR year_to >= year_from",
            name=op.f("ck_collaboration_years_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["organisation.id"],
            name=op.f("fk_collaboration_source_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["organisation.id"],
            name=op.f("fk_collaboration_target_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collaboration")),
        sa.UniqueConstraint("source_id", "target_id", "kind", "year_from", name="uq_collaboration"),
    )
    with op.batch_alter_table("collaboration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collaboration_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_collaboration_target_id"), ["target_id"], unique=False)

    op.create_table(
        "organisation_comune",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("comune_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["comune_code"],
            ["comune.istat_code"],
            name=op.f("fk_organisation_comune_comune_code_comune"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_comune_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "comune_code", name=op.f("pk_organisation_comune")
        ),
    )
    op.create_table(
        "organisation_district",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["district.id"],
            name=op.f("fk_organisation_district_district_id_district"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_district_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "district_id", name=op.f("pk_organisation_district")
        ),
    )
    op.create_table(
        "organisation_theme",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("theme_code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_theme_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_code"], ["theme.code"], name=op.f("fk_organisation_theme_theme_code_theme")
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "theme_code", name=op.f("pk_organisation_theme")
        ),
    )
    op.create_table(
        "partnership_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "capofila",
                "mandante",
                name="member_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_partnership_member_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_partnership_member_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership_member")),
        sa.UniqueConstraint("partnership_id", "organisation_id", name="uq_member_once"),
    )
    with op.batch_alter_table("partnership_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partnership_member_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_partnership_member_partnership_id"), ["partnership_id"], unique=False
        )
        batch_op.create_index(
            "uq_one_capofila",
            ["partnership_id"],
            unique=True,
            sqlite_where=sa.text("role = 'capofila'"),
            postgresql_where=sa.text("role = 'capofila'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("partnership_member", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_one_capofila",
            sqlite_where=sa.text("role = 'capofila'"),
            postgresql_where=sa.text("role = 'capofila'"),
        )
        batch_op.drop_index(batch_op.f("ix_partnership_member_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_partnership_member_organisation_id"))

    op.drop_table("partnership_member")
    op.drop_table("organisation_theme")
    op.drop_table("organisation_district")
    op.drop_table("organisation_comune")
    with op.batch_alter_table("collaboration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collaboration_target_id"))
        batch_op.drop_index(batch_op.f("ix_collaboration_source_id"))

    op.drop_table("collaboration")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_sector"))
        batch_op.drop_index(batch_op.f("ix_organisation_seat_comune_code"))
        batch_op.drop_index(batch_op.f("ix_organisation_name"))
        batch_op.drop_index(batch_op.f("ix_organisation_kind"))

    op.drop_table("organisation")
    op.drop_table("district_comune")
    with op.batch_alter_table("comune_adjacency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comune_adjacency_comune_b"))

    op.drop_table("comune_adjacency")
    op.drop_table("partnership_theme")
    op.drop_table("partnership_district")
    with op.batch_alter_table("comune", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comune_province_code"))
        batch_op.drop_index(batch_op.f("ix_comune_name"))
        batch_op.drop_index(batch_op.f("ix_comune_asl_code"))

    op.drop_table("comune")
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_group"))

    op.drop_table("theme")
    op.drop_table("province")
    op.drop_table("partnership")
    op.drop_table("district")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_entity"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))
        batch_op.drop_index("ix_audit_entity_key")

    op.drop_table("audit_entry")
    op.drop_table("asl")

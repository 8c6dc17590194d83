"""ATS status-change history

Revision ID: 0003_ats_history
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_ats_history"
down_revision = "0001"
branch_labels = None
depends_on = None

_STATUSES = (
    "bozza",
    "preliminare_presentato",
    "ammesso_fase2",
    "non_ammesso",
    "definitivo_presentato",
    "finanziato",
    "non_finanziato",
    "concluso",
)


def upgrade() -> None:
    op.create_table(
        "ats_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                *_STATUSES, name="from_status", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                *_STATUSES, name="to_status", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("admissible", sa.Boolean(), nullable=False),
        sa.Column("check_summary", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "from_status <> to_status", name=op.f("ck_ats_status_change_status_changes")
        ),
        sa.CheckConstraint(
            "length(trim(actor)) > 0", name=op.f("ck_ats_status_change_actor_not_blank")
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_ats_status_change_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ats_status_change")),
    )
    with op.batch_alter_table("ats_status_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ats_status_change_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ats_status_change_partnership_id"), ["partnership_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ats_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ats_status_change_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_ats_status_change_at"))
    op.drop_table("ats_status_change")

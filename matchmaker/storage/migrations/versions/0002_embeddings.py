"""profile embeddings for the matching index

Revision ID: 0002_embeddings
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_embeddings"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile_embedding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("chunk >= 0", name=op.f("ck_profile_embedding_chunk_non_negative")),
        sa.CheckConstraint("dim > 0", name=op.f("ck_profile_embedding_dim_positive")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_profile_embedding_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_embedding")),
        sa.UniqueConstraint(
            "organisation_id", "model", "text_hash", "chunk", name="uq_profile_embedding_key"
        ),
    )
    with op.batch_alter_table("profile_embedding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_embedding_model"), ["model"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_profile_embedding_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("profile_embedding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_embedding_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_profile_embedding_model"))
    op.drop_table("profile_embedding")

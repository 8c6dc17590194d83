"""one head again: embeddings, ATS history and accounts

Revision ID: 0007_merge
Revises: 0002_embeddings, 0003_ats_history, 0006_accounts
Create Date: 2026-11-22
"""

from __future__ import annotations

revision = "0007_merge"
down_revision = ("0002_embeddings", "0003_ats_history", "0006_accounts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

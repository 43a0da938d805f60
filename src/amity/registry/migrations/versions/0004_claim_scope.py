"""Claim scope and partner: a stated count is national, bilateral (with a partner country or
region) or local (a city's own count).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("partner", sa.Text(), nullable=True))
    # claims stored before scopes existed were national counts
    op.execute("UPDATE claim SET scope = 'national' WHERE scope IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("partner")
        batch_op.drop_column("scope")

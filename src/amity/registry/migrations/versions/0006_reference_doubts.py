"""Doubtful reference rows: `reference_relation.doubts`, the reasons `amity import` found
to doubt a row (coordinates in another country or far from the resolved place, a country
column that disagrees with it, a pair of a place with itself...), as a JSON list of
"kind: detail" strings. NULL for rows imported before: reconcile then derives what it can.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reference_relation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("doubts", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reference_relation", schema=None) as batch_op:
        batch_op.drop_column("doubts")

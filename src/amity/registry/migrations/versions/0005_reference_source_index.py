"""An index for the `source` filter of relation lists: reference rows by (source,
relation_id), so "relations with a Wikipedia-list row" is one covering index range instead
of a row look-up per reference (about 10x faster with the Wikipedia list loaded).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_reference_relation_source_relation_id",
        "reference_relation",
        ["source", "relation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_reference_relation_source_relation_id", table_name="reference_relation")

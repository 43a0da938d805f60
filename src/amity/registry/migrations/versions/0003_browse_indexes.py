"""Indexes for browsing (the API's filtered, sorted, paginated relation lists and counts).

- relation.status, relation.tier: the status and tier filters and their counts;
- relation.established, relation.last_event: the year-range filter and the sorts by them;
- event (sort_date, relation_id): news events in a year range, covering (no table reads);
- event (type, relation_id): relations with a news event of a type, covering;
- reference_relation (start_year, relation_id): registry start years in a range, covering.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {
    "relation": [
        ("ix_relation_status", ["status"]),
        ("ix_relation_tier", ["tier"]),
        ("ix_relation_established", ["established"]),
        ("ix_relation_last_event", ["last_event"]),
    ],
    "event": [
        ("ix_event_sort_date_relation_id", ["sort_date", "relation_id"]),
        ("ix_event_type_relation_id", ["type", "relation_id"]),
    ],
    "reference_relation": [
        ("ix_reference_relation_start_year_relation_id", ["start_year", "relation_id"]),
    ],
}


def upgrade() -> None:
    for table, indexes in INDEXES.items():
        for name, columns in indexes:
            op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, indexes in INDEXES.items():
        for name, _columns in reversed(indexes):
            op.drop_index(name, table_name=table)

"""Initial schema: article, place, place_name, relation, event, official, organisation,
field, claim, reference_relation (see amity/registry/models.py).

Revision ID: 0001
Revises:
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
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('ok', 'irrelevant', 'failed')", name=op.f("ck_article_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_article_content_hash")),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
        sa.UniqueConstraint("geonameid", name=op.f("uq_place_geonameid")),
        sa.UniqueConstraint("key", name=op.f("uq_place_key")),
    )
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_place_name"), ["name"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=True),
        sa.Column("pairs_min", sa.Integer(), nullable=True),
        sa.Column("countries", sa.Integer(), nullable=True),
        sa.Column("countries_min", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_claim_article_id_article")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_article_id"), ["article_id"], unique=False)

    op.create_table(
        "place_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_place_name_place_id_place")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_name")),
        sa.UniqueConstraint(
            "place_id", "search_name", name=op.f("uq_place_name_place_id_search_name")
        ),
    )
    with op.batch_alter_table("place_name", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_place_name_search_name"), ["search_name"], unique=False
        )

    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_a_id", sa.Integer(), nullable=False),
        sa.Column("place_b_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("established", sa.Integer(), nullable=True),
        sa.Column("established_conflict", sa.JSON(), nullable=True),
        sa.Column("first_seen", sa.Date(), nullable=True),
        sa.Column("last_seen", sa.Date(), nullable=True),
        sa.Column("last_event", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'active', 'suspended', 'terminated', 'unknown')",
            name=op.f("ck_relation_status"),
        ),
        sa.CheckConstraint("place_a_id < place_b_id", name=op.f("ck_relation_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["place_a_id"], ["place.id"], name=op.f("fk_relation_place_a_id_place")
        ),
        sa.ForeignKeyConstraint(
            ["place_b_id"], ["place.id"], name=op.f("fk_relation_place_b_id_place")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation")),
        sa.UniqueConstraint(
            "place_a_id", "place_b_id", name=op.f("uq_relation_place_a_id_place_b_id")
        ),
    )
    with op.batch_alter_table("relation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relation_place_b_id"), ["place_b_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relation_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("date_precision", sa.String(length=16), nullable=True),
        sa.Column("sort_date", sa.String(length=10), nullable=True),
        sa.Column("established", sa.Integer(), nullable=True),
        sa.Column("anniversary", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("a_name", sa.Text(), nullable=True),
        sa.Column("b_name", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_event_article_id_article")
        ),
        sa.ForeignKeyConstraint(
            ["relation_id"], ["relation.id"], name=op.f("fk_event_relation_id_relation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint(
            "relation_id", "article_id", "type", name=op.f("uq_event_relation_id_article_id_type")
        ),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_relation_id"), ["relation_id"], unique=False)

    op.create_table(
        "reference_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relation_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('wikipedia-list', 'wikidata')", name=op.f("ck_reference_relation_source")
        ),
        sa.ForeignKeyConstraint(
            ["relation_id"],
            ["relation.id"],
            name=op.f("fk_reference_relation_relation_id_relation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_relation")),
        sa.UniqueConstraint(
            "source", "source_key", name=op.f("uq_reference_relation_source_source_key")
        ),
    )
    with op.batch_alter_table("reference_relation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reference_relation_relation_id"), ["relation_id"], unique=False
        )

    op.create_table(
        "field",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_field_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field")),
    )
    with op.batch_alter_table("field", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_event_id"), ["event_id"], unique=False)

    op.create_table(
        "official",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("of", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_official_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official")),
    )
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_official_event_id"), ["event_id"], unique=False)

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_organisation_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_event_id"))

    op.drop_table("organisation")
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_official_event_id"))

    op.drop_table("official")
    with op.batch_alter_table("field", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_event_id"))

    op.drop_table("field")
    with op.batch_alter_table("reference_relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reference_relation_relation_id"))

    op.drop_table("reference_relation")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_relation_id"))
        batch_op.drop_index(batch_op.f("ix_event_article_id"))

    op.drop_table("event")
    with op.batch_alter_table("relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_place_b_id"))

    op.drop_table("relation")
    with op.batch_alter_table("place_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_name_search_name"))

    op.drop_table("place_name")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_article_id"))

    op.drop_table("claim")
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_name"))
        batch_op.drop_index(batch_op.f("ix_place_country"))

    op.drop_table("place")
    op.drop_table("article")

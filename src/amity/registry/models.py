"""SQLAlchemy 2 models of the registry: one row per article, place and unordered pair.

Tables (names are the field names of ../shared/spec/extraction-output.md where one exists):

- article: one row per content hash; status ok | irrelevant | failed, with the error.
- place: one row per geonameid, else per normalised name + country (+ parent): `key`;
  place_name: every name it was seen under, normalised, for lookups.
- relation: one row per unordered pair, place_a_id < place_b_id; tier, status, established
  (with `established_conflict` when sources disagree), first_seen/last_seen (news).
- event: one dated fact about a relation from one article, with its evidence sentences;
  official, organisation and field hang off the event, so every fact links to its
  sentence and article.
- claim: counts of relations an article states: scope national | bilateral | local,
  subject (ISO2, or the place as written), partner (bilateral), pairs / pairs_min.
- reference_relation: a row of a registry (Wikipedia list, Wikidata) joined to the same
  relation but kept apart from news evidence, with the reasons to doubt it (`doubts`).
- review: a person's verdict on a relation (confirm | correct | reject), with the
  corrected values and the values before; `relation.review` holds the latest verdict.
  Article text is kept (`article.text`) so that evidence can be shown in context.

The schema is created by the Alembic migrations in amity/registry/migrations (run by
`open_registry`), never by `metadata.create_all`; a test checks the two agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# the vocabularies are declared once, in amity.types (re-exported here for review.py)
from amity.types import ARTICLE_STATUSES, REFERENCE_SOURCES, RELATION_STATUSES, REVIEW_VERDICTS


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint's SQL: "status IN ('ok', 'irrelevant', 'failed')"."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ArticleRow(Base):
    __tablename__ = "article"
    __table_args__ = (CheckConstraint(_one_of("status", ARTICLE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    external_id: Mapped[str | None] = mapped_column(Text)  # Article.id (file stem or JSONL id)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)  # the clean text (migration 0002)

    events: Mapped[list[EventRow]] = relationship(back_populates="article")
    claims: Mapped[list[ClaimRow]] = relationship(back_populates="article")


class PlaceRow(Base):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)  # "gn:<id>" or "name:<norm>|CC|parent"
    geonameid: Mapped[int | None] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(Text, index=True)  # canonical name (GeoNames when resolved)
    country: Mapped[str | None] = mapped_column(String(8), index=True)
    admin1: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16), default="city")
    parent: Mapped[str | None] = mapped_column(Text)

    names: Mapped[list[PlaceNameRow]] = relationship(
        back_populates="place", order_by="PlaceNameRow.id"
    )


class PlaceNameRow(Base):
    """Every name a place was seen under (canonical and as written), normalised for lookup."""

    __tablename__ = "place_name"
    __table_args__ = (UniqueConstraint("place_id", "search_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    name: Mapped[str] = mapped_column(Text)
    search_name: Mapped[str] = mapped_column(Text, index=True)  # merge.normalise_name(name)

    place: Mapped[PlaceRow] = relationship(back_populates="names")


class RelationRow(Base):
    __tablename__ = "relation"
    __table_args__ = (
        UniqueConstraint("place_a_id", "place_b_id"),
        CheckConstraint("place_a_id < place_b_id", name="ordered_pair"),
        CheckConstraint(_one_of("status", RELATION_STATUSES), name="status"),
        # browsing: filters, counts and sorts (migration 0003)
        Index("ix_relation_status", "status"),
        Index("ix_relation_tier", "tier"),
        Index("ix_relation_established", "established"),
        Index("ix_relation_last_event", "last_event"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_a_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    place_b_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    tier: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="unknown")
    established: Mapped[int | None] = mapped_column(Integer)
    established_conflict: Mapped[list[dict[str, Any]] | None] = mapped_column(
        JSON(none_as_null=True)
    )
    first_seen: Mapped[dt.date | None] = mapped_column(Date)  # earliest news evidence
    last_seen: Mapped[dt.date | None] = mapped_column(Date)  # latest news evidence
    last_event: Mapped[str | None] = mapped_column(String(10))  # latest dated fact, for --since
    review: Mapped[str | None] = mapped_column(String(16))  # latest ReviewRow.verdict (0002)

    place_a: Mapped[PlaceRow] = relationship(foreign_keys=[place_a_id])
    place_b: Mapped[PlaceRow] = relationship(foreign_keys=[place_b_id])
    events: Mapped[list[EventRow]] = relationship(back_populates="relation", order_by="EventRow.id")
    references: Mapped[list[ReferenceRow]] = relationship(
        back_populates="relation", order_by="ReferenceRow.id"
    )
    reviews: Mapped[list[ReviewRow]] = relationship(
        back_populates="relation", order_by="ReviewRow.id"
    )


class EventRow(Base):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("relation_id", "article_id", "type"),
        # year-range and event-type filters, covering (migration 0003)
        Index("ix_event_sort_date_relation_id", "sort_date", "relation_id"),
        Index("ix_event_type_relation_id", "type", "relation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    relation_id: Mapped[int] = mapped_column(ForeignKey("relation.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))  # Relation.event
    tier: Mapped[str] = mapped_column(String(16))
    date: Mapped[str | None] = mapped_column(
        String(10)
    )  # as extracted: YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD
    date_precision: Mapped[str | None] = mapped_column(String(16))  # day|month|year|month-day
    sort_date: Mapped[str | None] = mapped_column(String(10))  # full ISO date used for the timeline
    established: Mapped[int | None] = mapped_column(Integer)
    anniversary: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float)
    a_name: Mapped[str | None] = mapped_column(Text)  # names as the article wrote them
    b_name: Mapped[str | None] = mapped_column(Text)

    relation: Mapped[RelationRow] = relationship(back_populates="events")
    article: Mapped[ArticleRow] = relationship(back_populates="events")
    officials: Mapped[list[OfficialRow]] = relationship(order_by="OfficialRow.id")
    organisations: Mapped[list[OrganisationRow]] = relationship(order_by="OrganisationRow.id")
    fields: Mapped[list[FieldRow]] = relationship(order_by="FieldRow.id")


class OfficialRow(Base):
    __tablename__ = "official"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    of: Mapped[str | None] = mapped_column(Text)


class OrganisationRow(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    name: Mapped[str] = mapped_column(Text)


class FieldRow(Base):
    __tablename__ = "field"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    name: Mapped[str] = mapped_column(Text)


class ClaimRow(Base):
    __tablename__ = "claim"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    pairs: Mapped[int | None] = mapped_column(Integer)
    pairs_min: Mapped[int | None] = mapped_column(Integer)
    countries: Mapped[int | None] = mapped_column(Integer)
    countries_min: Mapped[int | None] = mapped_column(Integer)
    scope: Mapped[str | None] = mapped_column(String(16))  # national | bilateral | local
    partner: Mapped[str | None] = mapped_column(Text)

    article: Mapped[ArticleRow] = relationship(back_populates="claims")


class ReferenceRow(Base):
    __tablename__ = "reference_relation"
    __table_args__ = (
        UniqueConstraint("source", "source_key"),
        CheckConstraint(_one_of("source", REFERENCE_SOURCES), name="source"),
        # year-range filter, covering (migration 0003); source filter, covering (0005)
        Index("ix_reference_relation_start_year_relation_id", "start_year", "relation_id"),
        Index("ix_reference_relation_source_relation_id", "source", "relation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    relation_id: Mapped[int] = mapped_column(ForeignKey("relation.id"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    source_key: Mapped[str] = mapped_column(Text)  # identity of the row within its source
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    raw: Mapped[Any] = mapped_column(JSON)  # the source row(s) as read
    # why the row is doubtful, "kind: detail" (amity.registry.doubts); [] none; None: not
    # checked (imported before migration 0006, or a source the import does not check)
    doubts: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)

    relation: Mapped[RelationRow] = relationship(back_populates="references")


class ReviewRow(Base):
    """A person's verdict on a relation; `corrected` holds the values they set (tier, status,
    established), `before` the values the relation had when reviewed."""

    __tablename__ = "review"
    __table_args__ = (CheckConstraint(_one_of("verdict", REVIEW_VERDICTS), name="verdict"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    relation_id: Mapped[int] = mapped_column(ForeignKey("relation.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    corrected: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    relation: Mapped[RelationRow] = relationship(back_populates="reviews")

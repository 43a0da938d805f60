"""Write articles into the registry: ingest -> prefilter -> extract -> resolve -> store.

`ingest(registry, articles)` runs the pipeline on each article not stored yet and writes it
in its own transaction: the article row, its places, relations (one per unordered pair),
events with evidence, officials, organisations, fields, and claims. It is

- idempotent: an article whose content hash is stored is skipped before extraction;
- transactional per article: a crash loses at most the article being written, never half
  of it, and a rerun picks up where the crash happened (resumable);
- safe under concurrent writers: each article is written under the registry's write lock
  (`amity.registry.lock_for_writing`), where the content hash is looked up again, so an
  article another process stored meanwhile counts as already stored (skipped);
- failure-tolerant: an article whose pipeline or write fails is stored with status
  "failed" and its error, and the batch goes on.

Example:
    >>> from amity.ingest import read_articles
    >>> from amity.registry import open_registry
    >>> from amity.registry.store import ingest
    >>> summary = ingest(open_registry("sqlite:///amity.db"), read_articles(["news/"]))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amity.ingest.text import article_failed
from amity.registry import Registry, lock_for_writing, now
from amity.registry.merge import (
    EventFact,
    ReferenceFact,
    date_precision,
    normalise_name,
    place_key,
    sort_date,
    summarise,
)
from amity.registry.models import (
    ArticleRow,
    ClaimRow,
    EventRow,
    FieldRow,
    OfficialRow,
    OrganisationRow,
    PlaceNameRow,
    PlaceRow,
    RelationRow,
)
from amity.registry.review import apply_latest_review

__all__ = [
    "IngestSummary",
    "StoredArticle",
    "article_failed",
    "article_hash",
    "get_or_create_place",
    "get_or_create_relation",
    "ingest",
    "ingest_article",
    "now",
    "refresh_relation",
    "store_article",
]

if TYPE_CHECKING:
    from amity.pipeline import Pipeline
    from amity.types import Article, Place, Relation


@dataclass
class IngestSummary:
    """Counts of one ingest run; `relations_new`/`relations_updated` count distinct relations."""

    read: int = 0
    skipped: int = 0  # already stored (same content hash)
    relevant: int = 0
    irrelevant: int = 0
    failed: int = 0
    events: int = 0
    relations_new: int = 0
    relations_updated: int = 0
    errors: list[str] = field(default_factory=list)  # "<article>: <error>" of failed articles

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StoredArticle:
    """What storing one article did."""

    status: str  # ok | irrelevant | failed | skipped
    article_id: int | None = None
    new_relations: set[int] = field(default_factory=set)
    updated_relations: set[int] = field(default_factory=set)
    events: int = 0
    error: str | None = None
    article: Article | None = None  # the article as extracted (None when skipped)


def article_hash(article: Article) -> str:
    """The article's content hash; for an unreadable input, a hash of its source and error."""
    if article.content_hash:
        return article.content_hash
    if article.text:
        from amity.ingest import content_hash

        return content_hash(article.text)
    basis = "\0".join([article.source or article.id, *(str(e) for e in article.errors)])
    return "x" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:15]


def ingest(
    target: Registry | Session,
    articles: Iterable[Article],
    *,
    pipeline: Pipeline | None = None,
    extract: bool = True,
    retry_failed: bool = False,
    on_article: Callable[[Article, StoredArticle], None] | None = None,
) -> IngestSummary:
    """Run the pipeline over `articles` and store each one in its own transaction.

    :param target: an open Registry, or a Session (committed after each article).
    :param articles: Articles as `amity.read_articles` yields them.
    :param pipeline: the pipeline to run (default: `amity.pipeline.default_pipeline()`).
    :param extract: False when the articles already went through the pipeline.
    :param retry_failed: process again articles stored as failed.
    :param on_article: called after each article with what was stored (for progress bars).

    Example:
        >>> summary = ingest(open_registry(), read_articles(["seeds/"]))  # doctest: +SKIP
        >>> summary.relations_new  # doctest: +SKIP
        6
    """
    if isinstance(target, Registry):
        with target.session() as session:
            return ingest(
                session,
                articles,
                pipeline=pipeline,
                extract=extract,
                retry_failed=retry_failed,
                on_article=on_article,
            )
    session = target
    if extract and pipeline is None:
        from amity.pipeline import default_pipeline

        pipeline = default_pipeline()
    summary = IngestSummary()
    new: set[int] = set()
    updated: set[int] = set()
    for article in articles:
        summary.read += 1
        result = ingest_article(session, article, pipeline if extract else None, retry_failed)
        if result.status == "skipped":
            summary.skipped += 1
        elif result.status == "failed":
            summary.failed += 1
            name = article.source or article.id
            error = result.error or ""
            summary.errors.append(error if error.startswith(name) else f"{name}: {error}")
        elif result.status == "irrelevant":
            summary.irrelevant += 1
        else:
            summary.relevant += 1
        summary.events += result.events
        new |= result.new_relations
        updated |= result.updated_relations
        if on_article is not None:
            on_article(article, result)
    summary.relations_new = len(new)
    summary.relations_updated = len(updated - new)
    return summary


def ingest_article(
    session: Session, article: Article, pipeline: Pipeline | None, retry_failed: bool = False
) -> StoredArticle:
    """Extract (when `pipeline` is given) and store one article in one transaction.

    "skipped" when the article is stored already, also when another process stored it
    while this one was extracting it."""
    digest = article_hash(article)
    existing = _stored(session, digest)
    session.commit()  # end the read transaction: hold no snapshot during extraction
    if existing is not None and not (retry_failed and existing.status == "failed"):
        return StoredArticle("skipped", existing.id)
    if pipeline is not None:
        article = pipeline(article)
    try:
        stored = _write(
            session, digest, retry_failed, lambda: store_article(session, article, digest)
        )
    except Exception as error:  # the write failed: record the article as failed, go on
        session.rollback()
        # the first line only: SQLAlchemy appends the statement and its parameters (the text)
        first_line = (str(error).splitlines() or [""])[0][:500]
        message = f"[store] {type(error).__name__}: {first_line}"

        def store_failed() -> StoredArticle:
            row = _article_row(article, digest, "failed", message)
            session.add(row)
            session.flush()
            return StoredArticle("failed", row.id, error=message)

        stored = _write(session, digest, retry_failed, store_failed)
    if stored.status != "skipped":
        stored.article = article
    return stored


def _stored(session: Session, digest: str) -> Any:
    return session.execute(
        select(ArticleRow.id, ArticleRow.status).where(ArticleRow.content_hash == digest)
    ).first()


def _write(
    session: Session, digest: str, replace_failed: bool, store: Callable[[], StoredArticle]
) -> StoredArticle:
    """Run `store` and commit, under the write lock, unless the article is stored by now."""
    lock_for_writing(session.connection())
    existing = _stored(session, digest)
    if existing is not None:
        if not (replace_failed and existing.status == "failed"):
            session.rollback()
            return StoredArticle("skipped", existing.id)
        session.delete(session.get(ArticleRow, existing.id))
        session.flush()
    result = store()
    session.commit()
    return result


def _article_row(article: Article, digest: str, status: str, error: str | None) -> ArticleRow:
    return ArticleRow(
        content_hash=digest,
        external_id=article.id,
        url=article.url,
        title=article.title,
        published=article.published,
        source=article.source or None,
        language=article.language,
        ingested_at=now(),
        status=status,
        error=error,
        text=article.text or None,
    )


def store_article(session: Session, article: Article, digest: str | None = None) -> StoredArticle:
    """Add one extracted article and everything it says; the caller commits.

    A failed article is stored with its error and without relations; an irrelevant one
    without relations.
    """
    digest = digest or article_hash(article)
    if article_failed(article):
        error = "; ".join(str(e) for e in article.errors)
        row = _article_row(article, digest, "failed", error)
        session.add(row)
        session.flush()
        return StoredArticle("failed", row.id, error=error)
    status = "irrelevant" if article.relevant is False else "ok"
    row = _article_row(article, digest, status, None)
    session.add(row)
    session.flush()
    result = StoredArticle(status, row.id)
    events: dict[tuple[int, str], EventRow] = {}
    touched: set[int] = set()
    for relation in article.relations:
        place_a = get_or_create_place(session, relation.a)
        place_b = get_or_create_place(session, relation.b)
        if place_a.id == place_b.id:
            continue  # a place twinned with itself: a resolution mistake, not a relation
        rel, created = get_or_create_relation(session, place_a, place_b)
        (result.new_relations if created else result.updated_relations).add(rel.id)
        key = (rel.id, relation.event)
        if key in events:
            _merge_event(events[key], relation)
        else:
            a_name, b_name = relation.a.name, relation.b.name
            if place_a.id > place_b.id:
                a_name, b_name = b_name, a_name
            events[key] = _add_event(session, rel, row, relation, a_name, b_name)
            result.events += 1
        touched.add(rel.id)
    for claim in article.claims:
        session.add(
            ClaimRow(
                article_id=row.id,
                subject=claim.subject,
                text=claim.text,
                pairs=claim.pairs,
                pairs_min=claim.pairs_min,
                countries=claim.countries,
                countries_min=claim.countries_min,
                scope=claim.scope,
                partner=claim.partner,
            )
        )
    session.flush()
    for relation_id in touched:
        refresh_relation(session, session.get(RelationRow, relation_id))
    result.updated_relations -= result.new_relations
    return result


def _add_event(
    session: Session,
    rel: RelationRow,
    article: ArticleRow,
    relation: Relation,
    a_name: str,
    b_name: str,
) -> EventRow:
    event = EventRow(
        relation_id=rel.id,
        article_id=article.id,
        type=relation.event,
        tier=relation.tier,
        date=relation.event_date,
        date_precision=date_precision(relation.event_date),
        sort_date=sort_date(relation.event_date, article.published),
        established=relation.established,
        anniversary=relation.anniversary,
        evidence=list(dict.fromkeys(relation.evidence)),
        confidence=round(float(relation.confidence), 3),
        a_name=a_name,
        b_name=b_name,
    )
    session.add(event)
    session.flush()
    _add_details(session, event, relation)
    return event


def _add_details(session: Session, event: EventRow, relation: Relation) -> None:
    have_officials = {(o.name, o.role, o.of) for o in event.officials}
    for official in relation.officials:
        if (official.name, official.role, official.of) not in have_officials:
            session.add(
                OfficialRow(
                    event_id=event.id, name=official.name, role=official.role, of=official.of
                )
            )
            have_officials.add((official.name, official.role, official.of))
    have = {o.name for o in event.organisations}
    for name in dict.fromkeys(relation.organizations):
        if name not in have:
            session.add(OrganisationRow(event_id=event.id, name=name))
    have = {f.name for f in event.fields}
    for name in dict.fromkeys(relation.fields):
        if name not in have:
            session.add(FieldRow(event_id=event.id, name=name))


def _merge_event(event: EventRow, relation: Relation) -> None:
    """A second relation of the same article, pair and event type: add what it says."""
    event.evidence = list(dict.fromkeys([*event.evidence, *relation.evidence]))
    if event.date is None and relation.event_date:
        event.date = relation.event_date
        event.date_precision = date_precision(relation.event_date)
        event.sort_date = sort_date(relation.event_date, event.article.published)
    event.established = event.established or relation.established
    event.anniversary = event.anniversary or relation.anniversary
    event.confidence = max(event.confidence, round(float(relation.confidence), 3))
    session = _session_of(event)
    session.flush()
    _add_details(session, event, relation)


def _session_of(row: Any) -> Session:
    from sqlalchemy.orm import object_session

    session = object_session(row)
    assert session is not None
    return session


# --- places and relations --------------------------------------------------------------------


def get_or_create_place(
    session: Session,
    place: Place,
    *,
    lat: float | None = None,
    lon: float | None = None,
) -> PlaceRow:
    """The place row for `place` (by geonameid, else normalised name + country + parent).

    Safe under concurrent writers: the insert runs in a savepoint and a unique-key clash
    reads the row the other writer made.
    """
    name = (place.canonical or place.name or "").strip()
    key = place_key(place.geonameid, place.name, place.country, place.parent)
    row = session.scalar(select(PlaceRow).where(PlaceRow.key == key))
    if row is None:
        row = PlaceRow(
            key=key,
            geonameid=place.geonameid,
            name=name,
            country=place.country,
            admin1=place.admin1,
            lat=place.lat if place.lat is not None else lat,
            lon=place.lon if place.lon is not None else lon,
            kind=place.kind or "city",
            parent=place.parent,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            row = session.scalar(select(PlaceRow).where(PlaceRow.key == key))
            if row is None:
                raise
        else:
            add_place_names(session, row, [name, place.name])
            return row
    add_place_names(session, row, [name, place.name])
    if row.lat is None and (place.lat is not None or lat is not None):
        row.lat = place.lat if place.lat is not None else lat
        row.lon = place.lon if place.lon is not None else lon
    if row.admin1 is None and place.admin1:
        row.admin1 = place.admin1
    return row


def add_place_names(session: Session, row: PlaceRow, names: Iterable[str | None]) -> None:
    """Record the names a place is seen under (for `show`), once each."""
    have = {n.search_name for n in row.names}
    for name in names:
        search = normalise_name(name)
        if search and search not in have:
            row.names.append(PlaceNameRow(name=name, search_name=search))
            have.add(search)


def ordered(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def get_or_create_relation(
    session: Session, place_a: PlaceRow, place_b: PlaceRow
) -> tuple[RelationRow, bool]:
    """The one relation of an unordered pair, and whether it was created now."""
    a_id, b_id = ordered(place_a.id, place_b.id)
    query = select(RelationRow).where(
        RelationRow.place_a_id == a_id, RelationRow.place_b_id == b_id
    )
    row = session.scalar(query)
    if row is not None:
        return row, False
    row = RelationRow(place_a_id=a_id, place_b_id=b_id, status="unknown")
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        row = session.scalar(query)
        if row is None:
            raise
        return row, False
    return row, True


def relation_facts(
    session: Session, relation: RelationRow
) -> tuple[list[EventFact], list[ReferenceFact]]:
    rows = session.execute(
        select(EventRow, ArticleRow.published, ArticleRow.ingested_at)
        .join(ArticleRow, EventRow.article_id == ArticleRow.id)
        .where(EventRow.relation_id == relation.id)
        .order_by(EventRow.id)
    ).all()
    events = [
        EventFact(
            type=event.type,
            tier=event.tier,
            sort_date=event.sort_date,
            seen=published or ingested_at.date(),
            established=event.established,
            anniversary=event.anniversary,
            source=f"article:{event.article_id}",
        )
        for event, published, ingested_at in rows
    ]
    references = [ReferenceFact(r.source, r.start_year, r.end_year) for r in relation.references]
    return events, references


def refresh_relation(session: Session, relation: RelationRow | None) -> None:
    """Recompute the relation's tier, status, established year and dates from its facts."""
    if relation is None:
        return
    session.flush()
    # Lock the row before reading its facts (PostgreSQL; a no-op on SQLite, where writes are
    # serial): a review or import committed meanwhile is then read, not overwritten.
    session.refresh(relation, with_for_update=True)
    session.refresh(relation, ["references"])
    summary = summarise(*relation_facts(session, relation))
    relation.tier = summary.tier
    relation.status = summary.status
    relation.established = summary.established
    relation.established_conflict = summary.established_conflict
    relation.first_seen = summary.first_seen
    relation.last_seen = summary.last_seen
    relation.last_event = summary.last_event
    if relation.review is not None:  # a person's latest correction wins over extraction
        apply_latest_review(session, relation)

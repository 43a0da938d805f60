"""amity.registry: schema, ingest and merging, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, inspect, select

from amity.registry import database_url, open_registry
from amity.registry.models import (
    ArticleRow,
    Base,
    EventRow,
    PlaceRow,
    ReferenceRow,
    RelationRow,
)
from amity.registry.store import ingest
from amity.types import Official, Place, Relation, StageError

LYON = Place(
    "Lyon", "FR", "Rhone-Alpes", 2996944, 45.74906, 4.84789, canonical="Lyon", unresolved=False
)
BIRMINGHAM = Place(
    "Birmingham",
    "GB",
    "England",
    2655603,
    52.48142,
    -1.89983,
    canonical="Birmingham",
    unresolved=False,
)


def relation(a=LYON, b=BIRMINGHAM, **fields):
    fields.setdefault("evidence", [f"{a.name} and {b.name} are twinned."])
    return Relation(a=a, b=b, **fields)


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def only_relation(session) -> RelationRow:
    (row,) = session.scalars(select(RelationRow)).all()
    return row


# --- schema ------------------------------------------------------------------------------


def test_registry_open_creates_every_table_at_head(registry):
    tables = set(inspect(registry.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    with registry.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0006"


def test_registry_open_twice_is_a_no_op(registry_url):
    open_registry(registry_url).close()
    reopened = open_registry(registry_url)
    with reopened.session() as session:
        assert count(session, ArticleRow) == 0
    reopened.close()


def test_registry_migrations_match_the_models(registry):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with registry.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_registry_postgresql_index_costs_unless_tuned(registry):
    """PostgreSQL sessions get random_page_cost 1.1, unless the database sets its own."""
    if registry.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    with registry.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW random_page_cost").scalar() == "1.1"
        name = conn.exec_driver_sql("SELECT current_database()").scalar()
        conn.exec_driver_sql(f"ALTER DATABASE {name} SET random_page_cost = 2")
        conn.commit()
    tuned = open_registry(registry.engine.url.render_as_string(hide_password=False))
    with tuned.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW random_page_cost").scalar() == "2"
    tuned.close()


def test_registry_database_url_default_env_and_postgres_scheme(monkeypatch):
    monkeypatch.delenv("AMITY_DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///amity.db"
    monkeypatch.setenv("AMITY_DATABASE_URL", "postgresql://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


# --- ingest ------------------------------------------------------------------------------


def test_registry_ingest_stores_relation_event_details_and_article_link(registry, make_article):
    article = make_article(
        "Lyon and Birmingham signed a twinning agreement on 3 March 2023.",
        published=dt.date(2023, 3, 4),
        relations=[
            relation(
                BIRMINGHAM,  # reversed: the pair is unordered
                LYON,
                event="agreement",
                event_date="2023-03-03",
                officials=[Official("Jane Doe", "Mayor", "Birmingham")],
                fields=["culture", "education"],
                organizations=["Lyon Chamber of Commerce"],
                confidence=0.8,
            )
        ],
    )
    summary = ingest(registry, [article], extract=False)
    assert (summary.read, summary.relevant, summary.relations_new, summary.events) == (1, 1, 1, 1)
    with registry.session() as session:
        rel = only_relation(session)
        assert rel.place_a_id < rel.place_b_id
        assert {rel.place_a.name, rel.place_b.name} == {"Lyon", "Birmingham"}
        assert (rel.status, rel.tier, rel.established) == ("active", "sister", 2023)
        assert (rel.first_seen, rel.last_seen) == (dt.date(2023, 3, 4), dt.date(2023, 3, 4))
        (event,) = rel.events
        assert (event.type, event.date, event.date_precision) == ("agreement", "2023-03-03", "day")
        assert event.evidence == ["Birmingham and Lyon are twinned."]
        assert (
            event.article.url == article.url and event.article.content_hash == article.content_hash
        )
        assert [(o.name, o.role, o.of) for o in event.officials] == [
            ("Jane Doe", "Mayor", "Birmingham")
        ]
        assert [f.name for f in event.fields] == ["culture", "education"]
        assert [o.name for o in event.organisations] == ["Lyon Chamber of Commerce"]
        a_name = event.a_name if rel.place_a.name == "Lyon" else event.b_name
        assert a_name == "Lyon"


def test_registry_ingest_twice_changes_nothing(registry, make_article):
    articles = [
        make_article("Lyon and Birmingham are twins.", relations=[relation()]),
        make_article("Nothing to see.", relevant=False),
    ]
    first = ingest(registry, articles, extract=False)
    with registry.session() as session:
        before = [count(session, m) for m in (ArticleRow, PlaceRow, RelationRow, EventRow)]
    second = ingest(registry, articles, extract=False)
    assert (first.relevant, first.irrelevant, first.skipped) == (1, 1, 0)
    assert (second.skipped, second.events, second.relations_new, second.relations_updated) == (
        2,
        0,
        0,
        0,
    )
    with registry.session() as session:
        assert [count(session, m) for m in (ArticleRow, PlaceRow, RelationRow, EventRow)] == before
        assert before == [2, 2, 1, 1]


def test_registry_one_relation_per_pair_with_a_timeline(registry, make_article):
    articles = [
        make_article(
            "Intent.",
            published=dt.date(2020, 1, 5),
            relations=[relation(event="intent", event_date="2020-01-04")],
        ),
        make_article(
            "Signed.",
            published=dt.date(2021, 6, 2),
            relations=[relation(BIRMINGHAM, LYON, event="agreement", event_date="2021-06-01")],
        ),
    ]
    summary = ingest(registry, articles, extract=False)
    assert (summary.relations_new, summary.relations_updated, summary.events) == (1, 0, 2)
    with registry.session() as session:
        rel = only_relation(session)
        assert [e.type for e in rel.events] == ["intent", "agreement"]
        assert rel.status == "active"
        assert (rel.first_seen, rel.last_seen) == (dt.date(2020, 1, 5), dt.date(2021, 6, 2))
    # an older article read later does not win: the latest dated event does
    late = make_article(
        "Suspended.",
        published=dt.date(2022, 3, 1),
        relations=[relation(event="suspension", event_date="2022-02-28")],
    )
    old = make_article(
        "Old proposal.",
        published=dt.date(2018, 1, 1),
        relations=[relation(event="proposal", event_date="2017-12-30")],
    )
    summary = ingest(registry, [late, old], extract=False)
    assert (summary.relations_new, summary.relations_updated) == (0, 1)
    with registry.session() as session:
        rel = only_relation(session)
        assert rel.status == "suspended"
        assert rel.last_event == "2022-02-28"
        assert len(rel.events) == 4


def test_registry_conflicting_established_years_are_flagged(registry, make_article):
    articles = [
        make_article("Since 1994.", relations=[relation(established=1994)]),
        make_article("Since 1995.", relations=[relation(established=1995, event="exchange")]),
        make_article(
            "Since 1994 again.", relations=[relation(established=1994, event="anniversary")]
        ),
    ]
    ingest(registry, articles, extract=False)
    with registry.session() as session:
        rel = only_relation(session)
        assert rel.established == 1994
        assert [c["year"] for c in rel.established_conflict] == [1994, 1995]
        assert len(rel.established_conflict[0]["sources"]) == 2


def test_registry_unresolved_places_merge_by_normalised_name_and_country(registry, make_article):
    a1 = Place("Saint-Étienne", "FR")
    a2 = Place("saint etienne", "FR")
    b = Place("Soviet District", "BY", kind="district", parent="Minsk")
    ingest(
        registry,
        [
            make_article("One.", relations=[relation(a1, b)]),
            make_article("Two.", relations=[relation(b, a2, event="exchange")]),
        ],
        extract=False,
    )
    with registry.session() as session:
        assert count(session, PlaceRow) == 2
        rel = only_relation(session)
        assert len(rel.events) == 2
        soviet = session.scalar(select(PlaceRow).where(PlaceRow.kind == "district"))
        assert (soviet.parent, soviet.key) == ("Minsk", "name:soviet district|BY|minsk")


def test_registry_same_pair_twice_in_one_article_is_one_event(registry, make_article):
    article = make_article(
        "Twice.",
        relations=[
            relation(evidence=["First sentence."], fields=["culture"]),
            relation(BIRMINGHAM, LYON, evidence=["Second sentence."], fields=["trade"]),
        ],
    )
    ingest(registry, [article], extract=False)
    with registry.session() as session:
        (event,) = only_relation(session).events
        assert event.evidence == ["First sentence.", "Second sentence."]
        assert sorted(f.name for f in event.fields) == ["culture", "trade"]


def test_registry_failed_articles_are_stored_with_their_error_and_the_batch_goes_on(
    registry, make_article
):
    from amity.types import Article

    unreadable = Article(
        id="broken",
        text="",
        source="broken.txt",
        errors=[StageError("ingest", "broken.txt", "binary file")],
    )
    crashed = make_article("Crashed.", relations=[relation()])
    crashed.errors.append(StageError("extract", "test", "ValueError: boom"))
    good = make_article("Good.", relations=[relation()])
    summary = ingest(registry, [unreadable, crashed, good], extract=False)
    assert (summary.failed, summary.relevant, summary.relations_new) == (2, 1, 1)
    with registry.session() as session:
        failed = session.scalars(select(ArticleRow).where(ArticleRow.status == "failed")).all()
        assert sorted(a.error for a in failed) == [
            "broken.txt: [ingest] binary file",
            "test: [extract] ValueError: boom",
        ]
        assert count(session, EventRow) == 1
    again = ingest(registry, [unreadable, crashed, good], extract=False)
    assert again.skipped == 3


def test_registry_write_error_marks_the_article_failed_and_goes_on(
    registry, make_article, monkeypatch
):
    import amity.registry.store as store

    real = store.store_article

    def flaky(session, article, digest=None):
        if article.id == "bad":
            real(session, article, digest)  # half-written, then:
            raise RuntimeError("disk on fire")
        return real(session, article, digest)

    monkeypatch.setattr(store, "store_article", flaky)
    bad = make_article("Bad.", id="bad", relations=[relation(event="intent")])
    good = make_article("Good.", id="good", relations=[relation(event="agreement")])
    summary = ingest(registry, [bad, good], extract=False)
    assert (summary.failed, summary.relevant) == (1, 1)
    with registry.session() as session:
        statuses = dict(session.execute(select(ArticleRow.external_id, ArticleRow.status)).all())
        assert statuses == {"bad": "failed", "good": "ok"}
        rel = only_relation(session)
        assert [e.type for e in rel.events] == ["agreement"]  # nothing of "bad" was kept


def test_registry_retry_failed(registry, make_article):
    article = make_article("Retry me.", relations=[relation()])
    article.errors.append(StageError("extract", "test", "transient"))
    ingest(registry, [article], extract=False)
    article.errors.clear()
    summary = ingest(registry, [article], extract=False, retry_failed=True)
    assert (summary.relevant, summary.relations_new) == (1, 1)
    with registry.session() as session:
        assert session.scalar(select(ArticleRow.status)) == "ok"
        assert count(session, ArticleRow) == 1


def test_registry_claims_are_stored(registry, make_article):
    from amity.types import Claim

    claims = [
        Claim("CN", "more than 2,800 pairs", pairs_min=2800),
        Claim("CN", "66 pairs ... between China and Russia", pairs=66, scope="bilateral", partner="RU"),
        Claim("Nantong", "27 cities in 17 countries", pairs=27, countries=17, scope="local"),
    ]
    article = make_article("Claims.", claims=claims)
    ingest(registry, [article], extract=False)
    with registry.session() as session:
        (row,) = session.scalars(select(ArticleRow)).all()
        stored = sorted((c.scope, c.subject, c.partner, c.pairs, c.pairs_min) for c in row.claims)
        assert stored == [
            ("bilateral", "CN", "RU", 66, None),
            ("local", "Nantong", None, 27, None),
            ("national", "CN", None, None, 2800),
        ]


def test_registry_accepts_a_session(registry, make_article):
    with registry.session() as session:
        summary = ingest(session, [make_article("S.", relations=[relation()])], extract=False)
    assert summary.relations_new == 1
    with registry.session() as session:
        assert count(session, ReferenceRow) == 0 and count(session, RelationRow) == 1


@pytest.mark.parametrize("n", [3])
def test_registry_runs_the_pipeline_by_default(registry, make_article, n, gazetteer):
    articles = [
        make_article(
            f"Lyon and Birmingham signed a twinning agreement on {d} March 2023.", relevant=None
        )
        for d in range(1, n + 1)
    ]
    summary = ingest(registry, articles)
    assert (summary.relevant, summary.relations_new, summary.relations_updated) == (n, 1, 0)
    with registry.session() as session:
        rel = only_relation(session)
        assert {rel.place_a.geonameid, rel.place_b.geonameid} == {2996944, 2655603}
        assert len(rel.events) == n

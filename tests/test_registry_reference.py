"""Reference registries (Wikipedia list, Wikidata) and the done-when checks on the seeds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from amity.errors import BadInput
from amity.registry.models import EventRow, PlaceRow, ReferenceRow, RelationRow
from amity.registry.queries import relations, show
from amity.registry.reference import import_wikidata, import_wikipedia_list
from amity.registry.store import ingest
from amity.types import Place, Relation
from shared_paths import FIXTURES, require_shared

SAMPLE_CSV = FIXTURES / "registry" / "twin-cities-sample.csv"
WIKIDATA = FIXTURES / "registry" / "wikidata-p190.json"
SEED_NEWS_ONLY = [  # pairs of the seeds that twin_cities.csv does not list
    ("Binzhou", "Goyang-si"),
    ("Bor", "Longyan"),
    ("Changning", "Minsk Soviet District"),
    ("Chongzuo", "Rybinsk"),
    ("Pogranichnyy", "Suifenhe"),
]


def pair_names(row) -> tuple[str, str]:
    return tuple(sorted((row["a"], row["b"])))


def rows_by_pair(session, **filters):
    return {pair_names(r): r for r in relations(session, **filters)}


def test_registry_import_wikipedia_list_sample(registry, resolver):
    summary = import_wikipedia_list(registry, SAMPLE_CSV, resolver=resolver)
    assert (summary.rows, summary.imported, summary.duplicates, summary.skipped) == (6, 4, 1, 1)
    assert summary.relations_new == 4
    with registry.session() as session:
        pairs = rows_by_pair(session)
        lyon = pairs[("Birmingham", "Lyon")]
        assert (lyon["status"], lyon["sources"], lyon["events"]) == (
            "active",
            ["wikipedia-list"],
            0,
        )
        changning = session.scalar(select(PlaceRow).where(PlaceRow.name == "Changning"))
        assert changning.parent == "Shanghai" and changning.geonameid is not None
        atlantis = session.scalar(select(PlaceRow).where(PlaceRow.name == "Atlantis"))
        assert atlantis.geonameid is None and atlantis.key.startswith("name:atlantis|")
        assert (atlantis.lat, atlantis.lon) == (0.0, 0.0)
    again = import_wikipedia_list(registry, SAMPLE_CSV, resolver=resolver)
    assert (again.imported, again.already) == (0, 5)  # the reversed duplicate too


def test_registry_import_wikipedia_list_rejects_other_columns(registry, tmp_path, resolver):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(BadInput, match="missing columns"):
        import_wikipedia_list(registry, bad, resolver=resolver)


def test_registry_import_wikidata(registry, resolver):
    summary = import_wikidata(registry, WIKIDATA, resolver=resolver)
    assert (summary.rows, summary.imported) == (4, 4)
    with registry.session() as session:
        pairs = rows_by_pair(session, source="wikidata")
        assert pairs[("Changchun", "Ulsan")]["established"] == 1994
        turku = pairs[("Saint Petersburg", "Turku")]
        assert (turku["status"], turku["established"]) == ("terminated", 1953)
        assert pairs[("Nagasaki", "Saint Paul")]["established"] == 1955
        refs = session.scalars(select(ReferenceRow).where(ReferenceRow.source == "wikidata")).all()
        changchun = next(r for r in refs if r.source_key == "Q90001~Q90002")
        assert len(changchun.raw) == 2  # both directions of the statement, kept as read
    assert import_wikidata(registry, WIKIDATA, resolver=resolver).already == 4


def test_registry_import_wikidata_rejects_other_json(registry, tmp_path, resolver):
    bad = tmp_path / "bad.json"
    bad.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(BadInput, match="SPARQL"):
        import_wikidata(registry, bad, resolver=resolver)


def test_registry_reference_and_news_join_one_relation(registry, make_article, resolver):
    changchun = Place("Changchun", "CN", "Jilin", 2038180, canonical="Changchun", unresolved=False)
    ulsan = Place("Ulsan", "KR", "Ulsan", 1833747, canonical="Ulsan", unresolved=False)
    article = make_article(
        "Thirty years.",
        published=dt.date(2024, 5, 28),
        relations=[
            Relation(
                changchun,
                ulsan,
                event="anniversary",
                event_date="2024-05-24",
                established=1995,
                anniversary=30,
                evidence=["Thirty years."],
            ),
        ],
    )
    ingest(registry, [article], extract=False)
    import_wikidata(registry, WIKIDATA, resolver=resolver)
    import_wikipedia_list(registry, SAMPLE_CSV, resolver=resolver)
    with registry.session() as session:
        row = rows_by_pair(session)[("Changchun", "Ulsan")]
        assert row["sources"] == ["news", "wikidata", "wikipedia-list"]
        assert row["events"] == 1
        # the article says 1995, Wikidata 1994: both kept, flagged
        assert {c["year"] for c in row["established_conflict"]} == {1994, 1995}
        assert row["status"] == "active"


# --- done-when checks on ../shared --------------------------------------------------------


@pytest.fixture
def seeds():
    return require_shared("corpus/seeds")


def ingest_seeds(registry, seeds):
    from amity.ingest import read_articles

    return ingest(registry, read_articles([seeds]))


def test_registry_seeds_twice_give_each_seed_relation_once(registry, seeds, gazetteer):
    first = ingest_seeds(registry, seeds)
    second = ingest_seeds(registry, seeds)
    assert (first.read, first.relevant, first.failed, first.relations_new) == (5, 4, 0, 6)
    assert (second.skipped, second.relations_new, second.relations_updated, second.events) == (
        5,
        0,
        0,
        0,
    )
    with registry.session() as session:
        assert session.scalar(select(func.count()).select_from(RelationRow)) == 6
        assert session.scalar(select(func.count()).select_from(EventRow)) == 6
        for rel in session.scalars(select(RelationRow)):
            (event,) = rel.events
            assert event.evidence and event.article.source.endswith(".txt")
        (place,) = show(session, "Changchun")
        (ulsan,) = place["partners"]
        assert ulsan["partner"]["name"] == "Ulsan"
        assert (ulsan["established"], ulsan["status"], ulsan["tier"]) == (1994, "active", "sister")
        (anniversary,) = ulsan["news"]
        assert (anniversary["event"], anniversary["event_date"]) == ("anniversary", "2024-05-24")
        assert anniversary["anniversary"] == 30
        assert any("30th anniversary" in s for s in anniversary["evidence"])
        assert {o["name"] for o in anniversary["officials"]} >= {"Wang Zilian", "Kim Doo-gyum"}
        assert anniversary["article"]["published"] == "2024-05-28"


def test_registry_wikipedia_list_then_seeds_merge(registry, seeds, resolver):
    csv_path = require_shared("reference/twin_cities.csv")
    summary = import_wikipedia_list(registry, csv_path, resolver=resolver)
    assert summary.rows == 25917
    assert summary.imported + summary.duplicates + summary.skipped == 25917
    ingest_seeds(registry, seeds)
    with registry.session() as session:
        news = rows_by_pair(session, source="news")
        assert len(news) == 6
        changchun = news[("Changchun", "Ulsan")]
        assert changchun["sources"] == ["news", "wikipedia-list"]
        assert (changchun["established"], changchun["events"]) == (1994, 1)
        assert len(show(session, "Changchun, CN")[0]["partners"]) > 10
        for pair in SEED_NEWS_ONLY:
            assert news[pair]["sources"] == ["news"], pair

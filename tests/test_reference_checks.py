"""Doubtful reference rows: the checks `amity import wikipedia-list` runs (amity.registry.doubts),
their storage (migration 0006), `amity stats` and `amity reconcile`, on SQLite and PostgreSQL.

tests/fixtures/registry/twin-cities-doubtful.csv (written for these tests):
  1. Lagos, Portugal listed at Lagos, Nigeria's point        -> coordinates (keeps Lagos, PT)
  2. Boston, "England, United Kingdom" listed in Massachusetts -> coordinates (keeps Boston, GB)
  3. Kyoto with Kyoto                                          -> self (kept, second side as written)
  4. Nice, "Italy" at Nice, France's point                     -> country (and unresolved)
  5. Strasbourg with Kehl, across the Rhine                    -> nothing to doubt
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from amity.analysis.reconcile import reconcile
from amity.cli import app
from amity.registry import make_engine, open_registry, upgrade
from amity.registry.doubts import (
    REFERENCE_ERRORS,
    count_doubts,
    kind_of,
    pair_doubts,
    same_state,
)
from amity.registry.locate import CountryLocator
from amity.registry.models import PlaceRow, ReferenceRow, RelationRow
from amity.registry.reference import PlaceResolver, import_wikipedia_list
from shared_paths import FIXTURES

DOUBTFUL_CSV = FIXTURES / "registry" / "twin-cities-doubtful.csv"
LAGOS_PT, BOSTON_GB = 2267226, 2655138  # GeoNames ids


def kinds(reasons: list[str]) -> set[str]:
    return {kind_of(reason) for reason in reasons}


def stored_rows(session) -> dict[str, ReferenceRow]:
    """Reference rows by the first city of their CSV row."""
    rows = session.scalars(select(ReferenceRow).order_by(ReferenceRow.id)).all()
    return {row.raw["city1"]: row for row in rows}


@pytest.fixture
def imported(registry, resolver):
    summary = import_wikipedia_list(registry, DOUBTFUL_CSV, resolver=resolver)
    return registry, summary


def test_reference_checks_flag_count_and_keep_every_row(imported):
    registry, summary = imported
    assert (summary.rows, summary.imported, summary.skipped) == (5, 5, 0)
    assert summary.doubtful == 4 and summary.reference_errors == 4
    assert summary.doubts == {"coordinates": 2, "self": 1, "country": 1, "unresolved": 1}
    with registry.session() as session:
        rows = stored_rows(session)
        assert len(rows) == 5
        (lagos,) = rows["Lagos"].doubts
        assert lagos.startswith("coordinates: Lagos listed at (6.46, 3.39), in NG")
        (boston,) = rows["Laval"].doubts
        assert boston.startswith("coordinates: Boston listed at (42.36, -71.06), in US")
        assert rows["Kyoto"].doubts == ["self: Kyoto with itself"]
        assert rows["Nice"].doubts == [
            "unresolved: Nice (IT)",
            "country: Nice listed in IT; the coordinates and the name give Nice, FR",
        ]
        assert rows["Strasbourg"].doubts == []


def test_reference_checks_keep_the_place_when_the_coordinates_are_wrong(imported):
    registry, _ = imported
    with registry.session() as session:
        lagos = session.scalar(select(PlaceRow).where(PlaceRow.name == "Lagos"))
        assert (lagos.geonameid, lagos.country) == (LAGOS_PT, "PT")
        assert lagos.lat > 35  # the gazetteer's point in the Algarve, not the row's in Nigeria
        boston = session.scalar(select(PlaceRow).where(PlaceRow.name == "Boston"))
        assert (boston.geonameid, boston.country) == (BOSTON_GB, "GB")


def test_reference_checks_keep_a_place_paired_with_itself(imported):
    registry, _ = imported
    with registry.session() as session:
        kyotos = session.scalars(select(PlaceRow).where(PlaceRow.name == "Kyoto")).all()
        resolved = [p for p in kyotos if p.geonameid is not None]
        as_written = [p for p in kyotos if p.geonameid is None]
        assert len(resolved) == 1 and len(as_written) == 1
        ids = sorted((resolved[0].id, as_written[0].id))
        relation = session.scalar(
            select(RelationRow).where(
                RelationRow.place_a_id == ids[0], RelationRow.place_b_id == ids[1]
            )
        )
        assert relation is not None and kinds(relation.references[0].doubts) == {"self"}


def test_reference_checks_shown_by_stats(imported, registry_url):
    runner = CliRunner()
    result = runner.invoke(app, ["stats", "--db", registry_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    checks = json.loads(result.stdout)["reference_checks"]
    assert checks == {
        "checked": 5,
        "doubtful": 4,
        "reference_errors": 4,
        "by_kind": {"coordinates": 2, "country": 1, "unresolved": 1, "self": 1},
    }
    table = runner.invoke(app, ["stats", "--db", registry_url])
    assert table.exit_code == 0, table.output
    assert "reference checks doubtful" in table.stdout
    assert "reference checks by kind coordinates" in table.stdout


def test_reconcile_reports_the_stored_doubts(imported):
    registry, _ = imported
    with registry.session() as session:
        report = reconcile(session, against=("wikipedia-list",))
    reasons = [entry["reasons"] for entry in report["doubtful"]]
    assert len(reasons) == 4 and report["counts"]["doubtful"] == 4
    assert sum("coordinates" in kinds(r) for r in reasons) == 2  # as stored at import


def test_count_doubts_tells_unchecked_rows_apart():
    counts = count_doubts([None, [], ["far: X listed 60 km from X"], ["self: Y with itself"]])
    assert counts == {
        "checked": 3,
        "doubtful": 2,
        "reference_errors": 1,
        "by_kind": {"far": 1, "self": 1},
    }
    assert "far" not in REFERENCE_ERRORS


def test_migration_0006_keeps_older_reference_rows(registry_url, resolver):
    """A registry at 0005 with a reference row upgrades in place: the row stays, unchecked
    (doubts NULL), reconcile derives its doubts as before, a new import stores them."""
    engine = make_engine(registry_url)
    upgrade(engine, "0005")
    with engine.begin() as conn:
        ids = []
        for name, lat in (("Atlantis", 0.0), ("Lemuria", 10.0)):
            key = f"name:{name.lower()}|XX|"
            conn.execute(
                text(
                    "INSERT INTO place (key, name, country, lat, lon, kind)"
                    " VALUES (:key, :name, 'XX', :lat, 0.0, 'city')"
                ),
                {"key": key, "name": name, "lat": lat},
            )
            ids.append(
                conn.execute(text("SELECT id FROM place WHERE key = :k"), {"k": key}).scalar()
            )
        conn.execute(
            text("INSERT INTO relation (place_a_id, place_b_id, status) VALUES (:a, :b, 'active')"),
            {"a": min(ids), "b": max(ids)},
        )
        conn.execute(
            text(
                "INSERT INTO reference_relation (relation_id, source, source_key, raw,"
                " imported_at) SELECT id, 'wikipedia-list', 'old', :raw, :at FROM relation"
            ),
            {"raw": json.dumps({"city1": "Atlantis"}), "at": "2024-01-01 00:00:00"},
        )
    engine.dispose()
    with open_registry(registry_url) as registry:
        with registry.session() as session:
            (old,) = session.scalars(select(ReferenceRow)).all()
            assert old.doubts is None
            report = reconcile(session, against=("wikipedia-list",))
            (entry,) = report["doubtful"]
            assert entry["reasons"] == ["unresolved: Atlantis (XX)", "unresolved: Lemuria (XX)"]
        import_wikipedia_list(registry, DOUBTFUL_CSV, resolver=resolver)
        with registry.session() as session:
            stored = session.scalars(select(ReferenceRow.doubts)).all()
            assert sum(doubts is None for doubts in stored) == 1
            assert count_doubts(stored)["checked"] == 5


def test_country_locator_answers_near_places_only():
    # invented points: two towns facing each other across a border, one far inland
    locator = CountryLocator([(48.58, 7.75, "FR"), (48.57, 7.81, "DE"), (48.40, 9.99, "DE")])
    assert locator.country_at(48.58, 7.76) == "FR"
    assert locator.country_at(48.40, 10.0) == "DE"
    assert locator.country_at(0.0, 0.0) is None  # nothing within LOCATE_KM
    assert locator.has_country_near(48.57, 7.80, "FR")  # 4 km across the river
    assert not locator.has_country_near(48.40, 9.99, "FR")
    assert CountryLocator([]).nearest(1.0, 1.0) is None


def test_country_column_is_read_as_the_benchmark_reads_it(resolver):
    places = PlaceResolver(resolver)
    assert places.country_column("South Korea") == ("KR", None)
    assert places.country_column("Martinique, France") == ("MQ", None)
    assert places.country_column("Ohio, United States") == ("US", "Ohio")
    assert places.country_column("Grece") == ("GR", None)
    assert places.country_column("Atlantic Ocean") == (None, None)


def test_a_territory_is_its_sovereign_state():
    # GeoNames codes Réunion, Guam and Åland apart; the list names France, the US, Finland
    assert same_state("RE", "FR") and same_state("GU", "US") and same_state("FI", "AX")
    assert not same_state("FR", "BE") and not same_state("RE", None)


def test_one_place_for_two_distant_listed_points_is_two_namesakes():
    lagoa = {"name": "Lagoa", "country": "PT", "admin1": None, "geonameid": 1, "kind": "city"}
    assert pair_doubts(lagoa, lagoa) == ["self: Lagoa with itself"]
    assert pair_doubts(lagoa, lagoa, listed_apart_km=5.0) == ["self: Lagoa with itself"]
    assert pair_doubts(lagoa, {**lagoa, "name": "Lagoa (Azores)"}, listed_apart_km=1300.0) == []

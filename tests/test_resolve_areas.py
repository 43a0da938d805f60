"""Resolver rules for areas, seats, merged places, qualified names and namesakes (issue 10).

Real GeoNames data (conftest.gazetteer); the contexts and the few invented names are written
for these tests.
"""

from __future__ import annotations

import pytest

from amity.gazetteer.index import distance_km
from amity.resolve import PlaceContext
from amity.resolve.resolver import locative_head, seat_names


def near(place, lat: float, lon: float, km: float = 25.0) -> bool:
    return place.lat is not None and distance_km(place.lat, place.lon, lat, lon) <= km


# --- areas without a point of their own --------------------------------------------------


def test_seat_names_of_areas():
    assert seat_names("Yeyskiy Rayon")[:2] == ["Yeyskiy", "Yeysk"]  # a Slavic adjective's town
    assert "Balashov" in seat_names("Balashovsky District")
    assert "Kagalnitskaya" in seat_names("Kagalnitsky District")  # a village named adjectivally
    assert seat_names("Obshtina Tundzha") == ["Tundzha"]
    assert seat_names("Eumseong-gun") == ["Eumseong"]
    assert seat_names("Municipality of El Rama") == ["El Rama"]
    assert seat_names("Ab") == []


def test_area_without_a_point_is_placed_at_its_seat_town(resolver):
    rayon = resolver.resolve("Yeysky District", PlaceContext(country="RU"))
    assert not rayon.unresolved and rayon.geonameid is not None
    assert rayon.coord_source == "seat" and near(rayon, 46.70, 38.27)  # Yeysk


def test_area_inside_a_city_that_is_its_own_region_is_placed_at_the_city(resolver):
    district = resolver.resolve("Tsentralny (Minsk)", PlaceContext(country="BY"))
    assert (district.admin1, district.coord_source) == ("Minsk City", "parent")
    assert near(district, 53.90, 27.57)


def test_county_is_placed_at_its_seat_when_the_seat_is_clear(resolver):
    county = resolver.resolve("Hartford County", PlaceContext(country="US"))
    assert (county.country, county.admin1, county.kind) == ("US", "Connecticut", "county")
    assert not county.unresolved and county.geonameid is None  # the county is not the town
    assert county.coord_source == "seat" and near(county, 41.76, -72.69)


# --- merged places ------------------------------------------------------------------------


def test_merged_place_of_neighbouring_parts_is_placed_between_them(resolver):
    merged = resolver.resolve("Epsom and Ewell", PlaceContext(country="GB"))
    assert (merged.country, merged.coord_source, merged.unresolved) == ("GB", "parts", False)
    assert near(merged, 51.34, -0.26, 10)
    london = resolver.resolve("Barking and Dagenham", PlaceContext(country="GB"))  # an area
    assert london.coord_source == "parts" and near(london, 51.54, 0.12, 10)


def test_parts_far_apart_are_not_placed(resolver):
    # invented: two cities of one country 600 km apart are no merged municipality
    place = resolver.resolve("Hamburg-Munich", PlaceContext(country="DE"))
    assert place.country == "DE" and place.unresolved and place.lat is None


def test_a_saint_name_is_not_split_into_parts(resolver):
    place = resolver.resolve("Saint-Qwertz", PlaceContext(country="CA"))
    assert place.unresolved and place.lat is None


# --- names that place themselves -----------------------------------------------------------


def test_locative_head():
    assert locative_head("Weiden in der Oberpfalz") == "Weiden"
    assert locative_head("Ebensee am Traunsee") == "Ebensee"
    assert locative_head("St Just in Penwith") == "St Just"
    assert locative_head("Tremosine sul Garda") == "Tremosine"
    assert locative_head("Valence-en-Poitou") is None  # a new commune, not Valence
    assert locative_head("Weiden") is None


def test_name_with_a_river_or_region_finds_its_town(resolver):
    weiden = resolver.resolve("Weiden in der Oberpfalz", PlaceContext(country="DE"))
    assert (weiden.admin1, weiden.name) == ("Bavaria", "Weiden in der Oberpfalz")
    assert near(weiden, 49.68, 12.16)


def test_qualified_district_is_not_a_namesake_far_from_its_qualifier(resolver):
    # the district is not in the index: it keeps its city's position, unresolved,
    # instead of becoming a namesake village 1,500 km away
    district = resolver.resolve("Xicheng (Beijing)", PlaceContext(country="CN"))
    assert district.unresolved and district.geonameid is None
    assert district.coord_source == "parent" and near(district, 39.91, 116.40)
    # ... while a qualifier with two namesake cities accepts the place by either
    jiaojiang = resolver.resolve("Jiaojiang (Taizhou)", PlaceContext(country="CN"))
    assert (jiaojiang.admin1, jiaojiang.unresolved) == ("Zhejiang", False)


def test_qualifier_places_are_evidence_for_the_namesake(resolver):
    ives = resolver.resolve("St Ives, Cornwall", PlaceContext(country="GB"))
    assert near(ives, 50.21, -5.49)  # not the larger St Ives of Cambridgeshire


def test_qualifier_that_names_a_kind_is_no_parent(resolver):
    inner = resolver._qualify(PlaceContext(country="DE"), "district", "qualifier")
    assert (inner.kind, inner.parent) == ("district", None)


@pytest.mark.parametrize(
    ("name", "stated", "country", "lat", "lon"),
    [
        ("Kourou", "FR", "GF", 5.16, -52.64),  # the list names the sovereign state
        ("Mariehamn", "FI", "AX", 60.10, 19.93),
        ("Macau", "CN", "MO", 22.20, 113.55),
    ],
)
def test_territory_of_the_stated_country(resolver, name, stated, country, lat, lon):
    place = resolver.resolve(name, PlaceContext(country=stated))
    assert place.country == country and near(place, lat, lon)


# --- namesakes -----------------------------------------------------------------------------


def test_county_level_place_known_by_its_seats_alternate_name(resolver):
    # GeoNames knows it as the seat town's alternate "Fengdu Xian"; a village in Fujian has
    # the bare name as an alternate
    fengdu = resolver.resolve("Fengdu", PlaceContext(country="CN"))
    assert fengdu.admin1 == "Chongqing"
    # without a stated country, the postal place "Dujiangyan City" in a country the article names
    place = resolver.resolve("Dujiangyan", PlaceContext(article_countries={"CN": 2, "AU": 1}))
    assert (place.country, place.admin1) == ("CN", "Sichuan")


def test_one_name_written_two_ways_counts_as_the_name(resolver):
    # "St. Charles" (Maryland) and "Saint Charles" (Missouri) are both the name: the larger wins
    charles = resolver.resolve("St. Charles", PlaceContext(country="US"))
    assert charles.admin1 == "Missouri"
    # no German town is just "Frankfurt": of the qualified namesakes, the larger
    assert resolver.resolve("Frankfurt", PlaceContext(country="DE")).admin1 == "Hesse"
    # ... but where one is called just the name, it keeps that name's bonus
    assert resolver.resolve("Königstein", PlaceContext(country="DE")).admin1 == "Saxony"


def test_a_town_counts_as_large_as_its_municipality(resolver):
    # Lagoa's municipality in Faro has 34k people, the Azores' 19k (its town is the larger)
    assert resolver.resolve("Lagoa", PlaceContext(country="PT")).admin1 == "Faro"
    # the municipality's own name is the town's: GeoNames calls the seat Túxpam de Rodríguez Cano
    assert resolver.resolve("Tuxpan", PlaceContext(country="MX")).admin1 == "Veracruz"
    # a county of the name whose main town is another (Huntsville) lends nothing
    assert resolver.resolve("Madison", PlaceContext(country="US")).admin1 == "Wisconsin"

"""Place mentions as parties: which names in a sentence become `Party` objects.

The sentences are written for these tests (none is copied from an article). Each names the
pattern it checks: romanised administrative suffixes, compound local-authority names, names the
text places in a country, and ordinary words, world regions, fragments and relation words that
must not become parties.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def parties_of(gazetteer):
    from amity.extract.nlp import load_nlp
    from amity.extract.reading import read

    nlp = load_nlp()

    def parties(text: str) -> list[str]:
        reading = read(text, nlp, gazetteer)
        return [party.name for sentence in reading.sentences for party in sentence.parties]

    return parties


@pytest.mark.parametrize(
    "text, expected",
    [
        # hyphenated Korean/Japanese suffixes, known or not to GeoNames
        (
            "Wanju-gun in Korea signed a friendship agreement with Huai'an.",
            ["Wanju-gun", "Huai'an"],
        ),
        (
            "A delegation from Nagaizumi-cho arrived in Whanganui for the anniversary of the sister city tie.",
            ["Nagaizumi-cho", "Whanganui"],
        ),
        (
            "Musashino-shi and Yugawara-machi renewed their exchange agreement.",
            ["Musashino", "Yugawara-machi"],
        ),
        (
            "Neighboring Fairfax County has sister ties with Songpa-gu in Seoul.",
            ["Fairfax County", "Songpa-gu"],
        ),
        # compound local-authority names are one place
        (
            "Nakuru County signed a twinning deal with Changnyeong County.",
            ["Nakuru County", "Changnyeong County"],
        ),
        ("Bassetlaw District Council is twinned with Garbsen.", ["Bassetlaw District", "Garbsen"]),
        (
            "Bradford on Avon has a twinning link with Sully-sur-Loire.",
            ["Bradford on Avon", "Sully-sur-Loire"],
        ),
        ("The Hague is twinned with Nazareth.", ["The Hague", "Nazareth"]),
        # a city suffix on a romanisation GeoNames spells otherwise, or on a misspelling
        (
            "Gimje City and Osakasayama City signed a letter of intent on friendship.",
            ["Gimje", "Osakasayama"],
        ),
        (
            "Shimoneseki City, Japan and Busan have been sister cities since 1976.",
            ["Shimoneseki", "Busan"],
        ),
        # a name the text places in a country
        (
            "Boulder's sister cities include Mante, Mexico and Yateras, Cuba.",
            ["Boulder", "Mante", "Yateras"],
        ),
        # a province coordinated with a city is a party of its own
        ("Melaka is twinned with Nanjing and Jiangsu Province.", ["Melaka", "Nanjing", "Jiangsu"]),
        # title case does not make the word before a place a personal name
        (
            "Memorandum of Understanding Between Alameda, California and Varazze, Italy",
            ["Alameda", "Varazze"],
        ),
        # Korean, Japanese and Vietnamese places
        ("The city of Paju and Hadano City signed a sister city pact.", ["Paju", "Hadano"]),
        (
            "Izumisano has been twinned with Shimonoseki City since 1976.",
            ["Izumisano", "Shimonoseki"],
        ),
        (
            "Hai Duong and Binh Dinh province signed friendship agreements with Vientiane.",
            ["Hai Duong", "Binh Dinh", "Vientiane"],
        ),
        ("Debre Markos and Kenosha signed a sister city agreement.", ["Debre Markos", "Kenosha"]),
        # a two-word name written as one word, capitals kept
        ("The mayor of SanMarcos wrote to Oxnard about a sister city tie.", ["SanMarcos", "Oxnard"]),
        # a partner table's line: the country, then its city (tagged ORG as one name)
        ("Sister Cities\nChina Daqing\n• An industrial city", ["Daqing"]),
        # in oblast countries "region" is part of the name, and names the country
        (
            "The East Kazakhstan region and Gansu Province signed a twinning agreement.",
            ["East Kazakhstan Region", "Gansu"],
        ),
    ],
)
def test_places_are_found(parties_of, text, expected):
    assert parties_of(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sister-city partnerships with Africa and Asia will grow.", []),  # continents
        ("The twinning guests were given Coronation souvenirs and pens.", []),  # a common word
        ("The Duties and Powers of the City Council include twinning.", []),
        ("Guests attended the 35-year Celebration of Sister Relationship.", []),
        ("A SW China county forged sister-city ties with Kisumu.", ["Kisumu"]),  # a description
        ("The MN-Shaanxi Sister State agreement was signed in 1982.", []),  # a relation word
        ("The twinning association hopes a Cork village will join.", []),  # somewhere in Cork
        (
            "The twinning choir sang at the Debre Selam Kidist Mariam Orthodox Church.",
            [],
        ),  # a building
    ],
)
def test_non_places_are_rejected(parties_of, text, expected):
    assert parties_of(text) == expected


def test_volga_fragment_is_no_party(parties_of):
    assert "Volga/" not in parties_of(
        "Udmurtia lies on the Volga/ and is twinned with the Chinese city of Xining."
    )


def test_hyphen_suffix_alone_needs_a_name(parties_of):
    """'-do' marks a province only when GeoNames knows the name; a common word never counts."""
    assert parties_of("Gyeonggi-do signed a friendship agreement with Hubei Province.") == [
        "Gyeonggi-do",
        "Hubei",
    ]
    assert parties_of("Players from the Taekwon-do club visited the twin town.") == []


def test_diacritics_match_either_spelling(gazetteer):
    assert gazetteer.is_place_name("Sarıyer") and gazetteer.is_place_name("Sariyer")


def test_korean_given_names_are_not_counties(parties_of):
    """A hyphenated given name ending like a suffix ("Jae-gun") is a person; a district after
    its city ("Seoul Seodaemun-gu") is a place."""
    assert parties_of("Mayor Lee Jae-gun visited Wanju-gun to sign a sister city agreement.") == [
        "Wanju-gun"
    ]
    assert parties_of("Seoul Seodaemun-gu signed a friendship agreement with Lyon.") == [
        "Seodaemun-gu",
        "Lyon",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a city's own state after a comma or in brackets qualifies it
        ("Yokohama is partnered with Seattle, Washington, and with Lyon.", ["Yokohama", "Seattle", "Lyon"]),
        ("Kobe has sister cities in Seattle ( Washington , the USA ) and Riga.", ["Kobe", "Seattle", "Riga"]),
        # a province before "city"/"council" places an unnamed city: no party
        ("Ohio city welcomes the mayor of its sister city Lucca", ["Lucca"]),
        ("A New Mexico council voted to end its sister city ties with Chihuahua.", ["Chihuahua"]),
    ],
)
def test_states_and_provinces_that_only_place_a_city(parties_of, text, expected):
    assert parties_of(text) == expected


def test_an_entity_running_past_a_place_into_the_clause_does_not_hide_it(gazetteer):
    """The NER sometimes tags "Bolton a party of" as one ORG: the place is still a place."""
    from spacy.tokens import Span

    from amity.extract.nlp import PlaceRuler, load_nlp

    doc = load_nlp().make_doc("the charter between Annecy and Bolton a party of 18 people")
    ruler = PlaceRuler(gazetteer)
    entity, place = Span(doc, 5, 9, label="ORG"), Span(doc, 5, 6)
    assert ruler._is_junk_ent(entity, place)
    assert not ruler._is_junk_ent(Span(doc, 5, 6, label="ORG"), place)


def test_a_country_written_short_in_brackets_places_the_town(gazetteer):
    from amity.extract.nlp import load_nlp
    from amity.extract.reading import read

    text = "Lefkoniko Municipality (TRNC) and Tuzla Municipality (Bosnia-Herzegovina) signed a sister city protocol."
    reading = read(text, load_nlp(), gazetteer)
    countries = {p.name: p.country for s in reading.sentences for p in s.parties}
    assert countries.get("Lefkoniko") == "CY"

import pytest

from amity.extract.claims import find_claims
from amity.extract.officials import find_fields, find_officials

PLACES = {"Binzhou", "Bor", "Ulsan", "Longyan", "Hubei Province", "Hubei", "Lyon"}


def is_place(name: str) -> bool:
    return name in PLACES


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Song Yongxiang, mayor of Binzhou, spoke.", ("Song Yongxiang", "Mayor", "Binzhou")),
        ("The Mayor of Bor, Aleksandar Milikić, hosted the delegation.", ("Aleksandar Milikić", "Mayor", "Bor")),
        ("Longyan Deputy Mayor Jian Hongkun thanked the hosts.", ("Jian Hongkun", "Deputy Mayor", "Longyan")),
        ("He met Mayor Kim Doo-gyum of Ulsan.", ("Kim Doo-gyum", "Mayor", "Ulsan")),
        ("Vice Governor of Hubei Province Zhao Haishan said so.", ("Zhao Haishan", "Vice Governor", "Hubei Province")),
        ("Cllr Peter Manning, the council leader, moved the motion.", ("Peter Manning", "Council Leader", None)),
    ],
)
def test_find_officials_patterns(text, expected):
    found = [(o.name, o.role, o.of) for o in find_officials(text, is_place)]
    assert expected in found


def test_find_officials_does_not_run_across_sentences_or_take_bodies():
    text = "It was signed by Ron Delgado. Mayor Hiroshi Tanabe of Lyon welcomed it. The People's Committee, chair of the board, met."
    names = {o.name for o in find_officials(text, is_place)}
    assert "Hiroshi Tanabe" in names
    assert not any("." in n or "Committee" in n for n in names)


def test_find_fields_reads_only_cooperation_sentences():
    sentences = [
        "The two cities will deepen cooperation in trade, tourism and education.",
        "The mayor solved ecological problems in the city.",
    ]
    assert find_fields(sentences) == ["trade", "education", "tourism"] or set(find_fields(sentences)) == {"trade", "education", "tourism"}


def test_find_claims_minimum_counts_and_subject():
    [claim] = find_claims(
        "Japan has more than 1,700 sister-city ties.", lambda text: ["JP"] if "Japan" in text else [], None
    )
    assert (claim.subject, claim.pairs_min) == ("JP", 1700)


def codes(text: str) -> list[str]:
    return [code for name, code in (("China", "CN"), ("Japan", "JP"), ("U.S.", "US")) if name in text]


def test_find_claims_reads_follow_on_counts_and_national_bodies():
    text = "China has established more than 2,900 pairs of friendship cities with over 140 countries, including more than 160 pairs with African countries."
    assert [(c.subject, c.pairs_min, c.countries_min) for c in find_claims(text, codes)] == [("CN", 2900, 140), ("CN", 160, None)]
    [body] = find_claims("Sister Cities International says its network spans more than 1,800 partnerships in over 130 countries.", codes)
    assert (body.subject, body.pairs_min, body.countries_min) == ("US", 1800, 130)
    [grown] = find_claims("The number of friendly city pairs between China and Central Asia has exceeded 100.", codes)
    assert (grown.subject, grown.pairs_min) == ("CN", 100)


def test_find_claims_reads_a_city_count_as_local():
    [claim] = find_claims("Coventry now has more than 25 twin towns around the world.", codes)
    assert (claim.scope, claim.subject, claim.pairs_min) == ("local", "Coventry", 25)

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

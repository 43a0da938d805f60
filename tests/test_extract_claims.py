"""Claims: stated counts of twinning relations, national | bilateral | local (extract/claims/)
and how they are scored (evaluate._claim_key)."""

from __future__ import annotations

import json

import pytest

from amity.evaluate import _claim_key, describe_claim, score
from amity.extract.claims import ClaimReader, find_claims, parse_number, parse_ordinal
from amity.types import Claim
from shared_paths import require_shared


def read(gazetteer, *sentences: str) -> list[Claim]:
    reader = ClaimReader(gazetteer.country_codes_in, gazetteer.is_place_name)
    return [claim for sentence in sentences for claim in reader.read(sentence)]


def summary(claim: Claim) -> tuple:
    return (claim.scope, claim.subject, claim.partner, claim.pairs, claim.pairs_min)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("27", 27),
        ("2,800", 2800),
        ("eight", 8),
        ("twenty-seven", 27),
        ("two dozen", 24),
        ("a dozen", 12),
        ("Eighty", 80),
        ("a hundred", 100),
        ("ninety nine", 99),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text, expected", [("11th", 11), ("fourteenth", 14), ("twenty-fifth", 25), ("2nd", 2)]
)
def test_parse_ordinal(text, expected):
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # national: a country's own total
        (
            "Japan now counts more than 1,700 sister-city ties.",
            ("national", "JP", None, None, 1700),
        ),
        ("Germany has 2,300 twin towns, by one estimate.", ("national", "DE", None, 2300, None)),
        (
            "Over 450 sister city relationships exist in Canada today.",
            ("national", "CA", None, None, 450),
        ),
        (
            "Some Polish towns have twinned with more than 900 towns abroad.",
            ("national", "PL", None, None, 900),
        ),
        (
            "Sister Cities International says its network spans more than 1,800 partnerships in over 130 countries.",
            ("national", "US", None, None, 1800),
        ),
        # bilateral: between a country and a country or a region
        (
            "Today 120 pairs of towns are linked as sisters between Italy and Austria.",
            ("bilateral", "IT", "AT", 120, None),
        ),
        (
            "There are about 300 twinning agreements between Dutch and Belgian municipalities.",
            ("bilateral", "NL", "BE", 300, None),
        ),
        (
            "Provinces and cities in Vietnam have set up 74 friendship-city relationships with counterparts in 19 European countries.",
            ("bilateral", "VN", "Europe", 74, None),
        ),
        (
            "The number of friendly city pairs between Japan and Central Asia has exceeded 40.",
            ("bilateral", "JP", "Central Asia", None, 40),
        ),
        (
            "At present there are more than 210 partnerships between places in France and Portugal.",
            ("bilateral", "FR", "PT", None, 210),
        ),
        # local: a city's or province's own count
        (
            "So far, Wuxi has established friendly-city relations with 38 cities in 24 countries.",
            ("local", "Wuxi", None, 38, None),
        ),
        (
            "Coventry now has more than 25 twin towns around the world.",
            ("local", "Coventry", None, None, 25),
        ),
        (
            "Portland currently has nine active Sister Cities, and two active Friendship Cities.",
            ("local", "Portland", None, 11, None),
        ),
        ("Kyoto's 10th sister city is Zagreb.", ("local", "Kyoto", None, 10, None)),
        (
            "The pact makes Lviv the twelfth sister city of Krakow.",
            ("local", "Krakow", None, 12, None),
        ),
        ("Busan signs its 3rd sister city agreement this year.", ("local", "Busan", None, 3, None)),
        (
            "Ottawa has two dozen partner cities across the globe.",
            ("local", "Ottawa", None, 24, None),
        ),
    ],
)
def test_claim_scope_subject_partner_and_number(gazetteer, sentence, expected):
    claims = read(gazetteer, sentence)
    assert [summary(c) for c in claims] == [expected]


def test_countries_and_follow_on_counts(gazetteer):
    text = (
        "Korea has set up more than 1,600 sister-city relations with over 80 countries, "
        "including 640 pairs with Chinese cities, among which 210 pairs of sister provinces "
        "and cities have been formed with ASEAN countries."
    )
    first, *rest = read(gazetteer, text)
    assert summary(first) == ("national", "KR", None, None, 1600)
    assert first.countries_min == 80
    assert [summary(c) for c in rest] == [
        ("bilateral", "KR", "CN", 640, None),
        ("bilateral", "KR", "ASEAN countries", 210, None),
    ]


def test_pronouns_find_the_place_they_stand_for(gazetteer):
    assert [
        summary(c)
        for c in read(
            gazetteer,
            "In recent years Harbin has widened its exchanges with cities abroad.",
            "To date, it has established sister-city relationships with eleven cities from nine countries.",
        )
    ] == [("local", "Harbin", None, 11, None)]
    assert [
        summary(c)
        for c in read(
            gazetteer,
            "The mayor of Fukuoka said his city has built up friendship ties with seven cities worldwide.",
        )
    ] == [("local", "Fukuoka", None, 7, None)]
    assert [
        summary(c)
        for c in read(
            gazetteer,
            "Officials from Denver welcomed the Nairobi delegation.",
            "Nairobi is its ninth sister city.",
        )
    ] == [("local", "Denver", None, 9, None)]


def test_an_elided_count_follows_a_count(gazetteer):
    claims = read(gazetteer, "Lyon has 14 twin towns; Marseille has 12 in Europe and Asia.")
    assert [summary(c) for c in claims] == [
        ("local", "Lyon", None, 14, None),
        ("local", "Marseille", None, 12, None),
    ]
    # without a count of relations before it, "X has 12" says nothing about twinning
    assert read(gazetteer, "Marseille has 12 in Europe and Asia.") == []


def test_a_count_with_no_subject_uses_the_default():
    [claim] = find_claims(
        "In all, 350 sister-city relationships were active last year.", lambda text: [], "US"
    )
    assert (claim.scope, claim.subject, claim.pairs) == ("national", "US", 350)


@pytest.mark.parametrize(
    "sentence",
    [
        "At the ceremony, eight new partnerships were announced.",
        "Eleven delegations from sister cities attended the festival in Osaka.",
        "The two sister cities will open offices in each other's capital.",
        "Lisbon hosted the 5th Sister Cities conference on Tuesday.",
        "Kobe became Seattle's first sister city in 1957.",
        "The town donated 3,000 masks to its four sister cities in Europe.",
        "The firm has 40 partnerships with retailers across 12 countries.",
        "In the 1980s the City of Leeds entered into two sister city relationships.",
        "The 2019 sister city summit drew 300 mayors.",
        "Sister cities exchanged 25 students and 12 teachers this year.",
    ],
)
def test_counts_that_are_not_claims(gazetteer, sentence):
    assert read(gazetteer, sentence) == []


def test_claim_json_follows_the_contract():
    claim = Claim(
        "CN",
        "166 sister-city relationships",
        pairs=166,
        countries=35,
        scope="bilateral",
        partner="Africa",
    )
    assert claim.to_dict() == {
        "subject": "CN",
        "text": "166 sister-city relationships",
        "pairs": 166,
        "countries": 35,
        "scope": "bilateral",
        "partner": "Africa",
    }
    assert Claim("Lyon", "14 twin towns", pairs=14, scope="local").to_dict() == {
        "subject": "Lyon",
        "text": "14 twin towns",
        "pairs": 14,
        "scope": "local",
    }


# -- scoring ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold, predicted",
    [
        (
            {"subject": "Davao City", "scope": "local", "pairs": 3},
            {"subject": "Davao", "scope": "local", "pairs": 3},
        ),
        (
            {"subject": "Washington, D.C.", "scope": "local", "pairs": 14},
            {"subject": "Washington", "scope": "local", "pairs": 14},
        ),
        (
            {"subject": "GB", "partner": "FR", "scope": "bilateral", "pairs_min": 1000},
            {"subject": "FR", "partner": "GB", "scope": "bilateral", "pairs_min": 1000},
        ),
        (
            {"subject": "CN", "partner": "Africa", "scope": "bilateral", "pairs": 166},
            {"subject": "CN", "partner": "African countries", "scope": "bilateral", "pairs": 166},
        ),
        (
            {"subject": "CN", "scope": "national", "pairs": 3054},
            {"subject": "China", "scope": "national", "pairs": 3054},
        ),
        (
            {"subject": "CN", "pairs_min": 2800},
            {"subject": "CN", "scope": "national", "pairs_min": 2800},
        ),
        (
            {"subject": "AU", "scope": "national", "pairs_min": 600},
            {"subject": "AU", "scope": "national", "pairs": 600},
        ),
    ],
)
def test_claims_match_on_scope_subject_partner_and_number(gold, predicted):
    assert _claim_key(gold) == _claim_key(predicted)


@pytest.mark.parametrize(
    "gold, predicted",
    [
        (
            {"subject": "CN", "scope": "national", "pairs": 66},
            {"subject": "CN", "partner": "RU", "scope": "bilateral", "pairs": 66},
        ),
        (
            {"subject": "Guangzhou", "scope": "local", "pairs": 100},
            {"subject": "CN", "scope": "national", "pairs": 100},
        ),
        (
            {"subject": "CN", "partner": "RU", "scope": "bilateral", "pairs": 66},
            {"subject": "CN", "partner": "KZ", "scope": "bilateral", "pairs": 66},
        ),
        (
            {"subject": "Nantong", "scope": "local", "pairs": 27},
            {"subject": "Nantong", "scope": "local", "pairs": 17},
        ),
    ],
)
def test_claims_differ(gold, predicted):
    assert _claim_key(gold) != _claim_key(predicted)


def test_describe_claim():
    assert describe_claim({"subject": "CN", "pairs_min": 2800}) == "CN: pairs_min=2800"
    assert (
        describe_claim({"subject": "Nantong", "scope": "local", "pairs": 27})
        == "Nantong (local): pairs=27"
    )
    assert (
        describe_claim({"subject": "CN", "partner": "RU", "scope": "bilateral", "pairs": 66})
        == "CN–RU (bilateral): pairs=66"
    )


# -- news-dev -----------------------------------------------------------------------------------


def test_news_dev_claims_f1():
    """Claims read from the news-dev articles (prefilter and reading as in the pipeline,
    without the pair scorer) against the gold claims."""
    gold_path = require_shared("corpus/news-dev/gold.jsonl")
    articles_path = require_shared("corpus/news-dev/articles.jsonl")
    from amity.extract.claims import read_claims
    from amity.extract.extractor import Extractor
    from amity.prefilter import prefilter
    from amity.types import Article

    extractor = Extractor()
    predicted = []
    for line in articles_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        article = Article(id=record["id"], text=record["text"], title=record.get("title"))
        prefilter(article)
        claims = []
        if article.relevant:
            claims = [
                c.to_dict()
                for c in read_claims(extractor.examine(article).reading, extractor.gazetteer)
            ]
        predicted.append({"id": record["id"], "relations": [], "claims": claims})
    gold = [
        {**json.loads(line), "relations": [], "optional": []}
        for line in gold_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    report = score(gold, predicted)
    assert report.claims.f1 >= 0.80, report.claims.to_dict()

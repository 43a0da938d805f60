"""Candidate pairs and their features: what the wide nets propose, what is never a pair."""

from __future__ import annotations

import pytest

from amity.extract.candidates import find_candidates
from amity.extract.features import FEATURES, FeatureMaker
from amity.extract.reading import read
from amity.gazetteer.knowledge import KnowledgeIndex, load_knowledge, name_key


@pytest.fixture(scope="module")
def nlp():
    from amity.extract.nlp import load_nlp

    return load_nlp()


def candidates(text, nlp, gazetteer):
    reading = read(text, nlp, gazetteer)
    found = find_candidates(reading, gazetteer)
    return reading, found, {frozenset((r.a.name, r.b.name)): r for r in found.records}


def test_grammar_rules_are_recorded(nlp, gazetteer):
    _, _, records = candidates("Lyon and Birmingham signed a twinning agreement on 3 March 2023.", nlp, gazetteer)
    record = records[frozenset(("Lyon", "Birmingham"))]
    assert "coordination" in record.rules
    assert "cooccur" in record.rules


def test_lines_after_a_relation_sentence_pair_with_the_host(nlp, gazetteer):
    text = (
        "Oakridge City Council\n\n"
        "Tacoma has four sister cities. Tacoma's mayor visited Kitakyushu in May.\n\n"
        "Sister cities of Tacoma:\n\n"
        "Vladivostok, Russia (1992)\n\n"
        "Kunming, China (1994)\n\n"
        "Tacoma hosted a delegation this year."
    )
    _, found, records = candidates(text, nlp, gazetteer)
    assert found.hosts and found.hosts[0].name == "Tacoma"
    for partner in ("Vladivostok", "Kunming"):
        record = records[frozenset(("Tacoma", partner))]
        assert "following" in record.rules or "listed" in record.rules


def test_a_city_and_its_own_province_are_never_a_candidate(nlp, gazetteer):
    _, _, records = candidates(
        "Wuhan, Hubei province, signed a sister city agreement with Duisburg, Germany.", nlp, gazetteer
    )
    assert frozenset(("Wuhan", "Duisburg")) in records
    assert frozenset(("Wuhan", "Hubei")) not in records


def test_features_describe_a_stated_pair(nlp, gazetteer):
    reading, found, records = candidates(
        "Changchun and Ulsan marked the 30th anniversary of their sister-city ties.", nlp, gazetteer
    )
    maker = FeatureMaker(reading, found, gazetteer, load_knowledge())
    features = maker.features(records[frozenset(("Changchun", "Ulsan"))])
    assert set(features) == set(FEATURES)
    assert features["rule_coordination"] == 1.0
    assert features["known_pair"] == 1.0  # Wikipedia's lists know Changchun–Ulsan
    assert features["join_and"] == 1.0
    assert features["same_country"] == 0.0
    assert features["matched_both"] == 1.0


def test_the_knowledge_index_matches_spellings():
    index = KnowledgeIndex([("Changnyeong County", "KR", "Satsumasendai", "JP"), ("Hackney", "GB", "Suresnes", "FR")])
    assert index.known("Changnyeong", "Satsumasendai")
    assert index.known("suresnes", "HACKNEY")
    assert not index.known("Hackney", "Satsumasendai")
    assert index.countries("Suresnes", "Hackney") == [("FR", "GB")]
    assert index.degree("Hackney") == 1
    assert name_key("Changnyeong County") == name_key("changnyeong")


def test_the_shipped_knowledge_index():
    index = load_knowledge()
    assert len(index) > 20_000
    assert index.known("Changchun", "Ulsan")
    assert not index.known("Bor", "Longyan")  # news that no reference lists: amity's value

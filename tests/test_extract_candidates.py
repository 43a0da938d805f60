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


def candidates(text, nlp, gazetteer, url=None):
    reading = read(text, nlp, gazetteer, url)
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


# --- rules added for real news (each example invented; the corpus it generalises is news-dev) ---


def test_each_clause_keeps_its_own_partners(nlp, gazetteer):
    _, _, records = candidates(
        "Leeds has twinned with Dortmund and Lille, and Brno, Czechia, has twinned with Graz and Vienna.",
        nlp,
        gazetteer,
    )
    for pair in (("Leeds", "Dortmund"), ("Leeds", "Lille"), ("Brno", "Graz"), ("Brno", "Vienna")):
        assert {"hub", "partner-list"} & records[frozenset(pair)].rules, pair
    assert not {"hub", "partner-list"} & records[frozenset(("Leeds", "Graz"))].rules
    assert not {"hub", "partner-list"} & records[frozenset(("Leeds", "Brno"))].rules


def test_two_coordinated_clauses_each_make_a_pair(nlp, gazetteer):
    _, _, records = candidates(
        "Kiel, Schleswig-Holstein, and Vaasa became sister cities in 2021, and the towns of Gdynia and Turku twinned in 2022.",
        nlp,
        gazetteer,
    )
    assert "coordination" in records[frozenset(("Gdynia", "Turku"))].rules
    assert {"hub", "coordination"} & records[frozenset(("Kiel", "Vaasa"))].rules
    kiel_turku = records.get(frozenset(("Kiel", "Turku")))
    assert kiel_turku is None or not {"hub", "partner-list", "coordination"} & kiel_turku.rules


def test_three_places_entering_one_agreement_are_a_triangle(nlp, gazetteer):
    _, _, records = candidates("In 1998, Kiel, Vaasa and Gdynia entered a twin city agreement.", nlp, gazetteer)
    for pair in (("Kiel", "Vaasa"), ("Kiel", "Gdynia"), ("Vaasa", "Gdynia")):
        assert "coordination" in records[frozenset(pair)].rules


def test_as_alone_is_a_conjunction_such_as_gives_examples(nlp, gazetteer):
    _, _, records = candidates("Progress came as Derby and Osnabrück signed a twinning charter in May.", nlp, gazetteer)
    assert "coordination" in records[frozenset(("Derby", "Osnabrück"))].rules
    _, _, records = candidates("Twin towns such as Derby and Osnabrück hold fairs every year.", nlp, gazetteer)
    assert "coordination" not in records.get(frozenset(("Derby", "Osnabrück")), type("R", (), {"rules": set()})()).rules


def test_one_partner_after_relationship_with_or_including(nlp, gazetteer):
    _, _, records = candidates(
        "Bedford holds sister city ties with Lucca, Italy, and a friendship city relationship with Annecy, France.",
        nlp,
        gazetteer,
    )
    assert {"hub", "partner-list"} & records[frozenset(("Bedford", "Annecy"))].rules
    _, _, records = candidates(
        "Bedford Borough Council\n\nBedford has hosted many visitors.\n\n"
        "The borough holds sister city ties with Lucca, Italy, and a friendship city relationship with Annecy, France.",
        nlp,
        gazetteer,
    )
    assert "partner-list" in records[frozenset(("Bedford", "Annecy"))].rules
    _, _, records = candidates(
        "Wells hosted a fair.\n\nWork with Wells' other sister cities, including Lisieux, goes on.", nlp, gazetteer
    )
    assert "partner-list" in records[frozenset(("Wells", "Lisieux"))].rules


def test_a_hypothetical_states_no_relation(nlp, gazetteer):
    reading, found, records = candidates(
        "If Turku and Accra were sister cities, we could learn a lot from each other.", nlp, gazetteer
    )
    assert not reading.sentences[0].relation_tiers
    assert frozenset(("Turku", "Accra")) not in records


def test_an_official_site_names_the_host(nlp, gazetteer):
    from amity.extract.reading import find_anchor

    text = "Sister Cities\n\nThe council welcomed a delegation from Kitakyushu to Tacoma this spring."
    reading = read(text, nlp, gazetteer, "https://www.cityoftacoma.gov/sister-cities")
    assert find_anchor(reading) is None  # "cityoftacoma" does not begin with the name
    reading = read(text, nlp, gazetteer, "https://tacoma.legistar.com/Legislation.aspx?ID=1")
    assert find_anchor(reading).name == "Tacoma"
    reading = read(text, nlp, gazetteer, "https://www.tacomanews.com/story")  # a newspaper's name
    assert find_anchor(reading) is None


def test_a_council_site_that_never_names_its_town_is_its_hosts_town(nlp, gazetteer):
    """"our French twin town" on www.<town>-tc.gov.uk: the town of the host name is the host."""
    from amity.extract.reading import find_anchor

    text = "Twinning news\n\nOur twinning members visited Tonnerre, our French twin town, for its fair."
    reading = read(text, nlp, gazetteer, "https://www.sawbridgeworth-tc.gov.uk/news/1")
    assert find_anchor(reading).name == "Sawbridgeworth"
    assert find_anchor(reading).country == "GB"
    _, found, records = candidates(text, nlp, gazetteer, "https://www.sawbridgeworth-tc.gov.uk/news/1")
    assert frozenset(("Sawbridgeworth", "Tonnerre")) in records
    # without the first person, or on a newspaper's site, the host name names nobody
    plain = "Twinning news\n\nMembers visited Tonnerre, the French twin town, for its fair."
    assert find_anchor(read(plain, nlp, gazetteer, "https://www.sawbridgeworth-tc.gov.uk/news/1")) is None
    assert find_anchor(read(text, nlp, gazetteer, "https://www.sawbridgeworthherald.co.uk/news/1")) is None


def test_pairs_joined_by_as_well_as_are_each_a_pair(nlp, gazetteer):
    _, _, records = candidates(
        "Agreements on sister city ties between Aktobe and Lanzhou, as well as Pavlodar and Urumqi were signed.",
        nlp,
        gazetteer,
    )
    assert "pair-list" in records[frozenset(("Aktobe", "Lanzhou"))].rules
    assert "pair-list" in records[frozenset(("Pavlodar", "Urumqi"))].rules
    assert "pair-list" not in records[frozenset(("Lanzhou", "Pavlodar"))].rules


def test_a_wire_dateline_is_where_the_reporter_filed_from(nlp, gazetteer):
    from amity.extract.reading import find_anchor

    text = "SHENZHEN, March 3 (Xinhua) -- Zhuhai and Nagoya signed a sister-city agreement on Tuesday."
    reading, found, records = candidates(text, nlp, gazetteer)
    assert [p.name for p in reading.sentences[0].parties] == ["Zhuhai", "Nagoya"]
    assert find_anchor(reading) is None or find_anchor(reading).name != "Shenzhen"
    assert not any("Shenzhen" in key for key in records)
    # a local paper's own dateline still names its town
    reading = read("LYON — Lyon and Birmingham renewed their twinning on Monday.", nlp, gazetteer)
    assert find_anchor(reading).name == "Lyon"


def test_a_city_that_places_a_county_is_its_parent(nlp, gazetteer):
    reading, _, records = candidates(
        "Wuyi County in southeast China's Jinhua City signed an agreement to establish a sister-city relationship with Trento.",
        nlp,
        gazetteer,
    )
    parties = {p.name: p for s in reading.sentences for p in s.parties}
    assert "Jinhua" not in parties
    assert parties["Wuyi County"].parent == "Jinhua"
    assert frozenset(("Wuyi County", "Trento")) in records


def test_country_and_city_lines_of_a_partner_table_are_listed_partners(nlp, gazetteer):
    text = (
        "Sister Cities of Ulsan\n\nSister Cities and Friendly Exchange Cities\n\nChina Daqing\n"
        "  • Oil and petrochemical industry\nUSA Atlantic City\n  • Resort and beaches\nJapan Hadano\n"
        "  • Mountains and springs\n  • Bed Town of Yokohama (housing)"
    )
    reading = read(text, nlp, gazetteer, "https://www.ulsan.go.kr/english/sister.do")
    found = find_candidates(reading, gazetteer)
    listed = {frozenset((r.a.name, r.b.name)) for r in found.records if "listed" in r.rules}
    assert {frozenset(("Ulsan", "Daqing")), frozenset(("Ulsan", "Atlantic City")), frozenset(("Ulsan", "Hadano"))} <= listed
    assert not any("Bed" in pair for pair in listed)  # an ordinary word opening an item's longer name


def test_a_colon_after_the_first_place_is_a_dateline(nlp, gazetteer):
    from amity.extract.reading import find_anchor

    reading = read(
        "Kanazawa: The Kanazawa city government said on Monday that the mayor of its sister city Nancy will visit in May.",
        nlp,
        gazetteer,
    )
    assert find_anchor(reading).name == "Kanazawa"

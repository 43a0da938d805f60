"""Extraction end to end: sentence-level cases, the five seeds, and our fixture corpus."""

import datetime as dt

import pytest

from amity.evaluate import evaluate_files
from amity.pipeline import extract_articles
from amity.types import Article
from shared_paths import FIXTURES, require_shared


def extract_one(text: str, published: dt.date | None = None, title: str | None = None) -> Article:
    [article] = extract_articles([Article(id="t", text=text, title=title, published=published)])
    assert article.errors == []
    return article


def pairs_of(article: Article) -> set[frozenset[str]]:
    return {frozenset((r.a.name, r.b.name)) for r in article.relations}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lyon and Birmingham signed a twinning agreement on 3 March 2023.", {("Lyon", "Birmingham")}),
        ("The sister-city relationship between Kumamoto and Heidelberg began in 1992.", {("Kumamoto", "Heidelberg")}),
        ("Kiel's twin town Vaasa sent a choir to the festival.", {("Kiel", "Vaasa")}),
        ("Coventry, twinned with Dresden since 1959, sent a delegation.", {("Coventry", "Dresden")}),
        (
            "Qingdao and Kiel, Yantai and Angers signed sister city agreements at the forum.",
            {("Qingdao", "Kiel"), ("Yantai", "Angers")},
        ),
        (
            "Ludwigsburg's partner towns are Montbéliard, Caerphilly and Kroměříž.",
            {("Ludwigsburg", "Montbéliard"), ("Ludwigsburg", "Caerphilly"), ("Ludwigsburg", "Kroměříž")},
        ),
        ("Jongno District of Seoul and Dongcheng District of Beijing signed a sister-district agreement.", {("Jongno District", "Dongcheng District")}),
    ],
)
def test_extract_pair_phrasings(gazetteer, text, expected):
    assert pairs_of(extract_one(text)) == {frozenset(p) for p in expected}


@pytest.mark.parametrize(
    "text",
    [
        "Minneapolis and Saint Paul, the Twin Cities, hosted the marathon on Sunday.",
        "The twin towers of Kuala Lumpur and the skyline of Dubai drew tourists.",
        "Her sister Anna moved from Leeds to Bristol last year.",
        "Sister Cities International, based in Washington, held its conference in Houston.",
        "China and Serbia celebrated their ironclad friendship as Xi visited Belgrade.",
        "Work on the highway twinning between Kamloops and Revelstoke resumed on Monday.",
    ],
)
def test_extract_ignores_lookalikes(gazetteer, text):
    assert extract_one(text).relations == []


@pytest.mark.parametrize(
    "text, event",
    [
        ("Lyon and Birmingham signed a twinning agreement on Monday.", "agreement"),
        ("Lyon and Birmingham signed a letter of intent to establish twinning.", "intent"),
        ("Lyon plans to sign a twinning agreement with Birmingham.", "proposal"),
        ("Lyon has yet to sign the twinning agreement with Birmingham.", "proposal"),
        ("Lyon and Birmingham marked the 20th anniversary of their twinning.", "anniversary"),
        ("Lyon suspended its twinning with Birmingham.", "suspension"),
        ("Lyon refused to suspend its twinning with Birmingham.", "mention"),
        ("Lyon terminated its twinning with Birmingham.", "termination"),
        ("A delegation from Lyon visited its twin city Birmingham.", "exchange"),
    ],
)
def test_extract_event_with_modality_and_negation(gazetteer, text, event):
    [relation] = extract_one(text).relations
    assert relation.event == event


@pytest.mark.parametrize(
    "text, pair, event, tier, established",
    [
        ("Tacoma City Council voted 7-2 on Tuesday to end its sister city relationship with Vladivostok.", ("Tacoma", "Vladivostok"), "termination", "sister", None),
        ("The twinning between Aix-en-Provence and Bath dates back to 1977.", ("Aix-en-Provence", "Bath"), "mention", "sister", 1977),
        ("CHANGSHA, Sept. 3 (Xinhua) -- Changsha and Kimhae of the Republic of Korea celebrated the 20th anniversary of their sister-city relationship on Friday.", ("Changsha", "Kimhae"), "anniversary", "sister", 2004),
        ("The signing ceremony for the establishment of friendly exchange relations between Zhangjiajie and Sintra, Portugal was held online on June 18.", ("Zhangjiajie", "Sintra"), "agreement", "friendly", None),
    ],
)
def test_extract_wire_and_council_phrasings(gazetteer, text, pair, event, tier, established):
    [relation] = extract_one(text, published=dt.date(2024, 9, 9)).relations
    assert {relation.a.name, relation.b.name} == set(pair)
    assert (relation.tier, relation.established) == (tier, established)
    if event != "mention":
        assert relation.event == event


def test_extract_dates_and_establishment_from_anniversary(gazetteer):
    text = "Binzhou held an online meeting with Goyang on Dec 6 marking the 25th anniversary of their sister city relationship."
    [relation] = extract_one(text, published=dt.date(2021, 12, 16)).relations
    assert (relation.event, relation.event_date, relation.established) == ("anniversary", "2021-12-06", 1996)


def test_extract_without_publication_date_keeps_month_and_day(gazetteer):
    [relation] = extract_one("On November 15, Bor and Longyan signed a letter of intent to establish twinning.").relations
    assert relation.event_date == "--11-15"


def test_extract_friendship_city_is_friendly_unless_the_article_means_sister_city(gazetteer):
    [relation] = extract_one("Fukuoka and Busan signed a friendly exchange city agreement on Monday.").relations
    assert relation.tier == "friendly"


def test_extract_resolves_places_with_context(gazetteer):
    text = "Binzhou in East China's Shandong province celebrated 25 years as a sister city of Goyang, Gyeonggi province in South Korea."
    [relation] = extract_one(text).relations
    sides = {relation.a.name: relation.a for relation in [relation]} | {relation.b.name: relation.b}
    assert sides["Binzhou"].country == "CN" and sides["Binzhou"].admin1 == "Shandong"
    assert sides["Goyang"].country == "KR" and sides["Goyang"].geonameid is not None


def test_extract_keeps_a_relation_whose_side_does_not_resolve(gazetteer):
    # the resolve stage never drops a relation; (the learned scorer may doubt an unknown name,
    # so the grammar rules alone propose the pair here)
    from amity.extract import Extractor
    from amity.extract.scoring import PairScorer
    from amity.pipeline import Pipeline
    from amity.prefilter import prefilter
    from amity.resolve.stage import ResolveStage

    pipeline = Pipeline([("prefilter", prefilter), ("extract", Extractor(gazetteer, scorer=PairScorer.rules_only())), ("resolve", ResolveStage())])
    text = "Lyon signed a twinning agreement with the Vrelkovo District on 2 May 2022."
    [article] = extract_articles([Article(id="t", text=text)], pipeline)
    [relation] = article.relations
    unresolved = relation.a if relation.a.name.startswith("Vrelkovo") else relation.b
    assert unresolved.unresolved and unresolved.geonameid is None


def test_extract_national_claims(gazetteer):
    text = "So far, China has established more than 2,900 pairs of sister city relations with more than 140 countries."
    [claim] = extract_one(text).claims
    assert (claim.subject, claim.pairs_min, claim.countries_min) == ("CN", 2900, 140)


# -- corpora ---------------------------------------------------------------------------------


def test_seeds_match_gold(gazetteer):
    report = evaluate_files(require_shared("corpus/seeds.gold.jsonl"))
    assert report.pairs.f1 == 1.0, [r.to_dict() for r in report.results if not r.ok]
    for attribute in ("tier", "event", "event_date", "established"):
        assert report.attributes[attribute].accuracy == 1.0, attribute
    assert report.negative_relations == 0


def test_seed_000_officials_and_fields(gazetteer):
    from amity.evaluate import gold_articles, load_gold

    gold_path = require_shared("corpus/seeds.gold.jsonl")
    article = gold_articles(load_gold(gold_path)[:1], gold_path)
    [done] = extract_articles(article)
    [relation] = done.relations
    officials = {(o.name, o.role, o.of) for o in relation.officials}
    assert ("Aleksandar Milikić", "Mayor", "Bor") in officials
    assert ("Jian Hongkun", "Deputy Mayor", "Longyan") in officials
    assert {"economy", "science", "technology", "culture", "industry", "infrastructure"} <= set(relation.fields)
    assert "Zijin Mining Group" in relation.organizations


# The foundation issue's targets on our own fixture corpus.
FIXTURE_F1_FLOOR = 0.95
FIXTURE_EVENT_FLOOR = 0.9


def test_fixture_corpus_scores(gazetteer):
    report = evaluate_files(FIXTURES / "extraction/gold.jsonl", articles_path=FIXTURES / "extraction/articles.jsonl")
    assert report.pairs.f1 >= FIXTURE_F1_FLOOR
    assert report.attributes["event"].accuracy >= FIXTURE_EVENT_FLOOR


# Corpora written independently of the rules: the held-out set (studied for error categories
# after its first score, 0.571) and the blind set (scored, never studied: first score 0.8125).
# These floors guard against regressions; they are not targets.
@pytest.mark.parametrize("corpus, f1_floor", [("heldout", 0.72), ("blind", 0.78)])
def test_independent_corpora_do_not_regress(gazetteer, corpus, f1_floor):
    report = evaluate_files(FIXTURES / corpus / "gold.jsonl", articles_path=FIXTURES / corpus / "articles.jsonl")
    assert report.pairs.f1 >= f1_floor

import json

import pytest

from amity.prefilter import find_triggers, prefilter, relation_triggers
from amity.types import Article
from shared_paths import FIXTURES, require_shared


@pytest.mark.parametrize(
    "text, term",
    [
        ("Lyon and Birmingham are sister cities.", "sister cities"),
        ("the sister-city agreement was signed", "sister city"),
        ("Hanover's twin town Bristol", "twin town"),
        ("a letter of intent to establish twinning", "twinning"),
        ("Suifenhe became a friendship city of Pogranichny", "friendship city"),
        ("a friendly exchange city relationship", "friendly exchange city"),
        ("Kiel, twinned with Vaasa since 1967", "twinned"),
        ("the town partnership with Rennes", "town partnership"),
        ("they agreed to set up friendly and cooperative ties", "friendly and cooperative ties"),
        ("the county formed a friendship affiliation with Norland", "friendship affiliation"),
        ("it concluded a friendly exchange agreement with the prefecture", "friendly exchange agreement"),
        ("the city suspended its official friendship ties with Kestrel", "friendship ties"),
        ("a formal friendship relationship with a city abroad", "friendship relationship"),
        ('a "Letter of Intent on Friendship and Cooperation"', "intent on friendship"),
        ("Amberley and Kestrel became sister villages", "sister villages"),
        ("its partner province in the north", "partner province"),
        ("the status of international exchange cities", "exchange cities"),
        ("the two sister-states signed a pact", "sister states"),
        ("the Amberley-Kestrel sisterhood is fifty years old", "sisterhood"),
        ("two Sister City\nrelationships were approved", "sister city"),
    ],
)
def test_prefilter_finds_relation_vocabulary(text, term):
    assert term in [t for _, _, t in find_triggers(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Her sister Anna flew to Paris.",
        "The sister ship sailed from Southampton.",
        "The twin towers dominated the skyline.",
        "China and Serbia celebrated their ironclad friendship.",
        "Leeds signed a partnership with a software company.",
    ],
)
def test_prefilter_skips_text_without_relation_vocabulary(text):
    article = prefilter(Article(id="x", text=text))
    assert article.relevant is False
    assert article.trigger_hits == []


def test_prefilter_hit_offsets_point_at_the_words():
    text = "Bor and Longyan signed a Twinning deal."
    [(start, end, term)] = find_triggers(text)
    assert text[start:end] == "Twinning" and term == "twinning"


@pytest.mark.parametrize(
    "text",
    [
        "Minneapolis and Saint Paul, the Twin Cities, hosted the game.",
        "Sister Cities International held its conference in Houston.",
        "Models include Sister Cities\nInternational (SCI) and a standard response.",
        "The council joined SISTER CITIES INTERNATIONAL last year.",
        "Work on the highway twinning between Kamloops and Revelstoke resumed.",
        'The network premiered "Sister Cities", a drama about four estranged sisters.',
    ],
)
def test_relation_triggers_drop_names_and_road_works(text):
    assert find_triggers(text)  # the prefilter still lets them through (recall first)
    assert relation_triggers(text) == []


def test_sister_ports_are_no_relation():
    """Port authorities sign "sister port" agreements: relation vocabulary with tier none."""
    from amity.prefilter import trigger_tiers

    assert trigger_tiers()["sister port"] == "none"
    assert find_triggers("The port authority signed a sister port agreement with Haikou.")


def test_twin_cities_programme_is_relation_vocabulary():
    """Malaysia and Indonesia call their twinning scheme "the Twin Cities programme"."""
    text = "The Twin Cities programme links Amberley with Kestrel."
    assert [t for _, _, t in relation_triggers(text)] == ["twin cities"]


def test_prefilter_recall_on_every_positive_article():
    """Every gold article with a relation passes the prefilter (seeds and our fixtures)."""
    from amity.ingest import read_article_file

    gold = [json.loads(line) for line in require_shared("corpus/seeds.gold.jsonl").read_text().splitlines()]
    seeds = require_shared("corpus")
    for record in gold:
        if record["relations"]:
            [article] = read_article_file(seeds / record["file"])
            assert prefilter(article).relevant, record["id"]
    fixtures = {json.loads(line)["id"]: json.loads(line) for line in (FIXTURES / "extraction/articles.jsonl").read_text().splitlines()}
    for line in (FIXTURES / "extraction/gold.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record["relations"]:
            item = fixtures[record["id"]]
            assert prefilter(Article(id=item["id"], title=item["title"], text=item["text"])).relevant, record["id"]


def test_bbc_stream_yields_no_relation(gazetteer):
    """2,225 BBC articles from 2004-5 hold no twinning news: almost none pass the prefilter
    (one speaks of a company's "partnership agreement") and none yields a relation."""
    from amity.ingest import read_articles
    from amity.pipeline import extract_articles

    articles = list(extract_articles(read_articles([require_shared("corpus/bbc/bbc-2225.jsonl")])))
    assert len(articles) == 2225
    assert sum(bool(a.relevant) for a in articles) <= 5
    assert [a.id for a in articles if a.relations] == []
    assert [str(e) for a in articles for e in a.errors] == []


def test_prefilter_recall_on_news_dev():
    """Real news: every news-dev article with gold relations passes the prefilter (nd-b44
    says only that the two cities "were paired": the phrase is a trigger, bare "paired" is
    not, being common in sport and television)."""
    from amity.ingest import read_articles

    folder = require_shared("corpus/news-dev")
    gold = {
        record["id"]: record
        for record in map(json.loads, (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines())
    }
    missed = [
        article.id
        for article in read_articles([folder / "articles.jsonl"])
        if gold[article.id]["relations"] and not prefilter(article).relevant
    ]
    assert missed == []


def test_every_trigger_term_is_found_past_the_cheap_anchor_test():
    """find_triggers skips the automaton when the text holds no anchor word: every term, in
    its own sentence, must still be found (a term without an anchor would be missed)."""
    from amity.prefilter import trigger_tiers

    for term in trigger_tiers():
        text = f"Officials said the {term} was discussed."
        assert any(found == term for _, _, found in find_triggers(text)), term

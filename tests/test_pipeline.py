"""The stage runner: failures stay with their article, the batch goes on."""

from amity.pipeline import LazyStage, Pipeline, extract_articles
from amity.prefilter import prefilter
from amity.types import Article


def test_pipeline_records_a_failing_stage_and_goes_on():
    def explode(article: Article) -> Article:
        if "boom" in article.text:
            raise ValueError("bad input here")
        article.title = "seen"
        return article

    pipeline = Pipeline([("prefilter", prefilter), ("explode", explode)])
    articles = [
        Article(id="a", text="Lyon and Birmingham are twin cities.", source="a.txt"),
        Article(id="b", text="boom: a sister city story", source="b.txt"),
        Article(id="c", text="Kiel is twinned with Vaasa.", source="c.txt"),
    ]
    done = list(pipeline.pipe(articles))
    assert [a.title for a in done] == ["seen", None, "seen"]
    [error] = done[1].errors
    assert (error.stage, error.source) == ("explode", "b.txt") and "bad input here" in error.message


def test_pipeline_stops_irrelevant_articles_before_later_stages():
    calls = []
    pipeline = Pipeline([("prefilter", prefilter), ("later", lambda a: calls.append(a.id) or a)])
    list(pipeline.pipe([Article(id="x", text="The markets rose on Tuesday.")]))
    assert calls == []


def test_lazy_stage_builds_once():
    built = []

    def factory():
        built.append(1)
        return lambda article: article

    stage = LazyStage(factory)
    stage(Article(id="1", text=""))
    stage(Article(id="2", text=""))
    assert built == [1]


def test_a_huge_relevant_article_does_not_stop_the_batch(gazetteer):
    huge = "Lyon and Birmingham are twin cities. " * 40_000  # one 1.5 MB paragraph
    articles = [
        Article(id="before", text="Kiel and Vaasa signed a twinning agreement on 3 May 2021."),
        Article(id="huge", text=huge, source="huge.txt"),
        Article(id="after", text="Qingdao and Kiel marked the 20th anniversary of their sister city ties."),
    ]
    done = {a.id: a for a in extract_articles(articles)}
    assert done["before"].relations and done["after"].relations
    huge_article = done["huge"]
    assert huge_article.relations or huge_article.errors  # either read or reported, never lost
    for error in huge_article.errors:
        assert error.source == "huge.txt"


def test_remembered_gazetteer_answers_are_the_gazetteers_own(gazetteer):
    """The look-up cache shared by the place ruler, the extractor and the resolver gives the
    gazetteer's answers, hands out copies (a caller cannot alter a remembered list), and
    answers a repeated question from memory."""
    from amity.extract.lookup_cache import CachedGazetteer, cached

    remembered = CachedGazetteer(gazetteer)
    questions = ["Longyan", "Bor", "Pusan", "Kuopio", "Nowhereville Qqq", "China"]
    for name in questions * 2:
        assert remembered.lookup(name) == gazetteer.lookup(name)
        assert remembered.lookup(name, fuzzy=False) == gazetteer.lookup(name, fuzzy=False)
        assert remembered.is_place_name(name) == gazetteer.is_place_name(name)
        assert remembered.country_code(name) == gazetteer.country_code(name)
    first = remembered.lookup("Longyan")
    first.clear()
    assert remembered.lookup("Longyan") == gazetteer.lookup("Longyan") != []
    info = remembered.cache_info()["lookup"]
    assert info.hits >= len(questions) and info.misses == 2 * len(questions)
    assert remembered.name_count == gazetteer.name_count  # everything else passes through
    assert cached(remembered) is remembered

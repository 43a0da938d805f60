"""The stage runner: ordered (name, stage) pairs over one Article at a time.

A stage takes an Article and returns it. A failing stage records a StageError on the article
and stops that article; the batch goes on. An article that a stage marks irrelevant
(`article.relevant = False`, as the prefilter does) stops there, which is what keeps the cost
of irrelevant news near zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from amity.types import Article, StageError

Stage = Callable[[Article], Article]


class LazyStage:
    """A stage built on first use: spaCy and the gazetteer load only if an article needs them."""

    def __init__(self, factory: Callable[[], Stage]):
        self.factory = factory
        self._stage: Stage | None = None

    def __call__(self, article: Article) -> Article:
        if self._stage is None:
            self._stage = self.factory()
        return self._stage(article)


class Pipeline:
    def __init__(self, stages: list[tuple[str, Stage]]):
        self.stages = stages

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def __call__(self, article: Article) -> Article:
        if article.errors and not article.text:  # ingest could not read it
            return article
        for name, stage in self.stages:
            try:
                result = stage(article)
            except Exception as error:  # one bad article must not stop the batch
                article.errors.append(StageError(name, article.source or article.id, f"{type(error).__name__}: {error}"))
                return article
            if not isinstance(result, Article):
                raise TypeError(f"stage {name!r} returned {type(result).__name__}, not Article")
            article = result
            if article.relevant is False:  # a stage found nothing for the later ones to do
                return article
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self(article)


def _extract_stage() -> Stage:
    from amity.extract import Extractor

    return Extractor()


def _resolve_stage() -> Stage:
    from amity.extract.lookup_cache import shared_resolution_gazetteer
    from amity.resolve.resolver import Resolver
    from amity.resolve.stage import ResolveStage

    return ResolveStage(Resolver(shared_resolution_gazetteer()))  # type: ignore[arg-type]


def load_models() -> None:
    """Load now what the English extract and the resolve stages load on the first relevant
    article: spaCy with the place ruler, the gazetteer views, the known pairs and
    the language identifier (`amity.worker_models` does it once for all workers)."""
    from amity.extract.lookup_cache import shared_resolution_gazetteer
    from amity.extract.nlp import load_nlp
    from amity.gazetteer.knowledge import load_knowledge
    from amity.languages.detect import warm_identifier

    nlp = load_nlp()
    list(nlp.pipe(["Bor and Longyan signed a letter of intent to become sister cities."]))
    shared_resolution_gazetteer()
    load_knowledge()
    warm_identifier()


def default_pipeline(lang: str = "auto") -> Pipeline:
    """prefilter -> extract -> resolve; `lang` "auto" reads each article in its own language
    (English or one of amity.languages.SUPPORTED), "en" or "zh" ... forces one."""
    from amity.languages.routing import LanguageRouter

    router = LanguageRouter(lang)
    return Pipeline(
        [
            ("prefilter", router.prefilter),
            ("extract", LazyStage(router.extractor)),
            ("resolve", LazyStage(_resolve_stage)),
        ]
    )


def extract_articles(articles: Iterable[Article], pipeline: Pipeline | None = None) -> Iterator[Article]:
    """Run the pipeline over articles, yielding each with relations, claims and errors.

    Example: for article in extract_articles(read_articles(["news/"])): print(article.to_json())
    """
    return (pipeline or default_pipeline()).pipe(articles)

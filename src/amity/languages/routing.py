"""Which extractor reads an article: English (amity.extract) or the multilingual one.

`LanguageRouter(lang)` gives the pipeline its prefilter and extract stages. With
lang="auto" an article that ingest guessed English goes the English way untouched (so
English output is byte for byte what it was); any other is identified
(amity.languages.detect): one of the ten languages goes to MultilingualExtractor, English
or an uncertain guess to the English extractor, and a language amity does not read gets a
note on the article and no relations, never an error. lang="en" or "zh" ... forces one.
"""

from __future__ import annotations

from amity.languages.detect import SUPPORTED, detect_language
from amity.prefilter import prefilter
from amity.types import Article

MIN_CONFIDENCE = 0.9  # py3langid's probability below which an article is read as English
MIN_LETTERS = 200  # shorter texts are too short to tell apart reliably


def choose_language(article: Article, lang: str = "auto") -> str:
    """"en", one of SUPPORTED, or "xx?" (an identified language amity does not read)."""
    if lang != "auto":
        return lang
    if article.language == "en":
        return "en"
    text = article.full_text
    detected = detect_language(text)
    if detected.language in SUPPORTED and (detected.confidence >= MIN_CONFIDENCE or detected.confidence == 1.0):
        return detected.language
    if detected.language in ("en", "und") or detected.confidence < MIN_CONFIDENCE:
        return "en"
    if sum(c.isalpha() for c in text[:2000]) < MIN_LETTERS:
        return "en"
    return f"{detected.language}?"


def unsupported_note(code: str) -> str:
    return (
        f"language {code.rstrip('?')!r} is not read by amity (it reads en, {', '.join(SUPPORTED)}): "
        "no relations extracted; `amity extract --lang en` reads it as English"
    )


class LanguageRouter:
    """The prefilter and extract stages for `lang` ("auto", "en" or one of SUPPORTED)."""

    def __init__(self, lang: str = "auto"):
        if lang not in ("auto", "en", *SUPPORTED):
            raise ValueError(f"unknown language {lang!r}: use auto, en or one of {', '.join(SUPPORTED)}")
        self.lang = lang

    def prefilter(self, article: Article) -> Article:
        chosen = choose_language(article, self.lang)
        if chosen == "en":
            return prefilter(article)
        if chosen.endswith("?"):
            article.language = chosen.rstrip("?")
            article.notes.append(unsupported_note(chosen))
            article.relevant = False
            return article
        article.language = chosen
        return multilingual_prefilter(article)

    def extractor(self):
        """The extract stage (built lazily by the pipeline)."""
        return RoutedExtractor(self)


def multilingual_prefilter(article: Article) -> Article:
    """Relevant when the text holds a relation word of its language's lexicon."""
    from amity.languages.lexicon import load_lexicon

    lexicon = load_lexicon(article.language or "")
    lowered = article.full_text.casefold()
    article.relevant = any(term in lowered for term in lexicon.relation)
    return article


class RoutedExtractor:
    name = "extract"

    def __init__(self, router: LanguageRouter):
        self.router = router
        self._english = None
        self._multilingual = None

    def __call__(self, article: Article) -> Article:
        chosen = choose_language(article, self.router.lang)
        if chosen in SUPPORTED:
            if self._multilingual is None:
                from amity.languages.extractor import MultilingualExtractor

                self._multilingual = MultilingualExtractor()
            article.language = chosen
            return self._multilingual(article)
        if self._english is None:
            from amity.pipeline import _extract_stage  # the English stage as the pipeline builds it

            self._english = _extract_stage()
        return self._english(article)

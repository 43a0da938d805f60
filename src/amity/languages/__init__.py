"""Reading city-diplomacy news in ten more languages: zh, ko, ja, ru, uk, fr, es, de, it, pt.

Language identification (`detect`), per-language vocabularies as data files (`lexicon`:
data/lexicons/<lang>/), places from the gazetteer's native-script names (`places`), dates
(`dates`), sentences and parties (`reading`), pairing rules and description (`extractor`),
a learned pair scorer (`scoring`) and the choice of extractor per article (`routing`).
See docs/languages.md.

Example:
    >>> from amity.languages import detect_language
    >>> detect_language("Сергиев Посад и Вэйхай стали городами-побратимами").language  # doctest: +SKIP
    'ru'
"""

from amity.languages.detect import SUPPORTED, Detected, detect_language

__all__ = ["SUPPORTED", "Detected", "detect_language", "LanguageRouter", "MultilingualExtractor"]


def __getattr__(name: str):
    if name == "LanguageRouter":
        from amity.languages.routing import LanguageRouter

        return LanguageRouter
    if name == "MultilingualExtractor":
        from amity.languages.extractor import MultilingualExtractor

        return MultilingualExtractor
    raise AttributeError(name)

"""Language identification per article: script counts first, then py3langid.

Chinese, Japanese and Korean are told apart by their scripts (kana is Japanese, hangul
Korean, han alone Chinese), which no statistical model beats. Every other text goes to
py3langid (langid.py's model, shipped inside the wheel: no download), whose 97 languages
let an unsupported one be named rather than misread. Measured on news-ml: 64 of 64
(benchmarks/crossval_ml.py prints it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

SUPPORTED = ("zh", "ko", "ja", "ru", "uk", "fr", "es", "de", "it", "pt")
SAMPLE_CHARS = 5000  # the language of an article is settled in its first pages
# below this share of CJK letters a page is not a CJK article (a Chinese name in English news)
CJK_SHARE = 0.3


@dataclass(frozen=True)
class Detected:
    language: str  # ISO 639-1, or "und" when the text has no letters
    confidence: float  # 0..1; script-decided languages are 1.0


def detect_language(text: str) -> Detected:
    """The language of `text`.

    Example:
        >>> detect_language("长春市与韩国蔚山市缔结友好城市关系").language
        'zh'
    """
    sample = (text or "")[:SAMPLE_CHARS]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return Detected("und", 0.0)
    by_script = _cjk_language(letters)
    if by_script:
        return Detected(by_script, 1.0)
    language, probability = _identifier().classify(sample)
    return Detected(str(language), float(probability))


def _cjk_language(letters: list[str]) -> str | None:
    hangul = sum(1 for c in letters if "\uac00" <= c <= "\ud7af" or "\u1100" <= c <= "\u11ff")
    kana = sum(1 for c in letters if "\u3040" <= c <= "\u30ff")
    han = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    if (hangul + kana + han) / len(letters) <= CJK_SHARE:
        return None
    if hangul > 0.3 * (hangul + kana + han):
        return "ko"
    if kana > 0.05 * (kana + han):
        return "ja"
    return "zh"


def warm_identifier() -> None:
    """Load py3langid's model now (about 0.7 s) rather than on the first article it reads."""
    _identifier()


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

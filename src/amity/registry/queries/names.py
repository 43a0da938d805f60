"""How a searched name is compared: normalised (case, accents, punctuation), transliterated
to Latin letters when written in another script, and with "St"/"St."/"Saint" (and
"Ste"/"Sainte") as one word.

Example:
    >>> search_keys("St. Paul")
    ['saint paul', 'st paul']
    >>> search_keys("Москва")
    ['москва', 'moskva']
"""

from __future__ import annotations

from amity.registry.merge import normalise_name

# "st" is how "St." normalises; GeoNames writes both "Saint Paul" and "St. Paul"
_SAINTS = {"st": "saint", "ste": "sainte", "saint": "st", "sainte": "ste"}


def transliterate(text: str) -> str:
    """`text` in Latin letters (anyascii): "울산" -> "Ulsan", "ウルサン" -> "urusan"."""
    try:
        from anyascii import anyascii
    except ImportError:  # pragma: no cover - a dependency; without it only Latin names match
        return text
    return anyascii(text)


def search_keys(text: str) -> list[str]:
    """The normalised forms `text` is looked up under, the preferred first: as written, in
    Latin letters, and with St/Saint swapped (first word or any word)."""
    keys: list[str] = []
    for form in (normalise_name(text), normalise_name(transliterate(text))):
        if form and form not in keys:
            keys.append(form)
    for key in list(keys):
        words = key.split()
        swapped = " ".join(_SAINTS.get(w, w) for w in words)
        if swapped != key and swapped not in keys:
            # the canonical spelling ("saint") first: registry names are mostly written so
            keys.insert(keys.index(key) + (0 if words[0] in ("st", "ste") else 1), swapped)
    return keys

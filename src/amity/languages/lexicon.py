"""One language's vocabulary, read from data/lexicons/<lang>/lexicon.toml and countries.tsv.

A language is added by writing those two files (docs/languages.md); no code names a word.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files

# the English extractor's order of strength: the strongest event of a pair's sentences wins
EVENT_ORDER = ("termination", "suspension", "anniversary", "agreement", "intent", "proposal", "exchange")


@dataclass(frozen=True)
class Lexicon:
    language: str
    matching: str  # "chars" (CJK: substrings) or "stems" (word prefixes of lower-cased text)
    relation: dict[str, str]  # relation word -> tier (sister | friendly | ambiguous)
    exclusions: tuple[str, ...]
    events: dict[str, tuple[str, ...]]
    negation: tuple[str, ...]
    dates: dict
    anniversary: tuple[re.Pattern, ...]
    anniversary_not_before: tuple[str, ...]
    established: tuple[re.Pattern, ...]
    suffixes: tuple[str, ...]  # longest first
    coordinators: tuple[str, ...]
    both: tuple[str, ...]
    not_places: frozenset[str]
    countries: dict[str, str] = field(default_factory=dict)  # name as written -> ISO2
    country_adjectives: dict[str, str] = field(default_factory=dict)  # stem -> ISO2
    suffix_countries: dict[str, str] = field(default_factory=dict)  # 県 -> JP: unknown names
    city_words: tuple[str, ...] = ()  # words written before a town's name: "городом", "ville de"
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "s." -> ("São", ...)
    # a name right after one of these words is a building or a part of the town ("im Steinhaus",
    # "Stadtteil Gesundbrunnen"); right before one, the name of something else (奈良ホテル, 北京週報)
    not_after: frozenset[str] = frozenset()
    part_of_names: tuple[str, ...] = ()

    @property
    def cjk(self) -> bool:
        return self.matching == "chars"


def lexicon_dir(language: str):
    return files("amity.data").joinpath(f"lexicons/{language}")


def has_lexicon(language: str) -> bool:
    return lexicon_dir(language).joinpath("lexicon.toml").is_file()


@functools.cache
def load_lexicon(language: str) -> Lexicon:
    """The vocabulary of `language` (ISO 639-1); FileNotFoundError when amity does not read it."""
    folder = lexicon_dir(language)
    data = tomllib.loads(folder.joinpath("lexicon.toml").read_text(encoding="utf-8"))
    flags = re.IGNORECASE
    countries: dict[str, str] = {}
    table = folder.joinpath("countries.tsv")
    if table.is_file():
        for line in table.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                name, code = line.split("\t")
                countries[name] = code
    countries.update(data.get("countries", {}).get("extra", {}))
    places = data.get("places", {})
    anniversary = data.get("anniversary", {})
    return Lexicon(
        language=data["language"],
        matching=data.get("matching", "stems"),
        relation={k.casefold(): v for k, v in data["relation"].items()},
        exclusions=tuple(t.casefold() for t in data.get("exclusions", {}).get("terms", [])),
        events={e: tuple(w.casefold() for w in data.get("events", {}).get(e, [])) for e in EVENT_ORDER},
        negation=tuple(data.get("negation", {}).get("words", [])),
        dates=data.get("dates", {}),
        anniversary=tuple(re.compile(p, flags) for p in anniversary.get("patterns", [])),
        anniversary_not_before=tuple(anniversary.get("not_before", [])),
        established=tuple(re.compile(p, flags) for p in data.get("established", {}).get("patterns", [])),
        suffixes=tuple(sorted(places.get("suffixes", []), key=len, reverse=True)),
        coordinators=tuple(places.get("coordinators", [])),
        both=tuple(w.casefold() for w in places.get("both", [])),
        not_places=frozenset(w.casefold() for w in places.get("not_places", [])),
        countries=countries,
        country_adjectives=data.get("countries", {}).get("adjectives", {}),
        suffix_countries=places.get("suffix_countries", {}),
        city_words=tuple(w.casefold() for w in places.get("city_words", [])),
        abbreviations={k.casefold(): tuple(v) for k, v in places.get("abbreviations", {}).items()},
        not_after=frozenset(w.casefold() for w in places.get("not_after", [])),
        part_of_names=tuple(places.get("part_of_names", [])),
    )

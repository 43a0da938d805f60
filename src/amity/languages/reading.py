"""Reading an article in another language: sentences, relation words, places, parties.

No parser: sentences end at 。！？ (CJK) or . ! ? before a capital, and at line ends; a
sentence is a relation sentence when it holds a relation word of the lexicon and none of
its exclusions (姊妹学校: sister schools). Mentions of one place in several spellings
(台南/臺南, Умань/Умані, 杭州/杭州市) are one party: the same geonameid, else the same name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from amity.languages.lexicon import Lexicon
from amity.languages.places import _HANJA_GLOSS, Mention, PlaceFinder

_CJK_END = re.compile(r"[^。！？!?\n]+[。！？!?]*")
# a dot after one letter or a short title is an abbreviation ("S. Vicente", "м. Умань", "Dr. X")
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])(?:[^\W\d_]|dr|st|sr|sra|prof|av|gen|пр|вул|ул)\.$", re.IGNORECASE)
_ALPHA_END = re.compile(r"[^\n]+?(?:[.!?…]+(?=\s+[\"«„“(]?[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ0-9])|$)", re.MULTILINE)


@dataclass
class Party:
    key: str  # identity within the article
    names: Counter = field(default_factory=Counter)  # name as written (no suffix) -> mentions
    mentions: list[Mention] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0]

    @property
    def best(self) -> Mention:
        """The most informative mention: a stated country, a known place."""
        return max(self.mentions, key=lambda m: (m.qualified, m.known, len(m.text)))


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    title: bool
    parties: list[str] = field(default_factory=list)  # party keys in text order (with repeats)
    places: list[Mention] = field(default_factory=list)
    tiers: list[tuple[int, str]] = field(default_factory=list)  # (offset in sentence, tier)
    excluded: bool = False

    @property
    def relation(self) -> bool:
        return bool(self.tiers) and not self.excluded


@dataclass
class Reading:
    text: str
    lexicon: Lexicon
    sentences: list[Sentence]
    parties: dict[str, Party]
    countries: Counter  # ISO2 -> mentions
    url: str | None = None
    mentions: list[Mention] = field(default_factory=list)  # every mention, countries too
    memo: dict = field(default_factory=dict, repr=False)  # values derived once per article

    def host(self) -> str | None:
        """The story's own place: named in the title, else in the page's address
        (www.bautzen.de), else the most named."""
        return self.host_and_source()[0]

    def host_and_source(self) -> tuple[str | None, str | None]:
        """The host and where it was read: "title", "url" or "count" (the most named)."""
        for sentence in self.sentences:
            if sentence.title and sentence.parties:
                # a name the gazetteer lacks is no better than a known one the title also names
                # ("Delegação dos Açores firma parceria com Florianópolis")
                known = [k for k in sentence.parties if k.startswith("gn:")]
                return (known or sentence.parties)[0], "title"
        if self.url:
            address = _ascii_key(self.url)
            for key, party in self.parties.items():
                names = {_ascii_key(n) for n in party.names} | {_ascii_key(c.name) for m in party.mentions for c in m.candidates[:1]}
                if any(len(n) >= 4 and n in address for n in names):
                    return key, "url"
        counts = Counter(k for s in self.sentences for k in s.parties)
        return (counts.most_common(1)[0][0], "count") if counts else (None, None)


def _ascii_key(text: str) -> str:
    from anyascii import anyascii

    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def read(text: str, title_length: int, lexicon: Lexicon, finder: PlaceFinder, url: str | None = None) -> Reading:
    mentions = finder.find(text, url)
    sentences = _sentences(text, title_length, lexicon)
    parties: dict[str, Party] = {}
    countries: Counter = Counter()
    qualifiers = _qualifiers(mentions, text) | _addresses(mentions, text)
    for index, mention in enumerate(mentions):
        if mention.is_country:
            countries[mention.country] += 1
            continue
        if index in qualifiers:
            continue
        key = _party_key(mention)
        party = parties.setdefault(key, Party(key))
        party.names[mention.name] += 1
        party.mentions.append(mention)
        sentence = _sentence_at(sentences, mention.start)
        if sentence is not None:
            sentence.parties.append(key)
            sentence.places.append(mention)
    return Reading(text, lexicon, sentences, parties, countries, url, mentions)


def _party_key(mention: Mention) -> str:
    if mention.geonameid is not None:
        return f"gn:{mention.geonameid}"
    return f"{mention.name.casefold()}|{mention.country or ''}"


def _qualifiers(mentions: list[Mention], text: str) -> set[int]:
    """Provinces written right before one of their places (경기도 용인시, 黑龙江省大庆市) or
    after one with a comma (San Sebastián de los Reyes, Madrid): qualifiers, not parties."""
    out: set[int] = set()
    for index in range(len(mentions) - 1):
        this, following = mentions[index], mentions[index + 1]
        if _region_after(this, following, text):
            out.add(index + 1)
            continue
        if this.is_country or not (this.kind in ("province", "region") or (this.kind == "city" and following.kind == "district")):
            continue
        gap = _HANJA_GLOSS.sub("", text[this.end : following.start])  # 지린 성(吉林省) 허룽시
        if len(gap) <= 1 and not gap.strip() and not following.is_country:
            out.add(index)
    return out


def _region_after(place: Mention, following: Mention, text: str) -> bool:
    """"San Sebastián de los Reyes, Madrid": the region the place lies in, after a comma,
    locates it and is no party."""
    if place.is_country or following.is_country or not place.admin1:
        return False
    if text[place.end : following.start].strip() != "," or following.start - place.end > 3:
        return False
    return any(c.kind == "province" and c.name == place.admin1 and c.country == place.country for c in following.candidates)


def _addresses(mentions: list[Mention], text: str) -> set[int]:
    """Places in brackets that open with a province: where something is, not parties
    (浜名湖(静岡県浜松市・湖西市): the lake's address)."""
    out: set[int] = set()
    for match in re.finditer(r"[(（]([^()（）]{2,40})[)）]", text):
        inside = [i for i, m in enumerate(mentions) if match.start(1) <= m.start and m.end <= match.end(1)]
        if inside and mentions[inside[0]].start == match.start(1) and mentions[inside[0]].kind in ("province", "region"):
            out.update(inside)
    return out


def _sentences(text: str, title_length: int, lexicon: Lexicon) -> list[Sentence]:
    splitter = _CJK_END if lexicon.cjk else _ALPHA_END
    spans: list[list[int]] = []
    for match in splitter.finditer(text):
        gap = text[spans[-1][1] : match.start()] if spans else "\n"
        if not lexicon.cjk and not gap.strip() and "\n" not in gap and _ABBREVIATION_END.search(text, max(0, spans[-1][1] - 8), spans[-1][1]):
            spans[-1][1] = match.end()  # "S. João da Madeira", "м. Кельце": no sentence ends there
        else:
            spans.append([match.start(), match.end()])
    sentences: list[Sentence] = []
    for start, end in spans:
        body = text[start:end]
        if not body.strip():
            continue
        sentence = Sentence(len(sentences), start, end, body, start < title_length)
        lowered = body.casefold()
        for term, tier in lexicon.relation.items():
            for found in _occurrences(lowered, term, lexicon):
                sentence.tiers.append((found, tier))
        sentence.excluded = any(term in lowered for term in lexicon.exclusions)
        sentences.append(sentence)
    return sentences


def _occurrences(lowered: str, term: str, lexicon: Lexicon) -> list[int]:
    if lexicon.cjk:
        return [m.start() for m in re.finditer(re.escape(term), lowered)]
    # stems: the term starts a word
    return [m.start() for m in re.finditer(r"(?<![^\W\d_])" + re.escape(term), lowered)]


def _sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None

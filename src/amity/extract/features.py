"""Features of a candidate pair, for the learned pair scorer.

Reads: a `PairRecord` (its two parties, the generators that proposed it, the sentences that
state it), the `Reading` and the article's hosts, the gazetteer and the knowledge index.
Writes: a flat `{name: float}` dict; `FEATURES` fixes the order the model sees. Each group
answers one question (docs/stages.md lists them all):

- how was it found: one flag per generator, and how many generators agree;
- how close are the two: token gap, a relation word between or beside them, what joins
  them ("and", a comma, "with"), how many other places the sentence holds, brackets;
- whose story is it: is either side the host, how often each side is named, in the title;
- is each side a place at all: gazetteer match and population, how common the word is,
  its kind (city, district, province), a venue ("in X") or locator ("west of X");
- could they be twins: same country, one inside the other, the pair already known to a
  reference registry (the knowledge prior) and how many known twins each side has.
"""

from __future__ import annotations

import functools
import math
import re

from wordfreq import zipf_frequency

from amity.extract.candidates import RULES, WIDE_CONFIDENCE, Candidates, PairRecord, nested
from amity.extract.places import Party
from amity.extract.reading import Reading, Sentence
from amity.gazetteer.index import Gazetteer
from amity.gazetteer.knowledge import KnowledgeIndex

_YEAR_IN_BRACKETS = re.compile(r"\((?:since |from |est\.? )?(?:19|20)\d\d\)")
_KINDS = ("city", "district", "county", "province", "region")
_MATCHES = ("name", "alternate", "variant", "fuzzy")
_JOINS = ("and", "comma", "with", "other", "far")

FEATURES: tuple[str, ...] = (
    *(f"rule_{r}" for r in RULES),
    "precise_rules",
    "wide_only",
    "stated_sentences",
    "context_sentences",
    "tier_sentences",
    "relation_distance",
    "short_line",
    "year_in_brackets",
    "min_gap",
    "trigger_between",
    "trigger_distance",
    *(f"join_{j}" for j in _JOINS),
    "places_in_sentence",
    "bracketed",
    "host_side",
    "both_hosts",
    "primary_host",
    "host_in_relation_sentence",
    "partner_mentions",
    "place_density",
    "list_punctuation",
    "title_both",
    "first_sentence",
    "mentions_min",
    "mentions_max",
    "mention_share_min",
    *(f"kind_{k}" for k in _KINDS),
    "province_side",
    "venue_side",
    "locator_side",
    "matched_both",
    *(f"match_{m}" for m in _MATCHES),
    "log_population_min",
    "log_population_max",
    "zipf_max",
    "qualified_sides",
    "same_country",
    "contained",
    "places_a_party",
    "known_pair",
    "log_degree_min",
    "log_degree_max",
)


@functools.cache
def _zipf(word: str) -> float:
    return zipf_frequency(word.lower(), "en")


class FeatureMaker:
    """One per article: counts and lookups shared by all its candidates."""

    def __init__(self, reading: Reading, found: Candidates, gazetteer: Gazetteer, knowledge: KnowledgeIndex):
        self.reading = reading
        self.found = found
        self.gazetteer = gazetteer
        self.knowledge = knowledge
        self.mentions: dict[str, int] = {}
        for sentence in reading.sentences:
            for party in sentence.parties:
                key = party.name.casefold()
                self.mentions[key] = self.mentions.get(key, 0) + 1
        self.total_mentions = max(1, sum(self.mentions.values()))
        title = reading.sentences[0] if reading.sentences and reading.sentences[0].paragraph == 0 else None
        self.title_names = {p.name.casefold() for p in title.parties} if title else set()
        self.hosts = {h.name.casefold() for h in found.hosts}
        # sentences since the last sentence with a relation word (0: it has one itself)
        self.since_relation = []
        last = None
        for sentence in reading.sentences:
            if sentence.relation_tiers:
                last = sentence.index
            self.since_relation.append(sentence.index - last if last is not None else 99)

        self._lookups: dict[str, tuple] = {}

    def lookup(self, party: Party):
        key = party.name
        if key not in self._lookups:
            found = self.gazetteer.lookup(key, party.country, fuzzy=False) if key else []
            if not found and party.text != key:
                found = self.gazetteer.lookup(party.text, party.country, fuzzy=False)
            self._lookups[key] = tuple(found[:5])
        return self._lookups[key]

    def _places_a_party(self, record: PairRecord, a_key: str, b_key: str) -> bool:
        """A side the text gives as where another party lies ("Fengdu County in China's
        Chongqing ... with Guanajuato"): it locates the party, it is not the partner."""
        for index in record.sentences:
            for party in self.reading.sentences[index].parties:
                if party.name.casefold() in (a_key, b_key):
                    continue
                if {(party.parent or "").casefold(), (party.admin1 or "").casefold()} & {a_key, b_key}:
                    return True
        return False

    def features(self, record: PairRecord) -> dict[str, float]:
        f: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
        for rule in record.rules:
            f[f"rule_{rule}"] = 1.0
        precise = record.rules - set(WIDE_CONFIDENCE)
        f["precise_rules"] = len(precise)
        f["wide_only"] = float(not precise)
        f["stated_sentences"] = len(record.sentences)
        f["context_sentences"] = len(record.context)
        a_key, b_key = record.a.name.casefold(), record.b.name.casefold()
        self._sentence_features(record, f, a_key, b_key)
        f["host_side"] = float(a_key in self.hosts or b_key in self.hosts)
        primary = self.found.host.name.casefold() if self.found.host is not None else None
        f["primary_host"] = float(primary in (a_key, b_key))
        host_key = a_key if a_key in self.hosts else b_key if b_key in self.hosts else None
        if host_key is not None:
            partner = b_key if host_key == a_key else a_key
            f["partner_mentions"] = self.mentions.get(partner, 0)
            f["host_in_relation_sentence"] = float(self._host_named_before(host_key, record))
        else:
            f["partner_mentions"] = min(self.mentions.get(a_key, 0), self.mentions.get(b_key, 0))
        f["both_hosts"] = float(a_key in self.hosts and b_key in self.hosts)
        f["title_both"] = float(a_key in self.title_names and b_key in self.title_names)
        first = min(record.sentences | {10**6})
        f["first_sentence"] = first / max(1, len(self.reading.sentences))
        ma, mb = self.mentions.get(a_key, 0), self.mentions.get(b_key, 0)
        f["mentions_min"], f["mentions_max"] = min(ma, mb), max(ma, mb)
        f["mention_share_min"] = min(ma, mb) / self.total_mentions
        for party in (record.a, record.b):
            if party.kind in _KINDS:
                f[f"kind_{party.kind}"] += 1
        f["province_side"] = float("province" in (record.a.kind, record.b.kind))
        f["venue_side"] = float(record.a.venue or record.b.venue)
        f["locator_side"] = float(record.a.locator or record.b.locator)
        f["qualified_sides"] = float((record.a.qualifiers > 0) + (record.b.qualifiers > 0))
        self._gazetteer_features(record, f)
        return f

    def _host_named_before(self, host_key: str, record: PairRecord) -> bool:
        """The host is named in (or is the subject of) the relation sentence that governs the
        pair's sentence: "Boise has three Sister Cities: ..." """
        first = min(record.sentences | {10**6})
        for sentence in reversed(self.reading.sentences[: first + 1]):
            if sentence.relation_tiers:
                return any(p.name.casefold() == host_key for p in sentence.parties) or host_key in sentence.text.casefold()
        return False

    def _sentence_features(self, record: PairRecord, f: dict[str, float], a_key: str, b_key: str) -> None:
        gaps, distances = [], []
        best_join = "far"
        places = 0
        f["relation_distance"] = math.log1p(min(self.since_relation[i] for i in record.sentences)) if record.sentences else 5.0
        for index in sorted(record.sentences):
            sentence = self.reading.sentences[index]
            if len(sentence.span) <= 14 and sentence.span.start == 0:
                f["short_line"] = 1.0
            if _YEAR_IN_BRACKETS.search(sentence.text):
                f["year_in_brackets"] = 1.0
            f["place_density"] = max(f["place_density"], _place_density(sentence))
            tokens = max(1, len(sentence.span))
            punctuation = sum(1 for t in sentence.span if t.text in (",", ";", "(", ")", "•", "·", "-"))
            f["list_punctuation"] = max(f["list_punctuation"], punctuation / tokens)
        for index in sorted(record.sentences | record.context):
            sentence = self.reading.sentences[index]
            if sentence.relation_tiers:
                f["tier_sentences"] += 1
            a_party = _party_named(sentence, a_key)
            b_party = _party_named(sentence, b_key)
            if a_party is None or b_party is None:
                continue
            left, right = sorted((a_party, b_party), key=lambda p: p.start)
            gap = max(0, right.start - left.qualifier_end)
            gaps.append(gap)
            places = max(places, len(sentence.parties))
            triggers = sentence.trigger_tokens()
            if any(left.end <= t_start and t_end <= right.start for t_start, t_end in triggers):
                f["trigger_between"] = 1.0
            for t_start, t_end in triggers:
                distances.append(min(abs(t_start - left.end), abs(right.start - t_end), abs(t_start - right.end)))
            join = _join(sentence, left, right)
            if _JOINS.index(join) < _JOINS.index(best_join):
                best_join = join
            doc = sentence.span.doc
            if any(t.text in ("(", "[") for t in doc[max(sentence.span.start, right.start - 2) : right.start]):
                f["bracketed"] = 1.0
        f["min_gap"] = math.log1p(min(gaps)) if gaps else 5.0
        f["trigger_distance"] = math.log1p(min(distances)) if distances else 5.0
        f[f"join_{best_join}"] = 1.0
        f["places_in_sentence"] = places

    def _gazetteer_features(self, record: PairRecord, f: dict[str, float]) -> None:
        populations, zipfs, countries = [], [], []
        matched = 0
        for party in (record.a, record.b):
            found = self.lookup(party)
            if found:
                matched += 1
                best = found[0]
                if best.match in _MATCHES:
                    f[f"match_{best.match}"] += 1
                else:
                    f["match_name"] += 1
                populations.append(math.log10(1 + max(c.population for c in found)))
                countries.append({party.country} if party.country else {c.country for c in found[:3]})
            else:
                populations.append(0.0)
                countries.append({party.country} if party.country else set())
            words = party.name.split()
            zipfs.append(_zipf(words[0]) if len(words) == 1 else 0.0)
        f["matched_both"] = float(matched == 2)
        f["log_population_min"], f["log_population_max"] = min(populations), max(populations)
        f["zipf_max"] = max(zipfs)
        a_countries, b_countries = countries
        f["same_country"] = float(bool(a_countries) and a_countries == b_countries and len(a_countries) == 1)
        f["contained"] = float(
            nested(record.a, record.b) or _contained(record.a, record.b, self) or _contained(record.b, record.a, self)
        )
        f["places_a_party"] = float(self._places_a_party(record, record.a.name.casefold(), record.b.name.casefold()))
        f["known_pair"] = float(self.knowledge.known(record.a.name, record.b.name) or self.knowledge.known(record.a.text, record.b.text))
        degrees = [math.log1p(self.knowledge.degree(p.name)) for p in (record.a, record.b)]
        f["log_degree_min"], f["log_degree_max"] = min(degrees), max(degrees)


def _place_density(sentence: Sentence) -> float:
    """The share of a sentence's words that are places, countries or years: a partner list."""
    doc = sentence.span.doc
    taken = {i for s in doc.spans.get("amity_places", []) if sentence.span.start <= s.start < sentence.span.end for i in range(s.start, s.end)}
    words = [t for t in sentence.span if not t.is_punct]
    if not words:
        return 0.0
    inside = sum(1 for t in words if t.i in taken or (t.like_num and len(t.text) == 4))
    return inside / len(words)


def _party_named(sentence: Sentence, key: str) -> Party | None:
    return next((p for p in sentence.parties if p.name.casefold() == key), None)


def _join(sentence: Sentence, left: Party, right: Party) -> str:
    """What stands between two places: "and", a comma, "with", other words or too much."""
    doc = sentence.span.doc
    between = [t.lower_ for t in doc[left.qualifier_end : right.start]]
    if len(between) > 12:
        return "far"
    if "with" in between:
        return "with"
    if between in (["and"], ["&"], [",", "and"], ["-"], ["–"], ["/"]):
        return "and"
    if between in ([","], [";"]):
        return "comma"
    return "other"


def _contained(inner: Party, outer: Party, maker: FeatureMaker) -> bool:
    """GeoNames puts one side inside the other: a city in its own province (what the text
    itself says, "Wuhan, Hubei province", is `nested`)."""
    outer_key = outer.name.casefold()
    if outer.kind not in ("province", "region", "county"):
        found = maker.lookup(outer)
        if not found or found[0].kind != "province":
            return False
    inner_found = maker.lookup(inner)
    return bool(inner_found) and any((c.admin1 or "").casefold() == outer_key for c in inner_found[:2])


def vector(features: dict[str, float]) -> list[float]:
    return [float(features.get(name, 0.0)) for name in FEATURES]

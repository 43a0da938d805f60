"""Candidate pairs: every pair of places that a relation word can reach, with how it was found.

Reads: a `Reading` (sentences with parties, relation words, parses) and the host of the story.
Writes: `PairRecord`s, one per unordered pair of names, with the generators that proposed it
(`rules`), the sentences that state it and the sentences about it (`context`).

Recall is the point here; the pair scorer (`amity.extract.scoring`) decides which candidates
are relations. Two families of generators feed it:

- precise grammar rules (`amity.extract.pairs`): "A and B", "A's twin towns are B, C and D",
  lists of pairs, a lone partner with the host, "the two cities", partner lists under a heading;
- wide nets: any two places in one sentence with relation words (`cooccur`), the story's host
  with every place in such a sentence (`host`), and a place in a relation sentence with the
  places of the sentence before it (`adjacent`), and the host with the places of the lines
  that follow a relation sentence ("The borough has similar links with Oporto,
  Portugal (since 1971); Dortmund ...", a partner table under a "Sister Cities" heading:
  `following`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from amity.extract.nlp import is_common_word
from amity.extract.pairs import EXAMPLE_LEADS, RULE_CONFIDENCE, clause_heads, pair_parties
from amity.extract.places import Party, clean_name
from amity.extract.reading import Reading, Sentence, find_anchor
from amity.gazetteer.index import Gazetteer
from amity.gazetteer.knowledge import name_key as place_key

# Rules a candidate may come from, in the order of the scorer's features.
RULES = (
    "coordination", "pair-list", "hub", "anchor", "venue", "anaphora", "listed", "its-partner", "partner-list",
    "cooccur", "host", "adjacent", "following",
)
LIST_CONFIDENCE = {"its-partner": 0.75, "partner-list": 0.7}
WIDE_CONFIDENCE = {"cooccur": 0.5, "host": 0.4, "adjacent": 0.3, "following": 0.3}
FOLLOWING_REACH = 12  # sentences after a relation sentence whose places may be the host's partners

_LIST_ITEM = re.compile(r"^\s*(?:[■□●•◆◇▪▶*·\-–]|\d{1,2}[.)])\s*\S")
_TWO_PLACES = re.compile(r"(?i)\b(the two (cities|towns|municipalities|districts|provinces|regions)|both (cities|towns))\b")
ANAPHORA = re.compile(
    r"(?i)\b(the two (cities|sides|municipalities|towns|provinces|regions|partners|districts)|"
    r"both (cities|sides|towns|municipalities)|their (sister|twin|friendship|partnership|relationship|ties|twinning)|"
    r"the (twinning|partnership|relationship|ties|link|pact|charter|sister[- ]city (relationship|ties|relations|agreement)|friendship city relationship)|"
    r"the ([\w-]+ )?(agreement|twinning agreement|partnership agreement))\b"
)


@dataclass
class PairRecord:
    """Everything the article says about one pair while it is being assembled."""

    a: Party
    b: Party
    confidence: float
    sentences: set[int] = field(default_factory=set)  # where the pair itself is stated
    context: set[int] = field(default_factory=set)  # anaphora and both-names sentences
    rules: set[str] = field(default_factory=set)  # the generators that proposed the pair
    score: float | None = None  # the pair scorer's probability, once scored

    @property
    def key(self) -> tuple[str, str]:
        return name_key(self.a, self.b)


def name_key(a: Party, b: Party) -> tuple[str, str]:
    """One key for both spellings of a pair: "Jongno District" and "Jongno" are one place."""
    return tuple(sorted((place_key(a.name), place_key(b.name))))  # type: ignore[return-value]


@dataclass
class Candidates:
    """The candidates of one article and the host they were built around."""

    records: list[PairRecord]
    host: Party | None
    hosts: list[Party]  # the host and other heavily mentioned places (wide-net partners)


def find_candidates(reading: Reading, gazetteer: Gazetteer, wide: bool = True) -> Candidates:
    """All candidate pairs of an article, ordered by where they are first stated."""
    anchor = find_anchor(reading)
    _expand_short_names(reading)
    records: dict[tuple[str, str], PairRecord] = {}

    def add(a: Party, b: Party, rule: str, index: int) -> None:
        key = name_key(a, b)
        if key[0] == key[1] or nested(a, b):
            return
        record = records.get(key)
        confidence = RULE_CONFIDENCE.get(rule) or LIST_CONFIDENCE.get(rule) or WIDE_CONFIDENCE[rule]
        if record is None:
            record = records[key] = PairRecord(a, b, confidence)
        record.confidence = max(record.confidence, confidence)
        record.rules.add(rule)
        record.sentences.add(index)

    for sentence in reading.sentences:
        if sentence.relation_tiers:
            triggers = sentence.trigger_tokens()
        elif sentence.relation_words and len(sentence.parties) >= 2:
            triggers = []  # "partnership with X": enough for two named parties, not for one
        else:
            continue
        for candidate in pair_parties(sentence.span.doc, sentence.parties, triggers, anchor):
            add(candidate.a, candidate.b, candidate.rule, sentence.index)
    _anaphora_pairs(reading, records)
    _listed_partners(reading, records, anchor, gazetteer)
    hosts = host_candidates(reading, anchor)
    _partner_lists(reading, hosts, add)
    if wide:
        _wide_pairs(reading, hosts, add)
    ordered = sorted(records.values(), key=lambda r: min(r.sentences))
    _attach_context(reading, ordered)
    return Candidates(ordered, anchor, hosts)


def host_candidates(reading: Reading, anchor: Party | None, limit: int = 2) -> list[Party]:
    """The host and the most mentioned cities: the partner of a lone place in a relation sentence."""
    counts: Counter = Counter()
    first: dict[str, Party] = {}
    for sentence in reading.sentences:
        for party in sentence.parties:
            if party.locator or party.kind == "province":
                continue
            counts[party.name.casefold()] += 1
            first.setdefault(party.name.casefold(), party)
    hosts = [anchor] if anchor is not None else []
    for key, count in counts.most_common():
        if len(hosts) >= limit or count < 2:
            break
        if all(h.name.casefold() != key for h in hosts):
            hosts.append(first[key])
    return hosts


_POSSESSIVE_PRONOUNS = {"its", "their", "our", "his", "her"}
LIST_REACH = 2  # sentences after a relation sentence that may list its owner's partners


def _partner_lists(reading: Reading, hosts: list[Party], add) -> None:
    """Partners listed for the story's host:
    - "its": "Tartu, its Estonian sister city", "its sister cities of Kofu and Nara in Japan" ->
      the host (the sentence's subject when it is a host, else the story's host)
      with each place the phrase governs (`its-partner`);
    - lists after the words: "... the ninth twin town of Leeds. The city has similar links with
      Oporto, Portugal (since 1971); Dortmund, Germany ...",
      "Boise has three Sister Cities: / Cebu, Philippines (2011) / Suzhou, China (2004)" ->
      the owner of the relation words with each listed place
      (`partner-list`)."""
    if not hosts:
        return
    host_keys = {h.name.casefold() for h in hosts}
    owner: Party | None = None  # whose partners the last relation sentence spoke of
    owner_at = -10
    for sentence in reading.sentences:
        parties = [p for p in sentence.parties if not p.locator]
        doc = sentence.span.doc
        if sentence.relation_tiers:
            triggers = sorted(sentence.trigger_tokens()) or [(sentence.span.end, sentence.span.end)]
            for n, (t_start, t_end) in enumerate(triggers):
                next_start = triggers[n + 1][0] if n + 1 < len(triggers) else sentence.span.end
                owner, pronoun = _owner(doc, parties, t_start, hosts, host_keys)
                owner_key = owner.name.casefold()
                after = _until_next_clause(doc, [p for p in parties if t_end <= p.start < next_start and p.name.casefold() != owner_key], t_end)
                if (len(after) >= 2 and _is_list(sentence, after)) or (after and _with_next(doc, t_end, after[0])):
                    # "Abingdon's twin towns – Argentan, Lucca, Schongau and Sint-Niklaas";
                    # "Melaka ... has established a twinning relationship ... namely with
                    # Lisbon, Portugal (1984); Kuala Lumpur (1989); ..."; "..., and a friendship
                    # city relationship with Annecy, France"
                    for partner in after if len(after) >= 2 else after[:1]:
                        add(owner, partner, "partner-list", sentence.index)
                if pronoun:
                    # "its sister cities of Kofu and Nara", and the appositive before "its":
                    # "Tartu, its Estonian sister city"
                    appositive = [p for p in parties if p.end <= t_start and p.qualifier_end + 1 < len(doc)
                                  and doc[p.qualifier_end].text == "," and doc[p.qualifier_end + 1].lower_ in _POSSESSIVE_PRONOUNS]
                    for partner in after[:12] + appositive:
                        if partner.name.casefold() != owner_key:
                            add(owner, partner, "its-partner", sentence.index)
            owner_at = sentence.index
            continue
        if owner is None or sentence.index - owner_at > LIST_REACH or len(parties) < 1:
            continue
        if _is_list(sentence, parties):
            for partner in parties:
                if partner.name.casefold() != owner.name.casefold():
                    add(owner, partner, "partner-list", sentence.index)
            owner_at = sentence.index  # a table goes on line after line


_RELATION_NOUNS = {"relationship", "relationships", "relations", "ties", "agreement", "agreements", "status", "partnership", "link", "links", "pact"}


_EXAMPLE_WORDS = EXAMPLE_LEADS | {",", ":", "as", "among", "them"}


def _with_next(doc, trigger_end: int, partner: Party) -> bool:
    """"a friendship city relationship with Annecy": the relation words, "with", the
    partner; "Wells' other sister cities, including Lyndhurst": one of them named."""
    words = [t.lower_ for t in doc[trigger_end : partner.start]]
    if words and words[-1] == "with" and all(w in _RELATION_NOUNS for w in words[:-1]):
        return True
    return bool(words) and words[-1] in ("including", "as", "notably", "namely", "like", ":") and all(w in _EXAMPLE_WORDS for w in words)


def _until_next_clause(doc, parties: list[Party], trigger_end: int) -> list[Party]:
    """The parties after a relation word up to one that opens its own clause (", and Brno,
    Czechia, has twinned with"; ", and the towns of Vaasa and Gdynia twinned")."""
    if not parties:
        return parties
    heads = clause_heads(doc, parties, doc[parties[0].start].sent.start, trigger_end)
    return parties[: min(heads)] if heads else parties


def _opens_sentence(doc, party: Party) -> bool:
    """The sentence's first words lead up to the party: "Boise has", "The Italian city of Pisa has"."""
    lead = doc[doc[party.start].sent.start : party.start]
    return len(lead) <= 3 or (len(lead) <= 6 and not any(t.pos_ in ("VERB", "AUX") for t in lead))


def _owner(doc, parties: list[Party], trigger: int, hosts: list[Party], host_keys: set[str]) -> tuple[Party, bool]:
    """Whose relation the words at `trigger` are, and whether a pronoun says so: "Abingdon's
    twin towns" (the possessor), "its sister cities" (the sentence's subject when it is a host,
    else the story's host), "Boise has three Sister Cities" (the subject)."""
    window = doc[max(0, trigger - 4) : trigger]
    pronoun = any(t.lower_ in _POSSESSIVE_PRONOUNS for t in window)
    before = [p for p in parties if p.end <= trigger]
    for party in reversed(before):
        if party.qualifier_end < len(doc) and doc[party.qualifier_end].lower_ in ("'s", "’s", "'", "’") and party.qualifier_end >= trigger - 4:
            return party, False
    subject = before[0] if before and _opens_sentence(doc, before[0]) else None
    heads = clause_heads(doc, before)
    if heads:  # "A has twinned with B, and C, Spain, has twinned with D": C's clause
        subject = before[max(heads)]
    if subject is not None and (subject.name.casefold() in host_keys or not pronoun):
        return subject, pronoun
    return hosts[0], pronoun


_LIST_WORDS = {"and", "as", "well", "&", "since", "from", "in", "est", "established", "twinned", "signed", "the", "city", "of"}


def _is_list(sentence: Sentence, parties: list[Party]) -> bool:
    """A line that is mostly places: "Cebu, Philippines (2011)", "with Oporto, Portugal
    (since 1971); Dortmund, Germany (since 1969); ...", "with A, B and C"."""
    doc = sentence.span.doc
    words = [t for t in sentence.span if not (t.is_punct or t.is_space)]
    if not words:
        return False
    if len(parties) == 1:
        first = next(t for t in sentence.span if not (t.is_punct or t.is_space) and t.text not in "■□●•◆◇▪▶*·")
        return parties[0].start == first.i and len(words) <= 10
    joins = [doc[a.qualifier_end : b.start] for a, b in zip(parties, parties[1:], strict=False)]
    listed = sum(1 for j in joins if len(j) <= 8 and all(t.is_punct or t.lower_ in _LIST_WORDS or t.like_num for t in j))
    return listed >= len(joins) * 0.6


def _wide_pairs(reading: Reading, hosts: list[Party], add) -> None:
    previous: Sentence | None = None
    last_relation: int | None = None  # index of the last sentence with a relation word
    for sentence in reading.sentences:
        if sentence.relation_tiers:
            last_relation = sentence.index
        elif last_relation is not None and sentence.index - last_relation <= FOLLOWING_REACH:
            for host in hosts:
                for party in sentence.parties:
                    if not party.locator:
                        add(host, party, "following", sentence.index)
        if not (sentence.relation_tiers or sentence.relation_words):
            previous = sentence
            continue
        parties = [p for p in sentence.parties if not p.locator]
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                add(a, b, "cooccur", sentence.index)
        if sentence.relation_tiers:
            for host in hosts:
                for party in parties:
                    add(host, party, "host", sentence.index)
            if previous is not None and previous.paragraph == sentence.paragraph:
                for a in parties:
                    for b in previous.parties:
                        if not b.locator:
                            add(b, a, "adjacent", sentence.index)
        previous = sentence


def _attach_context(reading: Reading, ordered: list[PairRecord]) -> None:
    """Sentences naming both places, and "the two cities" after a pair was named."""
    for sentence in reading.sentences:
        names = {p.name.casefold() for p in sentence.parties}
        for record in ordered:
            if {record.a.name.casefold(), record.b.name.casefold()} <= names:
                record.context.add(sentence.index)
        if ANAPHORA.search(sentence.text):
            stated = [r for r in ordered if r.rules - set(WIDE_CONFIDENCE)] or ordered
            before = [r for r in stated if min(r.sentences | r.context | {10**9}) <= sentence.index]
            target = max(before, key=lambda r: max(i for i in r.sentences | r.context if i <= sentence.index), default=None)
            if target is None and len(stated) == 1:
                target = stated[0]
            if target is not None:
                target.context.add(sentence.index)


def _anaphora_pairs(reading: Reading, records: dict[tuple[str, str], PairRecord]) -> None:
    """"Since the two cities established friendly city relations in 2016": the two cities
    are the last two places named together before (often the headline)."""
    stated = {i for r in records.values() for i in r.sentences}
    for sentence in reading.sentences:
        if sentence.index in stated or not sentence.relation_tiers or not _TWO_PLACES.search(sentence.text):
            continue
        for back in range(sentence.index, max(-1, sentence.index - 8), -1):
            earlier = reading.sentences[back]
            names: list[Party] = []
            for party in earlier.parties:
                if party.kind != "province" and party.name.casefold() not in {p.name.casefold() for p in names}:
                    names.append(party)
            if len(names) == 2:
                a, b = names
                key = name_key(a, b)
                record = records.get(key) or records.setdefault(key, PairRecord(a, b, RULE_CONFIDENCE["anaphora"]))
                record.sentences.add(sentence.index)
                record.rules.add("anaphora")
                break
            if len(names) > 2:
                break


def _listed_partners(reading: Reading, records: dict[tuple[str, str], PairRecord], anchor: Party | None, gazetteer: Gazetteer) -> None:
    """A city hall page lists its partners under a heading: "Sister Cities ... ■ Buffalo
    (United States of America, New York State)". Each item pairs with the site's city."""
    if anchor is None:
        return
    heading_seen = False
    current: PairRecord | None = None  # the item whose detail lines follow ("Date of affiliation: ...")
    for sentence in reading.sentences:
        text = sentence.text.strip()
        if sentence.relation_tiers and (text.endswith(":") or len(text.split()) <= 10) and not _LIST_ITEM.match(text):
            heading_seen, current = True, None
            continue
        if not heading_seen:
            continue
        line = _country_city_line(sentence, gazetteer)
        if not _LIST_ITEM.match(text) and line is None:
            if current is not None:
                current.context.add(sentence.index)
            continue
        current = None
        party = line or _item_place(sentence, gazetteer) or (sentence.parties[0] if sentence.parties else None)
        if party is None or party is _NO_PLACE or party.name.casefold() == anchor.name.casefold():
            continue
        key = name_key(anchor, party)
        current = records.get(key) or records.setdefault(key, PairRecord(anchor, party, RULE_CONFIDENCE["anchor"]))
        current.sentences.add(sentence.index)
        current.rules.add("listed")


def _country_city_line(sentence: Sentence, gazetteer: Gazetteer) -> Party | None:
    """"China Daqing", "USA Atlantic City": a partner table's line, the country then its city."""
    if len(sentence.parties) != 1:
        return None
    party = sentence.parties[0]
    span = sentence.span
    lead = span.doc[span.start : party.start].text.strip()
    tail = [t for t in span.doc[party.qualifier_end : span.end] if not (t.is_space or t.is_punct)]
    if not lead or tail or len(lead.split()) > 3:
        return None
    code = gazetteer.country_code(lead)
    if code is None or (party.country or code) != code:
        return None
    return party


_NO_PLACE = Party(text="", start=-1, end=-1)  # a list item that opens with no place


def _item_place(sentence: Sentence, gazetteer: Gazetteer) -> Party | None:
    """"■ Buffalo (United States ...)": a list item opens with its place even when the word
    is an ordinary one elsewhere (Buffalo, Reading, Nancy)."""
    words = [t for t in sentence.span if not t.is_punct and t.text not in "■□●•◆◇▪▶*·"]
    colon = next((t.i for t in sentence.span[:6] if t.text == ":"), None)
    if colon is not None:  # "- Sister City: Durham, North Carolina": the label is not the place
        words = [t for t in words if t.i > colon]
    if not words or not words[0].text[:1].isupper():
        return None
    end = words[0].i + 1
    while end < sentence.span.end and sentence.span.doc[end].text[:1].isupper() and end - words[0].i < 4:
        end += 1
    doc = sentence.span.doc
    for stop in range(end, words[0].i, -1):
        text = doc[words[0].i : stop].text
        if gazetteer.is_place_name(text):
            if (stop < end or clean_name(text) != text) and is_common_word(clean_name(text)):
                return _NO_PLACE  # "• Bed Town of Tokyo": an ordinary word opening a longer name
            return Party(text=text, start=words[0].i, end=stop, qualifier_end=stop)
    return None


def nested(a: Party, b: Party) -> bool:
    """A district and its own parent city, or a city and its own province, are not a pair."""
    return (
        (a.parent or "").casefold() == b.name.casefold()
        or (b.parent or "").casefold() == a.name.casefold()
        or (a.admin1 or "").casefold() == b.name.casefold()
        or (b.admin1 or "").casefold() == a.name.casefold()
    )


def _expand_short_names(reading: Reading) -> None:
    """A later "Hay" means the "Hay-on-Wye" named earlier: use the full hyphenated name."""
    full_names = {p.text for s in reading.sentences for p in s.parties}
    for sentence in reading.sentences:
        for party in sentence.parties:
            longer = [n for n in full_names if n != party.text and re.match(re.escape(party.text) + r"-", n)]
            if len(longer) == 1:
                party.text = longer[0]

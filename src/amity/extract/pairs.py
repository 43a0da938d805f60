"""Pairing: which parties of a sentence that holds relation vocabulary are paired with which.

Covers "X and Y", "between X and Y", "X's sister city Y", "X, twinned with Y",
"X signed ... with Y", lists of pairs ("A and B, C and D signed ..."), one city with
several partners ("A's twin towns are B, C and D"), and a lone party paired with the
article's host (dateline) city ("... signed a twinning agreement with Y").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from amity.extract.places import Party
from amity.resources import data_lines


@functools.cache
def role_words() -> frozenset[str]:
    """Words of official titles ("County Executive", "Deputy Mayor")."""
    return frozenset(w for line in data_lines("lexicons/roles.en.txt") for w in line.lower().split()) | {"executive", "cllr"}

# Rule name -> base confidence of a pair read by that rule.
RULE_CONFIDENCE = {
    "coordination": 0.9,
    "pair-list": 0.85,
    "hub": 0.85,
    "anchor": 0.7,
    "venue": 0.6,
    "anaphora": 0.65,
}
_AND = {"and", "&", "-", "–", "—", "/", "as well as", "plus"}
EXAMPLE_LEADS = {"including", "such", "notably", "namely", "like"}  # "..., including X, ..."
_CLAUSE_BREAKS = {"while", "whereas", "meanwhile", "but", "although", "though"}
TRIGGER_REACH = 8  # tokens between a lone party and the relation word it belongs to


@dataclass
class PairCandidate:
    a: Party
    b: Party
    rule: str

    @property
    def confidence(self) -> float:
        return RULE_CONFIDENCE[self.rule]


def connector(doc: Doc, left: Party, right: Party) -> str:
    """How two consecutive parties are joined: 'and', 'comma', 'adjacent' or 'other'."""
    # people and their titles between two places do not separate them:
    # "Montgomery County Executive Linda Haskell and Gangnam District Mayor Cho"
    # "Abeokuta, Brazil's Salvador": a country introducing the next city does not separate them
    countries = {i for s in doc.spans.get("amity_places", []) if s.label_ in ("country", "demonym") for i in range(s.start, s.end)}
    words = [
        t.lower_
        for t in doc[left.qualifier_end : right.start]
        if t.text not in ("'", '"', "“", "”")
        and t.ent_type_ != "PERSON"
        and t.lower_ not in role_words()
        and t.i not in countries
        and not (t.lower_ in ("'s", "’s") and t.i - 1 in countries)
    ]
    if any(w in _CLAUSE_BREAKS for w in words):
        return "clause"
    text = " ".join(words)
    if not words:
        return "adjacent"
    if text in _AND or text in (", and", ", &", "; and") or (len(words) == 1 and words[0] in _AND):
        return "and"
    if text in (",", ";"):
        return "comma"
    return "other"


def _split_groups(doc: Doc, parties: list[Party]) -> tuple[list[list[Party]], list[list[str]]]:
    groups: list[list[Party]] = [[parties[0]]]
    joins: list[list[str]] = [[]]
    for left, right in zip(parties, parties[1:], strict=False):
        kind = connector(doc, left, right)
        if kind in ("other", "clause"):
            groups.append([right])
            joins.append([])
        else:
            groups[-1].append(right)
            joins[-1].append(kind)
    return groups, joins


def _possessive(doc: Doc, party: Party) -> bool:
    end = party.qualifier_end
    return end < len(doc) and doc[end].lower_ in ("'s", "’s", "'")


def _pairs_in_group(doc: Doc, group: list[Party], joins: list[str]) -> list[PairCandidate]:
    before = [t.lower_ for t in doc[max(0, group[0].start - 2) : group[0].start]]
    if before[-1:] in (["including"], ["like"], ["notably"]) or before == ["such", "as"]:
        return []  # "Polish cities, including Poznań and Wrocław": examples, not a pair (but
        # "... came as Derby and Osnabrück signed": "as" alone is a conjunction)
    if len(group) == 2:
        return [PairCandidate(group[0], group[1], "coordination")]
    alternating = all(j == ("and" if i % 2 == 0 else "comma") for i, j in enumerate(joins)) or all(
        j == ("and" if i % 2 == 0 else "comma") or (i % 2 == 1 and j == "and") for i, j in enumerate(joins)
    )
    if len(group) % 2 == 0 and alternating and joins[0] == "and":
        return [PairCandidate(group[i], group[i + 1], "pair-list") for i in range(0, len(group), 2)]
    if _possessive(doc, group[0]):
        return [PairCandidate(group[0], other, "hub") for other in group[1:]]
    if len(group) == 3 and joins[1] == "and" and _joint_verb_after(doc, group[-1]):
        # "Kiel, Vaasa and Gdynia entered a twin city agreement": a triangle
        return [PairCandidate(a, b, "coordination") for i, a in enumerate(group) for b in group[i + 1 :]]
    return []  # a bare enumeration says nothing about who is paired with whom


# Verbs that make the places before them parties to one act ("A, B and C signed ..."); the
# cheap pass has no lemmas, so inflected forms are matched.
_JOINT_VERBS = re.compile(r"^(?:enter|sign|form|establish|agree|bec[oa]me|creat|conclud|forg|seal|twin)\w*$")


def _joint_verb_after(doc: Doc, party: Party) -> bool:
    i = party.qualifier_end
    while i < len(doc) and (doc[i].text in (",", "(", ")") or doc[i].pos_ in ("AUX", "ADV")):
        i += 1
    return i < len(doc) and doc[i].pos_ == "VERB" and bool(_JOINT_VERBS.match(doc[i].lower_))


def near_trigger(party: Party, triggers: list[tuple[int, int]]) -> bool:
    return any(
        abs(party.start - t_end) <= TRIGGER_REACH or abs(t_start - party.end) <= TRIGGER_REACH
        for t_start, t_end in triggers
    )


def pair_parties(
    doc: Doc,
    parties: list[Party],
    triggers: list[tuple[int, int]],
    anchor: Party | None,
) -> list[PairCandidate]:
    """Pairs stated by one sentence. `triggers` are token ranges of relation words in it."""
    actors = [p for p in parties if not p.venue]
    venues = [p for p in parties if p.venue]
    if len(actors) >= 2:
        found = _structured_pairs(doc, actors)
        if not found and anchor is not None and triggers and _is_enumeration(doc, actors, anchor):
            # "the council's twinning links with Annecy, Göttingen and Weihai": the host's partners
            return [PairCandidate(anchor, p, "anchor") for p in actors]
        return found
    # with the host's dateline in the sentence itself, its one other party is the partner
    dateline_here = anchor is not None and any(v.start == anchor.start and v.end == anchor.end for v in venues)
    if len(actors) == 1 and triggers and (near_trigger(actors[0], triggers) or dateline_here):
        lone = actors[0]
        if anchor is not None and anchor.name.casefold() != lone.name.casefold():
            return [PairCandidate(anchor, lone, "anchor")]
        others = [v for v in venues if v.name.casefold() != lone.name.casefold()]
        if len(others) == 1 and doc[others[0].start - 1].lower_ == "in":
            return [PairCandidate(lone, others[0], "venue")]
    if not actors and len(venues) == 2 and connector(doc, venues[0], venues[1]) == "and":
        return [PairCandidate(venues[0], venues[1], "coordination")]
    return []


_LIST_OPENERS = {"with", "namely", "including", "include", "includes", ":", "are"}


def _listed_after(doc: Doc, party: Party) -> bool:
    """The place opens a list of partners instead of owning one: "... with (the) Oporto, ..."."""
    i = party.start - 1
    while i >= 0 and doc[i].lower_ in ("the", "a", "cities", "of", "city"):
        i -= 1
    return i >= 0 and doc[i].lower_ in _LIST_OPENERS


def _is_enumeration(doc: Doc, actors: list[Party], anchor: Party) -> bool:
    if any(p.name.casefold() == anchor.name.casefold() for p in actors):
        return False
    groups, _ = _split_groups(doc, actors)
    before = doc[actors[0].start - 1].lower_ if actors[0].start > 0 else ""
    return len(groups) == 1 and before in ("with", "include", "includes", "including", "are", ":", "—", "–")


def _structured_pairs(doc: Doc, actors: list[Party]) -> list[PairCandidate]:
    """Pairs within each clause ("A established ties with B, while C and D signed ...")."""
    clauses: list[list[Party]] = [[actors[0]]]
    heads = clause_heads(doc, actors)
    for n, (left, right) in enumerate(zip(actors, actors[1:], strict=False), start=1):
        if connector(doc, left, right) == "clause" or n in heads:
            clauses.append([right])
        else:
            clauses[-1].append(right)
    if len(clauses) > 1:
        return [pair for clause in clauses if len(clause) >= 2 for pair in _clause_pairs(doc, clause)]
    return _clause_pairs(doc, actors)


def clause_heads(doc: Doc, parties: list[Party], since: int | None = None, after: int | None = None) -> set[int]:
    """Indexes of the parties that open a clause of their own: after a comma or semicolon, once
    the clause before has its verb, a party (or "C and D") that is the subject of the next verb.
    "Leeds has twinned with Dortmund, and Brno, Czechia, has twinned with Graz" -> Brno;
    "A and B became sister cities in 2022, and C and D twinned in 2023" -> C;
    but not Vaasa in "Kiel, Schleswig-Holstein, and Vaasa became sister cities".
    `since`: the token where the first clause begins (default: the first party); `after`: the
    token the first party follows (a relation word), so that it may open a clause too (index 0)."""
    heads: set[int] = set()
    start = since if since is not None else parties[0].start if parties else 0
    for n, right in enumerate(parties):
        if n == 0 and after is None:
            continue
        left_end = parties[n - 1].qualifier_end if n else after
        between = {t.lower_ for t in doc[left_end : right.start]}
        if not between & {",", ";"} or between & EXAMPLE_LEADS:
            continue  # "..., including Lisieux, goes on": an example set off by commas
        if not any(_is_verb(t) for t in doc[start : right.start]):
            continue
        coordinated = n + 1 < len(parties) and connector(doc, right, parties[n + 1]) == "and"
        if _verb_after(doc, right) or (coordinated and _verb_after(doc, parties[n + 1])):
            heads.add(n)
            start = right.start
    return heads


def _is_verb(token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.tag_ != "VBG"


def _verb_after(doc: Doc, party: Party) -> bool:
    i = party.qualifier_end
    while i < len(doc) and doc[i].text in (",", "(", ")"):
        i += 1
    return i < len(doc) and _is_verb(doc[i])


_ADDITIVE = {"as well as", ", as well as", "; and", ";", ", plus", "plus", ", and also", "and also", ", and between", "and between"}


def _adds_a_pair(doc: Doc, left: Party, right: Party) -> bool:
    """", as well as", "; and": the words between two pairs of a sentence that lists pairs."""
    return " ".join(t.lower_ for t in doc[left.qualifier_end : right.start]) in _ADDITIVE


def _clause_pairs(doc: Doc, actors: list[Party]) -> list[PairCandidate]:
    groups, joins = _split_groups(doc, actors)
    if len(groups) == 1:
        return _pairs_in_group(doc, groups[0], joins[0])
    first, rest = groups[0], [p for g in groups[1:] for p in g]
    if len(first) == 1:  # "A ... with B (and C)", "A's partner towns are B, C and D"
        if _listed_after(doc, first[0]):
            return []  # "... with the Oporto, Portugal (1971); Nantes (1980)": all partners
        return [PairCandidate(first[0], other, "hub") for other in rest]
    last = groups[-1]
    before_last = doc[groups[-2][-1].qualifier_end : last[0].start]
    if len(last) == 1 and any(t.lower_ == "with" for t in before_last):  # "B and C signed agreements with A"
        head = [p for g in groups[:-1] for p in g]
        return [PairCandidate(p, last[0], "hub") for p in head]
    if all(len(g) == 2 and j == ["and"] for g, j in zip(groups, joins, strict=True)) and all(
        _adds_a_pair(doc, left[-1], right[0]) for left, right in zip(groups, groups[1:], strict=False)
    ):  # "between A and B, as well as C and D": one pair after another
        return [PairCandidate(g[0], g[1], "pair-list") for g in groups]
    if len(first) == 2 and joins[0] == ["and"]:  # "A and B signed ..., said officials in C"
        return [PairCandidate(first[0], first[1], "coordination")]
    found: list[PairCandidate] = []
    for group, join in zip(groups, joins, strict=False):
        found.extend(_pairs_in_group(doc, group, join))
    return found

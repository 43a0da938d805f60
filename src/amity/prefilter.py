"""Prefilter stage: one cheap Aho-Corasick scan for relation vocabulary.

Requires: Article.text (and title). Assigns: Article.relevant, Article.trigger_hits.
Articles with no hit never reach spaCy; extract only parses sentences holding a hit.
Recall matters more than precision here: exclusions are applied later, in extract.
"""

from __future__ import annotations

import functools
import re

import ahocorasick

from amity.resources import data_lines, data_table
from amity.types import Article

TRIGGERS_FILE = "lexicons/triggers.en.txt"
EXCLUSIONS_FILE = "lexicons/trigger_exclusions.en.txt"

# Length-preserving normalisation: offsets in the folded text equal offsets in the original.
# A line break inside a term counts as a space: staff reports wrap lines ("sister\ncity").
_FOLD_PAIRS = (
    ("-", " "), ("\u2010", " "), ("\u2011", " "), ("\u2013", " "), ("\u00a0", " "),
    ("\u2019", "'"), ("\n", " "), ("\t", " "), ("\r", " "),
)  # fmt: skip


@functools.cache
def trigger_tiers() -> dict[str, str]:
    """Trigger term -> tier hint (sister | friendly | ambiguous | none)."""
    return {row[0]: row[1] for row in data_table(TRIGGERS_FILE)}


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for term in trigger_tiers():
        automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


# Words one of which nearly every trigger term holds: a text that holds none of them (in its
# folded form) cannot hold a term, and a few substring tests cost far less than the automaton's
# scan (most news has no relation vocabulary at all).
_ANCHOR_HINTS = (
    "sister", "twin", "partner", "friend", "pair", "exchange cit", "city to city",
    "jumel", "herman", "irmã", "gemell",
)  # fmt: skip


@functools.cache
def _anchors() -> tuple[str, ...]:
    """The hints, plus every term that holds none of them (so no term is ever missed)."""
    terms = trigger_tiers()
    return _ANCHOR_HINTS + tuple(t for t in terms if not any(h in t for h in _ANCHOR_HINTS))


@functools.cache
def _exclusions() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line) for line in data_lines(EXCLUSIONS_FILE))


def fold(text: str) -> str:
    """Lower-case text with hyphens as spaces, keeping every character offset."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. "İ") change length when lowered
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for old, new in _FOLD_PAIRS:  # str.replace is many times faster than str.translate
        if old in lowered:
            lowered = lowered.replace(old, new)
    return lowered


def _is_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def find_triggers(text: str) -> list[tuple[int, int, str]]:
    """Every relation-vocabulary hit as (start, end, term), longest match per start, in order.

    Example: find_triggers("Bor and Longyan signed a twinning deal") -> [(25, 33, "twinning")]
    """
    folded = fold(text)
    if not any(anchor in folded for anchor in _anchors()):
        return []
    hits: dict[int, tuple[int, int, str]] = {}
    for end_index, term in _automaton().iter(folded):
        end = end_index + 1
        start = end - len(term)
        if not _is_word_boundary(folded, start, end):
            continue
        if start not in hits or hits[start][1] < end:
            hits[start] = (start, end, term)
    # drop hits nested inside a longer one ("friendship city" inside "friendship city relations")
    ordered = sorted(hits.values())
    kept: list[tuple[int, int, str]] = []
    for hit in ordered:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    return kept


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Spans where trigger words name something else (the Twin Cities, Sister Cities International)."""
    return [m.span() for pattern in _exclusions() for m in pattern.finditer(text)]


def relation_triggers(text: str) -> list[tuple[int, int, str]]:
    """Trigger hits minus those inside an exclusion span: what extract treats as relation cues."""
    spans = excluded_spans(text)
    return [h for h in find_triggers(text) if not any(s <= h[0] and h[1] <= e for s, e in spans)]


def prefilter(article: Article) -> Article:
    """Mark the article relevant when its title or text holds any relation vocabulary."""
    article.trigger_hits = find_triggers(article.full_text)
    article.relevant = bool(article.trigger_hits)
    return article

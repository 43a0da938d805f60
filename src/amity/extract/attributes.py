"""en_core_web_sm's attribute ruler, answered per distinct token instead of by spaCy's Matcher.

The model's `attribute_ruler` maps each tagger tag to a part of speech and morphology, with
exceptions for some words ("gonna", "y'all", "it" as a subject): 179 patterns of one or
two tokens over LOWER, TAG, DEP and IS_SPACE. spaCy runs them through its general Matcher,
which costs about 35 µs a token (as much as the tok2vec layer; measured on news-dev). Every
pattern here looks at most one token to either side, so what the ruler
writes on a token follows from a few values of it and its neighbours; this component works
that out once per distinct token (the same word with the same tag gets the same
attributes) and writes exactly what the ruler writes: all patterns matched on the tokens
as they were, then applied in the ruler's order (a later pattern wins), with spaCy's own
`set_token_attrs`. tests/test_extract_fast_paths.py compares every token attribute with
spaCy's ruler's. About 2-6 µs a token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_FEATURES = (LOWER, TAG, DEP, IS_SPACE)  # what the patterns test, in this order
_COLUMN = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
_MAX_REMEMBERED = 200_000  # distinct tokens remembered (about 40 MB at most)

Features = tuple[int, int, int, int]
Test = Callable[[Features], bool]


class UnsupportedPattern(ValueError):
    """A pattern this component cannot answer (the model changed): use spaCy's ruler."""


def _value_test(column: int, spec: Any, strings) -> Test:
    """One attribute test of a Matcher token pattern, on a token's feature tuple."""
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            allowed = frozenset(strings.add(v) for v in spec["IN"])
            return lambda f: f[column] in allowed
        if set(spec) == {"NOT_IN"}:
            banned = frozenset(strings.add(v) for v in spec["NOT_IN"])
            return lambda f: f[column] not in banned
        if set(spec) == {"REGEX"} and column != 3:
            pattern = re.compile(spec["REGEX"])
            return lambda f: bool(pattern.search(strings[f[column]]))
        raise UnsupportedPattern(f"attribute ruler pattern {spec!r}")
    if column == 3:
        if not isinstance(spec, bool):
            raise UnsupportedPattern(f"IS_SPACE {spec!r}")
        return lambda f: f[3] == int(spec)
    if not isinstance(spec, str):
        raise UnsupportedPattern(f"attribute ruler value {spec!r}")
    wanted = strings.add(spec)
    return lambda f: f[column] == wanted


def _token_test(token_pattern: dict, strings) -> Test:
    tests = []
    for key, spec in token_pattern.items():
        if key not in _COLUMN:
            raise UnsupportedPattern(f"attribute ruler key {key!r}")
        tests.append(_value_test(_COLUMN[key], spec, strings))
    return lambda f: all(test(f) for test in tests)


def _dispatch(token_pattern: dict, strings) -> tuple[int, list[int]] | None:
    """(column, values) that a token must have for the pattern to match it (LOWER first,
    else TAG), or None when the pattern names no such value: it is then tried on every
    distinct token."""
    for key, column in (("LOWER", 0), ("TAG", 1)):
        spec = token_pattern.get(key)
        if isinstance(spec, str):
            return column, [strings.add(spec)]
        if isinstance(spec, dict) and set(spec) == {"IN"}:
            return column, [strings.add(v) for v in spec["IN"]]
    return None


class _Index:
    """Token patterns filed by a value they require, so that a new distinct token is tried
    against a handful of patterns, not all of them."""

    def __init__(self) -> None:
        self.by_value: tuple[dict[int, list], dict[int, list]] = ({}, {})
        self.anywhere: list = []

    def add(self, item: tuple, token_pattern: dict, strings) -> None:
        found = _dispatch(token_pattern, strings)
        if found is None:
            self.anywhere.append(item)
            return
        column, values = found
        for value in values:
            self.by_value[column].setdefault(value, []).append(item)

    def candidates(self, features: Features) -> list:
        return (
            self.by_value[0].get(features[0], [])
            + self.by_value[1].get(features[1], [])
            + self.anywhere
        )


class FastAttributeRuler:
    """Writes what `ruler` writes; `ruler` stays the reference (its attrs, indices, patterns)."""

    def __init__(self, ruler: AttributeRuler):
        self.ruler = ruler
        strings = ruler.vocab.strings
        self._single = _Index()  # (rule id, test) of one-token patterns
        self._firsts = _Index()  # (pattern number, test of its first token) of two-token ones
        self._pairs: list[tuple[int, int, Test]] = []  # (rule id, target 0|1, second token's test)
        # ruler.patterns: one entry per rule (one `add` call), in the order the ruler applies them
        for rule_id, entry in enumerate(ruler.patterns):
            patterns, index = entry["patterns"], entry["index"]
            for pattern in patterns:
                if len(pattern) == 1 and index in (0, -1):
                    self._single.add(
                        (rule_id, _token_test(pattern[0], strings)), pattern[0], strings
                    )
                elif len(pattern) == 2 and index in (0, 1, -1, -2):
                    item = (len(self._pairs), _token_test(pattern[0], strings))
                    self._firsts.add(item, pattern[0], strings)
                    self._pairs.append((rule_id, index % 2, _token_test(pattern[1], strings)))
                else:
                    raise UnsupportedPattern(f"pattern of {len(pattern)} tokens, index {index}")
        self._seen: dict[Features, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._merged: dict[tuple[int, ...], dict] = {}

    def __call__(self, doc: Doc) -> Doc:
        rows = [tuple(row) for row in doc.to_array(_FEATURES).tolist()] if len(doc) else []
        rules: list[list[int]] = [[] for _ in rows]
        for i, features in enumerate(rows):
            single, firsts = self._classify(features)
            if single:
                rules[i].extend(single)
            for k in firsts:  # a two-token pattern whose first token this one matches
                rule_id, target, second = self._pairs[k]
                if i + 1 < len(rows) and second(rows[i + 1]):
                    rules[i + target].append(rule_id)
        for i, matched in enumerate(rules):
            if matched:
                set_token_attrs(doc[i], self._merge(tuple(sorted(set(matched)))))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def _classify(self, features: Features) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The one-token rules that match a token and the two-token patterns it can open."""
        known = self._seen.get(features)
        if known is None:
            if len(self._seen) >= _MAX_REMEMBERED:
                self._seen.clear()
            single = tuple(r for r, test in self._single.candidates(features) if test(features))
            firsts = tuple(k for k, first in self._firsts.candidates(features) if first(features))
            known = self._seen[features] = (single, firsts)
        return known

    def _merge(self, rule_ids: tuple[int, ...]) -> dict:
        """The attributes of the matched rules, a later rule overwriting an earlier one (the
        ruler sorts its matches by rule and applies them in turn)."""
        merged = self._merged.get(rule_ids)
        if merged is None:
            merged = {}
            for rule_id in rule_ids:
                merged.update(self.ruler.attrs[rule_id])
            self._merged[rule_ids] = merged
        return merged


@Language.factory("amity_attribute_ruler")
def make_fast_attribute_ruler(nlp: Language, name: str, patterns: list[dict]) -> FastAttributeRuler:
    ruler = AttributeRuler(nlp.vocab, name)
    ruler.add_patterns(patterns)
    return FastAttributeRuler(ruler)


def use_fast_attribute_ruler(nlp: Language) -> None:
    """Put FastAttributeRuler in place of the model's `attribute_ruler` (same name, same
    patterns); leave the model's ruler when one of its patterns is of a kind this does not
    answer."""
    if "attribute_ruler" not in nlp.component_names:
        return
    patterns = nlp.get_pipe("attribute_ruler").patterns
    probe = AttributeRuler(nlp.vocab)
    probe.add_patterns(patterns)
    try:
        FastAttributeRuler(probe)
    except UnsupportedPattern:
        return
    nlp.replace_pipe("attribute_ruler", "amity_attribute_ruler", config={"patterns": patterns})

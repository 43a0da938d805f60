"""Score extraction output against gold annotations (../shared/spec/extraction-output.md).

Pairs are matched per article, one-to-one and greedily in prediction order: a predicted
relation matches a gold one when both places match, in either order. A place matches when
one of the predicted spellings (its `name`, the name without a generic suffix such as
" City" or "-shi", and its `canonical`), normalised by `normalize_name`, equals one of the
gold `names`, normalised the same way, and the country agrees: a gold country requires the
same predicted country; a place without a gold country accepts any.

A prediction that matches only one of the gold `optional` relations is neither a true nor a
false positive. On matched pairs the accuracy of `tier`, `event`, `event_date` and
`established` is reported; a gold value may be a list of accepted values (an empty list, or
a `null` in the list, means "no value" is right).

Precision, recall and F1 are micro-averaged over all articles; a ratio whose denominator is
zero counts as 1.0 (nothing to find, nothing found wrongly).

Example:
    >>> from amity.evaluate import score
    >>> gold = [{"id": "x", "relations": [{"a": {"names": ["Lyon"], "country": "FR"},
    ...          "b": {"names": ["Birmingham"], "country": "GB"}, "tier": "sister"}]}]
    >>> pred = [{"id": "x", "relations": [{"a": {"name": "Birmingham", "country": "GB"},
    ...          "b": {"name": "Lyon", "country": "FR"}, "tier": "sister"}]}]
    >>> score(gold, pred).f1
    1.0
"""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from amity.errors import BadInput

if TYPE_CHECKING:
    from rich.console import RenderableType

    from amity.pipeline import Pipeline
    from amity.types import Article

ATTRIBUTES: tuple[str, ...] = ("tier", "event", "event_date", "established")
"""Relation fields scored on matched pairs."""

GENERIC_SUFFIXES: tuple[str, ...] = (" city", " district", " county", " province", " si", " shi")
"""Suffixes (after normalisation: "-si" becomes " si") also tried removed from a predicted name."""

_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


# --- reading ---------------------------------------------------------------------------------


def load_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Gold annotations: one JSON object per line, each with an `id`.

    Raises BadInput naming `file:line` for a malformed line.

    Example:
        >>> gold = load_gold("tests/fixtures/extraction/gold.jsonl")  # doctest: +SKIP
    """
    return _load_jsonl(path, "gold")


def load_predictions(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Extraction output (`amity extract` JSONL): one JSON object per line, each with an `id`.

    Raises BadInput naming `file:line` for a malformed line.

    Example:
        >>> predicted = load_predictions("relations.jsonl")  # doctest: +SKIP
    """
    return _load_jsonl(path, "prediction")


def _load_jsonl(path: str | os.PathLike[str], what: str) -> list[dict[str, Any]]:
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8-sig") as handle:
            lines = handle.readlines()
    except OSError as exc:
        raise BadInput(name, f"cannot read file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise BadInput(name, f"not UTF-8 text: {exc.reason}") from exc
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError, ValueError) as exc:
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise BadInput(where, f"invalid JSON: {message}") from exc
        if not isinstance(record, dict):
            raise BadInput(where, f"expected a JSON object, got {type(record).__name__}")
        if record.get("id") in (None, ""):
            raise BadInput(where, f"{what} line has no 'id'")
        for key in ("relations", "claims", "optional"):
            if not isinstance(record.get(key, []), list):
                raise BadInput(where, f"'{key}' must be a list")
        records.append(record)
    return records


# --- matching --------------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """Casefold, strip accents, punctuation and hyphens to spaces, collapse whitespace.

    Example:
        >>> normalize_name("  Saint-Étienne ")
        'saint etienne'
    """
    text = unicodedata.normalize("NFKD", str(name).casefold().translate(_LETTERS))
    chars = []
    for char in text:
        if unicodedata.combining(char):
            continue
        chars.append(char if char.isalnum() else " ")
    return " ".join("".join(chars).split())


def name_keys(place: dict[str, Any]) -> set[str]:
    """Normalised spellings a predicted place may match with: its name, the name without a
    generic suffix, and its `canonical` name.

    Example:
        >>> sorted(name_keys({"name": "Goyang-si", "canonical": "Goyang"}))
        ['goyang', 'goyang si']
    """
    keys: set[str] = set()
    for raw in (place.get("name"), place.get("canonical")):
        if not isinstance(raw, str):
            continue
        key = normalize_name(raw)
        if not key:
            continue
        keys.add(key)
        for suffix in GENERIC_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                keys.add(key[: -len(suffix)])
    return keys


def gold_name_keys(place: dict[str, Any]) -> set[str]:
    names = place.get("names")
    if names is None:
        names = [place.get("name")]
    elif isinstance(names, str):
        names = [names]
    return {key for name in names if isinstance(name, str) and (key := normalize_name(name))}


def place_matches(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    """A predicted place matches a gold place: a shared normalised name and agreeing country.

    Example:
        >>> place_matches({"name": "Lyons", "country": "FR"}, {"names": ["Lyon", "Lyons"], "country": "FR"})
        True
    """
    if not isinstance(predicted, dict) or not isinstance(gold, dict):
        return False
    gold_country = _country(gold.get("country"))
    if gold_country is not None and _country(predicted.get("country")) != gold_country:
        return False
    return bool(name_keys(predicted) & gold_name_keys(gold))


def relation_matches(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Both places match, in either order."""
    pa, pb, ga, gb = predicted.get("a"), predicted.get("b"), gold.get("a"), gold.get("b")
    return (place_matches(pa, ga) and place_matches(pb, gb)) or (
        place_matches(pa, gb) and place_matches(pb, ga)
    )


def accepted_values(gold_value: Any) -> list[Any]:
    """The values a gold field accepts: a list is its members (empty list: only null)."""
    if isinstance(gold_value, list):
        return list(gold_value) or [None]
    return [gold_value]


def value_accepted(field_name: str, predicted: Any, gold_value: Any) -> bool:
    """Whether a predicted attribute value is one of the gold's accepted values."""
    predicted = _canonical_value(field_name, predicted)
    return any(predicted == _canonical_value(field_name, v) for v in accepted_values(gold_value))


def _canonical_value(field_name: str, value: Any) -> Any:
    if value is None:
        return None
    if field_name == "established":
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    if isinstance(value, str):
        value = value.strip()
        return value.casefold() if field_name in ("tier", "event") else value
    return value


def _country(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().upper()


# --- report ----------------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Counts:
    """True positives, false positives and false negatives, with their ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.accuracy, 4)}


@dataclass
class WrongValue:
    """A matched pair whose attribute is not one of the accepted gold values."""

    pair: str
    field: str
    predicted: Any
    accepted: list[Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pair": self.pair,
            "field": self.field,
            "predicted": self.predicted,
            "accepted": self.accepted,
        }


@dataclass
class ArticleResult:
    """What went wrong on one gold article (empty lists: nothing)."""

    id: str
    predicted_id: str | None = None
    missing: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    wrong: list[WrongValue] = field(default_factory=list)
    missing_claims: list[str] = field(default_factory=list)
    spurious_claims: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing
            or self.spurious
            or self.wrong
            or self.missing_claims
            or self.spurious_claims
            or self.problems
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "predicted_id": self.predicted_id,
            "missing": self.missing,
            "spurious": self.spurious,
            "wrong": [w.to_dict() for w in self.wrong],
            "missing_claims": self.missing_claims,
            "spurious_claims": self.spurious_claims,
            "problems": self.problems,
        }


@dataclass
class Report:
    """Scores of predictions against gold, and every error per article.

    `pairs` is micro over all articles; `attributes` holds the accuracy of each of
    ATTRIBUTES on matched pairs (a gold relation without the field is not counted);
    `negative_*` count predictions on articles whose gold has no relation (these are also
    false positives in `pairs`); `optional_matched` counts predictions that matched an
    optional gold relation (neither TP nor FP); `officials` counts gold officials of matched
    pairs found by normalised name.
    """

    articles: int = 0
    pairs: Counts = field(default_factory=Counts)
    attributes: dict[str, Accuracy] = field(
        default_factory=lambda: {a: Accuracy() for a in ATTRIBUTES}
    )
    negative_articles: int = 0
    negative_articles_with_predictions: int = 0
    negative_relations: int = 0
    optional_matched: int = 0
    claims: Counts = field(default_factory=Counts)
    officials: Accuracy = field(default_factory=Accuracy)
    unmatched_predictions: list[str] = field(default_factory=list)
    results: list[ArticleResult] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs.precision

    @property
    def recall(self) -> float:
        return self.pairs.recall

    @property
    def f1(self) -> float:
        return self.pairs.f1

    @property
    def errors(self) -> list[ArticleResult]:
        """The articles with at least one error."""
        return [r for r in self.results if not r.ok]

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "pairs": self.pairs.to_dict(),
            "attributes": {name: acc.to_dict() for name, acc in self.attributes.items()},
            "negatives": {
                "articles": self.negative_articles,
                "articles_with_predictions": self.negative_articles_with_predictions,
                "relations": self.negative_relations,
            },
            "optional_matched": self.optional_matched,
            "claims": self.claims.to_dict(),
            "officials": {
                "found": self.officials.correct,
                "total": self.officials.total,
                "recall": round(self.officials.accuracy, 4),
            },
            "unmatched_predictions": self.unmatched_predictions,
            "errors": [r.to_dict() for r in self.errors],
        }


# --- scoring ---------------------------------------------------------------------------------


def score(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> Report:
    """Score predicted articles against gold articles (both as dicts, see the spec).

    A prediction belongs to the gold article with the same `id`, or whose `file` stem equals
    the prediction's id. A gold article without a prediction has all its pairs missing.

    Example:
        >>> report = score(load_gold("gold.jsonl"), load_predictions("pred.jsonl"))  # doctest: +SKIP
        >>> report.pairs.precision, report.pairs.recall  # doctest: +SKIP
    """
    by_id: dict[str, dict[str, Any]] = {}
    for record in predicted:
        by_id.setdefault(str(record.get("id")), record)
    used: set[str] = set()
    report = Report(articles=len(gold))
    for gold_article in gold:
        gold_id = str(gold_article.get("id"))
        prediction, predicted_id = None, None
        for candidate in _candidate_ids(gold_article):
            if candidate in by_id:
                prediction, predicted_id = by_id[candidate], candidate
                break
        result = ArticleResult(id=gold_id, predicted_id=predicted_id)
        if prediction is None:
            result.problems.append("no prediction for this article")
            prediction = {}
        else:
            used.add(predicted_id)  # type: ignore[arg-type]
        _score_article(gold_article, prediction, report, result)
        report.results.append(result)
    report.unmatched_predictions = [pid for pid in by_id if pid not in used]
    return report


def _candidate_ids(gold_article: dict[str, Any]) -> list[str]:
    ids = [str(gold_article.get("id"))]
    file = gold_article.get("file")
    if isinstance(file, str) and file:
        stem = PurePosixPath(file.replace("\\", "/")).stem
        if stem and stem not in ids:
            ids.append(stem)
    return ids


def _score_article(
    gold_article: dict[str, Any], prediction: dict[str, Any], report: Report, result: ArticleResult
) -> None:
    gold_relations = [r for r in gold_article.get("relations") or [] if isinstance(r, dict)]
    optional = [r for r in gold_article.get("optional") or [] if isinstance(r, dict)]
    predicted_relations = [r for r in prediction.get("relations") or [] if isinstance(r, dict)]
    for error in prediction.get("errors") or []:
        if isinstance(error, dict):
            result.problems.append(f"[{error.get('stage')}] {error.get('message')}")
        else:
            result.problems.append(str(error))

    matched: list[int | None] = [None] * len(gold_relations)  # gold index -> predicted index
    spurious = 0
    for p_index, relation in enumerate(predicted_relations):
        g_index = next(
            (
                i
                for i, g in enumerate(gold_relations)
                if matched[i] is None and relation_matches(relation, g)
            ),
            None,
        )
        if g_index is not None:
            matched[g_index] = p_index
            continue
        if any(relation_matches(relation, g) for g in optional):
            report.optional_matched += 1
            continue
        spurious += 1
        result.spurious.append(describe_relation(relation))

    tp = sum(1 for m in matched if m is not None)
    report.pairs.tp += tp
    report.pairs.fp += spurious
    report.pairs.fn += len(gold_relations) - tp
    if not gold_relations:
        report.negative_articles += 1
        if spurious:
            report.negative_articles_with_predictions += 1
            report.negative_relations += spurious

    for g_index, p_index in enumerate(matched):
        gold_relation = gold_relations[g_index]
        if p_index is None:
            result.missing.append(describe_relation(gold_relation))
            continue
        relation = predicted_relations[p_index]
        for name in ATTRIBUTES:
            if name not in gold_relation:
                continue
            accuracy = report.attributes[name]
            accuracy.total += 1
            if value_accepted(name, relation.get(name), gold_relation[name]):
                accuracy.correct += 1
            else:
                result.wrong.append(
                    WrongValue(
                        describe_relation(gold_relation),
                        name,
                        relation.get(name),
                        accepted_values(gold_relation[name]),
                    )
                )
        _score_officials(gold_relation, relation, report)

    _score_claims(gold_article.get("claims") or [], prediction.get("claims") or [], report, result)


def _score_officials(
    gold_relation: dict[str, Any], relation: dict[str, Any], report: Report
) -> None:
    found = {
        normalize_name(o["name"])
        for o in relation.get("officials") or []
        if isinstance(o, dict) and isinstance(o.get("name"), str)
    }
    for official in gold_relation.get("officials") or []:
        if not isinstance(official, dict) or not isinstance(official.get("name"), str):
            continue
        report.officials.total += 1
        if normalize_name(official["name"]) in found:
            report.officials.correct += 1


_CLAIM_SCOPES = ("national", "bilateral", "local")
# generic words a place or region may be written with or without ("Davao City", "Washington,
# D.C.", "SCO countries", "African countries")
_CLAIM_GENERIC_HEAD = ("city of ", "town of ", "province of ", "county of ", "the ")
_CLAIM_GENERIC_TAIL = (
    " city",
    " town",
    " county",
    " province",
    " prefecture",
    " municipality",
    " district",
    " d c",
    " dc",
    " countries",
    " nations",
    " member states",
    " states",
    " region",
)
_CLAIM_REGIONS = {
    "african": "africa",
    "asian": "asia",
    "central asian": "central asia",
    "european": "europe",
    "latin american": "latin america",
    "south american": "south america",
    "north american": "north america",
    "southeast asian": "southeast asia",
    "east asian": "east asia",
    "middle eastern": "middle east",
    "balkan": "balkans",
}


def claim_scope(claim: dict[str, Any]) -> str:
    """A claim's scope; gold written before scopes existed reads as national (or bilateral when
    it has a partner) for an ISO2 subject, local for a place."""
    scope = claim.get("scope")
    if isinstance(scope, str) and scope.strip().casefold() in _CLAIM_SCOPES:
        return scope.strip().casefold()
    if claim.get("partner"):
        return "bilateral"
    subject = claim.get("subject")
    if isinstance(subject, str) and subject.strip() and _claim_country(subject):
        return "national"
    return "local"


def _claim_country(value: str) -> str | None:
    """ISO2 for a country written as a code or a name ("CN", "China", "UK" -> GB)."""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return "GB" if text.upper() == "UK" else text.upper()
    try:
        from amity.gazetteer.index import load_gazetteer

        return load_gazetteer().country_code(text)
    except Exception:  # no gazetteer at hand: compare the names
        return None


def claim_place_key(value: Any, country: bool = False) -> str | None:
    """The comparable form of a claim's subject or partner: ISO2 for a country (`country`
    asks to try a name as a country), else the normalised name without generic words
    ("Davao City" ~ "Davao", "African countries" ~ "Africa")."""
    if not isinstance(value, str) or not value.strip():
        return None
    if country or (len(value.strip()) == 2 and value.strip().isalpha()):
        code = _claim_country(value)
        if code:
            return code
    key = normalize_name(value)
    for head in _CLAIM_GENERIC_HEAD:
        if key.startswith(head) and len(key) > len(head):
            key = key[len(head) :]
    changed = True
    while changed:
        changed = False
        for tail in _CLAIM_GENERIC_TAIL:
            if key.endswith(tail) and len(key) > len(tail):
                key, changed = key[: -len(tail)], True
    return _CLAIM_REGIONS.get(key, key)


def claim_number(claim: dict[str, Any]) -> int | None:
    """The count a claim states: `pairs`, else the lower bound `pairs_min`."""
    for key in ("pairs", "pairs_min"):
        value = claim.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            return int(value)
        if isinstance(value, str) and value.strip().replace(",", "").isdigit():
            return int(value.strip().replace(",", ""))
    return None


def _claim_key(claim: dict[str, Any]) -> tuple[Any, ...]:
    """What a claim matches on (the contract): scope, subject (and partner) and the number.
    A national or bilateral subject is a country (ISO2); a bilateral count between two
    countries matches in either order ("between French and British communities")."""
    scope = claim_scope(claim)
    national = scope != "local"
    subject = claim_place_key(claim.get("subject"), country=national)
    partner = claim_place_key(claim.get("partner"), country=True) if scope == "bilateral" else None
    if (
        scope == "bilateral"
        and subject
        and partner
        and len(subject) == len(partner) == 2
        and subject.isupper()
        and partner.isupper()
    ):
        subject, partner = sorted((subject, partner))
    return (scope, subject, partner, claim_number(claim))


def _score_claims(
    gold_claims: list[Any], predicted_claims: list[Any], report: Report, result: ArticleResult
) -> None:
    remaining = [c for c in gold_claims if isinstance(c, dict)]
    for claim in (c for c in predicted_claims if isinstance(c, dict)):
        key = _claim_key(claim)
        index = next((i for i, g in enumerate(remaining) if _claim_key(g) == key), None)
        if index is None:
            report.claims.fp += 1
            result.spurious_claims.append(describe_claim(claim))
        else:
            report.claims.tp += 1
            remaining.pop(index)
    report.claims.fn += len(remaining)
    result.missing_claims.extend(describe_claim(c) for c in remaining)


def describe_place(place: Any) -> str:
    """Describe a place as "Lyon (FR)"."""
    if not isinstance(place, dict):
        return "?"
    name = place.get("name")
    if name is None:
        names = place.get("names") or ["?"]
        name = names[0] if isinstance(names, list) and names else names
    country = place.get("country")
    return f"{name} ({country})" if country else str(name)


def describe_relation(relation: dict[str, Any]) -> str:
    """Describe a relation as "Lyon (FR) – Birmingham (GB)"."""
    return f"{describe_place(relation.get('a'))} – {describe_place(relation.get('b'))}"


def describe_claim(claim: dict[str, Any]) -> str:
    """Describe a claim as "CN: pairs_min=2800", "CN–Africa (bilateral): pairs=166" or
    "Nantong (local): pairs=27"."""
    numbers = ", ".join(
        f"{k}={claim[k]}" for k in ("pairs", "pairs_min") if claim.get(k) is not None
    )
    scope = claim_scope(claim)
    subject = str(claim.get("subject"))
    if scope == "bilateral":
        subject = f"{subject}–{claim.get('partner')} (bilateral)"
    elif scope == "local":
        subject = f"{subject} (local)"
    return f"{subject}: {numbers or 'no number'}"


def gold_as_prediction(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gold written as extraction output (first accepted spelling and value of each
    field): scoring it against the same gold is perfect.

    Example:
        >>> score(gold, gold_as_prediction(gold)).f1  # doctest: +SKIP
        1.0
    """

    def place(gold_place: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in gold_place.items() if k != "names"}
        out["name"] = gold_name_list(gold_place)[0] if gold_name_list(gold_place) else None
        return out

    def first(value: Any) -> Any:
        return accepted_values(value)[0]

    out = []
    for article in gold:
        relations = []
        for relation in article.get("relations") or []:
            converted = dict(relation)
            converted["a"], converted["b"] = place(relation["a"]), place(relation["b"])
            for name in ATTRIBUTES:
                if name in relation:
                    converted[name] = first(relation[name])
            relations.append(converted)
        out.append(
            {
                "id": article.get("id"),
                "published": article.get("published"),
                "relations": relations,
                "claims": list(article.get("claims") or []),
            }
        )
    return out


def gold_name_list(place: dict[str, Any]) -> list[str]:
    names = place.get("names")
    if isinstance(names, str):
        return [names]
    return [n for n in names or [] if isinstance(n, str)]


# --- running the extraction for a gold file --------------------------------------------------


def gold_articles(
    gold: list[dict[str, Any]],
    gold_path: str | os.PathLike[str],
    articles_path: str | os.PathLike[str] | None = None,
) -> list[Article]:
    """The input articles of a gold file, each with the gold's id.

    A gold line's `file` is read relative to the gold file's directory; a line without
    `file` is looked up by id in `articles_path` (JSONL, as `amity extract` reads it). A
    missing article becomes an Article that carries an ingest error. When the gold has a
    `published` date and the article none, the gold's date is used.

    Example:
        >>> articles = gold_articles(load_gold("seeds.gold.jsonl"), "seeds.gold.jsonl")  # doctest: +SKIP
    """
    from amity.ingest import read_article_file, read_articles
    from amity.ingest.text import error_article

    base = Path(gold_path).parent
    by_id: dict[str, Article] = {}
    if articles_path is not None:
        for article in read_articles([articles_path]):
            by_id.setdefault(article.id, article)
    out: list[Article] = []
    for record in gold:
        gold_id = str(record["id"])
        file = record.get("file")
        if isinstance(file, str) and file:
            path = base / file
            found = read_article_file(path)
            article = found[0] if found else error_article(gold_id, str(path), "no article in file")
        elif gold_id in by_id:
            article = by_id[gold_id]
        else:
            where = os.fspath(articles_path) if articles_path is not None else os.fspath(gold_path)
            hint = (
                "" if articles_path is not None else " (the gold line has no 'file'; pass articles)"
            )
            article = error_article(gold_id, where, f"no article with id {gold_id!r}{hint}")
        article.id = gold_id
        published = record.get("published")
        if article.published is None and isinstance(published, str) and published:
            try:
                article.published = dt.date.fromisoformat(published)
            except ValueError:
                pass
        out.append(article)
    return out


def evaluate_files(
    gold_path: str | os.PathLike[str],
    predictions_path: str | os.PathLike[str] | None = None,
    *,
    articles_path: str | os.PathLike[str] | None = None,
    pipeline: Pipeline | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> Report:
    """Score a predictions file against a gold file; without predictions, run the
    extraction on the gold's own articles first (see `gold_articles`).

    `on_article` is called with each extracted article (progress, error display).

    Example:
        >>> report = evaluate_files("tests/fixtures/extraction/gold.jsonl",
        ...                         articles_path="tests/fixtures/extraction/articles.jsonl")  # doctest: +SKIP
    """
    gold = load_gold(gold_path)
    if predictions_path is not None:
        return score(gold, load_predictions(predictions_path))
    return score(gold, predict(gold_articles(gold, gold_path, articles_path), pipeline, on_article))


def predict(
    articles: Iterable[Article],
    pipeline: Pipeline | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> list[dict[str, Any]]:
    """Run the extraction and return the output as contract dicts."""
    from amity.pipeline import extract_articles

    out = []
    for article in extract_articles(articles, pipeline):
        if on_article is not None:
            on_article(article)
        out.append(article.to_dict())
    return out


# --- display ---------------------------------------------------------------------------------


def render(report: Report) -> RenderableType:
    """Tables of the scores, then one row per error (all text escaped: names are untrusted).

    Example:
        >>> from rich.console import Console
        >>> Console().print(render(report))  # doctest: +SKIP
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    pairs = report.pairs
    summary = Table(title=f"Pairs ({report.articles} articles)", title_justify="left")
    for column in ("TP", "FP", "FN", "precision", "recall", "F1"):
        summary.add_column(column, justify="right")
    summary.add_row(
        str(pairs.tp),
        str(pairs.fp),
        str(pairs.fn),
        f"{pairs.precision:.3f}",
        f"{pairs.recall:.3f}",
        f"{pairs.f1:.3f}",
    )

    attributes = Table(title="On matched pairs", title_justify="left")
    attributes.add_column("field")
    attributes.add_column("correct", justify="right")
    attributes.add_column("accuracy", justify="right")
    for name, acc in report.attributes.items():
        attributes.add_row(name, f"{acc.correct}/{acc.total}", f"{acc.accuracy:.3f}")
    attributes.add_row(
        "officials (recall)",
        f"{report.officials.correct}/{report.officials.total}",
        f"{report.officials.accuracy:.3f}",
    )

    extra = Table(title="Other figures", title_justify="left")
    extra.add_column("figure")
    extra.add_column("value", justify="right")
    extra.add_row(
        "negative articles with predictions",
        f"{report.negative_articles_with_predictions}/{report.negative_articles}",
    )
    extra.add_row("relations predicted on negative articles", str(report.negative_relations))
    extra.add_row("predictions matching an optional relation", str(report.optional_matched))
    claims = report.claims
    extra.add_row("claims TP/FP/FN", f"{claims.tp}/{claims.fp}/{claims.fn}")
    extra.add_row("claims precision / recall", f"{claims.precision:.3f} / {claims.recall:.3f}")
    if report.unmatched_predictions:
        extra.add_row("predictions without a gold article", str(len(report.unmatched_predictions)))

    parts: list[Any] = [summary, attributes, extra]
    if report.errors:
        errors = Table(title="Errors", title_justify="left")
        errors.add_column("article")
        errors.add_column("kind")
        errors.add_column("detail")
        for result in report.errors:
            for text in result.problems:
                errors.add_row(Text(result.id), "problem", Text(text))
            for text in result.missing:
                errors.add_row(Text(result.id), "missing pair", Text(text))
            for text in result.spurious:
                errors.add_row(Text(result.id), "spurious pair", Text(text))
            for wrong in result.wrong:
                detail = (
                    f"{wrong.pair}: {wrong.field} = {json.dumps(wrong.predicted, ensure_ascii=False)}, "
                    f"accepted {json.dumps(wrong.accepted, ensure_ascii=False)}"
                )
                errors.add_row(Text(result.id), "wrong value", Text(detail))
            for text in result.missing_claims:
                errors.add_row(Text(result.id), "missing claim", Text(text))
            for text in result.spurious_claims:
                errors.add_row(Text(result.id), "spurious claim", Text(text))
        parts.append(errors)
    else:
        parts.append(Text("No errors."))
    return Group(*parts)

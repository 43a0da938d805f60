"""Training and cross-validating the pair scorer from gold files.

`examine_gold` runs every stage but the scorer over a gold file's articles once: each
candidate pair gets its features, its described and resolved relation, and a label (does it
match a gold relation, by the same rule `amity eval` scores with). Models are then fitted
and scored on those examples in memory, so a 5-fold cross-validation costs one extraction.

    >>> sets = [examine_gold("gold.jsonl", "articles.jsonl")]          # doctest: +SKIP
    >>> model = fit([e for s in sets for e in s.examples])              # doctest: +SKIP
    >>> report = cross_validate(sets[0], folds=5)                       # doctest: +SKIP
"""

from __future__ import annotations

import copy
import os
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from amity.evaluate import Report, gold_articles, load_gold, relation_matches, score
from amity.extract.features import FEATURES, vector
from amity.extract.scoring import PairScorer
from amity.prefilter import prefilter
from amity.resolve.stage import ResolveStage
from amity.types import Article, Claim, Relation

PRIOR_FEATURES = ("known_pair", "log_degree_min", "log_degree_max")


@dataclass
class Example:
    """One candidate pair of one article."""

    article_id: str
    features: list[float]
    label: int  # 1 a gold relation, 0 not, -1 an optional one (fine either way: not trained on)
    relation: Relation  # resolved on its own (for the label)
    known: bool  # the knowledge index lists the pair
    raw: Relation  # as extract wrote it, for the resolve stage to see with the rest


@dataclass
class ArticleCase:
    article: Article  # relations and claims empty; published, id as in the gold
    gold: dict[str, Any]
    examples: list[Example] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class GoldSet:
    name: str
    cases: list[ArticleCase]

    @property
    def examples(self) -> list[Example]:
        return [e for c in self.cases for e in c.examples]


def examine_gold(
    gold_path: str | os.PathLike[str],
    articles_path: str | os.PathLike[str] | None = None,
    extractor: Any = None,
    on_article: Callable[[Article], None] | None = None,
) -> GoldSet:
    """Candidates, features, relations and labels for every article of a gold file."""
    from amity.extract import Extractor

    extractor = extractor or Extractor()
    resolver = ResolveStage()
    gold = load_gold(gold_path)
    cases = []
    for record, article in zip(gold, gold_articles(gold, gold_path, articles_path), strict=True):
        case = ArticleCase(article, record)
        cases.append(case)
        if article.errors or not article.text:
            continue
        prefilter(article)
        if article.relevant:
            _examine(extractor, resolver, case)
        if on_article is not None:
            on_article(article)
    return GoldSet(os.fspath(gold_path), cases)


def _examine(extractor: Any, resolver: ResolveStage, case: ArticleCase) -> None:
    article = case.article
    examined = extractor.examine(article)
    relations = extractor.describe(article, examined.reading, examined.found.records)
    case.claims = extractor._claims(examined.reading)
    gold_relations = case.gold.get("relations") or []
    optional = case.gold.get("optional") or []
    for _record, features, relation in zip(examined.found.records, examined.features, relations, strict=True):
        raw = copy.deepcopy(relation)
        # each candidate resolved on its own for its label: resolving all candidates together
        # let junk candidates anchor names (5-fold F1 0.942 -> 0.916); predictions are resolved
        # together, kept relations only, in predict_case, as the pipeline does
        relation.a, relation.b = resolver.resolve_pair(relation.a, relation.b, article.country_mentions, article.text or "")
        predicted = relation.to_dict()
        if any(relation_matches(predicted, g) for g in gold_relations):
            label = 1
        elif any(relation_matches(predicted, g) for g in optional):
            label = -1
        else:
            label = 0
        known = features["known_pair"] > 0
        case.examples.append(Example(article.id, vector(features), label, relation, known, raw))


# --- fitting -----------------------------------------------------------------------------------


def fit(examples: list[Example], kind: str = "trees", ablate: Iterable[str] = PRIOR_FEATURES, seed: int = 0) -> dict[str, Any]:
    """A model (JSON-ready dict) from labelled examples; `ablate` zeroes features: by
    default the knowledge prior (see `train`); `ablate=()` uses every feature."""
    X, y = _matrix(examples, ablate)
    if len(set(y)) < 2:
        raise ValueError("training needs both relations and non-relations among the candidates")
    model = _fit_trees(X, y, seed) if kind == "trees" else _fit_logistic(X, y)
    model["features"] = list(FEATURES)
    model["ablated"] = sorted(ablate)
    model["threshold"] = _best_threshold(examples, kind, ablate, seed)
    model["trained_on"] = {"examples": len(y), "relations": int(sum(y))}
    return model


def _matrix(examples: list[Example], ablate: Iterable[str] = ()):
    drop = [FEATURES.index(name) for name in ablate]
    X, y = [], []
    for example in examples:
        if example.label < 0:
            continue
        row = list(example.features)
        for i in drop:
            row[i] = 0.0
        X.append(row)
        y.append(example.label)
    return X, y


def _fit_trees(X, y, seed: int) -> dict[str, Any]:
    from sklearn.ensemble import GradientBoostingClassifier

    # shallow, slow and with big leaves: a few hundred articles, so generalise over memorise
    # (chosen by 5-fold cross-validation on news-dev; see benchmarks/crossval.py)
    clf = GradientBoostingClassifier(
        n_estimators=200, learning_rate=0.05, max_depth=2, min_samples_leaf=10, subsample=0.9, random_state=seed
    )
    clf.fit(X, y)
    trees = []
    for (estimator,) in clf.estimators_:
        t = estimator.tree_
        trees.append([
            t.children_left.tolist(),
            t.children_right.tolist(),
            [max(0, int(f)) for f in t.feature],
            [float(v) for v in t.threshold],
            [float(v[0][0]) for v in t.value],
        ])
    init = float(clf._raw_predict_init([X[0]])[0][0])
    return {"kind": "trees", "init": init, "learning_rate": clf.learning_rate, "trees": trees}


def _fit_logistic(X, y) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    matrix = np.asarray(X, dtype=float)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit((matrix - mean) / scale, y)
    return {"kind": "logistic", "mean": mean.tolist(), "scale": scale.tolist(), "coef": clf.coef_[0].tolist(),
            "intercept": float(clf.intercept_[0])}


def _best_threshold(examples: list[Example], kind: str, ablate: Iterable[str], seed: int, folds: int = 3) -> float:
    """The cut that maximises pair F1 on out-of-fold scores of the training examples."""
    ids = sorted({e.article_id for e in examples})
    if len(ids) < folds * 2:
        return 0.5
    scored: list[tuple[float, int]] = []
    for train_ids, test_ids in _folds(ids, folds, seed):
        train = [e for e in examples if e.article_id in train_ids]
        X, y = _matrix(train, ablate)
        if len(set(y)) < 2:
            continue
        model = _fit_trees(X, y, seed) if kind == "trees" else _fit_logistic(X, y)
        model.update(features=list(FEATURES), threshold=0.5)
        scorer = PairScorer(model)
        test = [e for e in examples if e.article_id in test_ids and e.label >= 0]
        X_test, y_test = _matrix(test, ablate)
        scored.extend(zip(scorer.probabilities(X_test), y_test, strict=True))
    positives = sum(label for _, label in scored)
    cuts = [i / 40 for i in range(4, 37)]
    f1s = []
    for cut in cuts:
        tp = sum(1 for p, label in scored if p >= cut and label)
        fp = sum(1 for p, label in scored if p >= cut and not label)
        f1s.append(2 * tp / (2 * tp + fp + (positives - tp)) if positives else 0.0)
    # the F1 curve is flat near its top: take the middle of the cuts within a point of the
    # best, so that a small change in the data does not swing the threshold from end to end
    near = [cut for cut, f1 in zip(cuts, f1s, strict=True) if f1 >= max(f1s) - 0.01]
    return near[len(near) // 2]


def _folds(ids: list[str], k: int, seed: int) -> list[tuple[set[str], set[str]]]:
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    out = []
    for i in range(k):
        test = set(shuffled[i::k])
        out.append((set(ids) - test, test))
    return out


# --- predicting and scoring --------------------------------------------------------------------


def predict_case(case: ArticleCase, scorer: PairScorer) -> dict[str, Any]:
    """The contract dict `amity extract` would write for this article under this scorer (the
    scorer zeroes the features its model was trained without)."""
    article = copy.copy(case.article)
    kept = []
    decisions = scorer.decide([e.features for e in case.examples])
    for example, (probability, keep) in zip(case.examples, decisions, strict=True):
        if keep:
            relation = copy.deepcopy(example.raw)
            relation.confidence = probability
            kept.append(relation)
    # the resolve stage sees the kept relations together, as in the pipeline, and merges them
    article.relations = kept
    article = _resolve_stage()(article)
    article.claims = list(case.claims)
    article.errors = []
    return article.to_dict()


_RESOLVE: ResolveStage | None = None


def _resolve_stage() -> ResolveStage:
    global _RESOLVE
    if _RESOLVE is None:
        _RESOLVE = ResolveStage()
    return _RESOLVE


def score_cases(cases: list[ArticleCase], scorer: PairScorer) -> Report:
    return score([c.gold for c in cases], [predict_case(c, scorer) for c in cases])


@dataclass
class CrossValidation:
    report: Report  # every article scored once, by a model that never saw it
    folds: int
    thresholds: list[float]
    predictions: list[dict[str, Any]]  # each target article's output, in the target's order


def cross_validate(
    target: GoldSet,
    folds: int = 5,
    also_train: Iterable[GoldSet] = (),
    kind: str = "trees",
    ablate: Iterable[str] = PRIOR_FEATURES,
    seed: int = 0,
) -> CrossValidation:
    """K-fold cross-validation by article on `target`; `also_train` sets join every fold's
    training data (never its test data)."""
    extra = [e for s in also_train for e in s.examples]
    ids = [c.gold["id"] for c in target.cases]
    predictions: dict[str, dict[str, Any]] = {}
    thresholds = []
    for train_ids, test_ids in _folds(ids, folds, seed):
        train = extra + [e for c in target.cases if c.gold["id"] in train_ids for e in c.examples]
        scorer = PairScorer(fit(train, kind, ablate, seed))
        thresholds.append(scorer.threshold)
        for case in target.cases:
            if case.gold["id"] in test_ids:
                predictions[case.gold["id"]] = predict_case(case, scorer)
    ordered = [predictions[c.gold["id"]] for c in target.cases]
    return CrossValidation(score([c.gold for c in target.cases], ordered), folds, thresholds, ordered)


def transfer(train: list[GoldSet], test: list[ArticleCase], kind: str = "trees", ablate: Iterable[str] = PRIOR_FEATURES, seed: int = 0) -> Report:
    """Train on whole sets, score other articles (e.g. nd-a* -> nd-b*)."""
    scorer = PairScorer(fit([e for s in train for e in s.examples], kind, ablate, seed))
    return score_cases(test, scorer)


def subset(gold_set: GoldSet, prefix: str) -> GoldSet:
    return GoldSet(f"{gold_set.name}[{prefix}*]", [c for c in gold_set.cases if str(c.gold["id"]).startswith(prefix)])


def candidate_recall(gold_set: GoldSet) -> tuple[int, int]:
    """(gold relations some candidate matches, gold relations)."""
    found = total = 0
    for case in gold_set.cases:
        for gold_relation in case.gold.get("relations") or []:
            total += 1
            if any(relation_matches(e.relation.to_dict(), gold_relation) for e in case.examples):
                found += 1
    return found, total


# --- the `amity train` command ------------------------------------------------------------------


@dataclass
class TrainResult:
    model: dict[str, Any]
    output: str
    crossval: CrossValidation | None  # over all given articles, when folds > 1
    sets: list[GoldSet]


def default_model_path() -> str:
    """Where the shipped model lives (inside the installed package)."""
    from importlib.resources import files

    from amity.extract.scoring import MODEL_FILE

    return os.fspath(files("amity.data").joinpath(MODEL_FILE))


def train(
    golds: list[tuple[str | os.PathLike[str], str | os.PathLike[str] | None]],
    output: str | os.PathLike[str] | None = None,
    folds: int = 5,
    kind: str = "trees",
    seed: int = 0,
    on_article: Callable[[Article], None] | None = None,
    prior: bool = False,
) -> TrainResult:
    """Fit the pair scorer on (gold, articles) files, cross-validate it by article, write it.

    `prior` lets the model use the knowledge index's features. Off by default: measured on
    news-dev it does not raise F1 and it makes new pairs (Qingdao–Kiel, absent from the
    lists) less likely than known ones in the same sentence — the opposite of what amity is for.

    Example: train([("gold.jsonl", "articles.jsonl")], "pair_scorer.json", folds=5)
    """
    ablate: tuple[str, ...] = () if prior else PRIOR_FEATURES
    import json

    from amity.extract import Extractor

    extractor = Extractor(scorer=PairScorer.rules_only())
    sets = [examine_gold(gold, articles, extractor, on_article) for gold, articles in golds]
    pooled = GoldSet("+".join(s.name for s in sets), [c for s in sets for c in s.cases])
    crossval = cross_validate(pooled, folds, kind=kind, ablate=ablate, seed=seed) if folds > 1 else None
    model = fit(pooled.examples, kind, ablate=ablate, seed=seed)
    model["trained_on"]["gold"] = [os.path.basename(os.fspath(g)) for g, _ in golds]
    target = os.fspath(output) if output is not None else default_model_path()
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(model, handle, separators=(",", ":"))
    return TrainResult(model, target, crossval, sets)

"""The learned pair scorer: which candidate pairs are relations.

Reads: feature vectors (`amity.extract.features.FEATURES` order). Writes: a probability per
candidate; the extractor keeps those at or above the model's `threshold`.

The model is a gradient-boosted tree ensemble or a logistic regression stored as plain JSON
(amity/data/models/pair_scorer.json): no pickle, no scikit-learn at run time, the same
numbers on every machine. `amity train` (`amity.extract.training`) rebuilds it from gold files.
"""

from __future__ import annotations

import json
import math
import os
from importlib.resources import files
from pathlib import Path
from typing import Any

from amity.extract.features import FEATURES

MODEL_FILE = "models/pair_scorer.json"
# Pairs the grammar states outright ("A and B signed ...", "A and B, C and D twinned") are
# relations 93 % of the time on every corpus here (news-dev 40/46, fixtures 32/33, held-out
# 21/22, blind 12/13), more than the few such examples teach the trees: they are kept unless
# the model is sure they are not (below this share of its threshold). So is a host's list of
# partners with a year for each ("... with Oslo, Norway (since 1962); Lima (1980)"):
# 30 of 30 such candidates in news-dev are relations, none in the other sets is not.
# Each entry holds the features that must all be set.
STATED_RULES = (("rule_coordination",), ("rule_pair-list",), ("rule_partner-list", "year_in_brackets"))
STATED_FLOOR = 1 / 3


class ModelError(RuntimeError):
    """The pair scorer's model file is missing or unusable."""


class PairScorer:
    def __init__(self, model: dict[str, Any]):
        if model.get("features") != list(FEATURES):
            raise ModelError(
                "the pair scorer model was trained on other features than this amity computes: "
                "rebuild it with `amity train`"
            )
        self.model = model
        self.kind = model["kind"]
        self.threshold = float(model["threshold"])
        self._drop = [FEATURES.index(name) for name in model.get("ablated", [])]
        self._stated = [[FEATURES.index(name) for name in rule] for rule in STATED_RULES]
        self._contained = FEATURES.index("contained")

    @classmethod
    def load(cls, path: str | Path | None = None) -> PairScorer:
        """The model at `path`, else $AMITY_PAIR_MODEL, else the one shipped in amity/data/models."""
        path = path or os.environ.get("AMITY_PAIR_MODEL") or None
        if path is None:
            resource = files("amity.data").joinpath(MODEL_FILE)
            where = f"amity/data/{MODEL_FILE}"
            if not resource.is_file():
                raise ModelError(f"the pair scorer model {where} is missing: build it with `amity train` (docs/stages.md)")
            text = resource.read_text(encoding="utf-8")
        else:
            where = str(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as error:
                raise ModelError(f"cannot read the pair scorer model {where}: {error.strerror or error}") from error
        try:
            return cls(json.loads(text))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ModelError(f"the pair scorer model {where} is not a model file: {error}") from error

    @classmethod
    def rules_only(cls) -> PairScorer:
        """No learning: keep what a precise grammar rule proposed (the old extractor)."""
        weights = [0.0] * len(FEATURES)
        weights[FEATURES.index("precise_rules")] = 10.0
        return cls({"kind": "logistic", "features": list(FEATURES), "threshold": 0.5, "mean": [0.0] * len(FEATURES),
                    "scale": [1.0] * len(FEATURES), "coef": weights, "intercept": -5.0})

    def probabilities(self, vectors: list[list[float]]) -> list[float]:
        if self.kind == "logistic":
            return [self._logistic(self._ablated(v)) for v in vectors]
        if self.kind == "trees":
            return [self._trees(self._ablated(v)) for v in vectors]
        raise ModelError(f"unknown pair scorer model kind {self.kind!r}")

    def decide(self, vectors: list[list[float]]) -> list[tuple[float, bool]]:
        """(probability, kept) for each candidate's feature vector."""
        return [(p, self.keeps(v, p)) for v, p in zip(vectors, self.probabilities(vectors), strict=True)]

    def keeps(self, vector: list[float], probability: float) -> bool:
        """Is a candidate with these features and this probability a relation? Never a place
        and the province or city it lies in ("Kunming, Yunnan")."""
        if vector[self._contained]:
            return False
        if probability >= self.threshold:
            return True
        stated = any(all(vector[i] for i in rule) for rule in self._stated)
        return stated and probability >= self.threshold * STATED_FLOOR

    def _ablated(self, v: list[float]) -> list[float]:
        """Features the model was trained without are zero for it (`amity train` without
        --prior leaves the knowledge prior out)."""
        if not self._drop:
            return v
        v = list(v)
        for i in self._drop:
            v[i] = 0.0
        return v

    def _logistic(self, v: list[float]) -> float:
        m = self.model
        z = m["intercept"] + sum(c * (x - mu) / s for c, x, mu, s in zip(m["coef"], v, m["mean"], m["scale"], strict=True))
        return _sigmoid(z)

    def _trees(self, v: list[float]) -> float:
        m = self.model
        z = m["init"]
        for tree in m["trees"]:
            node = 0
            left, right, feature, threshold, value = tree
            while left[node] != -1:
                node = left[node] if v[feature[node]] <= threshold[node] else right[node]
            z += m["learning_rate"] * value[node]
        return _sigmoid(z)


def _sigmoid(z: float) -> float:
    if z < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))



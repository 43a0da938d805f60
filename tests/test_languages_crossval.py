"""Floors for the multilingual reader on news-ml (../shared), cross-validated as
benchmarks/crossval_ml.py does. Measured 2026-11-29: language id 64/64, candidate recall
0.82, 5-fold pair F1 0.66 (P 0.67, R 0.65; zh 0.82, it 0.88, fr 0.71), 0 relations on the
negatives. The floors sit a little below; docs/languages.md has the per-language table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from shared_paths import require_shared

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "crossval_ml.py"


@pytest.fixture(scope="module")
def measured(gazetteer):
    news_ml = require_shared("corpus/news-ml")
    spec = importlib.util.spec_from_file_location("crossval_ml", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules["crossval_ml"] = module
    spec.loader.exec_module(module)
    examined = module.examine_all(news_ml / "gold.jsonl", news_ml / "articles.jsonl")
    return module, examined


def test_language_identification_is_right_on_news_ml(measured):
    from amity.languages import detect_language

    _, examined = measured
    assert all(detect_language(e["article"].full_text).language == e["lang"] for e in examined)


def test_crossvalidated_pair_scores_stay_above_their_floors(measured):
    module, examined = measured
    result = module.scores(examined, module.crossvalidate(examined))
    overall = result["all"]
    assert overall["f1"] >= 0.60, overall
    assert overall["precision"] >= 0.60, overall
    assert overall["negative_relations"] == 0, overall
    assert overall["tier_accuracy"] >= 0.95 and overall["established_accuracy"] >= 0.8, overall
    # zh measured 0.80 on the gazetteer of the first build and 0.71 on the final one (more
    # native names: admin areas and regions); the floor follows the final measurement.
    assert result["zh"]["f1"] >= 0.65 and result["it"]["f1"] >= 0.8 and result["fr"]["f1"] >= 0.65, result

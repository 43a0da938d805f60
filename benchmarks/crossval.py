"""How well the pair scorer generalises, measured honestly in one run.

Reads every gold set once (ingest -> prefilter -> reading -> candidates -> features ->
description -> resolution), then fits and scores models in memory:

- candidate recall: the share of gold relations that some candidate pair matches (the
  ceiling of everything after it);
- rules only: what the precise grammar rules alone give (the extractor before the scorer);
- news-dev 5-fold cross-validation by article (the team's fixtures join every fold's
  training data, never its test data);
- transfer: trained on nd-a* (+ fixtures), scored on nd-b*, and the reverse;
- the knowledge prior: the same cross-validation with the prior's features zeroed, and F1
  on gold pairs the index knows and on those it does not;
- the shipped model on sets it never saw (seeds, held-out, blind).

Inputs come from ../shared (AMITY_SHARED overrides it) and tests/fixtures.
Usage: .venv/bin/python benchmarks/crossval.py [--folds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AMITY_SHARED") or REPO.parent / "shared")
FIXTURES = REPO / "tests" / "fixtures"


def _row(name: str, report) -> dict:
    attributes = {k: round(v.accuracy, 3) for k, v in report.attributes.items() if k in ("tier", "event", "event_date", "established")}
    return {"what": name, "P": round(report.precision, 3), "R": round(report.recall, 3), "F1": round(report.f1, 3),
            **attributes, "claims_F1": round(report.claims.f1, 3),
            "negatives_with_relations": report.negative_articles_with_predictions}


def _split_known(cases, predictions, knowledge):
    """Gold and predictions restricted to pairs the knowledge index knows, and to the rest."""
    from amity.evaluate import gold_name_list

    def gold_known(relation) -> bool:
        return any(knowledge.known(a, b) for a in gold_name_list(relation["a"]) for b in gold_name_list(relation["b"]))

    def predicted_known(relation) -> bool:
        names_a = {relation["a"]["name"], relation["a"].get("canonical") or relation["a"]["name"]}
        names_b = {relation["b"]["name"], relation["b"].get("canonical") or relation["b"]["name"]}
        return any(knowledge.known(a, b) for a in names_a for b in names_b)

    out = {}
    for group, wanted in (("known", True), ("unknown", False)):
        gold = [{**c.gold, "relations": [r for r in c.gold.get("relations") or [] if gold_known(r) == wanted],
                 "optional": c.gold.get("optional") or []} for c in cases]
        predicted = [{**p, "relations": [r for r in p["relations"] if predicted_known(r) == wanted]} for p in predictions]
        out[group] = (gold, predicted)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    args = parser.parse_args(argv)
    news_dev = SHARED / "corpus" / "news-dev"
    if not news_dev.exists():
        print(f"crossval: {news_dev} is missing (set AMITY_SHARED)", file=sys.stderr)
        return 1

    from amity.evaluate import score
    from amity.extract import Extractor
    from amity.extract.scoring import PairScorer
    from amity.extract.training import (
        candidate_recall,
        cross_validate,
        examine_gold,
        score_cases,
        subset,
        transfer,
    )
    from amity.gazetteer.knowledge import load_knowledge

    extractor = Extractor(scorer=PairScorer.rules_only())
    nd = examine_gold(news_dev / "gold.jsonl", news_dev / "articles.jsonl", extractor)
    fx = examine_gold(FIXTURES / "extraction" / "gold.jsonl", FIXTURES / "extraction" / "articles.jsonl", extractor)
    unseen = {
        "seeds": examine_gold(SHARED / "corpus" / "seeds.gold.jsonl", None, extractor),
        "held-out": examine_gold(FIXTURES / "heldout" / "gold.jsonl", FIXTURES / "heldout" / "articles.jsonl", extractor),
        "blind": examine_gold(FIXTURES / "blind" / "gold.jsonl", FIXTURES / "blind" / "articles.jsonl", extractor),
    }
    rows = []
    for name, gold_set in (("news-dev", nd), ("fixtures", fx), *unseen.items()):
        found, total = candidate_recall(gold_set)
        rows.append({"what": f"candidate recall, {name}", "recall": round(found / max(1, total), 3), "found": found, "gold": total,
                     "candidates": len(gold_set.examples)})
    rules = PairScorer.rules_only()
    rows.append(_row("rules only, news-dev", score_cases(nd.cases, rules)))
    cv = cross_validate(nd, args.folds, [fx])
    rows.append(_row(f"news-dev {args.folds}-fold CV (as shipped: no knowledge prior)", cv.report))
    cv_prior = cross_validate(nd, args.folds, [fx], ablate=())
    rows.append(_row(f"news-dev {args.folds}-fold CV, with the knowledge prior", cv_prior.report))
    rows.append(_row("train nd-a* -> score nd-b*", transfer([fx, subset(nd, "nd-a")], subset(nd, "nd-b").cases)))
    rows.append(_row("train nd-b* -> score nd-a*", transfer([fx, subset(nd, "nd-b")], subset(nd, "nd-a").cases)))

    knowledge = load_knowledge()
    for label, run in (("with prior", cv_prior), ("no prior (shipped)", cv)):
        for group, (gold, predicted) in _split_known(nd.cases, run.predictions, knowledge).items():
            report = score(gold, predicted)
            rows.append({"what": f"news-dev CV, gold pairs {group} to the index, {label}", "P": round(report.precision, 3),
                         "R": round(report.recall, 3), "F1": round(report.f1, 3), "gold": report.pairs.tp + report.pairs.fn})

    shipped = PairScorer.load()
    for name, gold_set in unseen.items():
        rows.append(_row(f"shipped model, {name} (never trained on)", score_cases(gold_set.cases, shipped)))

    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        for row in rows:
            print(" | ".join(f"{k} {v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

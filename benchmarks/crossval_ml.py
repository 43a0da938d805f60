"""Cross-validated scores of the multilingual extractor on news-ml, per language and overall.

    .venv/bin/python benchmarks/crossval_ml.py              # 5-fold, grouped by article
    .venv/bin/python benchmarks/crossval_ml.py --write      # also train on all 64, ship the model
    .venv/bin/python benchmarks/crossval_ml.py --json out.json

Prints language-identification accuracy, candidate recall (gold pairs some candidate
matches), then pair P/R/F1 (micro and macro per article), event, event_date and established
accuracy, and relations on the negatives — for the learned scorer under cross-validation
(each article scored by a model that never saw it) and for the pairing rules alone.
In-sample caveat: the lexicons, pairing rules and place filters were written while reading
all 64 articles, so only the scorer's weights are truly held out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS_ML = ROOT.parent / "shared" / "corpus" / "news-ml"
FOLDS = 5


def examine_all(gold_path: Path, articles_path: Path):
    """Every article with its language, candidates, features, resolved relations and labels."""
    from amity.evaluate import gold_articles, load_gold, relation_matches
    from amity.gazetteer.knowledge import load_knowledge
    from amity.languages.detect import detect_language
    from amity.languages.extractor import MultilingualExtractor, describe
    from amity.languages.scoring import candidate_features
    from amity.resolve.stage import ResolveStage

    gold = load_gold(gold_path)
    articles = gold_articles(gold, gold_path, articles_path)
    stated = {json.loads(line)["id"]: json.loads(line).get("lang") for line in articles_path.open(encoding="utf-8")}
    extractor = MultilingualExtractor(scorer=False)
    resolver = ResolveStage()
    knowledge = load_knowledge()
    examined = []
    for article, record in zip(articles, gold, strict=True):
        article.language = detect_language(article.full_text).language
        reading, found = extractor.examine(article)
        items = []
        for candidate in found:
            relation = describe(reading, candidate, article.published)
            relation.a, relation.b = resolver.resolve_pair(relation.a, relation.b, article.country_mentions, article.full_text)
            as_dict = relation.to_dict()
            if any(relation_matches(as_dict, g) for g in record.get("relations", [])):
                label = 1
            elif any(relation_matches(as_dict, g) for g in record.get("optional", []) or []):
                label = None  # fine either way: not a training example
            else:
                label = 0
            items.append((candidate, candidate_features(reading, candidate, knowledge), relation, label))
        examined.append({"article": article, "gold": record, "lang": stated.get(article.id), "reading": reading, "items": items})
    return examined


def predictions(examined, keep) -> list[dict]:
    from amity.resolve.stage import merge_same_pairs

    out = []
    for entry in examined:
        relations = [relation for candidate, features, relation, _ in entry["items"] if keep(entry, candidate, features)]
        out.append({"id": entry["article"].id, "relations": [r.to_dict() for r in merge_same_pairs(list(relations))], "claims": []})
    return out


def scores(examined, predicted) -> dict:
    from amity.evaluate import score

    by_language: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(examined):
        by_language[entry["lang"]].append(index)
    result = {}
    for language, indexes in [("all", list(range(len(examined)))), *sorted(by_language.items())]:
        report = score([examined[i]["gold"] for i in indexes], [predicted[i] for i in indexes]).to_dict()
        macro = []
        for i in indexes:
            one = score([examined[i]["gold"]], [predicted[i]]).to_dict()["pairs"]
            if one["tp"] + one["fn"] > 0:
                macro.append(one["f1"])
        result[language] = {
            "articles": len(indexes),
            **{k: report["pairs"][k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")},
            "macro_f1": round(sum(macro) / len(macro), 4) if macro else None,
            **{f"{k}_accuracy": report["attributes"][k]["accuracy"] for k in ("tier", "event", "event_date", "established")},
            "negative_relations": report["negatives"]["relations"],
        }
    return result


def fold_of(examined) -> list[int]:
    """Round-robin within each language, so every fold holds every language."""
    seen: dict[str, int] = defaultdict(int)
    folds = []
    for entry in examined:
        folds.append(seen[entry["lang"]] % FOLDS)
        seen[entry["lang"]] += 1
    return folds


def crossvalidate(examined) -> list[dict]:
    from amity.languages.scoring import PairScorer, train, vector

    folds = fold_of(examined)
    scorers = {}
    for fold in range(FOLDS):
        rows, labels = [], []
        for entry, f in zip(examined, folds, strict=True):
            if f == fold:
                continue
            for _, features, _, label in entry["items"]:
                if label is not None:
                    rows.append(vector(features))
                    labels.append(label)
        scorers[fold] = PairScorer(train(rows, labels))
    index = {id(entry): f for entry, f in zip(examined, folds, strict=True)}
    def keep(entry, candidate, features):
        scorer = scorers[index[id(entry)]]
        return scorer.keeps(candidate, features, scorer.probability(features))

    return predictions(examined, keep)


def table(title: str, result: dict) -> str:
    lines = [title, f"{'lang':5} {'n':>3} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>7} {'tier':>5} {'event':>5} {'date':>5} {'estab':>5} {'neg':>4}"]
    for language, r in result.items():
        macro = f"{r['macro_f1']:.3f}" if r["macro_f1"] is not None else "  -  "
        lines.append(
            f"{language:5} {r['articles']:>3} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {macro:>7} "
            f"{r['tier_accuracy']:5.2f} {r['event_accuracy']:5.2f} {r['event_date_accuracy']:5.2f} {r['established_accuracy']:5.2f} {r['negative_relations']:>4}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=NEWS_ML / "gold.jsonl")
    parser.add_argument("--articles", type=Path, default=NEWS_ML / "articles.jsonl")
    parser.add_argument("--write", action="store_true", help="train on every article and write the shipped model")
    parser.add_argument("--json", type=Path, help="write the numbers here as JSON")
    args = parser.parse_args(argv)

    from amity.languages.detect import detect_language
    from amity.languages.extractor import keep_by_rules
    from amity.languages.scoring import MODEL_FILE, train, vector

    started = time.perf_counter()
    examined = examine_all(args.gold, args.articles)
    seconds = time.perf_counter() - started
    lid = sum(1 for e in examined if detect_language(e["article"].full_text).language == e["lang"])
    gold_pairs = sum(len(e["gold"].get("relations", [])) for e in examined)
    covered = 0
    for e in examined:
        from amity.evaluate import relation_matches

        for g in e["gold"].get("relations", []):
            covered += any(relation_matches(r.to_dict(), g) for _, _, r, _ in e["items"])
    out = {
        "articles": len(examined),
        "language_id_accuracy": round(lid / len(examined), 4),
        "candidate_recall": round(covered / gold_pairs, 4),
        "examine_seconds": round(seconds, 1),
        "crossvalidated": scores(examined, crossvalidate(examined)),
        "rules_only_in_sample": scores(examined, predictions(examined, lambda e, c, f: keep_by_rules(e["reading"], c))),
    }
    print(f"articles {out['articles']}  language id {lid}/{len(examined)} ({out['language_id_accuracy']:.3f})  "
          f"candidate recall {covered}/{gold_pairs} ({out['candidate_recall']:.3f})  examined in {seconds:.1f}s")
    print(table(f"\nlearned scorer, {FOLDS}-fold cross-validated (grouped by article):", out["crossvalidated"]))
    print(table("\npairing rules alone (in-sample):", out["rules_only_in_sample"]))
    if args.write:
        rows = [vector(f) for e in examined for _, f, _, label in e["items"] if label is not None]
        labels = [label for e in examined for _, _, _, label in e["items"] if label is not None]
        model = train(rows, labels)
        path = ROOT / "src" / "amity" / "data" / MODEL_FILE
        path.write_text(json.dumps(model, indent=1) + "\n")
        print(f"\nwrote {path.relative_to(ROOT)} ({len(rows)} candidates, {sum(labels)} positive)")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

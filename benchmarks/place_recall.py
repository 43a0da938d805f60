"""Place mention recall and a junk list on the real-news dev set (../shared/corpus/news-dev).

Parties are what pairs are made of, so pair recall can never beat place recall. For every
news-dev article this reads the full text (title + body, as `amity eval --articles` does)
with the production pieces (`load_nlp`, `load_gazetteer`, `read`) and reports:

1. place mention recall: the share of gold relation sides (a and b of every relation, not the
   optional ones) whose accepted `names`, normalised like `evaluate.normalize_name`, meet the
   name of some Party found anywhere in the article (a party's name also matches without a
   generic suffix, as `evaluate.name_keys` allows). Also per distinct gold place.
2. a precision proxy: parties found in sentences that hold relation words
   (`sentence.relation_tiers`) whose names are in no gold relation (nor optional relation) of
   that article, counted by name so the junk is visible. Some are real places that are not
   a relation side ("held in Beijing"); the list is for reading, the count for trends.

Both are printed for nd-a* (Asia), nd-b* (the rest) and all. Reads ../shared at run time
(AMITY_SHARED overrides) and copies nothing from it; exits 1 when it is missing, and
raises when CI=true so a CI job cannot pass silently without the data.

Usage: .venv/bin/python benchmarks/place_recall.py [--misses] [--junk 40] [--only nd-a]
       [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AMITY_SHARED") or REPO.parent / "shared")
NEWS_DEV = SHARED / "corpus" / "news-dev"
GROUPS = (("nd-a", "nd-a"), ("nd-b", "nd-b"), ("all", ""))


def _require(path: Path) -> Path:
    if path.exists():
        return path
    message = f"{path} is missing: run with ../shared beside the repo (or set AMITY_SHARED)"
    if os.environ.get("CI") == "true":
        raise SystemExit(f"FAIL: {message}")
    print(message, file=sys.stderr)
    sys.exit(1)


def _sides(record: dict) -> list[dict]:
    return [rel[side] for rel in record.get("relations") or [] for side in ("a", "b")]


def _optional_sides(record: dict) -> list[dict]:
    return [rel[side] for rel in record.get("optional") or [] for side in ("a", "b")]


def measure(only: str = "") -> dict:
    from amity.evaluate import gold_articles, gold_name_keys, load_gold, name_keys
    from amity.extract.nlp import load_nlp
    from amity.extract.reading import read
    from amity.gazetteer.index import load_gazetteer

    gold_path = _require(NEWS_DEV / "gold.jsonl")
    articles_path = _require(NEWS_DEV / "articles.jsonl")
    gold = [g for g in load_gold(gold_path) if str(g["id"]).startswith(only)]
    articles = gold_articles(gold, gold_path, articles_path)
    nlp, gazetteer = load_nlp(), load_gazetteer()
    results = []
    for record, article in zip(gold, articles, strict=True):
        reading = read(article.full_text, nlp, gazetteer)
        found: set[str] = set()
        names_found: list[str] = []
        junk: list[str] = []
        known = set()
        for place in _sides(record) + _optional_sides(record):
            known |= gold_name_keys(place)
        for sentence in reading.sentences:
            for party in sentence.parties:
                keys = name_keys({"name": party.name})
                found |= keys
                names_found.append(party.name)
                if sentence.relation_tiers and not keys & known:
                    junk.append(party.name)
        sides = []
        for place in _sides(record):
            keys = gold_name_keys(place)
            sides.append(
                {
                    "names": place.get("names"),
                    "country": place.get("country"),
                    "hit": bool(keys & found),
                }
            )
        results.append(
            {"id": record["id"], "sides": sides, "junk": junk, "parties": sorted(set(names_found))}
        )
    return {"articles": results}


def _report(results: list[dict], label: str, junk_top: int) -> None:
    sides = [s for r in results for s in r["sides"]]
    hits = sum(s["hit"] for s in sides)
    distinct: dict[tuple, bool] = {}
    for r in results:
        for s in r["sides"]:
            key = (r["id"], tuple(s["names"] or ()), s["country"])
            distinct[key] = distinct.get(key, False) or s["hit"]
    junk = Counter(name for r in results for name in r["junk"])
    parties = sum(len(r["parties"]) for r in results)
    recall = hits / len(sides) if sides else 1.0
    drecall = sum(distinct.values()) / len(distinct) if distinct else 1.0
    print(
        f"{label:5} articles {len(results):3}  sides {hits}/{len(sides)} = {recall:.3f}"
        f"  distinct places {sum(distinct.values())}/{len(distinct)} = {drecall:.3f}"
        f"  junk in relation sentences {sum(junk.values())} ({len(junk)} names)"
        f"  distinct parties per article {parties / max(1, len(results)):.1f}"
    )
    if junk_top:
        print("   junk: " + ", ".join(f"{name} {n}" for name, n in junk.most_common(junk_top)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="article id prefix (nd-a, nd-b)")
    parser.add_argument("--misses", action="store_true", help="list missed gold places")
    parser.add_argument("--junk", type=int, default=40, help="junk names to list per group")
    parser.add_argument("--json", help="write the per-article results here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = measure(args.only)
    results = data["articles"]
    print(f"place recall on {NEWS_DEV} ({time.perf_counter() - started:.0f} s)")
    for label, prefix in GROUPS:
        group = [r for r in results if r["id"].startswith(prefix)]
        if group:
            _report(group, label, args.junk)
    if args.misses:
        print("\nmissed gold places (article: names [country] | parties found):")
        for r in results:
            missed = {(tuple(s["names"] or ()), s["country"]) for s in r["sides"] if not s["hit"]}
            for names, country in sorted(missed):
                print(f"  {r['id']}: {' / '.join(names)} [{country}] | {', '.join(r['parties'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

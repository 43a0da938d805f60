"""The repository holds no text copied from the shared articles (news-dev, seeds): tests and
benchmarks read ../shared at run time, fixtures and comments are our own words.

An article's run of SHINGLE consecutive words found in a file of the repository is a copy.
Stock phrases ("of the sister city relationship between the two cities") are shorter than
that; the few long official names that any text about the subject repeats are allowed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from shared_paths import require_shared

REPO = Path(__file__).resolve().parents[1]
SHINGLE = 11
# official names, not prose: the same words in any text that names the body
ALLOWED_NAMES = ("chinese people's association for friendship with foreign countries",)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SCANNED = ("src", "tests", "docs", "benchmarks", "scripts", "examples", "README.md")
SKIPPED_SUFFIXES = {".gz", ".png", ".jpg", ".ico", ".woff", ".woff2", ".ttf", ".pyc", ".db"}


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _shared_texts() -> dict[str, str]:
    texts = {}
    articles = require_shared("corpus/news-dev/articles.jsonl")
    for line in articles.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts[record["id"]] = f"{record.get('title') or ''}\n{record['text']}"
    seeds = require_shared("corpus/seeds")
    for path in sorted(seeds.iterdir()):
        if path.is_file():
            texts[f"seeds/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def _repo_files():
    for name in SCANNED:
        root = REPO / name
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            if path.suffix in SKIPPED_SUFFIXES or "__pycache__" in path.parts or "vendor" in path.parts:
                continue
            if path.name == "pair_scorer.json":
                continue  # numbers only
            yield path


def test_no_shared_article_text_in_the_repository():
    shared: dict[tuple[str, ...], str] = {}
    for source, text in _shared_texts().items():
        for shingle in _shingles(text):
            shared.setdefault(shingle, source)
    copies = []
    for path in _repo_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        words = _words(text)
        for i in range(len(words) - SHINGLE + 1):
            run = tuple(words[i : i + SHINGLE])
            source = shared.get(run)
            if source is not None and not any(name in " ".join(run) or " ".join(run) in name for name in ALLOWED_NAMES):
                copies.append(f"{path.relative_to(REPO)}: '{' '.join(run)}' (from {source})")
                break
    assert not copies, "text copied from ../shared articles:\n" + "\n".join(copies)

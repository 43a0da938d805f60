#!/usr/bin/env bash
# THE main job on the bundled sample articles: set up (scripts/setup.sh), print the
# relations found in examples/articles/ as a table, and write them as JSON lines to
# demo-output/relations.jsonl (one object per article, see docs/cli.md).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

ARTICLES=examples/articles
OUT=demo-output/relations.jsonl
mkdir -p "$(dirname "$OUT")"

.venv/bin/amity extract "$ARTICLES" --format table

.venv/bin/amity extract "$ARTICLES" --format jsonl --output "$OUT"
echo "demo: wrote $(wc -l <"$OUT") articles as JSON lines to $OUT"

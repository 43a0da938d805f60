#!/usr/bin/env bash
# THE main job on the bundled sample articles: set up (scripts/setup.sh), print the
# relations found in examples/articles/ as a table (JSON lines go to
# demo-output/relations.jsonl), store them in a registry (demo-output/amity.db, or
# $AMITY_DATABASE_URL, e.g. postgresql+psycopg://user@host/db) together with the Wikipedia
# list of twin towns shipped with amity (~26k pairs, MIT licence; about a minute; a re-run
# adds nothing: its rows count as "already"), and serve it: the URL is printed first, then the
# map and API are served until Ctrl-C. The map opens on the world's twinning network, the
# relations read from the news drawn on top in colour.
#
#   PORT=8080 bash scripts/demo.sh      another port (default 8000)
#   HOST=0.0.0.0 bash scripts/demo.sh   listen on every interface (default 127.0.0.1)
#   SERVE=0 bash scripts/demo.sh        build the registry, do not serve
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

ARTICLES=examples/articles
OUT=demo-output/relations.jsonl
DB=${AMITY_DATABASE_URL:-sqlite:///demo-output/amity.db}
mkdir -p "$(dirname "$OUT")"

.venv/bin/amity extract "$ARTICLES" --format table

.venv/bin/amity extract "$ARTICLES" --format jsonl --output "$OUT"
echo "demo: wrote $(wc -l <"$OUT") articles as JSON lines to $OUT"

.venv/bin/amity ingest "$ARTICLES" --db "$DB" --no-progress
echo "demo: importing the Wikipedia list of twin towns shipped with amity (about a minute)"
.venv/bin/amity import wikipedia-list --db "$DB" --no-progress
if [[ "${SERVE:-1}" == "0" ]]; then
    echo "demo: registry at $DB; serve it with: .venv/bin/amity serve --db $DB"
    exit 0
fi
echo "demo: open http://${HOST:-127.0.0.1}:${PORT:-8000}/ (the map), /stats, /docs (the API); Ctrl-C stops"
exec .venv/bin/amity serve --db "$DB" --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"

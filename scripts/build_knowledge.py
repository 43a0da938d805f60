"""Rebuild amity's knowledge index (src/amity/data/knowledge/twin_pairs.tsv.gz) from a
Wikipedia twin-cities CSV such as ../shared/reference/twin_cities.csv (MIT licence).

Usage: .venv/bin/python scripts/build_knowledge.py [CSV]
"""

from __future__ import annotations

import sys
from pathlib import Path

from amity.gazetteer.index import load_gazetteer
from amity.gazetteer.knowledge import INDEX_FILE, read_reference_rows, write_index

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT.parent / "shared" / "reference" / "twin_cities.csv"
    gazetteer = load_gazetteer()
    rows = read_reference_rows(source, gazetteer.iso2)
    target = ROOT / "src" / "amity" / "data" / INDEX_FILE
    count = write_index(rows, target)
    print(f"{count} pairs from {source} -> {target} ({target.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

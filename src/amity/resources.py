"""Load the curated data files under amity/data, once per process."""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import Any


def data_text(relative_path: str) -> str:
    return files("amity.data").joinpath(relative_path).read_text(encoding="utf-8")


def data_lines(relative_path: str) -> list[str]:
    """Non-empty, non-comment lines of a data file, stripped of trailing whitespace."""
    lines = []
    for line in data_text(relative_path).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            lines.append(line.rstrip())
    return lines


@functools.cache
def data_table(relative_path: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated data file as rows of stripped fields."""
    return tuple(tuple(f.strip() for f in line.split("\t")) for line in data_lines(relative_path))


@functools.cache
def data_jsonl(relative_path: str) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(line) for line in data_lines(relative_path))

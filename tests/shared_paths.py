"""Where ../shared lives, and the rule for tests that read it: skip locally, fail under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def require_shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must run with ../shared beside the repo")
        pytest.skip(f"{path} not present")
    return path

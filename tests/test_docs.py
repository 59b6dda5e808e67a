"""Every command has help text and is documented in the README (as sqlite-utils' tests/test_docs.py does)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kg.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def _commands(group: click.Group, prefix: str = "kg") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix} {name}"))
    return found


COMMANDS = _commands(main)


@pytest.mark.parametrize("name,command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_command_has_help_and_is_in_the_readme(name, command):
    assert command.help and command.help.strip(), f"{name} has no help text"
    assert f"{name} " in README or f"{name}`" in README or f"{name}\n" in README, f"{name} is not in README.md"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} has no help text"


def test_readme_gives_the_two_commands():
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/kg build" in README
    assert "scripts/test" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text("utf-8")
    assert "scripts/test" in ci

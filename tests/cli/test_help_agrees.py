"""The README's command table and docs/cli.md list exactly the commands and the output formats that
`gatecheck --help` shows (issue 15: help and docs disagreed)."""

from __future__ import annotations

import re

import pytest
from tests.support.project import REPO

README = (REPO / "README.md").read_text()
CLI_DOC = (REPO / "docs" / "cli.md").read_text()
GROUPS = ("collect", "history")  # commands whose first word names a group of subcommands


def _help(run_cli, *command: str) -> str:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _subcommands(text: str) -> list[str]:
    listed = text.split("\nCommands:\n", 1)
    if len(listed) == 1:
        return []
    return [line.split()[0] for line in listed[1].splitlines() if line.startswith("  ")]


def _help_formats(text: str) -> frozenset[str] | None:
    found = re.search(r"--format \[([a-z|]+)\]", text)
    return frozenset(found.group(1).split("|")) if found else None


@pytest.fixture(scope="module")
def shown() -> dict[str, frozenset[str] | None]:
    """Every command `--help` lists (`collect wasmtime` for a group's), and its --format choices."""
    from click.testing import CliRunner

    from gatecheck.cli.group import cli

    def run_cli(*args: str):
        return CliRunner().invoke(cli, list(args), prog_name="gatecheck")

    commands: dict[str, frozenset[str] | None] = {}
    for name in _subcommands(_help(run_cli)):
        text = _help(run_cli, name)
        inner = _subcommands(text)
        if not inner:
            commands[name] = _help_formats(text)
        for sub in inner:
            commands[f"{name} {sub}"] = _help_formats(_help(run_cli, name, sub))
    return commands


def _named(synopsis: str) -> str:
    words = synopsis.split()
    return " ".join(words[:2]) if words[0] in GROUPS else words[0]


def _formats(synopsis: str, fmt: frozenset[str]) -> frozenset[str] | None:
    given = re.search(r"--format (\S+?)\]", synopsis)
    if given is None:
        return None
    spelled = given.group(1).replace("\\|", "|")
    return fmt if spelled in {"FMT", "FORMAT"} else frozenset(spelled.split("|"))


def _readme_rows() -> dict[str, frozenset[str] | None]:
    sentence = r"`FMT` is `text` \(default\), (.*?)\s+\(a job summary\)"
    defined = re.search(sentence, README, re.DOTALL)
    assert defined is not None
    fmt = frozenset(["text", *re.findall(r"`([a-z]+)`", defined.group(1))])
    rows: dict[str, frozenset[str] | None] = {}
    table = README.split("## Commands", 1)[1].split("\n\n", 2)[1]
    for line in table.splitlines()[2:]:
        first = re.split(r"(?<!\\)\|", line)[1]
        for quoted in re.findall(r"`([^`]+)`", first):
            synopsis = quoted.removeprefix("gatecheck ")
            rows[_named(synopsis)] = _formats(synopsis, fmt)
    return rows


def _cli_doc_entries() -> dict[str, frozenset[str] | None]:
    defined = re.search(r"FORMAT is one of `([a-z ]+)`", CLI_DOC)
    assert defined is not None
    fmt = frozenset(defined.group(1).split())
    block = CLI_DOC.split("```\n", 2)[1]
    entries: list[str] = []
    for line in block.splitlines():
        if line.startswith("gatecheck "):
            entries.append(line)
        elif line.startswith(" ") and entries:
            entries[-1] += " " + line.strip()
    found: dict[str, frozenset[str] | None] = {}
    for entry in entries:
        synopsis = entry.removeprefix("gatecheck ")
        if synopsis.startswith(("[", "-")):  # the options before a command, -V, --help
            continue
        formats = _formats(synopsis, fmt)
        found[_named(synopsis)] = formats or found.get(_named(synopsis))
    return found


def test_the_readme_table_lists_every_command_and_format(shown) -> None:
    assert _readme_rows() == shown


def test_docs_cli_lists_every_command_and_format(shown) -> None:
    assert _cli_doc_entries() == shown


def test_every_command_has_a_section_in_docs_cli(shown) -> None:
    headings = re.findall(r"^## (`gatecheck .*)$", CLI_DOC, re.MULTILINE)
    named = {
        word for heading in headings for word in re.findall(r"`(?:gatecheck )?([a-z-]+)", heading)
    }
    assert {command.split()[0] for command in shown} <= named


def test_explain_offers_only_the_formats_it_writes(run_cli, shown) -> None:
    """explain --help offered sarif, junit, github and markdown, then refused them."""
    assert shown["explain"] == {"text", "json"}
    for fmt in sorted(shown["explain"]):
        result = run_cli("explain", "phase-4", "--root", str(REPO), "--format", fmt)
        assert result.exit_code == 0, result.stderr
    refused = run_cli("explain", "phase-4", "--root", str(REPO), "--format", "sarif")
    assert refused.exit_code == 2
    assert "'sarif' is not one of 'text', 'json'" in refused.stderr


@pytest.mark.parametrize("command", ["evaluate", "plan", "status", "validate", "explain", "test"])
def test_help_gives_the_exit_status(run_cli, command: str) -> None:
    text = " ".join(_help(run_cli, command).split())
    assert re.search(r"Exit 0\b.*\b2 (on|when) ", text), text

"""docs/tutorial.md runs as written: every command, in order, through the installed script.

The tutorial's ```console blocks are `$ command` lines, each followed by the output it prints
(stdout and stderr together) and, when its exit status is not 0, a last line `[exit status N]`.
A line `...` stands for any lines, and `<commit>` for a commit id. `cd DIR` moves the following
commands into DIR. A ```yaml block whose first line is `# appended to FILE` is appended to FILE
(that line left out), as the reader is asked to do; the workflow shown is the one `init` writes.
"""

from __future__ import annotations

import os
import re
import subprocess
from typing import TYPE_CHECKING, NamedTuple

import pytest
from tests.support.git import git_env
from tests.support.installed import SCRIPT
from tests.support.project import REPO

from gatecheck.commands.init import skeleton

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.installed

TUTORIAL = (REPO / "docs" / "tutorial.md").read_text()
_BLOCK = re.compile(r"^```(console|yaml)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_APPEND = re.compile(r"# appended to (\S+)\n")
_EXIT = re.compile(r"\[exit status (\d+)\]")


class Command(NamedTuple):
    line: str
    expected: list[str]
    status: int


class Append(NamedTuple):
    path: str
    text: str


def _commands(block: str) -> list[Command]:
    commands: list[Command] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append(Command(line[2:], [], 0))
        elif (status := _EXIT.fullmatch(line)) is not None:
            commands[-1] = commands[-1]._replace(status=int(status.group(1)))
        else:
            commands[-1].expected.append(line)
    return commands


def _steps() -> list[Command | Append]:
    steps: list[Command | Append] = []
    for kind, block in _BLOCK.findall(TUTORIAL):
        if kind == "console":
            steps += _commands(block)
        elif (appended := _APPEND.match(block)) is not None:
            steps.append(Append(appended.group(1), block[appended.end() :]))
    return steps


def _pattern(expected: list[str]) -> re.Pattern[str]:
    """The expected lines as one regular expression: `...` any lines, `<commit>` a commit id."""
    parts = []
    for line in expected:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            escaped = re.escape(line.rstrip()).replace(re.escape("<commit>"), "[0-9a-f]{7,40}")
            parts.append(escaped + r"\n")
    return re.compile("".join(parts))


def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    steps = _steps()
    assert sum(isinstance(step, Command) for step in steps) >= 15
    env = {
        **git_env(),
        "PATH": f"{SCRIPT.parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "NO_COLOR": "1",
    }
    cwd = tmp_path
    for step in steps:
        if isinstance(step, Append):
            with (cwd / step.path).open("a") as file:
                file.write(step.text)
            continue
        if step.line.startswith("cd "):
            cwd = cwd / step.line.removeprefix("cd ")
            continue
        done = subprocess.run(
            ["bash", "-c", step.line],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        output = "".join(line.rstrip() + "\n" for line in done.stdout.splitlines())
        assert done.returncode == step.status, f"$ {step.line}\n{output}"
        assert _pattern(step.expected).fullmatch(output), (
            f"$ {step.line}\nexpected:\n" + "\n".join(step.expected) + f"\nprinted:\n{output}"
        )


def test_the_workflow_the_tutorial_shows_is_the_one_init_writes() -> None:
    written = dict(skeleton("release").files)[".github/workflows/gatecheck.yml"].decode()
    shown = [block for kind, block in _BLOCK.findall(TUTORIAL) if "jobs:" in block]
    assert shown == [written]


def test_a_mismatch_is_caught() -> None:
    """The comparison can fail: a changed line, a missing line, and `...` matching nothing."""
    assert _pattern(["a", "...", "c"]).fullmatch("a\nb\nb\nc\n")
    assert _pattern(["a", "...", "c"]).fullmatch("a\nc\n")
    assert not _pattern(["a", "c"]).fullmatch("a\nb\nc\n")
    assert not _pattern(["a", "b"]).fullmatch("a\nB\n")
    assert _pattern(["since main (<commit>)"]).fullmatch("since main (0072ec0706ca)\n")
    assert not _pattern(["since main (<commit>)"]).fullmatch("since main (HEAD)\n")

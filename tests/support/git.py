"""The one way tests run git: isolated from the user's and the machine's git configuration.

Every git command a test runs to build a repository goes through `git_env`: none of the caller's
GIT_* variables, no global or system configuration, and a fixed author, committer and date, so a
test's repository is the same on every machine. (gatecheck's own git commands get their
environment from `gatecheck.git.process.git_environment`, which a test checks, not uses.)
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

AUTHOR = "Cy Contributor <cy@example.org>"
MAINTAINER = "Ana Maintainer <ana@example.org>"
DATE = "2025-01-01T00:00:00+00:00"  # every commit's, unless a test dates its commits itself


def git_env(author: str = AUTHOR, date: str = DATE) -> dict[str, str]:
    """The environment without the caller's GIT_* variables, and no global or system config."""
    name, _, email = author.partition(" <")
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email.rstrip(">"),
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email.rstrip(">"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_DATE=date,
    )
    return env


def git(root: Path, *args: str, author: str = AUTHOR, date: str = DATE) -> str:
    """Run git in `root`; its standard output. A failing git fails the test."""
    done = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=git_env(author, date),
        check=True,
    )
    return done.stdout


def commit(root: Path, message: str = "change", author: str = AUTHOR, date: str = DATE) -> str:
    """Commit everything in the work tree; the new commit's id."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, author=author, date=date)
    return git(root, "rev-parse", "HEAD").strip()


def commit_files(directory: Path, files: Mapping[str, str | None], date: str) -> str:
    """Write (None: delete) `files` and commit them at `date`, in a new repository if needed."""
    if not directory.exists():
        directory.mkdir(parents=True)
        git(directory, "init", "-q", "-b", "main")
    for path, text in files.items():
        target = directory / path
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return commit(directory, "change", author="t <t@example.com>", date=date)

"""Running git: the one environment every git command gets, and a failure as a located problem.

Every failure becomes a located Problem (exit 2) with what to do, never a traceback: git itself
missing, a hung git, a command that fails.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING, NoReturn

from gatecheck.errors import InvalidInput, Location, Problem

if TYPE_CHECKING:
    from collections.abc import Mapping

_TIMEOUT = 120  # seconds for one git command; a hung git must not hang CI


# The GIT_* variables kept from the caller's environment: how git is installed and configured by
# whoever runs gatecheck, never which repository, index, objects or refs it reads. Every other
# GIT_* variable is dropped (the pre-commit hook runs inside git, which sets GIT_DIR,
# GIT_INDEX_FILE, GIT_WORK_TREE, GIT_PREFIX and more for the outer command; GIT_OBJECT_DIRECTORY,
# GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_NAMESPACE or GIT_REPLACE_REF_BASE would change what a
# commit contains; GIT_TRACE* writes files; GIT_SSH*, GIT_ASKPASS and proxies serve the network,
# which gatecheck does not use).
_KEPT = frozenset(
    {
        "GIT_EXEC_PATH",  # where this git's own programs are
        "GIT_CONFIG_GLOBAL",  # the caller's configuration files: `safe.directory` lives there
        "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_CONFIG_COUNT",  # with GIT_CONFIG_KEY_<n>, GIT_CONFIG_VALUE_<n>: config a CI job sets
        "GIT_CEILING_DIRECTORIES",  # only stops the search for a repository above the root
    }
)
_KEPT_PREFIXES = ("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_")
_FIXED = {
    "GIT_OPTIONAL_LOCKS": "0",  # read only: never refresh the index as a side effect
    "GIT_NO_REPLACE_OBJECTS": "1",  # refs/replace/* could stand any object in for a commit's own
    "GIT_LITERAL_PATHSPECS": "1",  # a path is a path: `*` or `:(glob)` in a name is no pattern
    "GIT_TERMINAL_PROMPT": "0",  # never wait for a password on a terminal
    "LC_ALL": "C",  # messages in English: the hints match on them
}


def git_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment every git command runs with: `environ` with only the safe GIT_* kept."""
    kept = {
        name: value
        for name, value in environ.items()
        if not name.startswith("GIT_") or name in _KEPT or name.startswith(_KEPT_PREFIXES)
    }
    return {**kept, **_FIXED}


def fail(code: str, message: str, directory: str, hint: str | None = None) -> NoReturn:
    """Stop with one problem located at the repository's directory."""
    raise InvalidInput([Problem(code, message, Location(directory, 0, 0), hint)])


class GitProcess:
    """A directory git runs in, and how problems name it; every git process starts here."""

    def __init__(self, directory: str, display: str) -> None:
        self.directory = directory
        self.display = display  # how problems name the directory
        self.last_error = ""

    def run_text(self, *args: str, check: bool = True, stdin: bytes | None = None) -> str | None:
        """`run`, its output decoded (undecodable bytes kept as surrogates)."""
        raw = self.run(args, check=check, stdin=stdin)
        return None if raw is None else raw.decode("utf-8", "surrogateescape")

    def run(
        self, args: tuple[str, ...], *, check: bool, stdin: bytes | None = None
    ) -> bytes | None:
        """The output of `git ARGS`; on failure None, or (with `check`) a `git-failed` problem."""
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                ["git", "-C", self.directory, *args],  # noqa: S607 - git from PATH, as users run it
                input=stdin,
                capture_output=True,
                env=git_environment(os.environ),
                timeout=_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            fail("git-failed", "git is not installed", self.display, "install git")
        except subprocess.TimeoutExpired:
            fail("git-failed", f"git {args[0]} took over {_TIMEOUT} s", self.display)
        if done.returncode != 0:
            self.last_error = done.stderr.decode("utf-8", "replace").strip()
            if not check:
                return None
            error = self.last_error.splitlines()
            fail(
                "git-failed",
                f"git {' '.join(args[:2])} failed: {error[-1] if error else done.returncode}",
                self.display,
            )
        return done.stdout

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        """A long-lived git process with pipes to talk to it (standard error is dropped)."""
        try:
            return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                ["git", "-C", self.directory, *args],  # noqa: S607
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_environment(os.environ),
            )
        except FileNotFoundError:
            fail("git-failed", "git is not installed", self.display, "install git")

    def _wait(self, process: subprocess.Popen[bytes]) -> None:
        process.wait(timeout=_TIMEOUT)

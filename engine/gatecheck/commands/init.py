"""`init`: a new project's skeleton, written whole or not at all.

A skeleton is package data (`skeletons/<example>/` and `skeletons/common/`, files at the paths
they are written to, `dot-github` standing for `.github`, which package data cannot hold), plus,
for `wasm-proposal`, copies of the bundled policy and facts schema. Nothing is written until every
target has been checked: a file that exists already is refused, never overwritten, and a write that
fails removes what the run wrote before it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.files import replace_file, unwritable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from importlib.resources.abc import Traversable

# The newcomer's example first: it is the default (see `gatecheck init --help`)
EXAMPLES = ("release", "wasm-proposal", "blank")
DEFAULT_EXAMPLE = "release"
_HIDDEN_PREFIX = "dot-"  # skeletons/common/dot-github/ is written as .github/

# A project's own policies/ replaces the bundled ones (they fill in only where no project is
# found), so a Wasmtime project gets the bundled wasm-proposal policies as files of its own: they
# are then reviewed in its repository, judge its pull requests from the base branch, and change
# only when the project changes them, not when gatecheck is upgraded.
_BUNDLED_COPIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "wasm-proposal": (
        ("gatecheck.policies", "wasm-proposal.yaml", "policies/wasm-proposal.yaml"),
        ("gatecheck.policies", "wasm-proposal.v2.yaml", "policies/wasm-proposal.v2.yaml"),
        (
            "gatecheck.schemas",
            "wasm-proposal.facts.schema.json",
            "schemas/wasm-proposal.facts.schema.json",
        ),
    ),
}

# What `evaluate SUBJECT` shows right after init, in the closing message
_EVALUATE_SAYS = {
    "release": "fails on purpose: read why, then fix the evidence (docs/tutorial.md)",
    "wasm-proposal": "a new proposal: what it lacks before it can be enabled by default",
    "blank": "fails until the work is recorded as done",
}


class Skeleton(NamedTuple):
    """The files of one example: each path (relative, `/`-separated) and its bytes, in order."""

    example: str
    files: tuple[tuple[str, bytes], ...]

    @property
    def subject(self) -> str:
        """The example's subject: the stem of its one evidence file."""
        return next(
            os.path.splitext(path.removeprefix("evidence/"))[0]
            for path, _ in self.files
            if path.startswith("evidence/") and path.endswith(".yaml")
        )


class Initialised(NamedTuple):
    """What `init` wrote, where, and what to run next."""

    directory: str  # as the user gave it
    example: str
    written: tuple[str, ...]  # paths relative to `directory`
    subject: str

    def next_commands(self) -> tuple[tuple[str, str], ...]:
        """The three commands to run next in the new project, each with what it shows."""
        return (
            ("gatecheck validate", "check the policy, its facts schema and the evidence"),
            ("gatecheck test", "run the policy's tests (policies/tests/)"),
            (f"gatecheck evaluate {self.subject}", _EVALUATE_SAYS[self.example]),
        )

    def render(self) -> str:
        """The closing message: the files written, then the next three commands."""
        lines = [f"wrote {path}" for path in self.written]
        lines.append("")
        where = "" if os.path.abspath(self.directory) == os.path.abspath(".") else self.directory
        lines.append(f"Next, in {where}:" if where else "Next:")
        if where:
            import shlex

            lines.append(f"  cd {shlex.quote(where)}")
        width = max(len(command) for command, _ in self.next_commands())
        lines += [f"  {command:<{width}}  # {says}" for command, says in self.next_commands()]
        return "\n".join(lines) + "\n"


def skeleton(example: str) -> Skeleton:
    """The files `init --example EXAMPLE` writes (EXAMPLE one of `EXAMPLES`)."""
    from importlib.resources import files

    root = files("gatecheck.commands") / "skeletons"
    found = dict(_walk(root / "common", ""))
    found.update(_walk(root / example, ""))
    for package, name, target in _BUNDLED_COPIES.get(example, ()):
        found[target] = (files(package) / name).read_bytes()
    return Skeleton(example, tuple(sorted(found.items(), key=lambda item: _order(item[0]))))


def _walk(directory: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
    for entry in directory.iterdir():
        name = entry.name
        if name.startswith(_HIDDEN_PREFIX):
            name = "." + name.removeprefix(_HIDDEN_PREFIX)
        if entry.is_dir():
            if name != "__pycache__":
                yield from _walk(entry, f"{prefix}{name}/")
        else:
            yield f"{prefix}{name}", entry.read_bytes()


_READING_ORDER = ("gatecheck.toml", "schemas/", "policies/", "policies/tests/", "evidence/")


def _order(path: str) -> tuple[int, str]:
    """The configuration, schemas, policies, their tests, evidence, then CI: the order to read."""
    ranks = [rank for rank, start in enumerate(_READING_ORDER) if path.startswith(start)]
    return (ranks[-1] if ranks else len(_READING_ORDER), path)


def init_project(
    directory: str,
    example: str,
    *,
    write: Callable[[str, str, bytes], None] = replace_file,
) -> Initialised:
    """Write `example`'s skeleton into `directory` (created if missing), or nothing at all.

    Refused before anything is written: `directory` that is not a directory, any file the
    skeleton has that exists already (each one named), or a path on the way that is a file.
    A write that fails removes every file and directory this run created. `write(dir, name,
    data)` is the atomic write (a test may make it fail).
    """
    chosen = skeleton(example)
    files = chosen.files
    _refuse_what_exists(directory, [path for path, _ in files])
    created: list[str] = []  # files and directories this run made, in order
    try:
        for path, data in files:
            target = os.path.join(directory, *path.split("/"))
            created += _make_directories(os.path.dirname(target))
            if os.path.lexists(target):  # appeared since the check: never overwrite it
                _refuse_what_exists(directory, [path])
            write(os.path.dirname(target), os.path.basename(target), data)
            created.append(target)
    except OSError as error:
        _remove(created)
        raise InvalidInput(
            [unwritable(os.path.normpath(os.path.join(directory, path)), error)]
        ) from None
    except BaseException:
        _remove(created)
        raise
    return Initialised(directory, example, tuple(path for path, _ in files), chosen.subject)


def _refuse_what_exists(directory: str, paths: list[str]) -> None:
    problems = []
    if os.path.lexists(directory) and not os.path.isdir(directory):
        problems.append(
            Problem(
                "bad-directory",
                "not a directory: gatecheck init writes a project into a directory",
                Location(directory, 0, 0),
                "name a directory, new or existing (default: the current directory)",
            )
        )
        raise InvalidInput(problems)
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts)):  # a file where a directory must go
            above = os.path.join(directory, *parts[:depth])
            if os.path.lexists(above) and not os.path.isdir(above):
                problems.append(_in_the_way(above, "not a directory, and init writes into it"))
        target = os.path.join(directory, *parts)
        if os.path.lexists(target):
            problems.append(_in_the_way(target, "exists already: init never overwrites a file"))
    if problems:
        raise InvalidInput(problems)


def _in_the_way(path: str, why: str) -> Problem:
    return Problem(
        "file-exists",
        why,
        Location(os.path.normpath(path), 0, 0),
        "run gatecheck init in a new or empty directory (gatecheck init DIR), or move the file",
    )


def _make_directories(directory: str) -> list[str]:
    """Create `directory` and its missing parents; those created, outermost first."""
    missing = []
    while directory and not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        os.mkdir(path)
    return list(reversed(missing))


def _remove(created: list[str]) -> None:
    """Remove what this run created, innermost first; what cannot be removed is left."""
    for path in reversed(created):
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)
            else:
                os.unlink(path)
        except OSError:
            continue

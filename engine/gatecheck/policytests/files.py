"""Policy test files (`*.test.yaml`): find them under the PATHs given, load their cases, run them.

A test file names the policy under test and lists cases; each case has evidence (a file or an
inline mapping, optionally changed by `set`), a judging date and the expected verdicts (see
`shapes`; loading them is `cases`). docs/testing-policies.md describes the format.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem, Problems
from gatecheck.limits import MAX_FILES
from gatecheck.policytests.case_file import CaseFile
from gatecheck.policytests.cases import load_cases
from gatecheck.policytests.run import (
    PolicyTestReport,
    run_cases,
)
from gatecheck.project.directory import Directory
from gatecheck.project.input_file import InputFile
from gatecheck.project.local_path import LocalPath
from gatecheck.reading import too_many_files

if TYPE_CHECKING:
    from gatecheck.project.layout import Project

SUFFIXES = (".test.yaml", ".test.yml")
_MAX_DEPTH = 16  # directories below PATH: deep enough for any layout, and no symlink loop hangs


def run_policy_tests(
    project: Project, paths: list[str], keyword: str | None = None, start: str | None = None
) -> PolicyTestReport:
    """Load the tests in `paths` (default: the policies' tests/ directory) and run them.

    `paths` are relative to `start` (default: the root), as the command line's are to the
    current directory, unless --root is given.
    """
    from gatecheck.loading.policies import load_policies

    files = find_test_files(project, paths, start)
    policies = load_policies(project)
    cases = load_cases(files, policies, project.root)
    selected = [case for case in cases if keyword is None or keyword.lower() in case.id.lower()]
    if not selected:
        where = files[0].file.display if len(files) == 1 else files[0].tree.display
        raise InvalidInput(
            [
                Problem(
                    "no-tests",
                    f"-k {keyword!r} selects none of the {len(cases)} case(s)",
                    Location(where, 0, 0),
                    "-k matches a substring of `file::case name`, ignoring case",
                )
            ]
        )
    return run_cases(selected, deselected=len(cases) - len(selected))


def find_test_files(project: Project, paths: list[str], start: str | None = None) -> list[CaseFile]:
    """The test files under each PATH (relative to `start`, default the root), or under tests/."""
    if not paths:
        tests = project_tests(project)
        if not tests.handle.is_dir():
            raise InvalidInput([_no_tests(f"{tests.display}/", "has no tests/ directory")])
        found = _walk(tests, "", 0, [0])
        if not found:
            raise InvalidInput([_no_tests(f"{tests.display}/", "holds no *.test.yaml files")])
        return found
    found = []
    problems = Problems()
    for path in dict.fromkeys(paths):
        full = os.path.normpath(os.path.join(start or project.root, path))
        display = os.path.relpath(full, project.root).replace(os.sep, "/")
        if os.path.isfile(full):
            parent = os.path.dirname(full)
            tree = Directory(os.path.dirname(display) or ".", LocalPath(parent))
            name = os.path.basename(full)
            found.append(CaseFile(InputFile(display, LocalPath(full)), full, tree, name))
        elif os.path.isdir(full):
            here = _walk(Directory(display, LocalPath(full)), "", 0, [0])
            if not here:
                problems.append(_no_tests(f"{display}/", "holds no *.test.yaml files"))
            found.extend(here)
        else:
            problems.append(_no_tests(display, "does not exist"))
    problems.raise_if_any()
    return list({test.file.display: test for test in found}.values())


def project_tests(project: Project) -> Directory:
    """The project's policy tests directory: tests/ beside the policies (there or not)."""
    policies = project.policies
    return Directory(f"{policies.display}/tests", policies.handle.joinpath("tests"))


def project_test_files(project: Project) -> list[CaseFile]:
    """The test files `gatecheck test` runs by default; none when there is no tests/ directory."""
    tests = project_tests(project)
    return _walk(tests, "", 0, [0]) if tests.handle.is_dir() else []


def _walk(
    tree: Directory, relative: str, depth: int, listed: list[int], handle: Any = None
) -> list[CaseFile]:
    """Every test file below `tree` (at `relative` inside it, whose `handle` it is), by path.

    `listed` counts the entries seen in the whole walk: past MAX_FILES it stops with a problem,
    so neither a huge tree nor symlinks that loop back up it (each seen up to _MAX_DEPTH times,
    multiplying) can make the walk run on.
    """
    if handle is None:
        handle = tree.handle
    local = str(tree.handle) if isinstance(tree.handle, LocalPath) else None
    found: list[CaseFile] = []
    entries = []
    for entry in handle.iterdir():
        listed[0] += 1
        if listed[0] > MAX_FILES:
            raise InvalidInput([too_many_files(tree.display)])
        entries.append(entry)
    for entry in sorted(entries, key=lambda entry: entry.name):
        name = entry.name
        inner = f"{relative}/{name}" if relative else name
        if name.startswith((".", "__")):
            continue
        if entry.is_dir() and depth < _MAX_DEPTH:
            found.extend(_walk(tree, inner, depth + 1, listed, entry))
        elif name.endswith(SUFFIXES) and entry.is_file():
            on_disk = os.path.join(local, *inner.split("/")) if local is not None else None
            found.append(
                CaseFile(InputFile(f"{tree.display}/{inner}", entry), on_disk, tree, inner)
            )
    return sorted(found, key=lambda test: test.file.display)


def _no_tests(where: str, what: str) -> Problem:
    return Problem(
        "no-tests",
        f"no policy tests to run: {where.rstrip('/')} {what}",
        Location(where, 0, 0),
        "write tests in *.test.yaml files (see docs/testing-policies.md), or name a file or"
        " directory of them",
    )

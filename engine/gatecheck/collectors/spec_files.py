"""Which proposal a `.wast` path in Wasmtime's test runner tests, by spec_test_map.yaml.

The runner lists single test files it expects to fail with a compiler
(`"spec_testsuite/throw.wast"`, `"extended-const/elem.wast"`, each a suffix of the file's path).
The table that maps test results to proposals (`gatecheck record-tests`) says which proposal such
a file tests, so a collector rule can tell whether one of a proposal's spec tests is on the list.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.collectors.matching import Found
    from gatecheck.spectests.mapping import SpecTestMap

_SUITE = "spec_testsuite/"
# suffixes of Wasmtime's own tests: not spec tests, whatever their name
_NOT_SPEC = ("misc_testsuite/", "component-model/", "tests/component-model/")


@cache
def _map() -> SpecTestMap:
    from gatecheck.spectests.mapping import load_map

    return load_map()


def spec_test_path(path: str) -> str | None:
    """The path below the spec suite a listed suffix names, or None for a test of Wasmtime's own."""
    if _SUITE in path:
        return path.split(_SUITE, 1)[1]
    if path.startswith(_NOT_SPEC) or not path.endswith(".wast"):
        return None
    return path


def proposals_of(path: str) -> set[str]:
    """The proposals a spec test (a path below the suite, maybe only its tail) tests."""
    table = _map()
    found = set(table.proposals_of(path))
    # the map writes some proposal directories with proposals/ and some without; a listed tail
    # `<dir>/<file>` may be either
    if path.startswith("proposals/"):
        found |= set(table.proposals_of(path.removeprefix("proposals/")))
    elif "/" in path:
        found |= set(table.proposals_of(f"proposals/{path}"))
    return found


def proposal_among(listed: list[Found], proposal: str, runner: str) -> Found | str | None:
    """The first listed file (group 1 of each match) that tests `proposal`; None if none does.

    A string says why it cannot be told: the map does not know the proposal's files, and the list
    names spec tests that may be its. `runner` is the text of the runner that lists them: an entry
    in a proposal directory it no longer runs matches no test, and is left out.
    """
    spec_tests = [
        (item, path)
        for item in listed
        if item.groups
        and (path := spec_test_path(item.groups[0])) is not None
        and not _directory_not_run(item.groups[0], runner)
    ]
    if proposal not in _map().proposals:
        if not spec_tests:
            return None
        item, path = spec_tests[0]
        return (
            f"the runner expects single spec tests to fail (`{path}`, line {item.line}, and "
            f"{len(spec_tests) - 1} more) and spec_test_map.yaml does not say which of them test "
            f"{proposal}"
        )
    for item, path in spec_tests:
        if proposal in proposals_of(path):
            return item
    # A bare file name matches that name in every directory (tests/wast.rs in 2024 compared path
    # components): in a proposal's own directory too, which the map names only as a whole.
    bare = [(item, path) for item, path in spec_tests if "/" not in item.groups[0]]
    if bare and _has_directory(proposal):
        item, path = bare[0]
        return (
            f"the runner expects `{path}` (line {item.line}) to fail in every directory, and "
            f"spec_test_map.yaml does not list the files of {proposal}'s directory"
        )
    return None


def _directory_not_run(listed: str, runner: str) -> bool:
    """Whether an entry names a proposal directory the runner does not run.

    That is an entry `<proposal>/<file>.wast` (below proposals/), in a runner that configures each
    proposal directory it runs and panics on any other (from 2024-11), and not that one.
    """
    directory, _, rest = listed.partition("/")
    if not rest or "/" in rest or directory.endswith("_testsuite"):
        return False
    if re.search(r'panic!\("unsup?ported proposal', runner) is None:
        return False
    return re.search(rf'"{re.escape(directory)}"\)? =>', runner) is None


def _has_directory(proposal: str) -> bool:
    return any("/" in pattern for pattern in _map().proposals[proposal].paths)

"""Which proposal a `.wast` path in Wasmtime's test runner tests, by spec_test_map.yaml.

The runner lists single test files it expects to fail with a compiler
(`"spec_testsuite/throw.wast"`, `"extended-const/elem.wast"`, each a suffix of the file's path).
The table that maps test results to proposals (`gatecheck record-tests`) says which proposal such
a file tests, so a collector rule can tell whether one of a proposal's spec tests is on the list.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.collectors.matching import Found
    from gatecheck.spec_tests import SpecTestMap

_SUITE = "spec_testsuite/"
# suffixes of Wasmtime's own tests: not spec tests, whatever their name
_NOT_SPEC = ("misc_testsuite/", "component-model/", "tests/component-model/")


@cache
def _map() -> SpecTestMap:
    from gatecheck.spec_tests import load_map

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
    if path.startswith("proposals/"):  # the map writes some proposal directories without it
        found |= set(table.proposals_of(path.removeprefix("proposals/")))
    return found


def proposal_among(listed: list[Found], proposal: str) -> Found | str | None:
    """The first listed file (group 1 of each match) that tests `proposal`; None if none does.

    A string says why it cannot be told: the map does not know the proposal's files, and the list
    names spec tests that may be its.
    """
    spec_tests = [
        (item, path)
        for item in listed
        if item.groups and (path := spec_test_path(item.groups[0])) is not None
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


def _has_directory(proposal: str) -> bool:
    return any("/" in pattern for pattern in _map().proposals[proposal].paths)

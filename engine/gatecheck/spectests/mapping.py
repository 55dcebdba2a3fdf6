"""The spec-test map: which .wast files test which proposal, and how a test name carries them.

The mapping is data (`spec_test_map.yaml`, shipped with the package): which .wast files test which
proposal, and how Wasmtime's test names carry the compiler and configuration.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable

MAP_FILE = "spec_test_map.yaml"


class ProposalPatterns(NamedTuple):
    """The .wast files of one proposal: glob patterns (a bare name matches the file name)."""

    paths: tuple[str, ...]
    exclude: tuple[str, ...]

    def matches(self, relative: str) -> bool:
        return _any_match(self.paths, relative) and not _any_match(self.exclude, relative)


def _any_match(patterns: Iterable[str], relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative if "/" in p else name, p) for p in patterns)


class SpecTestMap(NamedTuple):
    """The mapping table: where the suite starts in a name, compilers, configurations, proposals."""

    suite: str
    compilers: dict[str, str]  # --compiler name -> the name's first segment
    configurations: frozenset[str]
    proposals: dict[str, ProposalPatterns]

    def proposals_of(self, relative: str) -> list[str]:
        return [name for name, patterns in self.proposals.items() if patterns.matches(relative)]


def load_map(raw: bytes | None = None, path: str = f"<bundled>/{MAP_FILE}") -> SpecTestMap:
    """Read the mapping table (the bundled one unless `raw` is given)."""
    from gatecheck.loading.parsing import load_bytes

    if raw is None:
        from importlib.resources import files

        raw = files("gatecheck.spectests").joinpath(MAP_FILE).read_bytes()
    data: Any = load_bytes(raw, path).data
    proposals = {
        str(name): ProposalPatterns(
            tuple(str(p) for p in entry.get("paths", ())),
            tuple(str(p) for p in entry.get("exclude", ())),
        )
        for name, entry in data["proposals"].items()
    }
    return SpecTestMap(
        str(data["suite"]),
        {str(k): str(v) for k, v in data["compilers"].items()},
        frozenset(str(c) for c in data.get("configurations", ())),
        proposals,
    )


class SpecTestName(NamedTuple):
    """A test name split: its compiler, and its spec test file below the suite (if it is one)."""

    compiler: str | None  # the name's compiler segment, if it has one
    relative: str | None  # the path below the spec suite; None: not a spec test


def split_name(name: str, table: SpecTestMap) -> SpecTestName:
    """`CraneliftNative/pooling//r/tests/spec_testsuite/a/b.wast` -> (CraneliftNative, a/b.wast)."""
    normal = name.replace("\\", "/")
    first = normal.split("/", 1)[0]
    compiler = first if first in table.compilers.values() else None
    at = normal.rfind(table.suite)
    if at < 0 or not normal.endswith(".wast"):
        return SpecTestName(compiler, None)
    return SpecTestName(compiler, normal[at + len(table.suite) :])

"""Counting each proposal's spec tests for one compiler, from the outcomes of result files."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.spectests.mapping import split_name

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.spectests.mapping import SpecTestMap
    from gatecheck.spectests.reported import Status
    from gatecheck.spectests.results import Results

FACTS = ("passed", "failed", "ignored")
_RANK: dict[str, int] = {"ignored": 0, "passed": 1, "failed": 2}


class Counts(NamedTuple):
    """How many spec test files of one proposal passed, failed or were ignored."""

    passed: int = 0
    failed: int = 0
    ignored: int = 0

    @property
    def ran(self) -> int:
        return self.passed + self.failed


class Tally(NamedTuple):
    """What the result files say, per proposal, for one compiler."""

    results: tuple[Results, ...]  # the files read
    compiler: str
    spec_tests: int  # distinct spec test files of this compiler
    per_proposal: dict[str, Counts]
    unmapped: tuple[str, ...]  # spec test files (relative paths) of no proposal
    other_compilers: int  # test outcomes of another compiler
    not_spec: int  # test outcomes that are not spec tests (misc, component model, unit tests)


def tally(results: Sequence[Results], table: SpecTestMap, compiler: str) -> Tally:
    """Count each proposal's spec tests for `compiler`.

    One .wast file counts once however many configurations (pooling, collectors) and files ran it:
    failed if any run failed, else passed if any passed, else ignored. Names without a compiler
    (another harness) count for every compiler.
    """
    wanted = table.compilers[compiler]
    status_of: dict[str, Status] = {}
    other = not_spec = 0
    for result in results:
        for outcome in result.outcomes:
            split = split_name(outcome.name, table)
            if split.relative is None:
                not_spec += 1
            elif split.compiler not in (None, wanted):
                other += 1
            else:
                known = status_of.get(split.relative)
                if known is None or _RANK[outcome.status] > _RANK[known]:
                    status_of[split.relative] = outcome.status
    per: dict[str, dict[str, int]] = {}
    unmapped: list[str] = []
    for relative, status in sorted(status_of.items()):
        names = table.proposals_of(relative)
        if not names:
            unmapped.append(relative)
        for name in names:
            counts = per.setdefault(name, dict.fromkeys(FACTS, 0))
            counts[status] += 1
    per_proposal = {name: Counts(**counts) for name, counts in sorted(per.items())}
    return Tally(
        tuple(results), compiler, len(status_of), per_proposal, tuple(unmapped), other, not_spec
    )

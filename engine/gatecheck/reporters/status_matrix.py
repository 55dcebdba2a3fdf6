"""What every status format says of the matrix of one gate: cells, verdict words, groups, summary.

Shared by `status --format text/markdown/json/html`, so the four name verdicts, group subjects
and count them the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, overload

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.language.values import show_as_written
from gatecheck.reporters.findings import claimed_and_failing

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.evaluation.status_results import StatusReport


class StatusNeeds(NamedTuple):
    """What a status format reads of each subject, so that `status` builds no more than that."""

    explained: bool  # why each verdict is what it is (messages, locations, details)
    plans: Literal["all", "failing", "none"]  # whose plans it shows
    # (ABOVE, FIRST): above ABOVE subjects, only the plans of the FIRST that do not pass
    plans_limit: tuple[int, int] | None = None


STATUS_NEEDS = {
    "text": StatusNeeds(explained=False, plans="none"),
    "json": StatusNeeds(explained=True, plans="none"),
    "markdown": StatusNeeds(explained=True, plans="failing", plans_limit=(500, 100)),
    "html": StatusNeeds(explained=True, plans="all"),
}
# Markdown's limit is LARGE_REPORT and PASSING_LISTED, below (kept equal by a test).


# A mark for each verdict, beside its word (never colour alone): status pages (text, html) and the
# history chart.
MARKS = {Verdict.PASS: "✓", Verdict.FAIL: "✗", Verdict.MISSING: "?", Verdict.WAIVED: "~"}


def status_cell(subject: SubjectResult, rule: str) -> RuleResult | None:
    """The subject's verdict on the column `rule`; None when its policy's gate has no such rule."""
    return next((r for r in subject.gates[0].rules if r.rule == rule), None)


# How status pages name a verdict. `missing` (the contract's word, kept in JSON) reads as "fails
# for lack of something"; a maintainer needs to tell "gatecheck has no record" from "it fails".
VERDICT_LABELS = {
    Verdict.PASS: "pass",
    Verdict.FAIL: "fail",
    Verdict.MISSING: "not recorded",
    Verdict.WAIVED: "waived",
}
NOT_RECORDED = VERDICT_LABELS[Verdict.MISSING]


class Overview(NamedTuple):
    """What a page says of the whole matrix, found in one pass over its rows (maybe on disk)."""

    policies: list[str]  # the policies judging the subjects, in the order first met
    summary: str  # `status_summary`
    groups: list[tuple[str, Sequence[SubjectResult]]]  # `status_groups`
    failing: Sequence[SubjectResult]  # the rows whose subject does not pass, in order


def overview(status: StatusReport) -> Overview:
    """The matrix's policies, summary, groups and rows not passing, from one read of each row.

    A subject that claims the gate (listed, or standing: on by default, at a tier) and does not
    pass it comes first: the evidence says less than the subject's status does. A gate that fails
    is a finding; one missing facts is work not yet recorded: the groups keep them apart, so that
    an unrecorded fact never reads as a failure. A group holds the rows' positions, and reads a
    row when it is asked for.
    """
    groups: dict[str, list[int]] = {
        f"claimed and {FAILING}": [],
        f"claimed and {NOT_RECORDED}": [],
        FAILING: [],
        NOT_RECORDED: [],
        "passing": [],
    }
    policies: dict[str, None] = {}
    counts = dict.fromkeys(Verdict, 0)
    claimed_failing = 0
    failing: list[int] = []
    for position, subject in enumerate(status.subjects):
        policies.setdefault(subject.policy)
        gate = subject.gates[0]
        counts[gate.status] += 1
        claimed_failing += gate.claimed_and_failing
        if gate.status.passing:
            groups["passing"].append(position)
            continue
        failing.append(position)
        group = FAILING if gate.status is Verdict.FAIL else NOT_RECORDED
        groups[f"claimed and {group}" if gate.claimed else group].append(position)
    return Overview(
        list(policies),
        _summary(status, counts, claimed_failing),
        [(name, Rows(status.subjects, rows)) for name, rows in groups.items() if rows],
        Rows(status.subjects, failing),
    )


def status_groups(status: StatusReport) -> list[tuple[str, Sequence[SubjectResult]]]:
    """The rows in groups, the findings first (empty groups left out): see `overview`."""
    return overview(status).groups


def not_passing(status: StatusReport) -> Sequence[SubjectResult]:
    """The rows whose subject does not pass the gate, in the matrix's order."""
    return overview(status).failing


class Rows(Sequence["SubjectResult"]):
    """Some of the matrix's rows, by position: each read from the matrix when it is asked for."""

    def __init__(self, subjects: Sequence[SubjectResult], positions: list[int]) -> None:
        self._subjects = subjects
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> SubjectResult: ...

    @overload
    def __getitem__(self, index: slice) -> Rows: ...

    def __getitem__(self, index: int | slice) -> SubjectResult | Rows:
        if isinstance(index, slice):
            return Rows(self._subjects, self._positions[index])
        return self._subjects[self._positions[index]]

    def __iter__(self) -> Iterator[SubjectResult]:
        for position in self._positions:
            yield self._subjects[position]


FAILING = "failing"

# Above LARGE_REPORT subjects a status page would be a list no one reads to its end: the text and
# Markdown formats say the totals first and list the first PASSING_LISTED passing subjects (by
# name), then how many more pass. Subjects that do not pass are always listed, every one.
LARGE_REPORT = 500
PASSING_LISTED = 100


def listed(
    status: StatusReport, group: str, rows: Sequence[SubjectResult]
) -> Sequence[SubjectResult]:
    """The rows of `group` a text or Markdown page lists: all, but for passing ones when large."""
    if group == "passing" and len(status.subjects) > LARGE_REPORT:
        return rows[:PASSING_LISTED]
    return rows


def more_passing(count: int, command: str) -> str:
    """What stands for the passing subjects a large page does not list; `command` lists them."""
    return f"… and {count:,} more passing subject{'s' * (count != 1)} ({command} lists every one)"


def shown(value: Any) -> str:
    """A declared fact as a status page shows it; `·` where the evidence records none."""
    if value is None:
        return "·"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return show_as_written(value)


def status_summary(status: StatusReport) -> str:
    """`N of M subjects pass gate G (a pass, b waived, c fail, d not recorded)`."""
    return overview(status).summary


def _summary(status: StatusReport, counts: dict[Verdict, int], claimed_failing: int) -> str:
    total = sum(counts.values())
    passing = counts[Verdict.PASS] + counts[Verdict.WAIVED]
    by_verdict = ", ".join(
        f"{counts[v]} {VERDICT_LABELS[v]}"
        for v in (Verdict.PASS, Verdict.WAIVED, Verdict.FAIL, Verdict.MISSING)
    )
    return (
        f"{passing} of {total} subject{'s' * (total != 1)} pass gate {status.gate} ({by_verdict})"
        + claimed_and_failing(claimed_failing)
    )

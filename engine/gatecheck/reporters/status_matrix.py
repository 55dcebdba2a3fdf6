"""What every status format says of the matrix of one gate: cells, verdict words, groups, summary.

Shared by `status --format text/markdown/json/html`, so the four name verdicts, group subjects
and count them the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.language.values import show_as_written
from gatecheck.reporters.findings import claimed_and_failing

if TYPE_CHECKING:
    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.evaluation.status_results import StatusReport


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


def status_groups(status: StatusReport) -> list[tuple[str, list[SubjectResult]]]:
    """The rows in groups, the findings first (empty groups left out).

    A subject that claims the gate (listed, or standing: on by default, at a tier) and does not
    pass it comes first: the evidence says less than the subject's status does. A gate that fails
    is a finding; one missing facts is work not yet recorded: the groups keep them apart, so that
    an unrecorded fact never reads as a failure.
    """
    groups: dict[str, list[SubjectResult]] = {
        f"claimed and {FAILING}": [],
        f"claimed and {NOT_RECORDED}": [],
        FAILING: [],
        NOT_RECORDED: [],
        "passing": [],
    }
    for subject in status.subjects:
        gate = subject.gates[0]
        if gate.status.passing:
            groups["passing"].append(subject)
            continue
        group = FAILING if gate.status is Verdict.FAIL else NOT_RECORDED
        groups[f"claimed and {group}" if gate.claimed else group].append(subject)
    return [(name, rows) for name, rows in groups.items() if rows]


FAILING = "failing"

# Above LARGE_REPORT subjects a status page would be a list no one reads to its end: the text and
# Markdown formats say the totals first and list the first PASSING_LISTED passing subjects (by
# name), then how many more pass. Subjects that do not pass are always listed, every one.
LARGE_REPORT = 500
PASSING_LISTED = 100


def listed(status: StatusReport, group: str, rows: list[SubjectResult]) -> list[SubjectResult]:
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
    counts = dict.fromkeys(Verdict, 0)
    for subject in status.subjects:
        counts[subject.gates[0].status] += 1
    total = len(status.subjects)
    passing = counts[Verdict.PASS] + counts[Verdict.WAIVED]
    by_verdict = ", ".join(
        f"{counts[v]} {VERDICT_LABELS[v]}"
        for v in (Verdict.PASS, Verdict.WAIVED, Verdict.FAIL, Verdict.MISSING)
    )
    gates = [subject.gates[0] for subject in status.subjects]
    return (
        f"{passing} of {total} subject{'s' * (total != 1)} pass gate {status.gate} ({by_verdict})"
        + claimed_and_failing(gates)
    )

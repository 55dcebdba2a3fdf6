"""Output of `gatecheck test`: text for people (like pytest's), JSON for tools.

Both are byte-stable for the same tests: no timings, no absolute paths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from gatecheck.policytests.run import RULE, STEP
from gatecheck.reporters.escape import json_dump, terminal
from gatecheck.reporters.json_values import location_data
from gatecheck.reporters.text_style import Style

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.policytests.run import CaseResult, Coverage, Mismatch, PolicyTestReport


class Render(Protocol):
    def __call__(
        self, report: PolicyTestReport, *, color: bool = False, verbosity: int = 0
    ) -> str: ...


def render_text(report: PolicyTestReport, *, color: bool = False, verbosity: int = 0) -> str:
    """Each case's outcome, the failures explained, coverage, a summary; names escaped.

    `verbosity` -1 (`-q`): only the failing cases, explained, and the summary.
    """
    paint = Style(color=color).paint
    lines = [
        f"{paint('PASSED', '32') if result.passed else paint('FAILED', '31')} "
        f"{terminal(result.case.id)}"
        for result in report.results
        if verbosity >= 0 or not result.passed
    ]
    failures = [result for result in report.results if not result.passed]
    if failures:
        lines += ["", paint("FAILURES", "1")]
        for result in failures:
            lines += ["", *_failure(result)]
    if lines or verbosity >= 0:
        lines.append("")
    if verbosity >= 0:
        for item in report.coverage:
            lines.extend(_coverage(item))
    lines.append(_summary(report, paint))
    return "\n".join(lines) + "\n"


def _failure(result: CaseResult) -> list[str]:
    case = result.case
    judged = f"judged on {result.now}"
    if result.now < case.now:
        judged += f" (the evidence's as_of; the case says {case.now})"
    lines = [terminal(case.id), f"  {judged} with {terminal(case.evidence.path)}"]
    for mismatch in result.mismatches:
        expectation = mismatch.expectation
        where = terminal(str(expectation.location))
        lines.append(f"  {where}: {expectation.kind} {terminal(expectation.name)}")
        lines.append(f"  - {terminal(str(expectation.expected))}")
        lines.append(f"  + {terminal(str(mismatch.actual))}")
        if mismatch.message:
            lines.append(f"      {terminal(mismatch.message)}")
        if mismatch.location is not None:
            lines.append(f"      at {terminal(str(mismatch.location))}")
    return lines


def _coverage(item: Coverage) -> list[str]:
    counts = []
    details = []
    for kind, plural, both in ((RULE, "rules", "passing and not"), (STEP, "steps", "done and not")):
        total = len(item.rules if kind == RULE else item.steps)
        asserted = item.asserted(kind)
        one = item.one_outcome(kind)
        counts.append(
            f"{plural} {len(asserted)}/{total} asserted, {len(asserted) - len(one)}/{total} {both}"
        )
        missing = item.not_asserted(kind)
        if missing:
            details.append(f"  {plural} not asserted: {terminal(', '.join(missing))}")
        if one:
            listed = ", ".join(
                f"{terminal(name)} ({_side(kind, seen)})" for name, seen in one.items()
            )
            details.append(f"  {plural} asserted with one outcome only: {listed}")
    return [f"coverage {terminal(item.policy)}: {'; '.join(counts)}", *details]


def _side(kind: str, passing: bool) -> str:  # noqa: FBT001 - a plain mapping of the flag
    if kind == RULE:
        return "passing" if passing else "not passing"
    return "done" if passing else "not done"


def _summary(report: PolicyTestReport, paint: Callable[[str, str], str]) -> str:
    failed = report.failed
    passed = len(report.results) - failed
    text = f"{passed} passed, {failed} failed"
    if report.deselected:
        text += f", {report.deselected} deselected"
    return paint(text, "31" if failed else "32")


def render_json(report: PolicyTestReport, *, color: bool = False, verbosity: int = 0) -> str:
    """Every case and the coverage, whatever the verbosity: tools filter for themselves."""
    del color, verbosity
    data = {
        "ok": report.exit_code() == 0,
        "cases": [_case(result) for result in report.results],
        "coverage": [_coverage_json(item) for item in report.coverage],
        "summary": {
            "passed": len(report.results) - report.failed,
            "failed": report.failed,
            "deselected": report.deselected,
        },
    }
    return json_dump(data)


def _case(result: CaseResult) -> dict[str, Any]:
    case = result.case
    return {
        "id": case.id,
        "file": case.file,
        "name": case.name,
        "location": location_data(case.location),
        "policy": case.evidence.policy.ref,
        "evidence": case.evidence.path,
        "now": result.now.isoformat(),
        "status": "passed" if result.passed else "failed",
        "mismatches": [_mismatch(mismatch) for mismatch in result.mismatches],
    }


def _mismatch(mismatch: Mismatch) -> dict[str, Any]:
    expectation = mismatch.expectation
    return {
        "kind": expectation.kind,
        "name": expectation.name,
        "expected": expectation.expected,
        "actual": mismatch.actual,
        "message": mismatch.message,
        "location": location_data(mismatch.location),
        "expected_at": location_data(expectation.location),
    }


def _coverage_json(item: Coverage) -> dict[str, Any]:
    def part(kind: str, total: int) -> dict[str, Any]:
        one = item.one_outcome(kind)
        return {
            "total": total,
            "asserted": len(item.asserted(kind)),
            "both_outcomes": len(item.asserted(kind)) - len(one),
            "not_asserted": item.not_asserted(kind),
            "one_outcome": {name: _side(kind, seen) for name, seen in one.items()},
        }

    return {
        "policy": item.policy,
        "rules": part(RULE, len(item.rules)),
        "steps": part(STEP, len(item.steps)),
    }


RENDERERS: dict[str, Render] = {"text": render_text, "json": render_json}

"""The text summary `record-tests` prints: files read, each proposal's counts, what was recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.spectests.facts import SubjectPlan
    from gatecheck.spectests.tally import Tally

UNMAPPED_SHOWN = 10


def render(
    found: Tally,
    plans: Sequence[SubjectPlan],
    changed: dict[str, bool],
    *,
    dry_run: bool,
) -> str:
    r"""The text summary: what was read, each proposal's counts and what became of its evidence.

    File and test names come from CI artefacts: each is shown on its line with its control
    characters escaped, so a test named `x\n::error::...` cannot print a line of its own.
    """
    from gatecheck.reporters.escape import terminal

    lines = [
        f"read {terminal(r.path)} ({r.format}, {len(r.outcomes):,} tests, sha256 {r.sha256[:12]})"
        for r in found.results
    ]
    lines.append(
        f"compiler {found.compiler} ({found.spec_tests:,} spec tests, {len(found.unmapped):,} of "
        f"no proposal); skipped {found.other_compilers:,} tests of other compilers and "
        f"{found.not_spec:,} that are not spec tests"
    )
    width = max([len("proposal"), *(len(plan.subject) for plan in plans)])
    lines += ["", f"{'proposal':<{width}}  passed  failed  ignored"]
    for plan in plans:
        if plan.counts is None:
            numbers = f"{'-':>6}  {'-':>6}  {'-':>7}"
            what = "no tests in the results: left as it was"
        else:
            c = plan.counts
            numbers = f"{c.passed:>6}  {c.failed:>6}  {c.ignored:>7}"
            if plan.evidence is None:
                what = "no evidence file: not recorded"
            elif changed.get(plan.subject):
                what = f"{terminal(plan.evidence)} {'would change' if dry_run else 'updated'}"
            else:
                what = f"{terminal(plan.evidence)} unchanged"
        lines.append(f"{plan.subject:<{width}}  {numbers}  {what}")
    if found.unmapped:
        shown = ", ".join(terminal(name) for name in found.unmapped[:UNMAPPED_SHOWN])
        more = len(found.unmapped) - UNMAPPED_SHOWN
        tail = f" (and {more:,} more)" if more > 0 else ""
        lines += ["", f"{len(found.unmapped):,} spec tests of no proposal: {shown}{tail}"]
    return "\n".join(lines) + "\n"

"""`collect`'s report as text: what was written, what could not be determined, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.reporters.escape import terminal, terminal_lines

if TYPE_CHECKING:
    from gatecheck.collectors.planning import HandRecorded, Plan
    from gatecheck.collectors.run import CollectReport


def render(report: CollectReport, *, dry_run: bool) -> str:
    """Each snapshot read, the policy used, and per subject what changed (the diff on a dry run)."""
    lines = [
        f"read {terminal(s.short)} ({terminal(s.date[:10])}): {terminal(s.how)}"
        for s in report.snapshots
    ]
    policy = report.policy
    in_force = "in force" if policy.found else "for new files"
    lines.append(f"policy {terminal(policy.policy)} {in_force}: {terminal(policy.reason)}")
    for result in report.subjects:
        state = (
            "would change"
            if dry_run and result.changed
            else ("changed" if result.changed else "unchanged")
        )
        if result.created:
            state = "would create" if dry_run else "created"
        lines.append(
            f"{terminal(result.path)}: {state}; {len(result.collected)} facts collected, "
            f"{len(result.unknown)} not determined"
        )
        lines.extend("  " + terminal(line) for line in _plan_lines(result.plan, result.created))
        lines.extend(
            f"  not determined: {terminal(item.fact)}: {terminal(item.reason)}"
            for item in result.unknown
        )
        if dry_run and result.diff:
            diff = result.diff.rstrip("\n").split("\n")
            lines.extend("  " + terminal_lines(line) for line in diff)
    lines.extend(f"skipped {terminal(str(item))}" for item in report.skipped)
    return "\n".join(lines) + "\n"


def _plan_lines(plan: Plan, created: bool) -> list[str]:  # noqa: FBT001 - a flag of the result
    """What the plan does besides collecting: the policy switch, hand-recorded facts."""
    lines = []
    if plan.policy_switch is not None and not created:
        old, new = plan.policy_switch
        lines.append(f"policy switched: {old} -> {new} (the version in force at the revision)")
    lines.extend(
        f"removed {item.fact}: recorded by hand, dated {item.date}, after the revision"
        + ("; now not determined" if _is_null_now(plan, item) else "")
        for item in plan.removed
    )
    lines.extend(
        f"replaced {item.fact}: the revision says otherwise than the value recorded by hand "
        f"({item.date})"
        for item in plan.replaced
    )
    if plan.kept:
        kept = ", ".join(f"{item.fact} ({item.date})" for item in plan.kept)
        lines.append(f"kept, recorded by hand on or before the revision: {kept}")
    return lines


def _is_null_now(plan: Plan, item: HandRecorded) -> bool:
    return item.fact in plan.facts

"""Render a collection report as text: what was written, what could not be determined, why."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.collectors.run import CollectReport


def render(report: CollectReport, *, dry_run: bool) -> str:
    from gatecheck.reporters.escape import terminal, terminal_lines

    lines = [
        f"read {terminal(s.short)} ({terminal(s.date[:10])}): {terminal(s.how)}"
        for s in report.snapshots
    ]
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
        lines.extend(
            f"  not determined: {terminal(item.fact)}: {terminal(item.reason)}"
            for item in result.unknown
        )
        if dry_run and result.diff:
            diff = result.diff.rstrip("\n").split("\n")
            lines.extend("  " + terminal_lines(line) for line in diff)
    lines.extend(f"skipped {terminal(str(item))}" for item in report.skipped)
    return "\n".join(lines) + "\n"

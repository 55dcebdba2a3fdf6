"""Render a collection report as text: what was written, what could not be determined, why."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.collectors.run import CollectReport


def render(report: CollectReport, *, dry_run: bool) -> str:
    lines = [f"read {s.short} ({s.date[:10]}): {s.how}" for s in report.snapshots]
    for result in report.subjects:
        state = (
            "would change"
            if dry_run and result.changed
            else ("changed" if result.changed else "unchanged")
        )
        if result.created:
            state = "would create" if dry_run else "created"
        lines.append(
            f"{result.path}: {state}; {len(result.collected)} facts collected, "
            f"{len(result.unknown)} not determined"
        )
        lines.extend(f"  not determined: {item.fact}: {item.reason}" for item in result.unknown)
        if dry_run and result.diff:
            lines.extend("  " + line for line in result.diff.rstrip("\n").splitlines())
    lines.extend(f"skipped {item}" for item in report.skipped)
    return "\n".join(lines) + "\n"

"""`check --format text`: each affected subject's claims and their gates, then what needs review."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from gatecheck.reporters.escape import terminal
from gatecheck.reporters.text_gates import gate_lines, heading
from gatecheck.reporters.text_style import Style

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import CheckedSubject, CheckReport


def render_check(check: CheckReport, *, color: bool = False) -> str:
    """Each affected subject's claims and their gates, then what a maintainer must review."""
    style = Style(color=color)
    base = f"{terminal(check.base)} ({terminal(check.base_commit[:12])})"
    lines = [f"check: changes since {base}, judged on {check.now}"]
    lines.append("policies are read from the base, so a change cannot judge itself")
    lines.append("")
    for item in check.subjects:
        if item.claims:
            lines.extend(_claims(item, style))
    unclaimed: dict[str, list[str]] = {}
    for item in check.subjects:
        if not item.claims:
            unclaimed.setdefault(item.change, []).append(terminal(item.result.subject))
    for change, names in unclaimed.items():
        text = f"No claims ({_CHANGES[change]}): {', '.join(names)}"
        lines.extend(textwrap.wrap(text, 100, subsequent_indent="  ", break_on_hyphens=False))
    if unclaimed:
        lines.append("")
    if check.removed:
        removed = ", ".join(terminal(path) for path in check.removed)
        lines.append(f"Removed evidence (nothing to check): {removed}")
        lines.append("")
    if check.unverified:
        lines.append(style.bold("Entries the change adds without the named reviewer's approval:"))
        lines.extend(
            f"  {terminal(str(entry.location))}: {terminal(entry.message())}"
            for entry in check.unverified
        )
        approved = ", ".join(check.approved_by) or "nobody (--approved-by)"
        lines.append(f"  approvals passed in: {terminal(approved)}")
        lines.append("")
    if check.policy_changes:
        lines.append(style.bold("Policy changes needing a maintainer's review:"))
        lines.extend(
            f"  {c.change:<9} {terminal(c.path)}"
            + (f" ({terminal(c.detail)})" if c.detail else "")
            + (" - claims in the same change: refused" if c.with_claims else "")
            for c in check.policy_changes
        )
        lines.append("")
    lines.append(_check_summary(check))
    return "\n".join(lines) + "\n"


def _claims(item: CheckedSubject, style: Style) -> list[str]:
    subject = item.result
    lines = [f"{heading(subject, style)}  ({_CHANGES[item.change]})"]
    for claim in item.claims:
        how = {
            "implied": "implied by a change at",
            "standing": "a standing claim (it held at the base too) at",
            "claimed": "claimed at",
        }[claim.how]
        by = f", by {terminal(', '.join(claim.authors))}" if claim.authors else ""
        lines.append(f"  {terminal(claim.gate)}: {how} {terminal(str(claim.location))}{by}")
    if item.unjudged:
        lines.append(
            f"  refused, not judged: policy {terminal(subject.policy)} is new in this change"
            " (land the project first, then claim)"
        )
    implied = {claim.gate for claim in item.claims if claim.implied}
    for gate in subject.gates:
        lines.extend(gate_lines(gate, subject.evidence, style, implied=gate.gate in implied))
    lines.append("")
    return lines


_CHANGES = {
    "added": "added by the change",
    "modified": "changed",
    "deleted": "deleted",
    "policy": "its policy changed",
    "all": "--all",
}


def _check_summary(check: CheckReport) -> str:
    gates = refused = unjudged = 0  # counted a subject at a time: they may be read from disk
    for item in check.subjects:
        gates += len(item.result.gates)
        refused += sum(1 for gate in item.result.gates if not gate.status.passing)
        unjudged += len(item.claims) if item.unjudged else 0
    refused += unjudged
    subjects, claims = len(check.subjects), gates + unjudged
    text = (
        f"{subjects} subject{'s' * (subjects != 1)} checked, {claims} "
        f"claim{'s' * (claims != 1)}: {claims - refused} hold, {refused} refused"
    )
    unverified = len(check.unverified)
    if unverified:
        text += (
            f"; {unverified} unapproved entr{'ies' if unverified != 1 else 'y'} (fails the check)"
        )
    changes = len(check.policy_changes)
    if changes:
        failing = any(check.fails_on(change) for change in check.policy_changes)
        then = " (fails the check)" if failing else ""
        text += f"; {changes} policy change{'s' * (changes != 1)} to review{then}"
    return text

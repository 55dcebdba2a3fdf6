"""The `markdown` format: a report for people, e.g. a GitHub job summary (`$GITHUB_STEP_SUMMARY`).

A heading with the outcome, the summary line, then per subject a table of each gate's rules
(verdict, message, location as `file:line`) and, folded away, why each rule that does not pass
fails and what to do. `check` adds the policy changes needing a maintainer's review and the
removed evidence. Text from the evidence is escaped, so it cannot break a table or add markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.results import LISTED
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import markdown as escape
from gatecheck.reporters.findings import (
    check_summary,
    explain,
    rule_location,
    summary,
)
from gatecheck.reporters.markdown_parts import EMOJI

if TYPE_CHECKING:
    from gatecheck.errors import Location
    from gatecheck.evaluation.check_results import CheckReport
    from gatecheck.evaluation.results import GateResult, Report, SubjectResult
    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.evaluation.validation_results import Validation


def render(report: Report, *, color: bool = False) -> str:
    del color
    gates = [gate for subject in report.subjects for gate in subject.gates]
    refused = sum(1 for gate in gates if not gate.status.passing)
    outcome = (
        f"❌ {refused} of {len(gates)} gate{'s' * (len(gates) != 1)} not passing"
        if refused
        else "✅ every gate passes"
    )
    lines = [
        f"## gatecheck evaluate: {outcome}",
        "",
        f"{escape(summary(report))}, judged on {report.now}.",
    ]
    for subject in report.subjects:
        lines.extend(_subject(subject))
    return "\n".join(lines) + "\n"


def render_validation(validation: Validation, *, color: bool = False) -> str:
    del color
    count = len(validation.problems)
    if not count:
        return f"## gatecheck validate: ✅ valid\n\n{validation.summary(escape)}.\n"
    lines = [
        f"## gatecheck validate: ❌ {count} problem{'s' * (count != 1)}",
        "",
        "Nothing is evaluated until every problem is fixed.",
        "",
        "| location | problem | message | hint |",
        "|---|---|---|---|",
    ]
    lines.extend(
        f"| {_where(problem.location)} | {escape(problem.code)} | {escape(problem.message)} "
        f"| {escape(problem.hint or '')} |"
        for problem in validation.problems
    )
    return "\n".join(lines) + "\n"


def _claims_outcome(check: CheckReport) -> str:
    """How the claims fared: the gates not passing, and claims of a policy new in an adoption."""
    gates = refused = unjudged = 0  # counted a subject at a time: they may be read from disk
    for item in check.subjects:
        gates += len(item.result.gates)
        refused += sum(1 for gate in item.result.gates if not gate.status.passing)
        unjudged += len(item.claims) if item.unjudged else 0
    parts = []
    if refused:
        parts.append(f"❌ {refused} of {gates} claimed gate{'s' * (gates != 1)} not passing")
    if unjudged:  # nothing at the base judges them: the policy is the change's own
        parts.append(f"❌ {unjudged} claim{'s' * (unjudged != 1)} of a new policy refused")
    return "; ".join(parts) or "✅ every claim holds"


def render_check(check: CheckReport, *, color: bool = False) -> str:
    del color
    outcome = _claims_outcome(check)
    if check.unverified:
        outcome += "; ❌ attestations or waivers not approved by the reviewer they name"
    if check.policy_changes:
        failing = any(check.fails_on(change) for change in check.policy_changes)
        outcome += f"; {'❌' if failing else '⚠️'} policy changes to review"
    lines = [
        f"## gatecheck check: {outcome}",
        "",
        (
            f"Changes since {escape(check.base)} ({escape(check.base_commit[:12])}), judged on "
            f"{check.now} by the base's policies: {escape(check_summary(check))}."
        ),
    ]
    unclaimed: dict[str, list[str]] = {}
    for item in check.subjects:
        if not item.claims:
            unclaimed.setdefault(item.change, []).append(escape(item.result.subject))
            continue
        claims = ", ".join(
            f"{escape(claim.gate)} ({claim.how} at {_where(claim.location)})"
            for claim in item.claims
        )
        why = f"Checked because: {escape(item.change)}. Claims: {claims}."
        if item.unjudged:
            why += (
                f" Refused, not judged: policy {escape(item.result.policy)} is new in this change"
                " (land the project first, then claim)."
            )
        implied = frozenset(claim.gate for claim in item.claims if claim.implied)
        lines.extend(_subject(item.result, why, implied, refused=item.unjudged))
    if unclaimed:
        lines.extend(["", "### Checked, claiming nothing", ""])
        lines.extend(f"- {', '.join(names)} ({change})" for change, names in unclaimed.items())
    if check.unverified:
        lines.extend(
            ["", "### Attestations and waivers not approved by the reviewer they name", ""]
        )
        lines.extend(
            f"- {_where(entry.location)}: {escape(entry.message())}" for entry in check.unverified
        )
        approved = ", ".join(check.approved_by) or "nobody"
        lines.extend(["", f"Approvals passed in (--approved-by): {escape(approved)}."])
    if check.policy_changes:
        fails = " (--fail-on-policy-change: the check fails)" if check.fail_on_policy_change else ""
        lines.extend(["", f"### Policy changes needing a maintainer's review{fails}", ""])
        lines.extend(
            f"- {escape(change.path)} ({change.change}"
            + (f": {escape(change.detail)})" if change.detail else ")")
            + (" - claims in the same change: refused" if change.with_claims else "")
            for change in check.policy_changes
        )
    if check.removed:
        lines.extend(["", "### Removed evidence", "", "Their claims are no longer checked.", ""])
        lines.extend(f"- {escape(path)}" for path in check.removed)
    return "\n".join(lines) + "\n"


def _subject(
    subject: SubjectResult,
    why: str | None = None,
    implied: frozenset[str] = frozenset(),
    *,
    refused: bool = False,
) -> list[str]:
    """A subject's heading, a table per gate, then the details of its rules that do not pass.

    `implied`: the gates whose `claimed_when` the change makes hold (`check`): not standing claims.
    `refused`: its claims are refused unjudged (`check`, a policy new in an adoption).
    """
    passing = not refused and all(gate.status.passing for gate in subject.gates)
    judged = subject.dates
    lines = [
        "",
        f"### {'✅' if passing else '❌'} {escape(subject.subject)}",
        "",
        f"Policy {escape(subject.policy)}, evidence {escape(subject.evidence)}, {judged}."
        + (f" {why}" if why else ""),
    ]
    for gate in subject.gates:
        lines.extend(_gate(gate, implied=gate.gate in implied))
    not_passing = [
        rule for gate in subject.gates for rule in gate.rules if rule.status is not Verdict.PASS
    ]
    if not_passing:
        waived = sum(1 for rule in not_passing if rule.status is Verdict.WAIVED)
        failing = len(not_passing) - waived
        parts = [f"{_rules(failing)} not passing"] if failing else []
        parts += [f"{_rules(waived)} waived"] if waived else []
        summary_line = f"Details of {escape(subject.subject)}: {', '.join(parts)}"
        lines.extend(["", "<details>", f"<summary>{summary_line}</summary>", ""])
        for rule in not_passing:
            lines.append(f"- {EMOJI[rule.status]} **{escape(rule.rule)}**: {escape(rule.title)}")
            lines.extend(
                f"  - {escape(line)}"
                for line in [*explain(rule, subject.evidence), f"source: {rule.source}"]
            )
        lines.extend(["", "</details>"])
    return lines


def _rules(count: int) -> str:
    return f"{count} rule{'s' * (count != 1)}"


def _gate(gate: GateResult, *, implied: bool = False) -> list[str]:
    claimed = ""
    if gate.claim == LISTED:
        claimed = " (claimed)"
    elif gate.claim is not None:
        kind = "claim implied by the change" if implied else "standing claim"
        claimed = f" ({kind}: {escape(gate.claim)})"
    heading = f"{EMOJI[gate.status]} Gate {escape(gate.gate)}: {gate.status}"
    lines = [
        "",
        f"**{heading}**{claimed}: {escape(gate.title)}",
        "",
        "| rule | verdict | message | location |",
        "|---|---|---|---|",
    ]
    for rule in gate.rules:
        location = rule_location(rule)
        where = _where(location) if location is not None else ""
        verdict = f"{EMOJI[rule.status]} {rule.status}"
        lines.append(f"| {escape(rule.rule)} | {verdict} | {escape(rule.message)} | {where} |")
    return lines


def render_status(status: StatusReport) -> str:
    """The status page, drawn by `markdown_status` (imported here, when a page is asked for)."""
    from gatecheck.reporters.markdown_status import render_status as status_page

    return status_page(status)


def _where(location: Location) -> str:
    """`file:line` (the file alone when there is no line)."""
    text = f"{location.path}:{location.line}" if location.line > 0 else location.path
    return escape(text)

"""The `markdown` format: a report for people, e.g. a GitHub job summary (`$GITHUB_STEP_SUMMARY`).

A heading with the outcome, the summary line, then per subject a table of each gate's rules
(verdict, message, location as `file:line`) and, folded away, why each rule that does not pass
fails and what to do. `check` adds the policy changes needing a maintainer's review and the
removed evidence. Text from the evidence is escaped, so it cannot break a table or add markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.results import LISTED, Verdict
from gatecheck.reporters.escape import markdown as escape
from gatecheck.reporters.escape import markdown_code
from gatecheck.reporters.findings import (
    FAILING,
    NOT_RECORDED,
    VERDICT_LABELS,
    check_summary,
    explain,
    in_repository,
    rule_location,
    shown,
    status_cell,
    status_groups,
    status_summary,
    summary,
)

if TYPE_CHECKING:
    from gatecheck.errors import Location
    from gatecheck.evaluation.results import (
        CheckReport,
        GateResult,
        Report,
        RuleResult,
        StatusReport,
        SubjectResult,
        Validation,
    )

EMOJI = {Verdict.PASS: "✅", Verdict.FAIL: "❌", Verdict.MISSING: "❔", Verdict.WAIVED: "⏸️"}


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
        policies, files = len(validation.policies), len(validation.evidence)
        return (
            "## gatecheck validate: ✅ valid\n\n"
            f"{policies} polic{'y' if policies == 1 else 'ies'} "
            f"({escape(', '.join(validation.policies))}) and {files} evidence "
            f"file{'s' * (files != 1)} are valid.\n"
        )
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


def render_check(check: CheckReport, *, color: bool = False) -> str:
    del color
    gates = [gate for item in check.subjects for gate in item.result.gates]
    refused = sum(1 for gate in gates if not gate.status.passing)
    outcome = (
        f"❌ {refused} of {len(gates)} claimed gate{'s' * (len(gates) != 1)} not passing"
        if refused
        else "✅ every claim holds"
    )
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
        lines.extend(_subject(item.result, why))
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


def _subject(subject: SubjectResult, why: str | None = None) -> list[str]:
    """A subject's heading, a table per gate, then the details of its rules that do not pass."""
    passing = all(gate.status.passing for gate in subject.gates)
    judged = subject.dates
    lines = [
        "",
        f"### {'✅' if passing else '❌'} {escape(subject.subject)}",
        "",
        f"Policy {escape(subject.policy)}, evidence {escape(subject.evidence)}, {judged}."
        + (f" {why}" if why else ""),
    ]
    for gate in subject.gates:
        lines.extend(_gate(gate))
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


def _gate(gate: GateResult) -> list[str]:
    claimed = ""
    if gate.claim == LISTED:
        claimed = " (claimed)"
    elif gate.claim is not None:
        claimed = f" (standing claim: {escape(gate.claim)})"
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
    """A status page: a table per group, footnotes for waivers and missing facts, plans folded.

    Cells link to the evidence line that decided them (`evidence/x.yaml#L12`, relative to the
    project root, where the page is meant to live); every waiver and every missing fact gets a
    footnote; each subject that does not pass gets its plan for the gate as a Mermaid flowchart.
    """
    from gatecheck.reporters.mermaid import render_plan

    policies = ", ".join(escape(p) for p in dict.fromkeys(s.policy for s in status.subjects))
    lines = [
        f"## Gate {escape(status.gate)}: {escape(status.gate_title)}",
        "",
        f"{escape(status_summary(status))}; judged on {status.now} by {policies}.",
    ]
    notes: list[str] = []
    header = " | ".join(escape(column.rule) for column in status.columns)
    # What the subjects' own documents declare, before gatecheck's verdict (Wasmtime's table)
    stated = "".join(f"{escape(column.title)} | " for column in status.declared)
    for group, rows in status_groups(status):
        lines.extend(["", f"### {_GROUP_EMOJI[group]} {group.capitalize()}", ""])
        lines.append(f"| subject | {stated}gate | {header} |")
        lines.append("|---|" + "---|" * (len(status.declared) + 1 + len(status.columns)))
        for subject in rows:
            cells = [_status_cell(subject, column.rule, notes) for column in status.columns]
            said = status.stated.get(subject.subject, {})
            declared = "".join(f"{escape(shown(said.get(c.fact)))} | " for c in status.declared)
            gate = subject.gates[0].status
            verdict = f"{EMOJI[gate]} {VERDICT_LABELS[gate]}"
            lines.append(
                f"| {escape(subject.subject)} | {declared}{verdict} | {' | '.join(cells)} |"
            )
    lines.extend(["", "### Rules", ""])
    lines.extend(
        f"{number}. **{escape(column.rule)}**: {escape(column.title)} ({escape(column.source)})"
        for number, column in enumerate(status.columns, 1)
    )
    if status.declared:
        shown_as = ", ".join(
            f"{escape(column.title)} (`{escape(column.fact)}`)" for column in status.declared
        )
        lines.extend(["", f"Declared by the subject's own documents: {shown_as}; · not declared."])
    lines.extend(
        [
            "",
            (
                f"{EMOJI[Verdict.PASS]} pass, {EMOJI[Verdict.FAIL]} fail, "
                f"{EMOJI[Verdict.MISSING]} not recorded (a fact the rule reads is not in the "
                f"evidence), {EMOJI[Verdict.WAIVED]} waived, — not a rule of the subject's policy."
            ),
        ]
    )
    failing = [s for s in status.subjects if not s.gates[0].status.passing]
    if failing:
        lines.extend(["", "### Plans", ""])
        for subject in failing:
            plan = status.plans[subject.subject]
            ready = len(plan.next)
            steps = f"{ready} step{'s' * (ready != 1)} ready now"
            lines.extend(
                [
                    "<details>",
                    f"<summary>Plan of {escape(subject.subject)}: {steps}</summary>",
                    "",
                    "```mermaid",
                    render_plan(plan).rstrip("\n"),
                    "```",
                    "",
                    "</details>",
                    "",
                ]
            )
        lines.pop()
    if notes:
        lines.append("")
        lines.extend(f"[^{number}]: {note}" for number, note in enumerate(notes, 1))
    return "\n".join(lines) + "\n"


_GROUP_EMOJI = {
    f"claimed and {FAILING}": "🚩",
    f"claimed and {NOT_RECORDED}": "🚩",
    FAILING: "❌",
    NOT_RECORDED: "❔",
    "passing": "✅",
}


def _status_cell(subject: SubjectResult, rule_id: str, notes: list[str]) -> str:
    """A verdict mark, linked to its evidence line, with a footnote for a waiver or missing fact."""
    rule = status_cell(subject, rule_id)
    if rule is None:
        return "—"
    mark = EMOJI[rule.status]
    location = rule_location(rule)
    if location is not None and location.path == subject.evidence and location.line > 0:
        mark = f"[{mark}]({_link(subject.evidence)}#L{location.line})"
    elif in_repository(subject.evidence):  # absent from the evidence: where to record it
        mark = f"[{mark}]({_link(subject.evidence)})"
    note = _status_note(subject, rule)
    if note is None:
        return mark
    notes.append(note)
    return f"{mark}[^{len(notes)}]"


def _status_note(subject: SubjectResult, rule: RuleResult) -> str | None:
    where = f"{escape(subject.subject)}, {escape(rule.rule)}"
    if rule.status is Verdict.WAIVED and rule.waiver is not None:
        waiver = rule.waiver
        return (
            f"{where}: waived by {escape(str(waiver['approver']))} until {waiver['expires']}: "
            f"{escape(str(waiver['reason']))}"
        )
    if rule.status is Verdict.MISSING:
        facts = [d.fact for d in rule.details if d.fact and not d.recorded]
        what = ", ".join(markdown_code(fact) for fact in dict.fromkeys(facts))
        todo = f"record {what} in {escape(subject.evidence)}" if what else escape(rule.message)
        return f"{where}: missing; to do: {todo}"
    return None


def _link(path: str) -> str:
    """A relative link target: spaces and parentheses would end it."""
    return path.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _where(location: Location) -> str:
    """`file:line` (the file alone when there is no line)."""
    text = f"{location.path}:{location.line}" if location.line > 0 else location.path
    return escape(text)

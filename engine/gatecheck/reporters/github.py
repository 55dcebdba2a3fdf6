"""The `github` format: GitHub Actions workflow commands, shown as annotations on the change.

`::error file=F,line=L,col=C,title=T::message`, most important first, because GitHub shows only
the first few annotations of each kind per step: the rules of claimed gates before the others,
failures before missing facts; then warnings (policy changes and removed evidence in `check`);
then notices (waived rules). The last line is a plain summary. Values are escaped as the Actions
toolkit does, so no text from the evidence can end an annotation early or start a command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import Location
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import workflow_data, workflow_property
from gatecheck.reporters.findings import (
    by_importance,
    change_message,
    check_summary,
    explain,
    findings,
    in_repository,
    removed_message,
    rule_location,
    summary,
)

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import CheckReport
    from gatecheck.evaluation.results import Report
    from gatecheck.evaluation.validation_results import Validation
    from gatecheck.reporters.findings import Finding

_KINDS = {Verdict.FAIL: "error", Verdict.MISSING: "error", Verdict.WAIVED: "notice"}


def render(report: Report, *, color: bool = False) -> str:
    del color
    lines = [_finding(found) for found in by_importance(findings(report))]
    lines.append(f"gatecheck: {summary(report)}")
    return "\n".join(lines) + "\n"


def render_validation(validation: Validation, *, color: bool = False) -> str:
    del color
    lines = []
    for problem in validation.problems:
        message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
        title = f"gatecheck validate: {problem.code}"
        lines.append(command("error", message, problem.location, title))
    count = len(validation.problems)
    if count:
        lines.append(f"gatecheck: {count} problem{'s' * (count != 1)}; nothing evaluated")
    else:
        lines.append(f"gatecheck: ok: {validation.summary()}")
    return "\n".join(lines) + "\n"


def render_check(check: CheckReport, *, color: bool = False) -> str:
    del color
    found = by_importance(findings(check.report))
    errors = [_finding(f) for f in found if f.rule.status is not Verdict.WAIVED]
    notices = [_finding(f) for f in found if f.rule.status is Verdict.WAIVED]
    changes = [
        command(
            "error" if check.fails_on(change) else "warning",
            change_message(change),
            Location(change.path, 1, 1),
            "Policy change needs a maintainer's review",
        )
        # the changes that fail the check first, among the errors
        for change in sorted(check.policy_changes, key=lambda c: not check.fails_on(c))
    ]
    removed = [
        command("warning", removed_message(path), Location(path, 1, 1), "Evidence removed")
        for path in check.removed
    ]
    unverified = [
        command("error", entry.message(), entry.location, "Not approved by the reviewer it names")
        for entry in check.unverified
    ]
    # With --fail-on-policy-change the policy changes are errors too; either way they come right
    # after the rules' errors and before the notices.
    lines = [*errors, *unverified, *changes, *removed, *notices]
    lines.append(f"gatecheck: {check_summary(check)}")
    return "\n".join(lines) + "\n"


def _finding(found: Finding) -> str:
    subject, gate, rule = found
    title = f"{subject.subject} {gate.gate}/{rule.rule}: {rule.status.value.upper()}"
    location = rule_location(rule)  # when the annotation is moved to another file, say where
    where = location is not None and location.path != found.location.path
    message = "\n".join([rule.title, *explain(rule, subject.evidence, where=where)])
    return command(_KINDS[rule.status], message, found.location, title)


def command(kind: str, message: str, location: Location | None, title: str) -> str:
    """One workflow command; a location outside the repository is left out (GitHub ignores it)."""
    properties = []
    if location is not None and in_repository(location.path):
        properties.append(f"file={workflow_property(location.path)}")
        if location.line > 0:
            properties.append(f"line={location.line}")
            if location.column > 0:
                properties.append(f"col={location.column}")
    properties.append(f"title={workflow_property(title)}")
    return f"::{kind} {','.join(properties)}::{workflow_data(message)}"

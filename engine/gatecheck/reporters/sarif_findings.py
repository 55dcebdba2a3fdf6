"""An evaluation in SARIF: a descriptor for every rule judged, a result for each that does not pass.

Fail and missing are errors; a waived rule is a note with an accepted external suppression that
carries the waiver. A result's related locations are the rule in its policy, the subject's
evidence and, for `check`, the claim.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.findings import Finding, anchor, explain, findings, line_one

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import Claim
    from gatecheck.evaluation.results import Report
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.reporters.sarif_run import Run

_LEVELS = {Verdict.FAIL: "error", Verdict.MISSING: "error", Verdict.WAIVED: "note"}


def evaluation(
    run: Run, report: Report, claims: dict[tuple[str, str], Claim] | None = None
) -> None:
    """A descriptor for every rule judged; a result for every rule that does not pass."""
    indexes: dict[tuple[str, str, str], int] = {}
    for subject in report.subjects:
        for gate in subject.gates:
            for rule in gate.rules:
                key = (subject.policy, gate.gate, rule.rule)
                indexes[key] = run.rule(
                    key, _rule_descriptor(subject.policy, gate.gate, gate.title, rule)
                )
    for finding in findings(report):
        subject, gate, rule = finding
        claim = (claims or {}).get((subject.subject, gate.gate))
        run.results.append(
            _result(run, finding, indexes[subject.policy, gate.gate, rule.rule], claim)
        )


def _rule_descriptor(policy: str, gate: str, gate_title: str, rule: RuleResult) -> dict[str, Any]:
    help_lines = [
        f"{rule.title}.",
        f"A rule of gate {gate} ({gate_title}) in policy {policy}.",
        f"Source: {rule.source}.",
    ]
    if rule.rule_hint:  # the rule's own: a result's message has the hint for its deciding test
        help_lines.append(f"Hint: {rule.rule_hint}")
    properties: dict[str, Any] = {
        "policy": policy,
        "gate": gate,
        "gateTitle": gate_title,
        "source": rule.source,
        "tags": ["gatecheck", "policy"],
    }
    if rule.rule_hint:
        properties["hint"] = rule.rule_hint
    if rule.policy_location is not None:
        properties["policyLocation"] = str(rule.policy_location)
    return {
        "id": f"{gate}/{rule.rule}",
        "shortDescription": {"text": rule.title},
        "fullDescription": {
            "text": f"{rule.title} (policy {policy}, gate {gate}; source: {rule.source})"
        },
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": "error"},
        "properties": properties,
    }


def _result(run: Run, finding: Finding, index: int, claim: Claim | None) -> dict[str, Any]:
    subject, gate, rule = finding
    location = finding.location
    lines = explain(rule, subject.evidence, where=False, test=False)
    result: dict[str, Any] = {
        "ruleId": f"{gate.gate}/{rule.rule}",
        "ruleIndex": index,
        "level": _LEVELS[rule.status],
        "message": {"text": f"{subject.subject}: " + "\n".join(lines)},
        "locations": [run.location(location)],
    }
    related = []
    if rule.policy_location is not None and rule.policy_location != location:
        related.append(
            run.location(line_one(rule.policy_location), f"rule {rule.rule} in {subject.policy}")
        )
    if location.path != subject.evidence:
        related.append(
            run.location(anchor(None, subject.evidence), f"the evidence of {subject.subject}")
        )
    if claim is not None:
        how = {
            "implied": "implied by this change",
            "standing": "claimed here, standing",
            "claimed": "claimed here",
        }[claim.how]
        related.append(run.location(line_one(claim.location), f"gate {gate.gate} {how}"))
    if related:
        result["relatedLocations"] = [{"id": n, **item} for n, item in enumerate(related, 1)]
    if rule.status is Verdict.WAIVED:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": rule.message}
        ]
    result["properties"] = _properties(finding, claim)
    return result


def _properties(finding: Finding, claim: Claim | None) -> dict[str, Any]:
    subject, gate, rule = finding
    properties: dict[str, Any] = {
        "subject": subject.subject,
        "policy": subject.policy,
        "evidence": subject.evidence,
        "gate": gate.gate,
        "verdict": str(rule.status),
        "claimed": gate.claimed or claim is not None,
    }
    primary = rule.primary
    if primary is not None and primary.fact is not None:
        properties["fact"] = primary.fact
        properties["expected"] = primary.expected
        properties["actual"] = primary.actual
        if primary.passes_on is not None:
            properties["passesOn"] = primary.passes_on.isoformat()
    if rule.next_step is not None:
        properties["nextStep"] = rule.next_step.step
    if rule.waiver is not None:
        properties["waiver"] = rule.waiver
    if claim is not None and claim.authors:
        properties["claimAuthors"] = list(claim.authors)
    if rule.provenance is not None:
        properties["provenance"] = rule.provenance
    return properties

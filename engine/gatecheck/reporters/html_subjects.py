"""What the HTML status page says of each subject: its anchor, its verdict and each rule's entry.

Shared by the page's markup (`html`, through `templates/`) and its data island (`html_island`),
so a subject's section reads the same whether the template wrote it or the page's script did.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.findings import rule_location, to_do

if TYPE_CHECKING:
    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.evaluation.status_results import StatusReport

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def rule_items(rule: RuleResult, evidence: str) -> list[tuple[str, str]]:
    """What a rule's entry lists, term by term: the message, where, and what to do about it."""
    items = [("message", rule.message)]
    location = rule_location(rule)
    if location is not None:
        items.append(("location", str(location)))
    if rule.status is not Verdict.PASS:
        items.extend(  # each message says what it expected, in words
            ("also", detail.message) for detail in rule.details[1:] if detail.expected is not None
        )
        primary = rule.primary
        if primary is not None and primary.fact and not primary.recorded:
            items.append(("to do", to_do(primary.fact, evidence).replace("`", "")))
        if primary is not None and primary.passes_on is not None:
            items.append(("passes on", str(primary.passes_on)))
        if rule.next_step is not None:
            step = rule.next_step
            then = f" (needed for {step.for_step})" if step.for_step else ""
            items.append(("next step", f"{step.step} ({step.status}): {step.title}{then}"))
        if rule.hint:
            items.append(("hint", rule.hint))
    if rule.waiver:
        items.append(("waiver", _pairs(rule.waiver)))
    if rule.provenance:
        items.append(("evidence from", _pairs(rule.provenance)))
    items.append(("source", rule.source))
    return items


def _pairs(mapping: dict[str, Any]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in mapping.items())


def subject_verdict(subject: SubjectResult) -> Verdict:
    return subject.gates[0].status if subject.gates else Verdict.MISSING


def rules_by_id(subject: SubjectResult) -> dict[str, RuleResult]:
    return {rule.rule: rule for gate in subject.gates for rule in gate.rules}


def rule_anchor(rule: str) -> str:
    """The part of a rule entry's anchor after `<subject anchor>--`: markup-safe."""
    return _UNSAFE_ID.sub("_", rule) or "_"


def subject_ids(status: StatusReport) -> dict[str, str]:
    """A unique, markup-safe anchor per subject: `s-<name>` (unsafe characters as `_`)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for subject in status.subjects:
        base = f"s-{_UNSAFE_ID.sub('_', subject.subject)}"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        ids[subject.subject] = candidate
    return ids

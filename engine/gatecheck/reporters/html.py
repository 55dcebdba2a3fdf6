"""The `html` status format: one self-contained page for the status matrix of a gate.

Nothing is fetched: the CSS and a small script are inline, the plan graphs are inline SVG laid out
by `html_plan` (columns by dependency depth), and there are no fonts, images or external links.
The page reads the same with the script off (the verdict filters are then simply not offered):

- the matrix, a row per subject and a column per rule, each cell a mark *and* a word (not colour
  alone) with the rule's message in its `title` and shown when the cell has focus;
- a section per subject (anchor `#s-<subject>`): each rule's message, location, what to record,
  the next step, the hint and the waiver; then its plan (ready, blocked, done, the path to the
  gate) and the plan drawn as a graph with the path to the gate highlighted;
- filters by the subject's gate verdict, a skip link, visible focus, a dark palette for
  `prefers-color-scheme: dark`, and a print style (black on white, no filters, a page per subject).

The markup is `templates/status.html.j2`, rendered by `templating` with every value escaped, so a
title or message from a policy or evidence file cannot add markup. This module decides what the
page says; the output depends only on the report: no clock is read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.results import LISTED
from gatecheck.evaluation.rule_results import StepStatus, Verdict
from gatecheck.reporters.findings import rule_location, to_do
from gatecheck.reporters.html_plan import plan_view
from gatecheck.reporters.plangraph import MARKERS
from gatecheck.reporters.status_matrix import MARKS, VERDICT_LABELS, shown
from gatecheck.reporters.templating import render_page

if TYPE_CHECKING:
    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.evaluation.status_results import StatusReport

__all__ = ["MARKS", "render_status"]  # MARKS: the tests read the marks here

_ORDER = (Verdict.PASS, Verdict.FAIL, Verdict.MISSING, Verdict.WAIVED)
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def render_status(status: StatusReport, *, color: bool = False) -> str:
    del color  # the page has its own palette (light and dark)
    counts = dict.fromkeys(_ORDER, 0)
    for subject in status.subjects:
        counts[_subject_verdict(subject)] += 1
    return render_page(
        "status.html.j2",
        css="status.css",
        script="status.js",
        status=status,
        summary=_summary(status, counts),
        counts=counts,
        ids=_subject_ids(status),
        order=_ORDER,
        marks=MARKS,
        labels=VERDICT_LABELS,
        markers=MARKERS,
        step_states=StepStatus,
        listed=LISTED,
        verdict_of=_subject_verdict,
        rules_of=_rules_by_id,
        rule_id=_rule_id,
        rule_items=_rule_items,
        shown=shown,
        plan_view=plan_view,
    )


def _summary(status: StatusReport, counts: dict[Verdict, int]) -> str:
    passing = counts[Verdict.PASS] + counts[Verdict.WAIVED]
    total = len(status.subjects)
    by_verdict = ", ".join(f"{counts[v]} {VERDICT_LABELS[v]}" for v in _ORDER)
    return (
        f"{total} subject{'s' * (total != 1)}: {passing} passing, {total - passing} not passing "
        f"({by_verdict}), judged on {status.now}."
    )


def _rule_items(rule: RuleResult, evidence: str) -> list[tuple[str, str]]:
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


def _subject_verdict(subject: SubjectResult) -> Verdict:
    return subject.gates[0].status if subject.gates else Verdict.MISSING


def _rules_by_id(subject: SubjectResult) -> dict[str, RuleResult]:
    return {rule.rule: rule for gate in subject.gates for rule in gate.rules}


def _rule_id(rule: str) -> str:
    return _UNSAFE_ID.sub("_", rule) or "_"


def _subject_ids(status: StatusReport) -> dict[str, str]:
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

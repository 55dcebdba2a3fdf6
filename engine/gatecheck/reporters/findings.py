"""What the CI formats (sarif, junit, github, markdown) share: findings, their order and place.

A finding is a rule that does not pass (or is waived), with the subject and gate it belongs to.
CI tools attach a finding to a file of the repository, so `anchor` turns a report's location into
one they can show: a real line (a file without one points at line 1), inside the repository.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import Location
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.project.bundled import BUNDLED

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import CheckReport, PolicyChange
    from gatecheck.evaluation.results import GateResult, Report, SubjectResult
    from gatecheck.evaluation.rule_results import RuleResult

REVIEW = "needs a maintainer's review"
_RANK = {Verdict.FAIL: 0, Verdict.MISSING: 1, Verdict.WAIVED: 2, Verdict.PASS: 3}


class Finding(NamedTuple):
    subject: SubjectResult
    gate: GateResult
    rule: RuleResult

    @property
    def location(self) -> Location:
        """Where CI shows it: the fact's evidence line, or the policy line when it is absent."""
        return anchor(rule_location(self.rule), self.subject.evidence)


def findings(report: Report) -> list[Finding]:
    """Every rule that does not pass, in report order (subject, gate, rule)."""
    return [
        Finding(subject, gate, rule)
        for subject in report.subjects
        for gate in subject.gates
        for rule in gate.rules
        if rule.status is not Verdict.PASS
    ]


def by_importance(found: list[Finding]) -> list[Finding]:
    """Waived last; before them claimed gates first, fail before missing; else report order."""
    return sorted(
        found,
        key=lambda f: (f.rule.status is Verdict.WAIVED, not f.gate.claimed, _RANK[f.rule.status]),
    )


def in_repository(path: str) -> bool:
    """False for gatecheck's bundled files, paths outside the root, and directories (`.`, `x/`)."""
    if path in {"", ".", ".."} or path.endswith("/"):
        return False
    return not (path.startswith((f"{BUNDLED}/", "../")) or os.path.isabs(path))


def rule_location(rule: RuleResult) -> Location | None:
    """Where every format places a rule: its deciding fact, else the rule in the policy."""
    primary = rule.primary
    if primary is not None and primary.location is not None:
        return primary.location
    return rule.policy_location


def test_location(rule: RuleResult) -> Location | None:
    """Where the policy asks for what is missing: the deciding test, else the rule.

    Said beside a location in the evidence only when the fact is not recorded, as the evidence's
    line is then where to write it rather than what the rule read.
    """
    primary = rule.primary
    if primary is None or primary.recorded:
        return None
    return primary.policy_location or rule.policy_location


def anchor(location: Location | None, evidence: str) -> Location:
    """A location CI tools can show: in the repository when possible, never on line 0.

    A rule read in one of gatecheck's bundled policies is not a file of the user's repository;
    the evidence file that must change is, so the finding goes to its first line instead.
    """
    if location is None or (not in_repository(location.path) and in_repository(evidence)):
        location = Location(evidence, 1, 1)
    return line_one(location)


def line_one(location: Location) -> Location:
    """Line 0 means "the file, no line" (an unknown subject): point at its first line."""
    if location.line > 0:
        return Location(location.path, location.line, max(location.column, 1))
    return Location(location.path, 1, 1)


def explain(rule: RuleResult, evidence: str, *, where: bool = True, test: bool = True) -> list[str]:
    """The lines that say why a rule does not pass and what to do (as the text format does).

    `where` says the finding's location, `test` the test in the policy when the location is the
    evidence line of a fact to record (left to a format that has related locations).
    """
    lines = [rule.message]
    if rule.status is Verdict.PASS or rule.status is Verdict.WAIVED:
        return lines
    primary = rule.primary
    location = rule_location(rule)
    if where and location is not None:
        lines.append(f"at {location}")
    asked_at = test_location(rule) if test else None
    if asked_at is not None and asked_at != location:
        lines.append(f"rule at {asked_at}")
    if primary is not None and primary.fact and not primary.recorded:
        lines.append(f"to do: {to_do(primary.fact, evidence)}")
    if rule.next_step is not None:
        step = rule.next_step
        then = f" (needed for {step.for_step})" if step.for_step else ""
        lines.append(f"next: step {step.step}: {step.title}{then}")
    if rule.hint:
        lines.append(f"hint: {rule.hint}")
    return lines


def to_do(fact: str, evidence: str) -> str:
    """What a missing fact asks for: `record `x` in FILE`, or an attestation of a judgement."""
    judgement = fact.removeprefix("attestations[").removesuffix("]")
    if judgement != fact:
        return f"attest {judgement} in {evidence}"
    return f"record `{fact}` in {evidence}"


def summary(report: Report, *, claims: bool = True) -> str:
    """The last line of the text format: subjects, gates passing, rules by verdict.

    `claims` adds how many gates are claimed and not passing (`check` judges only claimed gates
    and counts them its own way).
    """
    tally = Tally()
    for subject in report.subjects:
        tally.add(subject)
    return tally.summary(claims=claims)


class Tally:
    """The counts a summary says, added one subject at a time: a streamed report keeps no list."""

    def __init__(self) -> None:
        self.subjects = 0
        self.gates = 0
        self.passing = 0
        self.claimed_and_failing = 0
        self.rules = dict.fromkeys(Verdict, 0)

    def add(self, subject: SubjectResult) -> None:
        self.subjects += 1
        for gate in subject.gates:
            self.gates += 1
            self.passing += gate.status.passing
            self.claimed_and_failing += gate.claimed_and_failing
            for rule in gate.rules:
                self.rules[rule.status] += 1

    @property
    def not_passing(self) -> int:
        return self.gates - self.passing

    def summary(self, *, claims: bool = True) -> str:
        """`summary`'s line for the subjects added."""
        subjects, gates, counts = self.subjects, self.gates, self.rules
        failing = self.claimed_and_failing
        return (
            f"{subjects} subject{'s' * (subjects != 1)}, {gates} gate{'s' * (gates != 1)}: "
            f"{self.passing} passing, {gates - self.passing} not passing "
            f"(rules: {counts[Verdict.PASS]} pass, {counts[Verdict.FAIL]} fail, "
            f"{counts[Verdict.MISSING]} missing, {counts[Verdict.WAIVED]} waived)"
            + (f"; {failing} {CLAIMED_AND_FAILING}" if claims and failing else "")
        )


def check_summary(check: CheckReport) -> str:
    """`summary` of the claimed gates, then what else the change asks of a maintainer."""
    changes, removed = len(check.policy_changes), len(check.removed)
    parts = [summary(check.report, claims=False)]
    unverified = len(check.unverified)
    if unverified:
        parts.append(
            f"{unverified} attestation{'s' * (unverified != 1)} or waiver{'s' * (unverified != 1)}"
            " not approved by the reviewer named"
        )
    if changes:
        need = "needs" if changes == 1 else "need"
        parts.append(f"{changes} policy change{'s' * (changes != 1)} {need} a maintainer's review")
    if removed:
        parts.append(f"{removed} evidence file{'s' * (removed != 1)} removed")
    return "; ".join(parts)


def change_message(change: PolicyChange) -> str:
    if change.change == "switched" and change.with_claims:
        return (
            f"{change.path} switches the policy that judges it ({change.detail}) and claims a gate "
            "in the same change: its claims are refused until the switch lands on its own"
        )
    if change.change == "switched":
        return f"{change.path} switches the policy that judges it ({change.detail}): this {REVIEW}"
    if change.with_claims and change.detail:  # a policy new in an adoption, claimed already
        return f"{change.path} is {change.change}: {change.detail}"
    return f"{change.path} is {change.change}: a change to a policy or facts schema {REVIEW}"


def removed_message(path: str) -> str:
    return f"{path} is deleted: its claims are no longer checked"


CLAIMED_AND_FAILING = "claimed and not passing"


def claimed_and_failing(count: int) -> str:
    """`; N claimed and not passing` (`count` gates), or nothing: said by every verdict summary."""
    return f"; {count} {CLAIMED_AND_FAILING}" if count else ""

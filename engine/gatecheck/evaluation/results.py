"""What an evaluation found: the verdicts per gate and subject, and the `Report` of a run.

A rule's own verdict and explanation are in `rule_results`; the results of the other commands
are beside this module (`plan_results`, `check_results`, `status_results`, ...).
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from collections.abc import Sequence  # noqa: TC003 - as above
from typing import NamedTuple

from gatecheck.evaluation.rule_results import RuleResult, Verdict

LISTED = "listed under `claims`"


class GateResult(NamedTuple):
    gate: str
    title: str
    status: Verdict
    rules: tuple[RuleResult, ...]
    # Why the subject claims the gate: LISTED, or what makes the gate's `claimed_when` hold (a
    # standing claim: a proposal on by default claims `enable-by-default` at all times); None when
    # it does not claim it.
    claim: str | None = None

    @property
    def claimed(self) -> bool:
        return self.claim is not None

    @property
    def claimed_and_failing(self) -> bool:
        return self.claim is not None and not self.status.passing


class SubjectResult(NamedTuple):
    subject: str
    policy: str
    evidence: str
    now: dt.date  # the judging date
    as_of: dt.date | None
    gates: tuple[GateResult, ...]

    @property
    def dates(self) -> str:
        """Which date decided what: every header says it the same way."""
        judged = f"judged on {self.now}"
        if self.as_of is not None and self.as_of < self.now:
            judged += f", evidence as of {self.as_of} (elapsed time counts to then)"
        return judged


class Report(NamedTuple):
    now: dt.date
    subjects: Sequence[SubjectResult] = ()  # a tuple, or (check) results read back from disk

    def exit_code(self) -> int:
        """0 when every evaluated gate passes (waived counts as passing), else 1."""
        passing = all(gate.status.passing for s in self.subjects for gate in s.gates)
        return 0 if passing else 1


def gate_status(rules: tuple[RuleResult, ...]) -> Verdict:
    """A gate fails if any rule fails; else it is missing if any rule is; else waived or pass."""
    statuses = {rule.status for rule in rules}
    for verdict in (Verdict.FAIL, Verdict.MISSING, Verdict.WAIVED):
        if verdict in statuses:
            return verdict
    return Verdict.PASS

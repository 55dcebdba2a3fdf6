"""What an evaluation found: verdicts per rule and gate, step states per subject.

Reporters see only these classes. They hold plain values (no policy objects), so every format
renders the same facts, and JSON output can be read back into the same structure.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import Location, Problem  # noqa: TC001

if TYPE_CHECKING:
    from collections.abc import Callable


class Verdict(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    MISSING = "missing"
    WAIVED = "waived"

    @property
    def passing(self) -> bool:
        return self in {Verdict.PASS, Verdict.WAIVED}


class StepStatus(StrEnum):
    DONE = "done"
    READY = "ready"
    BLOCKED = "blocked"


class Detail(NamedTuple):
    """One deciding test inside a rule: what it read, what it expected, what it found."""

    message: str
    fact: str | None = None
    expected: str | None = None
    actual: Any = None
    recorded: bool = True  # False when the fact is absent from the evidence
    location: Location | None = None
    passes_on: dt.date | None = None


class NextStep(NamedTuple):
    step: str
    title: str
    status: StepStatus
    for_step: str | None = None  # the rule's own step, when `step` is work it needs first


class Explanation(NamedTuple):
    """Why a rule has its verdict: a summary, the deciding tests, and the deciding fact's source."""

    message: str
    details: tuple[Detail, ...] = ()
    provenance: dict[str, Any] | None = None


class RuleResult:
    """One rule's verdict, with its explanation and the work to do next.

    The explanation of a passing rule can be deferred (`explain`): it is built the first time it
    is read. A gate judged on thousands of subjects needs every verdict, but reasons mostly for
    the rules that do not pass; a reporter that shows passes pays for them when it shows them.
    """

    __slots__ = (
        "_explain",
        "_explanation",
        "hint",
        "next_step",
        "policy_location",
        "rule",
        "source",
        "status",
        "title",
        "waiver",
    )
    _fields = (
        "rule",
        "title",
        "source",
        "status",
        "message",
        "details",
        "next_step",
        "hint",
        "waiver",
        "provenance",
        "policy_location",
    )

    def __init__(  # noqa: PLR0913 - the fields of a verdict, all by name at the call sites
        self,
        rule: str,
        title: str,
        source: str,
        status: Verdict,
        *,
        message: str = "",
        details: tuple[Detail, ...] = (),
        next_step: NextStep | None = None,
        hint: str | None = None,
        waiver: dict[str, Any] | None = None,
        provenance: dict[str, Any] | None = None,
        policy_location: Location | None = None,
        explain: Callable[[], Explanation] | None = None,
    ) -> None:
        self.rule = rule
        self.title = title
        self.source = source
        self.status = status
        self.next_step = next_step
        self.hint = hint
        self.waiver = waiver
        self.policy_location = policy_location
        self._explanation = Explanation(message, details, provenance)
        self._explain = explain

    @property
    def explanation(self) -> Explanation:
        if self._explain is not None:
            self._explanation = self._explain()
            self._explain = None
        return self._explanation

    @property
    def message(self) -> str:
        return self.explanation.message

    @property
    def details(self) -> tuple[Detail, ...]:
        return self.explanation.details

    @property
    def provenance(self) -> dict[str, Any] | None:
        return self.explanation.provenance

    @property
    def primary(self) -> Detail | None:
        details = self.details
        return details[0] if details else None

    def values(self) -> tuple[Any, ...]:
        """Every field, in `_fields` order, the explanation built."""
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RuleResult):
            return NotImplemented
        return self.values() == other.values()

    __hash__ = None  # type: ignore[assignment]  # unhashable, as its waiver and provenance are

    def __repr__(self) -> str:
        values = zip(self._fields, self.values(), strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in values)
        return f"RuleResult({shown})"


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
    subjects: tuple[SubjectResult, ...] = ()

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


class PlannedStep(NamedTuple):
    step: str
    title: str
    status: StepStatus
    needs: tuple[str, ...]
    blocked_by: tuple[str, ...]
    source: str
    reason: str | None = None  # why a step that is not done is not done, from its `done_when`
    location: Location | None = None


class PlanReport(NamedTuple):
    subject: str
    policy: str
    evidence: str
    now: dt.date
    gate: str | None
    steps: tuple[PlannedStep, ...]
    next: tuple[str, ...]
    remaining: dict[str, tuple[str, ...]]


class Validation(NamedTuple):
    """What `validate` found: the valid policies and evidence files, or every problem."""

    policies: tuple[str, ...]
    evidence: tuple[str, ...]
    problems: tuple[Problem, ...]


# -- check: the pre-merge job ---------------------------------------------------------------------


class Claim(NamedTuple):
    """A gate a subject claims: listed under `claims`, or implied by a change (`claimed_when`)."""

    gate: str
    location: Location  # the `claims` entry, or the fact whose change implies the claim
    implied: bool = False  # the change makes the gate's `claimed_when` hold
    authors: tuple[str, ...] = ()  # who made the claim; their attestations do not count for it
    standing: bool = False  # `claimed_when` held at the base already: a standing claim

    @property
    def how(self) -> str:
        """How the subject makes the claim, for reports: `implied`, `standing` or `claimed`."""
        if self.implied:
            return "implied"
        return "standing" if self.standing else "claimed"


class Unverified(NamedTuple):
    """An attestation or waiver a change adds that names someone who has not approved the change.

    The change's author wrote it, whoever it names: it does not count, and it fails the check,
    since once merged it would stand on the base as if that person had signed it.
    """

    kind: str  # attestation | waiver
    who: str  # the reviewer it names (`by`, or a waiver's `approver`)
    about: str  # the judgement attested, or the rule waived
    location: Location

    def message(self) -> str:
        what = "attestation of" if self.kind == "attestation" else "waiver of rule"
        return (
            f"{self.kind} by {self.who} is new in this change, and {self.who} has not approved "
            f"the change: the {what} '{self.about}' does not count"
        )


class CheckedSubject(NamedTuple):
    """An affected subject and the verdicts of the gates it claims (only those)."""

    result: SubjectResult  # `gates` holds the claimed gates, in claim order
    change: str  # why it is checked: added | modified | policy | all
    claims: tuple[Claim, ...]
    unverified: tuple[Unverified, ...] = ()


class PolicyChange(NamedTuple):
    """A policy or facts schema the change touches (or a subject moved to another policy).

    A maintainer must review it.
    """

    path: str
    change: str  # added | modified | deleted; switched: an evidence file names another policy
    detail: str | None = None  # for `switched`: "old-ref -> new-ref"
    # A switch in a change that also claims a gate of the subject: the change picks the policy
    # that judges its own claims, so it fails whatever the policy says.
    with_claims: bool = False


class CheckReport(NamedTuple):
    """What `check` found: claims of affected subjects judged by the base's policies."""

    base: str  # the ref as the user gave it (or the default it resolved to)
    base_commit: str
    now: dt.date
    subjects: tuple[CheckedSubject, ...]
    removed: tuple[str, ...] = ()  # evidence files the change deletes
    policy_changes: tuple[PolicyChange, ...] = ()
    fail_on_policy_change: bool = False
    approved_by: tuple[str, ...] = ()  # logins whose approval of the change was passed in

    @property
    def report(self) -> Report:
        """The claimed gates as an evaluation report, for formats that render one."""
        return Report(self.now, tuple(subject.result for subject in self.subjects))

    def fails_on(self, change: PolicyChange) -> bool:
        """Whether a policy change fails the check (else it is listed for review)."""
        return change.with_claims or self.fail_on_policy_change

    @property
    def unverified(self) -> tuple[Unverified, ...]:
        return tuple(entry for subject in self.subjects for entry in subject.unverified)

    def exit_code(self) -> int:
        """1 when a claimed gate fails, an entry is unverified, or a policy change is to fail."""
        if self.report.exit_code() != 0 or self.unverified:
            return 1
        return 1 if any(self.fails_on(change) for change in self.policy_changes) else 0


# -- status: every subject x every rule of one gate ---------------------------------------------


class StatusColumn(NamedTuple):
    """A rule of the gate: one column of the status matrix."""

    rule: str
    title: str
    source: str


class StatusDeclared(NamedTuple):
    """A fact in which subjects' own documents declare their status: a column of `status`."""

    fact: str
    title: str


class StatusReport(NamedTuple):
    """The status matrix of one gate: a row per subject, a column per rule.

    `subjects` hold only that gate (`gates == (the gate,)`); `plans` hold each subject's plan for
    the gate, for reports that show a page per subject (HTML).
    """

    now: dt.date
    gate: str
    gate_title: str
    columns: tuple[StatusColumn, ...]  # the gate's rules, in policy order (first policy first)
    subjects: tuple[SubjectResult, ...]  # sorted: passing gates first, then by subject name
    plans: dict[str, PlanReport]  # by subject
    # What the subjects' own documents declare (the policies' `declared` facts), shown beside the
    # verdicts: the columns in order, and by subject each one its evidence records.
    declared: tuple[StatusDeclared, ...] = ()
    stated: dict[str, dict[str, Any]] = {}  # noqa: RUF012 - never mutated

    def exit_code(self) -> int:
        """0 when every subject passes the gate, else 1 (as `evaluate` does)."""
        return Report(self.now, self.subjects).exit_code()

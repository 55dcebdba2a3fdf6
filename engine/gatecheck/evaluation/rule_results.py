"""One rule's verdict and why: Verdict, the step states, the deciding tests, RuleResult.

Reporters see only the result classes (`rule_results`, `results`, `plan_results`, `check_results`,
`status_results`, `validation_results`, `history_results`). They hold plain values (no policy
objects), so every format renders the same facts, and JSON output can be read back into them.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import Location  # noqa: TC001

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
    location: Location | None = None  # a missing fact: where in the evidence to record it
    passes_on: dt.date | None = None
    hint: str | None = None  # what to do about this test: its condition's `hint:`, or built in
    policy_location: Location | None = None  # the test in the policy


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
        "next_step",
        "policy_location",
        "rule",
        "rule_hint",
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
        "rule_hint",
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
        self.rule_hint = hint  # the rule's own `hint:`
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

    def settle(self, *, explained: bool = True) -> None:
        """Build the explanation now, or (not `explained`) let it go unbuilt and empty.

        Either way the evaluator it needed is let go, so the result is plain data that can be sent
        to another process; unbuilt only where no one will read it (a pass the format leaves out).
        """
        if explained:
            self._explanation = self.explanation
        self._explain = None

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
    def hint(self) -> str | None:
        """The hint to show: the deciding test's (its condition's, or built in), else the rule's.

        A rule that does not pass is advised about the test that decided it; the rule's own hint
        is the general advice, shown when that test has none.
        """
        if self.status in {Verdict.FAIL, Verdict.MISSING}:
            primary = self.primary
            if primary is not None and primary.hint is not None:
                return primary.hint
        return self.rule_hint

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

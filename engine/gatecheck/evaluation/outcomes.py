"""The explaining evaluator's outcomes: a value with its deciding tests, and how a leaf's is built.

Every leaf outcome is made by `leaf`: one test, located in the evidence where its fact is
recorded, else at the test in the policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.evaluation.rule_results import Detail
from gatecheck.language.conditions import KEY
from gatecheck.language.evidence import MISSING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from gatecheck.errors import Location
    from gatecheck.evaluation.observation import Staleness
    from gatecheck.language.conditions import FactRef
    from gatecheck.language.evidence import Evidence

DataPath = tuple[str | int, ...]


class Outcome(NamedTuple):
    value: bool | None
    details: tuple[Detail, ...]


class FactRead(NamedTuple):
    """A fact as read: its reference, the concrete path, its value (or MISSING), staleness."""

    ref: FactRef
    path: DataPath
    actual: Any
    stale: Staleness | None = None

    @property
    def name(self) -> str:
        dotted_path = dotted(self.path)
        return f"{dotted_path} (key)" if self.ref.variable == KEY else dotted_path


def leaf(  # noqa: PLR0913 - the one constructor of every leaf outcome
    evidence: Evidence,
    read: FactRead,
    expected: str,
    message: str,
    where: Location,
    *,
    value: bool | None,
    passes_on: dt.date | None = None,
    hint: str | None = None,
) -> Outcome:
    """One test's outcome, located in the evidence: where its fact is, or where to record it.

    `where`, the test in the policy, is kept beside it (`Detail.policy_location`).
    """
    recorded = read.actual is not MISSING
    detail = Detail(
        message=message,
        fact=read.name,
        expected=expected,
        actual=read.actual if recorded else None,
        recorded=recorded,
        location=evidence.locate_fact(read.path)
        if recorded
        else evidence.locate_missing(read.path),
        passes_on=passes_on,
        hint=hint,
        policy_location=where,
    )
    return Outcome(value, (detail,))


def stale(
    evidence: Evidence, read: FactRead, expected: str, where: Location, wanted: str
) -> Outcome:
    """A test of a stale fact: it cannot pass (nor fail) until the fact is observed again."""
    assert read.stale is not None  # noqa: S101 - only called for stale reads
    message = f"{read.name} is {read.stale.describe()}; expected {wanted}"
    hint = (
        f"observe `{read.stale.fact}` again: re-collect it (`gatecheck collect`), or re-record"
        f" `{read.name}` with `gatecheck record {evidence.subject} {read.name} VALUE"
        " --collected-at YYYY-MM-DD`"
    )
    return leaf(evidence, read, expected, message, where, value=None, hint=hint)


def indexes(values: list[bool | None], wanted: bool | None) -> list[int]:  # noqa: FBT001
    return [index for index, value in enumerate(values) if value is wanted]


def join(outcomes: Iterable[Outcome]) -> tuple[Detail, ...]:
    return tuple(detail for outcome in outcomes for detail in outcome.details)


def dotted(path: DataPath) -> str:
    return ".".join(map(str, path))

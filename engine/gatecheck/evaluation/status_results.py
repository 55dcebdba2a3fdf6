"""What `status` found: the matrix of one gate, a row per subject and a column per rule."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from collections.abc import Mapping, Sequence  # noqa: TC003 - NamedTuple fields, as above
from typing import Any, NamedTuple

from gatecheck.evaluation.plan_results import PlanReport  # noqa: TC001
from gatecheck.evaluation.results import SubjectResult  # noqa: TC001


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
    # Sorted: passing gates first, then by subject name. A sequence, so that `status` can hand
    # over rows read back from disk one at a time (commands/spool.py) rather than a tuple.
    subjects: Sequence[SubjectResult]
    plans: Mapping[str, PlanReport]  # by subject (those the format shows)
    # What the subjects' own documents declare (the policies' `declared` facts), shown beside the
    # verdicts: the columns in order, and by subject each one its evidence records.
    declared: tuple[StatusDeclared, ...] = ()
    stated: Mapping[str, dict[str, Any]] = {}

    def exit_code(self) -> int:
        """0 when every subject passes the gate, else 1 (as `evaluate` does)."""
        passing = all(gate.status.passing for s in self.subjects for gate in s.gates)
        return 0 if passing else 1

"""What `status` found: the matrix of one gate, a row per subject and a column per rule."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from typing import Any, NamedTuple

from gatecheck.evaluation.plan_results import PlanReport  # noqa: TC001
from gatecheck.evaluation.results import Report, SubjectResult


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

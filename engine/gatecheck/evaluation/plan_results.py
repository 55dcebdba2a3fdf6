"""What `plan` found: each step's state, in the order to do the work, and what comes next."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from typing import NamedTuple

from gatecheck.errors import Location  # noqa: TC001
from gatecheck.evaluation.rule_results import StepStatus  # noqa: TC001


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

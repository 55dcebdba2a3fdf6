"""Output formats: one module per format, each a pure `render(report) -> str`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from gatecheck.reporters import json, text

if TYPE_CHECKING:
    from gatecheck.report import CheckReport, PlanReport, Report, Validation


class Renderer(Protocol):
    def render(self, report: Report, *, color: bool = False) -> str: ...

    def render_plan(self, plan: PlanReport, *, color: bool = False) -> str: ...

    def render_validation(self, validation: Validation, *, color: bool = False) -> str: ...

    def render_check(self, check: CheckReport, *, color: bool = False) -> str: ...


REPORTERS: dict[str, Renderer] = {"text": text, "json": json}

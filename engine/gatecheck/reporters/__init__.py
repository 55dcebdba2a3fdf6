"""Output formats: one module per format, each a pure `render(report) -> str`.

`REPORTERS` holds the formats of `evaluate`, `check` and `validate`; `PLAN_REPORTERS` those of
`plan` (the CI formats have nothing to say about a plan; `mermaid` and `dot` draw it);
`STATUS_REPORTERS` those of `status` (the matrix of one gate: subjects x rules). A format's
module is imported when it is first looked up, so a run pays only for the format it prints.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from gatecheck.report import CheckReport, PlanReport, Report, StatusReport, Validation


class Renderer(Protocol):
    def render(self, report: Report, *, color: bool = False) -> str: ...

    def render_validation(self, validation: Validation, *, color: bool = False) -> str: ...

    def render_check(self, check: CheckReport, *, color: bool = False) -> str: ...


class PlanRenderer(Protocol):
    def render_plan(self, plan: PlanReport, *, color: bool = False) -> str: ...


class StatusRenderer(Protocol):
    def render_status(self, status: StatusReport) -> str: ...


R = TypeVar("R", Renderer, PlanRenderer, StatusRenderer)


class _Formats(Mapping[str, R]):
    """Format name -> its module, imported on first lookup."""

    def __init__(self, *names: str) -> None:
        self._names = names

    def __getitem__(self, name: str) -> R:
        if name not in self._names:
            raise KeyError(name)
        module: R = import_module(f"gatecheck.reporters.{name}")
        return module

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


REPORTERS: Mapping[str, Renderer] = _Formats("text", "json", "sarif", "junit", "github", "markdown")
PLAN_REPORTERS: Mapping[str, PlanRenderer] = _Formats("text", "json", "mermaid", "dot")
STATUS_REPORTERS: Mapping[str, StatusRenderer] = _Formats("text", "markdown", "json", "html")

if TYPE_CHECKING:  # mypy checks here that each module implements its protocol
    from gatecheck.reporters import dot as dot
    from gatecheck.reporters import github as github
    from gatecheck.reporters import html as html
    from gatecheck.reporters import json as json
    from gatecheck.reporters import junit as junit
    from gatecheck.reporters import markdown as markdown
    from gatecheck.reporters import mermaid as mermaid
    from gatecheck.reporters import sarif as sarif
    from gatecheck.reporters import text as text

    _ALL: tuple[Renderer, ...] = (text, json, sarif, junit, github, markdown)
    _PLAN: tuple[PlanRenderer, ...] = (text, json, mermaid, dot)
    _STATUS: tuple[StatusRenderer, ...] = (text, markdown, json, html)

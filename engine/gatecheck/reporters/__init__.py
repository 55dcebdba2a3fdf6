"""Every renderer: each a pure function from a report to text, one module per format as its face.

A format's module (`text`, `json`, `sarif`, `junit`, `github`, `markdown`, `html`, `mermaid`,
`dot`, `history_*`) is what the registries below look up; its larger sections live beside it
(`text_status`, `json_load`, `sarif_run`, `html_plan`, `history_chart`, ...). What several
formats share has a module of its own: `findings` (the CI formats' findings), `status_matrix`
(what every status page says), `escape` (every format's escaping), `templating` and
`templates/` (the HTML pages, escaped by construction). `collect` and `policytests` render the
reports of `collect` and `gatecheck test`.

`REPORTERS` holds the formats of `evaluate`, `check` and `validate`; `PLAN_REPORTERS` those of
`plan` (the CI formats have nothing to say about a plan; `mermaid` and `dot` draw it);
`STATUS_REPORTERS` those of `status` (the matrix of one gate: subjects x rules);
`HISTORY_REPORTERS` those of `history` (a timeline), in modules of their own (`history_text`, ...).
A format's module is imported when it is first looked up, so a run pays only for the format it
prints (jinja2, for one, only for `--format html`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import CheckReport
    from gatecheck.evaluation.history_results import History
    from gatecheck.evaluation.plan_results import PlanReport
    from gatecheck.evaluation.results import Report
    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.evaluation.validation_results import Validation


class Renderer(Protocol):
    def render(self, report: Report, *, color: bool = False) -> str: ...

    def render_validation(self, validation: Validation, *, color: bool = False) -> str: ...

    def render_check(self, check: CheckReport, *, color: bool = False) -> str: ...


class PlanRenderer(Protocol):
    def render_plan(self, plan: PlanReport, *, color: bool = False) -> str: ...


class StatusRenderer(Protocol):
    def render_status(self, status: StatusReport) -> str: ...


class HistoryRenderer(Protocol):
    def render_history(self, history: History, *, color: bool = False) -> str: ...


R = TypeVar("R", Renderer, PlanRenderer, StatusRenderer, HistoryRenderer)


class _Formats(Mapping[str, R]):
    """Format name -> its module (`prefix` + name), imported on first lookup."""

    def __init__(self, *names: str, prefix: str = "") -> None:
        self._names = names
        self._prefix = prefix

    def __getitem__(self, name: str) -> R:
        if name not in self._names:
            raise KeyError(name)
        module: R = import_module(f"gatecheck.reporters.{self._prefix}{name}")
        return module

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


REPORTERS: Mapping[str, Renderer] = _Formats("text", "json", "sarif", "junit", "github", "markdown")
PLAN_REPORTERS: Mapping[str, PlanRenderer] = _Formats("text", "json", "mermaid", "dot")
STATUS_REPORTERS: Mapping[str, StatusRenderer] = _Formats("text", "markdown", "json", "html")
HISTORY_REPORTERS: Mapping[str, HistoryRenderer] = _Formats(
    "text", "json", "markdown", "html", prefix="history_"
)

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

    from gatecheck.reporters import history_html as history_html
    from gatecheck.reporters import history_json as history_json
    from gatecheck.reporters import history_markdown as history_markdown
    from gatecheck.reporters import history_text as history_text

    _HISTORY: tuple[HistoryRenderer, ...] = (
        history_text,
        history_json,
        history_markdown,
        history_html,
    )

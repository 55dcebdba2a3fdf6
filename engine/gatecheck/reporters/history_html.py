r"""`history --format html`: one self-contained page, a chart and the timeline of each subject.

Nothing is fetched: CSS inline, no script, no fonts, images or links out. Each subject gets an
inline SVG chart laid out by `history_chart` on one time axis (the first to the last commit
considered): a lane for the policy in force, one for each declaration and one for each gate,
coloured *and* marked by verdict (`✓ pass`, `✗ fail`, `? missing`), with the stretches where a
declaration ran ahead of the evidence hatched over the gate's lane. Under the chart, the same
history as tables: what changed at each commit, and the stretches.

The markup is `templates/history.html.j2`, rendered by `templating` with every value escaped, so
no commit summary, policy or fact can add markup. The output depends only on the history: no
clock is read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.evaluation.history_results import GATE
from gatecheck.evaluation.history_wording import describe, not_passing
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.history_chart import chart
from gatecheck.reporters.status_matrix import MARKS
from gatecheck.reporters.templating import render_page

if TYPE_CHECKING:
    from gatecheck.evaluation.history_results import Ahead, Event, History, Point

__all__ = ["render_history"]

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")
_LEGEND = (Verdict.PASS, Verdict.FAIL, Verdict.MISSING)
_STRETCH_COLUMNS = ("gate", "policy", "from", "until", "verdicts", "claimed by", "not passing")


class Change(NamedTuple):
    """An event as the timeline says it: in words, marked by its verdict if a gate's."""

    text: str
    verdict: Verdict | None
    not_passing: str | None  # the rules that did not pass, for a gate's verdict


class Stretch(NamedTuple):
    """A row of the table of declarations ahead of the evidence."""

    ahead: Ahead
    start: Point
    until: str
    claim: str
    rules: str


def render_history(history: History, *, color: bool = False) -> str:
    del color  # the page has its own palette (light and dark)
    first, last = history.first, history.last
    return render_page(
        "history.html.j2",
        css="history.css",
        title=f"gatecheck history: {history.repository}, {first.day} to {last.day}",
        history=history,
        ids=_ids(history.subjects),
        marks=MARKS,
        legend=_LEGEND,
        stretch_columns=_STRETCH_COLUMNS,
        chart=chart,
        change=_change,
        companions=_companions,
        stretch=_stretch,
    )


def _ids(subjects: tuple[str, ...]) -> dict[str, str]:
    return {
        subject: f"s{index}-{_UNSAFE_ID.sub('-', subject)}"
        for index, subject in enumerate(subjects)
    }


def _companions(point: Point) -> str:
    """The other repositories a commit changed with it, or nothing."""
    return ", ".join(f"{source.repository}@{source.commit[:8]}" for source in point.changed[1:])


def _change(event: Event) -> Change:
    if event.kind == GATE and isinstance(event.after, Verdict):
        return Change(describe(event), event.after, not_passing(event) if event.detail else None)
    return Change(describe(event), None, None)


def _stretch(history: History, stretch: Ahead) -> Stretch:
    if stretch.end is None:
        until = f"still at {history.last.day}"
    else:
        end = history.points[stretch.end]
        until = f"{end.day} {end.commit[:8]}: {stretch.ended}"
    rules = ", ".join(f"{rule} ({status})" for rule, status in stretch.rules)
    if stretch.failed:
        rules += f"; failed during it: {', '.join(stretch.failed)}"
    claim = "; ".join(stretch.claim)
    return Stretch(stretch, history.points[stretch.start], until, claim, rules)

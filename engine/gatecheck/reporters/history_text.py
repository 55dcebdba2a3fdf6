"""`history --format text`: each subject's timeline, then its stretches ahead of the evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.history_results import AHEAD, GATE
from gatecheck.evaluation.history_wording import describe, not_passing
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import terminal

if TYPE_CHECKING:
    from gatecheck.evaluation.history_results import Ahead, Event, History, Point

_SUMMARY = 60  # characters of a commit's summary shown
_COLORS = {Verdict.PASS: "32", Verdict.FAIL: "31", Verdict.MISSING: "33", Verdict.WAIVED: "36"}


def render_history(history: History, *, color: bool = False) -> str:
    lines = header(history)
    for subject in history.subjects:
        lines += ["", terminal(subject)]
        for point, events in history.timeline(subject):
            lines.append(f"  {_point(point)}")
            lines += [f"      {_event(event, color=color)}" for event in events]
        stretches = history.stretches(subject)
        if stretches:
            lines.append(f"  ahead of the evidence ({_count(stretches)}):")
            for stretch in stretches:
                lines += [f"    {line}" for line in _stretch(history, stretch)]
    lines += ["", terminal(history.conclusion())]
    return "\n".join(lines) + "\n"


def header(history: History) -> list[str]:
    first, last = history.first, history.last
    span = (
        f"history of {terminal(history.repository)} from {first.commit[:8]} ({first.day}) to "
        f"{last.commit[:8]} ({last.day})"
    )
    lines = [span, terminal(history.counts())]
    if history.policies:
        lines.append(f"judged by {terminal(history.judged_by())}")
    return lines


def _count(stretches: list[Ahead] | tuple[Ahead, ...]) -> str:
    return f"{len(stretches)} declaration{'s' * (len(stretches) != 1)}"


def _point(point: Point) -> str:
    summary = point.summary if len(point.summary) <= _SUMMARY else point.summary[:59] + "…"
    companions = [f"{source.repository}@{source.commit[:8]}" for source in point.changed[1:]]
    via = f"  [{', '.join(companions)}]" if companions else ""
    return f"{point.day} {point.commit[:8]}  {terminal(summary)}{terminal(via)}"


def _event(event: Event, *, color: bool) -> str:
    text = terminal(describe(event))
    if event.kind == GATE and event.detail:
        text += f"; not passing: {terminal(not_passing(event))}"
    status = event.after if event.kind in {GATE, AHEAD} else None
    if color and isinstance(status, Verdict):
        return f"\x1b[{_COLORS[status]}m{text}\x1b[0m"
    return text


def _stretch(history: History, stretch: Ahead) -> list[str]:
    start = history.points[stretch.start]
    if stretch.end is None:
        until = f"still at {history.last.commit[:8]} ({history.last.day})"
    else:
        end = history.points[stretch.end]
        until = f"until {end.day} ({end.commit[:8]}): {stretch.ended}"
    worst = "/".join(str(status).upper() for status in stretch.statuses)
    span = f"{worst} from {start.day} ({start.commit[:8]}) {terminal(until)}"
    lines = [
        f"{terminal(stretch.gate)} ({terminal(stretch.policy)}) {span}",
        f"  claimed by {terminal('; '.join(stretch.claim))}",
    ]
    if stretch.rules:
        rules = ", ".join(f"{rule} ({status})" for rule, status in stretch.rules)
        lines.append(f"  not passing at the start: {terminal(rules)}")
    if stretch.failed:
        lines.append(f"  failed during it: {terminal(', '.join(stretch.failed))}")
    return lines

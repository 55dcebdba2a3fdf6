"""`history --format markdown`: a section per subject, its timeline and its stretches as tables.

Meant for a page in a repository (docs/history.md is built from it): every text from git or a
policy is escaped, commits are code spans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.history_results import GATE
from gatecheck.evaluation.history_wording import describe, not_passing
from gatecheck.reporters.escape import markdown, markdown_code

if TYPE_CHECKING:
    from gatecheck.evaluation.history_results import Ahead, Event, History, Point


def render_history(history: History, *, color: bool = False) -> str:
    del color
    first, last = history.first, history.last
    span = f"From {markdown_code(first.commit[:8])} to {markdown_code(last.commit[:8])}"
    intro = f"{span}: {markdown(history.counts())}."
    if history.policies:
        intro += f" Judged by {markdown(history.judged_by())}."
    lines = [f"## History of {markdown(history.repository)}, {first.day} to {last.day}", "", intro]
    for subject in history.subjects:
        lines += ["", f"### {markdown(subject)}", "", "| date | commit | what changed |"]
        lines.append("|---|---|---|")
        for point, events in history.timeline(subject):
            what = "<br>".join(_event(event) for event in events)
            lines.append(f"| {point.day} | {_commit(point)} | {what} |")
        stretches = history.stretches(subject)
        if stretches:
            lines += ["", "Ahead of the evidence (claimed while the gate did not pass):", ""]
            lines.append("| gate | policy | from | until | verdicts | claimed by | not passing |")
            lines.append("|---|---|---|---|---|---|---|")
            lines += [_stretch(history, stretch) for stretch in stretches]
    lines += ["", markdown(history.conclusion()) + "."]
    return "\n".join(lines) + "\n"


def _commit(point: Point) -> str:
    text = f"{markdown_code(point.commit[:8])} {markdown(point.summary)}"
    companions = [f"{source.repository}@{source.commit[:8]}" for source in point.changed[1:]]
    if companions:
        text += f" (with {markdown(', '.join(companions))})"
    return text


def _event(event: Event) -> str:
    text = markdown(describe(event))
    if event.kind == GATE and event.detail:
        text += f"; not passing: {markdown(not_passing(event))}"
    return text


def _stretch(history: History, stretch: Ahead) -> str:
    start = history.points[stretch.start]
    if stretch.end is None:
        until = f"still at {history.last.day}"
    else:
        end = history.points[stretch.end]
        until = f"{end.day} {markdown_code(end.commit[:8])}: {markdown(stretch.ended or '')}"
    verdicts = "/".join(str(status).upper() for status in stretch.statuses)
    rules = ", ".join(f"{rule} ({status})" for rule, status in stretch.rules)
    if stretch.failed:
        rules += f"; failed during it: {', '.join(stretch.failed)}"
    cells = [
        markdown(stretch.gate),
        markdown(stretch.policy),
        f"{start.day} {markdown_code(start.commit[:8])}",
        until,
        f"**{verdicts}**" if stretch.failing else verdicts,
        markdown("; ".join(stretch.claim)),
        markdown(rules),
    ]
    return f"| {' | '.join(cells)} |"

r"""`history --format html`: one self-contained page, a chart and the timeline of each subject.

Nothing is fetched: CSS inline, no script, no fonts, images or links out. Each subject gets an
inline SVG chart laid out here on one time axis (the first to the last commit considered): a lane
for the policy in force, one for each declaration (the facts a gate's `claimed_when` reads: the
tier, the default) and one for each gate, coloured *and* marked by verdict (`✓ pass`, `✗ fail`,
`? missing`), with the stretches where a declaration ran ahead of the evidence hatched over the
gate's lane. Under the chart, the same history as tables: what changed at each commit, and the
stretches.

Every text from git (commit summaries), policies or facts is escaped, control characters shown as
`\x1b`, so none can add markup. The output depends only on the history: no clock is read.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape as _html_escape
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.commands.history.results import DECLARED, GATE, POLICY, UNLISTED
from gatecheck.commands.history.wording import describe, not_passing, value_text
from gatecheck.errors import printable
from gatecheck.evaluation.results import Verdict

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.commands.history.results import Ahead, Event, History, Point

MARKS = {Verdict.PASS: "✓", Verdict.FAIL: "✗", Verdict.MISSING: "?", Verdict.WAIVED: "~"}
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")

# The chart's geometry (SVG user units).
_LABEL_W, _PLOT_W, _ROW_H, _ROW_GAP, _AXIS_H, _PAD = 230, 760, 22, 5, 26, 8
_CHAR_W = 6.6  # the width of a character of the 11px labels, to decide whether a label fits


def esc(value: object) -> str:
    """Any value as HTML text or attribute value: controls shown, `<>&"'` as entities."""
    return _html_escape(printable(str(value)), quote=True)


def render_history(history: History, *, color: bool = False) -> str:
    del color  # the page has its own palette (light and dark)
    first, last = history.first, history.last
    title = f"gatecheck history: {history.repository}, {first.day} to {last.day}"
    ids = _ids(history.subjects)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        _DEFS,
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="summary">{_span(history)}: {esc(history.counts())}.</p>',
    ]
    if history.policies:
        parts.append(f'<p class="summary">Judged by {esc(history.judged_by())}.</p>')
    parts += [
        f'<p class="summary"><strong>{esc(history.conclusion())}.</strong></p>',
        _legend(),
        "</header>",
        "<main>",
    ]
    if history.subjects:
        parts += ['<nav aria-label="Subjects"><ul class="toc">']
        parts += [
            f'<li><a href="#{ids[subject]}">{esc(subject)}</a>'
            + (" ⚠" if any(s.failing for s in history.stretches(subject)) else "")
            + "</li>"
            for subject in history.subjects
        ]
        parts += ["</ul></nav>"]
    for subject in history.subjects:
        parts += _section(history, subject, ids[subject])
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _span(history: History) -> str:
    first, last = history.first.commit[:12], history.last.commit[:12]
    return f"From <code>{esc(first)}</code> to <code>{esc(last)}</code>"


def _ids(subjects: tuple[str, ...]) -> dict[str, str]:
    return {
        subject: f"s{index}-{_UNSAFE_ID.sub('-', subject)}"
        for index, subject in enumerate(subjects)
    }


def _legend() -> str:
    items = "".join(
        f'<li><span class="v v-{verdict}">{MARKS[verdict]} {verdict}</span></li>'
        for verdict in (Verdict.PASS, Verdict.FAIL, Verdict.MISSING)
    )
    return (
        f'<ul class="legend" aria-label="Legend">{items}'
        '<li><span class="v v-ahead">⚠ ahead</span>: claimed (on by default, listed at a tier) '
        "while the gate did not pass</li>"
        '<li><span class="v v-undetermined">not determined</span></li></ul>'
    )


# -- a subject ------------------------------------------------------------------------------------


def _section(history: History, subject: str, anchor: str) -> list[str]:
    stretches = history.stretches(subject)
    lines = [
        f'<section class="subject" id="{anchor}" aria-labelledby="{anchor}-h">',
        f'<h2 id="{anchor}-h">{esc(subject)}</h2>',
        _chart(history, subject, anchor),
        '<div class="table-wrap"><table>',
        f"<caption>What changed for {esc(subject)}, commit by commit</caption>",
        _head("date", "commit", "what changed"),
    ]
    for point, events in history.timeline(subject):
        what = "<br>".join(_event(event) for event in events)
        lines.append(f"<tr><td>{esc(point.day)}</td><td>{_commit(point)}</td><td>{what}</td></tr>")
    lines.append("</tbody></table></div>")
    if stretches:
        lines += [
            '<div class="table-wrap"><table>',
            f"<caption>Declarations of {esc(subject)} ahead of the evidence</caption>",
            "<thead><tr>"
            + "".join(
                f'<th scope="col">{name}</th>'
                for name in (
                    "gate",
                    "policy",
                    "from",
                    "until",
                    "verdicts",
                    "claimed by",
                    "not passing",
                )
            )
            + "</tr></thead><tbody>",
        ]
        lines += [_stretch_row(history, stretch) for stretch in stretches]
        lines.append("</tbody></table></div>")
    lines.append("</section>")
    return lines


def _head(*names: str) -> str:
    cells = "".join(f'<th scope="col">{name}</th>' for name in names)
    return f"<thead><tr>{cells}</tr></thead><tbody>"


def _commit(point: Point) -> str:
    text = f"<code>{esc(point.commit[:8])}</code> {esc(point.summary)}"
    companions = [f"{source.repository}@{source.commit[:8]}" for source in point.changed[1:]]
    if companions:
        text += f' <span class="muted">(with {esc(", ".join(companions))})</span>'
    return text


def _event(event: Event) -> str:
    text = esc(describe(event))
    if event.kind == GATE and isinstance(event.after, Verdict):
        text = f'<span class="v v-{event.after}">{MARKS[event.after]}</span> {text}'
        if event.detail:
            text += f'<br><span class="muted">not passing: {esc(not_passing(event))}</span>'
    return text


def _stretch_row(history: History, stretch: Ahead) -> str:
    start = history.points[stretch.start]
    if stretch.end is None:
        until = f"still at {history.last.day}"
    else:
        end = history.points[stretch.end]
        until = f"{end.day} {end.commit[:8]}: {stretch.ended}"
    verdicts = " ".join(
        f'<span class="v v-{status}">{MARKS[status]} {status}</span>' for status in stretch.statuses
    )
    rules = ", ".join(f"{rule} ({status})" for rule, status in stretch.rules)
    if stretch.failed:
        rules += f"; failed during it: {', '.join(stretch.failed)}"
    cells = [
        esc(stretch.gate),
        esc(stretch.policy),
        f"{esc(start.day)} <code>{esc(start.commit[:8])}</code>",
        esc(until),
        verdicts,
        esc("; ".join(stretch.claim)),
        esc(rules),
    ]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


# -- the chart ------------------------------------------------------------------------------------


class _Segment(NamedTuple):
    start: float  # seconds
    end: float
    text: str  # shown inside when it fits, and in the tooltip
    css: str  # the class that colours it


class _Lane(NamedTuple):
    label: str
    segments: list[_Segment]


class _Lanes:
    """The policy lane, a lane per declaration and per gate, built from a subject's events."""

    def __init__(self) -> None:
        self.lanes: dict[str, _Lane] = {}
        self.running: dict[str, tuple[float, str, str]] = {}  # lane -> (since, text, css)

    def close(self, lane: str, at: float) -> None:
        if lane in self.running:
            since, text, css = self.running.pop(lane)
            self.lanes[lane].segments.append(_Segment(since, at, text, css))

    def start(self, lane: str, label: str, at: float, segment: tuple[str, str]) -> None:
        self.close(lane, at)
        self.lanes.setdefault(lane, _Lane(label, []))
        self.running[lane] = (at, *segment)

    def add(self, event: Event, at: float) -> None:
        if event.kind == UNLISTED:
            for lane in list(self.running):
                self.close(lane, at)
        elif event.kind == POLICY:
            self.start("p", "policy in force", at, (str(event.after), "policy"))
        elif event.kind == DECLARED:
            css = "undetermined" if event.after is None else "declared"
            self.start(f"d{event.name}", event.name, at, (value_text(event.after), css))
        elif event.kind == GATE and isinstance(event.after, Verdict):
            mark = f"{MARKS[event.after]} {event.after}"
            self.start(f"g{event.name}", f"gate {event.name}", at, (mark, str(event.after)))
        elif event.kind == GATE:  # a gate the policy judging now does not have
            self.close(f"g{event.name}", at)

    def finish(self, at: float) -> list[_Lane]:
        for lane in list(self.running):
            self.close(lane, at)
        order = sorted(self.lanes, key=lambda key: "pdg".index(key[0]))
        return [self.lanes[key] for key in order]


def _lanes(history: History, subject: str) -> list[_Lane]:
    lanes = _Lanes()
    for event in history.of(subject):
        lanes.add(event, _seconds(history.points[event.point].date))
    return lanes.finish(_seconds(history.last.date))


def _chart(history: History, subject: str, anchor: str) -> str:
    lanes = _lanes(history, subject)
    t0, t1 = _seconds(history.first.date), _seconds(history.last.date)
    span = max(t1 - t0, 1.0)  # one commit: a range of no length

    def x(seconds: float) -> float:
        return _LABEL_W + (seconds - t0) / span * _PLOT_W

    height = _PAD + len(lanes) * (_ROW_H + _ROW_GAP) + _AXIS_H
    width = _LABEL_W + _PLOT_W + _PAD
    body: list[str] = []
    rows: dict[str, int] = {}
    for index, lane in enumerate(lanes):
        y = _PAD + index * (_ROW_H + _ROW_GAP)
        rows[lane.label] = y
        body.append(
            f'<text class="lane" x="{_LABEL_W - 6}" y="{y + _ROW_H - 7}" text-anchor="end">'
            f"{esc(_fit(lane.label, _LABEL_W - 10))}</text>"
        )
        for segment in lane.segments:
            left, right = x(segment.start), x(segment.end)
            w = max(right - left, 1.5)
            tip = f"{lane.label}: {segment.text} ({_day(segment.start)} to {_day(segment.end)})"
            body.append(
                f'<g><title>{esc(tip)}</title><rect class="seg seg-{esc(segment.css)}" '
                f'x="{left:.1f}" y="{y}" width="{w:.1f}" height="{_ROW_H}" rx="2"/>'
            )
            if w >= len(segment.text) * _CHAR_W + 6:
                body.append(
                    f'<text class="seg-text" x="{left + 4:.1f}" y="{y + _ROW_H - 7}">'
                    f"{esc(segment.text)}</text>"
                )
            body.append("</g>")
    for stretch in history.stretches(subject):
        top = rows.get(f"gate {stretch.gate}")
        if top is None:  # pragma: no cover - a stretch is always of a gate that has a lane
            continue
        left = x(_seconds(history.points[stretch.start].date))
        end = history.points[stretch.end].date if stretch.end is not None else history.last.date
        w = max(x(_seconds(end)) - left, 2.0)
        status = "/".join(str(s) for s in stretch.statuses)
        tip = (
            f"ahead of the evidence: {stretch.gate} claimed while {status} "
            f"({history.points[stretch.start].day} to {end[:10]}); {'; '.join(stretch.claim)}"
        )
        css = "ahead ahead-fail" if stretch.failing else "ahead"
        body.append(
            f'<g><title>{esc(tip)}</title><rect class="{css}" x="{left:.1f}" y="{top + 1}" '
            f'width="{w:.1f}" height="{_ROW_H - 2}" rx="2"/></g>'
        )
    axis_y = _PAD + len(lanes) * (_ROW_H + _ROW_GAP)
    body += _axis(t0, t1, x, axis_y)
    described = f"{len(lanes)} lanes from {history.first.day} to {history.last.day}"
    return (
        f'<figure class="chart"><div class="chart-wrap">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{anchor}-c">'
        f'<title id="{anchor}-c">{esc(subject)}: {esc(described)}</title>'
        + "".join(body)
        + "</svg></div>"
        f"<figcaption>{esc(subject)}: the policy in force, each declaration and each gate over "
        "time; hatched: a declaration ahead of the evidence (red: while the gate failed). "
        "The tables below say the same in words.</figcaption></figure>"
    )


def _axis(t0: float, t1: float, x: Callable[[float], float], y: float) -> list[str]:
    """A line, and a tick at the start of each quarter (each month when the range is short)."""
    first = dt.datetime.fromtimestamp(t0, dt.UTC).date()
    last = dt.datetime.fromtimestamp(t1, dt.UTC).date()
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if months <= 12 else 3  # noqa: PLR2004 - a year of months, else quarters
    lines = [f'<line class="axis" x1="{_LABEL_W}" y1="{y}" x2="{_LABEL_W + _PLOT_W}" y2="{y}"/>']
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:  # noqa: PLR2004
            year, month = year + 1, 1
        if (month - 1) % step:
            continue
        day = dt.datetime(year, month, 1, tzinfo=dt.UTC).timestamp()
        if day > t1:
            break
        left = x(day)
        label = f"{year}" if month == 1 else f"{year}-{month:02d}"
        lines.append(f'<line class="tick" x1="{left:.1f}" y1="{y}" x2="{left:.1f}" y2="{y + 5}"/>')
        lines.append(
            f'<text class="tick-label" x="{left:.1f}" y="{y + 17}" text-anchor="middle">'
            f"{label}</text>"
        )
    return lines


def _seconds(date: str) -> float:
    return dt.datetime.fromisoformat(date).timestamp()


def _day(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()


def _fit(text: str, width: float) -> str:
    most = int(width / _CHAR_W)
    return text if len(text) <= most else text[: most - 1] + "…"


# The hatching patterns every chart of the page refers to (one definition, an invisible SVG).
_DEFS = (
    '<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>'
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>'
    '<pattern id="hatch-fail" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch-fail"/>'
    "</pattern></defs></svg>"
)

_CSS = """
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--link:#0550ae;--focus:#0550ae;
--pass-bg:#dafbe1;--pass-fg:#116329;--fail-bg:#ffebe9;--fail-fg:#a40e26;--missing-bg:#fff8c5;
--missing-fg:#6c4400;--waived-bg:#ddf4ff;--waived-fg:#0a3069;--decl-bg:#eaeef2;--decl-fg:#1f2328;
--policy-bg:#fbefff;--policy-fg:#6639ba;--ahead:#bc4c00;--ahead-fail:#cf222e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;
--line:#3d444d;--link:#79c0ff;--focus:#79c0ff;--pass-bg:#0f2d1a;--pass-fg:#7ee787;
--fail-bg:#3d1214;--fail-fg:#ffa198;--missing-bg:#3a2a00;--missing-fg:#f2cc60;
--waived-bg:#0c2d4d;--waived-fg:#a5d6ff;--decl-bg:#21262d;--decl-fg:#e6edf3;
--policy-bg:#271052;--policy-fg:#d2a8ff;--ahead:#f0883e;--ahead-fail:#ff7b72}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:80rem;padding:1rem 1.5rem;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
h1{font-size:1.5rem;margin:.2rem 0}
.summary,.muted,figcaption,caption{color:var(--muted)}
caption{text-align:left;padding:.3rem 0}
.legend,.toc{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
.svg.defs,svg.defs{position:absolute}
span.v{padding:0 .35rem;border-radius:4px;font-weight:600;white-space:nowrap}
.v-pass{background:var(--pass-bg);color:var(--pass-fg)}
.v-fail{background:var(--fail-bg);color:var(--fail-fg)}
.v-missing{background:var(--missing-bg);color:var(--missing-fg)}
.v-waived{background:var(--waived-bg);color:var(--waived-fg)}
.v-ahead{border:2px dashed var(--ahead);color:var(--ahead)}
.v-undetermined{border:1px dashed var(--muted);color:var(--muted)}
.subject{border-top:2px solid var(--line);margin-top:1.5rem}
.chart{margin:.5rem 0}
.chart-wrap,.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
svg text{font:11px system-ui,sans-serif;fill:var(--fg)}
.seg{stroke-width:1}
.seg-pass{fill:var(--pass-bg);stroke:var(--pass-fg)}
.seg-fail{fill:var(--fail-bg);stroke:var(--fail-fg)}
.seg-missing{fill:var(--missing-bg);stroke:var(--missing-fg)}
.seg-waived{fill:var(--waived-bg);stroke:var(--waived-fg)}
.seg-declared{fill:var(--decl-bg);stroke:var(--muted)}
.seg-undetermined{fill:var(--bg);stroke:var(--muted);stroke-dasharray:3 2}
.seg-policy{fill:var(--policy-bg);stroke:var(--policy-fg)}
.ahead{fill:url(#hatch);stroke:var(--ahead);stroke-width:2;stroke-dasharray:5 3}
.ahead-fail{fill:url(#hatch-fail);stroke:var(--ahead-fail)}
.hatch{stroke:var(--ahead);stroke-width:1.5}
.hatch-fail{stroke:var(--ahead-fail);stroke-width:2}
.axis,.tick{stroke:var(--muted)}
svg text.tick-label{fill:var(--muted)}
@media print{:root{--bg:#fff;--fg:#000}.subject{break-before:page}}
""".strip()

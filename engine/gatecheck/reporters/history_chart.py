"""A subject's history laid out as a chart: lanes over one time axis, in SVG user units.

The axis runs from the first to the last commit considered. A lane for the policy in force, one
for each declaration (the facts a gate's `claimed_when` reads) and one for each gate, a bar per
stretch of one value; the stretches where a declaration ran ahead of the evidence hatched over
the gate's lane; a tick per month (per quarter past a year). Text stays text here:
`templates/history.html.j2` draws the chart and escapes it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.evaluation.history_results import DECLARED, GATE, POLICY, UNLISTED
from gatecheck.evaluation.history_wording import value_text
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.status_matrix import MARKS

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.evaluation.history_results import Event, History

# The chart's geometry (SVG user units).
LABEL_W, PLOT_W, ROW_H, _ROW_GAP, _AXIS_H, _PAD = 230, 760, 22, 5, 26, 8
_CHAR_W = 6.6  # the width of a character of the 11px labels, to decide whether a label fits


class Bar(NamedTuple):
    """A stretch of one value on a lane, placed."""

    x: float
    width: float
    text: str  # shown inside when it fits, and in the tooltip
    css: str  # the class that colours it
    tip: str
    fits: bool


class Row(NamedTuple):
    y: int
    label: str  # the lane's name, cut to fit the label column
    bars: list[Bar]


class Hatch(NamedTuple):
    """A declaration ahead of the evidence, drawn over its gate's lane."""

    x: float
    y: int
    width: float
    css: str
    tip: str


class Tick(NamedTuple):
    x: float
    label: str


class Chart(NamedTuple):
    width: int
    height: int
    described: str  # the chart in words, for its SVG title
    rows: list[Row]
    hatches: list[Hatch]
    axis_y: int
    ticks: list[Tick]
    label_width: int = LABEL_W
    plot_width: int = PLOT_W
    row_height: int = ROW_H


class _Segment(NamedTuple):
    start: float  # seconds
    end: float
    text: str
    css: str


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


def chart(history: History, subject: str) -> Chart:
    lanes = _lanes(history, subject)
    t0, t1 = _seconds(history.first.date), _seconds(history.last.date)
    span = max(t1 - t0, 1.0)  # one commit: a range of no length

    def x(seconds: float) -> float:
        return LABEL_W + (seconds - t0) / span * PLOT_W

    rows: list[Row] = []
    for index, lane in enumerate(lanes):
        bars = []
        for segment in lane.segments:
            left, right = x(segment.start), x(segment.end)
            width = max(right - left, 1.5)
            tip = f"{lane.label}: {segment.text} ({_day(segment.start)} to {_day(segment.end)})"
            fits = width >= len(segment.text) * _CHAR_W + 6
            bars.append(Bar(left, width, segment.text, segment.css, tip, fits))
        rows.append(Row(_PAD + index * (ROW_H + _ROW_GAP), _fit(lane.label, LABEL_W - 10), bars))
    tops = {lane.label: row.y for lane, row in zip(lanes, rows, strict=True)}
    hatches = []
    for stretch in history.stretches(subject):
        top = tops.get(f"gate {stretch.gate}")
        if top is None:  # pragma: no cover - a stretch is always of a gate that has a lane
            continue
        left = x(_seconds(history.points[stretch.start].date))
        end = history.points[stretch.end].date if stretch.end is not None else history.last.date
        status = "/".join(str(s) for s in stretch.statuses)
        tip = (
            f"ahead of the evidence: {stretch.gate} claimed while {status} "
            f"({history.points[stretch.start].day} to {end[:10]}); {'; '.join(stretch.claim)}"
        )
        css = "ahead ahead-fail" if stretch.failing else "ahead"
        hatches.append(Hatch(left, top + 1, max(x(_seconds(end)) - left, 2.0), css, tip))
    axis_y = _PAD + len(lanes) * (ROW_H + _ROW_GAP)
    return Chart(
        width=LABEL_W + PLOT_W + _PAD,
        height=axis_y + _AXIS_H,
        described=f"{len(lanes)} lanes from {history.first.day} to {history.last.day}",
        rows=rows,
        hatches=hatches,
        axis_y=axis_y,
        ticks=_ticks(t0, t1, x),
    )


def _ticks(t0: float, t1: float, x: Callable[[float], float]) -> list[Tick]:
    """A tick at the start of each quarter (each month when the range is short)."""
    first = dt.datetime.fromtimestamp(t0, dt.UTC).date()
    last = dt.datetime.fromtimestamp(t1, dt.UTC).date()
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if months <= 12 else 3  # noqa: PLR2004 - a year of months, else quarters
    ticks = []
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
        ticks.append(Tick(x(day), f"{year}" if month == 1 else f"{year}-{month:02d}"))
    return ticks


def _seconds(date: str) -> float:
    return dt.datetime.fromisoformat(date).timestamp()


def _day(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()


def _fit(text: str, width: float) -> str:
    most = int(width / _CHAR_W)
    return text if len(text) <= most else text[: most - 1] + "…"

"""Progress on stderr for long runs: on a terminal only, throttled, erased at the end."""

import datetime as dt
import io
import sys
from typing import Any

import pytest
from tests.support.project import REPO

from gatecheck.cli import progress
from gatecheck.cli.output import progress_meter
from gatecheck.cli.progress import Meter
from gatecheck.commands.evaluate import evaluate_subjects
from gatecheck.project.layout import open_project


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_meter_draws_throttled_and_erases() -> None:
    stream, clock = io.StringIO(), Clock()
    meter = Meter(stream, interval=0.125, clock=clock)  # exact in binary: no rounding surprises
    meter("evaluating", 0, 100)  # before the first interval: a quick run shows nothing
    assert stream.getvalue() == ""
    for done in range(1, 21):  # 20 calls over 0.625 s: one redraw per 0.125 s
        clock.now += 1 / 32
        meter("evaluating", done, 100)
    assert stream.getvalue() == "".join(f"\revaluating {n}/100 ..." for n in (4, 8, 12, 16, 20))
    clock.now += 1
    meter("writing", 7, 9)  # a shorter line pads over the longer one
    assert stream.getvalue().endswith("\rwriting 7/9 ..." + " " * 6)
    meter.close()
    assert stream.getvalue().endswith("\r" + " " * len("writing 7/9 ...") + "\r")


def test_meter_that_never_drew_writes_nothing_when_closed() -> None:
    stream = io.StringIO()
    meter = Meter(stream, clock=Clock())
    meter("loading", 1, 2)
    meter.close()
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    ("is_tty", "environ", "expected"),
    [
        (True, {"TERM": "xterm-256color"}, True),
        (True, {}, True),
        (False, {"TERM": "xterm"}, False),
        (True, {"TERM": "dumb"}, False),
        (True, {"TERM": "xterm", "NO_COLOR": "1"}, False),
    ],
)
def test_wanted_only_on_an_animating_terminal(
    is_tty: bool, environ: dict[str, str], expected: bool
) -> None:
    assert progress.wanted(is_tty=is_tty, environ=environ) is expected


def test_evaluate_all_reports_loading_and_evaluating() -> None:
    calls: list[tuple[str, int, int]] = []
    project = open_project(str(REPO))
    report = evaluate_subjects(
        project,
        [],
        every=True,
        gate=None,
        now=dt.date(2026, 11, 25),
        progress=lambda *a: calls.append(a),
    )
    total = len(report.subjects)
    assert calls == [("loading", n, total) for n in range(total)] + [
        ("evaluating", n, total) for n in range(total)
    ]


def _terminal(monkeypatch: pytest.MonkeyPatch, *, tty: bool) -> io.StringIO:
    stream = FakeTerminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setenv("TERM", "xterm")
    return stream


def test_cli_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _terminal(monkeypatch, tty=True)
    with progress_meter() as meter:
        assert isinstance(meter, Meter)
        assert meter.interval == 0.1  # at most ten redraws a second
        meter.last -= 1  # as if a second had passed
        meter("evaluating", 1, 2)
    assert stream.getvalue() == "\revaluating 1/2 ...\r" + " " * 18 + "\r"


def test_cli_no_progress_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _terminal(monkeypatch, tty=False)
    with progress_meter() as meter:
        assert meter is None
    assert stream.getvalue() == ""


def test_clirunner_output_has_no_progress(run_cli: Any) -> None:
    run = run_cli("evaluate", "--all", "--root", str(REPO), "--now", "2026-11-25")
    assert "\r" not in run.stderr
    assert "\r" not in run.stdout

"""The `html` status page: structure, escaping, the plan graph, a golden, and a real browser.

The golden is tests/reporters/golden/status.html (regenerate with `pytest
tests/reporters/test_html.py --update-goldens` and review the diff). The browser tests run Debian's
headless `chromium` on the written file: `--dump-dom` shows the DOM after the page's script ran,
`--screenshot` that it paints; they are skipped, saying why, where no `chromium` is installed
(`.ci/run` installs it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tests.support.golden import GOLDEN
from tests.support.html import Page, chromium, needs_chromium
from tests.support.project import SHARED

from gatecheck.commands.status import status_report
from gatecheck.errors import Location
from gatecheck.evaluation.plan_results import GatePlan, PlannedStep, PlanReport, UncoveredRule
from gatecheck.evaluation.results import GateResult, SubjectResult, gate_status
from gatecheck.evaluation.rule_results import Detail, NextStep, RuleResult, StepStatus, Verdict
from gatecheck.evaluation.status_results import StatusColumn, StatusReport
from gatecheck.project.layout import open_project
from gatecheck.reporters import html

if TYPE_CHECKING:
    from pathlib import Path

STATUS_GOLDEN = GOLDEN / "status.html"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted" \x1b[31m'
DAY = dt.date(2026, 3, 1)
GATE = "enable-by-default"

# -- a small report, built by hand ----------------------------------------------------------------


def rule(rule_id: str, status: Verdict, message: str, **extra: Any) -> RuleResult:
    location = Location(f"evidence/{rule_id}.yaml", 3, 5)
    detail = Detail(message, "x.y", "== true", None, status is not Verdict.MISSING, location)
    return RuleResult(
        rule_id,
        f"Title of {rule_id}",
        f"seed, {rule_id}",
        status,
        message=message,
        details=(detail,),
        **extra,
    )


def subject(name: str, *rules: RuleResult) -> SubjectResult:
    gate = GateResult(GATE, "Enable by default", gate_status(rules), rules)
    return SubjectResult(name, "p@1", f"evidence/{name}.yaml", DAY, DAY, (gate,))


def plan(
    name: str,
    *states: tuple[str, StepStatus, tuple[str, ...]],
    uncovered: tuple[UncoveredRule, ...] = (),
) -> PlanReport:
    done = {step for step, state, _ in states if state is StepStatus.DONE}
    steps = tuple(
        PlannedStep(
            step,
            f"Do {step}",
            state,
            needs,
            tuple(need for need in needs if need not in done)
            if state is StepStatus.BLOCKED
            else (),
            f"seed, {step}",
        )
        for step, state, needs in states
    )
    ready = tuple(step.step for step in steps if step.status is StepStatus.READY)
    remaining = tuple(step.step for step in steps if step.status is not StepStatus.DONE)
    status = Verdict.PASS if not remaining and not uncovered else Verdict.FAIL
    return PlanReport(
        name,
        "p@1",
        f"evidence/{name}.yaml",
        DAY,
        GATE,
        steps,
        ready,
        {GATE: remaining},
        (GatePlan(GATE, status, remaining, uncovered),),
    )


def small_report(hostile: str = "") -> StatusReport:
    """Three subjects (passing, failing with every verdict, hostile text) and their plans."""
    columns = tuple(
        StatusColumn(r, f"Title of {r}", f"seed, {r}") for r in ("phase-4", "fuzzed", "c-api")
    )
    passing = subject(
        "tail-call",
        rule("phase-4", Verdict.PASS, "proposal.phase is 4"),
        rule("fuzzed", Verdict.PASS, "fuzzing.since is 2025-01-01"),
        rule(
            "c-api",
            Verdict.WAIVED,
            "waived by ana until 2026-04-01",
            waiver={"approver": "ana", "expires": dt.date(2026, 4, 1), "reason": "next release"},
        ),
    )
    failing = subject(
        "foo-bar",
        rule(
            "phase-4",
            Verdict.FAIL,
            "proposal.phase is 3; expected >= 4",
            hint="The phase is the community group's decision.",
            next_step=NextStep("phase", "Reach phase 4", StepStatus.READY),
        ),
        rule("fuzzed", Verdict.MISSING, "fuzzing.since is not recorded; expected older than 7d"),
        rule("c-api", Verdict.FAIL, "apis.c is false; expected == true"),
    )
    strange = subject(
        hostile or "wasi-thing",  # judged by a policy without `c-api`: that cell is n/a
        rule("phase-4", Verdict.MISSING, hostile or "proposal.phase is not recorded"),
        rule("fuzzed", Verdict.PASS, "fuzzing.since is 2025-01-01"),
    )
    steps = (
        ("parser", StepStatus.DONE, ()),
        ("config", StepStatus.DONE, ("parser",)),
        ("fuzz", StepStatus.READY, ("config",)),
        ("c-api", StepStatus.BLOCKED, ("fuzz", "parser")),
        ("docs", StepStatus.READY, ()),
    )
    plans = {
        "tail-call": plan("tail-call", *((s, StepStatus.DONE, n) for s, _, n in steps)),
        "foo-bar": plan(
            "foo-bar",
            *steps,
            uncovered=(
                UncoveredRule(
                    "fuzzed",
                    "Title of fuzzed",
                    Verdict.MISSING,
                    "fuzzing.since is not recorded; expected older than 7d",
                    (),
                    "fuzzing.since",
                ),
            ),
        ),
        strange.subject: plan(strange.subject, (hostile or "only", StepStatus.READY, ())),
    }
    return StatusReport(DAY, GATE, "Enable by default", columns, (passing, failing, strange), plans)


# -- reading the page back ------------------------------------------------------------------------


def test_a_row_per_subject_a_column_per_rule_and_a_section_per_subject() -> None:
    report = small_report()
    page = Page(html.render_status(report))
    rows = page.all("tr", **{"class": "subject-row"})
    assert [row["data-verdict"] for row in rows] == ["waived", "fail", "missing"]
    headers = page.all("th", scope="col")
    assert len(headers) == 2 + len(report.columns)
    assert len(page.all("th", scope="row")) == len(report.subjects)
    assert all(attrs.get("scope") for attrs in page.all("th"))  # every header says what it heads
    cells = page.all("td")
    assert len(cells) == len(report.subjects) * (1 + len(report.columns))
    text = "".join(page.text)
    assert "— n/a" in text  # wasi-thing has no c-api rule
    ids = page.ids
    assert len(ids) == len(set(ids)), "ids are unique"
    for name in ("tail-call", "foo-bar", "wasi-thing"):
        assert f"s-{name}" in ids
        assert f"s-{name}--phase-4" in ids
    assert "matrix" in ids


def test_links_stay_in_the_page_and_nothing_is_fetched() -> None:
    text = html.render_status(small_report(HOSTILE))
    page = Page(text)
    ids = set(page.ids)
    for _, attrs in page.tags:
        assert "src" not in attrs
        for key in ("href", "action", "srcset", "poster", "data"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith("#"), f"{key}={value!r} leaves the page"
                assert value[1:] in ids, f"{value} is no anchor of the page"
    scripts = page.all("script")
    assert len(scripts) == 1
    assert scripts[0] == {}
    assert not page.all("link")
    assert not page.all("img")
    assert "url(http" not in text
    assert "@import" not in text
    assert "://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_hostile_text_is_shown_not_run() -> None:
    text = html.render_status(small_report(HOSTILE))
    page = Page(text)
    assert len(page.all("script")) == 1  # the page's own
    assert not page.all("img")
    assert not [attrs for _, attrs in page.tags if any(k.startswith("on") for k in attrs)]
    assert '<script>alert("x")' not in text
    shown = "".join(page.text)
    visible = HOSTILE.replace("\x1b", "\\x1b")
    assert visible in shown  # in the matrix, the section, the plan, the graph
    assert shown.count(visible) >= 4
    assert "\x1b" not in text
    titles = [attrs["title"] for attrs in page.all("td") if attrs.get("title")]
    assert visible in titles  # the message as the cell's title, decoded back to itself
    row = page.all("tr", **{"class": "subject-row"})[2]
    assert row["id"] is not None
    assert row["id"].replace("row-s-", "").replace("_", "").replace("-", "").isalnum()


def test_verdicts_are_told_by_words_not_colour_alone() -> None:
    text = html.render_status(small_report())
    for verdict in Verdict:
        assert f"{html.MARKS[verdict]} {verdict}" in text or f"</span> {verdict}" in text
    assert '<span aria-hidden="true">✓</span> pass' in text


def test_a_subject_section_explains_each_rule_and_shows_its_plan() -> None:
    text = html.render_status(small_report())
    section = text.split('<section id="s-foo-bar"')[1].split("</section>")[0]
    for expected in (
        "proposal.phase is 3; expected &gt;= 4",
        "evidence/phase-4.yaml:3:5",
        "phase (ready): Reach phase 4",
        "The phase is the community group&#x27;s decision.",
        "record x.y in evidence/foo-bar.yaml",  # the missing fact to record
        "▶ Ready now",
        "⏸ Blocked",
        "✓ Done",
        "fuzz; c-api (after fuzz); docs",  # the steps left, each after what it waits for
        "fuzzed: Title of fuzzed (missing: fuzzing.since is not recorded; expected older than 7d)",
    ):
        assert expected in section
    waived = text.split('<section id="s-tail-call"')[1].split("</section>")[0]
    assert "approver: ana; expires: 2026-04-01; reason: next release" in waived


def test_the_plan_graph_has_a_box_per_step_an_arrow_per_need_and_the_gate_path() -> None:
    text = html.render_status(small_report())
    section = text.split('<section id="s-foo-bar"')[1].split("</section>")[0]
    page = Page(section)
    assert len(page.all("svg")) == 1
    assert len(page.all("rect")) == 5
    edges = page.all("path", **{"class": "edge"})
    assert len(edges) == 4  # config<-parser, fuzz<-config, c-api<-fuzz, c-api<-parser
    assert len(page.all("path", **{"class": "path"})) == 1  # fuzz -> c-api, both remaining
    groups = page.all("g", **{"class": "node"})
    assert [g["class"] for g in groups] == [
        "node st-done",
        "node st-done",
        "node st-ready path",
        "node st-blocked path",
        "node st-ready path",
    ]
    # columns by dependency depth: parser, docs at 0; config 1; fuzz 2; c-api 3
    xs = [attrs["x"] for attrs in page.all("rect")]
    assert xs == ["12", "278", "544", "810", "12"]


def test_output_is_deterministic() -> None:
    assert html.render_status(small_report(HOSTILE)) == html.render_status(small_report(HOSTILE))


def test_golden(update_goldens: bool) -> None:
    text = html.render_status(small_report())
    if update_goldens:
        STATUS_GOLDEN.write_bytes(text.encode())
    assert text == STATUS_GOLDEN.read_bytes().decode(), "tests/reporters/golden/status.html differs"


def test_the_fixture_project_renders_every_subject() -> None:
    status: StatusReport = status_report(open_project(str(SHARED), None, None), None, DAY)
    page = Page(html.render_status(status))
    assert len(page.all("tr", **{"class": "subject-row"})) == len(status.subjects)
    assert len(page.all("section", **{"class": "subject"})) == len(status.subjects)
    assert len(page.all("th", scope="col")) == 2 + len(status.columns)


# -- in a real browser ----------------------------------------------------------------------------


@needs_chromium
def test_in_chromium_the_filters_come_alive(tmp_path: Path) -> None:
    page = tmp_path / "status.html"
    page.write_text(html.render_status(small_report(HOSTILE)), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert '<html lang="en" data-filters="ready">' in dom  # the script ran to its end
    assert '<form id="filters" class="filters">' in dom  # and offered the filters
    assert "Showing 3 of 3 subjects." in dom
    parsed = Page(dom)
    assert len(parsed.all("tr", **{"class": "subject-row"})) == 3
    assert not parsed.all("img")  # the hostile <img> stayed text in the browser too
    assert len(parsed.all("script")) == 1


@needs_chromium
def test_in_chromium_the_page_paints(tmp_path: Path) -> None:
    page = tmp_path / "status.html"
    page.write_text(html.render_status(small_report()), encoding="utf-8")
    shot = tmp_path / "status.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a blank page of this size is a few kB

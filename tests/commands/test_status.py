"""`gatecheck status`: the reporters on status reports built here (the CLI has golden cases).

Text from policies and evidence must not break the Markdown page: a `|` would split a table cell,
a line break would end a table row or a footnote.
"""

from __future__ import annotations

import datetime as dt
import json

from gatecheck.errors import Location
from gatecheck.evaluation.plan_results import PlanReport
from gatecheck.evaluation.results import GateResult, SubjectResult
from gatecheck.evaluation.rule_results import RuleResult, Verdict
from gatecheck.evaluation.status_results import StatusColumn, StatusReport
from gatecheck.reporters import STATUS_REPORTERS, markdown, text
from gatecheck.reporters import json as json_reporter

NOW = dt.date(2026, 3, 5)


def _status(
    reason: str = "flaky | see\nissue 88", title: str = "Tests | all\npass"
) -> StatusReport:
    waived = RuleResult(
        rule="tests-pass",
        title=title,
        source="fixture",
        status=Verdict.WAIVED,
        message=f"waived by ben until 2026-04-01: {reason}",
        waiver={
            "rule": "tests-pass",
            "approver": "b|en",
            "expires": "2026-04-01",
            "reason": reason,
        },
        policy_location=Location("policies/release.yaml", 40, 9),
    )
    gate = GateResult("ship", "Ship it", Verdict.WAIVED, (waived,))
    subject = SubjectResult("li|b", "release@1", "evidence/lib.yaml", NOW, None, (gate,))
    columns = (
        StatusColumn("tests-pass", title, "fixture"),
        StatusColumn("signed", "Signed", "fixture v2"),
    )
    plan = PlanReport("li|b", "release@1", "evidence/lib.yaml", NOW, "ship", (), (), {})
    return StatusReport(NOW, "ship", "Ship it", columns, (subject,), {"li|b": plan})


def test_status_formats_match_the_registry() -> None:
    from gatecheck.cli.status import status

    choices = next(p for p in status.params if p.name == "fmt").type.choices  # type: ignore[attr-defined]
    assert tuple(choices) == tuple(STATUS_REPORTERS)


def test_markdown_escapes_pipes_and_line_breaks_in_cells_and_footnotes() -> None:
    page = markdown.render_status(_status())
    row = next(line for line in page.splitlines() if line.startswith("| li"))
    assert row.startswith("| li\\|b | ⏸️ waived | [⏸️](evidence/lib.yaml)[^1] | — |")
    assert row.count(" | ") == 3  # subject, gate, two columns: no extra cell
    note = next(line for line in page.splitlines() if line.startswith("[^1]:"))
    assert (
        note
        == "[^1]: li\\|b, tests-pass: waived by b\\|en until 2026-04-01: flaky \\| see<br>issue 88"
    )
    assert "1. **tests-pass**: Tests \\| all<br>pass (fixture)" in page.splitlines()


def test_markdown_escapes_markup_in_waiver_reasons() -> None:
    page = markdown.render_status(_status(reason="<script>x</script> [link](http://x) *b*"))
    assert "<script>" not in page
    assert "\\<script\\>x\\</script\\> \\[link\\](http://x) \\*b\\*" in page


def test_passing_subjects_need_no_plan() -> None:
    assert "```mermaid" not in markdown.render_status(_status())


def test_text_marks_a_rule_the_policy_lacks() -> None:
    output = text.render_status(_status())
    row = next(line for line in output.splitlines() if line.startswith("  li|b"))
    assert row.split()[-2:] == ["~", "—"]
    assert output.endswith(
        "1 of 1 subject pass gate ship (0 pass, 1 waived, 0 fail, 0 not recorded)\n"
    )


def test_json_leaves_out_cells_the_policy_lacks() -> None:
    data = json.loads(json_reporter.render_status(_status()))
    assert [c["rule"] for c in data["columns"]] == ["tests-pass", "signed"]
    (subject,) = data["subjects"]
    assert list(subject["cells"]) == ["tests-pass"]
    assert subject["cells"]["tests-pass"]["location"]["file"] == "policies/release.yaml"
    assert data["summary"] == {
        "subjects": 1,
        "passing": 1,
        "pass": 0,
        "fail": 0,
        "missing": 0,
        "waived": 1,
    }


def test_the_docs_example_is_what_status_prints() -> None:
    from tests.support.project import CASES, REPO

    printed = (CASES / "status-bundled-text" / "expected.out").read_text()
    assert printed in (REPO / "docs" / "cli.md").read_text()

"""The status formats at scale: capped text and Markdown pages.

Sizes are checked structurally (bytes of output against a bound that follows from the design),
never timed: bench/reports.py measures time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.support.status_reports import many_subjects

from gatecheck.reporters import markdown_status, text_status
from gatecheck.reporters.status_matrix import LARGE_REPORT, PASSING_LISTED

if TYPE_CHECKING:
    from gatecheck.evaluation.status_results import StatusReport


# -- text and Markdown -----------------------------------------------------------------------------


def _listed_subjects(report: StatusReport, page: str) -> set[str]:
    return {s.subject for s in report.subjects if re.search(rf"\b{s.subject}\b", page)}


def test_small_text_and_markdown_pages_list_every_subject_and_no_count() -> None:
    report = many_subjects(LARGE_REPORT)
    for page in (text_status.render_status(report), markdown_status.render_status(report)):
        assert _listed_subjects(report, page) == {s.subject for s in report.subjects}
        assert "more passing" not in page


def test_large_text_lists_every_subject_that_does_not_pass_and_counts_the_rest() -> None:
    report = many_subjects(2000)
    page = text_status.render_status(report)
    lines = page.splitlines()
    not_passing = {s.subject for s in report.subjects if not s.gates[0].status.passing}
    passing = [s.subject for s in report.subjects if s.gates[0].status.passing]
    listed = _listed_subjects(report, page)
    assert not_passing <= listed
    assert listed - not_passing == set(passing[:PASSING_LISTED])
    more = len(passing) - PASSING_LISTED
    assert f"  … and {more:,} more passing subjects (gatecheck status --format json" in page
    assert lines[2] == lines[-1]  # the totals first, and last as before
    assert lines[2].startswith(f"{len(passing)} of 2000 subjects pass gate")
    assert lines.index("failing:") < lines.index("passing:")


def test_large_markdown_lists_every_subject_that_does_not_pass_and_caps_plans() -> None:
    report = many_subjects(2000)
    page = markdown_status.render_status(report)
    not_passing = [s.subject for s in report.subjects if not s.gates[0].status.passing]
    passing = [s.subject for s in report.subjects if s.gates[0].status.passing]
    table_rows = re.findall(r"^\| (p\d{5}) \|", page, flags=re.MULTILINE)
    assert set(not_passing) <= set(table_rows)
    assert set(table_rows) - set(not_passing) == set(passing[:PASSING_LISTED])
    assert f"… and {len(passing) - PASSING_LISTED:,} more passing subjects" in page
    assert page.count("<summary>Plan of ") == PASSING_LISTED
    assert f"first {PASSING_LISTED} of the {len(not_passing):,} subjects that do not pass" in page
    assert len(page.encode()) < 2000 * 600  # the failing rows and their footnotes, at most

"""The `html` status page: one self-contained page for the status matrix of a gate.

Nothing is fetched: the CSS and a small script are inline, the plan graphs are inline SVG laid out
by `html_plan` (columns by dependency depth), and there are no fonts, images or external links.
Up to `ALL_ROWS_UP_TO` subjects the page holds everything, and reads the same with the script off
(the verdict filters are then simply not offered):

- the matrix, a row per subject and a column per rule, each cell a mark *and* a word (not colour
  alone) with the rule's message in its `title` and shown when the cell has focus;
- a section per subject (anchor `#s-<subject>`): each rule's message, location, what to record,
  the next step, the hint and the waiver; then its plan (ready, blocked, done, the path to the
  gate) and the plan drawn as a graph with the path to the gate highlighted;
- filters by the subject's gate verdict, a skip link, visible focus, a dark palette for
  `prefers-color-scheme: dark`, and a print style (black on white, no filters, a page per subject).

Above it (a section per subject is about 15 kB: 10,000 of them made a page of 150 MB that no
browser opens comfortably), the matrix is paged: the page holds the first `PAGE_ROWS` rows and
their sections as markup, so that without the script it still shows the subjects that do not
pass (they come first); every row and every subject's details are in a data island
(`html_island`), from which the script (`templates/status_pages.js`) draws the matrix a page at
a time, filtered by verdict and by name, and a subject's section when its link is followed.

The markup is `templates/status.html.j2`, rendered by `templating` with every value escaped, so a
title or message from a policy or evidence file cannot add markup; the script inserts the
island's text as text. This module decides what the page says; the output depends only on the
report: no clock is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.results import LISTED
from gatecheck.evaluation.rule_results import StepStatus, Verdict
from gatecheck.reporters.html_plan import plan_view
from gatecheck.reporters.html_subjects import (
    rule_anchor,
    rule_items,
    rules_by_id,
    subject_ids,
    subject_verdict,
)
from gatecheck.reporters.plangraph import MARKERS
from gatecheck.reporters.status_matrix import MARKS, VERDICT_LABELS, shown
from gatecheck.reporters.templating import render_parts

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.evaluation.status_results import StatusReport

# MARKS: the tests read them
__all__ = ["ALL_ROWS_UP_TO", "MARKS", "PAGE_ROWS", "render_status", "status_chunks"]

_ORDER = (Verdict.PASS, Verdict.FAIL, Verdict.MISSING, Verdict.WAIVED)
# Up to this many subjects, every row and section is markup (about 7.5 MB at most); above, paged.
ALL_ROWS_UP_TO = 500
PAGE_ROWS = 100  # rows of a page of the paged matrix, and rows written as markup above


def render_status(status: StatusReport, *, color: bool = False) -> str:
    return "".join(status_chunks(status, color=color))


def status_chunks(status: StatusReport, *, color: bool = False) -> Iterator[str]:
    """The page in parts, as `render_status` would write it whole: the island is never whole.

    The markup around the island (the first page of rows and their sections, at most about 2 MB)
    is one part; the island follows as `html_island.island` writes it, a part at a time.
    """
    del color  # the page has its own palette (light and dark)
    from gatecheck.reporters.html_island import island

    counts = dict.fromkeys(_ORDER, 0)
    for subject in status.subjects:
        counts[subject_verdict(subject)] += 1
    ids = subject_ids(status)
    paged = len(status.subjects) > ALL_ROWS_UP_TO
    return render_parts(
        "status.html.j2",
        css=["status.css", "status_pages.css"] if paged else "status.css",
        script="status_pages.js" if paged else "status.js",
        status=status,
        summary=_summary(status, counts),
        counts=counts,
        ids=ids,
        rows=status.subjects[:PAGE_ROWS] if paged else status.subjects,
        page_rows=PAGE_ROWS if paged else None,
        island=island(status, ids, PAGE_ROWS) if paged else None,  # made once the markup is
        order=_ORDER,
        marks=MARKS,
        labels=VERDICT_LABELS,
        markers=MARKERS,
        step_states=StepStatus,
        listed=LISTED,
        verdict_of=subject_verdict,
        rules_of=rules_by_id,
        rule_id=rule_anchor,
        rule_items=rule_items,
        shown=shown,
        plan_view=plan_view,
    )


def _summary(status: StatusReport, counts: dict[Verdict, int]) -> str:
    passing = counts[Verdict.PASS] + counts[Verdict.WAIVED]
    total = len(status.subjects)
    by_verdict = ", ".join(f"{counts[v]} {VERDICT_LABELS[v]}" for v in _ORDER)
    return (
        f"{total} subject{'s' * (total != 1)}: {passing} passing, {total - passing} not passing "
        f"({by_verdict}), judged on {status.now}."
    )

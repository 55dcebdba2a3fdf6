"""The status formats at scale: the paged HTML page and its data island, capped text and Markdown.

Sizes are checked structurally (bytes of output against a bound that follows from the design),
never timed: bench/reports.py measures time. The browser test runs headless `chromium` where
installed, as tests/reporters/test_html.py does.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.html import Page, chromium, needs_chromium
from tests.support.status_reports import many_subjects

from gatecheck.reporters import html, html_island, markdown_status, text_status
from gatecheck.reporters.escape import script_json
from gatecheck.reporters.html_island import EVIDENCE, DiskStore, MemoryStore, island
from gatecheck.reporters.html_subjects import rule_items, subject_ids
from gatecheck.reporters.status_matrix import LARGE_REPORT, PASSING_LISTED, status_cell

if TYPE_CHECKING:
    from pathlib import Path

    from gatecheck.evaluation.status_results import StatusReport

HOSTILE = (
    '</script><!--<script>alert("x")</script> \'q\' "dq" \u2028 & <img src=x onerror=alert(1)>'
)
PAGED = html.ALL_ROWS_UP_TO + 1


def island_of(page: str) -> dict[str, Any]:
    start = '<script type="application/json" id="status-data">'
    assert page.count(start) == 1
    text = page.split(start, 1)[1].split("</script>", 1)[0]
    data: dict[str, Any] = json.loads(text)
    return data


def resolve(table: list[Any], index: int, evidence: str) -> Any:
    """A value of the island's table, as the page's script reads it."""
    if index == EVIDENCE:
        return evidence
    value = table[index]
    return [resolve(table, item, evidence) for item in value] if isinstance(value, list) else value


def text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


# -- the HTML page ---------------------------------------------------------------------------------


def test_up_to_the_threshold_every_row_and_section_is_markup_and_there_is_no_island() -> None:
    report = many_subjects(html.ALL_ROWS_UP_TO)
    page = html.render_status(report)
    parsed = Page(page)
    assert len(parsed.all("tr", **{"class": "subject-row"})) == html.ALL_ROWS_UP_TO
    assert len(parsed.all("section", **{"class": "subject"})) == html.ALL_ROWS_UP_TO
    assert 'type="application/json"' not in page
    assert len(parsed.all("script")) == 1


def test_above_it_a_page_of_rows_is_markup_and_every_row_is_in_the_island() -> None:
    report = many_subjects(PAGED)
    page = html.render_status(report)
    parsed = Page(page)
    rows = parsed.all("tr", **{"class": "subject-row"})
    assert len(rows) == html.PAGE_ROWS
    # the rows written are the first of the matrix: those that do not pass come first
    assert [row["data-verdict"] for row in rows][:3] == ["fail", "fail", "fail"]
    assert len(parsed.all("section", **{"class": "subject"})) == html.PAGE_ROWS
    assert parsed.all("tbody", id="rows")
    assert parsed.all("div", id="details")
    assert f"first {html.PAGE_ROWS} subjects of {PAGED}" in page  # the <noscript> note
    data = island_of(page)
    assert len(data["rows"]) == PAGED
    assert data["page_rows"] == html.PAGE_ROWS
    names = [data["table"][row[0]] for row in data["rows"]]
    assert names == [subject.subject for subject in report.subjects]


def test_the_island_holds_each_cell_and_each_subjects_details_as_the_markup_would() -> None:
    report = many_subjects(PAGED)
    data = island_of(html.render_status(report))
    table = data["table"]
    for row, subject in zip(data["rows"], report.subjects, strict=True):
        verdict = table[row[2]]
        assert verdict == str(subject.gates[0].status)
        cells = resolve(table, row[4], subject.evidence)
        for cell, column in zip(cells, report.columns, strict=True):
            rule = status_cell(subject, column.rule)
            assert rule is not None
            assert cell == [str(rule.status), rule.message]
        details = resolve(table, row[5], subject.evidence)
        assert details[1] == subject.evidence
        (gate,) = details[3]
        assert gate[1] == str(subject.gates[0].status)
        for entry, rule in zip(gate[4], subject.gates[0].rules, strict=True):
            items = [(term, text(said)) for term, said in entry[4]]
            assert items == rule_items(rule, subject.evidence)
        plan = details[4]
        assert [text(t) for t in plan[1]] == [  # ready now
            f"{name}: Do {name}" for name in report.plans[subject.subject].next
        ]


def test_a_text_naming_the_evidence_file_is_stored_once_for_every_subject() -> None:
    data = island_of(html.render_status(many_subjects(PAGED)))
    table = data["table"]
    inline = [value for value in table if isinstance(value, str) and "evidence/p" in value]
    assert all(value.endswith(".yaml") for value in inline)  # paths alone, in no longer text
    recorded = [
        value
        for value in table
        if isinstance(value, list) and EVIDENCE in value and "record " in str(table[value[0]])
    ]
    # one "record facts.spec_tests_pass in <evidence>" for every subject missing that fact
    assert len(recorded) == 1
    # every evidence path is a table entry, once
    paths = [value for value in table if isinstance(value, str) and value.endswith(".yaml")]
    assert len(paths) == len(set(paths)) == PAGED


def test_the_island_written_in_parts_is_the_whole_island_script_json_would_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On disk, in parts, remembering little: the same text as `script_json` of the whole data.

    The reference keeps every value's index in a dict (as the table did when it held them all),
    and the island it makes is what `script_json` writes of the island's data parsed back.
    """
    report = many_subjects(PAGED, hostile=HOSTILE + " ##[x \udcff")
    ids = subject_ids(report)
    reference = "".join(island(report, ids, html.PAGE_ROWS, MemoryStore()))
    data = json.loads(reference)
    assert script_json(data) == reference
    assert len(data["rows"]) == PAGED
    entries = len(data["table"])
    assert entries > 5 * PAGED  # most are a subject's own: its name, evidence, row, details
    monkeypatch.setattr(html_island, "CACHED", 16)  # forget nearly at once: ask the store again
    monkeypatch.setattr(html_island, "_PART", 100)
    parts = list(island(report, ids, html.PAGE_ROWS, DiskStore()))
    assert "".join(parts) == reference
    assert len(parts) > entries // 20  # the table and the rows a few entries at a time
    assert max(len(part) for part in parts[:-1]) < 100 + max(len(entry) for entry in _entries(data))
    page = html.render_status(report)
    assert island_of(page) == data
    assert f'id="status-data">{reference}</script>' in page


def _entries(data: dict[str, Any]) -> list[str]:
    return [script_json(entry) for entry in data["table"]]


def test_a_large_page_is_written_in_parts_the_island_never_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = many_subjects(PAGED)
    page = html.render_status(report)
    monkeypatch.setattr(html_island, "_PART", 1000)
    parts = list(html.status_chunks(report))
    assert "".join(parts) == page
    start = parts[0]
    assert start.endswith('<script type="application/json" id="status-data">')
    assert parts[1] == '{"table":['
    assert parts[-2].startswith('],"anchors":')
    assert parts[-1].startswith("</script>\n<script>")
    assert parts[-1].endswith("</html>\n")
    island_parts = parts[1:-1]
    assert len(island_parts) > len("".join(island_parts)) // 2000 > 20
    assert max(len(part) for part in island_parts) < 2000
    assert len(island_of(page)["rows"]) == PAGED


def test_a_small_page_is_one_part() -> None:
    report = many_subjects(3)
    assert list(html.status_chunks(report)) == [html.render_status(report)]


def test_2000_subjects_make_a_page_under_a_bound_that_grows_by_a_few_hundred_bytes_a_subject() -> (
    None
):
    one = len(html.render_status(many_subjects(1000)).encode())
    two = len(html.render_status(many_subjects(2000)).encode())
    # the markup of one page of rows and their sections, then the island: each subject adds its
    # name, anchor, evidence path and a few lists of indices into the table
    per_subject = (two - one) / 1000
    assert per_subject < 300, per_subject
    assert two < 1_000_000, two
    old = len(html.render_status(many_subjects(html.ALL_ROWS_UP_TO)).encode())
    assert two < old / html.ALL_ROWS_UP_TO * 2000 / 5  # a fifth of writing every section


def test_the_island_is_safe_inside_its_script_element() -> None:
    page = html.render_status(many_subjects(PAGED, hostile=HOSTILE))
    start = page.index('<script type="application/json" id="status-data">')
    island = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert "<" not in island
    assert ">" not in island
    assert "&" not in island
    assert "\u2028" not in island
    assert "\\u003c/script\\u003e\\u003c!--" in island
    parsed = Page(page)
    assert len(parsed.all("script")) == 2  # the island and the page's script, no other
    assert not parsed.all("img")
    data = island_of(page)
    shown = HOSTILE.replace("\u2028", "\\u2028")  # as every format shows a line separator
    assert shown in data["table"]  # the subject's name, the rule title and messages: as text
    row = next(row for row in data["rows"] if data["table"][row[0]] == shown)
    assert data["table"][row[1]].startswith("s-")
    assert re.fullmatch(r"s-[A-Za-z0-9_.-]+", data["table"][row[1]])


@pytest.mark.parametrize(
    "value",
    [
        "</script>",
        "</SCRIPT >",
        "<!--",
        "-->",
        "<script>",
        "'single' \"double\"",
        "\u2028\u2029",
        "&amp; &lt;",
        "\x7f\x85\u202e",
    ],
)
def test_script_json_leaves_nothing_an_html_parser_acts_on_and_parses_back(value: str) -> None:
    data = {"key": [value, {"nested": value}], value: 1}
    out = script_json(data)
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029", "\x7f", "\x85", "\u202e"}
    assert json.loads(out) == data


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


# -- in a real browser -----------------------------------------------------------------------------


@needs_chromium
def test_in_chromium_the_script_pages_the_matrix_and_draws_a_subject_on_demand(
    tmp_path: Path,
) -> None:
    report = many_subjects(2000, hostile=HOSTILE)
    file = tmp_path / "status.html"
    file.write_text(html.render_status(report), encoding="utf-8")
    target = next(s for s in report.subjects if s.subject == "p01999")  # far beyond page 1
    dom = chromium(tmp_path, "--dump-dom", f"{file.as_uri()}#s-p01999--fuzzed-a-week")
    assert 'data-filters="ready"' in dom.split(">", 2)[1]  # the script ran to its end
    parsed = Page(dom)
    assert len(parsed.all("tr", **{"class": "subject-row"})) == html.PAGE_ROWS
    assert "Page 1 of 20" in dom
    assert "Showing 1\u2013100 of 2000 matching subjects (of 2000)." in dom
    sections = parsed.all("section", **{"class": "subject"})
    assert [attrs["id"] for attrs in sections] == ["s-p01999"]  # drawn from the island
    assert parsed.all("li", id="s-p01999--fuzzed-a-week")
    assert parsed.all("svg")
    assert f"evidence <code>{target.evidence}</code>" in dom
    # the hostile subject's row is on page 1 (it fails and claims the gate): text, not markup
    assert not parsed.all("img")
    assert len(parsed.all("script")) == 2
    hostile = HOSTILE.replace("\u2028", "\\u2028")
    assert hostile in "".join(parsed.text)


@needs_chromium
def test_in_chromium_a_hostile_subjects_section_is_text(tmp_path: Path) -> None:
    report = many_subjects(PAGED, hostile=HOSTILE)
    page = html.render_status(report)
    data = island_of(page)
    shown = HOSTILE.replace("\u2028", "\\u2028")
    row = next(row for row in data["rows"] if data["table"][row[0]] == shown)
    file = tmp_path / "status.html"
    file.write_text(page, encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", f"{file.as_uri()}#{data['table'][row[1]]}")
    parsed = Page(dom)
    assert len(parsed.all("section", **{"class": "subject"})) == 1
    assert not parsed.all("img")
    assert len(parsed.all("script")) == 2
    heading = dom.split('class="subject"', 1)[1].split("</h2>", 1)[0]
    assert "&lt;/script&gt;&lt;!--&lt;script&gt;" in heading

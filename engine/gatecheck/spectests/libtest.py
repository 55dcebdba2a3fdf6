"""Reading libtest's pretty output (`cargo test`, libtest-mimic harnesses) into reported tests.

The test lines are checked against the `test result:` summaries: output that was cut off, or a
terse run without names, would record counts the run does not support.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.spectests.reported import ReportedTest

if TYPE_CHECKING:
    from gatecheck.spectests.reported import Status

# libtest's pretty format (`cargo test`; libtest-mimic harnesses such as Wasmtime's wast runner).
_TEST_LINE = re.compile(r"test (?P<name>\S(?:.*\S)?) \.\.\. (?P<status>ok|FAILED|ignored)\b.*")
_SUMMARY = re.compile(
    # At most 18 digits: a longer count is no real run's, and int() of thousands of digits raises.
    r"test result: (?:ok|FAILED)\. (?P<passed>\d{1,18}) passed; (?P<failed>\d{1,18}) failed; "
    r"(?P<ignored>\d{1,18}) ignored;.*"
)
_LIBTEST_STATUS: dict[str, Status] = {"ok": "passed", "FAILED": "failed", "ignored": "ignored"}


def parse_libtest(raw: bytes, path: str) -> tuple[ReportedTest, ...]:
    """The `test NAME ... ok|FAILED|ignored` lines, checked against the `test result:` lines.

    A run that was cut off has no summary; a terse run (`.` per test) has a summary but no names.
    Either would record counts the run does not support, so both are problems.
    """
    text = raw.decode("utf-8", "replace")
    outcomes: list[ReportedTest] = []
    totals = {"passed": 0, "failed": 0, "ignored": 0}
    last_summary = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        test = _TEST_LINE.fullmatch(stripped)
        if test is not None:
            outcomes.append(ReportedTest(test["name"], _LIBTEST_STATUS[test["status"]]))
            continue
        summary = _SUMMARY.fullmatch(stripped)
        if summary is not None:
            last_summary = number
            for key in totals:
                totals[key] += int(summary[key])
    counted = {key: sum(o.status == key for o in outcomes) for key in totals}
    if not last_summary:
        if not outcomes:
            raise InvalidInput([_not_results(path)])
        raise InvalidInput(
            [
                Problem(
                    "results-truncated",
                    f"{len(outcomes):,} test lines but no `test result:` summary: the run did not "
                    "finish, or the output was cut off",
                    Location(path, max(text.count("\n"), 1), 1),
                    "record the output of a complete run",
                )
            ]
        )
    if counted != totals:
        said = ", ".join(f"{totals[k]:,} {k}" for k in totals)
        found = ", ".join(f"{counted[k]:,} {k}" for k in counted)
        hint = (
            "run the tests with `-- --format pretty` so each test's name is printed"
            if not outcomes
            else "record the whole output of one run, unedited"
        )
        raise InvalidInput(
            [
                Problem(
                    "results-mismatch",
                    f"the summary says {said}; the test lines say {found}",
                    Location(path, last_summary, 1),
                    hint,
                )
            ]
        )
    return tuple(outcomes)


def _not_results(path: str) -> Problem:
    return Problem(
        "not-test-results",
        "no test results found: neither JUnit XML nor libtest output (`test NAME ... ok`)",
        Location(path, 1, 1),
        "pass `cargo nextest --message-format junit` XML, or the output of "
        "`cargo test --test wast -- --format pretty`",
    )

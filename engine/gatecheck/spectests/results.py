"""Read test results: JUnit XML and the plain output of libtest (`cargo test`).

Each file becomes a list of `SpecTestOutcome`s (a test's name and whether it passed, failed or was
ignored). Nothing here knows about proposals or evidence; `spec_tests` maps names to subjects.

Result files come from CI artefacts, so they are treated as hostile: the size is capped as for
YAML, XML is parsed by expat with any DOCTYPE refused (no entity can expand, internal or external),
and every problem is located `file:line:column` and raised as InvalidInput.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import TYPE_CHECKING, Literal, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, printable
from gatecheck.loading.reading import FileTooLarge, read_limited, too_large

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

Status = Literal["passed", "failed", "ignored"]
FORMATS = ("auto", "junit", "libtest")


class SpecTestOutcome(NamedTuple):
    name: str
    status: Status


class Results(NamedTuple):
    """The outcomes read from one file, with what provenance needs to say about it."""

    path: str  # as given on the command line
    format: Literal["junit", "libtest"]
    sha256: str
    outcomes: tuple[SpecTestOutcome, ...]

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def read_results(path: str, fmt: str = "auto") -> Results:
    """Read one result file; `fmt` is `junit`, `libtest` or `auto` (XML if it starts with `<`)."""
    raw = _read(path)
    digest = hashlib.sha256(raw).hexdigest()
    if fmt == "auto":
        fmt = "junit" if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "libtest"
    if fmt == "junit":
        return Results(path, "junit", digest, parse_junit(raw, path))
    return Results(path, "libtest", digest, parse_libtest(raw, path))


_SPLIT_RESULTS = "split the results (one file per test binary or platform) and pass each file"


def _read(path: str) -> bytes:
    try:
        return read_limited(path)
    except FileTooLarge as error:
        raise InvalidInput([too_large(path, error.size, _SPLIT_RESULTS)]) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput(
            [Problem("unreadable", f"cannot read file: {reason}", Location(path, 1, 1))]
        ) from None


# libtest's pretty format (`cargo test`; libtest-mimic harnesses such as Wasmtime's wast runner).
_TEST_LINE = re.compile(r"test (?P<name>\S(?:.*\S)?) \.\.\. (?P<status>ok|FAILED|ignored)\b.*")
_SUMMARY = re.compile(
    # At most 18 digits: a longer count is no real run's, and int() of thousands of digits raises.
    r"test result: (?:ok|FAILED)\. (?P<passed>\d{1,18}) passed; (?P<failed>\d{1,18}) failed; "
    r"(?P<ignored>\d{1,18}) ignored;.*"
)
_LIBTEST_STATUS: dict[str, Status] = {"ok": "passed", "FAILED": "failed", "ignored": "ignored"}


def parse_libtest(raw: bytes, path: str) -> tuple[SpecTestOutcome, ...]:
    """The `test NAME ... ok|FAILED|ignored` lines, checked against the `test result:` lines.

    A run that was cut off has no summary; a terse run (`.` per test) has a summary but no names.
    Either would record counts the run does not support, so both are problems.
    """
    text = raw.decode("utf-8", "replace")
    outcomes: list[SpecTestOutcome] = []
    totals = {"passed": 0, "failed": 0, "ignored": 0}
    last_summary = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        test = _TEST_LINE.fullmatch(stripped)
        if test is not None:
            outcomes.append(SpecTestOutcome(test["name"], _LIBTEST_STATUS[test["status"]]))
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


class _Refused(Exception):  # noqa: N818 - internal signal, never leaves this module
    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _parse_xml(raw: bytes, path: str) -> Element:
    """Parse XML with expat, refusing any DOCTYPE.

    JUnit never needs one, and a DOCTYPE is where entities are declared: a "billion laughs"
    expands internal ones, external ones read other files.
    """
    from xml.etree.ElementTree import TreeBuilder
    from xml.parsers import expat

    builder = TreeBuilder()
    parser = expat.ParserCreate()

    def refuse(*_args: object) -> None:
        raise _Refused(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(raw, True)  # noqa: FBT003 - expat's `isfinal`
    except _Refused as refused:
        line, column = refused.line, refused.column
        start = raw.find(b"<!DOCTYPE")  # expat reports where it was when it saw the whole of it
        if start >= 0:
            line = raw.count(b"\n", 0, start) + 1
            column = start - raw.rfind(b"\n", 0, start)
        raise InvalidInput(
            [
                Problem(
                    "xml-doctype",
                    "the XML has a DOCTYPE; test results are read without one (its entities "
                    "could expand without bound or read other files)",
                    Location(path, line, column),
                    "remove the DOCTYPE; JUnit XML does not use one",
                )
            ]
        ) from None
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code) or "malformed XML"
        raise InvalidInput(
            [
                Problem(
                    "bad-xml",
                    f"not well-formed XML: {reason}",
                    Location(path, error.lineno, error.offset + 1),
                    "pass a complete JUnit XML file (was the run or the upload cut off?)",
                )
            ]
        ) from None
    return builder.close()


def parse_junit(raw: bytes, path: str) -> tuple[SpecTestOutcome, ...]:
    """The test cases of a JUnit file (`<testsuites>` or a single `<testsuite>`).

    A case with `<failure>` or `<error>` failed, one with `<skipped>` was ignored, any other passed.
    The name is the case's `name`; `classname` is used when only it carries a spec test's path.
    """
    from junitparser import Error, Failure, JUnitXml, JUnitXmlError, Skipped

    root = _parse_xml(raw, path)
    try:
        xml = JUnitXml.fromroot(root)  # type: ignore[arg-type]  # stubs name their wrapper
    except JUnitXmlError:
        raise InvalidInput(
            [
                Problem(
                    "not-test-results",
                    f"XML root element <{printable(str(root.tag))}> is not JUnit "
                    "<testsuites> or <testsuite>",
                    Location(path, 1, 1),
                    "pass the JUnit XML of a test run (`cargo nextest --message-format junit`)",
                )
            ]
        ) from None
    outcomes: list[SpecTestOutcome] = []
    for suite in xml:
        for case in suite:
            name = case.name or ""
            classname = case.classname or ""
            if ".wast" not in name and ".wast" in classname:
                name = classname
            results = case.result
            status: Status = "passed"
            if any(isinstance(result, (Failure, Error)) for result in results):
                status = "failed"
            elif any(isinstance(result, Skipped) for result in results):
                status = "ignored"
            outcomes.append(SpecTestOutcome(name, status))
    if not outcomes:
        raise InvalidInput(
            [
                Problem(
                    "not-test-results",
                    "the JUnit file has no test cases",
                    Location(path, 1, 1),
                    "pass the JUnit XML of a run that ran tests",
                )
            ]
        )
    return tuple(outcomes)

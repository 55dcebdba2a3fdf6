"""Reading JUnit XML into reported tests: expat with any DOCTYPE refused, then junitparser.

Result files come from CI artefacts: no entity can expand (internal or external), and every
problem is located `file:line:column`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Location, Problem, printable
from gatecheck.spectests.reported import ReportedTest

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from gatecheck.spectests.reported import Status


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


def parse_junit(raw: bytes, path: str) -> tuple[ReportedTest, ...]:
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
    outcomes: list[ReportedTest] = []
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
            outcomes.append(ReportedTest(name, status))
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

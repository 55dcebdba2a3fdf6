"""The `junit` format: JUnit XML, for CI systems that show test results (GitLab, Jenkins, ...).

One `<testsuite>` per subject, one `<testcase>` per rule (classname `subject.gate`, name the rule).
A failing rule has a `<failure>`; a rule whose fact is missing has an `<error>` (the evidence could
not be judged, as a test that could not run); a waived rule is `<skipped>` with the waiver. Each
validation problem is a failing testcase of the `gatecheck.validate` suite; `check` adds a
`gatecheck.check` suite where each policy change and removed evidence file is a skipped testcase
(a failure with --fail-on-policy-change), since a maintainer, not gatecheck, must judge it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import xml
from gatecheck.reporters.findings import (
    anchor,
    change_message,
    explain,
    removed_message,
    rule_location,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from gatecheck.evaluation.check_results import CheckReport
    from gatecheck.evaluation.results import Report, SubjectResult
    from gatecheck.evaluation.validation_results import Validation

VALIDATE_SUITE = "gatecheck.validate"
CHECK_SUITE = "gatecheck.check"
_OUTCOME = {Verdict.FAIL: "failure", Verdict.MISSING: "error", Verdict.WAIVED: "skipped"}


def render(report: Report, *, color: bool = False) -> str:
    del color
    root = _element("testsuites", name="gatecheck")
    for subject in report.subjects:
        _subject_suite(root, subject)
    return _dump(root)


def render_validation(validation: Validation, *, color: bool = False) -> str:
    del color
    root = _element("testsuites", name="gatecheck")
    suite = _child(root, "testsuite", name=VALIDATE_SUITE)
    for policy in validation.policies:
        _child(suite, "testcase", classname=VALIDATE_SUITE, name=f"policy {policy}")
    for kind, paths in (
        ("evidence", validation.evidence),
        ("facts schema", validation.schemas),
        ("policy test", validation.tests),
    ):
        for path in paths:
            _child(suite, "testcase", classname=VALIDATE_SUITE, name=f"{kind} {path}", file=path)
    for problem in validation.problems:
        location = problem.location
        case = _child(
            suite,
            "testcase",
            classname=VALIDATE_SUITE,
            name=f"{location} [{problem.code}]",
            file=location.path,
            line=str(max(location.line, 1)),
        )
        failure = _child(case, "failure", message=problem.message, type=problem.code)
        failure.text = xml(problem.render())
    return _dump(root)


def render_check(check: CheckReport, *, color: bool = False) -> str:
    del color
    root = _element("testsuites", name="gatecheck")
    for item in check.subjects:
        if item.claims:  # a subject that claims nothing has nothing to test
            _subject_suite(root, item.result)
    suite = _child(root, "testsuite", name=CHECK_SUITE)
    properties = _child(suite, "properties")
    _property(properties, "base", check.base)
    _property(properties, "base_commit", check.base_commit)
    _property(properties, "now", check.now.isoformat())
    for entry in check.unverified:
        where = entry.location
        case = _child(
            suite,
            "testcase",
            classname=f"{CHECK_SUITE}.unverified-entries",
            name=f"{entry.kind} by {entry.who} ({where.path}:{where.line})",
            file=where.path,
            line=str(max(where.line, 1)),
        )
        _child(case, "failure", message=entry.message(), type="unverified-entry")
    for change in check.policy_changes:
        case = _child(
            suite,
            "testcase",
            classname=f"{CHECK_SUITE}.policy-changes",
            name=f"{change.path} ({change.change})",
            file=change.path,
        )
        message = change_message(change)
        if check.fails_on(change):
            _child(case, "failure", message=message, type="policy-change")
        else:
            _child(case, "skipped", message=message)
    for path in check.removed:
        case = _child(
            suite, "testcase", classname=f"{CHECK_SUITE}.removed-evidence", name=path, file=path
        )
        _child(case, "skipped", message=removed_message(path))
    return _dump(root)


def _subject_suite(root: Element, subject: SubjectResult) -> None:
    suite = _child(root, "testsuite", name=subject.subject)
    properties = _child(suite, "properties")
    _property(properties, "policy", subject.policy)
    _property(properties, "evidence", subject.evidence)
    _property(properties, "now", subject.now.isoformat())
    for gate in subject.gates:
        for rule in gate.rules:
            location = anchor(rule_location(rule), subject.evidence)
            case = _child(
                suite,
                "testcase",
                classname=f"{subject.subject}.{gate.gate}",
                name=rule.rule,
                file=location.path,
                line=str(location.line),
            )
            outcome = _OUTCOME.get(rule.status)
            if outcome == "skipped":
                _child(case, outcome, message=rule.message)
            elif outcome is not None:
                element = _child(case, outcome, message=rule.message, type=str(rule.status))
                body = [rule.title, *explain(rule, subject.evidence), f"source: {rule.source}"]
                element.text = xml("\n".join(body))


def _count(suite: Element) -> None:
    """Set a suite's counts from its testcases (and add them up on <testsuites>)."""
    cases = suite.findall("testcase")
    counts = {
        "tests": len(cases),
        "failures": sum(1 for case in cases if case.find("failure") is not None),
        "errors": sum(1 for case in cases if case.find("error") is not None),
        "skipped": sum(1 for case in cases if case.find("skipped") is not None),
    }
    for key, value in counts.items():
        suite.set(key, str(value))


def _dump(root: Element) -> str:
    from xml.etree.ElementTree import indent, tostring

    suites = root.findall("testsuite")
    for suite in suites:
        _count(suite)
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in suites)))
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _element(tag: str, **attributes: str) -> Element:
    from xml.etree.ElementTree import Element

    return Element(tag, {key: xml(value) for key, value in attributes.items()})


def _child(parent: Element, tag: str, **attributes: str) -> Element:
    element = _element(tag, **attributes)
    parent.append(element)
    return element


def _property(properties: Element, name: str, value: str) -> None:
    _child(properties, "property", name=name, value=value)

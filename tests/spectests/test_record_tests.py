"""`gatecheck record-tests`: reading result files, the mapping table, counts, and bad input."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.support.project import REPO

from gatecheck import limits as source
from gatecheck.errors import InvalidInput
from gatecheck.project.layout import open_project
from gatecheck.reporters.record_tests import render
from gatecheck.spectests import facts as spec_tests
from gatecheck.spectests import results as test_results
from gatecheck.spectests.mapping import load_map, split_name
from gatecheck.spectests.reported import ReportedTest
from gatecheck.spectests.results import read_results
from gatecheck.spectests.tally import FACTS, Counts, tally

if TYPE_CHECKING:
    from pathlib import Path

RESULTS = REPO / "tests" / "spec_results"
LIBTEST = RESULTS / "wast-cranelift.txt"
NEXTEST = RESULTS / "nextest.xml"
ROOT = "/home/runner/work/wasmtime/wasmtime/tests"
DAY = dt.date(2026, 8, 22)
TABLE = load_map()


def _problem(error: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str]:
    (problem,) = error.value.problems
    return problem.code, str(problem.location)


# The mapping table


def test_the_table_names_proposals_that_have_evidence_and_the_cli_compilers() -> None:
    from gatecheck.cli.record_tests import record_tests

    choices = next(p for p in record_tests.params if p.name == "compiler").type.choices  # type: ignore[attr-defined]
    assert tuple(TABLE.compilers) == tuple(choices)
    evidence = {path.stem for path in (REPO / "evidence").glob("*.yaml")}
    assert set(TABLE.proposals) - evidence == {"custom-descriptors"}  # no evidence for it yet
    assert all(patterns.paths for patterns in TABLE.proposals.values())


@pytest.mark.parametrize(
    ("relative", "proposals"),
    [
        ("proposals/threads/atomic.wast", ["threads"]),
        ("proposals/wide-arithmetic/wide-arithmetic.wast", ["wide-arithmetic"]),
        ("proposals/custom-page-sizes/memory_max.wast", ["custom-page-sizes"]),
        ("return_call.wast", ["tail-call"]),
        ("return_call_ref.wast", ["function-references", "tail-call"]),
        ("relaxed_madd_nmadd.wast", ["relaxed-simd"]),
        ("i8x16_relaxed_swizzle.wast", ["relaxed-simd"]),
        ("memory64.wast", ["memory64"]),
        ("memory64/simd.wast", ["memory64"]),
        ("i64.wast", []),
        ("f64.wast", []),
        ("extended-const/global.wast", ["extended-const"]),
        ("try_table.wast", ["exception-handling"]),
        ("legacy/throw.wast", []),
        ("array_copy.wast", ["gc"]),
        ("type-subtyping.wast", ["gc"]),
        ("br_on_null.wast", ["function-references"]),
        ("i32.wast", []),
        ("simd_f32x4.wast", []),
    ],
)
def test_mapping(relative: str, proposals: list[str]) -> None:
    assert sorted(TABLE.proposals_of(relative)) == proposals


@pytest.mark.parametrize(
    ("name", "compiler", "relative"),
    [
        (f"CraneliftNative/{ROOT}/spec_testsuite/i32.wast", "CraneliftNative", "i32.wast"),
        (
            f"Winch/pooling/Null/{ROOT}/spec_testsuite/proposals/threads/atomic.wast",
            "Winch",
            "proposals/threads/atomic.wast",
        ),
        (r"CraneliftPulley/C:\w\tests\spec_testsuite\gc\x.wast", "CraneliftPulley", "gc/x.wast"),
        ("tests/spec_testsuite/return_call.wast", None, "return_call.wast"),
        (f"CraneliftNative/{ROOT}/misc_testsuite/tail-call/a.wast", "CraneliftNative", None),
        ("config::tests::defaults", None, None),
    ],
)
def test_split_name(name: str, compiler: str | None, relative: str | None) -> None:
    assert split_name(name, TABLE) == (compiler, relative)


# Counting


def test_counts_per_proposal_for_one_compiler_merging_configurations_and_files() -> None:
    found = tally([read_results(str(LIBTEST)), read_results(str(NEXTEST))], TABLE, "cranelift")
    assert found.per_proposal == {
        "custom-descriptors": Counts(0, 0, 1),
        "function-references": Counts(2, 0, 0),
        "gc": Counts(1, 1, 0),  # array.wast failed with the Null collector only: failed
        "memory64": Counts(1, 0, 0),
        "relaxed-simd": Counts(1, 1, 0),
        "tail-call": Counts(3, 0, 0),  # pooling and the second file ran them again: once each
        "threads": Counts(1, 1, 0),
        "wide-arithmetic": Counts(0, 0, 1),
    }
    assert found.unmapped == ("br_if.wast", "f32.wast", "i32.wast", "i64.wast")
    assert (found.spec_tests, found.other_compilers, found.not_spec) == (17, 5, 1)


def test_another_compiler_counts_its_own_tests() -> None:
    found = tally([read_results(str(LIBTEST))], TABLE, "pulley")
    assert found.per_proposal == {"threads": Counts(1, 0, 0)}
    assert found.unmapped == ("i32.wast",)


def test_names_without_a_compiler_count_for_any_compiler() -> None:
    results = test_results.Results(
        "r.txt",
        "libtest",
        "0" * 64,
        (ReportedTest("spec_testsuite/return_call.wast", "failed"),),
    )
    assert tally([results], TABLE, "winch").per_proposal == {"tail-call": Counts(0, 1, 0)}


def test_fact_changes_carry_provenance_and_enable_only_tests_that_ran() -> None:
    results = read_results(str(LIBTEST))
    found = tally([results], TABLE, "cranelift")
    changes = spec_tests.fact_changes(Counts(3, 0, 1), found, TABLE, DAY)
    assert [(c.path, c.value) for c in changes] == [
        ("spec_tests.enabled", True),
        ("spec_tests.passed", 3),
        ("spec_tests.failed", 0),
        ("spec_tests.ignored", 1),
    ]
    source = changes[0].source
    assert source["file"] == "wast-cranelift.txt"
    assert source["collected_at"] == DAY
    assert results.sha256 in source["note"]
    assert "cranelift (CraneliftNative)" in source["note"]
    ignored_only = spec_tests.fact_changes(Counts(0, 0, 2), found, TABLE, DAY)
    assert [c.path for c in ignored_only] == [f"spec_tests.{k}" for k in FACTS]


def test_summary_golden(update_goldens: bool) -> None:
    found = tally([read_results(str(LIBTEST)), read_results(str(NEXTEST))], TABLE, "cranelift")
    project = open_project(str(REPO))
    plans = spec_tests.plan_subjects(project, TABLE, found=found, subjects=[], day=DAY)
    changed = {"tail-call": True, "threads": True, "gc": False}
    text = render(found, plans, changed, dry_run=False)
    text = text.replace(str(RESULTS), "RESULTS")
    golden = RESULTS / "summary.txt"
    if update_goldens:
        golden.write_text(text)
    assert text == golden.read_text()


def test_named_subjects_must_have_evidence_and_a_row_in_the_table() -> None:
    found = tally([read_results(str(LIBTEST))], TABLE, "cranelift")
    project = open_project(str(REPO))
    with pytest.raises(InvalidInput) as error:
        spec_tests.plan_subjects(
            project, TABLE, found=found, subjects=["tail-cal", "foo-bar"], day=DAY
        )
    codes = sorted((p.code, p.hint) for p in error.value.problems)
    assert codes == [
        ("unknown-subject", "did you mean 'tail-call'?"),
        ("unmapped-subject", f"known proposals: {', '.join(sorted(TABLE.proposals))}"),
    ]
    (plan,) = spec_tests.plan_subjects(project, TABLE, found=found, subjects=["memory64"], day=DAY)
    assert plan.counts == Counts(1, 0, 0)
    assert plan.evidence == "evidence/memory64.yaml"


# Bad input


def _write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    else:
        path.write_bytes(content)
    return str(path)


def test_a_file_of_neither_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.txt", "hello\nworld\n")
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    assert _problem(error) == ("not-test-results", f"{path}:1:1")


def test_malformed_xml_is_located(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "r.xml", '<testsuites>\n  <testsuite name="a">\n    <testcase name=x/>\n'
    )
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    assert _problem(error) == ("bad-xml", f"{path}:3:20")


def test_truncated_xml_is_located(tmp_path: Path) -> None:
    cut = NEXTEST.read_bytes()[:900]
    path = _write(tmp_path, "r.xml", cut)
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    code, location = _problem(error)
    assert code == "bad-xml"
    lines = cut.count(b"\n") + 1
    assert location == f"{path}:{lines}:9"  # inside the tag cut in two


@pytest.mark.parametrize(
    "doctype",
    [
        (
            '<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        ),
        '<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE testsuites SYSTEM "http://example.com/junit.dtd">',
    ],
)
def test_a_doctype_is_refused_before_any_entity_expands(tmp_path: Path, doctype: str) -> None:
    body = '<testsuites><testsuite><testcase name="&c;"/></testsuite></testsuites>'
    path = _write(tmp_path, "bomb.xml", f'<?xml version="1.0"?>\n{doctype}\n{body}')
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    assert _problem(error) == ("xml-doctype", f"{path}:2:1")


def test_xml_that_is_not_junit(tmp_path: Path) -> None:
    path = _write(tmp_path, "pom.xml", "<project><modelVersion>4</modelVersion></project>")
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    assert _problem(error) == ("not-test-results", f"{path}:1:1")
    empty = _write(tmp_path, "empty.xml", "<testsuites/>")
    with pytest.raises(InvalidInput) as error:
        read_results(empty)
    assert _problem(error) == ("not-test-results", f"{empty}:1:1")


def test_a_single_testsuite_root_and_error_results(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "one.xml",
        '<testsuite name="wast"><testcase name="a"><error/></testcase>'
        '<testcase name="b"><skipped/></testcase><testcase name="c"/></testsuite>',
    )
    assert read_results(path).outcomes == (
        ReportedTest("a", "failed"),
        ReportedTest("b", "ignored"),
        ReportedTest("c", "passed"),
    )


def test_too_large_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100)  # results are read as every file is
    path = _write(tmp_path, "big.txt", "x" * 101)
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    assert _problem(error) == ("file-too-large", f"{path}:1:1")
    assert error.value.problems[0].message == "file is 101 bytes; the limit is 100"
    assert "one file per test binary" in (error.value.problems[0].hint or "")


def test_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        read_results(str(tmp_path / "absent.txt"))
    assert error.value.problems[0].code == "unreadable"


def test_libtest_output_cut_off_before_its_summary(tmp_path: Path) -> None:
    text = LIBTEST.read_text().split("\nfailures:")[0]
    path = _write(tmp_path, "cut.txt", text)
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    assert error.value.problems[0].code == "results-truncated"


def test_libtest_summary_that_disagrees_with_its_lines(tmp_path: Path) -> None:
    text = LIBTEST.read_text().replace("test Winch/", "tset Winch/", 1)
    path = _write(tmp_path, "edited.txt", text)
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    code, location = _problem(error)
    assert (code, location) == ("results-mismatch", f"{path}:41:1")
    assert "18 passed" in error.value.problems[0].message


def test_terse_libtest_output_says_how_to_get_names(tmp_path: Path) -> None:
    text = "running 3 tests\n...\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured\n"
    path = _write(tmp_path, "terse.txt", text)
    with pytest.raises(InvalidInput) as error:
        read_results(path)
    assert "--format pretty" in (error.value.problems[0].hint or "")


def test_junitparser_is_imported_only_to_read_junit() -> None:
    code = "import sys, gatecheck.cli, gatecheck.spectests.results;"
    code += " print('junitparser' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# The command


def test_cli_bad_xml_exits_2_with_the_location(run_cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "r.xml", "<testsuites><testsuite>")
    result = run_cli("record-tests", path, "--root", str(REPO))
    assert result.exit_code == 2
    assert f"{path}:1:24: error: not well-formed XML: no element found [bad-xml]" in result.stderr


def test_cli_unknown_subject_exits_2(run_cli) -> None:
    result = run_cli("record-tests", str(LIBTEST), "--root", str(REPO), "--subject", "nope")
    assert result.exit_code == 2
    assert "[unknown-subject]" in result.stderr


def test_cli_no_spec_test_of_the_compiler(run_cli) -> None:
    result = run_cli("record-tests", str(NEXTEST), "--root", str(REPO), "--compiler", "pulley")
    assert result.exit_code == 2
    assert "no spec test of compiler pulley (CraneliftPulley)" in result.stderr
    assert "[no-spec-tests]" in result.stderr


def test_cli_format_libtest_on_xml_is_not_results(run_cli) -> None:
    result = run_cli("record-tests", str(NEXTEST), "--root", str(REPO), "--format", "libtest")
    assert result.exit_code == 2
    assert "[not-test-results]" in result.stderr


def test_cli_records_counts_and_dry_run_writes_nothing(run_cli, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for name in ("policies", "schemas", "evidence"):
        shutil.copytree(REPO / name, root / name)
    evidence = root / "evidence" / "threads.yaml"
    before = evidence.read_bytes()
    args = ("record-tests", str(LIBTEST), "--root", str(root), "--collected-at", "2026-08-22")
    dry = run_cli(*args, "--subject", "threads", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "+" in dry.stdout
    assert "evidence/threads.yaml would change" in dry.stdout
    assert evidence.read_bytes() == before
    wet = run_cli(*args, "--subject", "threads")
    assert wet.exit_code == 0, wet.stderr
    assert "evidence/threads.yaml updated" in wet.stdout
    assert run_cli("validate", "--root", str(root)).exit_code == 0
    again = run_cli(*args, "--subject", "threads")
    assert "evidence/threads.yaml unchanged" in again.stdout

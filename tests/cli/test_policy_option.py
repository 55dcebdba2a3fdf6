"""`evaluate --policy NAME@VERSION` and `plan --policy`: judge evidence by another version."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.project import REPO

if TYPE_CHECKING:
    from pathlib import Path

NOW = ("--now", "2026-11-25")


def _wasm_project(tmp_path: Path, *, waiver: str = "") -> Path:
    """Both bundled wasm-proposal versions, their schema, and evidence naming version 1."""
    root = tmp_path / "project"
    for name in ("policies", "schemas", "evidence"):
        (root / name).mkdir(parents=True)
    for name in (
        "wasm-proposal.yaml",
        "wasm-proposal.v2.yaml",
        "wasi-component-functionality.yaml",
    ):
        shutil.copy(REPO / "policies" / name, root / "policies")
    for name in (
        "wasm-proposal.facts.schema.json",
        "wasi-component-functionality.facts.schema.json",
    ):
        shutil.copy(REPO / "schemas" / name, root / "schemas")
    shutil.copy(REPO / "evidence" / "foo-bar-wasi.yaml", root / "evidence")
    fixture = (REPO / "policies" / "tests" / "fixtures" / "finished.yaml").read_text()
    (root / "evidence" / "finished.yaml").write_text(fixture + waiver)
    return root


def _json(run_cli, *args: str) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code in {0, 1}, result.stderr
    return json.loads(result.stdout)


def test_one_subject_compared_under_both_versions(run_cli, tmp_path: Path) -> None:
    root = str(_wasm_project(tmp_path))
    v1 = _json(run_cli, "evaluate", "finished", "--root", root, *NOW)
    v2 = _json(run_cli, "evaluate", "finished", "--root", root, *NOW, "--policy", "wasm-proposal@2")
    (first,), (second,) = v1["subjects"], v2["subjects"]
    assert (first["policy"], second["policy"]) == ("wasm-proposal@1", "wasm-proposal@2")
    assert first["evidence"] == second["evidence"] == "evidence/finished.yaml"
    assert [g["gate"] for g in first["gates"]] == ["enable-by-default", "docs-agree"]
    assert [g["gate"] for g in second["gates"]] == [
        "tier-2",
        "tier-1",
        "enable-by-default",
        "docs-agree",
    ]
    gate = second["gates"][2]
    rules = {rule["rule"]: rule["status"] for rule in gate["rules"]}
    assert "other-language" not in rules  # dropped in version 2
    assert rules["in-expected-proposals"] == "missing"  # v1's evidence lacks what v2 adds
    assert gate["claimed"] is True  # the evidence claims the gate, which v2 has too


def test_the_text_heading_and_stderr_name_the_policy_used(run_cli, tmp_path: Path) -> None:
    root = str(_wasm_project(tmp_path))
    result = run_cli("evaluate", "finished", "--root", root, *NOW, "--policy", "wasm-proposal@2")
    assert result.exit_code == 1
    assert result.stdout.startswith("finished  wasm-proposal@2  evidence/finished.yaml")
    assert result.stderr == "gatecheck: judged by wasm-proposal@2, as --policy asks\n"
    same = run_cli("evaluate", "finished", "--root", root, *NOW, "--policy", "wasm-proposal")
    assert same.stdout.startswith("finished  wasm-proposal@1  ")  # NAME alone: the default
    assert "judged by wasm-proposal@1" in same.stderr


def test_without_the_option_nothing_is_said(run_cli, tmp_path: Path) -> None:
    result = run_cli("evaluate", "finished", "--root", str(_wasm_project(tmp_path)), *NOW)
    assert result.stderr == ""


def test_plan_by_another_version(run_cli, tmp_path: Path) -> None:
    root = str(_wasm_project(tmp_path))
    result = run_cli(
        "plan", "finished", "--root", root, *NOW, "--policy", "wasm-proposal@2", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["policy"] == "wasm-proposal@2"
    steps = {step["step"]: step["status"] for step in plan["steps"]}
    assert steps["wasm-tools-in-wasmtime"] == "ready"  # a fact v1's evidence never recorded
    assert "other-languages" not in steps
    assert set(plan["remaining"]) == {"tier-2", "tier-1", "enable-by-default", "docs-agree"}


@pytest.mark.parametrize(
    ("ref", "message", "hint"),
    [
        (
            "wasm-proposal@3",
            "policy wasm-proposal has no version 3 (there is wasm-proposal@1, wasm-proposal@2)",
            "did you mean 'wasm-proposal@2'?",
        ),
        ("wasm-propsal@2", "no policy is named 'wasm-propsal'", "did you mean 'wasm-proposal@2'?"),
        ("wasm-proposal@two", "'wasm-proposal@two' is not NAME or NAME@VERSION", "did you mean"),
    ],
)
def test_an_unknown_policy_or_version_is_a_located_problem(
    run_cli, tmp_path: Path, ref: str, message: str, hint: str
) -> None:
    root = str(_wasm_project(tmp_path))
    for command in (("evaluate", "finished"), ("plan", "finished")):
        result = run_cli(*command, "--root", root, *NOW, "--policy", ref)
        assert result.exit_code == 2
        first, second, last = result.stderr.splitlines()
        assert first == f"policies/: error: --policy {ref}: {message} [unknown-policy]"
        assert second.startswith(f"  hint: {hint}")
        assert last == "gatecheck: 1 problem; nothing evaluated"
        assert result.stdout == ""


def test_machine_formats_get_the_problem_too(run_cli, tmp_path: Path) -> None:
    root = str(_wasm_project(tmp_path))
    result = run_cli(
        "evaluate", "finished", "--root", root, "--policy", "wasm-proposal@9", "--format", "json"
    )
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["code"] == "unknown-policy"


def test_a_subject_of_another_policy_is_not_judged_by_it(run_cli, tmp_path: Path) -> None:
    root = str(_wasm_project(tmp_path))
    result = run_cli(
        "evaluate", "finished", "foo-bar-wasi", "--root", root, "--policy", "wasm-proposal@2"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "evidence/foo-bar-wasi.yaml:4:9: error: --policy wasm-proposal@2: foo-bar-wasi is judged"
        " by policy wasi-component-functionality@1, not by a version of wasm-proposal"
        " [policy-mismatch]"
    )


def test_all_judges_the_subjects_of_that_policy_only(run_cli, tmp_path: Path) -> None:
    root = str(_wasm_project(tmp_path))
    data = _json(run_cli, "evaluate", "--all", "--root", root, *NOW, "--policy", "wasm-proposal@2")
    assert [(s["subject"], s["policy"]) for s in data["subjects"]] == [
        ("finished", "wasm-proposal@2")
    ]
    wasi = _json(
        run_cli,
        "evaluate",
        "--all",
        "--root",
        root,
        *NOW,
        "--policy",
        "wasi-component-functionality",
    )
    assert [s["subject"] for s in wasi["subjects"]] == ["foo-bar-wasi"]


def test_all_with_no_evidence_of_that_policy_is_an_error(run_cli, tmp_path: Path) -> None:
    root = _wasm_project(tmp_path)
    (root / "evidence" / "foo-bar-wasi.yaml").unlink()
    result = run_cli(
        "evaluate", "--all", "--root", str(root), "--policy", "wasi-component-functionality@1"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "evidence/: error: --all --policy wasi-component-functionality@1: no evidence file names"
        " policy wasi-component-functionality [no-evidence]"
    )


def test_evidence_must_be_valid_under_the_version_used(run_cli, tmp_path: Path) -> None:
    # A waiver of version 1's "other language" standard: valid for v1, a dangling reference in v2.
    waiver = (
        "waivers:\n  - {rule: other-language, reason: embeddings lag, approver: fitzgen,"
        " expires: 2026-12-31}\n"
    )
    root = str(_wasm_project(tmp_path, waiver=waiver))
    assert run_cli("evaluate", "finished", "--root", root, *NOW).exit_code in {0, 1}
    result = run_cli("evaluate", "finished", "--root", root, *NOW, "--policy", "wasm-proposal@2")
    assert result.exit_code == 2
    assert "waiver names rule 'other-language', which policy wasm-proposal@2 does not have" in (
        result.stderr
    )
    assert "[unknown-rule]" in result.stderr


def test_verdicts_do_not_leak_between_versions_through_the_cache(run_cli, tmp_path: Path) -> None:
    root = str(_wasm_project(tmp_path))
    args = ("evaluate", "finished", "--root", root, *NOW)
    first = [run_cli(*args, *extra).stdout for extra in ((), ("--policy", "wasm-proposal@2"))]
    again = [run_cli(*args, *extra).stdout for extra in ((), ("--policy", "wasm-proposal@2"))]
    assert first == again
    assert first[0] != first[1]


def test_the_bundled_evidence_under_version_2(run_cli) -> None:
    data = _json(
        run_cli, "evaluate", "--all", "--root", str(REPO), *NOW, "--policy", "wasm-proposal@2"
    )
    subjects = {s["subject"]: s for s in data["subjects"]}
    assert "foo-bar-wasi" not in subjects  # judged by another policy: left out
    assert "tail-call" in subjects
    assert {s["policy"] for s in subjects.values()} == {"wasm-proposal@2"}

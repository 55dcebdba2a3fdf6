"""`gatecheck check` on the pull request that adopts gatecheck: the base has no project yet."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest
from tests.support.git import MAINTAINER, commit, git

if TYPE_CHECKING:
    from pathlib import Path

NOW = "2026-12-01"  # after the dates in the evidence init writes


@pytest.fixture
def repo(tmp_path: Path, run_cli) -> Path:
    """main holds no project; the branch `adopt` adds what `gatecheck init` writes."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("a library\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "start", author=MAINTAINER)
    git(root, "checkout", "-q", "-b", "adopt")
    assert run_cli("init", str(root)).exit_code == 0
    return root


def check(run_cli, repo: Path, *args: str):
    return run_cli("check", "--root", str(repo), "--base", "main", "--now", NOW, *args)


def claim(repo: Path) -> None:
    evidence = repo / "evidence" / "mylib.yaml"
    evidence.write_text(evidence.read_text() + "claims: [release]\n")


def test_the_adoption_claiming_nothing_passes_and_lists_the_policies(run_cli, repo: Path) -> None:
    commit(repo, "adopt gatecheck")
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert [(s["subject"], s["change"], s["claims"]) for s in data["subjects"]] == [
        ("mylib", "added", [])
    ]
    assert [(c["path"], c["change"], c["fails"]) for c in data["policy_changes"]] == [
        ("policies/release.yaml", "added", False),
        ("schemas/release.facts.schema.json", "added", False),
    ]


def test_the_adoption_fails_with_fail_on_policy_change(run_cli, repo: Path) -> None:
    result = check(run_cli, repo, "--fail-on-policy-change")
    assert result.exit_code == 1
    assert "2 policy changes to review (fails the check)" in result.stdout


def test_a_claim_in_the_adoption_is_refused_not_judged_by_its_own_policy(
    run_cli, repo: Path
) -> None:
    claim(repo)
    # refused whatever the change's own policy would say of it: no gate is judged
    result = check(run_cli, repo)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "release: claimed at evidence/mylib.yaml:" in result.stdout
    assert "gate release" not in result.stdout
    assert "refused, not judged: policy release@1 is new in this change" in result.stdout
    assert result.stdout.endswith(
        "1 subject checked, 1 claim: 0 hold, 1 refused; 2 policy changes to review"
        " (fails the check)\n"
    )
    markdown = check(run_cli, repo, "--format", "markdown").stdout
    assert markdown.startswith("## gatecheck check: ❌ 1 claim of a new policy refused;")
    assert "### ❌ mylib" in markdown
    github = check(run_cli, repo, "--format", "github").stdout
    assert (
        "::error file=policies/release.yaml,line=1,col=1,title=Policy change needs a maintainer's"
        " review::policies/release.yaml is added: policy release is new in this change"
    ) in github
    assert (
        "policies/release.yaml (policy release is new in this change: a claim is judged by the"
        " base's policies; land the project first, then claim (claimed by mylib))"
        " - claims in the same change: refused"
    ) in " ".join(result.stdout.split())


def test_an_invalid_file_in_the_adoption_is_reported_as_the_changes(run_cli, repo: Path) -> None:
    evidence = repo / "evidence" / "mylib.yaml"
    evidence.write_text(evidence.read_text().replace("policy: release", "policy: relase"))
    result = check(run_cli, repo)
    assert result.exit_code == 2
    assert "[unknown-policy]" in result.stderr
    assert "base" not in result.stderr  # it is the change's own evidence and policy


def test_the_adoption_without_a_configuration_passes_too(run_cli, repo: Path) -> None:
    (repo / "gatecheck.toml").unlink()
    result = check(run_cli, repo)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "No claims (added by the change): mylib" in result.stdout


def test_directories_named_on_the_command_line_are_still_read_at_the_base(
    run_cli, repo: Path
) -> None:
    # --policies is the user's word that the base has them: none there is a problem, as before
    (repo / "gatecheck.toml").unlink()
    result = check(run_cli, repo, "--policies", str(repo / "policies"))
    assert result.exit_code == 2
    assert "[no-policies]" in result.stderr


def test_a_project_on_main_cannot_pass_for_an_adoption(run_cli, repo: Path) -> None:
    """Deleting the configuration does not make a change an adoption: the base's policy judges."""
    commit(repo, "adopt gatecheck")
    git(repo, "branch", "-f", "main")  # the project has landed
    (repo / "gatecheck.toml").unlink()
    policy = repo / "policies" / "release.yaml"
    relaxed = policy.read_text().replace("eq: 0", "lte: 5")
    assert relaxed != policy.read_text()
    policy.write_text(relaxed)
    claim(repo)
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (subject,) = data["subjects"]
    assert [(g["gate"], g["status"]) for g in subject["gates"]] == [("release", "fail")]
    assert all("new in this change" not in (c["detail"] or "") for c in data["policy_changes"])


def test_deleting_the_project_to_adopt_it_again_is_refused(run_cli, repo: Path) -> None:
    commit(repo, "adopt gatecheck")
    git(repo, "branch", "-f", "main")
    (repo / "gatecheck.toml").unlink()
    shutil.rmtree(repo / "policies")
    shutil.rmtree(repo / "schemas")
    claim(repo)
    result = check(run_cli, repo)
    assert result.exit_code == 2
    assert "[deleted-directory]" in result.stderr

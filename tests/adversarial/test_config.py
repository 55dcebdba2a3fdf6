"""Attacks through the project's configuration: a change that says where its own judges are.

`gatecheck.toml` (or `[tool.gatecheck]` in pyproject.toml) names the policies, evidence and
schemas directories. A change can edit it like any file, so read from the working tree alone it
would let a pull request point the policies at a lax directory the base already holds (a test
fixture) and then claim a gate its evidence does not show. Each attack below claims gate `ship`
with evidence that fails it, and must not pass.
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.check_repos import NOW, PASSING, new_repository
from tests.support.git import MAINTAINER, commit, git

if TYPE_CHECKING:
    from pathlib import Path

ATTACKER = "Mallory <mallory@example.org>"
# Tests fail, so gate ship fails, and the evidence claims it all the same.
FALSE_CLAIM = PASSING.replace("failed: 0", "failed: 3").replace("claims: []", "claims: [ship]")
LAX_RULE = "require: {fact: build.ok, exists: true}"


def lax_policies(repo: Path, into: str, source: str = "policies") -> None:
    """A copy of the release policy whose every rule passes on any recorded build."""
    policy = (repo / source / "release.yaml").read_text()
    lines = []
    skipping = False
    for line in policy.splitlines():
        stripped = line.lstrip()
        if skipping and line.startswith(" " * 10):
            continue  # the rest of a multi-line `require:`
        skipping = False
        if stripped.startswith("require:"):
            lines.append(line[: len(line) - len(stripped)] + LAX_RULE)
            skipping = stripped == "require:"
            continue
        lines.append(line)
    (repo / into).mkdir(parents=True)
    (repo / into / "release.yaml").write_text("\n".join(lines) + "\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return new_repository(tmp_path / "repo")


def land_on_main(repo: Path, message: str = "reviewed on main") -> None:
    git(repo, "checkout", "-q", "main")
    git(repo, "add", "-A")
    commit(repo, message, author=MAINTAINER)
    git(repo, "checkout", "-q", "-B", "change")


def attack(repo: Path) -> None:
    (repo / "evidence" / "lib.yaml").write_text(FALSE_CLAIM)
    git(repo, "add", "-A")
    commit(repo, "attack", author=ATTACKER)


def run_check(run_cli, repo: Path, *args: str) -> tuple[int, dict[str, Any] | None, str]:
    result = run_cli(
        "check", "--root", str(repo), "--now", NOW, "--author", "mallory", "--format", "json",
        *args,
    )  # fmt: skip
    data = json.loads(result.stdout) if result.exit_code in {0, 1} else None
    return result.exit_code, data, result.stderr


def test_the_lax_fixture_would_pass_the_false_claim(run_cli, repo: Path) -> None:
    """The premise: judged by the fixture's policies, the false claim holds."""
    lax_policies(repo, "fixtures/policies")
    land_on_main(repo, "a lax test fixture")
    attack(repo)
    code, _, _ = run_check(run_cli, repo, "--policies", str(repo / "fixtures" / "policies"))
    assert code == 0
    code, data, _ = run_check(run_cli, repo)
    assert code == 1  # judged by policies/, as the base keeps them
    assert data is not None
    assert data["subjects"][0]["gates"][0]["status"] == "fail"


def test_a_config_pointing_at_a_lax_directory_the_base_holds_is_refused(
    run_cli, repo: Path
) -> None:
    lax_policies(repo, "fixtures/policies")
    land_on_main(repo, "a lax test fixture")
    (repo / "gatecheck.toml").write_text('# moved\npolicies = "fixtures/policies"\n')
    attack(repo)
    code, _, stderr = run_check(run_cli, repo)
    assert code == 2
    assert "gatecheck.toml:2:1: error: the change moves the project's policies from policies/" in (
        stderr
    )
    assert "to fixtures/policies/" in stderr
    assert "[config-changed]" in stderr
    assert stderr.count("[config-changed]") == 1  # schemas beside the policies: not said twice


def test_a_config_pointing_at_a_new_directory_is_refused(run_cli, repo: Path) -> None:
    lax_policies(repo, "lax")
    (repo / "gatecheck.toml").write_text('policies = "lax"\nschemas = "schemas"\n')
    attack(repo)
    code, _, stderr = run_check(run_cli, repo)
    assert code == 2
    assert "moves the project's policies from policies/ (the default) to lax/" in stderr


def test_a_tool_table_in_pyproject_is_read_at_the_base_too(run_cli, repo: Path) -> None:
    lax_policies(repo, "fixtures/policies")
    land_on_main(repo, "a lax test fixture")
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "lib"\n\n[tool.gatecheck]\npolicies = "fixtures/policies"\n'
    )
    attack(repo)
    code, _, stderr = run_check(run_cli, repo)
    assert code == 2
    assert "pyproject.toml:5:1: error: the change moves the project's policies" in stderr


def test_removing_the_base_configuration_is_refused(run_cli, repo: Path) -> None:
    """The base keeps its policies in gov/; deleting the configuration would judge by policies/."""
    shutil.move(repo / "policies", repo / "gov")
    lax_policies(repo, "policies", source="gov")
    (repo / "gatecheck.toml").write_text('policies = "gov"\n')
    land_on_main(repo, "policies live in gov/")
    (repo / "gatecheck.toml").unlink()
    attack(repo)
    code, _, stderr = run_check(run_cli, repo)
    assert code == 2
    assert "gatecheck.toml: error: the change moves the project's policies from gov/" in stderr
    assert "to policies/ (the default)" in stderr


def test_moving_the_evidence_is_refused(run_cli, repo: Path) -> None:
    """Evidence judged from elsewhere would leave the edited file unjudged, then judged later."""
    shutil.copytree(repo / "evidence", repo / "elsewhere")
    (repo / "gatecheck.toml").write_text('evidence = "elsewhere"\n')
    attack(repo)
    code, _, stderr = run_check(run_cli, repo)
    assert code == 2
    assert "moves the project's evidence from evidence/ (the default) to elsewhere/" in stderr


def test_spelling_out_the_defaults_moves_nothing(run_cli, repo: Path) -> None:
    (repo / "gatecheck.toml").write_text(
        'policies = "policies"\nevidence = "./evidence"\nschemas = "schemas"\n'
    )
    attack(repo)
    code, data, stderr = run_check(run_cli, repo)
    assert code == 1, stderr  # judged, and the false claim refused
    assert data is not None
    assert data["subjects"][0]["gates"][0]["status"] == "fail"


def test_a_configuration_the_base_already_had_is_used_at_the_base(run_cli, repo: Path) -> None:
    shutil.move(repo / "policies", repo / "gov")
    (repo / "gatecheck.toml").write_text('policies = "gov"\n')
    land_on_main(repo, "policies live in gov/")
    lax_policies(repo, "policies", source="gov")  # a lax policies/ the change adds: not used
    attack(repo)
    code, data, stderr = run_check(run_cli, repo)
    assert code == 1, stderr
    assert data is not None
    assert data["subjects"][0]["gates"][0]["status"] == "fail"


def test_directories_named_on_the_command_line_are_the_same_on_both_sides(
    run_cli, repo: Path
) -> None:
    (repo / "gatecheck.toml").write_text('policies = "elsewhere"\n')
    attack(repo)
    code, data, stderr = run_check(run_cli, repo, "--policies", str(repo / "policies"))
    assert code == 1, stderr
    assert data is not None
    assert data["subjects"][0]["gates"][0]["status"] == "fail"


def test_a_project_in_a_subdirectory_is_located_from_the_top(run_cli, tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    sub = repo / "release"
    sub.mkdir()
    for name in ("policies", "evidence", "schemas"):
        shutil.move(repo / name, sub / name)
    land_on_main(repo, "the project moves to release/")
    lax_policies(sub, "lax")
    (sub / "gatecheck.toml").write_text('policies = "lax"\n')
    (sub / "evidence" / "lib.yaml").write_text(FALSE_CLAIM)
    git(repo, "add", "-A")
    commit(repo, "attack", author=ATTACKER)
    code, _, stderr = run_check(run_cli, sub)
    assert code == 2
    assert "release/gatecheck.toml:1:1: error: the change moves the project's policies" in stderr


def test_a_broken_base_configuration_is_said_to_be_the_bases(run_cli, repo: Path) -> None:
    (repo / "gatecheck.toml").write_text("policies = [\n")
    git(repo, "checkout", "-q", "main")
    git(repo, "add", "-A")
    commit(repo, "broken", author=MAINTAINER)
    git(repo, "checkout", "-q", "-B", "change")
    (repo / "gatecheck.toml").unlink()
    attack(repo)
    code, _, stderr = run_check(run_cli, repo)
    assert code == 2
    assert "gatecheck.toml:" in stderr
    assert "invalid TOML" in stderr
    assert "(at the base, " in stderr

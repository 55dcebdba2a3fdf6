"""gatecheck in CI: the pre-commit hooks.

The hooks run for real: `pre-commit try-repo` installs this repository into a fresh virtualenv
(from the package registry; marked `slow`, so `-m "not slow"` leaves them out) and runs them in a
git repository made for the test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from ruamel.yaml import YAML
from tests.conftest import REPO, SHARED
from tests.test_check import PASSING, commit, git

if TYPE_CHECKING:
    from pathlib import Path

BIN = os.path.dirname(sys.executable)
HOOKS = REPO / ".pre-commit-hooks.yaml"
TRY_REPO_TIMEOUT = 600  # seconds: a virtualenv and a pip install of this repository


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text())


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 120)
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


# -- pre-commit hooks ------------------------------------------------------------------------------


def test_the_hooks_manifest_is_valid() -> None:
    done = run(os.path.join(BIN, "pre-commit"), "validate-manifest", str(HOOKS))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_hooks_run_gatecheck_on_the_whole_project() -> None:
    hooks = {hook["id"]: hook for hook in load(HOOKS)}
    assert {name: hook["entry"] for name, hook in hooks.items()} == {
        "gatecheck-validate": "gatecheck validate",
        "gatecheck-check": "gatecheck check",
    }
    for hook in hooks.values():
        assert hook["language"] == "python"  # pre-commit pip-installs this repository
        assert hook["pass_filenames"] is False  # gatecheck reads the project, not a file list


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("policies/wasm-proposal.yaml", True),
        ("evidence/tail-call.yaml", True),
        ("evidence/foo-bar.yml", True),
        ("schemas/wasm-proposal.facts.schema.json", True),
        ("policies/tests/gates.yaml", True),
        ("governance/policies/release.yaml", True),  # a project in a subdirectory
        ("README.md", False),
        ("engine/gatecheck/cli.py", False),
        ("policies/NOTES.md", False),
        ("mypolicies/p.yaml", False),
    ],
)
def test_the_hooks_run_only_when_project_files_change(path: str, runs: bool) -> None:
    for hook in load(HOOKS):
        assert bool(re.search(hook["files"], path)) is runs, (hook["id"], path)


@pytest.fixture(scope="session")
def pre_commit_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """pre-commit's home, and a home directory, for this session only."""
    home = tmp_path_factory.mktemp("home")
    return {
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit")),
        # pre-commit drops GIT_CONFIG_GLOBAL and GIT_CONFIG_NOSYSTEM from the environment of the
        # git commands it runs itself (cloning the hook repository): an empty home is what keeps
        # the user's ~/.gitconfig out of those.
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),  # pip's and virtualenv's caches, shared by runs
    }


@pytest.fixture
def try_repo(pre_commit_dirs: dict[str, str]):
    """Run every hook of this repository with `pre-commit try-repo` in a project repository."""
    if not (REPO / ".git").exists():
        pytest.skip("try-repo needs this project as a git repository")

    def invoke(project: Path) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,  # GATECHECK_CACHE_DIR: this test's own, set by conftest
            **pre_commit_dirs,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Cy Contributor",
            "GIT_AUTHOR_EMAIL": "cy@example.org",
            "GIT_COMMITTER_NAME": "Cy Contributor",
            "GIT_COMMITTER_EMAIL": "cy@example.org",
            "NO_COLOR": "1",
        }
        pre_commit = os.path.join(BIN, "pre-commit")
        args = (pre_commit, "try-repo", str(REPO), "--all-files", "--color", "never")
        return run(*args, cwd=project, env=env, timeout=TRY_REPO_TIMEOUT)

    return invoke


@pytest.fixture
def project_repo(tmp_path: Path) -> Path:
    """A small project in git: on main the shared project with passing evidence; HEAD a branch."""
    root = tmp_path / "project"
    shutil.copytree(SHARED, root)
    (root / "evidence" / "lib.yaml").write_text(PASSING)
    git(root, "init", "-q", "-b", "main")
    commit(root, "start", author="Ana Maintainer <ana@example.org>")
    git(root, "checkout", "-q", "-b", "change")
    return root


def hook_line(output: str, name: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith(name + ".")]
    return line.rsplit(".", 1)[-1]


@pytest.mark.slow
def test_pre_commit_passes_a_claim_the_evidence_supports(project_repo: Path, try_repo) -> None:
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text(PASSING.replace("claims: []", "claims: [ship]"))
    commit(project_repo, "claim ship")
    done = try_repo(project_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert hook_line(output, "gatecheck validate") == "Passed"
    assert hook_line(output, "gatecheck check") == "Passed"


@pytest.mark.slow
def test_pre_commit_refuses_a_claim_beyond_the_evidence(project_repo: Path, try_repo) -> None:
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text(PASSING.replace("failed: 0", "failed: 2").replace("[]", "[ship]"))
    commit(project_repo, "claim ship with failing tests")
    done = try_repo(project_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert hook_line(output, "gatecheck validate") == "Passed"
    assert hook_line(output, "gatecheck check") == "Failed"
    assert "gate ship: FAIL" in output
    assert "tests.failed is 2; expected == 0" in output
    assert "at evidence/lib.yaml:6:32" in output


@pytest.mark.slow
def test_pre_commit_reports_invalid_evidence(project_repo: Path, try_repo) -> None:
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text("subject: lib\npolicy: release\nfacts: {tests: {failed: two}}\n")
    commit(project_repo, "break the evidence")
    done = try_repo(project_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert hook_line(output, "gatecheck validate") == "Failed"
    assert hook_line(output, "gatecheck check") == "Failed"
    assert output.count("evidence/lib.yaml:3:25: error: ") == 2  # once for each hook
    assert "- exit code: 2" in output
    assert "Traceback" not in output

"""gatecheck in CI: the pre-commit hooks, the GitHub Action and the example workflow.

The hooks run for real: pre-commit installs this checkout (as `try-repo` would: its work tree,
committed to a repository of its own) into a fresh virtualenv, from the package registry, once a
run (marked `slow`, so `-m "not slow"` leaves them out), and runs them in a git repository made
for each test. The action and the workflow are checked against GitHub's own
schemas (vendored by check-jsonschema), and the action's shell steps are run with bash the way a
runner runs them, with a stand-in `gatecheck` (or the installed one) on a real repository.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from ruamel.yaml import YAML
from tests.support.check_repos import PASSING, new_repository
from tests.support.git import commit, git_env
from tests.support.project import REPO
from tests.support.shared_run import made_once, run_directory

if TYPE_CHECKING:
    from pathlib import Path

BIN = os.path.dirname(sys.executable)
ACTION = REPO / "action.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
WORKFLOW = REPO / "docs" / "examples" / "gatecheck.yml"
CI_DOC = REPO / "docs" / "ci.md"
TRY_REPO_TIMEOUT = 600  # seconds: a virtualenv and a pip install of this repository


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text())


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 120)
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


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


def test_the_documented_pre_commit_config_is_valid(tmp_path: Path) -> None:
    (block,) = [text for text in yaml_blocks(CI_DOC.read_text()) if text.startswith("repos:")]
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(block)
    done = run(os.path.join(BIN, "pre-commit"), "validate-config", str(config))
    assert done.returncode == 0, done.stdout + done.stderr
    ids = {hook["id"] for repo in load(config)["repos"] for hook in repo["hooks"]}
    assert ids <= {hook["id"] for hook in load(HOOKS)}


@pytest.fixture(scope="session")
def pre_commit_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """pre-commit's home, and a home directory, for this run only (shared by its xdist workers:
    pre-commit locks its store, so the hooks' virtualenv is built once, not once a test)."""
    shared = run_directory(tmp_path_factory) / "pre-commit-run"
    home = shared / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PRE_COMMIT_HOME": str(shared / "store"),
        # pre-commit drops GIT_CONFIG_GLOBAL and GIT_CONFIG_NOSYSTEM from the environment of the
        # git commands it runs itself (cloning the hook repository): an empty home is what keeps
        # the user's ~/.gitconfig out of those.
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),  # pip's and virtualenv's caches, shared by runs
    }


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's files as they are in the work tree (uncommitted changes and new files
    included, as `pre-commit try-repo` takes them), committed to a repository of their own: its
    path and commit, made once for the run, so every test names the same hook repository."""
    import shutil

    if not (REPO / ".git").exists():
        pytest.skip("the hooks are installed from this project as a git repository")

    def snapshot_of_the_work_tree(snapshot: Path) -> None:
        listed = run("git", "-C", str(REPO), "ls-files", "-z", "-c", "-o", "--exclude-standard")
        assert listed.returncode == 0, listed.stderr
        for name in sorted(set(filter(None, listed.stdout.split("\0")))):
            source, target = REPO / name, snapshot / name
            if source.is_symlink() or source.is_file():  # a deleted file is left out
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target, follow_symlinks=False)
        made = run("git", "init", "-q", "-b", "main", str(snapshot), env=git_env())
        assert made.returncode == 0, made.stderr
        commit(snapshot, "the work tree of this checkout")

    snapshot = made_once(tmp_path_factory, "hook-repository", snapshot_of_the_work_tree)
    head = run("git", "-C", str(snapshot), "rev-parse", "HEAD", env=git_env())
    assert head.returncode == 0, head.stderr
    return snapshot, head.stdout.strip()


@pytest.fixture
def run_hooks(pre_commit_dirs: dict[str, str], hook_repository: tuple[Path, str], tmp_path: Path):
    """Run every hook of this repository with `pre-commit run --all-files` in a project
    repository, from a configuration naming the hook repository as a user's names this one."""
    repository, rev = hook_repository
    config = tmp_path / "pre-commit-config.yaml"  # outside the project: nothing to stage there
    hooks = "".join(f"      - id: {hook['id']}\n" for hook in load(HOOKS))
    config.write_text(f"repos:\n  - repo: {repository}\n    rev: {rev}\n    hooks:\n{hooks}")

    def invoke(project: Path) -> subprocess.CompletedProcess[str]:
        env = {
            **git_env(),  # os.environ (GATECHECK_CACHE_DIR: this test's own), git isolated
            **pre_commit_dirs,
            "NO_COLOR": "1",
        }
        pre_commit = os.path.join(BIN, "pre-commit")
        args = (pre_commit, "run", "-c", str(config), "--all-files", "--color", "never")
        return run(*args, cwd=project, env=env, timeout=TRY_REPO_TIMEOUT)

    return invoke


@pytest.fixture
def project_repo(tmp_path: Path) -> Path:
    return new_repository(tmp_path / "project")


def hook_line(output: str, name: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith(name + ".")]
    return line.rsplit(".", 1)[-1]


@pytest.mark.slow
def test_pre_commit_passes_a_claim_the_evidence_supports(project_repo: Path, run_hooks) -> None:
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text(PASSING.replace("claims: []", "claims: [ship]"))
    commit(project_repo, "claim ship")
    done = run_hooks(project_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert hook_line(output, "gatecheck validate") == "Passed"
    assert hook_line(output, "gatecheck check") == "Passed"


@pytest.mark.slow
def test_pre_commit_refuses_a_claim_beyond_the_evidence(project_repo: Path, run_hooks) -> None:
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text(PASSING.replace("failed: 0", "failed: 2").replace("[]", "[ship]"))
    commit(project_repo, "claim ship with failing tests")
    done = run_hooks(project_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert hook_line(output, "gatecheck validate") == "Passed"
    assert hook_line(output, "gatecheck check") == "Failed"
    assert "gate ship: FAIL" in output
    assert "tests.failed is 2; expected 0" in output
    assert "at evidence/lib.yaml:6:32" in output


@pytest.mark.slow
def test_pre_commit_reports_invalid_evidence(project_repo: Path, run_hooks) -> None:
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text("subject: lib\npolicy: release\nfacts: {tests: {failed: two}}\n")
    commit(project_repo, "break the evidence")
    done = run_hooks(project_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert hook_line(output, "gatecheck validate") == "Failed"
    assert hook_line(output, "gatecheck check") == "Failed"
    assert output.count("evidence/lib.yaml:3:25: error: ") == 2  # once for each hook
    assert "- exit code: 2" in output
    assert "Traceback" not in output


# -- the GitHub Action and the example workflow ----------------------------------------------------


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return run(os.path.join(BIN, "check-jsonschema"), "--builtin-schema", schema, str(path))


def test_the_action_matches_githubs_schema() -> None:
    done = check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_example_workflow_matches_githubs_schema() -> None:
    done = check_jsonschema("vendor.github-workflows", WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_catches_a_broken_action(tmp_path: Path) -> None:
    broken = tmp_path / "action.yml"
    broken.write_text(ACTION.read_text().replace("using: composite", "using: compost"))
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1


_INPUT = re.compile(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)|\binputs\[\s*'([^']+)'\s*\]")


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in (key, *_strings(value))]
    if isinstance(node, list):
        return [text for item in node for text in _strings(item)]
    return []


def test_every_input_is_declared_and_used() -> None:
    action = load(ACTION)
    used = {
        next(name for name in match.groups() if name)
        for text in _strings(action["runs"])
        for match in _INPUT.finditer(text)
    }
    assert used == set(action["inputs"])
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert "default" in spec or spec.get("required"), name


def test_the_action_passes_values_to_the_shell_through_the_environment() -> None:
    """`${{ }}` pasted into a script would let a branch name or an argument run as a command."""
    for step in load(ACTION)["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def test_the_example_workflow_uses_the_action_as_documented() -> None:
    workflow = load(WORKFLOW)
    # no `paths` filter: a required status check must run on every pull request (docs/ci.md)
    assert "pull_request" in workflow["on"]
    assert not (workflow["on"]["pull_request"] or {}).get("paths")
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    checkout, gatecheck = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0  # the base must be in the clone
    assert set(gatecheck.get("with", {})) <= set(load(ACTION)["inputs"])


def test_the_docs_show_the_example_workflow() -> None:
    assert WORKFLOW.read_text() in yaml_blocks(CI_DOC.read_text())


# -- the action's shell steps, run as a runner runs them -------------------------------------------

STAND_IN = """\
#!/usr/bin/env bash
# A stand-in for gatecheck: logs its arguments and answers in the format asked.
printf '%s\\n' "$*" >> "$STAND_IN_LOG"
case "${@: -1}" in
  github) echo "::error file=evidence/lib.yaml,line=6,col=32::a finding" ;;
  markdown) echo "## gatecheck check: a summary" ;;
  sarif) echo '{"version": "2.1.0", "runs": []}' ;;
esac
if [ "$STAND_IN_STATUS" = 2 ]; then
  echo "evidence/lib.yaml:3:25: error: tests.failed: not an integer, 100% [schema-violation]" >&2
  echo "  hint: fix it, then run again" >&2
  echo ".: error: --base main: no such commit in this repository [unknown-ref]" >&2
  echo "gatecheck: 2 problems; nothing evaluated" >&2
fi
exit "$STAND_IN_STATUS"
"""


class Runner:
    """Runs the action's `run` steps with bash, as GitHub does (`bash -e -o pipefail`)."""

    def __init__(self, tmp_path: Path, inputs: dict[str, str], gatecheck: str) -> None:
        action = load(ACTION)
        self.steps = {step.get("id", step["name"]): step for step in action["runs"]["steps"]}
        self.tmp = tmp_path
        self.summary = tmp_path / "summary.md"
        self.summary.touch()
        self.context = {
            f"inputs.{name}": spec["default"] for name, spec in action["inputs"].items()
        }
        self.context |= {f"inputs.{name}": value for name, value in inputs.items()}
        self.context["steps.install.outputs.gatecheck"] = gatecheck
        self.context["steps.approvals.outputs.logins"] = ""  # until the approvals step runs
        self.context["github.repository"] = "acme/widgets"
        self.outputs: dict[str, str] = {}

    def value(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            return self.context[match.group(1)]  # KeyError: an expression this runner lacks

        return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", replace, text)

    def step(self, name: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
        step = self.steps[name]
        assert step["shell"] == "bash"
        output = self.tmp / f"output-{name}"
        output.write_text("")
        env = {
            **os.environ,
            **{key: self.value(str(value)) for key, value in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.tmp),
        }
        script = self.tmp / f"{name}.sh"
        script.write_text(step["run"])
        done = run(
            "bash",
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            str(script),
            cwd=cwd,
            env=env,
            timeout=timeout,
        )
        found = dict(line.split("=", 1) for line in output.read_text().splitlines())
        self.outputs |= found
        self.context |= {f"steps.{name}.outputs.{key}": value for key, value in found.items()}
        return done


@pytest.fixture
def stand_in(tmp_path: Path) -> str:
    path = tmp_path / "bin" / "gatecheck"
    path.parent.mkdir()
    path.write_text(STAND_IN)
    path.chmod(0o755)
    return str(path)


PR_INPUTS = {  # as the defaults give them in a pull request
    "base": "1a2b3c4d",
    "author": "octocat",
    "pull-request": "",
    "head": "",
    "token": "",
}

FAKE_GH = """\
#!/usr/bin/env bash
# A stand-in for the GitHub CLI: logs its arguments and prints the reviews, as --jq would.
printf '%s\\n' "$*" >> "$GH_LOG"
cat "$GH_REVIEWS"
exit "${GH_STATUS:-0}"
"""

# login, state, commit: in the order GitHub lists a pull request's reviews (oldest first)
REVIEWS = [
    ("alice", "APPROVED", "head"),  # counts
    ("bob", "APPROVED", "older"),  # approved a commit before the head: does not count
    ("carol", "APPROVED", "head"),
    ("carol", "CHANGES_REQUESTED", "head"),  # then asked for changes: does not count
    ("dave", "CHANGES_REQUESTED", "older"),
    ("dave", "APPROVED", "head"),  # then approved the head: counts
    ("dave", "COMMENTED", "head"),  # a comment changes nothing
    ("erin", "APPROVED", "head"),
    ("erin", "DISMISSED", "head"),  # the approval was dismissed
    ("", "APPROVED", "head"),  # a deleted account (ghost)
]


@pytest.fixture
def fake_gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    gh = tmp_path / "gh-bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    reviews = tmp_path / "reviews.tsv"
    reviews.write_text("".join(f"{login}\t{state}\t{sha}\n" for login, state, sha in REVIEWS))
    monkeypatch.setenv("PATH", f"{gh.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GH_LOG", str(tmp_path / "gh-calls"))
    monkeypatch.setenv("GH_REVIEWS", str(reviews))
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/widgets")
    return tmp_path / "gh-calls"


def test_the_action_passes_the_approvals_of_the_head_commit(
    tmp_path: Path, stand_in: str, fake_gh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAND_IN_LOG", str(tmp_path / "calls"))
    monkeypatch.setenv("STAND_IN_STATUS", "0")
    inputs = {**PR_INPUTS, "pull-request": "42", "head": "head", "approved-by": "frank,grace"}
    runner = Runner(tmp_path, inputs, stand_in)
    approvals = runner.step("approvals", tmp_path)
    assert approvals.returncode == 0, approvals.stderr
    assert fake_gh.read_text().startswith("api --paginate repos/acme/widgets/pulls/42/reviews ")
    runner.step("check", tmp_path)
    first = (tmp_path / "calls").read_text().splitlines()[0]
    assert "--author octocat --approved-by alice --approved-by dave " in first
    assert "--approved-by frank --approved-by grace --format github" in first
    for refused in ("bob", "carol", "erin"):
        assert refused not in first


def test_the_action_fails_when_it_cannot_read_the_reviews(
    tmp_path: Path, stand_in: str, fake_gh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_STATUS", "1")
    runner = Runner(tmp_path, {**PR_INPUTS, "pull-request": "42", "head": "head"}, stand_in)
    approvals = runner.step("approvals", tmp_path)
    assert approvals.returncode == 1
    assert "::error::gatecheck cannot read the pull request's reviews" in approvals.stdout


def test_the_action_reads_no_reviews_outside_a_pull_request(
    tmp_path: Path, stand_in: str, fake_gh: Path
) -> None:
    runner = Runner(tmp_path, PR_INPUTS, stand_in)
    assert runner.step("approvals", tmp_path).returncode == 0
    assert not fake_gh.exists()
    assert runner.outputs["logins"].strip() == ""


@pytest.mark.slow
def test_the_installed_gatecheck_ignores_python_variables_an_earlier_step_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = Runner(tmp_path, {}, "")
    runner.context["steps.python.outputs.python-path"] = sys.executable
    monkeypatch.setenv("GITHUB_ACTION_PATH", str(REPO))
    installed = runner.step("install", tmp_path, timeout=TRY_REPO_TIMEOUT)  # a pip install
    assert installed.returncode == 0, installed.stderr
    # what a step running the change's code could leave behind: its own `gatecheck` package
    fake = tmp_path / "planted" / "gatecheck"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text("print('every claim holds'); raise SystemExit(0)")
    planted = {"PYTHONPATH": str(fake.parent), "PYTHONSTARTUP": str(fake / "__main__.py")}
    done = run(runner.outputs["gatecheck"], "--version", env={**os.environ, **planted})
    assert (done.returncode, done.stdout.split()[0]) == (0, "gatecheck,"), done.stdout
    assert "every claim holds" not in done.stdout


@pytest.mark.parametrize("status", [0, 1, 2])
def test_the_action_keeps_gatechecks_exit_status(
    tmp_path: Path, stand_in: str, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    monkeypatch.setenv("STAND_IN_LOG", str(tmp_path / "calls"))
    monkeypatch.setenv("STAND_IN_STATUS", str(status))
    runner = Runner(tmp_path, PR_INPUTS, stand_in)
    check = runner.step("check", tmp_path)
    assert check.returncode == 0, check.stderr  # the verdict waits for the last step
    assert runner.outputs["exit-code"] == str(status)
    verdict = runner.step("gatecheck verdict", tmp_path)
    assert verdict.returncode == status

    calls = (tmp_path / "calls").read_text().splitlines()
    formats = [call.rsplit(" ", 1)[-1] for call in calls]
    assert formats == ["github", "markdown", "sarif"]  # on exit 2 too: each shows the problems
    assert calls[0].startswith("check --root . --now ")
    assert "--base 1a2b3c4d --author octocat --format github" in calls[0]
    assert "::error file=evidence/lib.yaml,line=6,col=32::a finding" in check.stdout
    assert runner.summary.read_text() == "## gatecheck check: a summary\n"
    assert json.loads((tmp_path / "gatecheck.sarif").read_text())["version"] == "2.1.0"
    assert runner.outputs["sarif-file"] == str(tmp_path / "gatecheck.sarif")


def test_the_action_inputs_shape_the_command(
    tmp_path: Path, stand_in: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAND_IN_LOG", str(tmp_path / "calls"))
    monkeypatch.setenv("STAND_IN_STATUS", "2")
    inputs = {
        "base": "",  # outside a pull request: gatecheck's own default base
        "author": "",
        "root": "governance",
        "args": "--all\n --now 2026-01-02  ",
        "fail-on-policy-change": "true",
        "summary": "false",
    }
    runner = Runner(tmp_path, inputs, stand_in)
    runner.step("check", tmp_path)
    calls = (tmp_path / "calls").read_text().splitlines()
    assert [call.rsplit(" ", 1)[-1] for call in calls] == ["github", "sarif"]  # no summary
    assert re.fullmatch(
        r"check --root governance --now \d{4}-\d\d-\d\d --fail-on-policy-change "
        r"--all --now 2026-01-02 --format github",
        calls[0],
    )
    assert runner.summary.read_text() == ""


def test_the_action_on_a_real_repository(
    project_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text(PASSING.replace("failed: 0", "failed: 2").replace("[]", "[ship]"))
    commit(project_repo, "claim ship with failing tests")
    runner = Runner(tmp_path, {"base": "main", "author": "octocat"}, os.path.join(BIN, "gatecheck"))
    check = runner.step("check", project_repo)
    assert check.returncode == 0, check.stderr
    assert runner.outputs["exit-code"] == "1"
    assert "::error file=evidence/lib.yaml,line=6," in check.stdout
    assert "tests.failed is 2; expected 0" in runner.summary.read_text()
    sarif = json.loads((tmp_path / "gatecheck.sarif").read_text())
    assert sarif["runs"][0]["results"]
    assert runner.step("gatecheck verdict", project_repo).returncode == 1


def test_the_action_shows_invalid_input_in_every_format(
    project_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    evidence = project_repo / "evidence" / "lib.yaml"
    evidence.write_text(PASSING.replace("failed: 0", "failed: two"))
    commit(project_repo, "a fact of the wrong type")
    runner = Runner(tmp_path, {"base": "main", "author": "octocat"}, os.path.join(BIN, "gatecheck"))
    check = runner.step("check", project_repo)
    assert check.returncode == 0, check.stderr
    assert runner.outputs["exit-code"] == "2"
    assert "::error file=evidence/lib.yaml,line=6,col=" in check.stdout
    assert "evidence/lib.yaml:6:" in check.stderr  # the text, for the log
    assert "evidence/lib.yaml:6" in runner.summary.read_text()
    sarif = json.loads((tmp_path / "gatecheck.sarif").read_text())
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == (
        "evidence/lib.yaml",
        6,
    )
    assert runner.step("gatecheck verdict", project_repo).returncode == 2

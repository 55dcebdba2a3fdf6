"""Attacks on `gatecheck check` through paths, git and edit locks (issue 12, items 4, 9 and 10).

The attacker can push a branch and open a pull request, nothing more. Nothing in the change may
make the check pass a failing claim, crash it, hang it, or print a file of the machine that runs
it: bad input is exit 2 with located problems. Every test builds a real git repository: `main`
holds the shared project with passing evidence (committed by Ana, a maintainer), and the change
is the branch `change`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.check_repos import NOW, PASSING, new_repository
from tests.support.git import AUTHOR, MAINTAINER, commit, git
from tests.support.installed import SCRIPT
from tests.support.project import SHARED

from gatecheck import files as writing
from gatecheck.git.process import git_environment

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs")

FAILING = PASSING.replace("failed: 0", "failed: 2").replace("claims: []", "claims: [ship]")
CLAIMED = PASSING.replace("claims: []", "claims: [ship]")  # holds, unless Ana attests her own
SECRET = "ghp_runnerSecretToken0123456789abcdef"  # noqa: S105 - what must never be printed
FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
ANA = MAINTAINER  # "Ana Maintainer <ana@example.org>": reviewer `ana` of the fixture policy


def check(run_cli, repo: Path, *args: str):
    return run_cli("check", "--root", str(repo), "--now", NOW, *args)


def judged(run_cli, repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """The exit code and the JSON report of `check`."""
    result = check(run_cli, repo, "--format", "json", *args)
    assert result.exit_code in {0, 1}, result.stderr
    return result.exit_code, json.loads(result.stdout)


def statuses(report: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """subject -> (why it was checked, its claimed gate's status)."""
    return {
        s["subject"]: (s["change"], s["gates"][0]["status"] if s["gates"] else "-")
        for s in report["subjects"]
    }


def assert_refused(result, code: str, where: str) -> None:
    """Exit 2 with a located problem `where: error: ... [code]` and a hint; no traceback."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    located = [line for line in lines if line.startswith(f"{where}: error: ")]
    assert any(line.endswith(f"[{code}]") for line in located), result.stderr
    assert any(line.startswith("  hint: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr


def on_main(repo: Path, message: str) -> None:
    """Commit the work tree to main as the maintainer; the change starts from there again."""
    git(repo, "checkout", "-q", "main")
    commit(repo, message, author=ANA)
    git(repo, "checkout", "-q", "-B", "change", "main")


def evidence(repo: Path, name: str = "lib") -> Path:
    return repo / "evidence" / f"{name}.yaml"


# -- item 4: paths --------------------------------------------------------------------------------


def test_a_symlinked_evidence_directory_is_judged(tmp_path: Path, run_cli) -> None:
    """evidence -> data/evidence at the base: git names the files by the real path."""
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "data").mkdir()
    shutil.move(repo / "evidence", repo / "data" / "evidence")
    (repo / "evidence").symlink_to("data/evidence")
    on_main(repo, "evidence lives in data/")
    (repo / "data" / "evidence" / "lib.yaml").write_text(FAILING)
    commit(repo, "claim ship")
    code, report = judged(run_cli, repo)
    assert code == 1
    assert statuses(report) == {"lib": ("modified", "fail")}
    assert report["subjects"][0]["evidence"] == "evidence/lib.yaml"


def test_swapping_the_evidence_directory_for_a_link_is_judged(tmp_path: Path, run_cli) -> None:
    repo = new_repository(tmp_path / "repo")
    (repo / "elsewhere").mkdir()
    (repo / "elsewhere" / "lib.yaml").write_text(FAILING)
    shutil.rmtree(repo / "evidence")
    (repo / "evidence").symlink_to("elsewhere")
    commit(repo, "evidence/ becomes a link")
    code, report = judged(run_cli, repo)
    assert code == 1
    assert statuses(report) == {"lib": ("modified", "fail")}


def test_swapping_policies_for_a_link_is_listed_and_judged_by_the_base(
    tmp_path: Path, run_cli
) -> None:
    """A laxer copy of the policy exists on main; the change points policies/ at it."""
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "archive").mkdir()
    lax = (repo / "policies" / "release.yaml").read_text().replace("eq: 0}", "lte: 5}")
    (repo / "archive" / "release.yaml").write_text(lax)
    on_main(repo, "an archived, laxer version")
    shutil.rmtree(repo / "policies")
    (repo / "policies").symlink_to("archive")
    evidence(repo).write_text(FAILING)
    commit(repo, "judge me by the archive")
    code, report = judged(run_cli, repo)
    assert code == 1  # judged by policies/ as the base has it, not by the archive
    assert statuses(report) == {"lib": ("modified", "fail")}
    assert report["policy_changes"][0] == {
        "path": "policies",
        "change": "replaced",
        "detail": "a directory -> a link to archive",
        "fails": False,
    }
    assert check(run_cli, repo, "--fail-on-policy-change").exit_code == 1


@pytest.mark.parametrize("link", ["absolute", "relative"])
def test_an_evidence_link_out_of_the_repository_is_refused_and_leaks_nothing(
    tmp_path: Path, run_cli, link: str
) -> None:
    secret = tmp_path / "runner" / "credentials.yaml"
    secret.parent.mkdir()
    secret.write_text(f"subject: lib\ntoken: {SECRET}\n")
    repo = new_repository(tmp_path / "repo")
    evidence(repo).unlink()
    evidence(repo).symlink_to(secret if link == "absolute" else "../../runner/credentials.yaml")
    commit(repo, "a link to the runner's credentials")
    for fmt in FORMATS:
        result = check(run_cli, repo, "--format", fmt)
        assert_refused(result, "symlink-escape", "evidence/lib.yaml:1:1")
        assert "outside the repository" in result.stderr
        assert SECRET not in result.stdout + result.stderr, fmt
    validated = run_cli("validate", "--root", str(repo))
    assert_refused(validated, "symlink-escape", "evidence/lib.yaml:1:1")
    assert SECRET not in validated.stdout + validated.stderr


def test_a_link_into_the_git_directory_is_refused(tmp_path: Path, run_cli) -> None:
    """actions/checkout keeps the job's token in .git/config: a link there must not be read."""
    repo = new_repository(tmp_path / "repo")
    git(repo, "config", "http.https://github.com/.extraheader", f"AUTHORIZATION: basic {SECRET}")
    evidence(repo).unlink()
    evidence(repo).symlink_to("../.git/config")
    commit(repo, "a link to .git/config")
    for fmt in FORMATS:
        result = check(run_cli, repo, "--format", fmt)
        assert_refused(result, "symlink-escape", "evidence/lib.yaml:1:1")
        assert "into the .git directory of the repository" in result.stderr
        assert SECRET not in result.stdout + result.stderr


@pytest.mark.installed
def test_links_to_a_fifo_or_a_device_are_refused_without_hanging(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer; reading a terminal waits for input."""
    repo = new_repository(tmp_path / "repo")
    os.mkfifo(repo / "pipe")  # git cannot carry a FIFO; a link to one in the work tree can be
    (repo / "evidence" / "fifo.yaml").symlink_to("../pipe")
    for command in ("check", "validate"):
        done = subprocess.run(
            [str(SCRIPT), command, "--root", str(repo)],
            stdin=subprocess.PIPE,  # kept open: reading it would wait for ever
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("evidence/fifo.yaml:1:1: error: a FIFO (named pipe), not")
        assert "[not-a-file]" in done.stderr
    (repo / "evidence" / "fifo.yaml").unlink()
    for device in ("/dev/stdin", "/dev/zero", "/dev/tty"):
        (repo / "evidence" / "device.yaml").unlink(missing_ok=True)
        (repo / "evidence" / "device.yaml").symlink_to(device)
        done = subprocess.run(
            [str(SCRIPT), "check", "--root", str(repo)],
            stdin=subprocess.PIPE,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, (device, done.stderr)
        assert "evidence/device.yaml:1:1: error: " in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("directory", ["policies", "schemas", "evidence"])
def test_deleting_a_project_directory_is_refused_not_replaced_by_bundled_data(
    tmp_path: Path, run_cli, directory: str
) -> None:
    repo = new_repository(tmp_path / "repo")
    shutil.rmtree(repo / directory)
    commit(repo, f"delete {directory}/")
    result = check(run_cli, repo)
    assert_refused(result, "deleted-directory", f"{directory}/")
    assert "bundled" in result.stderr
    assert result.stderr.count("error:") == 1  # the deletion, not what the bundled data implies


def test_evidence_in_a_submodule_is_refused(tmp_path: Path, run_cli) -> None:
    store = tmp_path / "evidence-store"
    store.mkdir()
    (store / "lib.yaml").write_text(PASSING)
    git(store, "init", "-q", "-b", "main")
    commit(store, "passing", author=ANA)
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    shutil.rmtree(repo / "evidence")
    git(repo, "rm", "-q", "-r", "--cached", "evidence")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(store), "evidence")
    on_main(repo, "evidence in a submodule")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    evidence(repo).write_text(FAILING)
    commit(repo / "evidence", "claim in the submodule")
    commit(repo, "move the submodule to the claim")
    result = check(run_cli, repo)
    assert_refused(result, "in-submodule", "evidence/")


def test_a_change_that_turns_evidence_into_a_submodule_is_refused(tmp_path: Path, run_cli) -> None:
    store = tmp_path / "evidence-store"
    store.mkdir()
    (store / "lib.yaml").write_text(FAILING)
    git(store, "init", "-q", "-b", "main")
    commit(store, "a failing claim")
    repo = new_repository(tmp_path / "repo")
    shutil.rmtree(repo / "evidence")
    git(repo, "rm", "-q", "-r", "--cached", "evidence")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(store), "evidence")
    commit(repo, "evidence becomes a submodule")
    result = check(run_cli, repo)
    assert_refused(result, "in-submodule", "evidence/")


def test_two_files_of_one_subject_are_refused(tmp_path: Path, run_cli) -> None:
    """lib.yaml passes; lib.yml claims the gate and fails: which one is lib?"""
    repo = new_repository(tmp_path / "repo")
    (repo / "evidence" / "lib.yml").write_text(FAILING)
    commit(repo, "a second file for lib")
    for command in (
        ("check", "--now", NOW),
        ("validate",),
        ("evaluate", "lib"),
        ("evaluate", "--all"),
    ):
        result = run_cli(*command, "--root", str(repo))
        assert_refused(result, "duplicate-subject", "evidence/lib.yml:1:1")
        assert "evidence/lib.yaml and evidence/lib.yml are both evidence for subject 'lib'" in (
            result.stderr
        )


def test_replace_refs_cannot_stand_in_for_the_base(tmp_path: Path, run_cli) -> None:
    repo = new_repository(tmp_path / "repo")
    base = git(repo, "rev-parse", "main").strip()
    git(repo, "checkout", "-q", "-b", "lax", "main")
    policy = repo / "policies" / "release.yaml"
    policy.write_text(policy.read_text().replace("eq: 0}", "lte: 5}"))
    lax = commit(repo, "a laxer policy")
    git(repo, "checkout", "-q", "change")
    git(repo, "replace", base, lax)  # every git command now reads `lax` where `main` is asked for
    assert "lte: 5" in git(repo, "show", "main:policies/release.yaml")
    evidence(repo).write_text(FAILING)
    commit(repo, "claim ship")
    code, report = judged(run_cli, repo, "--base", "main")
    assert code == 1
    assert report["base_commit"] == base
    assert statuses(report) == {"lib": ("modified", "fail")}


def test_an_ignored_untracked_evidence_file_is_judged(tmp_path: Path, run_cli) -> None:
    repo = new_repository(tmp_path / "repo")
    (repo / ".gitignore").write_text("evidence/local-*.yaml\n")
    commit(repo, "ignore local evidence")
    evidence(repo, "local-app").write_text(FAILING.replace("subject: lib", "subject: local-app"))
    validated = run_cli("validate", "--root", str(repo))
    assert validated.exit_code == 0
    assert "2 evidence files" in validated.stdout  # validate reads it ...
    code, report = judged(run_cli, repo)
    assert code == 1  # ... so check judges it
    assert statuses(report) == {"local-app": ("added", "fail")}


def test_a_hooks_git_variables_do_not_redirect_git(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside a git hook, GIT_DIR and friends name the outer repository: here, a decoy."""
    decoy = new_repository(tmp_path / "decoy")
    evidence(decoy).write_text(CLAIMED)
    commit(decoy, "a claim that holds")
    repo = new_repository(tmp_path / "repo")
    evidence(repo).write_text(FAILING)
    commit(repo, "a claim that fails")
    for name, value in {
        "GIT_DIR": decoy / ".git",
        "GIT_WORK_TREE": decoy,
        "GIT_INDEX_FILE": decoy / ".git" / "index",
        "GIT_OBJECT_DIRECTORY": decoy / ".git" / "objects",
        "GIT_COMMON_DIR": decoy / ".git",
        "GIT_REPLACE_REF_BASE": "refs/heads/",
    }.items():
        monkeypatch.setenv(name, str(value))
    code, report = judged(run_cli, repo)
    assert code == 1
    monkeypatch.delenv("GIT_DIR")
    assert report["base_commit"] == git(repo, "rev-parse", "main").strip()


def test_git_runs_with_an_allowlist_of_the_environment() -> None:
    given = {
        "PATH": "/usr/bin",
        "HOME": "/home/runner",
        "GIT_DIR": "/elsewhere/.git",
        "GIT_INDEX_FILE": "/elsewhere/index",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES": "/elsewhere/objects",
        "GIT_CONFIG_PARAMETERS": "'core.worktree'='/elsewhere'",
        "GIT_SSH_COMMAND": "ssh -i key",
        "GIT_TRACE": "/var/log/git-trace",
        "GIT_NO_REPLACE_OBJECTS": "0",
        "GIT_EXEC_PATH": "/usr/lib/git-core",
        "GIT_CONFIG_GLOBAL": "/home/runner/.gitconfig",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "safe.directory",
        "GIT_CONFIG_VALUE_0": "*",
    }
    assert git_environment(given) == {
        "PATH": "/usr/bin",
        "HOME": "/home/runner",
        "GIT_EXEC_PATH": "/usr/lib/git-core",
        "GIT_CONFIG_GLOBAL": "/home/runner/.gitconfig",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "safe.directory",
        "GIT_CONFIG_VALUE_0": "*",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_LITERAL_PATHSPECS": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
    }


# -- item 10: git's authors ------------------------------------------------------------------------


def test_blame_finds_the_claims_author_in_a_sha256_repository(tmp_path: Path, run_cli) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SHARED, repo)
    evidence(repo).write_text(PASSING)
    git(repo, "init", "-q", "-b", "main", "--object-format=sha256")
    commit(repo, "start", author=AUTHOR)
    git(repo, "checkout", "-q", "-b", "change")
    evidence(repo).write_text(CLAIMED)
    commit(repo, "ana claims ship", author=ANA)  # and her own attestation is the one there is
    code, report = judged(run_cli, repo)
    assert len(report["base_commit"]) == 64
    assert code == 1
    assert report["subjects"][0]["claims"][0]["authors"] == [ANA]
    assert "ana made the claim and cannot attest it" in check(run_cli, repo).stdout


def test_a_mailmap_in_the_change_does_not_rename_the_claims_author(tmp_path: Path, run_cli) -> None:
    repo = new_repository(tmp_path / "repo")
    evidence(repo).write_text(CLAIMED)
    commit(repo, "ana claims ship", author=ANA)
    (repo / ".mailmap").write_text("Cy Contributor <cy@example.org> <ana@example.org>\n")
    commit(repo, "a mailmap that makes ana cy")
    assert "author-mail <cy@example.org>" in git(
        repo, "blame", "--porcelain", "-L12,12", "--", "evidence/lib.yaml"
    )
    code, report = judged(run_cli, repo)
    assert code == 1
    assert report["subjects"][0]["claims"][0]["authors"] == [ANA]


def test_an_ignore_revs_file_in_the_change_does_not_hand_the_claim_to_another(
    tmp_path: Path, run_cli
) -> None:
    repo = new_repository(tmp_path / "repo")
    git(repo, "config", "blame.ignoreRevsFile", ".git-blame-ignore-revs")  # a maintainer's habit
    evidence(repo).write_text(PASSING.replace("claims: []", "claims: []  # none yet"))
    commit(repo, "cy touches the line")
    evidence(repo).write_text(CLAIMED)
    claimed = commit(repo, "ana claims ship", author=ANA)
    (repo / ".git-blame-ignore-revs").write_text(claimed + "\n")
    commit(repo, "ignore ana's commit", author=ANA)
    code, report = judged(run_cli, repo)
    assert code == 1
    assert report["subjects"][0]["claims"][0]["authors"] == [ANA]


@pytest.mark.parametrize(("digits", "valid"), [(7, True), (40, True), (64, True), (65, False)])
def test_a_source_commit_may_be_a_sha256_id(
    tmp_path: Path, run_cli, digits: int, valid: bool
) -> None:
    project = tmp_path / "project"
    shutil.copytree(SHARED, project)
    source = f"sources:\n  docs: {{repository: o/r, commit: {'a' * digits}, file: README}}\n"
    evidence(project).write_text(PASSING + source)
    result = run_cli("validate", "--root", str(project))
    assert result.exit_code == (0 if valid else 2), result.stderr


# -- item 9: edit locks ---------------------------------------------------------------------------


def _two_projects(top: Path) -> tuple[Path, Path]:
    """A repository holding projects a/ and b/; a's lib.yaml is a link to b's."""
    first, second = top / "a", top / "b"
    shutil.copytree(SHARED, first)
    shutil.copytree(SHARED, second)
    git(top, "init", "-q", "-b", "main")
    evidence(first).unlink()
    evidence(first).symlink_to("../../b/evidence/lib.yaml")
    return first, second


def test_two_paths_to_one_file_take_one_lock(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _two_projects(tmp_path / "top")
    monkeypatch.setenv("GATECHECK_LOCK_TIMEOUT", "0.1")
    before = evidence(second).read_text()
    with writing.locked(str(second / "evidence"), "b/evidence"):  # an edit of b's lib is running
        through_a = run_cli("record", "lib", "docs", "true", "--root", str(first))
    assert_refused(through_a, "lock-timeout", "../b/evidence/.gatecheck.lock")
    assert evidence(second).read_text() == before
    done = run_cli("record", "lib", "docs", "true", "--root", str(first))
    assert done.exit_code == 0, done.stderr
    assert evidence(first).is_symlink()
    assert "docs: true" in evidence(second).read_text()


def test_an_edit_through_a_link_out_of_the_project_is_refused(tmp_path: Path, run_cli) -> None:
    project = tmp_path / "project"
    shutil.copytree(SHARED, project)
    elsewhere = tmp_path / "elsewhere.yaml"
    shutil.move(evidence(project), elsewhere)
    evidence(project).symlink_to(elsewhere)
    before = elsewhere.read_text()
    result = run_cli("record", "lib", "docs", "true", "--root", str(project))
    assert_refused(result, "symlink-escape", "evidence/lib.yaml:1:1")
    assert "outside the project root" in result.stderr
    assert elsewhere.read_text() == before


def test_an_edit_of_a_hard_linked_file_is_refused(tmp_path: Path, run_cli) -> None:
    project = tmp_path / "project"
    shutil.copytree(SHARED, project)
    other = tmp_path / "project" / "copy.yaml"
    os.link(evidence(project), other)
    result = run_cli("record", "lib", "docs", "true", "--root", str(project))
    assert_refused(result, "unwritable", "evidence/lib.yaml")
    assert "2 hard links" in result.stderr
    assert "docs: true" not in other.read_text()


# -- attacks of our own ----------------------------------------------------------------------------


def test_a_policy_file_linked_to_a_laxer_copy_is_listed_and_judged_by_the_base(
    tmp_path: Path, run_cli
) -> None:
    repo = new_repository(tmp_path / "repo")
    (repo / "mine").mkdir()
    policy = repo / "policies" / "release.yaml"
    (repo / "mine" / "release.yaml").write_text(policy.read_text().replace("eq: 0}", "lte: 5}"))
    policy.unlink()
    policy.symlink_to("../mine/release.yaml")
    evidence(repo).write_text(FAILING)
    commit(repo, "a policy that is a link")
    code, report = judged(run_cli, repo)
    assert code == 1
    assert report["policy_changes"] == [
        {"path": "policies/release.yaml", "change": "modified", "detail": None, "fails": False}
    ]


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("schemas/release.facts.schema.json", "schemas/release.facts.schema.json:1:1"),
        ("policies/release.yaml", "policies/release.yaml:1:1"),
        ("schemas", "schemas/"),
        ("evidence", "evidence/"),
    ],
)
def test_a_policy_schema_or_directory_link_out_of_the_repository_is_refused(
    tmp_path: Path, run_cli, path: str, where: str
) -> None:
    repo = new_repository(tmp_path / "repo")
    outside = tmp_path / "outside" / os.path.basename(path)
    outside.parent.mkdir()
    shutil.move(repo / path, outside)
    (repo / path).symlink_to(outside)
    commit(repo, f"{path} is a link out of the repository")
    assert_refused(check(run_cli, repo), "symlink-escape", where)


def test_a_change_to_the_file_an_evidence_link_leads_to_is_judged(tmp_path: Path, run_cli) -> None:
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "shared").mkdir()
    app = PASSING.replace("subject: lib", "subject: app")
    (repo / "shared" / "app.yaml").write_text(app)
    (repo / "shared" / "app-next.yaml").write_text(app.replace("failed: 0", "failed: 4"))
    evidence(repo, "app").symlink_to("../shared/app.yaml")
    on_main(repo, "app's evidence is shared")
    (repo / "shared" / "app.yaml").write_text(FAILING.replace("subject: lib", "subject: app"))
    commit(repo, "only the link's target changes")
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (1, {"app": ("modified", "fail")})
    git(repo, "checkout", "-q", "shared/app.yaml")
    git(repo, "reset", "-q", "--hard", "main")
    evidence(repo, "app").unlink()
    evidence(repo, "app").symlink_to("../shared/app-next.yaml")  # the link moves
    (repo / "shared" / "app-next.yaml").write_text(
        (repo / "shared" / "app-next.yaml").read_text().replace("claims: []", "claims: [ship]")
    )
    commit(repo, "the link moves")
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (1, {"app": ("modified", "fail")})


def test_a_file_git_is_told_is_unchanged_is_judged(tmp_path: Path, run_cli) -> None:
    """The index's assume-unchanged bit hides a modification from git diff, not from check."""
    repo = new_repository(tmp_path / "repo")
    git(repo, "update-index", "--assume-unchanged", "evidence/lib.yaml")
    evidence(repo).write_text(FAILING)
    assert git(repo, "diff", "--name-only", "main") == ""
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (1, {"lib": ("modified", "fail")})


def test_line_ends_alone_do_not_change_a_subject(tmp_path: Path, run_cli) -> None:
    """A checkout with core.autocrlf writes CRLF where main has LF: nothing was changed."""
    repo = new_repository(tmp_path / "repo")
    evidence(repo).write_bytes(PASSING.replace("\n", "\r\n").encode())
    code, report = judged(run_cli, repo)
    assert (code, report["subjects"]) == (0, [])


def test_odd_names_in_the_evidence_directory(tmp_path: Path, run_cli) -> None:
    """A directory named like evidence is no evidence; a name with a line break or capitals is
    refused, shown escaped on its one line."""
    repo = new_repository(tmp_path / "repo")
    (repo / "evidence" / "dir.yaml").mkdir()
    (repo / "evidence" / "dir.yaml" / "inner.yaml").write_text(FAILING)
    commit(repo, "a directory named dir.yaml")
    assert run_cli("validate", "--root", str(repo)).exit_code == 0
    code, report = judged(run_cli, repo)
    assert (code, report["subjects"]) == (0, [])
    evidence(repo, "a\nb").write_text(FAILING)
    evidence(repo, "Lib").write_text(FAILING.replace("subject: lib", "subject: Lib"))
    commit(repo, "odd names")
    result = check(run_cli, repo)
    assert result.exit_code == 2
    assert "evidence/a\\nb.yaml:1:10: error: " in result.stderr
    assert "evidence/Lib.yaml:1:10: error: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_deep_path_to_the_root_through_a_link_is_shown_from_the_top(
    tmp_path: Path, run_cli
) -> None:
    """The CI workspace itself may be reached through a link: paths stay the repository's."""
    repo = new_repository(tmp_path / "real" / "repo")
    (tmp_path / "workspace").symlink_to(tmp_path / "real")
    evidence(repo).write_text(FAILING)
    commit(repo, "claim")
    code, report = judged(run_cli, tmp_path / "workspace" / "repo")
    assert (code, statuses(report)) == (1, {"lib": ("modified", "fail")})
    assert report["subjects"][0]["evidence"] == "evidence/lib.yaml"

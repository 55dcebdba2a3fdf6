"""`gatecheck check` on real git repositories made for each test: init, commit, branch, change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.check_repos import NOW, PASSING, new_repository
from tests.support.git import commit, git
from tests.support.installed import SCRIPT
from tests.support.project import SHARED

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return new_repository(tmp_path / "repo")


@pytest.fixture
def check(run_cli, repo: Path):
    def run(*args: str):
        return run_cli("check", "--root", str(repo), "--now", NOW, *args)

    return run


def claim(repo: Path, text: str = PASSING, gates: str = "[ship]") -> None:
    (repo / "evidence" / "lib.yaml").write_text(text.replace("claims: []", f"claims: {gates}"))


def as_json(result) -> dict[str, Any]:
    return json.loads(result.stdout)


# -- claims ---------------------------------------------------------------------------------------


def test_a_claim_the_evidence_supports_passes(repo: Path, check) -> None:
    claim(repo)
    commit(repo, "claim ship")
    result = check("--format", "json")
    assert result.exit_code == 0, result.stderr
    data = as_json(result)
    assert data["base"] == "main"
    assert data["base_commit"] == git(repo, "rev-parse", "main").strip()
    (subject,) = data["subjects"]
    assert (subject["subject"], subject["change"]) == ("lib", "modified")
    assert [(c["gate"], c["implied"]) for c in subject["claims"]] == [("ship", False)]
    assert subject["claims"][0]["location"] == {
        "file": "evidence/lib.yaml",
        "line": 12,
        "column": 10,
    }
    assert subject["claims"][0]["authors"] == ["Cy Contributor <cy@example.org>"]
    assert [(g["gate"], g["status"]) for g in subject["gates"]] == [("ship", "pass")]


def test_a_claim_beyond_the_evidence_is_refused(repo: Path, check) -> None:
    claim(repo, PASSING.replace("failed: 0", "failed: 2"))
    commit(repo, "claim ship with failing tests")
    result = check()
    assert result.exit_code == 1
    assert "gate ship: FAIL" in result.stdout
    assert "tests.failed is 2; expected 0" in result.stdout
    assert "at evidence/lib.yaml:6:32" in result.stdout
    assert result.stdout.endswith("1 subject checked, 1 claim: 0 hold, 1 refused\n")


def test_uncommitted_and_untracked_changes_count(repo: Path, check) -> None:
    claim(repo, PASSING.replace("failed: 0", "failed: 2"))  # not committed
    new = PASSING.replace("subject: lib", "subject: app").replace("claims: []", "claims: [ship]")
    (repo / "evidence" / "app.yaml").write_text(new.replace("docs: true", "docs: false"))
    # app's attestation is new: it counts because ana, whom it names, approved the change
    result = check("--format", "json", "--approved-by", "ana")
    assert result.exit_code == 1
    changes = {
        s["subject"]: (s["change"], s["gates"][0]["status"]) for s in as_json(result)["subjects"]
    }
    assert changes == {"app": ("added", "pass"), "lib": ("modified", "fail")}


def test_unchanged_subjects_are_not_judged_unless_all(repo: Path, run_cli) -> None:
    claim(repo, PASSING.replace("failed: 0", "failed: 2"))
    commit(repo, "a bad claim on main", author="Ana Maintainer <ana@example.org>")
    git(repo, "branch", "-f", "main")
    (repo / "evidence" / "other.yaml").write_text(PASSING.replace("subject: lib", "subject: other"))
    commit(repo, "unrelated")
    args = ("--root", str(repo), "--now", NOW, "--format", "json", "--approved-by", "ana")
    result = run_cli("check", *args)
    assert result.exit_code == 0
    assert [s["subject"] for s in as_json(result)["subjects"]] == ["other"]
    every = run_cli("check", "--all", *args)
    assert every.exit_code == 1
    assert [(s["subject"], s["change"]) for s in as_json(every)["subjects"]] == [
        ("lib", "all"),
        ("other", "added"),
    ]


# -- policies come from the base ------------------------------------------------------------------


def test_weakening_a_rule_and_claiming_in_one_change_is_refused(repo: Path, check) -> None:
    policy = repo / "policies" / "release.yaml"
    policy.write_text(
        policy.read_text().replace("{fact: tests.failed, eq: 0}", "{fact: tests.failed, lte: 5}")
    )
    claim(repo, PASSING.replace("failed: 0", "failed: 2"))
    commit(repo, "relax the tests rule and claim ship")
    result = check("--format", "json")
    assert result.exit_code == 1
    data = as_json(result)
    assert data["policy_changes"] == [
        {"path": "policies/release.yaml", "change": "modified", "detail": None, "fails": False}
    ]
    (subject,) = data["subjects"]
    rule = subject["gates"][0]["rules"][0]
    assert (rule["rule"], rule["status"], rule["expected"]) == ("tests-pass", "fail", "== 0")
    text = check().stdout
    assert (
        "Policy changes needing a maintainer's review:\n  modified  policies/release.yaml" in text
    )


def test_policy_changes_are_listed_and_can_fail_the_check(repo: Path, check) -> None:
    schema = repo / "schemas" / "release.facts.schema.json"
    schema.write_text(schema.read_text() + "\n")
    commit(repo, "touch the schema")
    listed = check("--format", "json")
    assert listed.exit_code == 0
    data = as_json(listed)
    assert data["policy_changes"] == [
        {
            "path": "schemas/release.facts.schema.json",
            "change": "modified",
            "detail": None,
            "fails": False,
        }
    ]
    assert [(s["subject"], s["change"]) for s in data["subjects"]] == [("lib", "policy")]
    assert check("--fail-on-policy-change").exit_code == 1


def test_evidence_needing_a_policy_change_waits_for_it(repo: Path, check) -> None:
    schema = repo / "schemas" / "release.facts.schema.json"
    document = json.loads(schema.read_text())
    document["properties"]["license"] = {"type": "string"}
    schema.write_text(json.dumps(document))
    (repo / "evidence" / "lib.yaml").write_text(
        PASSING.replace("  docs: true", "  docs: true\n  license: MIT")
    )
    commit(repo, "a new fact and its schema in one change")
    result = check()
    assert result.exit_code == 2
    assert "evidence/lib.yaml:8:3: error: " in result.stderr
    assert "judged by the policies at main" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_policy_broken_at_the_base_is_an_error(repo: Path, check) -> None:
    git(repo, "checkout", "-q", "main")
    (repo / "policies" / "release.yaml").write_text("name: release\nversion: [\n")
    commit(repo, "break the policy on main")
    git(repo, "checkout", "-q", "-b", "fix")
    shutil.copy(SHARED / "policies" / "release.yaml", repo / "policies" / "release.yaml")
    commit(repo, "mend it")
    result = check("--base", "main~0")
    assert result.exit_code == 2
    assert "policies/release.yaml:3:1: error: " in result.stderr
    assert "(in the policies at main~0 (" in result.stderr


def test_an_invalid_file_in_the_change_is_an_error(repo: Path, check) -> None:
    (repo / "evidence" / "lib.yaml").write_text(
        "subject: lib\npolicy: release\nfacts: {tests: {failed: two}}\n"
    )
    result = check()
    assert result.exit_code == 2
    assert "evidence/lib.yaml:3:" in result.stderr


# -- claims a change implies -----------------------------------------------------------------------


def _claimed_when_published(repo: Path) -> None:
    policy = repo / "policies" / "release.yaml"
    text = policy.read_text().replace(
        "    source: fixture, gate\n",
        "    source: fixture, gate\n    claimed_when: {fact: published, eq: true}\n",
    )
    policy.write_text(text)
    commit(repo, "publishing claims ship", author="Ana Maintainer <ana@example.org>")
    git(repo, "branch", "-f", "main")


def test_a_change_that_turns_the_gate_on_claims_it(repo: Path, check) -> None:
    _claimed_when_published(repo)
    failing = PASSING.replace("failed: 0", "failed: 2")
    (repo / "evidence" / "lib.yaml").write_text(
        failing.replace("  docs: true", "  docs: true\n  published: true")
    )
    commit(repo, "publish")
    result = check("--format", "json")
    assert result.exit_code == 1
    (subject,) = as_json(result)["subjects"]
    assert [(c["gate"], c["implied"], c["location"]["line"]) for c in subject["claims"]] == [
        ("ship", True, 8)
    ]
    text = check().stdout
    assert "implied by a change at evidence/lib.yaml:8:14" in text
    # the gate's header says so too: a standing claim is one that held at the base already
    assert "(claim implied by the change: published is true)" in text
    assert "standing" not in text
    markdown = check("--format", "markdown").stdout
    assert "(claim implied by the change: published is true)" in markdown
    assert "standing" not in markdown


def test_a_gate_already_on_at_the_base_is_a_standing_claim(repo: Path, check) -> None:
    """A subject published long ago still claims `ship`: a change that leaves it failing fails."""
    _claimed_when_published(repo)
    published = PASSING.replace("  docs: true", "  docs: true\n  published: true")
    (repo / "evidence" / "lib.yaml").write_text(published.replace("failed: 0", "failed: 2"))
    commit(repo, "published long ago", author="Dee Developer <dee@example.org>")
    git(repo, "branch", "-f", "main")
    (repo / "evidence" / "lib.yaml").write_text(published.replace("failed: 0", "failed: 3"))
    commit(repo, "an unrelated fact")
    result = check("--format", "json")
    assert result.exit_code == 1
    (subject,) = as_json(result)["subjects"]
    assert [(c["gate"], c["implied"], c["standing"]) for c in subject["claims"]] == [
        ("ship", False, True)
    ]
    text = check().stdout
    assert "a standing claim (it held at the base too) at evidence/lib.yaml:" in text
    assert "(standing claim: published is true)" in text
    assert "(standing claim: published is true)" in check("--format", "markdown").stdout
    # mended: the standing claim holds, and the change passes
    (repo / "evidence" / "lib.yaml").write_text(published)
    commit(repo, "tests fixed")
    assert check().exit_code == 0


# -- who may attest --------------------------------------------------------------------------------


def test_the_author_of_a_claim_cannot_attest_it(repo: Path, check) -> None:
    claim(repo)
    commit(repo, "ana claims ship", author="Ana Maintainer <ana@example.org>")
    result = check()
    assert result.exit_code == 1
    assert (
        "no attestation of 'changelog-reviewed' counts; expected 1 by maintainers: "
        "ana made the claim and cannot attest it" in result.stdout
    )


def test_the_author_option_names_the_change_author(repo: Path, check) -> None:
    claim(repo)
    commit(repo, "cy claims ship")
    assert check().exit_code == 0
    refused = check("--author", "Ana")
    assert refused.exit_code == 1
    assert "ana made the claim and cannot attest it" in refused.stdout


def test_claimed_by_in_the_evidence_counts_as_the_author(repo: Path, check) -> None:
    claim(repo, PASSING + "claimed_by: ana\n")
    commit(repo, "claim for ana")
    result = check("--format", "json")
    assert result.exit_code == 1
    assert as_json(result)["subjects"][0]["claims"][0]["authors"] == [
        "Cy Contributor <cy@example.org>",
        "ana",
    ]


def test_a_github_noreply_address_gives_the_login(repo: Path, check) -> None:
    claim(repo)
    commit(repo, "web edit", author="Someone <12345+ana@users.noreply.github.com>")
    assert check().exit_code == 1


# -- files that move -------------------------------------------------------------------------------


def test_a_deleted_evidence_file_is_listed(repo: Path, check) -> None:
    (repo / "evidence" / "lib.yaml").unlink()
    (repo / "evidence" / "keep.yaml").write_text(PASSING.replace("subject: lib", "subject: keep"))
    commit(repo, "replace lib")
    result = check("--format", "json", "--approved-by", "ana")  # keep's attestation is new
    assert result.exit_code == 0
    data = as_json(result)
    assert data["removed"] == ["evidence/lib.yaml"]
    assert [s["subject"] for s in data["subjects"]] == ["keep"]
    assert "Removed evidence (nothing to check): evidence/lib.yaml" in check().stdout


def test_a_renamed_evidence_file_is_a_new_subject(repo: Path, check) -> None:
    git(repo, "mv", "evidence/lib.yaml", "evidence/library.yaml")
    commit(repo, "rename")
    result = check()
    assert result.exit_code == 2  # its `subject` still says lib
    assert "evidence/library.yaml:1:10: error: " in result.stderr
    renamed = repo / "evidence" / "library.yaml"
    renamed.write_text(renamed.read_text().replace("subject: lib", "subject: library"))
    commit(repo, "rename the subject too")
    data = as_json(check("--format", "json"))
    assert data["removed"] == ["evidence/lib.yaml"]
    assert [(s["subject"], s["change"]) for s in data["subjects"]] == [("library", "added")]


# -- bad input -------------------------------------------------------------------------------------


def test_outside_a_repository(run_cli, project: Path) -> None:
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 2
    assert "not inside a git work tree [not-a-repository]" in result.stderr


def test_an_unknown_base(check) -> None:
    result = check("--base", "no-such-branch")
    assert result.exit_code == 2
    assert "--base no-such-branch: no such commit in this repository [unknown-ref]" in result.stderr
    option_like = check("--base", "--output=x")
    assert option_like.exit_code == 2
    assert "is not a git ref" in option_like.stderr


def test_no_default_branch(repo: Path, check) -> None:
    git(repo, "branch", "-m", "main", "trunk")
    result = check()
    assert result.exit_code == 2
    assert "no default branch found" in result.stderr
    assert "pass --base REF" in result.stderr
    assert check("--base", "trunk").exit_code == 0


def test_a_shallow_clone_without_the_base(repo: Path, tmp_path: Path, run_cli) -> None:
    claim(repo)
    commit(repo, "claim")
    commit_count = 2
    assert len(git(repo, "rev-list", "HEAD").split()) == commit_count
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "change", f"file://{repo}", str(clone))
    result = run_cli("check", "--root", str(clone), "--base", "HEAD~1")
    assert result.exit_code == 2
    assert "this is a shallow clone" in result.stderr
    assert "fetch-depth: 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_installed_script_refuses_a_bad_claim(repo: Path) -> None:
    claim(repo, PASSING.replace("failed: 0", "failed: 2"))
    commit(repo, "claim")
    done = subprocess.run(
        [str(SCRIPT), "check", "--now", NOW, "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["subjects"][0]["gates"][0]["status"] == "fail"


def test_a_project_in_a_subdirectory_of_the_repository(tmp_path: Path, run_cli) -> None:
    top = tmp_path / "monorepo"
    shutil.copytree(SHARED, top / "gates")
    (top / "gates" / "evidence" / "lib.yaml").write_text(PASSING)
    (top / "README").write_text("other things\n")
    git(top, "init", "-q", "-b", "main")
    commit(top, "start", author="Ana Maintainer <ana@example.org>")
    git(top, "checkout", "-q", "-b", "change")
    policy = top / "gates" / "policies" / "release.yaml"
    policy.write_text(policy.read_text().replace("eq: 0}", "lte: 5}"))
    claim(top / "gates", PASSING.replace("failed: 0", "failed: 2"))
    commit(top, "weaken and claim")
    result = run_cli("check", "--root", str(top / "gates"), "--now", NOW, "--format", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    # Paths are shown from the top of the repository, where CI tools look for them.
    assert data["policy_changes"] == [
        {
            "path": "gates/policies/release.yaml",
            "change": "modified",
            "detail": None,
            "fails": False,
        }
    ]
    assert data["subjects"][0]["evidence"] == "gates/evidence/lib.yaml"
    rule = data["subjects"][0]["gates"][0]["rules"][0]
    assert (rule["status"], rule["location"]["file"]) == ("fail", "gates/evidence/lib.yaml")
    (top / "gates" / "evidence" / "lib.yaml").write_text("subject: lib\npolicy: [\n")
    broken = run_cli("check", "--root", str(top / "gates"), "--now", NOW)
    assert broken.exit_code == 2
    assert broken.stderr.startswith("gates/evidence/lib.yaml:3:1: error: ")


def test_a_repository_owned_by_someone_else(repo: Path, check, monkeypatch) -> None:
    # git refuses a repository another user owns unless it is marked safe; an empty list of safe
    # directories and a checkout owned by a pretend other user reproduce the refusal.
    if os.geteuid() != 0:
        pytest.skip("needs root to hand the checkout to another user")
    os.chown(repo, 12345, 12345)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    result = check()
    assert result.exit_code == 2
    assert "owned by another user (dubious ownership)" in result.stderr
    assert "safe.directory" in result.stderr


LAX = """\
name: lax
version: 1
title: A laxer process that already exists
source: {title: test}
facts_schema: release.facts.schema.json
judgements: {changelog-reviewed: A maintainer read the changelog.}
gates:
  - id: ship
    title: Ship it
    source: test
    rules:
      - {id: built, title: Built, source: test, require: {fact: build.ok, eq: true}}
"""


def test_moving_a_subject_to_a_laxer_policy_is_a_policy_change(repo: Path, check) -> None:
    (repo / "policies" / "lax.yaml").write_text(LAX)
    commit(repo, "a lax policy exists on main", author="Ana Maintainer <ana@example.org>")
    git(repo, "branch", "-f", "main")
    failing = PASSING.replace("failed: 0", "failed: 2").replace("policy: release", "policy: lax")
    claim(repo, failing)
    commit(repo, "judge lib by the lax policy and claim ship")
    result = check("--format", "json")
    # under `lax` the claim holds, but the change chose the policy that judges its own claim
    assert result.exit_code == 1
    data = as_json(result)
    assert data["policy_changes"] == [
        {
            "path": "evidence/lib.yaml",
            "change": "switched",
            "detail": "release@1 -> lax@1",
            "fails": True,
        }
    ]
    assert data["subjects"][0]["gates"][0]["status"] == "pass"
    text = check().stdout
    assert (
        "  switched  evidence/lib.yaml (release@1 -> lax@1) - claims in the same change: refused"
        in text
    )


def test_a_switch_without_claims_is_listed_for_review(repo: Path, check) -> None:
    (repo / "policies" / "lax.yaml").write_text(LAX)
    commit(repo, "a lax policy exists on main", author="Ana Maintainer <ana@example.org>")
    git(repo, "branch", "-f", "main")
    (repo / "evidence" / "lib.yaml").write_text(PASSING.replace("policy: release", "policy: lax"))
    commit(repo, "judge lib by the lax policy, claim nothing yet")
    result = check("--format", "json")
    assert result.exit_code == 0
    assert as_json(result)["policy_changes"][0]["fails"] is False
    assert check("--fail-on-policy-change").exit_code == 1

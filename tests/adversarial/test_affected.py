"""Attacks on which subjects `gatecheck check` judges: it reads only the subjects a change affects.

`check` validates and judges only the evidence the change adds or alters, and every subject of a
policy or facts schema the change touches. An attacker with push access would like to change a
subject's verdict while leaving it "unaffected", so that a failing claim (a standing one above
all: a gate whose `claimed_when` holds is claimed by every change to the subject) reaches main
unjudged. Each test below changes a subject's verdict, or the bytes its evidence is read from,
without editing its evidence file, and asserts that the subject is judged all the same.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests.support.check_repos import NOW, PASSING, new_repository
from tests.support.git import MAINTAINER, commit, git

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="links, stat data, attributes")

PROJECT = Path(__file__).resolve().parent.parent.parent  # this repository: the bundled data
PUBLISHED = PASSING.replace("  docs: true", "  docs: true\n  published: true")
OTHER = """\
# The release policy under another name, judged with the same facts schema.
name: other
version: 1
title: Another process
source: {title: gatecheck test fixture}
facts_schema: release.facts.schema.json
gates:
  - id: ready
    title: Ready
    source: fixture, gate
    claimed_when: {fact: published, eq: true}
    rules:
      - id: tests-pass
        title: All tests pass
        source: fixture, rule 1
        require: {fact: tests.failed, eq: 0}
"""


def judged(run_cli, repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", "--root", str(repo), "--now", NOW, "--format", "json", *args)
    assert result.exit_code in {0, 1}, result.stderr
    return result.exit_code, json.loads(result.stdout)


def statuses(report: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """subject -> (why it was checked, its first gate's status)."""
    return {
        s["subject"]: (s["change"], s["gates"][0]["status"] if s["gates"] else "-")
        for s in report["subjects"]
    }


def standing(root: Path) -> Path:
    """A repository whose main claims `ship` for lib by `claimed_when` (published), and holds."""
    repo = new_repository(root)
    git(repo, "checkout", "-q", "main")
    policy = repo / "policies" / "release.yaml"
    policy.write_text(
        policy.read_text().replace(
            "    source: fixture, gate\n",
            "    source: fixture, gate\n    claimed_when: {fact: published, eq: true}\n",
        )
    )
    (repo / "evidence" / "lib.yaml").write_text(PUBLISHED)
    on_main(repo, "lib is published: it claims ship")
    return repo


def on_main(repo: Path, message: str) -> None:
    git(repo, "checkout", "-q", "main")
    commit(repo, message, author=MAINTAINER)
    git(repo, "checkout", "-q", "-B", "change", "main")


def test_an_unchanged_subject_is_not_read(tmp_path: Path, run_cli) -> None:
    """What makes check cost the change: an invalid file the change leaves alone is not read
    (it was as invalid at the base), unless --all, or a policy change, asks for every subject."""
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "evidence" / "old.yaml").write_text("subject: old\npolicy: release\nfacts: [\n")
    on_main(repo, "an invalid file lands on main")
    (repo / "evidence" / "lib.yaml").write_text(PASSING.replace("claims: []", "claims: [ship]"))
    commit(repo, "claim ship")
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (0, {"lib": ("modified", "pass")})
    every = run_cli("check", "--root", str(repo), "--now", NOW, "--all")
    assert every.exit_code == 2
    assert "evidence/old.yaml:4:1: error: " in every.stderr
    policy = repo / "policies" / "release.yaml"
    policy.write_text(policy.read_text().replace("title: Ship it", "title: Ship it now"))
    commit(repo, "and a policy change: every subject of release may be concerned")
    touched = run_cli("check", "--root", str(repo), "--now", NOW)
    assert touched.exit_code == 2
    assert "evidence/old.yaml:4:1: error: " in touched.stderr


def test_a_gitattributes_change_that_rewrites_the_evidence_is_judged(
    tmp_path: Path, run_cli
) -> None:
    """`.gitattributes` changes the bytes a checkout writes (an encoding, `ident`, a filter)
    without changing a blob: git would call lib.yaml unchanged; check reads it."""
    repo = standing(tmp_path / "repo")
    (repo / ".gitattributes").write_text("evidence/lib.yaml working-tree-encoding=UTF-16LE\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "an attribute, nothing else")
    (repo / "evidence" / "lib.yaml").unlink()
    git(repo, "checkout", "--", "evidence/lib.yaml")  # as a fresh checkout of the change writes it
    assert git(repo, "status", "--porcelain") == ""
    result = run_cli("check", "--root", str(repo), "--now", NOW)
    assert result.exit_code == 2, result.stdout
    assert "evidence/lib.yaml:" in result.stderr


@pytest.mark.parametrize("where", [".gitattributes", "evidence/.gitattributes"])
def test_any_attributes_file_over_the_evidence_counts(tmp_path: Path, run_cli, where: str) -> None:
    repo = standing(tmp_path / "repo")
    (repo / where).write_text("*.yaml working-tree-encoding=UTF-16LE\n")  # not committed
    (repo / "evidence" / "lib.yaml").unlink()
    git(repo, "checkout", "--", "evidence/lib.yaml")
    result = run_cli("check", "--root", str(repo), "--now", NOW)
    assert result.exit_code == 2, result.stdout
    assert "evidence/lib.yaml:" in result.stderr


def test_a_skip_worktree_bit_does_not_hide_an_edit(tmp_path: Path, run_cli) -> None:
    repo = standing(tmp_path / "repo")
    git(repo, "update-index", "--skip-worktree", "evidence/lib.yaml")
    (repo / "evidence" / "lib.yaml").write_text(PUBLISHED.replace("failed: 0", "failed: 2"))
    assert git(repo, "diff", "--name-only", "main") == ""
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (1, {"lib": ("modified", "fail")})


def test_an_edit_that_keeps_the_size_and_the_mtime_is_judged(tmp_path: Path, run_cli) -> None:
    """With core.checkStat=minimal and core.trustctime=false (a repository's own settings),
    git compares a file's size and whole-second mtime only: a same-size edit that sets the mtime
    back looks unchanged to `git status`. check has git compare every stat field, ctime too."""
    repo = standing(tmp_path / "repo")
    lib = repo / "evidence" / "lib.yaml"
    os.utime(lib, (1_700_000_000, 1_700_000_000))  # well before the index is written again
    git(repo, "update-index", "--refresh")
    git(repo, "config", "core.checkStat", "minimal")
    git(repo, "config", "core.trustctime", "false")
    before = lib.stat()
    # git records whole seconds: the edit comes a second after the index recorded the file
    time.sleep(max(0.0, before.st_ctime_ns / 1e9 + 1.05 - time.time()))
    edited = PUBLISHED.replace("failed: 0", "failed: 2")
    assert len(edited) == len(PUBLISHED)
    lib.write_text(edited)
    os.utime(lib, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert git(repo, "status", "--porcelain") == ""  # git itself sees nothing
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (1, {"lib": ("modified", "fail")})


def test_an_edit_through_a_hard_link_from_elsewhere_is_judged(tmp_path: Path, run_cli) -> None:
    repo = standing(tmp_path / "repo")
    (repo / "notes").mkdir()
    os.link(repo / "evidence" / "lib.yaml", repo / "notes" / "lib-draft.yaml")
    (repo / "notes" / "lib-draft.yaml").write_text(PUBLISHED.replace("failed: 0", "failed: 2"))
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (1, {"lib": ("modified", "fail")})


def test_a_shared_facts_schema_change_judges_every_policy_that_uses_it(
    tmp_path: Path, run_cli
) -> None:
    """Two policies read one facts schema: a change to it is a change to both."""
    repo = standing(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "policies" / "other.yaml").write_text(OTHER)
    app = PUBLISHED.replace("subject: lib", "subject: app").replace(
        "policy: release", "policy: other"
    )
    app = app.replace(
        "attestations:\n  - {judgement: changelog-reviewed, by: ana, date: 2026-02-27}\n", ""
    )
    (repo / "evidence" / "app.yaml").write_text(app.replace("failed: 0", "failed: 1"))
    (repo / "evidence" / "lib.yaml").write_text(PUBLISHED.replace("failed: 0", "failed: 1"))
    on_main(repo, "two policies, one schema; both subjects fail their standing claims")
    schema = repo / "schemas" / "release.facts.schema.json"
    schema.write_text(schema.read_text().replace('"docs": {"type": "boolean"}', '"docs": {}'))
    commit(repo, "loosen one fact of the shared schema")
    code, report = judged(run_cli, repo)
    assert code == 1
    assert statuses(report) == {"app": ("policy", "fail"), "lib": ("policy", "fail")}
    assert [c["path"] for c in report["policy_changes"]] == ["schemas/release.facts.schema.json"]


def test_a_new_policy_file_that_takes_a_subjects_policy_name_judges_it(
    tmp_path: Path, run_cli
) -> None:
    """A new file declaring `release` version 2 as the default: every subject that names
    `release` now resolves to it. They are judged, by the base's policies."""
    repo = standing(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "evidence" / "lib.yaml").write_text(PUBLISHED.replace("failed: 0", "failed: 1"))
    on_main(repo, "lib fails its standing claim on main")
    lax = (repo / "policies" / "release.yaml").read_text()
    lax = lax.replace("version: 1", "version: 2\ndefault: true").replace("eq: 0}", "lte: 5}")
    (repo / "policies" / "zz-release-next.yaml").write_text(lax)
    commit(repo, "a laxer default version of release, in a new file")
    code, report = judged(run_cli, repo)
    assert (code, statuses(report)) == (1, {"lib": ("policy", "fail")})


def test_a_schema_that_shadows_another_in_the_search_order_judges_its_subjects(
    tmp_path: Path, run_cli
) -> None:
    """With --policies conf/policies, a facts schema is looked for in conf/schemas first, then
    in schemas/: a new conf/schemas file of the same name stands in for the one there."""
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "conf").mkdir()
    shutil.move(repo / "policies", repo / "conf" / "policies")
    (repo / "evidence" / "lib.yaml").write_text(PUBLISHED)
    on_main(repo, "policies live in conf/")
    (repo / "conf" / "schemas").mkdir()
    schema = (repo / "schemas" / "release.facts.schema.json").read_text()
    (repo / "conf" / "schemas" / "release.facts.schema.json").write_text(
        schema.replace('"failed": {"type": "integer", "minimum": 0}', '"failed": {}')
    )
    commit(repo, "a schema of the same name, found first")
    code, report = judged(run_cli, repo, "--policies", "conf/policies")
    assert code == 0
    assert statuses(report) == {"lib": ("policy", "-")}
    assert "conf/schemas/release.facts.schema.json" in [c["path"] for c in report["policy_changes"]]


def test_policies_that_replace_the_bundled_ones_judge_their_subjects(
    tmp_path: Path, run_cli
) -> None:
    """A repository without policies/ is judged by the bundled policies. A change that adds
    policies/ replaces them all: every subject of a policy it defines is judged, by the bundled
    policy the base used."""
    repo = tmp_path / "repo"
    (repo / "evidence").mkdir(parents=True)
    shutil.copy(PROJECT / "evidence" / "foo-bar.yaml", repo / "evidence" / "foo-bar.yaml")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "start: bundled policies", author=MAINTAINER)
    git(repo, "checkout", "-q", "-b", "change")
    now = ("--now", "2026-12-01")  # after the bundled evidence's as_of
    before = run_cli("check", "--root", str(repo), *now, "--all", "--format", "json")
    assert before.exit_code in {0, 1}, before.stderr
    shutil.copytree(
        PROJECT / "policies",
        repo / "policies",
        ignore=shutil.ignore_patterns("*.py", "tests", "wasi-*", "*.v2.yaml", "__pycache__"),
    )
    shutil.copytree(
        PROJECT / "schemas", repo / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    commit(repo, "the policies, in the repository now")
    code, report = judged(run_cli, repo, *now)
    was = statuses(json.loads(before.stdout))["foo-bar"][1]
    assert (code, statuses(report)) == (before.exit_code, {"foo-bar": ("policy", was)})
    assert "policies/wasm-proposal.yaml" in [c["path"] for c in report["policy_changes"]]

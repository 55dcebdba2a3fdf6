"""A poisoned validation cache: forged entries, hostile directories, predictable names, no bound.

The attacker can write files as the CI user before `check` runs (an earlier step of the job that
runs the change's code) or hand the job a cache directory (a CI cache restored from another branch).
A forged compiled policy must never stand in for the base's, and a forged "valid" must never let
invalid evidence through.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from tests.support.check_repos import NOW, PASSING, new_repository
from tests.support.git import commit
from tests.support.project import SHARED

from gatecheck.loading import cache, cache_eviction, cache_trust
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.policies import load_policies
from gatecheck.project.layout import open_project

STRICT = "{fact: tests.failed, eq: 0}"
LAX = "{fact: tests.failed, gte: 0}"  # what the attacker would like the base's rule to say


def lax_policy(tmp_path: Path):
    """The base's policy compiled with its rule weakened, as an attacker's code can build it."""
    lax = tmp_path / "lax"
    shutil.copytree(SHARED, lax)
    policy = lax / "policies" / "release.yaml"
    text = policy.read_text()
    assert text.count(STRICT) == 2  # the step `test` and the rule `tests-pass`
    policy.write_text(text.replace(STRICT, LAX))
    with cache.bypassed():
        (compiled,) = load_policies(open_project(str(lax))).all()
    return compiled


def plant_policy(root: Path, tmp_path: Path) -> str:
    """Write the lax policy under the key of the strict one, computed as loading computes it."""
    strict = (root / "policies" / "release.yaml").read_bytes()
    schema = (root / "schemas" / "release.facts.schema.json").read_bytes()
    key = cache.digest(strict, "policies/release.yaml")
    forged = ("release.facts.schema.json", cache.digest(schema), lax_policy(tmp_path))
    cache.write("policy", key, forged)
    return key


def failing_claim(repo: Path) -> None:
    text = PASSING.replace("failed: 0", "failed: 2").replace("claims: []", "claims: [ship]")
    (repo / "evidence" / "lib.yaml").write_text(text)


def test_check_is_not_fooled_by_a_forged_policy_written_with_the_users_own_key(
    run_cli, tmp_path: Path, isolated_cache: Path
) -> None:
    """The worst case: the change's code ran as the CI user, so it could read the key too."""
    repo = new_repository(tmp_path / "repo")
    failing_claim(repo)
    commit(repo, "claim ship with 2 failing tests")
    key = plant_policy(repo, tmp_path)
    # the forgery is good enough to fool any command that reads the cache ...
    assert (isolated_cache / f"policy-{key}").is_file()
    fooled = run_cli("evaluate", "lib", "--root", str(repo), "--now", NOW, "--format", "json")
    rules = json.loads(fooled.stdout)["subjects"][0]["gates"][0]["rules"]
    assert [r["status"] for r in rules if r["rule"] == "tests-pass"] == ["pass"]
    # ... but check reads no cache: the base's rule judges, and the claim is refused
    result = run_cli("check", "--root", str(repo), "--now", NOW, "--format", "json")
    assert result.exit_code == 1, result.stderr
    (subject,) = json.loads(result.stdout)["subjects"]
    (gate,) = subject["gates"]
    assert (gate["gate"], gate["status"]) == ("ship", "fail")
    (rule,) = [r for r in gate["rules"] if r["rule"] == "tests-pass"]
    assert (rule["status"], rule["message"]) == ("fail", "tests.failed is 2; expected 0")


def test_check_writes_no_cache(run_cli, tmp_path: Path, isolated_cache: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    failing_claim(repo)
    assert run_cli("check", "--root", str(repo), "--now", NOW).exit_code == 1
    assert list(isolated_cache.iterdir()) == []
    assert cache._this_run == {}  # what the run validated itself is forgotten with it


def test_a_cache_restored_from_elsewhere_brings_no_valid_entry(
    run_cli, tmp_path: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries tagged under another secret (another machine, another user) are ignored."""
    repo = new_repository(tmp_path / "repo")
    failing_claim(repo)
    own_state = os.environ["XDG_STATE_HOME"]
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "attacker-state"))
    key = plant_policy(repo, tmp_path)
    evidence = (repo / "evidence" / "lib.yaml").read_text().replace("failed: 2", "failed: many")
    (repo / "evidence" / "lib.yaml").write_text(evidence)
    monkeypatch.setenv("XDG_STATE_HOME", own_state)
    assert (isolated_cache / f"policy-{key}").is_file()

    invalid = run_cli("validate", "--root", str(repo))
    assert invalid.exit_code == 2
    assert "evidence/lib.yaml:6:32: error: tests.failed: expected an integer" in invalid.stderr
    (repo / "evidence" / "lib.yaml").write_text(evidence.replace("failed: many", "failed: 2"))
    run = run_cli("evaluate", "lib", "--root", str(repo), "--now", NOW, "--format", "json")
    rules = json.loads(run.stdout)["subjects"][0]["gates"][0]["rules"]
    assert [r["status"] for r in rules if r["rule"] == "tests-pass"] == ["fail"]


def test_a_forged_valid_for_invalid_evidence_is_ignored(
    run_cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("validate", "--root", str(project)).exit_code == 0
    evidence = project / "evidence" / "lib.yaml"
    evidence.write_text(evidence.read_text().replace("failed: 2", "failed: -5"))
    policies = load_policies(open_project(str(project)))
    raw = evidence.read_bytes()
    parsed = load_bytes(raw, "evidence/lib.yaml").parse()
    key = cache.digest(raw, "lib")
    own_state = os.environ["XDG_STATE_HOME"]
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "attacker-state"))
    valid_for = cache.digest(key, "lib", policies.keys["release@1"])  # what a real entry holds
    cache.write("evidence", key, (*parsed, valid_for))
    monkeypatch.setenv("XDG_STATE_HOME", own_state)
    result = run_cli("validate", "--root", str(project))
    assert result.exit_code == 2
    assert "[schema-violation]" in result.stderr


# -- the directory ---------------------------------------------------------------------------------


def evaluate(run_cli, project: Path):
    return run_cli("evaluate", "lib", "--root", str(project), "--now", NOW, "--format", "json")


def test_a_symlinked_cache_directory_is_not_used(
    run_cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("GATECHECK_CACHE_DIR", str(link))
    first, second = evaluate(run_cli, project), evaluate(run_cli, project)
    assert first.stdout == second.stdout
    assert list(real.iterdir()) == []
    note = (
        f"gatecheck: not using the cache at {link}: it is a symbolic link; every file is validated"
    )
    assert first.stderr.startswith(note)
    assert note not in second.stderr  # said once per process


@pytest.mark.parametrize("mode", [0o770, 0o702, 0o777])
def test_a_cache_directory_others_can_write_is_not_used(
    run_cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    shared = tmp_path / f"shared-{mode:o}"
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setenv("GATECHECK_CACHE_DIR", str(shared))
    result = evaluate(run_cli, project)
    assert result.exit_code == 1
    assert list(shared.iterdir()) == []
    assert f"not using the cache at {shared}: others can write to it;" in result.stderr


def test_a_cache_directory_others_can_write_once_in_use_is_no_longer_used(
    isolated_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The directory is held open between reads; each read checks it again.
    cache.write("evidence", "key", ("kept",))
    assert cache.read("evidence", "key") == ("kept",)
    isolated_cache.chmod(0o777)
    assert cache.read("evidence", "key") is None
    assert "others can write to it" in capsys.readouterr().err
    isolated_cache.chmod(0o700)
    assert cache.read("evidence", "key") == ("kept",)


def test_a_cache_directory_swapped_for_a_link_once_in_use_is_no_longer_used(
    isolated_cache: Path, tmp_path: Path
) -> None:
    cache.write("evidence", "key", ("kept",))
    assert cache.read("evidence", "key") == ("kept",)
    planted = tmp_path / "planted"
    shutil.copytree(isolated_cache, planted)
    isolated_cache.rename(tmp_path / "moved-away")
    isolated_cache.symlink_to(planted)
    assert cache.read("evidence", "key") is None  # not the held directory, and a link


def test_a_cache_directory_recreated_once_in_use_is_the_one_used(isolated_cache: Path) -> None:
    cache.write("evidence", "key", ("old",))
    shutil.rmtree(isolated_cache)
    cache.write("evidence", "key", ("new",))
    assert (isolated_cache / "evidence-key").is_file()  # not written into the removed one
    assert cache.read("evidence", "key") == ("new",)


def test_a_read_records_its_use_only_when_the_last_is_old(isolated_cache: Path) -> None:
    # Eviction goes by mtime; a read refreshes it, but not for an entry used minutes ago.
    cache.write("evidence", "key", ("kept",))
    entry = isolated_cache / "evidence-key"
    recent = entry.stat().st_mtime - 60
    os.utime(entry, (recent, recent))
    assert cache.read("evidence", "key") == ("kept",)
    assert entry.stat().st_mtime == recent
    old = recent - cache.USE_RESOLUTION
    os.utime(entry, (old, old))
    assert cache.read("evidence", "key") == ("kept",)
    assert entry.stat().st_mtime > recent


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need fork")
def test_a_forked_worker_opens_the_cache_directory_anew(isolated_cache: Path) -> None:
    cache.write("evidence", "key", ("kept",))
    held = _held_descriptor()
    assert held is not None
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit status
        inherited = _held_descriptor()
        read = cache.read("evidence", "key")
        os._exit(0 if inherited is None and read == ("kept",) and _held_descriptor() else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert _held_descriptor() == held  # the parent's is untouched


def _held_descriptor() -> int | None:
    return None if cache_trust._held is None else cache_trust._held[2]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a directory of another user needs root")
def test_a_cache_directory_of_another_user_is_not_used(
    run_cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    monkeypatch.setenv("GATECHECK_CACHE_DIR", str(theirs))
    result = evaluate(run_cli, project)
    assert list(theirs.iterdir()) == []
    assert "it belongs to another user" in result.stderr


def test_a_new_cache_directory_and_key_are_private(
    run_cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "fresh" / "gatecheck"
    monkeypatch.setenv("GATECHECK_CACHE_DIR", str(directory))
    old = os.umask(0o002)  # a user-private-group umask: group-writable by default
    try:
        assert evaluate(run_cli, project).exit_code == 1
    finally:
        os.umask(old)
    assert directory.stat().st_mode & 0o777 == 0o700
    entries = list(directory.iterdir())
    assert {entry.stat().st_mode & 0o777 for entry in entries} == {0o600}
    key = Path(cache_trust.key_file())
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.stat().st_size == 32
    assert not key.is_relative_to(directory)


def test_a_key_file_others_can_read_is_not_used(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "leaky"))
    key = Path(cache_trust.key_file())
    key.parent.mkdir(parents=True)
    key.write_bytes(b"k" * 32)
    key.chmod(0o644)
    result = evaluate(run_cli, project)
    assert result.exit_code == 1
    assert list(Path(os.environ["GATECHECK_CACHE_DIR"]).iterdir()) == []
    assert "the key file is not the user's own, private, regular file" in result.stderr


def test_a_cache_directory_that_holds_the_key_is_not_used(
    run_cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache directory restored from elsewhere would bring its own key along."""
    monkeypatch.setenv("GATECHECK_CACHE_DIR", os.path.dirname(cache_trust.key_file()))
    result = evaluate(run_cli, project)
    assert result.exit_code == 1
    assert "it holds the key that authenticates its entries" in result.stderr


def test_temporary_names_are_not_followed(
    isolated_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a temporary name that is known in advance cannot redirect the write."""
    victim = tmp_path / "victim"
    victim.write_text("precious")
    monkeypatch.setattr(os, "urandom", lambda n: b"\x00" * n)
    planted = isolated_cache / f".policy-key.{'00' * 8}.tmp"  # files.replace_file names it so
    planted.symlink_to(victim)
    cache.write("policy", "key", {"a": 1})
    assert victim.read_text() == "precious"
    assert planted.is_symlink()  # not replaced, not followed, not removed: it is not ours


# -- the size bound -------------------------------------------------------------------------------


def test_the_least_recently_used_entries_go_first(
    isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_eviction, "MAX_BYTES", 100 * 1024)
    payload = os.urandom(10 * 1024)
    for number in range(12):  # ~120 KiB, written before the bound is checked
        cache.write("policy", f"k{number}", payload)
        os.utime(isolated_cache / f"policy-k{number}", (1_000_000 + number,) * 2)
    assert cache.read("policy", "k0") == payload  # used now: the most recent
    cache_eviction._evicted.clear()
    cache.write("policy", "new", payload)
    assert len(list(isolated_cache.iterdir())) == 14  # checked less than an hour ago: not again
    cache_eviction._evicted.clear()
    os.utime(isolated_cache / ".scanned", (1_000_000, 1_000_000))
    cache.write("policy", "new", payload)
    kept = sorted(path.name for path in isolated_cache.iterdir() if path.name != ".scanned")
    assert {"policy-k0", "policy-new"} <= set(kept)  # just used, just written
    removed = [f"policy-k{n}" for n in range(1, 12) if f"policy-k{n}" not in kept]
    assert len(removed) >= 2
    assert removed == [f"policy-k{n}" for n in range(1, len(removed) + 1)]  # the oldest first
    total = sum(path.stat().st_size for path in isolated_cache.iterdir())
    assert total <= 100 * 1024 * cache_eviction.EVICT_TO


def test_the_action_runs_check_without_a_cache() -> None:
    from ruamel.yaml import YAML
    from tests.support.project import REPO

    action = YAML(typ="safe").load((REPO / "action.yml").read_text())
    (step,) = [step for step in action["runs"]["steps"] if step.get("id") == "check"]
    assert step["env"]["GATECHECK_NO_CACHE"] == "1"


def test_an_engine_changed_without_a_new_version_reads_no_old_entry(tmp_path: Path) -> None:
    """One engine's pickles are never read by another (an editable install, a checkout)."""
    from gatecheck.loading.cache import source_identity

    package = tmp_path / "gatecheck"
    (package / "reporters").mkdir(parents=True)
    (package / "policy.py").write_text("class Policy: ...\n")
    (package / "reporters" / "text.py").write_text("")
    (package / "notes.txt").write_text("not code")
    before = source_identity(str(package), "1.0")
    (package / "notes.txt").write_text("not code, changed")
    assert source_identity(str(package), "1.0") == before
    (package / "policy.py").write_text("class Policy: declared = ()\n")
    after = source_identity(str(package), "1.0")
    assert after != before
    assert b"/reporters/text.py:0:" in after
    assert source_identity(str(package), "1.1") != after
    (package / "__pycache__").mkdir()  # compiled copies: not source, and as many again
    (package / "__pycache__" / "policy.py").write_text("")
    assert source_identity(str(package), "1.0") == after

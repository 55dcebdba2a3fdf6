"""The editing commands warn: a kept comment a new value may make untrue, an attestation that
cannot count, and a waiver already expired (refused)."""

import subprocess
from pathlib import Path

import pytest
from tests.support.installed import SCRIPT
from tests.support.project import POLICY_HEAD, write_project

POLICY = (
    POLICY_HEAD
    + """\
reviewers:
  maintainers: [alice, bob]
judgements:
  reviewed: A maintainer reviewed it.
  unread: Declared, read by no rule.
  signed: Two maintainers signed the release.
waivers: {approvers: maintainers, longest: 90d}
steps:
  - id: sign
    title: Sign
    source: s
    done_when: {attested: signed, by: maintainers, at_least: 2}
gates:
  - id: g
    title: G
    source: s
    rules:
      - {id: phase, title: Phase, source: s, require: {fact: proposal.phase, gte: 4}}
      - id: reviewed
        title: Reviewed
        source: s
        require: {attested: reviewed, by: maintainers, within: 30d}
      - {id: signed, title: Signed, source: s, require: {step: sign}, steps: [sign]}
"""
)

EVIDENCE = """\
# leading comment
subject: s
policy: t
claimed_by: carol
facts:
  proposal:
    phase: 3  # still in phase 3 per the CG
    # a comment line of its own
    name: Foo  # the proposal's name
"""

NOW = ("--now", "2026-03-10")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_project(tmp_path / "p", POLICY, {"s": EVIDENCE})


def evidence(root: Path) -> str:
    return (root / "evidence" / "s.yaml").read_text()


# -- record: the comment at the end of the line it rewrites ----------------------------------------


def test_record_keeps_the_comment_and_warns_that_it_may_be_untrue(root: Path, run_cli) -> None:
    result = run_cli("record", "s", "proposal.phase", "4", "--root", str(root))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "evidence/s.yaml: proposal.phase = 4\n"
    assert result.stderr == (
        "warning: evidence/s.yaml:7: the comment on proposal.phase's line was kept and may no "
        "longer be true: # still in phase 3 per the CG (--drop-comment removes it)\n"
    )
    assert "    phase: 4  # still in phase 3 per the CG\n" in evidence(root)


def test_drop_comment_removes_that_comment_and_no_other(root: Path, run_cli) -> None:
    result = run_cli("record", "s", "proposal.phase", "4", "--drop-comment", "--root", str(root))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "evidence/s.yaml:7: removed the comment on proposal.phase's line: "
        "# still in phase 3 per the CG\n"
    )
    assert evidence(root) == EVIDENCE.replace("phase: 3  # still in phase 3 per the CG", "phase: 4")
    assert run_cli("validate", "--root", str(root)).exit_code == 0


def test_drop_comment_with_dry_run_shows_it_and_writes_nothing(root: Path, run_cli) -> None:
    args = ("record", "s", "proposal.phase", "4", "--drop-comment", "--dry-run")
    result = run_cli(*args, "--root", str(root))
    assert result.exit_code == 0, result.stderr
    assert "-    phase: 3  # still in phase 3 per the CG\n+    phase: 4\n" in result.stdout
    assert result.stderr.startswith("evidence/s.yaml:7: would remove the comment")
    assert evidence(root) == EVIDENCE


def test_no_warning_when_the_value_does_not_change_or_has_no_comment(root: Path, run_cli) -> None:
    same = run_cli("record", "s", "proposal.phase", "3", "--root", str(root))
    assert (same.exit_code, same.stderr) == (0, "")
    other = run_cli("record", "s", "proposal.since", "2026-01-01", "--root", str(root))
    assert (other.exit_code, other.stderr) == (0, "")
    assert "# still in phase 3 per the CG" in evidence(root)


def test_the_installed_script_warns_and_drops_the_comment(root: Path) -> None:
    base = [str(SCRIPT), "record", "s", "proposal.name", "Bar", "--root", str(root)]
    kept = subprocess.run(base, capture_output=True, text=True, timeout=120, check=False)
    assert kept.returncode == 0, kept.stderr
    assert kept.stderr.startswith("warning: evidence/s.yaml:9: the comment on proposal.name's")
    dropped = subprocess.run(
        [*base[:4], "Baz", *base[5:], "--drop-comment"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dropped.returncode == 0, dropped.stderr
    assert "# the proposal's name" in dropped.stderr
    text = evidence(root)
    assert "    name: Baz\n" in text
    assert "# still in phase 3 per the CG" in text
    assert "# a comment line of its own" in text


# -- attest: judged as the policy would ------------------------------------------------------------


def attest(run_cli, root: Path, login: str, day: str, *more: str):
    return run_cli(
        "attest", "s", "reviewed", "--by", login, "--date", day, *NOW, "--root", str(root), *more
    )


def test_an_attestation_outside_the_group_is_written_with_a_warning(root: Path, run_cli) -> None:
    result = attest(run_cli, root, "zoe", "2026-03-01")
    assert result.exit_code == 0
    assert result.stdout == "evidence/s.yaml: attestation reviewed by zoe on 2026-03-01\n"
    assert result.stderr == (
        "warning: zoe is not in reviewer group maintainers: it does not count for rule reviewed "
        "of gate g (policies/t.yaml:27:18); an attestation counts only from maintainers: "
        "alice, bob\n"
    )
    assert "by: zoe" in evidence(root)


def test_an_attestation_too_old_for_the_window_says_from_when_it_would_count(
    root: Path, run_cli
) -> None:
    result = attest(run_cli, root, "alice", "2026-01-02")
    assert result.exit_code == 0
    assert (
        "alice's attestation of 2026-01-02 is more than 30 days old (dated before 2026-02-08)"
        in result.stderr
    )
    assert "it counts for 30 days: attest again, dated on or after 2026-02-08" in result.stderr


def test_the_claims_author_is_told_to_ask_someone_else(root: Path, run_cli) -> None:
    # carol is in no group either; the author check comes first, as when judged.
    result = attest(run_cli, root, "carol", "2026-03-01")
    assert "carol made the claim and cannot attest it" in result.stderr
    assert "ask someone who did not make the claim to attest it" in result.stderr


def test_an_attestation_that_counts_says_nothing(root: Path, run_cli) -> None:
    result = attest(run_cli, root, "alice", "2026-03-01")
    assert (result.exit_code, result.stderr) == (0, "")
    verdict = run_cli("evaluate", "s", "--gate", "g", *NOW, "--root", str(root))
    assert "PASS     reviewed" in verdict.stdout


def test_a_judgement_no_rule_reads_is_said_to_count_for_nothing(root: Path, run_cli) -> None:
    result = run_cli(
        "attest", "s", "unread", "--by", "alice", "--date", "2026-03-01", *NOW,
        "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: no rule or step of policy t@1 reads judgement unread: this attestation counts "
        "toward no verdict\n"
    )


def test_an_attestation_that_counts_but_is_not_yet_enough_says_how_many_more(
    root: Path, run_cli
) -> None:
    sign = ("attest", "s", "signed", "--date", "2026-03-01", *NOW, "--root", str(root))
    first = run_cli(*sign[:3], "--by", "alice", *sign[3:])
    assert first.exit_code == 0
    assert first.stderr == (
        "warning: step sign (policies/t.yaml:17:16) needs 2 different people's attestations; "
        "1 count so far (alice)\n"
    )
    second = run_cli(*sign[:3], "--by", "bob", *sign[3:])
    assert (second.exit_code, second.stderr) == (0, "")


def test_a_dry_run_attestation_is_judged_too_and_nothing_is_written(root: Path, run_cli) -> None:
    result = attest(run_cli, root, "zoe", "2026-03-01", "--dry-run")
    assert result.exit_code == 0
    assert "+  - {judgement: reviewed, by: zoe, date: 2026-03-01}" in result.stdout or (
        "by: zoe" in result.stdout
    )
    assert "zoe is not in reviewer group maintainers" in result.stderr
    assert evidence(root) == EVIDENCE


def test_the_installed_script_warns_about_an_attestation_that_cannot_count(root: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "attest", "s", "reviewed", "--by", "zoe", "--date", "2026-03-01", *NOW,
         "--root", str(root)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: zoe is not in reviewer group maintainers")


# -- waive: an expiry already past is refused ------------------------------------------------------


def test_the_installed_script_refuses_a_waiver_already_expired(root: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "waive", "s", "phase", "--reason", "later", "--approver", "alice",
         "--expires", "2026-03-09", *NOW, "--root", str(root)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(
        "evidence/s.yaml: error: the waiver of phase would not count: it expired on 2026-03-09 "
        "[idle-waiver]\n"
    )
    assert "Traceback" not in result.stderr
    assert evidence(root) == EVIDENCE


def test_a_waiver_expiring_on_the_judging_day_still_counts_that_day(root: Path, run_cli) -> None:
    # `expires` is the waiver's last day (docs/evidence.md): on it, the waiver counts.
    result = run_cli(
        "waive", "s", "phase", "--reason", "later", "--approver", "alice",
        "--expires", "2026-03-10", *NOW, "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr

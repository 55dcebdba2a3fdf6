"""Pull requests that try to pass `gatecheck check` on authority they do not have, or on time.

Each test is an attack by someone with push access to a branch and nothing else: a real git
repository whose main branch holds the shared `release` project (gate `ship`: tests pass, a beta of
two weeks, a maintainer reviewed the changelog, two platforms; maintainers ana and ben; waivers
approved by maintainers for at most 90 days), and a branch `change` where the attacker works.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.check_repos import NOW, PASSING, new_repository
from tests.support.git import MAINTAINER, commit, git

if TYPE_CHECKING:
    from pathlib import Path

ATTACKER = "Mallory <mallory@example.org>"
REVIEW = "attestations:\n  - {judgement: changelog-reviewed, by: ana, date: 2026-02-27}\n"
UNREVIEWED = PASSING.replace(REVIEW, "")  # the base, before ana attested
# Every rule of `ship` fails or is missing: tests fail, the beta is two days old, nobody reviewed.
FAILING = (
    PASSING.replace("failed: 0", "failed: 3")
    .replace("since: 2026-02-01", "since: 2026-02-27")
    .replace(REVIEW, "")
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return new_repository(tmp_path / "repo")


@pytest.fixture
def check(run_cli, repo: Path):
    def run(*args: str) -> tuple[int, dict[str, Any]]:
        result = run_cli(
            "check", "--root", str(repo), "--now", NOW, "--author", "mallory",
            "--format", "json", *args,
        )  # fmt: skip
        assert result.exit_code in {0, 1}, result.stderr
        return result.exit_code, json.loads(result.stdout)

    return run


def evidence(repo: Path) -> Path:
    return repo / "evidence" / "lib.yaml"


def on_main(repo: Path, text: str) -> None:
    """Land `text` as the evidence on main (reviewed), and start the attacker's branch from it."""
    git(repo, "checkout", "-q", "main")
    evidence(repo).write_text(text)
    commit(repo, "reviewed on main", author=MAINTAINER)
    git(repo, "checkout", "-q", "-B", "change")


def attack(repo: Path, text: str, message: str = "attack") -> None:
    evidence(repo).write_text(text)
    commit(repo, message, author=ATTACKER)


def rules(data: dict[str, Any]) -> dict[str, str]:
    (subject,) = data["subjects"]
    return {rule["rule"]: rule["status"] for gate in subject["gates"] for rule in gate["rules"]}


def unverified(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [
        (entry["kind"], entry["who"], entry["location"]["line"])
        for subject in data["subjects"]
        for entry in subject["unverified"]
    ]


def waivers(*entries: tuple[str, str, str]) -> str:
    lines = "".join(
        f"  - {{rule: {rule}, reason: known, approver: {approver}, expires: {expires}}}\n"
        for rule, approver, expires in entries
    )
    return f"waivers:\n{lines}"


EVERY_RULE = ("tests-pass", "soaked", "reviewed", "platforms")


# -- 1. waivers need authority ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ("mallory", "2026-04-01", "mallory", "mallory is not in reviewer group maintainers"),
        ("zed", "2026-04-01", "zed", "zed is not in reviewer group maintainers"),
        ("ana", "2099-12-31", "ana", "more than 90d after 2026-03-01"),
        ("ana", "2026-04-01", "ben", "ana's waiver is new in this change and ana has not approved"),
    ],
)
def test_waiving_every_failing_rule_is_refused(
    repo: Path, check, case: tuple[str, str, str, str]
) -> None:
    approver, expires, approved, why = case
    claimed = FAILING.replace("claims: []", "claims: [ship]")
    attack(repo, claimed + waivers(*((rule, approver, expires) for rule in EVERY_RULE)))
    code, data = check("--approved-by", approved)
    assert code == 1
    statuses = rules(data)
    assert "waived" not in statuses.values()
    (subject,) = data["subjects"]
    for rule in subject["gates"][0]["rules"]:
        if rule["status"] != "pass":
            assert rule["waiver"]["active"] is False
            assert why in rule["waiver"]["refused"]


def test_the_claims_author_cannot_approve_a_waiver_for_it(repo: Path, check) -> None:
    on_main(repo, FAILING.replace("claims: []", "claims: []\nclaimed_by: ana"))
    claimed = FAILING.replace("claims: []", "claims: [ship]\nclaimed_by: ana")
    attack(repo, claimed + waivers(*((rule, "ana", "2026-04-01") for rule in EVERY_RULE)))
    code, data = check("--approved-by", "ana")  # ana approved, but ana also makes the claim
    assert code == 1
    (subject,) = data["subjects"]
    refused = {r["waiver"]["refused"] for r in subject["gates"][0]["rules"] if r.get("waiver")}
    assert refused == {"ana made the claim and cannot approve its waiver"}


def test_a_waiver_approved_in_review_counts(repo: Path, check) -> None:
    text = PASSING.replace("failed: 0", "failed: 3").replace("claims: []", "claims: [ship]")
    attack(repo, text + waivers(("tests-pass", "ben", "2026-04-01")))
    code, data = check("--approved-by", "ben")
    assert (code, rules(data)["tests-pass"]) == (0, "waived")
    assert unverified(data) == []


# -- 2. entries the change writes itself -----------------------------------------------------------


def test_an_attestation_the_change_adds_does_not_count(repo: Path, check) -> None:
    on_main(
        repo,
        UNREVIEWED,
    )
    attack(repo, PASSING.replace("claims: []", "claims: [ship]"))
    code, data = check()
    assert code == 1
    assert rules(data)["reviewed"] == "missing"  # one that does not count is none
    assert unverified(data) == [("attestation", "ana", 11)]
    (subject,) = data["subjects"]
    (reviewed,) = [r for r in subject["gates"][0]["rules"] if r["rule"] == "reviewed"]
    assert "ana's attestation is new in this change" in reviewed["message"]
    # the fix is ana's approval of the change, not another `gatecheck attest`
    (hint,) = [detail["hint"] for detail in reviewed["details"] if detail.get("hint")]
    assert hint == (
        "ana attested in this change: it counts once ana approves the change"
        " (an approving pull request review; --approved-by ana)"
    )
    # the same change, once ana has approved it
    code, data = check("--approved-by", "ana")
    assert (code, rules(data)["reviewed"], unverified(data)) == (0, "pass", [])


def test_an_attestation_without_a_claim_still_fails_the_check(repo: Path, check) -> None:
    """The two-step smuggle: land a forged attestation now, claim the gate in a later change."""
    on_main(repo, FAILING)
    attack(
        repo,
        FAILING + "attestations:\n  - {judgement: changelog-reviewed, by: ben, date: 2026-02-28}\n",
    )
    code, data = check()
    assert code == 1
    assert [claim for s in data["subjects"] for claim in s["claims"]] == []
    assert unverified(data) == [("attestation", "ben", 12)]


def test_a_commit_forged_in_a_maintainers_name_proves_nothing(repo: Path, check) -> None:
    on_main(
        repo,
        UNREVIEWED,
    )
    evidence(repo).write_text(PASSING.replace("claims: []", "claims: [ship]"))
    commit(repo, "attest", author=MAINTAINER)  # the attacker types ana's name as the author
    code, data = check()
    assert code == 1
    assert unverified(data) == [("attestation", "ana", 11)]


@pytest.mark.parametrize(
    "edit",
    [
        ("date: 2026-02-27", "date: 2026-02-28"),  # renew an old attestation
        ("by: ana, date: 2026-02-27}", "by: ana, date: 2026-02-27, note: still fine}"),
    ],
)
def test_altering_an_attestation_of_the_base_makes_it_new(repo: Path, check, edit) -> None:
    attack(repo, PASSING.replace(*edit).replace("claims: []", "claims: [ship]"))
    code, data = check()
    assert code == 1
    assert unverified(data) == [("attestation", "ana", 11)]


def test_an_attestation_added_in_an_earlier_commit_of_the_branch_is_new(repo: Path, check) -> None:
    on_main(
        repo,
        UNREVIEWED,
    )
    attack(repo, PASSING, "add the attestation")
    attack(repo, PASSING.replace("claims: []", "claims: [ship]"), "then claim")
    code, data = check()
    assert code == 1
    assert unverified(data) == [("attestation", "ana", 11)]


def test_renaming_evidence_makes_its_entries_new(repo: Path, check) -> None:
    git(repo, "mv", "evidence/lib.yaml", "evidence/library.yaml")
    text = PASSING.replace("subject: lib", "subject: library").replace(
        "claims: []", "claims: [ship]"
    )
    (repo / "evidence" / "library.yaml").write_text(text)
    commit(repo, "rename", author=ATTACKER)
    code, data = check()
    assert code == 1
    assert unverified(data) == [("attestation", "ana", 11)]


def test_entries_the_base_had_count_without_approval(repo: Path, check) -> None:
    attack(repo, PASSING.replace("claims: []", "claims: [ship]"))
    code, data = check()
    assert (code, unverified(data)) == (0, [])


def test_an_approver_who_is_the_author_cannot_vouch_for_the_claim(repo: Path, check) -> None:
    on_main(
        repo,
        UNREVIEWED,
    )
    attack(repo, PASSING.replace("claims: []", "claims: [ship]"))
    code, data = check("--author", "ana", "--approved-by", "ana")
    assert code == 1
    assert rules(data)["reviewed"] == "missing"  # proven as ana's, but ana made the claim


# -- 3. time is the judging date's -----------------------------------------------------------------


def test_moving_as_of_back_does_not_revive_an_old_attestation(tmp_path: Path, run_cli) -> None:
    repo = new_repository(tmp_path / "repo")
    policy = repo / "policies" / "release.yaml"
    git(repo, "checkout", "-q", "main")
    policy.write_text(
        policy.read_text().replace("by: maintainers}", "by: maintainers, within: 4w}")
    )
    commit(repo, "attestations last four weeks", author=MAINTAINER)
    git(repo, "checkout", "-q", "-B", "change")
    text = PASSING.replace("as_of: 2026-03-01", "as_of: 2026-03-10").replace(
        "claims: []", "claims: [ship]"
    )
    attack(repo, text.replace("as_of: 2026-03-10", "as_of: 2026-03-01"))
    later = run_cli("check", "--root", str(repo), "--now", "2026-04-15", "--format", "json")
    data = json.loads(later.stdout)
    assert later.exit_code == 1
    (subject,) = data["subjects"]
    assert subject["now"] == "2026-04-15"
    (reviewed,) = [r for r in subject["gates"][0]["rules"] if r["rule"] == "reviewed"]
    assert reviewed["status"] == "missing"  # too old to count: a fresh one is still to record
    too_old = "ana's attestation of 2026-02-27 is more than 4 weeks old (dated before 2026-03-18)"
    assert too_old in reviewed["message"]
    assert reviewed["hint"].startswith("re-attest (an attestation counts for 4 weeks): `gatecheck")


def test_an_expired_waiver_stays_expired_whatever_as_of_says(repo: Path, check) -> None:
    text = (
        PASSING.replace("failed: 0", "failed: 3")
        .replace("as_of: 2026-03-01", "as_of: 2026-02-01")
        .replace("claims: []", "claims: [ship]")
    )
    on_main(repo, PASSING + waivers(("tests-pass", "ben", "2026-02-15")))
    attack(repo, text + waivers(("tests-pass", "ben", "2026-02-15")))
    code, data = check()
    assert code == 1
    (subject,) = data["subjects"]
    (tests,) = [r for r in subject["gates"][0]["rules"] if r["rule"] == "tests-pass"]
    assert tests["waiver"]["refused"] == "it expired on 2026-02-15"


def test_an_explicit_now_is_the_judging_date_in_every_header(repo: Path, run_cli) -> None:
    attack(
        repo,
        PASSING.replace("as_of: 2026-03-01", "as_of: 2026-02-10").replace(
            "claims: []", "claims: [ship]"
        ),
    )
    text = run_cli("check", "--root", str(repo), "--now", "2026-03-05").stdout
    assert text.startswith("check: changes since main (")
    assert "judged on 2026-03-05" in text.splitlines()[0]
    evaluated = run_cli("evaluate", "lib", "--root", str(repo), "--now", "2026-03-05").stdout
    assert evaluated.splitlines()[0].endswith(
        "judged on 2026-03-05, evidence as of 2026-02-10 (elapsed time counts to then)"
    )


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (("as_of: 2026-03-01", "as_of: 2026-06-01"), "evidence/lib.yaml:3:8"),
        (("date: 2026-02-27", "date: 2026-03-02"), "evidence/lib.yaml:11:52"),
    ],
)
def test_evidence_dated_after_the_judging_date_is_refused(
    repo: Path, run_cli, edit: tuple[str, str], where: str
) -> None:
    attack(repo, PASSING.replace(*edit).replace("claims: []", "claims: [ship]"))
    result = run_cli("check", "--root", str(repo), "--now", NOW)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{where}: error: ")
    assert "[dated-after-judging]" in result.stderr.splitlines()[0]


def test_a_stale_fact_cannot_pass_a_rule(tmp_path: Path, run_cli) -> None:
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    policy = repo / "policies" / "release.yaml"
    policy.write_text(policy.read_text().replace("waivers:", "freshness: {tests: 30d}\nwaivers:"))
    commit(repo, "test results go stale after 30 days", author=MAINTAINER)
    git(repo, "checkout", "-q", "-B", "change")
    stale = (
        PASSING.replace("claims: []", "claims: [ship]")
        + "sources:\n  tests: {url: 'https://ci.example.org/1', collected_at: 2026-01-15}\n"
    )
    attack(repo, stale)
    result = run_cli("check", "--root", str(repo), "--now", NOW, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (subject,) = data["subjects"]
    (tests,) = [r for r in subject["gates"][0]["rules"] if r["rule"] == "tests-pass"]
    assert tests["status"] == "missing"
    assert "stale: tests observed 2026-01-15; the policy allows 30d" in tests["message"]

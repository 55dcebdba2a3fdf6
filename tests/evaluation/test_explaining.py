"""The engine's verdicts: three-valued logic, quantifiers, time, steps, attestations, waivers."""

import datetime as dt
import json

import pytest

from gatecheck.errors import InvalidInput
from gatecheck.evaluation.rule_results import StepStatus, Verdict
from gatecheck.language.values import show


def rule(require: str, rule_id: str = "r", steps: str = "[]") -> str:
    return (
        f"      - id: {rule_id}\n        title: R\n        source: s\n"
        f"        require: {require}\n        steps: {steps}\n"
    )


def verdict(judge, require: str, facts: str, **kwargs) -> Verdict:
    return judge(rule(require), facts, **kwargs).gates[0].rules[0].status


@pytest.mark.parametrize(
    ("require", "facts", "expected"),
    [
        ("{fact: a, eq: 1}", "  a: 1\n", Verdict.PASS),
        ("{fact: a, eq: 1}", "  a: 2\n", Verdict.FAIL),
        ("{fact: a, eq: 1}", "  b: 1\n", Verdict.MISSING),
        ("{fact: a, eq: 1}", "  a: null\n", Verdict.MISSING),
        ("{fact: a, eq: 1}", "  a: true\n", Verdict.FAIL),
        ("{fact: a, eq: '1'}", "  a: 1\n", Verdict.FAIL),
        ("{fact: a.b.c, gte: 4}", "  a: {b: {c: 4}}\n", Verdict.PASS),
        ("{fact: a.b.c, gte: 4}", "  a: {b: 3}\n", Verdict.MISSING),
        ("{fact: a.1, eq: y}", "  a: [x, y]\n", Verdict.PASS),
        ("{fact: a.5, eq: y}", "  a: [x, y]\n", Verdict.MISSING),
        ("{fact: a, gt: 3}", "  a: three\n", Verdict.FAIL),
        ("{fact: a, exists: true}", "  b: 1\n", Verdict.FAIL),
        ("{fact: a, exists: false}", "  b: 1\n", Verdict.PASS),
        ("{fact: a, in: [x, y]}", "  a: y\n", Verdict.PASS),
        ("{fact: a, not_in: [x, y]}", "  a: y\n", Verdict.FAIL),
        ("{fact: a, contains: x}", "  a: [x, y]\n", Verdict.PASS),
        ("{fact: a, matches: '^v[0-9]+$'}", "  a: v12\n", Verdict.PASS),
        ("{fact: a, matches: '^v[0-9]+$'}", "  a: 12\n", Verdict.FAIL),
    ],
)
def test_leaf_verdicts(judge, require, facts, expected) -> None:
    assert verdict(judge, require, facts) is expected


@pytest.mark.parametrize(
    ("require", "expected"),
    [
        # Kleene logic: a failing part decides `all`, a passing part decides `any`.
        ("{all: [{fact: yes, eq: true}, {fact: no, eq: true}]}", Verdict.FAIL),
        ("{all: [{fact: no, eq: true}, {fact: absent, eq: true}]}", Verdict.FAIL),
        ("{all: [{fact: yes, eq: true}, {fact: absent, eq: true}]}", Verdict.MISSING),
        ("{all: [{fact: yes, eq: true}, {fact: yes, eq: true}]}", Verdict.PASS),
        ("{any: [{fact: no, eq: true}, {fact: yes, eq: true}]}", Verdict.PASS),
        ("{any: [{fact: absent, eq: true}, {fact: yes, eq: true}]}", Verdict.PASS),
        ("{any: [{fact: no, eq: true}, {fact: absent, eq: true}]}", Verdict.MISSING),
        ("{any: [{fact: no, eq: true}, {fact: no, eq: true}]}", Verdict.FAIL),
        ("{not: {fact: no, eq: true}}", Verdict.PASS),
        ("{not: {fact: yes, eq: true}}", Verdict.FAIL),
        ("{not: {fact: absent, eq: true}}", Verdict.MISSING),
    ],
)
def test_three_valued_logic(judge, require, expected) -> None:
    assert verdict(judge, require, "  yes: true\n  no: false\n") is expected


LANGUAGES = "  apis: {rust: true, c: true, python: false, go: true}\n"


@pytest.mark.parametrize(
    ("require", "facts", "expected"),
    [
        ("{some: {fact: apis, where: {fact: $item, eq: false}}}", LANGUAGES, Verdict.PASS),
        ("{every: {fact: apis, where: {fact: $item, eq: true}}}", LANGUAGES, Verdict.FAIL),
        ("{none: {fact: apis, where: {fact: $key, eq: ruby}}}", LANGUAGES, Verdict.PASS),
        ("{none: {fact: apis, where: {fact: $key, eq: go}}}", LANGUAGES, Verdict.FAIL),
        ("{some: {fact: apis}}", "  apis: {}\n", Verdict.FAIL),
        ("{every: {fact: apis, where: {fact: $item, eq: true}}}", "  apis: {}\n", Verdict.PASS),
        ("{some: {fact: apis}}", "  other: 1\n", Verdict.MISSING),
        ("{some: {fact: apis}}", "  apis: 3\n", Verdict.FAIL),
        (
            (
                "{count: {fact: apis, where: {all: [{fact: $key, not_in: [rust, c]}, "
                "{fact: $item, eq: true}]}}, gte: 1}"
            ),
            LANGUAGES,
            Verdict.PASS,
        ),
        (
            (
                "{count: {fact: apis, where: {all: [{fact: $key, not_in: [rust, c]}, "
                "{fact: $item, eq: true}]}}, gte: 2}"
            ),
            LANGUAGES,
            Verdict.FAIL,
        ),
        ("{count: {fact: items}, eq: 3}", "  items: [a, b, c]\n", Verdict.PASS),
        # A list of records: $item.field reaches into each.
        (
            (
                "{none: {fact: bugs, where: {all: [{fact: $item.open, eq: true}, "
                "{fact: $item.severity, eq: serious}]}}}"
            ),
            (
                "  bugs:\n    - {open: true, severity: minor}\n"
                "    - {open: false, severity: serious}\n"
            ),
            Verdict.PASS,
        ),
        # An item that cannot be judged makes `none` missing, unless another item decides.
        (
            "{none: {fact: bugs, where: {fact: $item.severity, eq: serious}}}",
            "  bugs:\n    - {open: true}\n",
            Verdict.MISSING,
        ),
        (
            "{none: {fact: bugs, where: {fact: $item.severity, eq: serious}}}",
            "  bugs:\n    - {open: true}\n    - {severity: serious}\n",
            Verdict.FAIL,
        ),
    ],
)
def test_quantifiers(judge, require, facts, expected) -> None:
    assert verdict(judge, require, facts) is expected


def test_count_with_unknown_items_is_missing_only_when_they_could_change_it(judge) -> None:
    facts = "  xs:\n    - {ok: true}\n    - {other: 1}\n"
    assert verdict(
        judge, "{count: {fact: xs, where: {fact: $item.ok, eq: true}}, gte: 2}", facts
    ) is (Verdict.MISSING)
    assert verdict(
        judge, "{count: {fact: xs, where: {fact: $item.ok, eq: true}}, gte: 3}", facts
    ) is (Verdict.FAIL)


def test_failing_item_is_named_with_its_concrete_path(judge) -> None:
    result = judge(rule("{every: {fact: apis, where: {fact: $item, eq: true}}}"), LANGUAGES)
    primary = result.gates[0].rules[0].primary
    assert primary is not None
    assert primary.fact == "apis.python"
    assert primary.actual is False
    assert (primary.location.line, primary.location.column) == (4, 39)


def test_missing_fact_is_located_where_to_record_it_and_its_test_in_the_policy(judge) -> None:
    result = judge(rule("{fact: a, eq: 1}") + rule("{fact: b, eq: 1}", "r2"), "  a: 2\n")
    failing, missing = result.gates[0].rules
    assert failing.primary.location.path == "evidence/s.yaml"
    assert (failing.primary.location.line, failing.primary.location.column) == (4, 6)
    # b would go under `facts:` (line 3); the test that asks for it stays known
    assert str(missing.primary.location) == "evidence/s.yaml:3:1"
    assert missing.primary.policy_location.path == "policies/t.yaml"
    assert missing.primary.recorded is False
    assert missing.primary.fact == "b"


@pytest.mark.parametrize(
    ("facts", "where"),
    [
        ("  a: 1\n  fuzzing:\n    since: 2026-01-01\n", "5:3"),  # the parent's key, `fuzzing:`
        ("  a: 1\n  fuzzing:\n    generated: null\n", "6:5"),  # written as null: its own key
        ("  a: 1\n  fuzzing: {}\n", "5:3"),
        ("  a: 1\n", "3:1"),  # no parent: `facts:`
    ],
)
def test_missing_fact_is_located_at_its_nearest_recorded_parent(judge, facts, where) -> None:
    result = judge(rule("{fact: fuzzing.generated, eq: true}"), facts)
    primary = result.gates[0].rules[0].primary
    assert result.gates[0].rules[0].status is Verdict.MISSING
    assert str(primary.location) == f"evidence/s.yaml:{where}"


@pytest.mark.parametrize(
    ("since", "now", "expected", "passes_on"),
    [
        ("2026-02-26", dt.date(2026, 3, 5), Verdict.PASS, None),  # exactly 7 days
        ("2026-02-27", dt.date(2026, 3, 5), Verdict.FAIL, dt.date(2026, 3, 6)),
        ("2026-03-10", dt.date(2026, 3, 5), Verdict.FAIL, dt.date(2026, 3, 17)),
        ("2026-02-27T23:00:00Z", dt.date(2026, 3, 6), Verdict.PASS, None),
        ("'2026-02-01'", dt.date(2026, 3, 5), Verdict.FAIL, None),  # a string, not a date
    ],
)
def test_older_than(judge, since, now, expected, passes_on) -> None:
    result = judge(rule("{fact: since, older_than: 7d}"), f"  since: {since}\n", now=now)
    verdict_ = result.gates[0].rules[0]
    assert verdict_.status is expected
    assert verdict_.primary.passes_on == passes_on


def test_newer_than_and_weeks(judge) -> None:
    assert verdict(judge, "{fact: d, newer_than: 2w}", "  d: 2026-02-20\n") is Verdict.PASS
    assert verdict(judge, "{fact: d, newer_than: 2w}", "  d: 2026-02-19\n") is Verdict.FAIL


def test_a_date_after_the_day_it_was_observed_passes_no_time_test(judge) -> None:
    """Issue 13 item 7: `newer_than` passed, without a word, on a date that had not come."""
    later = "  d: 2026-03-20\n"  # judge's default judging date is 2026-03-05
    assert verdict(judge, "{fact: d, newer_than: 2w}", later) is Verdict.FAIL
    result = judge(rule("{fact: d, newer_than: 2w}"), later)
    assert result.gates[0].rules[0].primary.message == (
        "d is 2026-03-20, after the day it was observed (2026-03-05): no time has run from it yet;"
        " expected a date after 2026-02-19 (less than 2 weeks old)"
    )
    # a date on the observation day is not later than it
    assert verdict(judge, "{fact: d, newer_than: 2w}", "  d: 2026-03-05\n") is Verdict.PASS


def test_evidence_cannot_vouch_for_days_after_its_as_of(judge) -> None:
    facts = "  since: 2026-02-27\n"
    later = dt.date(2026, 12, 1)
    assert verdict(judge, "{fact: since, older_than: 7d}", facts, now=later) is Verdict.PASS
    capped = judge(
        rule("{fact: since, older_than: 7d}"), facts, envelope="as_of: 2026-03-01\n", now=later
    )
    assert capped.now == later  # judged on the judging date; only elapsed time stops at as_of
    assert capped.as_of == dt.date(2026, 3, 1)
    assert capped.gates[0].rules[0].status is Verdict.FAIL


@pytest.mark.parametrize(
    ("envelope", "where"),
    [
        ("as_of: 2099-01-01\n", (3, 8)),
        ("attestations:\n  - {judgement: ok, by: ben, date: 2026-04-01}\n", (4, 36)),
        ("sources:\n  since: {url: u, collected_at: 2026-03-06}\n", (4, 33)),
    ],
)
def test_an_observation_date_after_the_judging_date_is_a_problem(judge, envelope, where) -> None:
    with pytest.raises(InvalidInput) as raised:
        judge(
            rule("{fact: since, older_than: 7d}"),
            "  since: 2026-02-27\n",
            envelope=envelope,
            extra="judgements: {ok: It is fine.}\n",
        )
    (problem,) = raised.value.problems
    assert problem.code == "dated-after-judging"
    assert (problem.location.line, problem.location.column) == where


STEPS = """\
  - {id: a, title: A, source: s, done_when: {fact: a, eq: true}}
  - {id: b, title: B, source: s, needs: [a], done_when: {fact: b, eq: true}}
  - {id: c, title: C, source: s, needs: [b], done_when: {all: [{step: b}, {fact: c, eq: true}]}}
"""


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ("  a: true\n  b: true\n  c: true\n", Verdict.PASS),
        ("  a: true\n  b: true\n  c: false\n", Verdict.FAIL),
        ("  a: true\n  b: false\n  c: true\n", Verdict.FAIL),
        ("  a: true\n  c: true\n", Verdict.MISSING),  # step b cannot be judged
    ],
)
def test_step_references(judge, facts, expected) -> None:
    assert verdict(judge, "{step: c}", facts, steps=STEPS) is expected


def test_next_step_is_the_first_ready_work_the_rule_waits_for(judge) -> None:
    result = judge(rule("{step: c}", steps="[c]"), "  a: false\n", steps=STEPS)
    step = result.gates[0].rules[0].next_step
    assert step is not None
    assert (step.step, step.status, step.for_step) == ("a", StepStatus.READY, "c")
    done = judge(rule("{fact: x, eq: 1}", steps="[a]"), "  a: true\n  x: 2\n", steps=STEPS)
    assert done.gates[0].rules[0].next_step is None


ATTEST = "reviewers:\n  core: [ana, ben]\njudgements:\n  ok: Looks right.\n"


@pytest.mark.parametrize(
    ("require", "attestations", "expected"),
    [
        ("{attested: ok}", "", Verdict.MISSING),
        ("{attested: ok}", "  - {judgement: ok, by: zoe, date: 2026-03-01}\n", Verdict.PASS),
        (
            "{attested: ok, by: core}",
            "  - {judgement: ok, by: zoe, date: 2026-03-01}\n",
            Verdict.MISSING,  # too few that count: still to record, never a failure
        ),
        (
            "{attested: ok, by: core}",
            "  - {judgement: ok, by: ben, date: 2026-03-01}\n",
            Verdict.PASS,
        ),
        (
            "{attested: ok, within: 2w}",
            "  - {judgement: ok, by: ben, date: 2026-01-01}\n",
            Verdict.MISSING,  # too few that count: still to record, never a failure
        ),
        (
            "{attested: ok, at_least: 2}",
            (
                "  - {judgement: ok, by: ben, date: 2026-03-01}\n"
                "  - {judgement: ok, by: ben, date: 2026-03-02}\n"
            ),
            Verdict.MISSING,  # too few that count: still to record, never a failure
        ),
        (
            "{attested: ok, at_least: 2, by: core}",
            (
                "  - {judgement: ok, by: ben, date: 2026-03-01}\n"
                "  - {judgement: ok, by: ana, date: 2026-03-02}\n"
            ),
            Verdict.PASS,
        ),
    ],
)
def test_attestations(judge, require, attestations, expected) -> None:
    envelope = f"attestations:\n{attestations}" if attestations else ""
    assert verdict(judge, require, "  x: 1\n", extra=ATTEST, envelope=envelope) is expected


def test_attestation_failure_says_why(judge) -> None:
    envelope = "attestations:\n  - {judgement: ok, by: zoe, date: 2026-03-01}\n"
    result = judge(rule("{attested: ok, by: core}"), "  x: 1\n", extra=ATTEST, envelope=envelope)
    assert "zoe is not in reviewer group core" in result.gates[0].rules[0].message


WAIVERS = "reviewers: {leads: [ana, ben]}\nwaivers: {approvers: leads, longest: 90d}\n"


@pytest.mark.parametrize(
    ("waiver", "expected", "why"),
    [
        ("{rule: r, reason: known, approver: ana, expires: 2026-03-05}", Verdict.WAIVED, None),
        (
            "{rule: r, reason: known, approver: ana, expires: 2026-03-04}",
            Verdict.FAIL,
            "it expired on 2026-03-04",
        ),
        (
            "{rule: r, gate: g, reason: known, approver: ana, expires: 2026-06-03}",
            Verdict.WAIVED,
            None,
        ),
        (
            "{rule: r, reason: known, approver: ana, expires: 2026-06-04}",
            Verdict.FAIL,
            (
                "it expires on 2026-06-04, more than 90d after 2026-03-05 (policy t@1 allows "
                "waivers until 2026-06-03)"
            ),
        ),
        (
            "{rule: r, reason: known, approver: cy, expires: 2026-03-05}",
            Verdict.FAIL,
            "cy is not in reviewer group leads",
        ),
    ],
)
def test_waivers(judge, waiver, expected, why) -> None:
    envelope = f"waivers:\n  - {waiver}\n"
    result = judge(rule("{fact: a, eq: 1}"), "  a: 2\n", envelope=envelope, extra=WAIVERS)
    verdict_ = result.gates[0].rules[0]
    assert (verdict_.status, result.gates[0].status) == (expected, expected)
    assert verdict_.waiver is not None
    assert verdict_.waiver["refused"] == why
    if why is not None:
        assert verdict_.message.endswith(
            f"(the waiver by {verdict_.waiver['approver']} does not count: {why})"
        )


def test_a_policy_without_waiver_approvers_accepts_no_waiver(judge) -> None:
    envelope = "waivers:\n  - {rule: r, reason: known, approver: ana, expires: 2026-03-05}\n"
    result = judge(rule("{fact: a, eq: 1}"), "  a: 2\n", envelope=envelope)
    verdict_ = result.gates[0].rules[0]
    assert verdict_.status is Verdict.FAIL
    assert (
        verdict_.waiver["refused"]
        == "policy t@1 accepts no waivers (it names no `waivers` approvers)"
    )


def test_the_author_of_a_claim_cannot_approve_its_waiver(judge) -> None:
    envelope = (
        "claimed_by: ana\n"
        "waivers:\n  - {rule: r, reason: known, approver: ana, expires: 2026-03-05}\n"
    )
    result = judge(rule("{fact: a, eq: 1}"), "  a: 2\n", envelope=envelope, extra=WAIVERS)
    verdict_ = result.gates[0].rules[0]
    assert verdict_.status is Verdict.FAIL
    assert verdict_.waiver["refused"] == "ana made the claim and cannot approve its waiver"


def test_a_waiver_expiry_is_judged_at_the_judging_date_not_as_of(judge) -> None:
    envelope = (
        "as_of: 2026-01-01\n"
        "waivers:\n  - {rule: r, reason: known, approver: ana, expires: 2026-02-01}\n"
    )
    result = judge(rule("{fact: a, eq: 1}"), "  a: 2\n", envelope=envelope, extra=WAIVERS)
    assert result.gates[0].rules[0].status is Verdict.FAIL
    assert result.gates[0].rules[0].waiver["refused"] == "it expired on 2026-02-01"


def test_many_waivers_are_indexed_by_rule(judge) -> None:
    rules = "".join(rule("{fact: a, eq: 1}", f"r{i}") for i in range(50))
    waivers = "".join(
        f"  - {{rule: r{i}, reason: known, approver: ana, expires: 2026-03-05}}\n"
        for i in range(0, 50, 2)
    )
    result = judge(rules, "  a: 2\n", envelope=f"waivers:\n{waivers}", extra=WAIVERS)
    statuses = [r.status for r in result.gates[0].rules]
    assert statuses == [Verdict.WAIVED, Verdict.FAIL] * 25


def test_expired_waiver_is_reported_and_a_passing_rule_ignores_waivers(judge) -> None:
    waiver = "waivers:\n  - {rule: r, reason: known, approver: ana, expires: 2026-01-01}\n"
    expired = judge(rule("{fact: a, eq: 1}"), "  a: 2\n", envelope=waiver, extra=WAIVERS)
    assert "does not count: it expired on 2026-01-01" in expired.gates[0].rules[0].message
    passing = judge(rule("{fact: a, eq: 1}"), "  a: 1\n", envelope=waiver, extra=WAIVERS)
    assert passing.gates[0].rules[0].status is Verdict.PASS
    assert passing.gates[0].rules[0].waiver is None


def test_gate_status_takes_the_worst_verdict(judge) -> None:
    rules = rule("{fact: a, eq: 1}", "r1") + rule("{fact: b, eq: 1}", "r2")
    assert judge(rules, "  a: 1\n  b: 1\n").gates[0].status is Verdict.PASS
    assert judge(rules, "  a: 1\n").gates[0].status is Verdict.MISSING
    assert judge(rules, "  a: 2\n").gates[0].status is Verdict.FAIL


def test_evaluation_is_deterministic(judge) -> None:
    rules = rule("{count: {fact: apis, where: {fact: $item, eq: true}}, gte: 2}")
    assert judge(rules, LANGUAGES) == judge(rules, LANGUAGES)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (None, "null"),
        (dt.date(2026, 1, 2), "2026-01-02"),
        ([1, "a b"], "[1, 'a b']"),
        ({"k": False}, "{k: false}"),
        ("wasm_tail-call.1", "wasm_tail-call.1"),
        ("", "''"),
        (1.5, "1.5"),
    ],
)
def test_show(value, text) -> None:
    assert show(value) == text


@pytest.mark.parametrize(
    ("since", "now", "expected"),
    [
        ("0001-01-01", dt.date(1, 1, 1), Verdict.FAIL),  # the threshold is before the year 1
        ("9999-12-30", dt.date(9999, 12, 31), Verdict.FAIL),  # it would pass after 9999-12-31
        ("0001-01-01", dt.date(9999, 12, 31), Verdict.PASS),
    ],
)
def test_time_rules_at_the_ends_of_the_calendar(judge, since, now, expected) -> None:
    rules = rule("{fact: d, older_than: 2w}") + rule("{attested: ok, within: 2w}", "r2")
    envelope = "attestations:\n  - {judgement: ok, by: ben, date: 0001-01-01}\n"
    result = judge(rules, f"  d: {since}\n", now=now, extra=ATTEST, envelope=envelope)
    assert result.gates[0].rules[0].status is expected
    assert result.gates[0].rules[0].primary.passes_on is None or expected is Verdict.FAIL


# -- freshness -------------------------------------------------------------------------------------

FRESH = "freshness: {ci: 30d}\n"
CI_FACTS = "  ci: {passed: true, runs: [1, 2]}\n  other: true\n"


def fresh_verdict(judge, require: str, envelope: str, *, extra: str = FRESH) -> tuple[Verdict, str]:
    result = judge(rule(require), CI_FACTS, envelope=envelope, extra=extra)
    found = result.gates[0].rules[0]
    return found.status, found.message


OLD = "as_of: 2026-01-01\n"  # judged on 2026-03-05: older than 30 days
NEW = "as_of: 2026-03-01\n"


@pytest.mark.parametrize(
    ("require", "stale", "fresh"),
    [
        ("{fact: ci.passed, eq: true}", Verdict.MISSING, Verdict.PASS),
        ("{fact: ci.passed, exists: false}", Verdict.MISSING, Verdict.FAIL),
        ("{not: {fact: ci.passed, eq: false}}", Verdict.MISSING, Verdict.PASS),
        (
            "{fact: ci, exists: true}",
            Verdict.MISSING,
            Verdict.PASS,
        ),  # a section holding stale facts
        ("{some: {fact: ci.runs, where: {fact: $item, eq: 2}}}", Verdict.MISSING, Verdict.PASS),
        ("{count: {fact: ci.runs}, gte: 1}", Verdict.MISSING, Verdict.PASS),
        (
            "{any: [{fact: ci.passed, eq: true}, {fact: other, eq: true}]}",
            Verdict.PASS,
            Verdict.PASS,
        ),
        (
            "{all: [{fact: ci.passed, eq: true}, {fact: other, eq: false}]}",
            Verdict.FAIL,
            Verdict.FAIL,
        ),
        ("{fact: other, eq: true}", Verdict.PASS, Verdict.PASS),  # not under the freshness entry
    ],
)
def test_a_stale_fact_can_neither_pass_nor_fail(judge, require, stale, fresh) -> None:
    assert fresh_verdict(judge, require, OLD)[0] is stale
    assert fresh_verdict(judge, require, NEW)[0] is fresh


def test_staleness_says_when_the_fact_was_observed_and_what_is_allowed(judge) -> None:
    status, message = fresh_verdict(judge, "{fact: ci.passed, eq: true}", OLD)
    assert status is Verdict.MISSING
    assert message == (
        "ci.passed is stale: ci observed 2026-01-01; the policy allows 30d (observed on or after "
        "2026-02-03); expected true"
    )


def test_a_source_date_decides_and_the_oldest_under_an_entry_wins(judge) -> None:
    sources = "sources:\n  ci.passed: {url: u, collected_at: 2026-03-01}\n"
    assert fresh_verdict(judge, "{fact: ci.passed, eq: true}", OLD + sources)[0] is Verdict.MISSING
    newer = "sources:\n  ci: {url: u, collected_at: 2026-03-01}\n"
    assert fresh_verdict(judge, "{fact: ci.passed, eq: true}", OLD + newer)[0] is Verdict.PASS
    older = newer + "  ci.runs: {url: u, collected_at: 2025-12-01}\n"
    status, message = fresh_verdict(judge, "{fact: ci.passed, eq: true}", NEW + older)
    assert (status, "ci observed 2025-12-01" in message) == (Verdict.MISSING, True)


def test_an_undated_fact_under_freshness_is_stale(judge) -> None:
    status, message = fresh_verdict(judge, "{fact: ci.passed, eq: true}", "")
    assert status is Verdict.MISSING
    assert "ci has no observation date" in message


def test_freshness_keys_are_checked_fact_paths(tmp_path) -> None:
    from tests.support.project import write_project

    from gatecheck.loading.policies import load_policies
    from gatecheck.project.layout import open_project

    schema = json.dumps({"properties": {"ci": {"type": "object"}}, "additionalProperties": False})
    policy = (
        "name: t\nversion: 1\ntitle: T\nsource: {title: s}\nfacts_schema: t.facts.schema.json\n"
        "freshness: {cj: 30d}\ngates: []\n"
    )
    write_project(tmp_path, policy, {}, schema)
    (problem,) = load_policies(open_project(str(tmp_path))).problems
    assert (problem.code, problem.location.line) == ("unknown-fact", 6)


def test_a_rule_failing_two_tests_of_one_fact_says_both(judge) -> None:
    """Fixing the first would not make the rule pass, so the message must not hide the second."""
    found = (
        judge(rule("{all: [{fact: a, gte: 10}, {fact: a, ne: 3}]}"), "  a: 3\n").gates[0].rules[0]
    )
    assert found.status is Verdict.FAIL
    assert found.message == "a is 3; expected at least 10; a is 3; expected anything but 3"

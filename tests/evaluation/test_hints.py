"""Hints: the one shown is the deciding test's (its condition's or built in), else the rule's.

And the plain words of the explanations they go with.
"""

import json

import pytest

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.json import load, render

ATTEST = "reviewers:\n  core: [ana, ben, cy]\njudgements:\n  ok: Looks right.\n"
RULE_HINT = "Ask the release team."


def rule(require: str, rule_id: str = "r", hint: str | None = RULE_HINT) -> str:
    text = (
        f"      - id: {rule_id}\n        title: R\n        source: s\n        require: {require}\n"
    )
    return text + (f"        hint: {hint}\n" if hint else "")


def judged(judge, require: str, facts: str = "  x: 1\n", attestations: str = "", **kwargs):
    envelope = f"attestations:\n{attestations}" if attestations else ""
    result = judge(rule(require, **kwargs), facts, extra=ATTEST, envelope=envelope)
    return result.gates[0].rules[0]


def test_a_condition_hint_is_shown_for_the_condition_that_decided(judge) -> None:
    require = "{all: [{fact: x, eq: 1, hint: Set x.}, {fact: y, eq: 2, hint: Raise y to 2.}]}"
    result = judged(judge, require, "  x: 1\n  y: 3\n")
    assert result.status is Verdict.FAIL
    assert result.message == "y is 3; expected 2"
    assert result.hint == "Raise y to 2."
    assert result.rule_hint == RULE_HINT


def test_the_rule_hint_is_shown_when_the_deciding_test_has_none(judge) -> None:
    result = judged(judge, "{all: [{fact: x, eq: 1, hint: Set x.}, {fact: y, eq: 2}]}", "  x: 1\n")
    assert result.status is Verdict.MISSING
    assert result.hint == RULE_HINT


def test_the_innermost_hint_applies(judge) -> None:
    require = "{hint: Outer., all: [{fact: x, eq: 2, hint: Inner.}, {fact: y, eq: 2}]}"
    facts = "  x: 1\n  y: 1\n"
    result = judged(judge, require, facts)
    assert [detail.hint for detail in result.details] == ["Inner.", "Outer."]
    assert result.hint == "Inner."


def test_a_quantifier_hint_covers_its_items(judge) -> None:
    require = "{none: {fact: bugs, where: {fact: $item.open, eq: true}}, hint: Close the bug.}"
    result = judged(judge, require, "  bugs: [{open: false}, {open: true}]\n")
    assert result.message == "bugs.1 (open true) is an item bugs may not have; expected none"
    assert result.hint == "Close the bug."


def test_a_passing_rule_shows_its_own_hint(judge) -> None:
    result = judged(judge, "{fact: x, eq: 1, hint: Set x.}")
    assert result.status is Verdict.PASS
    assert result.hint == RULE_HINT


def test_an_attestation_too_old_says_to_attest_again(judge) -> None:
    old = "  - {judgement: ok, by: ben, date: 2025-01-01}\n"
    result = judged(judge, "{attested: ok, by: core, within: 2w}", attestations=old)
    assert result.status is Verdict.MISSING
    assert result.message == (
        "no attestation of 'ok' counts; expected 1 by core, at most 2 weeks old: ben's attestation"
        " of 2025-01-01 is more than 2 weeks old (dated before 2026-02-19)"
    )
    assert result.hint == (
        "re-attest (an attestation counts for 2 weeks): `gatecheck attest s ok --by ben`"
    )


def test_too_few_attestations_say_how_many_more_and_from_whom(judge) -> None:
    one = "  - {judgement: ok, by: ana, date: 2026-03-01}\n"
    result = judged(judge, "{attested: ok, by: core, at_least: 3}", attestations=one)
    assert result.message == "1 attestation of 'ok' counts; expected 3 by core"
    assert result.hint == (
        "2 more attestations are needed: `gatecheck attest s ok --by LOGIN`, LOGIN one of core"
        " (ben, cy)"
    )


def test_no_attestation_is_located_where_attestations_are_written(judge) -> None:
    result = judged(judge, "{attested: ok, by: core}")
    assert result.message == "no attestation of 'ok' is recorded; expected 1 by core"
    assert result.hint == (
        "1 attestation is needed: `gatecheck attest s ok --by LOGIN`, LOGIN one of core"
        " (ana, ben, cy)"
    )
    assert str(result.primary.location) == "evidence/s.yaml:1:1"
    assert result.primary.policy_location.path == "policies/t.yaml"


def test_an_authors_hint_replaces_the_built_in_one(judge) -> None:
    result = judged(judge, "{attested: ok, by: core, hint: Ask ana.}")
    assert result.hint == "Ask ana."


def test_a_stale_fact_says_to_observe_it_again(judge) -> None:
    policy = ATTEST + "freshness:\n  ci: 30d\n"
    result = (
        judge(
            rule("{fact: ci.passed, eq: true}"),
            "  ci: {passed: true}\n",
            extra=policy,
            envelope="as_of: 2026-01-01\n",
        )
        .gates[0]
        .rules[0]
    )
    assert result.status is Verdict.MISSING
    assert result.hint == (
        "observe `ci` again: re-collect it (`gatecheck collect`), or re-record `ci.passed` with"
        " `gatecheck record s ci.passed VALUE --collected-at YYYY-MM-DD`"
    )


@pytest.mark.parametrize(
    ("require", "facts", "message"),
    [
        ("{fact: x, gte: 4}", "  x: 3\n", "x is 3; expected at least 4"),
        ("{fact: x, lt: 4}", "  x: 5\n", "x is 5; expected less than 4"),
        ("{fact: x, ne: 4}", "  x: 4\n", "x is 4; expected anything but 4"),
        ("{fact: x, in: [a, b]}", "  x: c\n", "x is c; expected one of [a, b]"),
        ("{fact: x, not_in: [a, b]}", "  x: a\n", "x is a; expected none of [a, b]"),
        ("{fact: x, matches: '^v[0-9]+$'}", "  x: w\n", ("x is w; expected text matching"
         " /^v[0-9]+$/")),
        ("{fact: y, eq: true}", "  x: 1\n", "y is not recorded; expected true"),
        ("{count: {fact: l}, gte: 3}", "  l: [a]\n", "l has 1 item; expected at least 3"),
        ("{count: {fact: l}, eq: 0}", "  l: [a, b]\n", "l has 2 items; expected none"),
        ("{some: {fact: l, where: {fact: $item, eq: c}}}", "  l: [a]\n", ("no item of l matches;"
         " expected at least one")),
        ("{not: {fact: x, eq: 1}}", "  x: 1\n", "x is 1, which is not allowed"),
        ("{not: {fact: x, lt: 4}}", "  x: 5\n", "x is 5"),  # passes: nothing was expected of it
        ("{fact: x, gt: 3}", "  x: three\n", ("x is three: a string cannot be ordered against a"
         " number; expected more than 3")),
        ("{fact: x, older_than: 1w}", "  x: soon\n", ("x is soon, not a date; expected a date on"
         " or before 2026-02-26 (at least 1 week old)")),
    ],
)  # fmt: skip
def test_messages_are_plain_words(judge, require, facts, message) -> None:
    assert judged(judge, require, facts).message == message


def test_hints_and_test_locations_survive_json(judge) -> None:
    result = judge(rule("{all: [{fact: x, eq: 2, hint: Set x to 2.}]}"), "  x: 1\n", extra=ATTEST)
    text = render_one(result)
    data = json.loads(text)["subjects"][0]["gates"][0]["rules"][0]
    assert data["hint"] == "Set x to 2."
    assert data["rule_hint"] == RULE_HINT
    assert data["details"][0]["hint"] == "Set x to 2."
    assert data["details"][0]["policy_location"]["file"] == "policies/t.yaml"
    assert render(load(text)) == text


def render_one(subject) -> str:
    from gatecheck.evaluation.results import Report

    return render(Report(subject.now, (subject,)))

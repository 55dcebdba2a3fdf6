"""A fact compared with another (`{fact: a, lte: {fact: b, minus: 1d}}`): verdicts, words."""

import pytest

from gatecheck.evaluation.rule_results import Verdict


def rule(require: str, rule_id: str = "r") -> str:
    return (
        f"      - id: {rule_id}\n        title: R\n        source: s\n"
        f"        require: {require}\n        steps: []\n"
    )


def judged(judge, require: str, facts: str, **kwargs):
    return judge(rule(require), facts, **kwargs).gates[0].rules[0]


DOCS_BEFORE_RELEASE = "{fact: docs.built_on, lte: {fact: release.date, minus: 1d}}"
TWO_WEEKS_AFTER_FREEZE = "{fact: release.date, gte: {fact: freeze.date, plus: 2w}}"
ALL_PASSED = "{fact: tests.passed, eq: {fact: tests.total}}"
COVERAGE_KEPT = "{fact: coverage.after, gte: {fact: coverage.before, minus: 0.5}}"


@pytest.mark.parametrize(
    ("require", "facts", "expected"),
    [
        # dates, `minus`: on or before the day before
        (
            DOCS_BEFORE_RELEASE,
            "  docs: {built_on: 2026-03-03}\n  release: {date: 2026-03-04}\n",
            "pass",
        ),
        (
            DOCS_BEFORE_RELEASE,
            "  docs: {built_on: 2026-03-04}\n  release: {date: 2026-03-04}\n",
            "fail",
        ),
        (DOCS_BEFORE_RELEASE, "  docs: {built_on: 2026-03-04}\n", "missing"),
        (DOCS_BEFORE_RELEASE, "  release: {date: 2026-03-04}\n", "missing"),
        (
            DOCS_BEFORE_RELEASE,
            "  docs: {built_on: null}\n  release: {date: 2026-03-04}\n",
            "missing",
        ),
        # dates, `plus`: weeks
        (
            TWO_WEEKS_AFTER_FREEZE,
            "  freeze: {date: 2026-02-01}\n  release: {date: 2026-02-15}\n",
            "pass",
        ),
        (
            TWO_WEEKS_AFTER_FREEZE,
            "  freeze: {date: 2026-02-01}\n  release: {date: 2026-02-14}\n",
            "fail",
        ),
        # numbers, no offset
        (ALL_PASSED, "  tests: {passed: 12, total: 12}\n", "pass"),
        (ALL_PASSED, "  tests: {passed: 11, total: 12}\n", "fail"),
        (ALL_PASSED, "  tests: {passed: 12, total: 12.0}\n", "pass"),  # numbers are numbers
        (ALL_PASSED, "  tests: {passed: 12}\n", "missing"),
        # numbers, offsets both ways
        (COVERAGE_KEPT, "  coverage: {before: 80, after: 79.5}\n", "pass"),
        (COVERAGE_KEPT, "  coverage: {before: 80, after: 79.4}\n", "fail"),
        ("{fact: n.a, gt: {fact: n.b, plus: 2}}", "  n: {a: 5, b: 3}\n", "fail"),
        ("{fact: n.a, gt: {fact: n.b, plus: 2}}", "  n: {a: 6, b: 3}\n", "pass"),
        ("{fact: n.a, ne: {fact: n.b, plus: 1}}", "  n: {a: 4, b: 3}\n", "fail"),
        ("{fact: n.a, lt: {fact: n.b}}", "  n: {a: 2, b: 3}\n", "pass"),
        # strict: no coercion, and an offset must suit the other fact's kind
        (ALL_PASSED, "  tests: {passed: '12', total: 12}\n", "fail"),
        ("{fact: n.a, eq: {fact: n.b}}", "  n: {a: true, b: 1}\n", "fail"),
        ("{fact: n.a, lte: {fact: n.b}}", "  n: {a: 2026-01-01, b: 3}\n", "fail"),
        (
            "{fact: n.a, lte: {fact: n.b, minus: 1}}",
            "  n: {a: 2026-01-01, b: 2026-01-05}\n",
            "fail",
        ),
        ("{fact: n.a, lte: {fact: n.b, minus: 1d}}", "  n: {a: 2, b: 3}\n", "fail"),
        ("{fact: n.a, eq: {fact: n.b, plus: 1d}}", "  n: {a: x, b: y}\n", "fail"),
        # an offset past the calendar's end cannot be compared
        (
            "{fact: n.a, lte: {fact: n.b, plus: 1d}}",
            "  n: {a: 2026-01-01, b: 9999-12-31}\n",
            "fail",
        ),
        # lists and maps compare whole with eq
        ("{fact: n.a, eq: {fact: n.b}}", "  n: {a: [1, 2], b: [1, 2]}\n", "pass"),
        # not and any cannot turn an unknown comparison into a pass
        ("{not: " + ALL_PASSED + "}", "  tests: {passed: 12}\n", "missing"),
        (
            "{any: [" + ALL_PASSED + ", {fact: tests.passed, eq: 0}]}",
            "  tests: {passed: 12}\n",
            "missing",
        ),
    ],
)
def test_verdicts(judge, require: str, facts: str, expected: str) -> None:
    assert judged(judge, require, facts).status is Verdict(expected)


def test_a_failing_date_comparison_says_both_values_and_the_shifted_one(judge) -> None:
    facts = "  docs: {built_on: 2026-03-05}\n  release: {date: 2026-03-04}\n"
    found = judged(judge, DOCS_BEFORE_RELEASE, facts)
    assert found.message == (
        "docs.built_on is 2026-03-05; expected on or before release.date - 1d "
        "(2026-03-03; release.date is 2026-03-04)"
    )
    compared, other = found.details
    assert (compared.fact, compared.expected) == ("docs.built_on", "<= release.date - 1d")
    assert (compared.location.path, compared.location.line) == ("evidence/s.yaml", 4)
    assert (other.fact, other.location.path, other.location.line) == (
        "release.date",
        "evidence/s.yaml",
        5,
    )


def test_a_failing_number_comparison_without_offset(judge) -> None:
    found = judged(judge, ALL_PASSED, "  tests: {passed: 11, total: 12}\n")
    assert found.message == "tests.passed is 11; expected tests.total (tests.total is 12)"


def test_a_passing_comparison_says_why(judge) -> None:
    result = judge(rule(COVERAGE_KEPT), "  coverage: {before: 80, after: 80}\n")
    found = result.gates[0].rules[0]
    assert found.message == (
        "coverage.after is 80, at least coverage.before - 0.5 (79.5; coverage.before is 80)"
    )


def test_an_offset_of_the_wrong_kind_fails_with_an_explanation(judge) -> None:
    found = judged(judge, "{fact: n.a, eq: {fact: n.b, plus: 1d}}", "  n: {a: x, b: y}\n")
    assert found.message == (
        "n.a is x; expected n.b + 1d (n.b is y: a string cannot be offset by a duration (1d))"
    )
    found = judged(judge, "{fact: n.a, lte: {fact: n.b}}", "  n: {a: 2026-01-01, b: 3}\n")
    assert (
        found.message == "n.a is 2026-01-01: a date cannot be ordered against a number (n.b is 3)"
    )


@pytest.mark.parametrize(
    ("facts", "message", "to_record", "line"),
    [
        (
            "  release: {date: 2026-03-04}\n",
            (
                "docs.built_on is not recorded; expected on or before release.date - 1d "
                "(2026-03-03; release.date is 2026-03-04)"
            ),
            "docs.built_on",
            4,
        ),
        (
            "  docs: {built_on: 2026-03-01}\n",
            (
                "docs.built_on is 2026-03-01; expected on or before release.date - 1d, and"
                " release.date is not recorded"
            ),
            "release.date",
            4,
        ),
        (
            "  other: 1\n",
            (
                "docs.built_on is not recorded; expected on or before release.date - 1d, and"
                " release.date is not recorded"
            ),
            "docs.built_on",
            None,
        ),
    ],
)
def test_a_missing_fact_is_the_one_to_record(judge, facts, message, to_record, line) -> None:
    found = judged(judge, DOCS_BEFORE_RELEASE, facts)
    assert found.status is Verdict.MISSING
    assert found.message == message
    primary = found.primary
    assert (primary.fact, primary.recorded) == (to_record, False)
    # where the missing fact must be recorded, and the test that asks for it
    assert primary.location.path == "evidence/s.yaml"
    assert primary.policy_location is not None
    assert primary.policy_location.path == "policies/t.yaml"
    recorded = [d for d in found.details if d.recorded]
    assert [d.location.line for d in recorded] == ([line] if line else [])


# -- inside quantifiers ---------------------------------------------------------------------------

RELEASES = (
    "  releases:\n"
    "    - {tag: a, built: 2026-01-01, published: 2026-01-03}\n"
    "    - {tag: b, built: 2026-02-01, published: 2026-02-01}\n"
    "  cutoff: 2026-01-15\n"
)


@pytest.mark.parametrize(
    ("require", "expected"),
    [
        (
            "{every: {fact: releases, where: {fact: $item.built, lt: {fact: $item.published}}}}",
            "fail",
        ),
        (
            "{some: {fact: releases, where: {fact: $item.built, lt: {fact: $item.published}}}}",
            "pass",
        ),
        (
            (
                "{every: {fact: releases, where: "
                "{fact: $item.built, lte: {fact: $item.published, minus: 0d}}}}"
            ),
            "pass",
        ),
        # an item's fact against a fact of the subject
        (
            "{count: {fact: releases, where: {fact: $item.built, lt: {fact: cutoff}}}, eq: 1}",
            "pass",
        ),
        (
            "{none: {fact: releases, where: {fact: cutoff, lt: {fact: $item.built, minus: 1w}}}}",
            "fail",
        ),
        # an item without the fact cannot be judged
        ("{every: {fact: releases, where: {fact: $item.tag, eq: {fact: $item.name}}}}", "missing"),
        # $key against a fact
        ("{some: {fact: m, where: {fact: $key, eq: {fact: wanted}}}}", "pass"),
    ],
)
def test_in_quantifiers(judge, require: str, expected: str) -> None:
    facts = RELEASES + "  m: {x: 1, y: 2}\n  wanted: y\n"
    assert judged(judge, require, facts).status is Verdict(expected)


def test_an_item_comparison_names_the_items_facts(judge) -> None:
    require = "{every: {fact: releases, where: {fact: $item.built, lt: {fact: $item.published}}}}"
    found = judged(judge, require, RELEASES)
    assert found.message == (
        "releases.1.built is 2026-02-01; expected before releases.1.published "
        "(releases.1.published is 2026-02-01)"
    )
    assert [d.location.line for d in found.details] == [6, 6]


# -- freshness ------------------------------------------------------------------------------------

FRESH = "freshness: {ci: 30d}\n"
OLD = "as_of: 2026-01-01\nsources:\n  ci: {url: u, collected_at: 2026-01-01}\n"
NEW = "as_of: 2026-03-01\n"


@pytest.mark.parametrize(
    "require",
    [
        "{fact: tests.total, eq: {fact: ci.total}}",  # the referenced fact is the stale one
        "{fact: ci.total, eq: {fact: tests.total}}",  # the compared fact is
        "{not: {fact: tests.total, ne: {fact: ci.total}}}",
        "{any: [{fact: tests.total, eq: {fact: ci.total}}, {fact: tests.total, eq: 0}]}",
    ],
)
def test_a_stale_fact_on_either_side_leaves_the_test_unknown(judge, require: str) -> None:
    facts = "  tests: {total: 12}\n  ci: {total: 12}\n"
    stale = judge(rule(require), facts, extra=FRESH, envelope=OLD).gates[0].rules[0]
    assert stale.status is Verdict.MISSING
    assert "ci.total is stale: ci observed 2026-01-01" in stale.message
    fresh = judge(rule(require), facts, extra=FRESH, envelope=NEW).gates[0].rules[0]
    assert fresh.status is Verdict.PASS

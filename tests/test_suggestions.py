"""suggestions: difflib's did-you-mean among few names, a shortlist among many, a cap."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from gatecheck.errors import known_names_hint
from gatecheck.suggestions import SUGGESTIONS, KnownNames, forget, known_names

WORDS = st.text(alphabet="abcde-", min_size=1, max_size=8)


@given(WORDS, st.lists(WORDS, max_size=32))
def test_among_few_names_the_suggestion_is_difflibs(name: str, names: list[str]) -> None:
    expected = difflib.get_close_matches(name, sorted(set(names)), n=1, cutoff=0.6)
    assert KnownNames(names).closest(name) == (expected[0] if expected else None)


def test_among_many_names_a_typo_finds_its_name() -> None:
    names = [f"{area}-{part}" for area in ("c-api", "cli", "docs", "fuzz") for part in range(500)]
    names += ["fuzz-custom", "spec-tests-pass"]
    known = KnownNames(names)
    assert known.closest("fuzz-custon") == "fuzz-custom"
    assert known.closest("spec-test-pass") == "spec-tests-pass"
    assert known.closest("docs-1234") in {"docs-123", "docs-234"}
    assert known.closest("x" * 101) is None  # no id is that long


def test_a_collection_suggests_for_its_first_problems_only() -> None:
    steps = {f"step-{'a' * 60}{i:06d}": None for i in range(2000)}
    hints = [known_names_hint(f"step-{'a' * 60}{i:06d}x", steps, "step") for i in range(300)]
    suggested = [hint for hint in hints if hint.startswith("did you mean")]
    assert 0 < len(suggested) <= SUGGESTIONS
    assert all(hint.startswith("known steps: step-aaa") for hint in hints[SUGGESTIONS:])
    forget()  # the next run (its policies loaded) suggests again
    assert known_names_hint(f"step-{'a' * 60}001234x", steps, "step").startswith("did you mean")


def test_the_same_collection_is_prepared_once_and_a_changed_one_again() -> None:
    names = {"alpha": 1, "beta": 2}
    assert known_names(names) is known_names(names)
    names["gamma"] = 3
    assert known_names(names).sorted == ["alpha", "beta", "gamma"]
    assert known_names(iter(["b", "a"])).sorted == ["a", "b"]
    many = [[f"name{i}"] for i in range(40)]  # more collections than are remembered
    assert [known_names(names).sorted for names in many] == many

"""line_diff: difflib's answers on small texts, linear work on large ones."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from gatecheck.editing.line_diff import LineMatcher, unified_diff

LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "  - x\n", "# note\n", "z"]), max_size=40)


def valid(a: list[str], b: list[str], blocks: list[tuple[int, int, int]]) -> bool:
    """Blocks in order, each of equal lines, ending with difflib's sentinel."""
    i_end = j_end = 0
    for i, j, size in blocks[:-1]:
        if i < i_end or j < j_end or size <= 0 or a[i : i + size] != b[j : j + size]:
            return False
        i_end, j_end = i + size, j + size
    return blocks[-1] == (len(a), len(b), 0)


@given(LINES, LINES)
def test_small_texts_get_difflibs_answer(a: list[str], b: list[str]) -> None:
    ours = LineMatcher(a, b)
    theirs = difflib.SequenceMatcher(None, a, b, autojunk=False)
    assert ours.get_matching_blocks() == theirs.get_matching_blocks()
    assert list(unified_diff(a, b, "a/x", "b/x")) == list(difflib.unified_diff(a, b, "a/x", "b/x"))


def test_a_change_among_200000_identical_lines() -> None:
    a = ["same\n"] * 200_000
    b = [*a[:100_000], "changed\n", *a[100_001:]]
    assert LineMatcher(a, b).get_matching_blocks() == [
        (0, 0, 100_000),
        (100_001, 100_001, 99_999),
        (200_000, 200_000, 0),
    ]
    assert list(unified_diff(a, b, "old", "new")) == [
        "--- old\n",
        "+++ new\n",
        "@@ -99998,7 +99998,7 @@\n",
        *[" same\n"] * 3,
        "-same\n",
        "+changed\n",
        *[" same\n"] * 3,
    ]


def test_scattered_changes_in_a_large_text_are_found_between_unique_lines() -> None:
    a = [f"key{i}: {i % 7}\n" for i in range(30_000)]
    b = list(a)
    for i in range(0, 30_000, 1_000):
        b[i] = f"key{i}: changed\n"
    blocks = LineMatcher(a, b).get_matching_blocks()
    assert valid(a, b, blocks)
    assert sum(size for *_, size in blocks) == 30_000 - 30


def test_repeated_lines_beyond_the_budget_are_reported_as_changed() -> None:
    a = [f"{'ab'[i % 2]}\n" for i in range(5_000)]
    b = [f"{'ab'[i % 3 % 2]}\n" for i in range(5_000)]
    blocks = LineMatcher(a, b).get_matching_blocks()
    assert valid(a, b, blocks)  # some lines unmatched: a longer diff, never a wrong one


def test_a_moved_block_keeps_the_longest_run_of_lines_in_order() -> None:
    a = [f"line {i}\n" for i in range(3_000)]
    b = a[1_000:2_000] + a[:1_000] + a[2_000:]  # the second thousand moved to the top
    matcher = LineMatcher(a, b)
    blocks = matcher.get_matching_blocks()
    assert valid(a, b, blocks)
    assert matcher.get_matching_blocks() is blocks  # worked out once
    assert sum(size for *_, size in blocks) == 2_000

"""Line diffs that cost about the size of the files, whatever is in them.

`difflib.SequenceMatcher` with `autojunk=False` is quadratic on repeated lines: a failing
`record` on a file of 20,000 identical lines took 51 s to say where its problem was. Edits change
a few lines, so `LineMatcher` first sets aside the lines the two texts share at their start and
end. What is left is given to difflib when it is small (the answer is then exactly difflib's);
otherwise it is cut at lines that occur once in each text (the anchors of a patience diff, in
order by a longest increasing subsequence), and each piece between two anchors is given to
difflib only while a work budget linear in the texts lasts. Lines it does not get to are
reported as changed, which only makes a diff longer or a location say "after the edit".
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

Block = tuple[int, int, int]  # difflib's Match: a[i:i+size] == b[j:j+size]

# difflib's work on a piece of p and q lines is at most about p * q * min(p, q) comparisons.
_PIECE_WORK = 200 * 200 * 200
_WORK_PER_LINE = 64


class LineMatcher(difflib.SequenceMatcher[str]):
    """A SequenceMatcher over lines whose matching blocks cost O(n log n) plus a linear budget."""

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        super().__init__(None, a, b, autojunk=False)
        self._lines = (a, b)
        self._found: list[Block] | None = None

    def get_matching_blocks(self) -> list[Block]:  # type: ignore[override]
        if self._found is None:
            a, b = self._lines
            blocks = _Differ(a, b).blocks(_Span(0, len(a), 0, len(b)), anchored=True)
            self._found = [*_merged(blocks), (len(a), len(b), 0)]
        return self._found


def unified_diff(a: Sequence[str], b: Sequence[str], old: str, new: str) -> Iterator[str]:
    """`difflib.unified_diff(a, b, old, new)`, with LineMatcher's blocks."""
    groups = LineMatcher(a, b).get_grouped_opcodes(3)
    for index, group in enumerate(groups):
        if index == 0:
            yield f"--- {old}\n"
            yield f"+++ {new}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            yield from ("-" + line for line in a[i1:i2])
            yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """A hunk's range as unified diffs write it: `line,count` counting from 1."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


class _Span(NamedTuple):
    """Lines alo..ahi of a and blo..bhi of b (half open)."""

    alo: int
    ahi: int
    blo: int
    bhi: int


class _Differ:
    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        self.a = a
        self.b = b
        self.work = _PIECE_WORK + _WORK_PER_LINE * (len(a) + len(b))

    def blocks(self, span: _Span, *, anchored: bool) -> list[Block]:
        """The equal runs of the span, in order (touching ones: see `_merged`)."""
        whole = self.difflib(span)
        if whole is not None:
            return whole
        a, b = self.a, self.b
        alo, ahi, blo, bhi = span
        head = 0
        while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
            head += 1
        tail = 0
        while min(ahi - alo, bhi - blo) - head > tail and a[ahi - 1 - tail] == b[bhi - 1 - tail]:
            tail += 1
        inner_span = _Span(alo + head, ahi - tail, blo + head, bhi - tail)
        inner = self.difflib(inner_span)
        if inner is None and anchored:
            inner, i, j = [], inner_span.alo, inner_span.blo
            for anchor_i, anchor_j in [*self.anchors(inner_span), (ahi - tail, bhi - tail)]:
                inner += self.blocks(_Span(i, anchor_i, j, anchor_j), anchored=False)
                i, j = anchor_i, anchor_j
        return [(alo, blo, head), *(inner or ()), (ahi - tail, bhi - tail, tail)]

    def difflib(self, span: _Span) -> list[Block] | None:
        """Difflib's blocks for the span, if its worst case fits the work left."""
        alo, ahi, blo, bhi = span
        p, q = ahi - alo, bhi - blo
        cost = p * q * min(p, q)
        if cost > min(_PIECE_WORK, self.work):
            return None
        self.work -= cost
        matcher = difflib.SequenceMatcher(None, self.a[alo:ahi], self.b[blo:bhi], autojunk=False)
        return [(alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n]

    def anchors(self, span: _Span) -> list[tuple[int, int]]:
        """Lines that occur once in each side of the span: the most of them that keep order."""
        a, b = self.a, self.b
        alo, ahi, blo, bhi = span
        in_a = Counter(a[alo:ahi])
        in_b = Counter(b[blo:bhi])
        where_b = {b[j]: j for j in range(blo, bhi) if in_b[b[j]] == 1}
        pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if in_a[a[i]] == 1 and a[i] in where_b]
        return _increasing(pairs)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (in order of i) whose j also increases (patience sorting)."""
    tops: list[int] = []  # the smallest j that ends an increasing run of each length
    ends: list[int] = []  # the index in `pairs` of that run's last pair
    before: list[int] = []  # for each pair, the index of the pair before it in its run
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tops, j)
        if length == len(tops):
            tops.append(j)
            ends.append(index)
        else:
            tops[length], ends[length] = j, index
        before.append(ends[length - 1] if length else -1)
    chosen, index = [], ends[-1] if ends else -1
    while index >= 0:
        chosen.append(pairs[index])
        index = before[index]
    return chosen[::-1]


def _merged(blocks: list[Block]) -> list[Block]:
    """The blocks without empty ones, and touching ones joined (as difflib returns them)."""
    merged: list[Block] = []
    for i, j, size in blocks:
        if not size:
            continue
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            last = merged.pop()
            merged.append((last[0], last[1], last[2] + size))
        else:
            merged.append((i, j, size))
    return merged

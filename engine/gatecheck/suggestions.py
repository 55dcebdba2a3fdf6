"""Did-you-mean hints whose cost does not grow with the number of names, nor of hints.

`difflib.get_close_matches` compares a misspelt name with every known one, each comparison up to
quadratic in their lengths: a policy of 1,000 steps, each needing an undefined step with a long
id, took ten minutes to report. The known names are prepared once per collection (the same object
is passed for every problem of a file: a policy's steps, a schema's properties) and remembered.
Among a few names, every one is compared; among more, only those that share the most uncommon
three-letter pieces with the misspelt name. And a collection gives suggestions to its first
SUGGESTIONS problems only: after that, hints list the known names. What is remembered is
forgotten when the next run loads its policies (`forget`), so one run never changes the hints of
another in the same process.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from collections.abc import Sized
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

SUGGESTIONS = 100  # problems per collection of names that get a did-you-mean
_FEW = 32  # names compared with every misspelt one; past that, a shortlist
_SHORTLIST = 16
_COMMON = 64  # a three-letter piece in more names than this tells nothing apart
_LONGEST = 100  # a name longer than this gets no suggestion (ids are at most 100 characters)
_REMEMBERED = 16


class KnownNames:
    """The names of one collection, sorted, and what finding the closest one needs."""

    def __init__(self, names: Iterable[str]) -> None:
        self.sorted = sorted(set(names))
        self.size = len(names) if isinstance(names, Sized) else -1
        self.suggestions_left = SUGGESTIONS
        self._pieces: dict[str, list[str]] = {}
        if len(self.sorted) > _FEW:
            for name in self.sorted:
                for piece in _pieces(name):
                    self._pieces.setdefault(piece, []).append(name)

    def closest(self, name: str) -> str | None:
        if not self.sorted or len(name) > _LONGEST or self.suggestions_left <= 0:
            return None
        self.suggestions_left -= 1
        pool = self.sorted if len(self.sorted) <= _FEW else self._shortlist(name)
        close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
        return close[0] if close else None

    def _shortlist(self, name: str) -> list[str]:
        """The names sharing the most uncommon pieces with `name` (ties: in sorted order)."""
        shared: Counter[str] = Counter()
        for piece in _pieces(name):
            holders = self._pieces.get(piece, ())
            if len(holders) <= _COMMON:
                shared.update(holders)
        best = heapq.nsmallest(_SHORTLIST, shared.items(), key=lambda item: (-item[1], item[0]))
        return [found for found, _ in best]


def _pieces(name: str) -> set[str]:
    padded = f" {name} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


_KNOWN: dict[int, tuple[object, KnownNames]] = {}


def forget() -> None:
    """Start afresh: every collection is prepared again and may suggest again."""
    _KNOWN.clear()


def known_names(candidates: Iterable[str]) -> KnownNames:
    """The prepared names of `candidates`, remembered while it is the same collection object."""
    if not isinstance(candidates, dict | set | frozenset | list | tuple):
        return KnownNames(candidates)  # an iterator: nothing to remember it by
    found = _KNOWN.get(id(candidates))
    if found is not None and found[0] is candidates and found[1].size == len(candidates):
        return found[1]
    if len(_KNOWN) >= _REMEMBERED:
        _KNOWN.clear()
    known = KnownNames(candidates)
    _KNOWN[id(candidates)] = (candidates, known)
    return known

"""A collected fact's two outcomes: a value with where it was read, or why it is unknown.

Nothing is guessed: a missing file or spelling is a reason (`Unknown`), not `false`.
"""

from __future__ import annotations

from typing import NamedTuple


class Collected(NamedTuple):
    fact: str
    value: object
    repository: str
    commit: str
    file: str
    line: int | None
    note: str


class Unknown(NamedTuple):
    fact: str
    reason: str

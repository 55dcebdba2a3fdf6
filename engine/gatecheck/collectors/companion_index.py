"""A companion repository's commits, held in memory so each lookup is not a git call."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import TYPE_CHECKING

from gatecheck.git.revisions import Revision

if TYPE_CHECKING:
    from gatecheck.git.history import HistoryReader


class CompanionIndex:
    """A companion's commits for `companion_revision`, looked up in memory, not one git call each.

    `latest_before` answers as `git log -1 --before=DATE HEAD` does: the first commit of git log's
    order dated at or before DATE (the running minimum of the dates makes that a bisection).
    """

    def __init__(self, reader: HistoryReader) -> None:
        self.reader = reader
        order = reader.reachable("HEAD")
        self._order = order
        self._lowest: list[int] = []  # the running minimum of dates, negated: ascending
        lowest = None
        for item in order:
            lowest = item.seconds if lowest is None else min(lowest, item.seconds)
            self._lowest.append(-lowest)
        self._tags: frozenset[str] | None = None
        self._revisions: dict[str, Revision] = {}

    def tags(self) -> frozenset[str]:
        if self._tags is None:
            self._tags = frozenset(self.reader.tags())
        return self._tags

    def revision(self, rev: str) -> Revision:
        found = self._revisions.get(rev)
        if found is None:
            found = self._revisions[rev] = self.reader.revision(rev)
        return found

    def latest_before(self, date: str, rev: str = "HEAD") -> Revision | None:
        if rev != "HEAD":  # pragma: no cover - companion_revision asks for HEAD only
            return self.reader.latest_before(date, rev)
        index = bisect.bisect_left(self._lowest, -seconds(date))
        if index == len(self._order):
            return None
        found = self._order[index]
        return Revision(found.commit, found.date)


def seconds(date: str) -> int:
    return int(dt.datetime.fromisoformat(date).timestamp())

"""When the facts were observed, and what that allows: elapsed time, freshness, future dates.

A subject is judged on one date, the judging date (`--now`, else today). Evidence also carries
observation dates: `as_of` for the whole file and `collected_at` for each source. They can only
weaken evidence, never strengthen it:

- time that must have passed ("fuzzed for at least a week") counts only up to the day the fact was
  observed, so evidence recorded three days into fuzzing shows three days, however late it is read;
- windows that must be recent (an attestation's age, a waiver's expiry, `newer_than`) are measured
  at the judging date, so moving `as_of` back cannot revive them;
- a policy's `freshness` says how old a fact may be at the judging date; an older (or undated) fact
  is stale, and a test that reads it cannot pass;
- an observation date after the judging date is a problem: evidence cannot describe a day that has
  not come.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import Problem, Problems
from gatecheck.language.evidence import MISSING, lookup
from gatecheck.language.operators import day_number, from_day_number

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Freshness

Path = tuple[str, ...]


class Staleness(NamedTuple):
    """Why a fact is stale: the freshness entry that covers it, and when it was observed."""

    fact: str  # the freshness entry's fact path
    limit: str  # the entry's duration, such as `90d`
    observed: dt.date | None  # None: no source date and no `as_of`
    oldest: dt.date | None  # the oldest observation date the entry accepts on the judging date

    def describe(self) -> str:
        when = f"observed {self.observed}" if self.observed else "has no observation date"
        allowed = f"the policy allows {self.limit}"
        if self.oldest is not None:
            allowed += f" (observed on or after {self.oldest})"
        return f"stale: {self.fact} {when}; {allowed}"


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


class Observation:
    """The dates one subject is judged by: the judging date, and when each fact was observed."""

    def __init__(self, evidence: Evidence, now: dt.date) -> None:
        self.evidence = evidence
        self.now = now
        self.today = day_number(now)
        # `as_of` later than the judging date is refused before judging; min() keeps it harmless.
        self.as_of = min(now, evidence.as_of) if evidence.as_of is not None else None
        self.observed = self.as_of or now
        self.stale_units: dict[Path, Staleness] = {
            tuple(entry.fact): found
            for entry in evidence.policy.freshness
            if (found := self._staleness(entry)) is not None
        }
        self._observed_days: dict[Path | None, int] = {}
        self._stale_reads: dict[Path, Staleness | None] = {}

    def observed_day(self, parts: Path | None) -> int:
        """The day up to which elapsed time counts for a fact (`parts`; None: inside an item)."""
        found = self._observed_days.get(parts)
        if found is None:
            day = self.observed
            source = self._source_date(parts) if parts is not None else None
            if source is not None and source < day:
                day = source
            found = self._observed_days[parts] = day_number(day)
        return found

    def stale(self, parts: Path) -> Staleness | None:
        """The staleness of a fact path: it lies in, or holds, a stale freshness entry."""
        if not self.stale_units:
            return None
        if parts not in self._stale_reads:
            self._stale_reads[parts] = next(
                (
                    why
                    for unit, why in self.stale_units.items()
                    if parts[: len(unit)] == unit or unit[: len(parts)] == parts
                ),
                None,
            )
        return self._stale_reads[parts]

    def _source_date(self, parts: Path) -> dt.date | None:
        found = self.evidence.provenance(parts)
        return _day(found.get("collected_at")) if found is not None else None

    def _staleness(self, entry: Freshness) -> Staleness | None:
        """The entry's facts are as old as the oldest observation among them (None: fresh)."""
        if lookup(self.evidence.facts, entry.fact)[0] is MISSING:
            return None  # nothing recorded: a reader finds it missing, not stale
        prefix = ".".join(entry.fact)
        dates = [self._source_date(entry.fact) or self.as_of]
        dates += [
            _day(source.get("collected_at")) or self.as_of
            for name, source in self.evidence.sources.items()
            if name.startswith(prefix + ".")
        ]
        oldest_allowed = from_day_number(self.today - entry.days)
        known = [date for date in dates if date is not None]
        observed = min(known) if len(known) == len(dates) else None
        if observed is not None and (oldest_allowed is None or observed >= oldest_allowed):
            return None
        return Staleness(entry.text, entry.duration, observed, oldest_allowed)


def refuse_dated_after(evidence: Iterable[Evidence], now: dt.date) -> None:
    """Refuse, all at once, evidence that says it was observed after the judging date."""
    problems = Problems(problem for item in evidence for problem in dated_after(item, now))
    problems.raise_if_any()


def dated_after(evidence: Evidence, now: dt.date) -> list[Problem]:
    """Observation dates later than the judging date: `as_of`, sources, attestations."""
    document = evidence.document
    found: list[tuple[tuple[str | int, ...], dt.date]] = []
    if evidence.as_of is not None:
        found.append((("as_of",), evidence.as_of))
    for name, source in evidence.sources.items():
        day = _day(source.get("collected_at"))
        if day is not None:
            found.append((("sources", name, "collected_at"), day))
    for index, attestation in enumerate(evidence.attestations):
        found.append((("attestations", index, "date"), attestation["date"]))
    return [
        Problem(
            "dated-after-judging",
            f"{'.'.join(map(str, path))} is {day}, after the judging date {now}",
            document.locate(path),
            "evidence cannot describe a day that has not come: correct the date, or judge on a "
            "later day (--now)",
        )
        for path, day in found
        if day > now
    ]

"""Attestations judged: who may vouch for a judgement (right group, in the window, with authority).

Too few that count is work not yet recorded, as none is: adding an attestation never turns
`missing` into `fail` (docs/policy-language.md, "Counting"), so an attestation condition is True
or None, never False.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from gatecheck.errors import Location
from gatecheck.evaluation.outcomes import Outcome
from gatecheck.evaluation.rule_results import Detail
from gatecheck.language.operators import day_number, from_day_number
from gatecheck.language.wording import duration, how_many

if TYPE_CHECKING:
    from gatecheck.evaluation.authority import Authority
    from gatecheck.language.conditions import Attested
    from gatecheck.language.evidence import Evidence


class Attestations:
    """One subject's attestations, indexed by judgement once, judged at one date."""

    def __init__(self, evidence: Evidence, now: dt.date, authority: Authority) -> None:
        self.evidence = evidence
        self.now = now
        self.authority = authority
        self._by_judgement: dict[str, list[tuple[int, dict[str, Any]]]] | None = None

    def of(self, judgement: str) -> list[tuple[int, dict[str, Any]]]:
        """The attestations of one judgement with their indexes (indexed once per subject)."""
        if self._by_judgement is None:
            self._by_judgement = {}
            for index, entry in enumerate(self.evidence.attestations):
                self._by_judgement.setdefault(entry["judgement"], []).append((index, entry))
        return self._by_judgement.get(judgement, [])

    def value(self, condition: Attested) -> bool | None:
        """`outcome(condition).value`, without its explanation (nor the reasons `accepted` says).

        Who counts is decided by the same tests as `accepted`, in the same order.
        """
        judgement = condition.judgement
        oldest = self._oldest(condition)
        reviewers, now, authority = condition.reviewers, self.now, self.authority
        accepted, recorded = set(), False
        for entry in self.evidence.attestations:  # few: a scan costs less than the index
            if entry["judgement"] != judgement:
                continue
            recorded = True
            who, when = entry["by"], entry["date"]
            if (
                authority.allows("attestation", entry, who)
                and (reviewers is None or who in reviewers)
                and when <= now
                and (oldest is None or when >= oldest)
            ):
                accepted.add(who)
        if not recorded:
            return None
        return True if len(accepted) >= condition.at_least else None

    def outcome(self, condition: Attested) -> Outcome:
        """Whether enough attestations count, who vouched, and why the others do not count.

        One that does not hold says what to run: re-attest an attestation that is too old, or
        how many more are needed and from whom.
        """
        judgement, needed = condition.judgement, condition.at_least
        fact = f"attestations[{judgement}]"
        expected = f"{needed} attestation(s) of {judgement}"
        if condition.group:
            expected += f" by {condition.group}"
        wanted = _wanted(condition)
        indexed = self.of(judgement)
        if not indexed:
            message = f"no attestation of '{judgement}' is recorded; expected {wanted}"
            detail = Detail(
                message,
                fact=fact,
                expected=expected,
                recorded=False,
                location=self._where_to_attest(),
                hint=self._attest_hint(condition, set(), ()),
                policy_location=condition.location,
            )
            return Outcome(None, (detail,))
        entries = [entry for _, entry in indexed]
        accepted, reasons = self.accepted(entries, condition)
        value = True if len(accepted) >= needed else None
        hint = None
        if value:
            message = f"attested by {', '.join(sorted(accepted))}"
        else:
            counting = how_many(len(accepted), "attestation")
            verb = "count" if len(accepted) > 1 else "counts"
            message = f"{counting} of '{judgement}' {verb}; expected {wanted}"
            message += f": {'; '.join(reasons)}" if reasons else ""
            hint = self._attest_hint(
                condition,
                accepted,
                self._too_old(entries, condition),
                self._awaiting_approval(entries, condition),
            )
        detail = Detail(
            message,
            fact=fact,
            expected=expected,
            actual=sorted({entry["by"] for _, entry in indexed}),
            location=self.evidence.document.locate(("attestations", indexed[0][0])),
            hint=hint,
            policy_location=condition.location,
        )
        return Outcome(value, (detail,))

    def _where_to_attest(self) -> Location:
        """The `attestations:` key, where `gatecheck attest` appends; else the top of the file."""
        document = self.evidence.document
        if document.has(("attestations",)):
            return document.locate_key(("attestations",))
        return Location(document.path, 1, 1)

    def _too_old(self, entries: list[dict[str, Any]], condition: Attested) -> tuple[str, ...]:
        """Who vouched in time once, may vouch still, and would count if they attested again."""
        if condition.within_days is None:
            return ()
        oldest = self._oldest(condition)
        return tuple(
            sorted(
                {
                    entry["by"]
                    for entry in entries
                    if oldest is not None
                    and entry["date"] < oldest
                    and self.authority.refusal("attestation", entry, entry["by"], "") is None
                    and (condition.reviewers is None or entry["by"] in condition.reviewers)
                }
            )
        )

    def _awaiting_approval(
        self, entries: list[dict[str, Any]], condition: Attested
    ) -> tuple[str, ...]:
        """Who attested in this change and would count once they approve it (`check` only).

        Their attestation is right in every other way: in the group, dated within the window,
        not by the claim's author. Attesting again would not help; their approval would.
        """
        oldest = self._oldest(condition)
        authority = self.authority
        return tuple(
            sorted(
                {
                    entry["by"]
                    for entry in entries
                    if entry["by"].lower() not in authority.authors
                    and not authority.proven("attestation", entry, entry["by"])
                    and (condition.reviewers is None or entry["by"] in condition.reviewers)
                    and entry["date"] <= self.now
                    and (oldest is None or entry["date"] >= oldest)
                }
            )
        )

    def _attest_hint(
        self,
        condition: Attested,
        accepted: set[str],
        too_old: tuple[str, ...],
        awaiting: tuple[str, ...] = (),
    ) -> str:
        """What to do: approvals the change awaits, re-attestations, then attestations by others.

        An attestation the change adds counts once the reviewer it names approves the change (a
        pull request review, `--approved-by`): that, not another `gatecheck attest`, is the fix.
        """
        command = f"gatecheck attest {self.evidence.subject} {condition.judgement} --by"
        more = condition.at_least - len(accepted)
        approving = awaiting[:more]
        steps = [
            f"{who} attested in this change: it counts once {who} approves the change (an"
            f" approving pull request review; --approved-by {who})"
            for who in approving
        ]
        more -= len(approving)
        again = tuple(who for who in too_old if who not in approving)[: max(more, 0)]
        steps += [
            f"re-attest (an attestation counts for {_age(condition)}): `{command} {who}`"
            for who in again
        ]
        more -= len(again)
        if more > 0:
            counted = accepted | set(again) | set(approving)
            others = f"`{command} LOGIN`" + self._who_else(condition, counted)
            need = "is" if more == 1 else "are"
            noun = "more attestation" if counted else "attestation"
            steps.append(f"{how_many(more, noun)} {need} needed: {others}")
        return "; ".join(steps)

    def _who_else(self, condition: Attested, counted: set[str]) -> str:
        """`, LOGIN one of GROUP (a, b, ...)`: the reviewers who may still attest."""
        if condition.reviewers is None:
            return ""
        may = sorted(
            who
            for who in condition.reviewers
            if who not in counted and who.lower() not in self.authority.authors
        )
        if not may:
            return f", LOGIN one of {condition.group}"
        shown = ", ".join(may[:_NAMED]) + (", ..." if len(may) > _NAMED else "")
        return f", LOGIN one of {condition.group} ({shown})"

    def accepted(
        self, entries: list[dict[str, Any]], condition: Attested
    ) -> tuple[set[str], list[str]]:
        """Who may vouch (right group, dated within the window, with authority), and why not.

        The window is measured at the judging date: an earlier `as_of` cannot revive an old
        attestation.
        """
        oldest = self._oldest(condition)
        accepted: set[str] = set()
        reasons = []
        for entry in entries:
            who, when = entry["by"], entry["date"]
            if (
                refused := self.authority.refusal("attestation", entry, who, "attest it")
            ) is not None:
                reasons.append(refused)
            elif condition.reviewers is not None and who not in condition.reviewers:
                reasons.append(f"{who} is not in reviewer group {condition.group}")
            elif when > self.now:
                reasons.append(f"{who}'s attestation is dated {when}, after {self.now}")
            elif oldest is not None and when < oldest:
                reasons.append(
                    f"{who}'s attestation of {when} is more than {_age(condition)} old"
                    f" (dated before {oldest})"
                )
            else:
                accepted.add(who)
        return accepted, reasons

    def _oldest(self, condition: Attested) -> dt.date | None:
        """The oldest date an attestation may bear on the judging date, if the window is bounded."""
        if condition.within_days is None:
            return None
        return _oldest_date(self.now, condition.within_days)


@lru_cache(maxsize=256)
def _oldest_date(now: dt.date, within_days: int) -> dt.date:
    """`within_days` before `now` (worked out once per judging date and window, not per subject)."""
    return from_day_number(day_number(now) - within_days) or dt.date.min


_NAMED = 5  # reviewers named in a hint; a longer group ends with "..."


def _age(condition: Attested) -> str:
    return duration(condition.within_days or 0)


def _wanted(condition: Attested) -> str:
    """`1 by wasmtime-maintainers, at most 26 weeks old`: what an attestation condition asks."""
    wanted = f"{condition.at_least}"
    if condition.group:
        wanted += f" by {condition.group}"
    if condition.within_days is not None:
        wanted += f", at most {_age(condition)} old"
    return wanted

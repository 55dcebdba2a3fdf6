"""Attestations judged: who may vouch for a judgement (right group, in the window, with authority).

Too few that count is work not yet recorded, as none is: adding an attestation never turns
`missing` into `fail` (docs/policy-language.md, "Counting"), so an attestation condition is True
or None, never False.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.outcomes import Outcome
from gatecheck.evaluation.rule_results import Detail
from gatecheck.language.operators import day_number, from_day_number

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
        """`outcome(condition).value`, without its explanation."""
        entries = [entry for _, entry in self.of(condition.judgement)]
        if not entries:
            return None
        return True if len(self.accepted(entries, condition)[0]) >= condition.at_least else None

    def outcome(self, condition: Attested) -> Outcome:
        """Whether enough attestations count, who vouched, and why the others do not count."""
        judgement = condition.judgement
        fact = f"attestations[{judgement}]"
        expected = f"{condition.at_least} attestation(s) of {judgement}"
        if condition.group:
            expected += f" by {condition.group}"
        indexed = self.of(judgement)
        if not indexed:
            message = f"no attestation of '{judgement}' is recorded; expected {expected}"
            detail = Detail(
                message, fact=fact, expected=expected, recorded=False, location=condition.location
            )
            return Outcome(None, (detail,))
        accepted, reasons = self.accepted([entry for _, entry in indexed], condition)
        value = True if len(accepted) >= condition.at_least else None
        if value:
            message = f"attested by {', '.join(sorted(accepted))}"
        else:
            message = f"{len(accepted)} of {condition.at_least} required attestation(s) of "
            message += f"'{judgement}'" + (f": {'; '.join(reasons)}" if reasons else "")
        detail = Detail(
            message,
            fact=fact,
            expected=expected,
            actual=sorted({entry["by"] for _, entry in indexed}),
            location=self.evidence.document.locate(("attestations", indexed[0][0])),
        )
        return Outcome(value, (detail,))

    def accepted(
        self, entries: list[dict[str, Any]], condition: Attested
    ) -> tuple[set[str], list[str]]:
        """Who may vouch (right group, dated within the window, with authority), and why not.

        The window is measured at the judging date: an earlier `as_of` cannot revive an old
        attestation.
        """
        oldest = None
        if condition.within_days is not None:
            oldest = from_day_number(day_number(self.now) - condition.within_days) or dt.date.min
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
                reasons.append(f"{who}'s attestation of {when} is older than {oldest}")
            else:
                accepted.add(who)
        return accepted, reasons

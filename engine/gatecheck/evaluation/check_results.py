"""What `check` found: the claims of the subjects a change affects, and the policy changes."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, overload

from gatecheck.errors import Location  # noqa: TC001
from gatecheck.evaluation.results import Report, SubjectResult

if TYPE_CHECKING:
    from collections.abc import Iterator


class Claim(NamedTuple):
    """A gate a subject claims: listed under `claims`, or implied by a change (`claimed_when`)."""

    gate: str
    location: Location  # the `claims` entry, or the fact whose change implies the claim
    implied: bool = False  # the change makes the gate's `claimed_when` hold
    authors: tuple[str, ...] = ()  # who made the claim; their attestations do not count for it
    standing: bool = False  # `claimed_when` held at the base already: a standing claim

    @property
    def how(self) -> str:
        """How the subject makes the claim, for reports: `implied`, `standing` or `claimed`."""
        if self.implied:
            return "implied"
        return "standing" if self.standing else "claimed"


class Unverified(NamedTuple):
    """An attestation or waiver a change adds that names someone who has not approved the change.

    The change's author wrote it, whoever it names: it does not count, and it fails the check,
    since once merged it would stand on the base as if that person had signed it.
    """

    kind: str  # attestation | waiver
    who: str  # the reviewer it names (`by`, or a waiver's `approver`)
    about: str  # the judgement attested, or the rule waived
    location: Location

    def message(self) -> str:
        what = "attestation of" if self.kind == "attestation" else "waiver of rule"
        return (
            f"{self.kind} by {self.who} is new in this change, and {self.who} has not approved "
            f"the change: the {what} '{self.about}' does not count"
        )


class CheckedSubject(NamedTuple):
    """An affected subject and the verdicts of the gates it claims (only those)."""

    result: SubjectResult  # `gates` holds the claimed gates, in claim order
    change: str  # why it is checked: added | modified | policy | all
    claims: tuple[Claim, ...]
    unverified: tuple[Unverified, ...] = ()
    # Its policy is new in a change that adopts gatecheck: no gate judged, every claim refused
    unjudged: bool = False


class PolicyChange(NamedTuple):
    """A policy or facts schema the change touches (or a subject moved to another policy).

    A maintainer must review it.
    """

    path: str
    change: str  # added | modified | deleted; switched: an evidence file names another policy
    detail: str | None = None  # for `switched`: "old-ref -> new-ref"
    # A switch in a change that also claims a gate of the subject: the change picks the policy
    # that judges its own claims, so it fails whatever the policy says.
    with_claims: bool = False


class CheckReport(NamedTuple):
    """What `check` found: claims of affected subjects judged by the base's policies."""

    base: str  # the ref as the user gave it (or the default it resolved to)
    base_commit: str
    now: dt.date
    # In the order of the files; a sequence, so that `check` can hand over subjects read back
    # from disk one at a time (commands/spool.py) rather than a tuple.
    subjects: Sequence[CheckedSubject]
    removed: tuple[str, ...] = ()  # evidence files the change deletes
    policy_changes: tuple[PolicyChange, ...] = ()
    fail_on_policy_change: bool = False
    approved_by: tuple[str, ...] = ()  # logins whose approval of the change was passed in

    @property
    def report(self) -> Report:
        """The claimed gates as an evaluation report, for formats that render one."""
        return Report(self.now, _Results(self.subjects))

    def fails_on(self, change: PolicyChange) -> bool:
        """Whether a policy change fails the check (else it is listed for review)."""
        return change.with_claims or self.fail_on_policy_change

    @property
    def unverified(self) -> tuple[Unverified, ...]:
        return tuple(entry for subject in self.subjects for entry in subject.unverified)

    def exit_code(self) -> int:
        """1 when a claimed gate fails, an entry is unverified, or a policy change is to fail."""
        if self.report.exit_code() != 0 or self.unverified:
            return 1
        return 1 if any(self.fails_on(change) for change in self.policy_changes) else 0


class _Results(Sequence[SubjectResult]):
    """The checked subjects' results, each taken when it is asked for (they may be on disk)."""

    def __init__(self, subjects: Sequence[CheckedSubject]) -> None:
        self._subjects = subjects

    def __len__(self) -> int:
        return len(self._subjects)

    @overload
    def __getitem__(self, index: int) -> SubjectResult: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[SubjectResult]: ...

    def __getitem__(self, index: int | slice) -> SubjectResult | Sequence[SubjectResult]:
        if isinstance(index, slice):
            return tuple(item.result for item in self._subjects[index])
        return self._subjects[index].result

    def __iter__(self) -> Iterator[SubjectResult]:
        for item in self._subjects:
            yield item.result

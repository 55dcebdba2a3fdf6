"""Judging an affected subject's claims: the claims, their authors, and what may count for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput
from gatecheck.evaluation.authority import Authority, entry_key, unverified
from gatecheck.evaluation.check_results import CheckedSubject, Claim, PolicyChange
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.evaluation.verdicts import judge_subject
from gatecheck.loading.evidence import load_evidence
from gatecheck.project.input_file import InputFile
from gatecheck.project.tree_path import TreePath

if TYPE_CHECKING:
    from gatecheck.commands.check.base import Base
    from gatecheck.commands.check.options import CheckOptions
    from gatecheck.git.blame import Author
    from gatecheck.git.repository import Repository
    from gatecheck.language.evidence import Evidence


class Judge:
    """Judges an affected subject's claims: finds them, their authors and their gates' verdicts."""

    def __init__(
        self, base: Base, repo: Repository, blamed: dict[str, str], options: CheckOptions
    ) -> None:
        self.base = base
        self.repo = repo
        self.blamed = blamed  # evidence path -> the file git blames: where a link leads
        self.options = options
        self._before: dict[str, Evidence | None] = {}  # evidence at the base, read once each

    def subject(self, evidence: Evidence, change: str) -> CheckedSubject:
        options = self.options
        claims = self.claims(evidence)
        by_line = self.blame(evidence, claims)
        change_author = options.author if change in {"added", "modified"} else None
        identities = {change_author.lower()} if change_author else set()
        with_authors = []
        for claim in claims:
            author = by_line.get(claim.location.line)
            names = [] if author is None else [f"{author.name} <{author.email}>"]
            if author is not None:
                identities |= author.identities()
            names += [name for name in (evidence.claimed_by, change_author) if name]
            with_authors.append(claim._replace(authors=tuple(dict.fromkeys(names))))
        authority = self.authority(evidence, change, frozenset(identities))
        evaluator = Evaluator(evidence, options.now, authority)
        claimed = [
            gate for claim in with_authors if (gate := evidence.policy.gate(claim.gate)) is not None
        ]
        return CheckedSubject(
            judge_subject(evaluator, claimed),
            change,
            tuple(with_authors),
            tuple(unverified(authority, evidence)),
        )

    def authority(self, evidence: Evidence, change: str, authors: frozenset[str]) -> Authority:
        """What the subject's attestations and waivers may rest on.

        Evidence the change leaves as it was is as the base had it: every entry stands. In evidence
        the change adds or edits, an entry counts only if the base had it, or if the person it
        names approved the change (`--approved-by`; the change's own author is proven too).
        """
        if change not in {"added", "modified"}:
            return Authority(authors)
        before = self.at_base(evidence)
        base_entries = frozenset(
            ()
            if before is None
            else [
                *(entry_key("attestation", entry) for entry in before.attestations),
                *(entry_key("waiver", entry) for entry in before.waivers),
            ]
        )
        approved = {login.lower() for login in self.options.approved_by}
        if self.options.author:
            approved.add(self.options.author.lower())
        return Authority(authors, base_entries, frozenset(approved))

    def claims(self, evidence: Evidence) -> list[Claim]:
        """The gates listed under `claims`, then those whose `claimed_when` holds.

        A `claimed_when` that holds is a claim whether or not this change made it hold: `implied`
        when it did not hold at the base (the change makes the claim), `standing` when it did (a
        proposal already on by default still claims the gate, and a change that leaves it
        failing is refused).
        """
        now = self.options.now
        claims: dict[str, Claim] = {}
        for index, claimed in enumerate(evidence.claims):
            claims.setdefault(claimed, Claim(claimed, evidence.document.locate(("claims", index))))
        implying = [
            gate
            for gate in evidence.policy.gates
            if gate.claimed_when is not None and gate.id not in claims
        ]
        for gate in implying:
            assert gate.claimed_when is not None  # noqa: S101 - filtered above; for the type checker
            outcome = Evaluator(evidence, now).check(gate.claimed_when)
            if outcome.value is not True:
                continue
            before = self.at_base(evidence)
            held = before is not None and Evaluator(before, now).check(gate.claimed_when).value
            located = [d.location for d in outcome.details if d.location is not None]
            where = located[0] if located else gate.location
            claims[gate.id] = Claim(gate.id, where, implied=not held, standing=bool(held))
        return list(claims.values())

    def switch(self, evidence: Evidence) -> PolicyChange | None:
        """An evidence file that now names another policy (or version) than at the base.

        Moving a subject to a laxer policy that already exists is a policy change too: it is
        listed for review like an edit of the policy itself, and a change that also claims a gate
        of the subject fails (it would choose the policy that judges its own claims).
        """
        before = self.at_base(evidence)
        if before is None or before.policy.ref == evidence.policy.ref:
            return None
        return PolicyChange(
            evidence.path, "switched", f"{before.policy.ref} -> {evidence.policy.ref}"
        )

    def let_go(self, evidence: Evidence) -> None:
        """Forget the subject's evidence at the base, read for its claims: it is judged."""
        self._before.pop(evidence.path, None)

    def at_base(self, evidence: Evidence) -> Evidence | None:
        """The subject's evidence as it was at the base, if it existed and was valid there."""
        if evidence.path not in self._before:
            self._before[evidence.path] = self._read_at_base(evidence)
        return self._before[evidence.path]

    def _read_at_base(self, evidence: Evidence) -> Evidence | None:
        relative = evidence.path
        blob = self.base.evidence.get(relative)
        if blob is None:
            return None
        (raw,) = self.repo.read_blobs([blob])  # too large then: its size, invalid as on disk
        file = InputFile(evidence.path, TreePath({relative: raw}, relative))
        try:
            (loaded,) = load_evidence([file], self.base.policies)
        except InvalidInput:
            return None  # invalid then: nothing it said counted, so the claim is new
        return loaded

    def blame(self, evidence: Evidence, claims: list[Claim]) -> dict[int, Author]:
        lines = [claim.location.line for claim in claims if claim.location.path == evidence.path]
        if not lines:
            return {}
        return self.repo.blame(self.blamed.get(evidence.path, evidence.path), lines)

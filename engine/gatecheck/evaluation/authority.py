"""Who may vouch for a claim: never its authors, and for entries a change adds, only an approver.

Attestations and waivers are written into the evidence by whoever edits it, so the pre-merge job
cannot take one at its word just because it names a maintainer. An entry counts when the base
branch already had it (it was reviewed when it landed), or when the person it names approved the
change outside the change itself (a pull request review, passed in as `--approved-by`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.errors import Location
    from gatecheck.evaluation.check_results import Unverified
    from gatecheck.language.evidence import Evidence

EntryKey = tuple[str, tuple[tuple[str, Any], ...]]


def entry_key(kind: str, entry: dict[str, Any]) -> EntryKey:
    """An attestation or waiver as a value: one changed field makes it another entry."""
    return kind, tuple(sorted(entry.items()))


class Authority(NamedTuple):
    """What a verdict may rest on beyond the evidence's own word.

    `authors` made the claims being judged (lower-case logins and identities). `base_entries` is
    None outside a change under review (every entry stands as written); under review, the entries
    the base already had. `approved_by` holds the logins whose approval of the change is proven
    outside it.
    """

    authors: frozenset[str] = frozenset()
    base_entries: frozenset[EntryKey] | None = None
    approved_by: frozenset[str] = frozenset()

    def with_author(self, name: str | None) -> Authority:
        if not name:
            return self
        return Authority(self.authors | {name.lower()}, self.base_entries, self.approved_by)

    def proven(self, kind: str, entry: dict[str, Any], who: str) -> bool:
        """Whether an entry rests on more than the change's word.

        The base had it, or `who` (the reviewer it names) approved the change; always, outside a
        change under review.
        """
        return (
            self.base_entries is None
            or entry_key(kind, entry) in self.base_entries
            or who.lower() in self.approved_by
        )

    def allows(self, kind: str, entry: dict[str, Any], who: str) -> bool:
        """Whether `who`'s entry may count: `refusal` would give no reason (without wording one)."""
        return who.lower() not in self.authors and self.proven(kind, entry, who)

    def refusal(self, kind: str, entry: dict[str, Any], who: str, what: str) -> str | None:
        """Why `who`'s entry (an attestation or waiver) cannot count, or None when it may.

        `what` names the act in the reason: "attest it", "approve its waiver".
        """
        if who.lower() in self.authors:
            return f"{who} made the claim and cannot {what}"
        if not self.proven(kind, entry, who):
            return (
                f"{who}'s {kind} is new in this change and {who} has not approved the change "
                "(--approved-by)"
            )
        return None


def unverified(authority: Authority, evidence: Evidence) -> Iterator[Unverified]:
    """The entries a change adds whose signer has not approved it (none outside a change)."""
    if authority.base_entries is None:
        return
    kinds = (
        ("attestation", "attestations", evidence.attestations, "by", "judgement"),
        ("waiver", "waivers", evidence.waivers, "approver", "rule"),
    )
    for kind, key, entries, signer, about in kinds:
        for index, entry in enumerate(entries):
            if not authority.proven(kind, entry, entry[signer]):
                location = evidence.document.locate((key, index))
                yield _unverified(kind, entry[signer], entry[about], location)


NO_CHANGE = Authority()  # judging evidence as it stands, with no change under review


def _unverified(kind: str, signer: str, about: str, location: Location) -> Unverified:
    from gatecheck.evaluation.check_results import Unverified  # only `check` proves authority

    return Unverified(kind, signer, about, location)

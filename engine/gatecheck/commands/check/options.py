"""What `gatecheck check` is asked besides the project's directories: base, author, approvals."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import datetime as dt


class CheckOptions(NamedTuple):
    """What `gatecheck check` is asked, beside the project's directories."""

    base: str | None  # None: the merge base of HEAD with the default branch
    every: bool  # judge the claims of every subject, not only those the change touches
    author: str | None  # the change's author (a pull request's), who may not attest its claims
    now: dt.date
    fail_on_policy_change: bool = False
    # Logins whose approval of the change is proven outside it (a pull request's approving
    # reviews): entries the change adds count only when they name one of these, or the author.
    approved_by: tuple[str, ...] = ()

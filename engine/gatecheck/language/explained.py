"""A rule or step explained for `gatecheck explain`: what it requires, where, and what feeds it.

Built from the policy language alone (`wording`, `examples`) by `commands.explain`; rendered by
`reporters.explain`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from gatecheck.errors import Location
    from gatecheck.language.examples import Example


class Explained(NamedTuple):
    """A rule or step explained: its words, its YAML, where it is written, what it needs."""

    kind: str  # rule or step
    name: str  # gate/rule-id or step-id
    title: str
    policy: str
    source: str
    location: Location
    words: list[str]
    yaml: list[str]
    hint: str | None
    steps: list[str]  # rule: the steps it lists and what they need; step: what it needs
    needs: list[str]  # step: its direct needs
    needed_by: list[str]  # step: steps that need it or refer to it, rules that list or name it
    example: Example

"""A proposal's spellings, and the templates of the collector table they fill.

The table derives each spelling from the proposal's name by a template (`{name|snake}`...), with
explicit overrides per proposal; patterns, paths and notes are templates filled with them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.collectors.table import Table


_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\|([a-z]+))?\}")


def spellings_for(table: Table, name: str) -> dict[str, str | None]:
    """Every spelling of proposal `name`: the table's rules, then its explicit overrides."""
    derived: dict[str, str | None] = {"name": name}
    for key, template in table.spellings.items():
        derived[key] = None if template is None else fill(template, {"name": name}, escape=False)
    derived.update(table.proposals.get(name, {}))
    return derived


def lacking_reason(table: Table, name: str, spelling: str) -> str:
    """Why proposal `name` has no `spelling`: the table's own words, or that it has none."""
    why = table.reasons.get(name, {}).get(spelling)
    return why or f"the table has no {spelling} spelling for {name}"


def fill(template: str, names: dict[str, str | None], *, escape: bool) -> str:
    """`template` with each {placeholder} (optionally {name|filter}) replaced.

    `{key|raw}` inserts a spelling that is a regular expression as it is, never escaped.

    Raises KeyError naming the placeholder when a spelling is missing or null.
    """

    def replace(match: re.Match[str]) -> str:
        key, filt = match.group(1), match.group(2)
        value = names.get(key)
        if value is None:
            raise KeyError(key)
        if filt == "raw":  # a spelling that is itself a regular expression
            return value
        value = _FILTERS[filt](value) if filt else value
        return re.escape(value) if escape else value

    return _PLACEHOLDER.sub(replace, template)


def _snake(name: str) -> str:
    return name.replace("-", "_")


def _upper(name: str) -> str:
    return name.replace("-", "_").upper()


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _lower(name: str) -> str:
    return name.lower()


_FILTERS = {"snake": _snake, "upper": _upper, "camel": _camel, "lower": _lower}

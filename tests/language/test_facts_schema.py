"""language/facts_schema.py: the values a schema node lists (enum, const, their alternatives)."""

from __future__ import annotations

from typing import Any

import pytest

from gatecheck.language.facts_schema import allowed_values

DEFS = {"$defs": {"sev": {"enum": ["low", "high"]}, "free": {"type": "string"}}}


@pytest.mark.parametrize(
    ("node", "values"),
    [
        ({"enum": ["open", "closed"]}, ["open", "closed"]),
        ({"const": 3}, [3]),
        ({"$ref": "#/$defs/sev"}, ["low", "high"]),
        ({"anyOf": [{"const": "a"}, {"$ref": "#/$defs/sev"}]}, ["a", "low", "high"]),
        ({"oneOf": [{"enum": [1, 2]}, {"const": None}]}, [1, 2, None]),
        # a branch that lists nothing leaves the values open
        ({"anyOf": [{"const": "a"}, {"$ref": "#/$defs/free"}]}, None),
        ({"allOf": [{"enum": ["a"]}]}, None),
        ({"type": "string"}, None),
        ({"$ref": "https://example.com/s.json"}, None),
    ],
)
def test_allowed_values(node: dict[str, Any], values: list[Any] | None) -> None:
    assert allowed_values({**DEFS, "properties": {"x": node}}, node) == values

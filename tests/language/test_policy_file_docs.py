"""docs/policy-language.md's table of a policy file's keys is what the pydantic shapes accept."""

from __future__ import annotations

import re
import typing

from tests.support.project import REPO

from gatecheck.language import shapes

if typing.TYPE_CHECKING:
    from gatecheck.language.shape_parts import Model

LANGUAGE = (REPO / "docs" / "policy-language.md").read_text()

# The table's first column -> the shape of that part of a policy file
PARTS: dict[str, type[Model]] = {
    "policy": shapes.PolicyShape,
    "source": shapes.SourceDocumentShape,
    "waivers": shapes.WaiverRulesShape,
    "declared": shapes.DeclaredColumnShape,
    "step": shapes.StepShape,
    "gate": shapes.GateShape,
    "rule": shapes.RuleShape,
}


def _documented() -> set[tuple[str, str, str]]:
    section = LANGUAGE.split("\n### Required and optional keys\n", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| (\w+) \| `(\w+)` \| (required|optional) \|", section, re.MULTILINE)
    table = [line for line in section.splitlines() if line.startswith("| ")][1:]  # no header
    assert len(rows) == len(table), "a row that is not `| part | `key` | required|optional |`"
    return set(rows)


def _shapes() -> set[tuple[str, str, str]]:
    return {
        (part, field.alias or name, "required" if field.is_required() else "optional")
        for part, model in PARTS.items()
        for name, field in model.model_fields.items()
    }


def test_the_table_lists_every_key_of_a_policy_file_and_whether_it_is_required() -> None:
    assert _documented() == _shapes()


def _models_within(model: type[Model]) -> set[type[Model]]:
    found = {model}
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            # conditions are documented under "Conditions", not in the table
            if isinstance(annotation, type) and annotation.__module__ == shapes.__name__:
                found |= _models_within(annotation)
            stack.extend(typing.get_args(annotation))
    return found


def test_the_table_covers_every_shape_a_policy_file_is_made_of() -> None:
    """A new nested shape in a policy needs its rows (and a line in PARTS)."""
    assert _models_within(shapes.PolicyShape) == set(PARTS.values())


def test_the_sources_are_a_mapping_at_the_top_and_strings_below() -> None:
    assert shapes.PolicyShape.model_fields["source"].annotation is shapes.SourceDocumentShape
    for part in ("step", "gate", "rule"):
        row = next(
            line for line in LANGUAGE.splitlines() if line.startswith(f"| {part} | `source`")
        )
        assert "text" in row
        assert PARTS[part].model_fields["source"].annotation is not shapes.SourceDocumentShape

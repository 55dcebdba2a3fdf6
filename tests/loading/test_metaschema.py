"""metaschema: the linked metaschema finds the first error jsonschema's check_schema finds."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from tests.support.project import REPO

from gatecheck.loading.metaschema import first_problem

ODD_VALUES: list[Any] = [
    *(None, True, False, 0, -1, 1.5, "x", "^(", "not-a-format", "#/nope", "http://x y", "date"),
    *([], {}, [1, 1], {"type": "nope"}, {"$ref": 5}, -5, ["string", "string"], {"a": 1}),
]
KEYWORDS = [
    *("type", "properties", "items", "required", "enum", "const", "minimum", "maxLength"),
    *("pattern", "format", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"),
    *("additionalProperties", "patternProperties", "uniqueItems", "minItems", "$defs"),
    *("dependentRequired", "dependentSchemas", "prefixItems", "contains", "minContains"),
    *("propertyNames", "$id", "$anchor", "$schema", "multipleOf", "unevaluatedProperties"),
    *("$comment", "default", "deprecated", "contentEncoding", "$vocabulary", "definitions"),
    "dependencies",
]


def jsonschemas_message(schema: Any) -> str | None:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        return error.message
    return None


def corpus() -> list[Any]:
    files = [
        *(REPO / "schemas").glob("*.json"),
        *(REPO / "tests" / "hostile" / "files").glob("*.json"),
    ]
    found = []
    for path in sorted(files):
        try:
            found.append(json.loads(path.read_text()))
        except ValueError:
            continue
    return found


def mutate(node: Any, rng: random.Random) -> None:
    """Replace a value somewhere in `node`, or add a keyword with an odd value."""
    while True:
        if isinstance(node, dict) and node and rng.random() < 0.5:
            key = rng.choice(list(node))
            if rng.random() < 0.5 or not isinstance(node[key], dict | list):
                node[key] = copy.deepcopy(rng.choice(ODD_VALUES))
                return
            node = node[key]
        elif isinstance(node, dict):
            node[rng.choice(KEYWORDS)] = copy.deepcopy(rng.choice(ODD_VALUES))
            return
        elif isinstance(node, list) and node:
            index = rng.randrange(len(node))
            if rng.random() < 0.5 or not isinstance(node[index], dict | list):
                node[index] = copy.deepcopy(rng.choice(ODD_VALUES))
                return
            node = node[index]
        else:
            return


@pytest.mark.parametrize("seed", range(2))
def test_the_first_problem_is_jsonschemas(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data, the same for every run
    schemas = corpus()
    found = []
    for _ in range(80):
        schema = copy.deepcopy(rng.choice(schemas))
        for _ in range(rng.randint(1, 3)):
            mutate(schema, rng)
        assert first_problem(schema) == jsonschemas_message(schema), json.dumps(schema)[:500]
        found.append(first_problem(schema) is None)
    assert 0 < sum(found) < len(found)  # some valid, some not


def test_the_bundled_schemas_are_valid() -> None:
    for path in (REPO / "schemas").glob("*.json"):
        assert first_problem(json.loads(path.read_text())) is None


class _Held:
    """A file's bytes held in memory, readable as an `InputFile` handle."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data

    def read_bytes(self) -> bytes:
        return self.data


def test_a_sound_schema_is_checked_once_and_an_unsound_one_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The metaschema check and the `$ref` expansion are remembered by the schema's bytes in the
    # validation cache; a refusal is never remembered.
    from gatecheck.errors import InvalidInput
    from gatecheck.loading import facts_schema_checks, facts_schemas
    from gatecheck.project.input_file import InputFile

    checked: list[object] = []
    real = facts_schema_checks.check_schema

    def counted(schema: dict[str, Any]) -> str | None:
        checked.append(schema)
        return real(schema)

    monkeypatch.setattr(facts_schema_checks, "check_schema", counted)
    sound = InputFile("schemas/s.json", _Held("s.json", b'{"type": "object"}'))
    for _ in range(3):
        assert facts_schemas.read_facts_schema(sound)[0] == {"type": "object"}
    assert len(checked) == 1
    unsound = InputFile("schemas/u.json", _Held("u.json", b'{"type": "nope"}'))
    for _ in range(2):
        with pytest.raises(InvalidInput) as raised:
            facts_schemas.read_facts_schema(unsound)
        assert [p.code for p in raised.value.problems] == ["bad-schema"]
    assert len(checked) == 3

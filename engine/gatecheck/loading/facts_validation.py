"""Validating evidence facts against their policy's facts schema, with located problems.

Facts come from YAML, so dates are real date objects. The validator treats them as JSON Schema
strings, and `format: date` / `format: date-time` accept only real dates: a quoted "2024-01-01" is
an error, because the engine compares dates with dates and would otherwise fail the rule later.
Every pattern is matched with RE2, as `matches` is, never with Python's backtracking `re`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gatecheck.errors import Problem
from gatecheck.identity_cache import IdentityMemo
from gatecheck.language.facts_messages import violation_hint, violation_message
from gatecheck.language.regexes import compile_regex
from gatecheck.language.values import is_non_finite, show
from gatecheck.limits import SCHEMA_WORK_FLOOR, SCHEMA_WORK_PER_VALUE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.documents import DataPath, Document
    from gatecheck.loading.schema_budget import Budget


def validate_facts(
    schema: dict[str, Any], facts: Any, document: Document, base: DataPath
) -> Iterator[Problem]:
    """Yield one located problem per schema violation in `facts` (found at `base` in `document`).

    A null value is a fact recorded as known to be unknown (docs/evidence.md, "Facts"): it
    satisfies any type, while its key must still be one the schema allows. A schema that cannot be
    validated with (a `$ref` cycle: the loader refuses those first), or facts that would cost more
    than their budget to check, give one problem at `base`.
    """
    from gatecheck.loading.schema_budget import OverBudgetError
    from gatecheck.loading.schema_tree import SchemaCostError

    yield from non_finite_numbers(facts, document, base)
    try:
        validator, budget = _validator(schema)
        budget.start(facts)
        errors = sorted(validator.iter_errors(facts), key=lambda e: list(map(str, e.absolute_path)))
    except SchemaCostError as refused:
        yield Problem(refused.code, refused.message, document.locate(base), refused.hint)
        return
    except OverBudgetError as spent:
        yield _too_costly(document, base, spent.allowance)
        return
    for error in errors:
        if error.instance is None:  # null: known to be unknown, whatever the fact's type
            continue
        path = (*base, *error.absolute_path)
        unknown = _unknown_key(error)
        yield Problem(
            "schema-violation",
            violation_message(error, path, unknown),
            _location(document, path, unknown),
            violation_hint(error, unknown),
        )


def non_finite_numbers(value: Any, document: Document, path: DataPath) -> Iterator[Problem]:
    """A problem for each `.nan` or `.inf` among the facts: no number any test can compare.

    Reports and JSON show them as null, which means a fact known to be unknown, and a NaN makes
    `not: {gt: 1}` pass: an unknown value is recorded as null instead.
    """
    stack: list[tuple[Any, DataPath]] = [(value, path)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            stack.extend((item, (*at, key)) for key, item in node.items())
        elif isinstance(node, list):
            stack.extend((item, (*at, index)) for index, item in enumerate(node))
        elif is_non_finite(node):
            yield Problem(
                "bad-value",
                f"`{show(node)}` is not a finite number: record null for an unknown value",
                document.locate(at),
                "write the number measured, or null when it is not known",
            )


def _too_costly(document: Document, base: DataPath, allowance: int) -> Problem:
    return Problem(
        "too-costly",
        f"checking these facts against the facts schema takes more than {allowance:,} steps"
        f" (the limit: {SCHEMA_WORK_PER_VALUE} per value of the facts, at least"
        f" {SCHEMA_WORK_FLOOR:,})",
        document.locate(base),
        "simplify the facts schema: fewer allOf/anyOf/oneOf branches and keywords that apply to"
        " the same values",
    )


def _new_validator(schema: dict[str, Any]) -> tuple[Any, Budget]:
    """A validator of facts against `schema` and the budget its keywords charge."""
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker

    from gatecheck.loading import schema_budget, schema_tree

    formats = FormatChecker(formats=())
    formats.checks("date")(_is_date)
    formats.checks("date-time")(_is_datetime)
    types = Draft202012Validator.TYPE_CHECKER.redefine(
        "string", lambda _checker, value: isinstance(value, str | dt.date)
    )
    budget = schema_budget.Budget()
    keywords = {
        **Draft202012Validator.VALIDATORS,
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
        **schema_budget.keywords(budget),
    }
    validator_class = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, validators=schema_budget.paid(keywords, budget), type_checker=types
    )
    return validator_class(schema_tree.resolved(schema), format_checker=formats), budget


# one per facts schema of the run; a long-lived process keeps only the latest
_validator = IdentityMemo(_new_validator, size=16)


def _pattern(_validator: Any, pattern: str, instance: Any, _schema: Any) -> Any:
    """`pattern` with RE2 (linear time), not Python's backtracking `re`, as `matches` does."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not compile_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _searches(pattern: str, key: str) -> bool:
    return compile_regex(pattern).search(key) is not None


def _pattern_properties(validator: Any, patterns: Any, instance: Any, _schema: Any) -> Any:
    """`patternProperties` with RE2: each key a pattern finds is checked against its schema."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _searches(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Keys neither `properties` names nor a `patternProperties` pattern finds (with RE2)."""
    named = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in named and not any(_searches(pattern, key) for pattern in patterns)
    ]


def _additional_properties(validator: Any, allowed: Any, instance: Any, schema: Any) -> Any:
    """`additionalProperties`, matching `patternProperties` with RE2 rather than Python's `re`."""
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extra = _additional_keys(instance, schema)
    if isinstance(allowed, dict):
        for key in extra:
            yield from validator.descend(instance[key], allowed, path=key)
    elif allowed is False and extra:
        listed = ", ".join(map(repr, sorted(extra)))
        yield ValidationError(f"additional properties are not allowed ({listed})")


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_datetime(value: Any) -> bool:
    return isinstance(value, dt.datetime)


def _unknown_key(error: Any) -> str | None:
    """For an `additionalProperties` error, the first key the schema does not allow."""
    if error.validator != "additionalProperties":
        return None
    extra = sorted(_additional_keys(error.instance, error.schema))
    return extra[0] if extra else None


def _location(document: Document, path: DataPath, unknown: str | None) -> Any:
    return document.locate_key((*path, unknown)) if unknown is not None else document.locate(path)

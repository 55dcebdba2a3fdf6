"""Facts checked against their schema at a bounded cost: every keyword is paid for from a budget.

A facts schema and the evidence it checks both come from the change under review, and the work of
validating is their product: an `allOf` of a thousand `items` keywords reads every item a thousand
times. So each keyword, each time it is applied to a value, pays what it may read: 1, plus the
entries of an object or list value (its own, and those of the keyword's value), plus the length of
a string; a keyword that fails pays a few units more and the size of the value again (jsonschema
prints it whole in the message). A unit is 5-10 microseconds of work. A file may spend
SCHEMA_WORK_PER_VALUE units per value of its facts (strings count their length), and at least
SCHEMA_WORK_FLOOR; past that, validation stops with one `too-costly` problem. The bundled evidence
spends about 2 units per value, 1,123 at most.

`uniqueItems`, `enum` and `const` compare values by hashing a canonical form, linear in their
size: jsonschema compares unhashable items pairwise (8,000 mappings: 56 s) and an `enum` entry by
entry. The canonical form keeps JSON's equality, not Python's: `1` equals `1.0`, but `true` is not
`1` and a list is not a mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gatecheck.limits import SCHEMA_WORK_FLOOR, SCHEMA_WORK_PER_VALUE
from gatecheck.loading.schema_tree import ONE_SCHEMA, SCHEMA_LIST, SCHEMA_MAP, count_values

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterator

Keyword = Callable[[Any, Any, Any, dict[str, Any]], Any]

# Keywords whose value holds schemas: their own keywords pay for what is inside.
_SCHEMA_VALUED = ONE_SCHEMA | SCHEMA_LIST | SCHEMA_MAP
# Keywords that pay for the values they compare themselves (by hashing, below).
_HASHED = frozenset({"const", "enum", "uniqueItems"})
# Keywords that match each key of an object against each `patternProperties` pattern.
_SEARCHING = frozenset({"additionalProperties", "patternProperties"})
_CONTAINERS = (dict, list)
_SIZED = (dict, list, str)
_TRUE, _FALSE, _LIST, _MAP = (object() for _ in range(4))
# A new error costs as much as a few keywords: an exception, its message, later a problem.
_ERROR = 8


class OverBudgetError(Exception):
    """Validation has spent its budget, `allowance` units."""

    def __init__(self, allowance: int) -> None:
        super().__init__(allowance)
        self.allowance = allowance


class Budget:
    """What validating one file's facts may still spend, and the size of each of their values."""

    def __init__(self) -> None:
        self.allowance = 0
        self.left = 0
        self._sizes: dict[int, int] = {}
        self._values: list[Any] = []  # keeps the measured values alive while their ids are keys

    def start(self, facts: Any) -> None:
        self._sizes.clear()
        self._values = [facts]
        self.allowance = max(SCHEMA_WORK_FLOOR, SCHEMA_WORK_PER_VALUE * self.size(facts))
        self.left = self.allowance

    def charge(self, units: int) -> None:
        self.left -= units
        if self.left < 0:
            raise OverBudgetError(self.allowance)

    def size(self, value: Any) -> int:
        """How many values `value` holds, itself included, plus the length of each string."""
        if isinstance(value, str):
            return 1 + len(value)
        if not isinstance(value, dict | list):
            return 1
        known = self._sizes.get(id(value))
        if known is None:
            items = value.values() if isinstance(value, dict) else value
            known = self._sizes[id(value)] = 1 + sum(map(self.size, items))
            self._values.append(value)
        return known


def paid(keywords: dict[str, Keyword], budget: Budget) -> dict[str, Keyword]:
    """The keyword functions, each charging `budget` before it runs and for each error."""
    return {name: _paid(name, function, budget) for name, function in keywords.items()}


def _paid(name: str, function: Keyword, budget: Budget) -> Keyword:
    # Decided once per keyword: each call is on the hot path of every validation.
    schema_valued = name in _SCHEMA_VALUED
    hashed = name in _HASHED
    searches = name in _SEARCHING
    data_sizes: dict[int, tuple[Any, int]] = {}

    def data_cost(value: Any) -> int:
        known = data_sizes.get(id(value))
        if known is None or known[0] is not value:
            known = data_sizes[id(value)] = (value, count_values(value))
        return known[1]

    def run(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        cost = 1
        if not hashed and isinstance(value, _CONTAINERS):
            cost += len(value) if schema_valued else data_cost(value)
        if isinstance(instance, _SIZED):
            cost += len(instance)
            if searches and isinstance(instance, dict):
                cost += _searches(schema, instance)
        budget.left -= cost
        if budget.left < 0:
            raise OverBudgetError(budget.allowance)
        for error in function(validator, value, instance, schema) or ():
            # An error this keyword made quotes its value whole; one from deeper passes through.
            fresh = not isinstance(error.validator, str)
            budget.charge(_ERROR + budget.size(instance) if fresh else 1)
            yield error

    return run


def _searches(schema: dict[str, Any], instance: dict[str, Any]) -> int:
    """What matching every key of an object against every `patternProperties` pattern reads."""
    patterns = schema.get("patternProperties")
    if not isinstance(patterns, dict) or not patterns:
        return 0
    return len(patterns) * (len(instance) + sum(map(len, instance)))


# -- comparing JSON values by hashing ------------------------------------------------------------


def canonical(value: Any) -> Hashable:
    """A hashable form of a JSON value, equal for two values exactly when JSON Schema says so.

    Numbers stay numbers (Python's `1 == 1.0` and `hash(1) == hash(1.0)` are JSON's), booleans
    are tagged apart from 1 and 0, lists become tuples and mappings frozensets, each tagged.
    Dates, which facts hold, are equal only to equal dates, as in jsonschema.
    """
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    if isinstance(value, list):
        return (_LIST, tuple(map(canonical, value)))
    if isinstance(value, dict):
        return (_MAP, frozenset((key, canonical(item)) for key, item in value.items()))
    return value  # type: ignore[no-any-return]


def keywords(budget: Budget) -> dict[str, Keyword]:
    """`uniqueItems`, `enum` and `const`, each linear in the size of the value it checks."""
    return {"uniqueItems": _unique_items(budget), "enum": _enum(budget), "const": _const(budget)}


def _unique_items(budget: Budget) -> Keyword:
    def unique_items(validator: Any, unique: Any, instance: Any, _schema: Any) -> Iterator[Any]:
        if unique and validator.is_type(instance, "array"):
            budget.charge(budget.size(instance))
            first: dict[Hashable, int] = {}
            for index, item in enumerate(instance):
                earlier = first.setdefault(canonical(item), index)
                if earlier != index:
                    yield _error(f"has non-unique elements: item {index} repeats item {earlier}")
                    return

    return unique_items


def _enum(budget: Budget) -> Keyword:
    allowed: dict[int, tuple[Any, frozenset[Hashable]]] = {}  # by the `enum` list's id

    def enum(_validator: Any, values: Any, instance: Any, _schema: Any) -> Iterator[Any]:
        known = allowed.get(id(values))
        if known is None or known[0] is not values:
            known = allowed[id(values)] = (values, frozenset(map(canonical, values)))
        budget.charge(budget.size(instance))
        if canonical(instance) not in known[1]:
            listed = f"{values!r}" if len(values) <= _LISTED else f"the {len(values):,} allowed"
            yield _error(f"{instance!r} is not one of {listed}")

    return enum


def _const(budget: Budget) -> Keyword:
    expected: dict[int, tuple[Any, Hashable]] = {}  # by the `const` value's id

    def const(_validator: Any, value: Any, instance: Any, _schema: Any) -> Iterator[Any]:
        known = expected.get(id(value))
        if known is None or known[0] is not value:
            known = expected[id(value)] = (value, canonical(value))
        budget.charge(budget.size(instance))
        if canonical(instance) != known[1]:
            yield _error(f"{value!r} was expected")

    return const


_LISTED = 16  # an `enum` longer than this is not printed whole in each message


def _error(message: str) -> Any:
    from jsonschema.exceptions import ValidationError

    return ValidationError(message)

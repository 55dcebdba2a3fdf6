# ruff: noqa: EM101, EM102, TRY003 - `_Cannot` carries its reason to the output, worded in place
"""Conditions in words, and a minimal example of the evidence that makes one pass.

Both are pure functions over the compiled conditions of `conditions`: `gatecheck explain` shows
them to people deciding what to record. An example is built only where it can be derived without
guessing (a `not`, a regular expression it cannot satisfy, conflicting values): then it says why
instead of offering evidence that would not pass.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.language.conditions import (
    ITEM,
    KEY,
    AllOf,
    AnyOf,
    Attested,
    CountTest,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.language.conditions import Condition, FactRef

# -- in words ------------------------------------------------------------------------------------

_SYMBOLS = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
_COUNT_WORDS = {
    "eq": "exactly",
    "ne": "other than",
    "gt": "more than",
    "gte": "at least",
    "lt": "fewer than",
    "lte": "at most",
}
_QUANTIFIER_WORDS = {"some": "at least one item", "every": "every item", "none": "no item"}


def shown(value: Any) -> str:
    """A value as a policy writes it: `true`, `4`, `open`, `[rust, c]`, `2024-06-01`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fact_name(ref: FactRef) -> str:
    if ref.variable == KEY:
        return "its key"
    if ref.variable == ITEM:
        return "the item" + "".join(f".{part}" for part in ref.parts) if ref.parts else "the item"
    return ref.text


def _duration(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' * (weeks != 1)}"
    return f"{days} day{'s' * (days != 1)}"


def _leaf(test: FactTest) -> str:
    name, op, operand = _fact_name(test.fact), test.operator.name, test.operand
    if op in _SYMBOLS:
        return f"{name} {_SYMBOLS[op]} {shown(operand)}"
    if op == "in":
        return f"{name} is one of {shown(operand)}"
    if op == "not_in":
        return f"{name} is none of {shown(operand)}"
    if op == "contains":
        return f"{name} contains {shown(operand)}"
    if op == "matches":
        return f"{name} matches /{operand}/"
    if op == "exists":
        return f"{name} is recorded" if operand else f"{name} is not recorded"
    return f"{name} {test.operator.symbol} {shown(operand)}"  # pragma: no cover - every operator


def _item_phrase(where: Condition | None) -> tuple[str, Condition | None]:
    """`(other than rust and c)` for key tests, and what is left of `where` to say of the item."""
    if where is None:
        return "", None
    parts = list(where.items) if isinstance(where, AllOf) else [where]
    keys = [
        part
        for part in parts
        if isinstance(part, FactTest)
        and part.fact.variable == KEY
        and part.operator.name in {"in", "not_in", "eq"}
    ]
    if not keys:
        return "", where
    phrases = []
    for part in keys:
        values = part.operand if isinstance(part.operand, list) else [part.operand]
        joined = " and ".join(shown(v) for v in values)
        if part.operator.name == "not_in":
            phrases.append(f"other than {joined}")
        else:
            phrases.append(f"named {' or '.join(shown(v) for v in values)}")
    rest = [part for part in parts if part not in keys]
    left: Condition | None
    if not rest:
        left = None
    elif len(rest) == 1:
        left = rest[0]
    else:
        left = AllOf(tuple(rest), where.location)
    return f" ({'; '.join(phrases)})", left


def _subject_of(kind_words: str, over: FactRef, where: Condition | None) -> tuple[str, list[str]]:
    """The opening words of a quantifier and the lines describing what each item must be."""
    keys, rest = _item_phrase(where)
    head = f"{kind_words} of {over.text}{keys}"
    if rest is None:
        return head + " exists", []
    if isinstance(rest, FactTest) and rest.fact.variable == ITEM and not rest.fact.parts:
        test = _leaf(rest).removeprefix("the item ")
        if test.startswith("= "):
            return f"{head} is {test[2:]}", []
        return f"{head} {test}", []
    lines = describe(rest)
    if len(lines) == 1:
        return f"{head} has {lines[0]}", []
    return f"{head} has:", lines


def describe(condition: Condition) -> list[str]:  # noqa: C901 - one branch per kind
    """The condition in plain words, one line per part, nested parts indented by two spaces."""
    if isinstance(condition, FactTest):
        return [_leaf(condition)]
    if isinstance(condition, TimeTest):
        when = "at least" if condition.operator.name == "older_than" else "less than"
        name = _fact_name(condition.fact)
        return [f"{name} is {when} {_duration(condition.days)} before the evaluation date"]
    if isinstance(condition, AllOf | AnyOf):
        head = "all of:" if isinstance(condition, AllOf) else "any of:"
        lines = [head]
        for item in condition.items:
            inner = describe(item)
            lines.append(f"  - {inner[0]}")
            lines.extend(f"    {line}" for line in inner[1:])
        return lines
    if isinstance(condition, Not):
        inner = describe(condition.item)
        if len(inner) == 1:
            return [f"not: {inner[0]}"]
        return ["not:", *(f"  {line}" for line in inner)]
    if isinstance(condition, Quantifier):
        head, lines = _subject_of(
            _QUANTIFIER_WORDS[condition.kind], condition.over, condition.where
        )
        return [head, *(f"  {line}" for line in lines)]
    if isinstance(condition, CountTest):
        words = f"{_COUNT_WORDS[condition.operator.name]} {condition.operand}"
        noun = "item" if condition.operand == 1 else "items"
        head, lines = _subject_of(f"{words} {noun}", condition.over, condition.where)
        if condition.operand != 1:
            head = head.replace(" is ", " are ", 1).replace(" has", " have", 1)
        return [head, *(f"  {line}" for line in lines)]
    if isinstance(condition, StepDone):
        return [f"step {condition.step} is done"]
    return [_attested(condition)]


def _attested(condition: Attested) -> str:
    count = condition.at_least
    text = f"at least {count} attestation{'s' * (count != 1)} of '{condition.judgement}'"
    if condition.group is not None:
        text += f" by {condition.group}"
    if condition.within_days is not None:
        text += f", at most {_duration(condition.within_days)} old"
    return text


# -- an example of passing evidence --------------------------------------------------------------


class Example(NamedTuple):
    """Facts and attestations that make a condition pass, with notes on the values chosen.

    `notes` maps a dotted fact path to words that say what any value there must be (a date at
    least 7 days before the evaluation date); `missing` lists the parts no example was derived for.
    """

    facts: dict[str, Any]
    attestations: list[dict[str, Any]]
    notes: dict[str, str]
    missing: list[str]


class _Cannot(Exception):  # noqa: N818 - a signal, not an error
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Builder:
    """Builds one example; a step a condition names is exemplified by its own `done_when`."""

    def __init__(
        self,
        now: dt.date,
        steps: Callable[[str], Condition | None],
        placeholder: Callable[[tuple[str, ...]], Any],
    ) -> None:
        self.now = now
        self.steps = steps
        self.placeholder = placeholder
        self.facts: dict[str, Any] = {}
        self.attestations: list[dict[str, Any]] = []
        self.notes: dict[str, str] = {}
        self.missing: list[str] = []
        self.seen_steps: set[str] = set()

    def add(self, condition: Condition) -> None:
        """Exemplify a top-level condition; a part that cannot be is listed, not guessed."""
        if isinstance(condition, AllOf):
            for item in condition.items:
                self.add(item)
            return
        saved = (_copy(self.facts), list(self.attestations), dict(self.notes))
        try:
            self._top(condition)
        except _Cannot as cannot:
            self.facts, self.attestations, self.notes = saved
            self.missing.append(f"{describe(condition)[0]}: {cannot.reason}")

    def _top(self, condition: Condition) -> None:
        if isinstance(condition, StepDone):
            if condition.step in self.seen_steps:
                return
            self.seen_steps.add(condition.step)
            done_when = self.steps(condition.step)
            if done_when is None:
                raise _Cannot(f"step {condition.step} is not in the policy")
            self.add(done_when)
            return
        if isinstance(condition, Attested):
            self._attest(condition)
            return
        if isinstance(condition, AnyOf):
            self._any(condition)
            return
        if isinstance(condition, Quantifier | CountTest):
            shape = self.placeholder(condition.over.parts)
            known = list(shape) if isinstance(shape, dict) else None
            self._set(condition.over.parts, _collection(condition, known), None)
            return
        for path, value, note in _values(condition, self.now):
            if value is PLACEHOLDER:
                shape = self.placeholder(path)
                self._set(path, {} if isinstance(shape, dict) else shape, note)
            else:
                self._set(path, value, note)

    def _any(self, condition: AnyOf) -> None:
        reasons = []
        for item in condition.items:
            saved = (
                _copy(self.facts),
                list(self.attestations),
                dict(self.notes),
                len(self.missing),
            )
            try:
                self._top(item)
            except _Cannot as cannot:
                reasons.append(cannot.reason)
            else:
                if len(self.missing) == saved[3]:
                    return
                reasons.append("a part of it cannot be exemplified")
            self.facts, self.attestations, self.notes = saved[0], saved[1], saved[2]
            del self.missing[saved[3] :]
        raise _Cannot("no alternative can be exemplified (" + "; ".join(reasons) + ")")

    def _attest(self, condition: Attested) -> None:
        if condition.reviewers is None:
            people = [f"reviewer-{n + 1}" for n in range(condition.at_least)]
        else:
            people = sorted(condition.reviewers)[: condition.at_least]
            if len(people) < condition.at_least:
                raise _Cannot(f"group {condition.group} has fewer than {condition.at_least} people")
        for person in people:
            entry = {"judgement": condition.judgement, "by": person, "date": self.now}
            if entry not in self.attestations:
                self.attestations.append(entry)

    def _set(self, path: tuple[str, ...], value: Any, note: str | None) -> None:
        node = self.facts
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise _Cannot(f"{'.'.join(path)} needs a map and a value at once")
            node = child
        self.facts_merge(node, path, value)
        if note is not None:
            self.notes[".".join(path)] = note

    @staticmethod
    def facts_merge(node: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
        last = path[-1]
        if last not in node:
            node[last] = value
            return
        old = node[last]
        if isinstance(old, list) and isinstance(value, list):
            node[last] = old + [item for item in value if item not in old]
        elif isinstance(old, dict) and isinstance(value, dict):
            for key, item in value.items():
                _Builder.facts_merge(old, (*path, key), item)
        elif old != value or type(old) is not type(value):
            msg = f"{'.'.join(path)} would need both {shown(old)} and {shown(value)}"
            raise _Cannot(msg)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


_Value = tuple[tuple[str, ...], Any, "str | None"]


def _values(condition: Condition, now: dt.date) -> list[_Value]:
    """The (path, value, note) settings that make a fact condition pass."""
    if isinstance(condition, FactTest | TimeTest):
        if condition.fact.variable is not None:  # pragma: no cover - only inside quantifiers
            raise _Cannot("a variable outside a quantifier")
        value, note = _leaf_value(condition, now)
        return [(condition.fact.parts, value, note)] if value is not _ABSENT else []
    if isinstance(condition, Quantifier | CountTest):
        return [(condition.over.parts, _collection(condition), None)]
    if isinstance(condition, AllOf):
        return [setting for item in condition.items for setting in _values(item, now)]
    if isinstance(condition, AnyOf):
        return _values(condition.items[0], now)
    if isinstance(condition, Not):
        raise _Cannot("a negation has no single value that makes it pass")
    raise _Cannot("a step or attestation inside a quantifier")  # pragma: no cover


_ABSENT: Any = object()
PLACEHOLDER: Any = type("Placeholder", (), {"__repr__": lambda _self: "<placeholder>"})()


def _leaf_value(test: FactTest | TimeTest, now: dt.date) -> tuple[Any, str | None]:  # noqa: C901
    if isinstance(test, TimeTest):
        if test.operator.name == "older_than":
            note = f"a date at least {_duration(test.days)} before the evaluation date"
            return now - dt.timedelta(days=test.days + 1), note
        return now, f"a date less than {_duration(test.days)} before the evaluation date"
    op, operand = test.operator.name, test.operand
    if op in {"eq", "gte", "lte"}:
        return operand, None
    if op in {"gt", "lt"}:
        step = 1 if op == "gt" else -1
        if isinstance(operand, dt.date):
            return operand + dt.timedelta(days=step), None
        return operand + step, None
    if op == "ne":
        return _other(operand), None
    if op == "in":
        return operand[0], None
    if op == "not_in":
        return _other_than(operand), None
    if op == "contains":
        return [operand], None
    if op == "matches":
        return _matching(operand), None
    if operand:  # exists: true
        return PLACEHOLDER, "any value"
    return _ABSENT, None  # exists: false: leave it out


def _other(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    return f"not-{shown(value)}"


def _other_than(values: list[Any]) -> Any:
    candidate: Any = "other"
    counter = 1
    while candidate in values:
        counter += 1
        candidate = f"other-{counter}"
    return candidate


_REGEX_SIMPLIFICATIONS = (
    (r"^\^", ""),
    (r"(^|[^\\])\$$", r"\1"),  # an unescaped $ at the end
    (r"\(\s*[^()]*\|\$\)", ""),  # ( |$): the end will do
    (r"\([^()]*\)\?", ""),  # optional groups
    (r"\[([^\]\\])[^\]]*\][+]", r"\1"),  # a class repeated: its first character once
    (r"\.\*", ""),
    (r"\\(.)", r"\1"),
)


def _matching(pattern: str) -> str:
    """A string the pattern matches, for the plain patterns policies use; else no example.

    Every pattern here, the policy's and the simplifications, runs on RE2 (as `matches` does):
    the text is derived from the pattern, and a backtracking engine could be made to hang on it.
    """
    from gatecheck.language.regexes import compile_regex

    text = pattern
    for find, replace in _REGEX_SIMPLIFICATIONS:
        text = compile_regex(find).sub(replace, text)
    if compile_regex(pattern).search(text):  # checked by RE2 when the policy was loaded
        return text
    raise _Cannot(f"no string matching /{pattern}/ could be derived")


def _collection(condition: Quantifier | CountTest, known: list[str] | None = None) -> Any:
    """A list or map whose items make a quantifier or count pass.

    `known` is None when the schema does not say the collection is a map, else the keys it names.
    """
    if isinstance(condition, Quantifier):
        wanted = 0 if condition.kind in {"every", "none"} else 1
    else:
        wanted = {"eq": 0, "gte": 0, "lte": 0, "gt": 1, "lt": -1, "ne": 1}[condition.operator.name]
        wanted += condition.operand
        if condition.operator.name in {"lt", "lte"}:
            wanted = 0 if wanted >= 0 else -1
        elif condition.operator.name == "ne" and condition.operand != 0:
            wanted = 0
    if wanted < 0:
        raise _Cannot("no number of items can pass")
    keyed, names = _keys(condition.where, wanted, known)
    items = [_item(condition.where) for _ in range(wanted)]
    if keyed:
        return dict(zip(names, items, strict=True))
    return items


def _keys(  # noqa: C901 - the key tests, one by one
    where: Condition | None, wanted: int, known: list[str] | None
) -> tuple[bool, list[str]]:
    """Whether items need keys (a map), and the keys to use."""
    tests = []
    stack: list[Any] = [where] if where is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, FactTest) and node.fact.variable == KEY:
            tests.append(node)
        elif isinstance(node, AllOf):
            stack.extend(node.items)
        elif isinstance(node, AnyOf | Not) and _mentions_key(node):
            raise _Cannot("a test of the key inside `any` or `not`")
    if not tests and known is None:
        return False, []
    names: list[str] = list(known or ())
    for test in tests:
        if test.operator.name in {"in", "eq"}:
            allowed = test.operand if test.operator.name == "in" else [test.operand]
            names = [str(name) for name in allowed if not known or name in names]
    excluded = [v for t in tests if t.operator.name == "not_in" for v in t.operand]
    excluded += [t.operand for t in tests if t.operator.name == "ne"]
    others = [t for t in tests if t.operator.name not in {"in", "eq", "not_in", "ne"}]
    if others:
        raise _Cannot("a test of the key other than eq, ne, in or not_in")
    if not names:
        names = [f"example-{n + 1}" for n in range(wanted)]
    names = [name for name in names if name not in excluded]
    if len(names) < wanted:
        raise _Cannot("too few keys are allowed")
    return True, names[:wanted]


def _mentions_key(node: Any) -> bool:
    if isinstance(node, FactTest):
        return node.fact.variable == KEY
    children = getattr(node, "items", None) or ([node.item] if isinstance(node, Not) else [])
    return any(_mentions_key(child) for child in children)


def _item(where: Condition | None) -> Any:
    """One item that satisfies `where` (its key tests are met by the key chosen)."""
    if where is None:
        return "example"
    settings = _item_values(where)
    whole = [value for path, value in settings if not path]
    if whole:
        if len(settings) != len(whole) or any(value != whole[0] for value in whole):
            raise _Cannot("the item would need to be a value and a map at once")
        return whole[0]
    item: dict[str, Any] = {}
    for path, value in settings:
        _Builder.facts_merge(_walk(item, path), path, value)
    return item


def _walk(node: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for part in path[:-1]:
        node = node.setdefault(part, {})
    return node


def _item_values(where: Condition) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(where, FactTest | TimeTest):
        if where.fact.variable == KEY:
            return []
        if where.fact.variable is None:
            raise _Cannot("a fact outside the item inside a quantifier")
        if isinstance(where, TimeTest):
            raise _Cannot("a time test of an item")
        value, _note = _leaf_value(where, dt.date.min)
        value = "example" if value is PLACEHOLDER else value
        return [] if value is _ABSENT else [(where.fact.parts, value)]
    if isinstance(where, AllOf):
        return [setting for item in where.items for setting in _item_values(item)]
    if isinstance(where, AnyOf):
        return _item_values(where.items[0])
    raise _Cannot("a negation, nested quantifier, step or attestation inside a quantifier")


def schema_placeholder(schema: dict[str, Any] | None) -> Callable[[tuple[str, ...]], Any]:
    """A value of the type the facts schema gives a path, for `exists: true`."""
    from gatecheck.language import facts_schema as fact_schema

    def placeholder(path: tuple[str, ...]) -> Any:
        node: Any = schema
        for part in path:
            if schema is None or node is None:
                return "example"
            node = fact_schema.child(schema, node, part)
        if schema is None or node is None:
            return "example"
        node = fact_schema.resolve(schema, node)
        if node.get("enum"):
            return node["enum"][0]
        if "const" in node:
            return node["const"]
        kinds = fact_schema.kinds_of(schema, node) or {"string"}
        for kind, value in (
            ("string", "example"),
            ("number", node.get("minimum", 1)),
            ("boolean", True),
            ("date", dt.date(2024, 1, 1)),
            ("list", []),
            ("map", {}),
        ):
            if kind == "map" and kind in kinds:
                return dict.fromkeys(fact_schema.names_at(schema, node))
            if kind in kinds:
                return value
        return "example"  # pragma: no cover - a schema that allows only null

    return placeholder


def example(
    condition: Condition,
    now: dt.date,
    steps: Callable[[str], Condition | None],
    placeholder: Callable[[tuple[str, ...]], Any] | None = None,
) -> Example:
    """The facts and attestations that make `condition` pass at `now`; see `Example`.

    `steps` gives the `done_when` of a step the condition names, so `{step: c-api}` is met by
    that step's own evidence; `placeholder` a value for a fact that must only exist (see
    `schema_placeholder`).
    """
    builder = _Builder(now, steps, placeholder or schema_placeholder(None))
    builder.add(condition)
    return Example(builder.facts, builder.attestations, builder.notes, builder.missing)

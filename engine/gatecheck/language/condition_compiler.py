"""Compiling the conditions of a policy file's data into the engine's conditions.

Compilation reads the plain data of a policy file. With a `Checks` object it also checks meaning
(operators and operands, fact paths against the facts schema, step and judgement references) and
collects located problems; without one (a policy already validated and cached) it only builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import Problem, known_names_hint
from gatecheck.language import facts_schema as fact_schema
from gatecheck.language import operators
from gatecheck.language.conditions import (
    AllOf,
    AnyOf,
    Attested,
    Condition,
    CountTest,
    FactComparison,
    FactRef,
    FactTest,
    Not,
    Offset,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.language.fact_paths import SchemaScope, item_schema_of, read_fact_path
from gatecheck.language.operand_checks import (
    comparison_mismatch,
    disjoint_values,
    offset_mismatch,
    operand_mismatch,
    value_mismatch,
)
from gatecheck.language.operators import COUNT_OPERATORS, OPERATORS, TIME_OPERATORS
from gatecheck.language.values import is_non_finite, show

HINT = "hint"  # beside any condition's own keys: what to do when that condition decides a rule

if TYPE_CHECKING:
    from gatecheck.documents import DataPath, Document
    from gatecheck.errors import Location
    from gatecheck.language.compile_checks import Checks
    from gatecheck.language.operators import Operator


class ConditionCompiler:
    def __init__(
        self,
        document: Document,
        reviewers: dict[str, list[str]],
        checks: Checks | None,
        fresh: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        self.document = document
        self.reviewers = reviewers
        self.checks = checks
        self.fresh = fresh  # the policy's `freshness` paths: facts reads must check staleness

    def problem(self, code: str, message: str, location: Location, hint: str | None = None) -> None:
        if self.checks is not None:
            self.checks.problems.append(Problem(code, message, location, hint))

    def compile(self, data: Any, path: DataPath, scope: SchemaScope | None = None) -> Condition:
        condition = self._compile(data, path, scope or SchemaScope())
        hint = data.get(HINT)
        return condition if hint is None else condition._replace(hint=hint)

    def _compile(self, data: Any, path: DataPath, scope: SchemaScope) -> Condition:
        location = self.document.locate(path)
        if "fact" in data:
            return self._fact(data, path, scope)
        if "count" in data:
            return self._count(data, path, scope)
        if "all" in data or "any" in data:
            kind = "all" if "all" in data else "any"
            items = tuple(
                self.compile(item, (*path, kind, i), scope) for i, item in enumerate(data[kind])
            )
            return AllOf(items, location) if kind == "all" else AnyOf(items, location)
        if "not" in data:
            return Not(self.compile(data["not"], (*path, "not"), scope), location)
        for kind in ("some", "every", "none"):
            if kind in data:
                over, where = self._collection(data[kind], (*path, kind), scope)
                return Quantifier(kind, over, where, location)
        if "step" in data:
            self._check_step(data["step"], (*path, "step"))
            return StepDone(data["step"], location)
        if "attested" in data:
            return self._attested(data, path, location)
        # the condition shapes refuse any other mapping before compiling; a new kind must be added
        # here rather than be taken for an attestation
        msg = f"not a condition: {sorted(data)}"  # pragma: no cover
        raise ValueError(msg)  # pragma: no cover

    # -- leaves ------------------------------------------------------------------------------

    def _fact(self, data: dict[str, Any], path: DataPath, scope: SchemaScope) -> Condition:
        location = self.document.locate(path)
        names = [key for key in data if key not in {"fact", HINT}]
        fact, schema_node = self._fact_ref(data["fact"], (*path, "fact"), scope)
        if len(names) != 1:
            self._operator_count_problem(names, path)
            return FactTest(fact, OPERATORS["exists"], True, location)  # noqa: FBT003
        name = names[0]
        operator = OPERATORS[name]
        operand = data[name]
        if name in COUNT_OPERATORS and isinstance(operand, dict):
            at = (*path, name)
            if "fact" in operand:
                return self._comparison(fact, schema_node, operator, operand, at, scope=scope)
            self.problem(
                "bad-operand",
                f"'{name}' takes a value or another fact, not a map without `fact`",
                self.document.locate(at),
                "to compare with another fact, write {fact: some.fact}, with `plus` or `minus`"
                " if need be",
            )
            return FactTest(fact, operator, operand, location)
        if self._operand_ok(operator, operand, (*path, name), schema_node, fact):
            days = operators.parse_duration(operand) if name in TIME_OPERATORS else None
            if days is not None:
                return TimeTest(fact, operator, days, operand, location)
        return FactTest(fact, operator, operand, location)

    def _comparison(  # noqa: PLR0913 - the fact, its schema node, and the reference's parts
        self,
        fact: FactRef,
        fact_node: Any,
        operator: Operator,
        data: dict[str, Any],
        path: DataPath,
        *,
        scope: SchemaScope,
    ) -> FactComparison:
        """`{fact: a, lte: {fact: b, minus: 1d}}`: the other fact, read where `a` is read."""
        location = self.document.locate(path[:-1])
        other, other_node = self._fact_ref(data["fact"], (*path, "fact"), scope)
        offsets = [key for key in ("plus", "minus") if data.get(key) is not None]
        offset = None
        if offsets:
            key = offsets[0]
            amount = data[key]
            days = operators.parse_duration(amount) if isinstance(amount, str) else None
            offset = Offset(1 if key == "plus" else -1, amount, days)
            if not _offset_amount(amount):
                self.problem(
                    "bad-operand",
                    f"'{key}' takes a duration (7d, 2w) or a number, not {show(amount)}",
                    self.document.locate((*path, key)),
                    f"for example {{fact: release.date, {key}: 7d}} or {{fact: a.count, {key}: 1}}",
                )
                return FactComparison(fact, operator, other, None, location)
        if len(offsets) > 1:
            self.problem(
                "bad-operand",
                "a fact reference takes `plus` or `minus`, not both",
                self.document.locate_key((*path, offsets[1])),
                "keep one offset: the difference of the two",
            )
        elif self.checks is not None and self.checks.facts_schema is not None:
            self._check_comparison(
                fact, fact_node, operator, other, other_node, offset=offset, path=path
            )
        return FactComparison(fact, operator, other, offset, location)

    def _check_comparison(  # noqa: PLR0913 - both facts with their schema nodes
        self,
        fact: FactRef,
        fact_node: Any,
        operator: Operator,
        other: FactRef,
        other_node: Any,
        *,
        offset: Offset | None,
        path: DataPath,
    ) -> None:
        """Offsets and kinds checked against the facts schema's types, as literal operands are."""
        schema = self.checks.facts_schema if self.checks is not None else None
        if schema is None:  # pragma: no cover - called only with a schema
            return
        kinds = None if fact_node is None else fact_schema.kinds_of(schema, fact_node)
        other_kinds = None if other_node is None else fact_schema.kinds_of(schema, other_node)
        if offset is not None:
            key = "plus" if offset.sign > 0 else "minus"
            mismatch = offset_mismatch(key, offset.amount, other.text, other_kinds)
            if mismatch is not None:
                message, hint = mismatch
                self.problem("bad-operand", message, self.document.locate((*path, key)), hint)
                return
            if other_kinds is not None:  # the shifted value: a date, or a number
                other_kinds = other_kinds & {"date" if offset.days is not None else "number"}
        clash = comparison_mismatch(operator, fact.text, kinds, other.text, other_kinds)
        if clash is None and offset is None and fact_node is not None and other_node is not None:
            clash = disjoint_values(
                operator,
                fact.text,
                fact_schema.allowed_values(schema, fact_node),
                other.text,
                fact_schema.allowed_values(schema, other_node),
            )
        if clash is not None:
            self.problem("bad-operand", clash, self.document.locate(path))

    def _count(self, data: dict[str, Any], path: DataPath, scope: SchemaScope) -> Condition:
        location = self.document.locate(path)
        over, where = self._collection(data["count"], (*path, "count"), scope)
        names = [key for key in data if key not in {"count", HINT}]
        allowed = {name: OPERATORS[name] for name in COUNT_OPERATORS}
        if len(names) != 1:
            self._operator_count_problem(names, path)
            return CountTest(over, where, OPERATORS["gte"], 0, location)
        operator = allowed[names[0]]
        operand = data[names[0]]
        if not isinstance(operand, int) or isinstance(operand, bool) or operand < 0:
            self.problem(
                "bad-operand",
                f"'{names[0]}' of a count takes a whole number, not {operand!r}",
                self.document.locate((*path, names[0])),
                "write a count such as 1",
            )
        return CountTest(over, where, operator, operand, location)

    def _collection(
        self, data: dict[str, Any], path: DataPath, scope: SchemaScope
    ) -> tuple[FactRef, Condition | None]:
        over, node = self._fact_ref(data["fact"], (*path, "fact"), scope)
        if self.checks is not None and self.checks.facts_schema is not None and node is not None:
            kinds = fact_schema.kinds_of(self.checks.facts_schema, node)
            if kinds is not None and not kinds & {"list", "map"}:
                self.problem(
                    "bad-operand",
                    f"'{over.text}' is a {'/'.join(sorted(kinds))}, not a list or map",
                    self.document.locate((*path, "fact")),
                )
        inner = SchemaScope(inside=True, item_schema=item_schema_of(self.checks, node))
        where_data = data.get("where")
        where = None if where_data is None else self.compile(where_data, (*path, "where"), inner)
        return over, where

    def _attested(self, data: dict[str, Any], path: DataPath, location: Location) -> Attested:
        judgement, group = data["attested"], data.get("by")
        checks = self.checks
        if checks is not None and judgement not in checks.judgements:
            self.problem(
                "unknown-judgement",
                f"judgement '{judgement}' is not declared in the policy's `judgements`",
                self.document.locate((*path, "attested")),
                known_names_hint(judgement, checks.judgements, "judgement"),
            )
        if checks is not None and group is not None and group not in checks.reviewer_groups:
            self.problem(
                "unknown-reviewers",
                f"reviewer group '{group}' is not declared in the policy's `reviewers`",
                self.document.locate((*path, "by")),
                known_names_hint(group, checks.reviewer_groups, "reviewer group"),
            )
        within = data.get("within")
        return Attested(
            judgement,
            group,
            frozenset(self.reviewers.get(group, ())) if group is not None else None,
            data.get("at_least", 1),
            operators.parse_duration(within) if within is not None else None,
            location,
        )

    # -- checks ------------------------------------------------------------------------------

    def fact_path(self, text: str, path: DataPath) -> FactRef:
        """A fact path outside any condition (such as a `freshness` key), checked like one."""
        return self._fact_ref(text, path, SchemaScope())[0]

    def _fact_ref(self, text: str, path: DataPath, scope: SchemaScope) -> tuple[FactRef, Any]:
        """Parse a fact path; with checks, also find its schema node (None if unknown)."""
        return read_fact_path(text, self.document.locate(path), scope, self.checks, self.fresh)

    def _operand_ok(
        self, operator: Operator, operand: Any, path: DataPath, node: Any, fact: FactRef
    ) -> bool:
        if self.checks is None:
            return True
        schema = self.checks.facts_schema
        kinds = None if schema is None or node is None else fact_schema.kinds_of(schema, node)
        mismatch = operand_mismatch(operator, operand, fact.text, kinds)
        if mismatch is None and schema is not None and node is not None:
            mismatch = self._value_mismatch(operator, operand, schema, node, fact)
        if mismatch is not None:
            message, hint = mismatch
            self.problem("bad-operand", message, self.document.locate(path), hint)
        return mismatch is None

    @staticmethod
    def _value_mismatch(
        operator: Operator, operand: Any, schema: dict[str, Any], node: Any, fact: FactRef
    ) -> tuple[str, str] | None:
        """An operand the fact's listed values (`enum`, `const`) can never meet: a typo."""
        items = None
        if operator.name == "contains" and fact_schema.is_array(schema, node):
            items = fact_schema.allowed_values(schema, fact_schema.item_schema(schema, node))
        allowed = fact_schema.allowed_values(schema, node)
        return value_mismatch(operator, operand, fact.text, allowed, items)

    def _operator_count_problem(self, names: list[str], path: DataPath) -> None:
        # Unknown operator names never get here: the policy model rejects unknown keys first.
        if not names:
            self.problem(
                "missing-operator",
                "condition has no operator",
                self.document.locate(path),
                "add one operator, such as `eq: true` or `gte: 4`",
            )
        else:
            self.problem(
                "too-many-operators",
                f"condition has {len(names)} operators ({', '.join(names)}); it takes one",
                self.document.locate_key((*path, names[1])),
                "combine several tests with `all:`",
            )

    def _check_step(self, step: str, path: DataPath) -> None:
        if self.checks is not None and step not in self.checks.step_ids:
            self.problem(
                "unknown-step",
                f"step '{step}' is not defined in this policy",
                self.document.locate(path),
                known_names_hint(step, self.checks.step_ids, "step"),
            )


def _offset_amount(amount: Any) -> bool:
    """A duration (`7d`, `2w`) or a number (not a boolean)."""
    if isinstance(amount, str):
        return operators.parse_duration(amount) is not None
    number = isinstance(amount, int | float) and not isinstance(amount, bool)
    return number and not is_non_finite(amount)

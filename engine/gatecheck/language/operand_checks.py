"""Whether a comparison's operand suits its operator and the kinds the schema gives its fact."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from gatecheck.language.kinds import BOOLEAN, DATE, LIST, NUMBER, STRING, kind_of
from gatecheck.language.operators import (
    COUNT_OPERATORS,
    DURATION,
    REGEX,
    SCALAR,
    TIME_OPERATORS,
    parse_duration,
)
from gatecheck.language.regexes import regex_problem
from gatecheck.language.values import is_non_finite, show

if TYPE_CHECKING:
    from gatecheck.language.operators import Operator

_LOOKS_LIKE_A_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ].*)?")
_SHOWN_VALUES = 16  # allowed values listed in a hint; past that, "..."
_VALUE_OPERATORS = frozenset({"eq", "ne", "in", "not_in"})


def operand_mismatch(
    operator: Operator, operand: Any, fact_text: str, kinds: set[str] | None
) -> tuple[str, str | None] | None:
    """Why `operand` cannot serve `operator` on this fact, and a hint; None when it can.

    `kinds` are the fact's kinds in the facts schema (None when the schema does not say).
    """
    reason = operand_problem(operator, operand)
    if reason is not None:
        dated = kinds is None or DATE in kinds
        return reason, (dated and _unquote_hint(operand)) or _operand_hint(operator, operand)
    empty = _empty_list(operator, operand)
    if empty is not None:
        return empty
    if kinds is None:
        return None
    clash = _kind_clash(operator, operand, kinds)
    if clash:
        return (
            f"fact '{fact_text}' is a {'/'.join(sorted(kinds))} in the facts schema; {clash}",
            _unquote_hint(operand) if DATE in kinds else None,
        )
    return None


def _empty_list(operator: Operator, operand: Any) -> tuple[str, str] | None:
    """`in: []` never passes and `not_in: []` always does: a list left empty by mistake."""
    if operator.name not in {"in", "not_in"} or operand != []:
        return None
    if operator.name == "in":
        return (
            "an empty list: the test can never pass",
            "list the values the fact may take, such as `in: [high, critical]`",
        )
    return (
        "an empty list: the test always passes",
        "list the values the fact must not take, or leave the test out",
    )


def _unquote_hint(operand: Any) -> str | None:
    """For a date fact compared with a quoted date ("2026-01-01"): write the date bare."""
    values = operand if isinstance(operand, list) else [operand]
    quoted = [v for v in values if isinstance(v, str) and _LOOKS_LIKE_A_DATE.fullmatch(v)]
    if not quoted:
        return None
    return (
        f"'{quoted[0]}' is quoted, so it is a string, not a date: write the date"
        f" without quotes ({quoted[0]})"
    )


def value_mismatch(
    operator: Operator,
    operand: Any,
    fact_text: str,
    allowed: list[Any] | None,
    item_allowed: list[Any] | None,
) -> tuple[str, str] | None:
    """Why the facts schema's listed values (`enum`, `const`) make this test a mistake, or None.

    `allowed` are the values the fact may take, `item_allowed` those its items may take (a list
    fact), each None when the schema does not list them. A value the fact can never take is a
    typo: `eq: opne` would never pass, `ne: opne` always.
    """
    name = operator.name
    if name in _VALUE_OPERATORS and allowed is not None:
        values = operand if name in {"in", "not_in"} else [operand]
        for value in values:
            if not _holds(allowed, value):
                return (
                    (
                        f"fact '{fact_text}' can never be {show(value)}: the facts schema allows"
                        f" only {_listed(allowed)}"
                    ),
                    _values_hint(value, allowed),
                )
    if name == "contains" and item_allowed is not None and not _holds(item_allowed, operand):
        return (
            (
                f"fact '{fact_text}' can never contain {show(operand)}: the facts schema allows its"
                f" items only {_listed(item_allowed)}"
            ),
            _values_hint(operand, item_allowed),
        )
    return None


def disjoint_values(
    operator: Operator,
    fact_text: str,
    allowed: list[Any] | None,
    other_text: str,
    other_allowed: list[Any] | None,
) -> str | None:
    """Why two facts whose listed values have none in common can never be equal, or None."""
    if operator.name not in {"eq", "ne"} or allowed is None or other_allowed is None:
        return None
    if any(_holds(other_allowed, value) for value in allowed):
        return None
    outcome = "never passes" if operator.name == "eq" else "always passes"
    return (
        f"fact '{fact_text}' takes only {_listed(allowed)} and fact '{other_text}' only"
        f" {_listed(other_allowed)} in the facts schema: they are never equal, so"
        f" '{operator.name}' {outcome}"
    )


def _holds(allowed: list[Any], value: Any) -> bool:
    """Whether a policy's value is among a schema's listed (JSON) values.

    A date in the policy is a real date, in JSON a string; a date-time is not judged here.
    """
    if isinstance(value, dt.datetime):
        return True
    return any(_json_same(value, listed) for listed in allowed)


def _json_same(value: Any, listed: Any) -> bool:
    if isinstance(value, dt.date):
        return isinstance(listed, str) and listed == value.isoformat()
    return kind_of(value) == kind_of(listed) and bool(value == listed)


def _listed(values: list[Any]) -> str:
    shown = [show(value) for value in values[:_SHOWN_VALUES]]
    return ", ".join(shown) + (", ..." if len(values) > _SHOWN_VALUES else "")


def _values_hint(value: Any, allowed: list[Any]) -> str:
    """Did you mean the closest listed value? Then every listed value."""
    from gatecheck.suggestions import KnownNames

    strings = [listed for listed in allowed if isinstance(listed, str)]
    closest = KnownNames(strings).closest(value) if isinstance(value, str) and strings else None
    listing = f"the values allowed: {_listed(allowed)}"
    return f"did you mean '{closest}'? {listing}" if closest else listing


def _kind_clash(operator: Operator, operand: Any, kinds: set[str]) -> str | None:
    """Why an operand cannot meet a fact of these schema kinds, or None."""
    name = operator.name
    if name in TIME_OPERATORS:
        return None if "date" in kinds else f"'{name}' needs a date fact"
    if name == "contains":
        return (
            None if kinds & {"list", "map", "string"} else "'contains' needs a list, map or string"
        )
    if name == "matches":
        return None if "string" in kinds else "'matches' needs a string fact"
    if name == "exists":
        return None
    values = operand if name in {"in", "not_in"} else [operand]
    for value in values:
        kind = kind_of(value)
        if kind not in kinds:
            return f"the operand {value!r} is a {kind}"
    return None


def _operand_hint(operator: Operator, operand: Any = None) -> str:
    """An example of the operator in use, taken from its documentation."""
    if isinstance(operand, dict) and "fact" in operand and operator.name not in COUNT_OPERATORS:
        taking = ", ".join(COUNT_OPERATORS)
        literal = "list" if operator.name in {"in", "not_in"} else "value"
        return (
            f"'{operator.name}' takes a literal {literal}; only {taking} take another fact"
            f" ({{fact: a, eq: {{fact: b}}}})"
        )
    if is_non_finite(operand) or (
        isinstance(operand, list) and any(is_non_finite(item) for item in operand)
    ):
        return "compare with a finite number"
    start = operator.doc.find("`{")
    end = operator.doc.find("}`", start)
    if start < 0 or end < 0:  # pragma: no cover - a test checks every operator has an example
        return f"'{operator.name}' takes a {' or '.join(operator.accepts)}"
    return f"for example {operator.doc[start + 1 : end + 1]}"


def operand_problem(operator: Operator, operand: Any) -> str | None:
    """Why `operand` is not acceptable to `operator`, or None when it is."""
    kind = kind_of(operand)
    items = operand if kind == LIST else [operand]
    for item in items:
        if is_non_finite(item):
            return f"`{show(item)}` is not a finite number"
    for accepted in operator.accepts:
        if accepted == SCALAR and kind in {NUMBER, STRING, BOOLEAN, DATE}:
            return None
        if accepted == LIST and kind == LIST:
            bad = [item for item in operand if kind_of(item) in {LIST, "map", "null"}]
            return "list items must be numbers, strings, booleans or dates" if bad else None
        if accepted == REGEX and kind == STRING:
            return regex_problem(operand)
        if accepted == DURATION and kind == STRING:
            if parse_duration(operand) is None:
                return f"'{operand}' is not a duration such as 7d or 2w"
            return None
        if accepted == kind:
            return None
    wanted = " or ".join(operator.accepts)
    return f"'{operator.name}' takes a {wanted}, not a {kind}"


def offset_mismatch(
    key: str, amount: Any, other_text: str, other_kinds: set[str] | None
) -> tuple[str, str] | None:
    """Why `plus`/`minus: amount` cannot shift the fact `other_text` of these schema kinds."""
    if other_kinds is None:
        return None
    duration = isinstance(amount, str)
    wanted = DATE if duration else NUMBER
    if wanted in other_kinds:
        return None
    shown = "/".join(sorted(other_kinds))
    what = f"a duration ({key}: {amount}) offsets only a date"
    hint = f"offset a number by a number, such as `{key}: 1`, or compare dates"
    if not duration:
        what = f"a number ({key}: {amount}) offsets only a number"
        hint = f"offset a date by a duration, such as `{key}: 7d`"
    if not other_kinds & {DATE, NUMBER}:
        hint = "only a date (by a duration) or a number (by a number) can be offset"
    return f"fact '{other_text}' is a {shown} in the facts schema; {what}", hint


def comparison_mismatch(
    operator: Operator,
    fact_text: str,
    kinds: set[str] | None,
    other_text: str,
    other_kinds: set[str] | None,
) -> str | None:
    """Why two facts of these schema kinds can never meet under `operator`, or None."""
    if kinds is None or other_kinds is None:
        return None
    shared = (kinds & other_kinds) - {"null"}
    if operator.name not in {"eq", "ne"}:
        shared &= {NUMBER, DATE}
    if shared:
        return None
    shown, other_shown = "/".join(sorted(kinds)), "/".join(sorted(other_kinds))
    return (
        f"fact '{fact_text}' is a {shown} and fact '{other_text}' is a {other_shown} in the"
        f" facts schema: '{operator.name}' cannot compare them"
    )

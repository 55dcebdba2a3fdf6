"""Whether a comparison's operand suits its operator and the kinds the schema gives its fact."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.language.kinds import BOOLEAN, DATE, LIST, NUMBER, STRING, kind_of
from gatecheck.language.operators import DURATION, REGEX, SCALAR, TIME_OPERATORS, parse_duration
from gatecheck.language.regexes import regex_problem

if TYPE_CHECKING:
    from gatecheck.language.operators import Operator


def operand_mismatch(
    operator: Operator, operand: Any, fact_text: str, kinds: set[str] | None
) -> tuple[str, str | None] | None:
    """Why `operand` cannot serve `operator` on this fact, and a hint; None when it can.

    `kinds` are the fact's kinds in the facts schema (None when the schema does not say).
    """
    reason = operand_problem(operator, operand)
    if reason is not None:
        return reason, _operand_hint(operator)
    if kinds is None:
        return None
    clash = _kind_clash(operator, operand, kinds)
    if clash:
        return (
            f"fact '{fact_text}' is a {'/'.join(sorted(kinds))} in the facts schema; {clash}",
            None,
        )
    return None


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


def _operand_hint(operator: Operator) -> str:
    """An example of the operator in use, taken from its documentation."""
    start = operator.doc.find("`{")
    end = operator.doc.find("}`", start)
    if start < 0 or end < 0:  # pragma: no cover - a test checks every operator has an example
        return f"'{operator.name}' takes a {' or '.join(operator.accepts)}"
    return f"for example {operator.doc[start + 1 : end + 1]}"


def operand_problem(operator: Operator, operand: Any) -> str | None:
    """Why `operand` is not acceptable to `operator`, or None when it is."""
    kind = kind_of(operand)
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

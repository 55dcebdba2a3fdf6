"""`gatecheck history`'s events in words, the same in every format (each escapes its own way)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.history_results import (
    AHEAD,
    CAUGHT_UP,
    DECLARED,
    FACT,
    LISTED,
    POLICY,
    UNLISTED,
)
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.language.values import show_as_written

if TYPE_CHECKING:
    from gatecheck.evaluation.history_results import Event


def describe(event: Event) -> str:
    """One event in words, the same in every format (each escapes it its own way)."""
    name, before, after = event.name, event.before, event.after
    text = {
        LISTED: "listed in Wasmtime's docs",
        UNLISTED: "no longer listed in Wasmtime's docs",
        POLICY: f"judged by {after}" + (f" (was {before})" if before else ""),
        AHEAD: f"ahead of the evidence: {name} claimed while {_verdict(after)}",
        CAUGHT_UP: f"no longer ahead on {name}: {after}",
    }.get(event.kind)
    if text is None and event.kind in {DECLARED, FACT}:
        change = f"{value_text(before)} → {value_text(after)}"
        if event.first:
            change = value_text(after)
        text = f"{'declared ' if event.kind == DECLARED else ''}{name}: {change}"
    if text is None:  # RULE, GATE
        old = "" if before is None else f"{_verdict(before)} → "
        new = _verdict(after) if after is not None else "not in this policy"
        text = f"{event.kind} {name}: {old}{new}"
    if event.because:
        text += f" ({', '.join(event.because)})"
    return text


def not_passing(event: Event) -> str:
    """A gate's rules that do not pass, grouped by verdict: `fail: a, b; missing: c`."""
    groups: dict[str, list[str]] = {}
    for rule, status in event.detail:
        groups.setdefault(status, []).append(rule)
    return "; ".join(f"{status}: {', '.join(rules)}" for status, rules in groups.items())


def _verdict(value: Any) -> str:
    return str(value).upper() if isinstance(value, Verdict) else str(value)


def value_text(value: Any) -> str:
    """A fact's value as output shows it: `true`, `3`, `-W tail-call`; None: not determined."""
    return "not determined" if value is None else show_as_written(value)

"""The one way a value is shown in words: as YAML writes it, dates as ISO, `true`, `null`.

Messages quote a string only where it would be misread bare (`'a b'`, `''`); the conditions in
words (`gatecheck explain`) show a policy's operands exactly as the policy writes them, never
quoted. Both are the same formatter with a different rule for a single string.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable


def show(value: Any) -> str:
    """A value in a message: `true`, `null`, `2024-06-01`, `[a, b]`, `open`, `'two words'`."""
    return _shown(value, _quoted_if_needed)


def show_as_written(value: Any) -> str:
    """A value as a policy writes it, strings bare: `[rust, c]`, `open`, `two words`."""
    return _shown(value, str)


def _shown(value: Any, scalar: Callable[[Any], str]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return non_finite(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_shown(item, scalar) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v, scalar)}" for k, v in value.items()) + "}"
    return scalar(value)


def non_finite(value: float) -> str:
    """A NaN or an infinity as YAML writes it: `.nan`, `.inf`, `-.inf`."""
    if math.isnan(value):
        return ".nan"
    return ".inf" if value > 0 else "-.inf"


def is_non_finite(value: Any) -> bool:
    """Whether a value is a NaN or an infinity (YAML's `.nan`, `.inf`): no number to compare."""
    return isinstance(value, float) and not math.isfinite(value)


def _quoted_if_needed(value: Any) -> str:
    """A string bare when it is a plain word (`open`, `v1.2`, `c-api`), else its repr."""
    if isinstance(value, str):
        plain = value and value.replace("-", "").replace("_", "").replace(".", "").isalnum()
        return value if plain else repr(value)
    return repr(value)

"""The message and hint of a facts-schema violation, in the words of the policy language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import known_names_hint
from gatecheck.language.kinds import kind_of

if TYPE_CHECKING:
    from gatecheck.documents import DataPath


def violation_message(error: Any, path: DataPath, unknown: str | None) -> str:
    where = ".".join(map(str, path[1:])) or "facts"
    if unknown is not None:
        return f"unknown fact '{'.'.join(map(str, (*path[1:], unknown)))}'"
    if error.validator == "format" and error.validator_value in {"date", "date-time"}:
        return f"{where}: expected a date (unquoted YYYY-MM-DD), found {_shown(error.instance)}"
    if error.validator == "type":
        return f"{where}: expected {_a(error.validator_value)}, found {_shown(error.instance)}"
    return f"{where}: {_clipped(error.message)}"


def _clipped(text: str) -> str:
    """A message cut short: jsonschema's quote whole values, which may be a file's worth."""
    if len(text) <= _MESSAGE_CHARS:
        return text
    return f"{text[:_MESSAGE_CHARS]}... ({len(text):,} characters)"


_MESSAGE_CHARS = 500


def _a(types: Any) -> str:
    names = types if isinstance(types, list) else [types]
    return " or ".join(("an " if n[0] in "aeiou" else "a ") + n for n in names)


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return kind_of(value)
    return _clipped(f"{kind_of(value)} {value!r}")


def violation_hint(error: Any, unknown: str | None) -> str | None:
    if unknown is not None:
        return known_names_hint(unknown, error.schema.get("properties", {}), "fact")
    if error.validator == "enum":
        values = error.validator_value
        shown = ", ".join(map(str, values[:_HINTED]))
        more = f", ... ({len(values):,} in all)" if len(values) > _HINTED else ""
        return _clipped(f"allowed values: {shown}{more}")
    return None


_HINTED = 16  # allowed values a hint lists

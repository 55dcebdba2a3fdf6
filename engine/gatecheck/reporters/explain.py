"""`gatecheck explain`'s output: a rule or step explained, as text or JSON.

The example of passing evidence is written as YAML an evidence file could hold, by hand: plain
scalars where YAML reads them back as the same string, JSON-quoted where it would not.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from gatecheck.language.values import show_as_written

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.language.examples import Example
    from gatecheck.language.explained import Explained


def example_yaml(found: Example) -> list[str]:
    """The example as an evidence file's `facts:` and `attestations:` sections."""
    lines: list[str] = []
    if found.facts:
        lines.append("facts:")
        lines.extend(_yaml(found.facts, 1, (), found.notes))
    if found.attestations:
        lines.append("attestations:")
        for entry in found.attestations:
            lines.append(f"  - judgement: {_scalar(entry['judgement'])}")
            lines.append(f"    by: {_scalar(entry['by'])}")
            lines.append(f"    date: {_scalar(entry['date'])}")
    return lines


def _yaml(
    data: dict[str, Any], depth: int, path: tuple[str, ...], notes: dict[str, str]
) -> list[str]:
    pad = "  " * depth
    lines: list[str] = []
    for key, value in data.items():
        here = (*path, str(key))
        note = notes.get(".".join(here))
        comment = f"  # {note}" if note else ""
        if isinstance(value, dict) and value:
            lines.append(f"{pad}{_scalar(key)}:{comment}")
            lines.extend(_yaml(value, depth + 1, here, notes))
        elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
            lines.append(f"{pad}{_scalar(key)}:{comment}")
            for item in value:
                inner = _yaml(item, depth + 2, here, notes) or [f"{pad}    {{}}"]
                lines.append(f"{pad}  - " + inner[0].lstrip())
                lines.extend(inner[1:])
        else:
            lines.append(f"{pad}{_scalar(key)}: {_flow(value)}{comment}")
    return lines


def _flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    return _scalar(value)


_PLAIN_UNSAFE = set(":#[]{},&*!|>'\"%@`")


def _scalar(value: Any) -> str:
    if not isinstance(value, str):
        return show_as_written(value)
    special = value.lower() in {"true", "false", "null", "yes", "no", "on", "off", "~", ""}
    looks_numeric = value.replace(".", "", 1).replace("-", "").isdigit()
    if (
        special
        or looks_numeric
        or value[0] in "-?" + "".join(_PLAIN_UNSAFE)
        or value != value.strip()
        or any(ch in _PLAIN_UNSAFE for ch in value)
    ):
        return json.dumps(value)
    return value


def render_text(found: list[Explained], now: dt.date) -> str:
    from gatecheck.reporters.escape import terminal, terminal_lines

    def names(items: list[str]) -> str:
        return terminal(", ".join(items))

    out: list[str] = []
    for item in found:
        if out:
            out.append("")
        out.append(f"{item.kind} {terminal(item.name)}: {terminal(item.title)}")
        where = terminal(f"{item.location.path}:{item.location.line}")
        out.append(f"  policy: {terminal(item.policy)}, {where}")
        out.append(f"  source: {terminal(item.source)}")
        out.append("")
        out.append("requires, in words:")
        out.extend(f"  {terminal(line)}" for line in item.words)
        if item.hint:
            out.append(f"  hint: {terminal(item.hint)}")
        out.append("")
        out.append("as written:")
        out.extend(f"  {terminal_lines(line)}" if line else "" for line in item.yaml)
        out.append("")
        if item.kind == "rule":
            out.append("steps that feed it, in plan order:")
            out.append(f"  {names(item.steps)}" if item.steps else "  (none listed)")
        else:
            out.append(f"needs: {names(item.needs) or '(nothing)'}")
            before = [name for name in item.steps if name not in item.needs]
            if before:
                out.append(f"  and before those, in plan order: {names(before)}")
            out.append(f"needed by: {names(item.needed_by) or '(nothing)'}")
        out.append("")
        out.append(f"an example of evidence that passes (judged on {now.isoformat()}):")
        snippet = example_yaml(item.example)
        out.extend(f"  {terminal_lines(line)}" for line in snippet) if snippet else out.append(
            "  (no facts needed)"
        )
        if item.example.missing:
            out.append("  not exemplified (write these yourself):")
            out.extend(f"    - {terminal(reason)}" for reason in item.example.missing)
    return "\n".join(out) + "\n"


def render_json(found: list[Explained], now: dt.date) -> str:
    def one(item: Explained) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": item.kind,
            "name": item.name,
            "title": item.title,
            "policy": item.policy,
            "source": item.source,
            "location": {
                "file": item.location.path,
                "line": item.location.line,
                "column": item.location.column,
            },
            "words": item.words,
            "yaml": "\n".join(item.yaml) + "\n",
            "hint": item.hint,
        }
        if item.kind == "rule":
            data["steps"] = item.steps
        else:
            data["needs"] = item.needs
            data["needs_all"] = item.steps
            data["needed_by"] = item.needed_by
        data["example"] = {
            "yaml": "\n".join(example_yaml(item.example)) + "\n",
            "notes": item.example.notes,
            "not_exemplified": item.example.missing,
        }
        return data

    from gatecheck.reporters.escape import json_text

    document = {"now": now.isoformat(), "explained": [one(item) for item in found]}
    return json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"

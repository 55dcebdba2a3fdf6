"""Reading a project's configuration (`gatecheck.toml` or `[tool.gatecheck]`): TOML, keys, places.

Options are directories, relative to the file that names them: `policies`, `evidence` and
`schemas`. Every problem is a `bad-config` problem located at the key as written.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, Problems, known_names_hint

KEYS = ("policies", "evidence", "schemas")  # every key a configuration may set, each a directory
MAX_CONFIG_BYTES = 1 << 20
_DECODE_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class Config(NamedTuple):
    """A configuration file and the options it sets (paths as written), with where each is."""

    path: str  # as shown: relative to the root (its file name)
    options: dict[str, str]
    locations: dict[str, Location]


def read_config(path: str, shown: str) -> bytes:
    """The bytes of a configuration file; one over MAX_CONFIG_BYTES is a `bad-config` problem."""
    with open(path, "rb") as file:
        data = file.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise InvalidInput(
            [
                Problem(
                    "bad-config",
                    f"the configuration is larger than {MAX_CONFIG_BYTES} bytes",
                    Location(shown, 1, 1),
                    "a gatecheck configuration names a few directories",
                )
            ]
        )
    return data


def parse_toml(data: bytes, shown: str) -> dict[str, object]:
    """A configuration file's TOML; not UTF-8 or not TOML is a located `bad-config` problem."""
    import tomllib

    try:
        text = data.decode()
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InvalidInput(
            [
                Problem(
                    "bad-config",
                    "invalid TOML: the file is not UTF-8",
                    Location(shown, line, column),
                    "save the file as UTF-8",
                )
            ]
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = _DECODE_AT.search(message)
        line, column = (int(at.group(1)), int(at.group(2))) if at else (1, 1)
        message = _DECODE_AT.sub("", message).replace("(at end of document)", "").strip()
        raise InvalidInput(
            [
                Problem(
                    "bad-config",
                    f"invalid TOML: {message[:1].lower()}{message[1:]}",
                    Location(shown, line, column),
                    'see https://toml.io: keys are `name = "value"`, strings are quoted',
                )
            ]
        ) from None


def config_options(table: dict[str, object], shown: str, data: bytes, prefix: str = "") -> Config:
    """The options of a configuration table (at `prefix`); unknown keys and bad values refused."""
    options: dict[str, str] = {}
    locations: dict[str, Location] = {}
    problems = Problems()
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if key not in KEYS:
            hint = known_names_hint(key, list(KEYS), "key")
            problems.append(
                config_problem(
                    shown,
                    data,
                    (prefix, key),
                    f"unknown key '{name}'",
                    f"{hint} (the keys are {', '.join(KEYS)})"
                    if "did you mean" in hint
                    else f"the keys are {', '.join(KEYS)} (directories, relative to this file)",
                )
            )
        elif not isinstance(value, str) or not value:
            problems.append(
                config_problem(
                    shown,
                    data,
                    (prefix, key),
                    f"'{name}' must be a directory as a non-empty string, not {_kind(value)}",
                    f'write it quoted, relative to this file: {key} = "{key}"',
                )
            )
        else:
            options[key] = value
            locations[key] = Location(shown, *_locate(data.decode(errors="replace"), (prefix, key)))
    problems.raise_if_any()
    return Config(shown, options, locations)


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "an empty string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def config_problem(
    shown: str,
    data: bytes,
    key: tuple[str, str] | None,
    message: str,
    hint: str = "see the configuration section of docs/cli.md",
) -> Problem:
    """A `bad-config` problem located at `key` (prefix, name) as written, or at 1:1."""
    line, column = _locate(data.decode(errors="replace"), key) if key is not None else (1, 1)
    return Problem("bad-config", message, Location(shown, line, column), hint)


def _locate(text: str, key: tuple[str, str]) -> tuple[int, int]:
    """Line and column of `key` (in table `prefix`; "" is the top level) as written, or 1:1.

    TOML's parser keeps no positions; the configuration is a few lines, so a scan finds the key
    as people write it: `key = ...` under its table's header (or `tool.gatecheck.key = ...`).
    """
    prefix, name = key
    table = ""
    quoted = rf"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"
    bare = re.compile(rf"[ \t]*{quoted}[ \t]*=")
    dotted = (
        re.compile(rf"[ \t]*{re.escape(prefix)}[ \t]*\.[ \t]*{quoted}[ \t]*=") if prefix else None
    )
    header = re.compile(r"[ \t]*\[\[?[ \t]*([^\]]*?)[ \t]*\]")
    for number, line in enumerate(text.splitlines(), 1):
        opened = header.match(line)
        if opened:
            table = re.sub(r"[ \t]*\.[ \t]*", ".", opened.group(1)).replace('"', "")
            continue
        for pattern, wanted in ((bare, prefix), (dotted, "")):
            if pattern is not None and table == wanted and pattern.match(line):
                return number, line.index(name.strip()) + 1
    return 1, 1

"""Where the project is: the nearest directory with a configuration, or with `policies/`.

Like ruff and pytest, a run looks from the current directory up for its project root: the first
directory that holds a `gatecheck.toml`, a `pyproject.toml` with a `[tool.gatecheck]` table, or a
`policies/` directory. The search stops at the top of the git repository it starts in, so a run
never reads a project outside its repository. `--root DIR` names the root: no search.

Options read from the configuration are directories, relative to the file that names them:
`policies`, `evidence` and `schemas`. Command-line options override them. A project's missing
default directory is empty, never filled with bundled data: only where no project is found does
gatecheck use the bundled policies and evidence (and say so).
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint

CONFIG_FILE = "gatecheck.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("policies", "evidence", "schemas")  # every key a configuration may set, each a directory
MAX_CONFIG_BYTES = 1 << 20
# A pyproject.toml is parsed only if it may have a gatecheck table: most have none
_TOOL_TABLE = re.compile(  # [tool.gatecheck], or a dotted tool.gatecheck.x = ...
    rb"^[ \t]*(?:\[[ \t]*)?tool[ \t]*\.[ \t]*[\"']?gatecheck\b", re.MULTILINE
)
_TOOL_HEADER = re.compile(rb"^[ \t]*\[[ \t]*tool[ \t]*\]", re.MULTILINE)  # [tool] with
_GATECHECK_KEY = re.compile(rb"^[ \t]*[\"']?gatecheck[\"']?[ \t]*[.=]", re.MULTILINE)  # gatecheck =
_DECODE_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class Config(NamedTuple):
    """A configuration file and the options it sets (paths as written), with where each is."""

    path: str  # as shown: relative to the root (its file name)
    options: dict[str, str]
    locations: dict[str, Location]


class Found(NamedTuple):
    """The project root of a run and how it was recognised."""

    root: str  # absolute
    config: Config | None
    marker: str  # "gatecheck.toml", "pyproject.toml" or "policies/"


class Layout(NamedTuple):
    """Where a run's directories are: what `project.open_project` takes."""

    root: str
    policies: str | None
    evidence: str | None
    schemas: str | None
    found: Found | None  # None: no project, bundled data fills the gaps

    @property
    def fallback(self) -> bool:
        return self.found is None


def layout(
    root: str | None,
    policies: str | None = None,
    evidence: str | None = None,
    schemas: str | None = None,
    *,
    cwd: str | None = None,
) -> Layout:
    """The project of a run: `root` as given, else the one found from `cwd` up, else `cwd`.

    Directories given on the command line are relative to `root` when it is given, else to the
    current directory; those of a configuration to the file; the command line's win.
    """
    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    given = {"policies": policies, "evidence": evidence, "schemas": schemas}
    if root is None:
        found = find_project(here)
        base = found.root if found is not None else here
        given = {k: None if v is None else os.path.join(here, v) for k, v in given.items()}
    else:
        found = find_project(root, search=False)
        base = root
    if found is not None and found.config is not None:
        problems = []
        for key, value in found.config.options.items():
            if given[key] is not None:
                continue
            path = os.path.join(found.root, value)
            if not os.path.isdir(path):
                problems.append(
                    Problem(
                        "bad-config",
                        f"{key} = '{value}': no such directory",
                        found.config.locations[key],
                        f"create {value}/, or name the directory that holds the {key}"
                        " (relative to this file)",
                    )
                )
            given[key] = path
        if problems:
            raise InvalidInput(problems)
    return Layout(base, given["policies"], given["evidence"], given["schemas"], found)


def find_project(start: str, *, search: bool = True) -> Found | None:
    """The project at or above `start` (only `start` itself unless `search`); None if there is none.

    A configuration that cannot be read or is not valid is a `bad-config` problem.
    """
    directory = os.path.abspath(start)
    while True:
        found = _project_at(directory)
        if found is not None or not search:
            return found
        parent = os.path.dirname(directory)
        # The top of a repository is the last directory searched: above it is someone else's
        if parent == directory or os.path.lexists(os.path.join(directory, ".git")):
            return None
        directory = parent


def _project_at(directory: str) -> Found | None:
    config_path = os.path.join(directory, CONFIG_FILE)
    if os.path.isfile(config_path):
        data = _read(config_path, CONFIG_FILE)
        config = _options(_parse(data, CONFIG_FILE), CONFIG_FILE, data)
        return Found(directory, config, CONFIG_FILE)
    pyproject = os.path.join(directory, PYPROJECT)
    if os.path.isfile(pyproject):
        data = _read(pyproject, PYPROJECT)
        if _TOOL_TABLE.search(data) or (_TOOL_HEADER.search(data) and _GATECHECK_KEY.search(data)):
            tool = _parse(data, PYPROJECT).get("tool")
            table = tool.get("gatecheck") if isinstance(tool, dict) else None
            if table is not None:
                if not isinstance(table, dict):
                    problem = _bad(PYPROJECT, data, None, "tool.gatecheck is not a table")
                    raise InvalidInput([problem])
                config = _options(table, PYPROJECT, data, "tool.gatecheck")
                return Found(directory, config, PYPROJECT)
    if os.path.isdir(os.path.join(directory, "policies")):
        return Found(directory, None, "policies/")
    return None


def _read(path: str, shown: str) -> bytes:
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


def _parse(data: bytes, shown: str) -> dict[str, object]:
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


def _options(table: dict[str, object], shown: str, data: bytes, prefix: str = "") -> Config:
    options: dict[str, str] = {}
    locations: dict[str, Location] = {}
    problems = []
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if key not in KEYS:
            hint = known_names_hint(key, list(KEYS), "key")
            problems.append(
                _bad(
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
                _bad(
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
    if problems:
        raise InvalidInput(problems)
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


def _bad(
    shown: str,
    data: bytes,
    key: tuple[str, str] | None,
    message: str,
    hint: str = "see the configuration section of docs/cli.md",
) -> Problem:
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

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
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Problem, Problems

if TYPE_CHECKING:
    from gatecheck.project.config import Config

CONFIG_FILE = "gatecheck.toml"
PYPROJECT = "pyproject.toml"
_TOOL_TABLE = re.compile(  # [tool.gatecheck], or a dotted tool.gatecheck.x = ...
    rb"^[ \t]*(?:\[[ \t]*)?tool[ \t]*\.[ \t]*[\"']?gatecheck\b", re.MULTILINE
)
_TOOL_HEADER = re.compile(rb"^[ \t]*\[[ \t]*tool[ \t]*\]", re.MULTILINE)  # [tool] with
_GATECHECK_KEY = re.compile(rb"^[ \t]*[\"']?gatecheck[\"']?[ \t]*[.=]", re.MULTILINE)  # gatecheck =


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
        problems = Problems()
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
        problems.raise_if_any()
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
    # Read only where a configuration file is: most runs have none to parse.
    from gatecheck.project.config import read_config

    for name in (CONFIG_FILE, PYPROJECT):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            config = config_in(name, read_config(path, name))
            if config is not None:
                return Found(directory, config, name)
    if os.path.isdir(os.path.join(directory, "policies")):
        return Found(directory, None, "policies/")
    return None


def config_in(name: str, data: bytes) -> Config | None:
    """The configuration in the bytes of a `gatecheck.toml` or `pyproject.toml` (None: it has none).

    A pyproject.toml holds one only in a `[tool.gatecheck]` table. Shared with `check`, which reads
    the base's configuration from git: both sides of a change are read by the same rules.
    """
    from gatecheck.project.config import config_options, config_problem, parse_toml

    if name == CONFIG_FILE:
        return config_options(parse_toml(data, CONFIG_FILE), CONFIG_FILE, data)
    # Parsed only if it may have a gatecheck table: most pyproject.toml files have none
    if not (
        _TOOL_TABLE.search(data) or (_TOOL_HEADER.search(data) and _GATECHECK_KEY.search(data))
    ):
        return None
    tool = parse_toml(data, PYPROJECT).get("tool")
    table = tool.get("gatecheck") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise InvalidInput([config_problem(PYPROJECT, data, None, "tool.gatecheck is not a table")])
    return config_options(table, PYPROJECT, data, "tool.gatecheck")

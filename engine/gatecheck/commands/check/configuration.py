"""The project's configuration at the base, and a change that would move the project's directories.

A change can add, edit or delete the `gatecheck.toml` (or `[tool.gatecheck]`) that says where the
policies, evidence and facts schemas are. Read from the working tree alone, such a change would
choose the policies that judge it: pointed at a directory of lax policies the base already holds
(a test fixture, say), its own claims would be judged by those. So the base's directories come from
the base's configuration, and a change that moves one is refused, as a deleted directory is: the
move lands on its own, where a maintainer sees it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.project.config import KEYS, MAX_CONFIG_BYTES
from gatecheck.project.discovery import CONFIG_FILE, PYPROJECT, config_in

if TYPE_CHECKING:
    from gatecheck.git.repository import Repository
    from gatecheck.project.config import Config


class BaseProject(NamedTuple):
    """A project the base had at the root: its configuration, if it had one."""

    config: Config | None  # None: recognised by its policies/ directory alone


def project_at_base(repo: Repository, commit: str, root: str, top: str) -> BaseProject | None:
    """The project at `root` in the base's tree, by the rules of `discovery`; None if none."""
    where = os.path.relpath(os.path.realpath(root), top)
    prefix = "" if where == "." else where.replace(os.sep, "/") + "/"
    names = (CONFIG_FILE, PYPROJECT)
    *files, policies = repo.lookup(
        commit, [prefix + name for name in names] + [prefix + "policies"]
    )
    for name, found in zip(names, files, strict=True):
        if found is None or found[0] != "blob":
            continue
        if found[2] > MAX_CONFIG_BYTES:
            raise InvalidInput(
                [_at_base(name, 1, f"the configuration is over {MAX_CONFIG_BYTES} bytes")]
            )
        (data,) = repo.objects([found[1]])
        try:
            config = config_in(name, data)
        except InvalidInput as error:
            raise InvalidInput(
                [
                    problem._replace(message=f"{problem.message} (at the base, {commit[:12]})")
                    for problem in error.problems
                ]
            ) from None
        if config is not None:
            return BaseProject(config)
    if policies is not None and policies[0] == "tree":
        return BaseProject(None)
    return None


def refuse_moved_directories(
    root: str,
    given: dict[str, str | None],
    base: BaseProject,
    head_config: Config | None,
    top: str,
) -> None:
    """Refuse a change whose configuration puts a project directory somewhere the base did not.

    `given` holds the directories this run uses (None: the default), as discovery resolved them
    from the command line and the working tree's configuration. A directory the command line names
    is the same on both sides; any other is the base configuration's, or the default. Directories
    are compared by where `open_project` would look, so spelling out a default moves nothing.
    """
    at_base = {
        key: used
        if on_command_line(root, head_config, key, used)
        else _configured(root, base.config, key)
        for key, used in given.items()
    }
    now, then = _searched(root, given), _searched(root, at_base)
    moved = [key for key in KEYS if now[key] != then[key]]
    if {"policies", "schemas"} <= set(moved):
        unmoved = _searched(root, {**given, "policies": at_base["policies"]})
        if unmoved["schemas"] == then["schemas"]:  # searched beside the moved policies: said
            moved.remove("schemas")
    if moved:
        where = os.path.relpath(os.path.realpath(root), top)
        shown = "" if where == "." else where.replace(os.sep, "/") + "/"  # paths from the top
        raise InvalidInput(
            [
                (
                    problem := _moved(key, root, given[key], at_base[key], head_config, base.config)
                )._replace(location=problem.location._replace(path=shown + problem.location.path))
                for key in moved
            ]
        )


def on_command_line(root: str, config: Config | None, key: str, used: str | None) -> bool:
    """Whether the directory `used` comes from the command line, not from the configuration."""
    return used is not None and _normal(used) != _normal(_configured(root, config, key))


def _configured(root: str, config: Config | None, key: str) -> str | None:
    if config is None or key not in config.options:
        return None
    return os.path.join(root, config.options[key])


def _normal(path: str | None) -> str | None:
    return None if path is None else os.path.normpath(path)


def _searched(root: str, values: dict[str, str | None]) -> dict[str, tuple[str, ...]]:
    """Where a run looks for each kind of file (`open_project`'s rules), as normal paths."""
    policies = os.path.normpath(values["policies"] or os.path.join(root, "policies"))
    evidence = os.path.normpath(values["evidence"] or os.path.join(root, "evidence"))
    beside = (os.path.join(os.path.dirname(policies), "schemas"), os.path.join(root, "schemas"))
    given = (values["schemas"],) if values["schemas"] is not None else ()
    schemas = tuple(dict.fromkeys(os.path.normpath(path) for path in (*given, *beside)))
    return {"policies": (policies,), "evidence": (evidence,), "schemas": schemas}


def _moved(  # noqa: PLR0913, PLR0917 - both sides of one directory
    key: str,
    root: str,
    used: str | None,
    base_value: str | None,
    head_config: Config | None,
    base_config: Config | None,
) -> Problem:
    def shown(path: str | None) -> str:
        if path is None:
            return "the default" if key == "schemas" else f"{key}/ (the default)"
        return os.path.relpath(path, root).replace(os.sep, "/") + "/"

    if head_config is not None and key in head_config.options:
        location = head_config.locations[key]
    elif head_config is not None:
        location = Location(head_config.path, 1, 1)
    else:  # the change removed the configuration that named the directory
        assert base_config is not None  # noqa: S101 - else both sides use the default
        location = Location(base_config.path, 0, 0)
    return Problem(
        "config-changed",
        f"the change moves the project's {key} from {shown(base_value)} to {shown(used)}: a change"
        " is judged by the base's policies, evidence and schemas, where the base keeps them",
        location,
        "land the configuration change on its own, with a maintainer's approval (this check"
        " refuses it); or name the directories with --policies, --evidence and --schemas",
    )


def _at_base(name: str, line: int, message: str) -> Problem:
    return Problem(
        "bad-config",
        f"{message} (at the base)",
        Location(name, line, 1),
        "fix the configuration on the base branch first",
    )

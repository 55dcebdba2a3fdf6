"""Where the project sits in the repository: its directories in git's terms, now and at the base."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from gatecheck.project.local_path import LocalPath

if TYPE_CHECKING:
    from gatecheck.errors import Problem
    from gatecheck.git.objects import Blob
    from gatecheck.git.repository import Repository
    from gatecheck.project.directory import Directory
    from gatecheck.project.input_file import InputFile
    from gatecheck.project.layout import Project


def seen_from_top(root: str, top: str) -> tuple[str, str]:
    """The root to open, and the directory to show paths from: the top, as the root spells it.

    git names the top by its real path, while the root may be reached through a symbolic link (a
    CI workspace may be one): the top is the root's nearest ancestor whose real path is the top,
    and paths shown from there are the paths git knows. When no ancestor is (the root itself is a
    link into the repository), the root's real path is opened instead.
    """
    directory = os.path.abspath(root)
    while os.path.realpath(directory) != top:
        parent = os.path.dirname(directory)
        if parent == directory:
            return os.path.realpath(root), top
        directory = parent
    return root, directory


def git_path(file: InputFile, top: str) -> str:
    """Where the file really is, relative to the top: a symbolic link's target, for blame."""
    if not isinstance(file.handle, LocalPath):  # pragma: no cover - evidence judged is local
        return file.display
    return os.path.relpath(file.handle.real_path(), top).replace(os.sep, "/")


class Layout:
    """The project's directories in git's terms, in the working tree and at the base.

    git knows a directory by the path the project spells (its display path, from the top). At the
    base that path is read with the base tree's symbolic links followed: what a checkout of the
    base would have read there, whatever the working tree now makes of the same path (a link to
    another directory, or nothing, so that the bundled data would stand in).
    """

    def __init__(
        self,
        project: Project,
        repo: Repository,
        commit: str,
        shown_from: str,
        *,
        policies_given: bool,
    ) -> None:
        self.project = project
        self.repo = repo
        self.commit = commit
        self.shown_from = shown_from
        self.policies_given = policies_given
        # Filled by `base.read_base`, and read by `changes` after it:
        self.problems: list[Problem] = []
        self.base_policy_files: dict[str, Blob] = {}  # policies and schemas at the base, by path
        self.base_entries: dict[str, tuple[str, str]] = {}  # each directory itself at the base
        self.head_entries: dict[str, tuple[str, str]] = {}  # and at HEAD
        root = project.root
        here = project.policies.handle
        policies = here.path if isinstance(here, LocalPath) else os.path.join(root, "policies")
        # Where open_project looks for schemas: beside the policies, then in the root
        schemas = [
            os.path.join(os.path.dirname(policies), "schemas"),
            os.path.join(root, "schemas"),
        ]
        self.schema_candidates = list(dict.fromkeys(schemas))

    def git_name(self, path: str) -> str | None:
        """A local path as git names it from the top; None outside the repository."""
        relative = os.path.relpath(path, self.shown_from).replace(os.sep, "/")
        return None if relative == ".." or relative.startswith("../") else relative

    def spelled(self, directory: Directory, default: str) -> str | None:
        """A project directory's path in git's terms; for a bundled one, where its own would be."""
        if isinstance(directory.handle, LocalPath):
            return self.git_name(directory.handle.path)
        return self.git_name(os.path.join(self.project.root, default))


TREE, LINK, GITLINK = "040000", "120000", "160000"  # git's modes of a tree entry


def git_tree_path(path: str) -> str:
    """A path as `COMMIT:PATH` names it: the top is the empty path."""
    stripped = path.strip("/")
    return "" if stripped == "." else stripped


def prefixes(path: str) -> list[str]:
    """`a`, `a/b`, `a/b/c` for `a/b/c`: the directories git passes through to reach it."""
    parts = [part for part in path.split("/") if part not in {"", "."}]
    return ["/".join(parts[: end + 1]) for end in range(len(parts))]


def nested_repository(real: str, top: str) -> str | None:
    """The directory between `top` and `real` (inclusive) that is a repository of its own."""
    directory = real
    while directory != top and directory.startswith(top + os.sep):
        if os.path.lexists(os.path.join(directory, ".git")):
            return os.path.relpath(directory, top).replace(os.sep, "/")
        directory = os.path.dirname(directory)
    return None

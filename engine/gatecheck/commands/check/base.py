"""The project as a checkout of the base would open it: policies, schemas and evidence from git."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.commands.check.base_evidence import BaseEvidence
from gatecheck.commands.check.content import of_kind
from gatecheck.commands.check.layout import GITLINK, git_tree_path, nested_repository, prefixes
from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.loading.policies import load_policies
from gatecheck.project.bundled import BUNDLED, bundled
from gatecheck.project.directory import Directory
from gatecheck.project.input_file import YAML_SUFFIXES
from gatecheck.project.local_path import LocalPath
from gatecheck.project.tree_path import TreePath

if TYPE_CHECKING:
    from gatecheck.commands.check.layout import Layout
    from gatecheck.git.objects import Blob
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.project.layout import Project


class Base(NamedTuple):
    name: str
    commit: str
    project: Project
    policies: Policies
    evidence: BaseEvidence  # the evidence files at the base by path, links followed


def read_base(layout: Layout, name: str) -> Base:
    """The project as a checkout of the base would open it, its files read from git.

    By the rules of `open_project`: a directory the base has is read from the base, else the
    bundled one stands in. A directory the base has and the working tree lacks is refused, as
    is one in a submodule (git keeps none of a submodule's files in this repository).
    """
    candidates = [layout.git_name(local) for local in layout.schema_candidates]
    policies_path = layout.spelled(layout.project.policies, "policies")
    evidence_path = layout.spelled(layout.project.evidence, "evidence")
    paths = list(dict.fromkeys(p for p in (policies_path, evidence_path, *candidates) if p))
    _refuse_submodules(layout, paths)
    if layout.problems:
        raise InvalidInput(layout.problems)
    listed = layout.repo.listings(layout.commit, [p for p in paths if p != evidence_path])
    # Every policy and schema file the base has, used or not: what the change is compared with
    layout.base_policy_files.update(of_kind(listed.get(policies_path or "") or {}, YAML_SUFFIXES))
    for candidate in candidates:
        layout.base_policy_files.update(of_kind(listed.get(candidate or "") or {}, (".json",)))
    policies = _policies_at_base(layout, policies_path, listed)
    schemas = _schemas_at_base(layout, policies, listed)
    evidence = _evidence_at_base(layout, evidence_path)
    if layout.problems:
        raise InvalidInput(layout.problems)
    project = layout.project._replace(policies=policies, schemas=schemas)
    return Base(name, layout.commit, project, load_policies(project), evidence)


def _refuse_submodules(layout: Layout, paths: list[str]) -> None:
    """A problem for each directory in a submodule: now (checked out or not), or at the base."""
    top = os.path.realpath(layout.repo.top)
    passed = sorted({prefix for path in paths for prefix in prefixes(path)})
    layout.base_entries = layout.repo.entries(layout.commit, passed)
    head = layout.head_entries = layout.repo.entries("HEAD", passed)
    for path in paths:
        local = os.path.join(layout.shown_from, path)
        nested = nested_repository(os.path.realpath(local), top)
        if nested is not None and os.path.isdir(local):
            layout.problems.append(_in_submodule(path, nested, "in the working tree"))
            continue
        for entries, where in ((head, "at HEAD"), (layout.base_entries, "at the base")):
            gitlink = next((p for p in prefixes(path) if entries.get(p, ("",))[0] == GITLINK), None)
            if gitlink is not None:
                layout.problems.append(_in_submodule(path, gitlink, where))
                break


def _tree(
    layout: Layout, listed: dict[str, Blob], path: str, suffixes: tuple[str, ...]
) -> TreePath:
    """The base's files of one kind in the directory `path`, read into memory."""
    kept = of_kind(listed, suffixes)
    names = sorted(kept)
    contents = layout.repo.read_blobs([kept[name] for name in names])
    return TreePath(dict(zip(names, contents, strict=True)), path)


def _policies_at_base(
    layout: Layout, path: str | None, listed: dict[str, dict[str, Blob] | None]
) -> Directory:
    now = layout.project.policies
    if path is None:  # outside the repository: the change cannot touch it
        return now
    files = listed[path]
    if files is None:
        # Named by --policies and missing at the base: no policies there, a problem. The
        # default directory: the base used the bundled policies.
        if layout.policies_given:
            return Directory(path, TreePath({}, path))
        return bundled("policies")
    if not (isinstance(now.handle, LocalPath) and now.handle.is_dir()):
        layout.problems.append(_deleted(path, len(files)))
    return Directory(path, _tree(layout, files, path, YAML_SUFFIXES))


def _schemas_at_base(
    layout: Layout, policies: Directory, listed: dict[str, dict[str, Blob] | None]
) -> tuple[Directory, ...]:
    if not isinstance(policies.handle, TreePath):  # bundled, or outside: as open_project
        return () if policies.display.startswith(BUNDLED) else layout.project.schemas
    found: dict[str, Directory] = {}
    for local in layout.schema_candidates:
        path = layout.git_name(local)
        if path is None:  # outside the repository: as it is now
            found.update((local, d) for d in layout.project.schemas if str(d.handle) == local)
            continue
        files = listed.get(path)
        if files is None:
            continue
        if not os.path.isdir(local):
            layout.problems.append(_deleted(path, len(files)))
        found[path] = Directory(path, _tree(layout, files, path, (".json",)))
    return tuple(found.values())


def _evidence_at_base(layout: Layout, path: str | None) -> BaseEvidence:
    """The base's evidence directory, its files looked up when asked.

    Not listed: a listing of 100,000 files costs more than the few a change is about.
    """
    if path is None:
        return BaseEvidence(layout.repo, layout.commit, None)
    (found,) = layout.repo.lookup(layout.commit, [git_tree_path(path)])
    if found is None or found[0] != "tree":
        return BaseEvidence(layout.repo, layout.commit, None)
    evidence = BaseEvidence(layout.repo, layout.commit, path)
    handle = layout.project.evidence.handle
    if not (isinstance(handle, LocalPath) and handle.is_dir()):  # bundled, or none in a project
        layout.problems.append(_deleted(path, len(evidence.listing())))
    return evidence


def _deleted(path: str, count: int) -> Problem:
    files = f"{count} file{'s' * (count != 1)}"
    return Problem(
        "deleted-directory",
        f"the change deletes {path}/ ({files} at the base), and gatecheck would fall back to its"
        " bundled data in its place",
        Location(path + "/", 0, 0),
        "restore it; to retire it on purpose, land the deletion on its own with a maintainer's"
        " approval (this check refuses it)",
    )


def _in_submodule(path: str, submodule: str, where: str) -> Problem:
    return Problem(
        "in-submodule",
        f"{path}/ is in the git submodule {submodule} ({where}): gatecheck check compares the"
        " files of this repository, and git keeps none of a submodule's here",
        Location(path + "/", 0, 0),
        "keep policies, schemas and evidence in the repository itself, not in a submodule",
    )


def said_at_base(problem: Problem, base: Base) -> Problem:
    """Say that a problem comes from judging by the base's policies, not the working tree's."""
    where = f"{base.name} ({base.commit[:12]})"
    if (
        problem.location.path.startswith(
            (base.project.policies.display + "/", *(d.display + "/" for d in base.project.schemas))
        )
        or problem.code == "no-policies"
    ):
        return problem._replace(
            message=f"{problem.message} (in the policies at {where})",
            hint="changes are judged by the base's policies: fix them on the base branch first",
        )
    note = f"evidence is judged by the policies at {where}: land policy changes first"
    return problem._replace(hint=f"{problem.hint}; {note}" if problem.hint else note)

"""What the change did: the policy and schema files it touches, and each evidence file's change."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from gatecheck.commands.check.content import changed_by_content, files_in
from gatecheck.commands.check.layout import LINK, TREE, prefixes
from gatecheck.errors import InvalidInput
from gatecheck.evaluation.check_results import PolicyChange
from gatecheck.limits import MAX_FILES
from gatecheck.project.input_file import YAML_SUFFIXES
from gatecheck.project.local_path import LocalPath
from gatecheck.reading import too_many_files

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.commands.check.base_evidence import BaseEvidence
    from gatecheck.commands.check.layout import Layout
    from gatecheck.project.directory import Directory
    from gatecheck.project.input_file import InputFile


def policy_changes(layout: Layout) -> tuple[PolicyChange, ...]:
    """Policy and facts schema files the change adds, modifies or deletes (read `base` first).

    A directory of them that the change replaces (a directory swapped for a symbolic link, a
    link moved) is listed first.
    """
    now: dict[str, InputFile] = {}
    kinds: list[tuple[Directory, tuple[str, ...]]] = [(layout.project.policies, YAML_SUFFIXES)]
    kinds += [(directory, (".json",)) for directory in layout.project.schemas]
    for directory, suffixes in kinds:
        handle = directory.handle
        if isinstance(handle, LocalPath) and layout.git_name(handle.path) is not None:
            now.update(files_in(directory, suffixes))
    changes = changed_by_content(now, layout.base_policy_files, layout.repo, layout.commit)
    changes.update((p, "deleted") for p in layout.base_policy_files if p not in now)
    here = layout.project.policies.handle
    policies = (
        here.path if isinstance(here, LocalPath) else os.path.join(layout.project.root, "policies")
    )
    directories = dict.fromkeys([policies, *layout.schema_candidates])
    replaced = [found for local in directories if (found := _replaced(layout, local))]
    listed = [PolicyChange(path, change) for path, change in sorted(changes.items())]
    return tuple(replaced + listed)


def _replaced(layout: Layout, local: str) -> PolicyChange | None:
    """The change of a directory itself: a directory swapped for a link, or a link moved."""
    path = layout.git_name(local)
    entry = layout.base_entries.get(path) if path is not None else None
    was = None
    if entry is not None and entry[0] == TREE:
        was = "a directory"
    elif entry is not None and entry[0] == LINK:
        (target,) = layout.repo.objects([entry[1]])
        was = "a link to " + target.decode("utf-8", "replace")
    now = None
    if os.path.islink(local):
        now = "a link to " + os.readlink(local)
    elif os.path.isdir(local):
        now = "a directory"
    if path is None or was is None or now is None or was == now:
        return None
    return PolicyChange(path, "replaced", f"{was} -> {now}")


def evidence_suspects(layout: Layout, base: BaseEvidence) -> set[str] | None:
    """The evidence paths whose file may differ from the base's, per git (`_suspects`).

    None when git cannot vouch for the others, or there is nothing to compare with.
    """
    evidence = layout.project.evidence
    path = layout.spelled(evidence, "evidence")
    if not isinstance(evidence.handle, LocalPath) or path is None or base.path is None:
        return None
    return _suspects(layout, path)


def evidence_files(layout: Layout, suspects: set[str]) -> list[InputFile]:
    """The evidence files among `suspects`, and every file of a subject with two.

    The directory is listed by name only (no object per file; more than MAX_FILES entries
    is the problem `yaml_files` raises): a subject has two files only as `x.yaml` beside
    `x.yml`, and both are returned, for `duplicate_subjects` to refuse.
    """
    directory = layout.project.evidence
    handle = directory.handle
    assert isinstance(handle, LocalPath)  # noqa: S101 - evidence_suspects gave suspects
    names = os.listdir(handle.path)
    if len(names) > MAX_FILES:
        raise InvalidInput([too_many_files(directory.display)])
    present = set(names)
    inside = directory.display + "/"
    wanted = {p[len(inside) :] for p in suspects if p.startswith(inside)} & present
    twice = [name[:-4] for name in names if name.endswith(".yml")]
    wanted.update(
        stem + suffix for stem in twice if stem + ".yaml" in present for suffix in YAML_SUFFIXES
    )
    return handle.named_yaml_files(directory.display, wanted)


def evidence_changes(
    layout: Layout, files: Sequence[InputFile], base: BaseEvidence, suspects: set[str] | None
) -> tuple[dict[str, str], tuple[str, ...]]:
    """What the change did to each evidence file (added, modified), and the files it deletes.

    Decided by content, as for policies: each file of `files` that is a symbolic link or
    among `suspects` (every file, when `suspects` is None) is read and compared with the
    base's. The paths of `suspects` that are no file now and were one at the base are the
    files deleted.
    """
    evidence = layout.project.evidence
    if not isinstance(evidence.handle, LocalPath) or layout.spelled(evidence, "evidence") is None:
        return {}, ()  # bundled, or outside the repository: the change cannot touch it
    if base.path is None:  # no evidence directory at the base: every file is new
        return {file.display: "added" for file in files}, ()
    now = {file.display: file for file in files}
    if suspects is None:
        listed = base.listing()
        changes = changed_by_content(now, listed, layout.repo, layout.commit)
        return changes, tuple(sorted(p for p in listed if p not in now))
    compared = {
        p: file
        for p, file in now.items()
        if p in suspects or (isinstance(file.handle, LocalPath) and file.handle.is_symlink())
    }
    base.look_up(sorted({*suspects, *compared}))
    changes = changed_by_content(compared, base.found(), layout.repo, layout.commit)
    removed = (p for p in suspects if p not in now and base.get(p) is not None)
    return changes, tuple(sorted(removed))


def _suspects(layout: Layout, path: str) -> set[str] | None:
    """The evidence paths whose file may differ from the base's, per git.

    None when git cannot tell, and every file is to be read and compared: when the evidence
    directory is reached through a symbolic link (now, at HEAD or at the base: git names its
    files by another path), or when the change touches a `.gitattributes` file that applies to
    it (a filter, `ident` or an encoding changes the bytes a checkout writes, not the blobs).

    Otherwise: what `git diff-index` finds different from the base through the index (its
    stat data too), entries it cannot vouch for (assume-unchanged, skip-worktree, links,
    unmerged), and files the index does not hold (untracked, ignored): `Repository.unvouched`.
    """
    top = os.path.realpath(layout.repo.top)
    local = os.path.join(layout.shown_from, path)
    if os.path.realpath(local) != os.path.join(top, *path.split("/")):
        return None
    for prefix in prefixes(path):
        for entries in (layout.base_entries, layout.head_entries):
            if entries.get(prefix, (TREE,))[0] != TREE:
                return None
    attributes = [".gitattributes", *(f"{p}/.gitattributes" for p in prefixes(path))]
    suspects = layout.repo.unvouched(layout.commit, [path, *attributes])
    if suspects & set(attributes):
        return None
    inside = path.rstrip("/") + "/"
    suspects = {p for p in suspects if p.startswith(inside) and "/" not in p[len(inside) :]}
    if any("\n" in p or "\r" in p for p in suspects):
        return None  # git's batch lookups take one path a line: list the directory instead
    return suspects

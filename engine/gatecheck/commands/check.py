"""`gatecheck check`, the pre-merge job: refuse a change whose evidence claims more than it shows.

The change is the difference between a base commit and the working tree. The subjects the change
touches (their evidence, or the policy or facts schema that judges them) are validated and judged,
but only on the gates they claim, and by the policies *as they are at the base*: a pull request
that weakens a rule and claims the gate in one go is still judged by the old rule. The policy
changes themselves are listed for a maintainer to review. Evidence the change leaves as it was,
under policies it leaves as they were, validates and judges as it did at the base: it is not read,
so a change costs what it touches, not the repository.

What changed is decided by content, path by path: the bytes gatecheck reads now (through any
symbolic link) against the file at the same path in the base's tree (its links followed). git's
own diff compares links as links and trusts the index, so a link retargeted, a file reached
through a link, or a directory swapped for a link would look unchanged to it. git only narrows down
which files to read (`_Layout._suspects`): a plain tracked file whose blob is the base's and whose
stat data are those the index recorded; everything git takes on trust is read.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.evaluation.authority import Authority, entry_key, unverified
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.evaluation.observation import refuse_dated_after
from gatecheck.evaluation.results import CheckedSubject, CheckReport, Claim, PolicyChange
from gatecheck.evaluation.verdicts import judge_subject
from gatecheck.git.objects import Blob
from gatecheck.loading.evidence import load_evidence
from gatecheck.loading.limits import MAX_FILES
from gatecheck.loading.policies import load_policies
from gatecheck.loading.reading import too_many_files
from gatecheck.project.bundled import BUNDLED, bundled
from gatecheck.project.directory import Directory
from gatecheck.project.input_file import YAML_SUFFIXES, InputFile
from gatecheck.project.layout import Project, duplicate_subjects, open_project
from gatecheck.project.local_path import LocalPath
from gatecheck.project.tree_path import TreePath

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.git.blame import Author
    from gatecheck.git.repository import Repository
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies


class CheckOptions(NamedTuple):
    base: str | None  # None: the merge base of HEAD with the default branch
    every: bool  # judge the claims of every subject, not only those the change touches
    author: str | None  # the change's author (a pull request's), who may not attest its claims
    now: dt.date
    fail_on_policy_change: bool = False
    # Logins whose approval of the change is proven outside it (a pull request's approving
    # reviews): entries the change adds count only when they name one of these, or the author.
    approved_by: tuple[str, ...] = ()


class _Base(NamedTuple):
    name: str
    commit: str
    project: Project
    policies: Policies
    evidence: _BaseEvidence  # the evidence files at the base by path, links followed


def check_change(  # noqa: PLR0913 - the project's directories, as discovery found them
    root: str,
    policies: str | None,
    evidence: str | None,
    options: CheckOptions,
    *,
    schemas: str | None = None,
    fallback: bool = True,
) -> CheckReport:
    """Validate every file, then judge the affected subjects' claims by the base's policies.

    `root`, `policies` and `evidence` are the command line's; paths in the report are relative to
    the top of the repository, as CI tools (annotations, code scanning) expect them.
    """
    from gatecheck.git.repository import Repository
    from gatecheck.loading import cache

    # a bad --root is reported as such, before git runs
    open_project(root, policies, evidence, schemas=schemas, fallback=fallback)
    # The change's own code may have run earlier in the job, as this user: it could have written
    # the cache and read its key. So the verdict rests on nothing this run did not validate.
    with cache.bypassed(), Repository(root) as repo:  # closes the base's `cat-file` reader
        return _check(root, policies, evidence, options, repo, schemas=schemas, fallback=fallback)


def _check(  # noqa: PLR0913 - as check_change
    root: str,
    policies: str | None,
    evidence: str | None,
    options: CheckOptions,
    repo: Repository,
    *,
    schemas: str | None = None,
    fallback: bool = True,
) -> CheckReport:
    top = os.path.realpath(repo.top)
    root, shown_from = _seen_from_top(root, top)
    project = open_project(
        root,
        policies,
        evidence,
        schemas=schemas,
        shown_from=shown_from,
        top=top,
        fallback=fallback,
    )
    if options.base is None:
        name, commit = repo.default_base()
    else:
        name, commit = options.base, repo.resolve(options.base)
    # In a project no bundled policies stand in at the base, unless the base was no project yet:
    # a change that makes one (adds policies/) is judged by the bundled policies the base used
    in_project = not fallback and _base_was_project(repo, commit, root, top)
    given = policies is not None or in_project
    layout = _Layout(project, repo, commit, shown_from, policies_given=given)
    base = layout.base(name)  # a deleted directory or a submodule is refused before anything else

    current_policies = load_policies(project)
    policy_changes = layout.policy_changes()
    changed_policies = _changed_policy_names(
        [*current_policies.all(), *base.policies.all()], policy_changes
    )
    # Evidence the change leaves as it was, under policies and schemas it leaves as they were,
    # validates and judges as it did at the base: only the rest is read. A policy the change
    # touches concerns every subject that names it, which only reading them all can tell.
    whole = options.every or bool(changed_policies)
    suspects = layout.evidence_suspects(base.evidence)  # None: every file is compared
    if whole or suspects is None:
        files = project.evidence.yaml_files()
        duplicates = duplicate_subjects(files)
    else:
        files = layout.evidence_files(suspects)
        duplicates = duplicate_subjects(files)
    evidence_changes, removed = layout.evidence_changes(files, base.evidence, suspects)
    loaded = files if whole else [file for file in files if file.display in evidence_changes]
    try:
        current = load_evidence(loaded, current_policies)  # raises every problem
    except InvalidInput as error:
        raise InvalidInput([*error.problems, *duplicates]) from None
    if duplicates:
        raise InvalidInput(duplicates)

    affected: dict[str, str] = {}  # evidence path -> why it is checked
    for item in current:
        change = evidence_changes.get(item.path)
        if change is not None:
            affected[item.path] = change
        elif item.policy.name in changed_policies:
            affected[item.path] = "policy"
        elif options.every:
            affected[item.path] = "all"

    judged_files = [file for file in files if file.display in affected]
    base.evidence.look_up([file.display for file in judged_files])
    try:
        judged = load_evidence(judged_files, base.policies)
    except InvalidInput as error:
        raise InvalidInput([_at_base(problem, base) for problem in error.problems]) from None
    refuse_dated_after(judged, options.now)

    blamed = {file.display: _git_path(file, top) for file in judged_files}
    judge = _Judge(base, repo, blamed, options)
    subjects = tuple(judge.subject(evidence, affected[evidence.path]) for evidence in judged)
    claiming = {item.result.evidence for item in subjects if item.claims}
    switches = tuple(
        switch._replace(with_claims=evidence.path in claiming)
        for evidence in judged
        if affected[evidence.path] == "modified" and (switch := judge.switch(evidence)) is not None
    )
    return CheckReport(
        base=name,
        base_commit=commit,
        now=options.now,
        subjects=subjects,
        removed=removed,
        policy_changes=policy_changes + switches,
        fail_on_policy_change=options.fail_on_policy_change,
        approved_by=tuple(sorted({login.lower() for login in options.approved_by})),
    )


def _base_was_project(repo: Repository, commit: str, root: str, top: str) -> bool:
    """Whether the base had a project at `root`: policies/, gatecheck.toml or [tool.gatecheck]."""
    where = os.path.relpath(os.path.realpath(root), top)
    prefix = "" if where == "." else where.replace(os.sep, "/") + "/"
    names = [f"{prefix}policies", f"{prefix}gatecheck.toml", f"{prefix}pyproject.toml"]
    policies, config, pyproject = repo.lookup(commit, names)
    if (policies is not None and policies[0] == "tree") or config is not None:
        return True
    return pyproject is not None and b"[tool.gatecheck" in (repo.show(commit, names[2]) or b"")


def _seen_from_top(root: str, top: str) -> tuple[str, str]:
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


def _git_path(file: InputFile, top: str) -> str:
    """Where the file really is, relative to the top: a symbolic link's target, for blame."""
    if not isinstance(file.handle, LocalPath):  # pragma: no cover - evidence judged is local
        return file.display
    return os.path.relpath(file.handle.real_path(), top).replace(os.sep, "/")


class _Layout:
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

    # -- the base ---------------------------------------------------------------------------------

    def base(self, name: str) -> _Base:
        """The project as a checkout of the base would open it, its files read from git.

        By the rules of `open_project`: a directory the base has is read from the base, else the
        bundled one stands in. A directory the base has and the working tree lacks is refused, as
        is one in a submodule (git keeps none of a submodule's files in this repository).
        """
        candidates = [self.git_name(local) for local in self.schema_candidates]
        policies_path = self.spelled(self.project.policies, "policies")
        evidence_path = self.spelled(self.project.evidence, "evidence")
        paths = list(dict.fromkeys(p for p in (policies_path, evidence_path, *candidates) if p))
        self._refuse_submodules(paths)
        if self.problems:
            raise InvalidInput(self.problems)
        listed = self.repo.listings(self.commit, [p for p in paths if p != evidence_path])
        # Every policy and schema file the base has, used or not: what the change is compared with
        self.base_policy_files.update(
            _of_kind(listed.get(policies_path or "") or {}, YAML_SUFFIXES)
        )
        for candidate in candidates:
            self.base_policy_files.update(_of_kind(listed.get(candidate or "") or {}, (".json",)))
        policies = self._policies_at_base(policies_path, listed)
        schemas = self._schemas_at_base(policies, listed)
        evidence = self._evidence_at_base(evidence_path)
        if self.problems:
            raise InvalidInput(self.problems)
        project = self.project._replace(policies=policies, schemas=schemas)
        return _Base(name, self.commit, project, load_policies(project), evidence)

    def _refuse_submodules(self, paths: list[str]) -> None:
        """A problem for each directory in a submodule: now (checked out or not), or at the base."""
        top = os.path.realpath(self.repo.top)
        prefixes = sorted({prefix for path in paths for prefix in _prefixes(path)})
        self.base_entries = self.repo.entries(self.commit, prefixes)
        head = self.head_entries = self.repo.entries("HEAD", prefixes)
        for path in paths:
            local = os.path.join(self.shown_from, path)
            nested = _nested_repository(os.path.realpath(local), top)
            if nested is not None and os.path.isdir(local):
                self.problems.append(_in_submodule(path, nested, "in the working tree"))
                continue
            for entries, where in ((head, "at HEAD"), (self.base_entries, "at the base")):
                gitlink = next(
                    (p for p in _prefixes(path) if entries.get(p, ("",))[0] == _GITLINK), None
                )
                if gitlink is not None:
                    self.problems.append(_in_submodule(path, gitlink, where))
                    break

    def _tree(self, listed: dict[str, Blob], path: str, suffixes: tuple[str, ...]) -> TreePath:
        """The base's files of one kind in the directory `path`, read into memory."""
        kept = _of_kind(listed, suffixes)
        names = sorted(kept)
        contents = self.repo.read_blobs([kept[name] for name in names])
        return TreePath(dict(zip(names, contents, strict=True)), path)

    def _policies_at_base(
        self, path: str | None, listed: dict[str, dict[str, Blob] | None]
    ) -> Directory:
        now = self.project.policies
        if path is None:  # outside the repository: the change cannot touch it
            return now
        files = listed[path]
        if files is None:
            # Named by --policies and missing at the base: no policies there, a problem. The
            # default directory: the base used the bundled policies.
            if self.policies_given:
                return Directory(path, TreePath({}, path))
            return bundled("policies")
        if not (isinstance(now.handle, LocalPath) and now.handle.is_dir()):
            self.problems.append(_deleted(path, len(files)))
        return Directory(path, self._tree(files, path, YAML_SUFFIXES))

    def _schemas_at_base(
        self, policies: Directory, listed: dict[str, dict[str, Blob] | None]
    ) -> tuple[Directory, ...]:
        if not isinstance(policies.handle, TreePath):  # bundled, or outside: as open_project
            return () if policies.display.startswith(BUNDLED) else self.project.schemas
        found: dict[str, Directory] = {}
        for local in self.schema_candidates:
            path = self.git_name(local)
            if path is None:  # outside the repository: as it is now
                found.update((local, d) for d in self.project.schemas if str(d.handle) == local)
                continue
            files = listed.get(path)
            if files is None:
                continue
            if not os.path.isdir(local):
                self.problems.append(_deleted(path, len(files)))
            found[path] = Directory(path, self._tree(files, path, (".json",)))
        return tuple(found.values())

    def _evidence_at_base(self, path: str | None) -> _BaseEvidence:
        """The base's evidence directory, its files looked up when asked.

        Not listed: a listing of 100,000 files costs more than the few a change is about.
        """
        if path is None:
            return _BaseEvidence(self.repo, self.commit, None)
        (found,) = self.repo.lookup(self.commit, [_git_tree_path(path)])
        if found is None or found[0] != "tree":
            return _BaseEvidence(self.repo, self.commit, None)
        evidence = _BaseEvidence(self.repo, self.commit, path)
        handle = self.project.evidence.handle
        if not (isinstance(handle, LocalPath) and handle.is_dir()):  # bundled, or none in a project
            self.problems.append(_deleted(path, len(evidence.listing())))
        return evidence

    # -- what the change did ----------------------------------------------------------------------

    def policy_changes(self) -> tuple[PolicyChange, ...]:
        """Policy and facts schema files the change adds, modifies or deletes (read `base` first).

        A directory of them that the change replaces (a directory swapped for a symbolic link, a
        link moved) is listed first.
        """
        now: dict[str, InputFile] = {}
        kinds: list[tuple[Directory, tuple[str, ...]]] = [(self.project.policies, YAML_SUFFIXES)]
        kinds += [(directory, (".json",)) for directory in self.project.schemas]
        for directory, suffixes in kinds:
            handle = directory.handle
            if isinstance(handle, LocalPath) and self.git_name(handle.path) is not None:
                now.update(_files_in(directory, suffixes))
        changes = _changed(now, self.base_policy_files, self.repo, self.commit)
        changes.update((p, "deleted") for p in self.base_policy_files if p not in now)
        here = self.project.policies.handle
        policies = (
            here.path
            if isinstance(here, LocalPath)
            else os.path.join(self.project.root, "policies")
        )
        directories = dict.fromkeys([policies, *self.schema_candidates])
        replaced = [found for local in directories if (found := self._replaced(local))]
        listed = [PolicyChange(path, change) for path, change in sorted(changes.items())]
        return tuple(replaced + listed)

    def _replaced(self, local: str) -> PolicyChange | None:
        """The change of a directory itself: a directory swapped for a link, or a link moved."""
        path = self.git_name(local)
        entry = self.base_entries.get(path) if path is not None else None
        was = None
        if entry is not None and entry[0] == _TREE:
            was = "a directory"
        elif entry is not None and entry[0] == _LINK:
            (target,) = self.repo.objects([entry[1]])
            was = "a link to " + target.decode("utf-8", "replace")
        now = None
        if os.path.islink(local):
            now = "a link to " + os.readlink(local)
        elif os.path.isdir(local):
            now = "a directory"
        if path is None or was is None or now is None or was == now:
            return None
        return PolicyChange(path, "replaced", f"{was} -> {now}")

    def evidence_suspects(self, base: _BaseEvidence) -> set[str] | None:
        """The evidence paths whose file may differ from the base's, per git (`_suspects`).

        None when git cannot vouch for the others, or there is nothing to compare with.
        """
        evidence = self.project.evidence
        path = self.spelled(evidence, "evidence")
        if not isinstance(evidence.handle, LocalPath) or path is None or base.path is None:
            return None
        return self._suspects(path)

    def evidence_files(self, suspects: set[str]) -> list[InputFile]:
        """The evidence files among `suspects`, and every file of a subject with two.

        The directory is listed by name only (no object per file; more than MAX_FILES entries
        is the problem `yaml_files` raises): a subject has two files only as `x.yaml` beside
        `x.yml`, and both are returned, for `duplicate_subjects` to refuse.
        """
        directory = self.project.evidence
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
        self, files: list[InputFile], base: _BaseEvidence, suspects: set[str] | None
    ) -> tuple[dict[str, str], tuple[str, ...]]:
        """What the change did to each evidence file (added, modified), and the files it deletes.

        Decided by content, as for policies: each file of `files` that is a symbolic link or
        among `suspects` (every file, when `suspects` is None) is read and compared with the
        base's. The paths of `suspects` that are no file now and were one at the base are the
        files deleted.
        """
        evidence = self.project.evidence
        if not isinstance(evidence.handle, LocalPath) or self.spelled(evidence, "evidence") is None:
            return {}, ()  # bundled, or outside the repository: the change cannot touch it
        if base.path is None:  # no evidence directory at the base: every file is new
            return {file.display: "added" for file in files}, ()
        now = {file.display: file for file in files}
        if suspects is None:
            listed = base.listing()
            changes = _changed(now, listed, self.repo, self.commit)
            return changes, tuple(sorted(p for p in listed if p not in now))
        compared = {
            p: file
            for p, file in now.items()
            if p in suspects or (isinstance(file.handle, LocalPath) and file.handle.is_symlink())
        }
        base.look_up(sorted({*suspects, *compared}))
        changes = _changed(compared, base.found(), self.repo, self.commit)
        removed = (p for p in suspects if p not in now and base.get(p) is not None)
        return changes, tuple(sorted(removed))

    def _suspects(self, path: str) -> set[str] | None:
        """The evidence paths whose file may differ from the base's, per git.

        None when git cannot tell, and every file is to be read and compared: when the evidence
        directory is reached through a symbolic link (now, at HEAD or at the base: git names its
        files by another path), or when the change touches a `.gitattributes` file that applies to
        it (a filter, `ident` or an encoding changes the bytes a checkout writes, not the blobs).

        Otherwise: what `git diff-index` finds different from the base through the index (its
        stat data too), entries it cannot vouch for (assume-unchanged, skip-worktree, links,
        unmerged), and files the index does not hold (untracked, ignored): `Repository.unvouched`.
        """
        top = os.path.realpath(self.repo.top)
        local = os.path.join(self.shown_from, path)
        if os.path.realpath(local) != os.path.join(top, *path.split("/")):
            return None
        for prefix in _prefixes(path):
            for entries in (self.base_entries, self.head_entries):
                if entries.get(prefix, (_TREE,))[0] != _TREE:
                    return None
        attributes = [".gitattributes", *(f"{p}/.gitattributes" for p in _prefixes(path))]
        suspects = self.repo.unvouched(self.commit, [path, *attributes])
        if suspects & set(attributes):
            return None
        inside = path.rstrip("/") + "/"
        suspects = {p for p in suspects if p.startswith(inside) and "/" not in p[len(inside) :]}
        if any("\n" in p or "\r" in p for p in suspects):
            return None  # git's batch lookups take one path a line: list the directory instead
        return suspects


class _BaseEvidence:
    """The evidence files at the base (links followed in its tree), by path, looked up in bulk.

    `path` is the evidence directory at the base; None when the base has none (or it is not the
    repository's). Only YAML files directly in it are evidence, as in the working tree.
    """

    def __init__(self, repo: Repository, commit: str, path: str | None) -> None:
        self.repo = repo
        self.commit = commit
        self.path = path
        self._found: dict[str, Blob | None] = {}
        self._listed = False

    def listing(self) -> dict[str, Blob]:
        """Every evidence file at the base."""
        if not self._listed and self.path is not None:
            listed = self.repo.listings(self.commit, [self.path])[self.path] or {}
            self._found.update(_of_kind(listed, YAML_SUFFIXES))
            self._listed = True
        return self.found()

    def found(self) -> dict[str, Blob]:
        return {path: blob for path, blob in self._found.items() if blob is not None}

    def look_up(self, paths: list[str]) -> None:
        """Find `paths` at the base, with one git command for all those not known yet."""
        if self.path is None or self._listed:
            return
        inside = self.path.rstrip("/") + "/"
        wanted = [p for p in paths if p not in self._found]
        evidence = [
            p
            for p in wanted
            if p.startswith(inside) and "/" not in p[len(inside) :] and p.endswith(YAML_SUFFIXES)
        ]
        if any("\n" in p or "\r" in p for p in evidence):
            self.listing()  # one path a line in a batch lookup: list the directory instead
            return
        found = self.repo.lookup(self.commit, evidence)
        self._found.update(dict.fromkeys(wanted))
        for p, target in zip(evidence, found, strict=True):
            if target is not None and target[0] == "blob":
                self._found[p] = Blob(target[1], target[2])

    def get(self, path: str) -> Blob | None:
        if path not in self._found:
            self.look_up([path])
        return self._found.get(path)


_TREE, _LINK, _GITLINK = "040000", "120000", "160000"  # git's modes of a tree entry


def _git_tree_path(path: str) -> str:
    """A path as `COMMIT:PATH` names it: the top is the empty path."""
    stripped = path.strip("/")
    return "" if stripped == "." else stripped


def _prefixes(path: str) -> list[str]:
    """`a`, `a/b`, `a/b/c` for `a/b/c`: the directories git passes through to reach it."""
    parts = [part for part in path.split("/") if part not in {"", "."}]
    return ["/".join(parts[: end + 1]) for end in range(len(parts))]


def _of_kind(files: dict[str, Blob], suffixes: tuple[str, ...]) -> dict[str, Blob]:
    return {path: blob for path, blob in files.items() if path.endswith(suffixes)}


def _files_in(directory: Directory, suffixes: tuple[str, ...]) -> dict[str, InputFile]:
    """The files of one kind directly in a directory, links too (reading them checks them)."""
    found = {}
    for entry in directory.handle.iterdir():
        if not entry.name.endswith(suffixes):
            continue
        if entry.is_file() or (isinstance(entry, LocalPath) and entry.is_symlink()):
            path = f"{directory.display}/{entry.name}"
            found[path] = InputFile(path, entry)
    return found


def _changed(
    now: dict[str, InputFile], base: dict[str, Blob], repo: Repository, commit: str
) -> dict[str, str]:
    """Added or modified, by path: the bytes read now against the base's blob there.

    The object ids decide first (git's own hash of the bytes); where they differ, line ends do
    not count (a checkout with core.autocrlf writes CRLF where the blob has LF, and YAML and JSON
    read both alike).
    """
    algorithm = "sha256" if len(commit) == 64 else "sha1"  # noqa: PLR2004 - a SHA-256 object id
    status: dict[str, str] = {}
    differing: list[tuple[str, bytes, Blob]] = []
    for path, file in now.items():
        blob = base.get(path)
        if blob is None:
            status[path] = "added"
            continue
        raw = file.read_bytes()
        if _object_id(raw, algorithm) != blob.sha:
            differing.append((path, raw, blob))
    old = repo.read_blobs([blob for _, _, blob in differing])
    for (path, raw, _), before in zip(differing, old, strict=True):
        if isinstance(before, int) or _lines(before) != _lines(raw):
            status[path] = "modified"
    return status


def _object_id(raw: bytes, algorithm: str) -> str:
    """The id git gives a blob of these bytes."""
    return hashlib.new(algorithm, b"blob %d\0%b" % (len(raw), raw)).hexdigest()


def _lines(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")


def _nested_repository(real: str, top: str) -> str | None:
    """The directory between `top` and `real` (inclusive) that is a repository of its own."""
    directory = real
    while directory != top and directory.startswith(top + os.sep):
        if os.path.lexists(os.path.join(directory, ".git")):
            return os.path.relpath(directory, top).replace(os.sep, "/")
        directory = os.path.dirname(directory)
    return None


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


def _changed_policy_names(policies: list[Policy], changes: tuple[PolicyChange, ...]) -> set[str]:
    """Names of the policies a change touches: their file, or the facts schema they use."""
    changed = {change.path for change in changes}
    schema_names = {path.rsplit("/", 1)[-1] for path in changed if path.endswith(".json")}
    return {
        policy.name
        for policy in policies
        if policy.path in changed or policy.facts_schema in schema_names
    }


def _at_base(problem: Problem, base: _Base) -> Problem:
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


class _Judge:
    """Judges an affected subject's claims: finds them, their authors and their gates' verdicts."""

    def __init__(
        self, base: _Base, repo: Repository, blamed: dict[str, str], options: CheckOptions
    ) -> None:
        self.base = base
        self.repo = repo
        self.blamed = blamed  # evidence path -> the file git blames: where a link leads
        self.options = options
        self._before: dict[str, Evidence | None] = {}  # evidence at the base, read once each

    def subject(self, evidence: Evidence, change: str) -> CheckedSubject:
        options = self.options
        claims = self.claims(evidence)
        by_line = self.blame(evidence, claims)
        change_author = options.author if change in {"added", "modified"} else None
        identities = {change_author.lower()} if change_author else set()
        with_authors = []
        for claim in claims:
            author = by_line.get(claim.location.line)
            names = [] if author is None else [f"{author.name} <{author.email}>"]
            if author is not None:
                identities |= author.identities()
            names += [name for name in (evidence.claimed_by, change_author) if name]
            with_authors.append(claim._replace(authors=tuple(dict.fromkeys(names))))
        authority = self.authority(evidence, change, frozenset(identities))
        evaluator = Evaluator(evidence, options.now, authority)
        claimed = [
            gate for claim in with_authors if (gate := evidence.policy.gate(claim.gate)) is not None
        ]
        return CheckedSubject(
            judge_subject(evaluator, claimed),
            change,
            tuple(with_authors),
            tuple(unverified(authority, evidence)),
        )

    def authority(self, evidence: Evidence, change: str, authors: frozenset[str]) -> Authority:
        """What the subject's attestations and waivers may rest on.

        Evidence the change leaves as it was is as the base had it: every entry stands. In evidence
        the change adds or edits, an entry counts only if the base had it, or if the person it
        names approved the change (`--approved-by`; the change's own author is proven too).
        """
        if change not in {"added", "modified"}:
            return Authority(authors)
        before = self.at_base(evidence)
        base_entries = frozenset(
            ()
            if before is None
            else [
                *(entry_key("attestation", entry) for entry in before.attestations),
                *(entry_key("waiver", entry) for entry in before.waivers),
            ]
        )
        approved = {login.lower() for login in self.options.approved_by}
        if self.options.author:
            approved.add(self.options.author.lower())
        return Authority(authors, base_entries, frozenset(approved))

    def claims(self, evidence: Evidence) -> list[Claim]:
        """The gates listed under `claims`, then those whose `claimed_when` holds.

        A `claimed_when` that holds is a claim whether or not this change made it hold: `implied`
        when it did not hold at the base (the change makes the claim), `standing` when it did (a
        proposal already on by default still claims the gate, and a change that leaves it
        failing is refused).
        """
        now = self.options.now
        claims: dict[str, Claim] = {}
        for index, claimed in enumerate(evidence.claims):
            claims.setdefault(claimed, Claim(claimed, evidence.document.locate(("claims", index))))
        implying = [
            gate
            for gate in evidence.policy.gates
            if gate.claimed_when is not None and gate.id not in claims
        ]
        for gate in implying:
            assert gate.claimed_when is not None  # noqa: S101 - filtered above; for the type checker
            outcome = Evaluator(evidence, now).check(gate.claimed_when)
            if outcome.value is not True:
                continue
            before = self.at_base(evidence)
            held = before is not None and Evaluator(before, now).check(gate.claimed_when).value
            located = [d.location for d in outcome.details if d.location is not None]
            where = located[0] if located else gate.location
            claims[gate.id] = Claim(gate.id, where, implied=not held, standing=bool(held))
        return list(claims.values())

    def switch(self, evidence: Evidence) -> PolicyChange | None:
        """An evidence file that now names another policy (or version) than at the base.

        Moving a subject to a laxer policy that already exists is a policy change too: it is
        listed for review like an edit of the policy itself, and a change that also claims a gate
        of the subject fails (it would choose the policy that judges its own claims).
        """
        before = self.at_base(evidence)
        if before is None or before.policy.ref == evidence.policy.ref:
            return None
        return PolicyChange(
            evidence.path, "switched", f"{before.policy.ref} -> {evidence.policy.ref}"
        )

    def at_base(self, evidence: Evidence) -> Evidence | None:
        """The subject's evidence as it was at the base, if it existed and was valid there."""
        if evidence.path not in self._before:
            self._before[evidence.path] = self._read_at_base(evidence)
        return self._before[evidence.path]

    def _read_at_base(self, evidence: Evidence) -> Evidence | None:
        relative = evidence.path
        blob = self.base.evidence.get(relative)
        if blob is None:
            return None
        (raw,) = self.repo.read_blobs([blob])  # too large then: its size, invalid as on disk
        file = InputFile(evidence.path, TreePath({relative: raw}, relative))
        try:
            (loaded,) = load_evidence([file], self.base.policies)
        except InvalidInput:
            return None  # invalid then: nothing it said counted, so the claim is new
        return loaded

    def blame(self, evidence: Evidence, claims: list[Claim]) -> dict[int, Author]:
        lines = [claim.location.line for claim in claims if claim.location.path == evidence.path]
        if not lines:
            return {}
        return self.repo.blame(self.blamed.get(evidence.path, evidence.path), lines)

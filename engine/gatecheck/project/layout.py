"""Where a run's files are: the root, its policies, evidence and schemas, or the bundled ones.

Paths only; nothing here parses a file. Bundled data (`bundled`) fills a directory the root lacks
only where no project was found, so a run inside a repository never pays for it.

Every directory is resolved once, when the project is opened, and must lie inside the repository
(or, outside git, the project root): see `confinement` for why and how a file is refused.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint
from gatecheck.project.bundled import BUNDLED, bundled
from gatecheck.project.confinement import Confinement, Escape, escape_problem
from gatecheck.project.directory import Directory
from gatecheck.project.input_file import YAML_SUFFIXES
from gatecheck.project.local_path import LocalPath

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.project.input_file import InputFile

_SUBJECT = re.compile(r"[a-z0-9][a-z0-9_.-]*")


class Project(NamedTuple):
    """A run's directories: policies, evidence, and where facts schemas are looked for."""

    root: str
    policies: Directory
    evidence: Directory
    schemas: tuple[Directory, ...]  # searched in order for a policy's facts schema, then bundled
    confinement: Confinement | None = None  # where files named on the command line may be

    def evidence_file(self, subject: str) -> InputFile:
        """The evidence file of `subject`; an `unknown-subject` problem if there is none."""
        if not _SUBJECT.fullmatch(subject):  # a name, never a path out of the evidence directory
            raise InvalidInput(
                [
                    Problem(
                        "unknown-subject",
                        f"'{subject}' is not a subject name",
                        Location(self.evidence.display + "/", 0, 0),
                        "name a subject by its evidence file's name, without .yaml",
                    )
                ]
            )
        found = [file for suffix in YAML_SUFFIXES if (file := self.evidence.file(subject + suffix))]
        if len(found) > 1:
            raise InvalidInput(duplicate_subjects(found))
        if found:
            return found[0]
        known = [file.stem for file in self.evidence.yaml_files()]
        raise InvalidInput(
            [
                Problem(
                    "unknown-subject",
                    f"no evidence for subject '{subject}' (looked for {subject}.yaml)",
                    Location(f"{self.evidence.display}/{subject}.yaml", 0, 0),
                    known_names_hint(subject, known, "subject"),
                )
            ]
        )

    def evidence_files(self) -> Sequence[InputFile]:
        """Every evidence file; `duplicate-subject` if two files are one subject's."""
        files = self.evidence.yaml_files()
        problems = duplicate_subjects(files)
        if problems:
            raise InvalidInput(problems)
        return files

    def schema_file(self, name: str) -> InputFile | None:
        for directory in self.schemas:
            found = directory.file(name)
            if found is not None:
                return found
        return bundled("schemas").file(name)


def duplicate_subjects(files: Sequence[InputFile]) -> list[Problem]:
    """One subject is one file: `x.yaml` beside `x.yml` is a problem that names both.

    `files` are of one directory: when their paths without suffix all differ, so do their names.
    """
    if len({file.display.rpartition(".")[0] for file in files}) == len(files):
        return []
    by_subject: dict[str, list[str]] = {}
    for file in files:
        by_subject.setdefault(file.stem, []).append(file.display)
    return [
        Problem(
            "duplicate-subject",
            f"{' and '.join(sorted(paths))} are both evidence for subject '{subject}'",
            Location(max(paths), 1, 1),
            f"keep one file per subject: merge them into {subject}.yaml and delete the other",
        )
        for subject, paths in by_subject.items()
        if len(paths) > 1
    ]


def open_project(  # noqa: PLR0913 - where the directories are, keyword-only but three
    root: str,
    policies: str | None = None,
    evidence: str | None = None,
    *,
    schemas: str | None = None,
    shown_from: str | None = None,
    top: str | None = None,
    fallback: bool = True,
) -> Project:
    """Find the directories of a run: explicit options, then `root/<name>`, then bundled data.

    Bundled data fills a missing directory only with `fallback`, where no project was found (see
    `discovery`); in a project a directory it lacks is empty. `schemas`, when given, is searched
    first for facts schemas.

    Paths are shown relative to the root, or to `shown_from` (`check` shows them from the top of
    the repository, where CI tools look for them). Every directory must really be inside the
    repository: `top`, its real path (`check` has it from git), or else the nearest directory
    above the root that holds a `.git`; outside git, inside the root. A directory given as an
    option that lies outside it altogether is the caller's choice, and is allowed too.
    """
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise InvalidInput(
            [
                Problem(
                    "bad-root",
                    "--root is not a directory",
                    Location(root, 0, 0),
                    "run from the directory that holds policies/ and evidence/, or fix --root",
                )
            ]
        )
    shown = os.path.abspath(shown_from) if shown_from is not None else root
    real_root = os.path.realpath(root)
    top = top if top is not None else _repository_top(real_root)
    confinement = (
        Confinement((top,), "the repository")
        if top is not None
        else Confinement((real_root,), "the project root")
    )
    place = _Place(root, shown, confinement, fallback)
    policy_dir = place.directory(policies, "policies")
    evidence_dir = place.directory(evidence, "evidence")
    schema_candidates = [(os.path.join(root, "schemas"), False)]
    if policy_dir.display != f"{BUNDLED}/policies":
        sibling = os.path.join(os.path.dirname(str(policy_dir.handle)), "schemas")
        schema_candidates.insert(0, (sibling, policies is not None))
    found = [
        place.local(path, given=given) for path, given in schema_candidates if os.path.isdir(path)
    ]
    if schemas is not None:
        found.insert(0, place.directory(schemas, "schemas"))
    unique = list({str(d.handle): d for d in found}.values())
    if policy_dir.display == f"{BUNDLED}/policies":
        unique = []  # bundled policies name bundled schemas, found last by schema_file()
    return Project(root, policy_dir, evidence_dir, tuple(unique), confinement)


def _repository_top(path: str) -> str | None:
    """The nearest directory at or above `path` (a real path) that holds a `.git`, as git finds."""
    directory = path
    while not os.path.lexists(os.path.join(directory, ".git")):
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
    return directory


class _Place(NamedTuple):
    """Where a project is: its root, where paths are shown from, where its files may be."""

    root: str
    shown: str
    confinement: Confinement
    fallback: bool = True

    def directory(self, option: str | None, name: str) -> Directory:
        if option is not None:
            path = os.path.join(self.root, option)
            if not os.path.isdir(path):
                raise InvalidInput(
                    [
                        Problem(
                            "bad-directory",
                            f"--{name} {option} is not a directory",
                            Location(_display(self.shown, path), 0, 0),
                            f"point --{name} at a directory of YAML files",
                        )
                    ]
                )
            return self.local(path, given=True)
        path = os.path.join(self.root, name)
        if os.path.isdir(path) or not self.fallback:
            return self.local(path, given=False)
        return bundled(name)

    def local(self, path: str, *, given: bool) -> Directory:
        """A directory of the project, resolved once; refused if it really lies elsewhere.

        A directory named on the command line (`given`) whose path does not pass through the
        repository at all is the caller's choice: its files may be read wherever it is.
        """
        display = _display(self.shown, path)
        real = os.path.realpath(path)
        confinement = self.confinement
        reason = confinement.refusal(real)
        if reason is not None:
            if not (given and not confinement.passes_through(path)):
                raise InvalidInput([escape_problem(display + "/", Escape(real, reason))])
            confinement = confinement._replace(areas=(*confinement.areas, real))
        return Directory(display, LocalPath(path, real=real, confinement=confinement))


def _display(root: str, path: str) -> str:
    relative = os.path.relpath(path, root)
    return relative.replace(os.sep, "/")

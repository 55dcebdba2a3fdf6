"""What a SUBJECT on the command line names: a subject, an evidence file, a glob of either, or `-`.

The forms, told apart by their text alone (docs/cli.md#subjects):

- `-` is one evidence document read from standard input, located as `<stdin>`;
- with `*`, `?` or `[` it is a glob: with a `/` or a YAML suffix, of paths (from the current
  directory, as a shell would expand it); else of subject names in the evidence directory;
- with a `/` or a YAML suffix it is a path, from the current directory: a file in the evidence
  directory is that subject's, any other is read where it is;
- else it is a subject's name.

Every file is confined as the project's are: a path that passes through the repository must
really lead inside it (no link out, none into `.git`), and one that does not is the caller's
choice, read only within its own directory. Reading is `LocalPath`'s: regular files only, never
past the size limit.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from typing import TYPE_CHECKING, Literal

from gatecheck import limits
from gatecheck.errors import InvalidInput, Location, Problem, Problems
from gatecheck.project.confinement import Confinement, Escape, escape_problem
from gatecheck.project.input_file import YAML_SUFFIXES, InputFile
from gatecheck.project.local_path import LocalPath
from gatecheck.project.standard_input import standard_input
from gatecheck.reading import too_many_files

if TYPE_CHECKING:
    from gatecheck.project.directory import Directory
    from gatecheck.project.layout import Project

Form = Literal["stdin", "glob", "path", "name"]
STDIN_ARGUMENT = "-"
_GLOB_CHARACTERS = frozenset("*?[")


def form(argument: str) -> Form:
    """Which form of SUBJECT `argument` is (see the module's docstring)."""
    if argument == STDIN_ARGUMENT:
        return "stdin"
    if _GLOB_CHARACTERS.intersection(argument):
        return "glob"
    return "path" if _looks_like_path(argument) else "name"


def _looks_like_path(argument: str) -> bool:
    return "/" in argument or os.sep in argument or argument.endswith(YAML_SUFFIXES)


def subject_files(project: Project, arguments: list[str]) -> list[InputFile]:
    """The evidence files the arguments name, in order, each once; every bad one a problem."""
    files: dict[str, InputFile] = {}
    problems = Problems()
    for argument in dict.fromkeys(arguments):  # keep order, drop repeats
        with problems.collecting():
            for file in _files(project, argument):
                files.setdefault(_identity(file), file)
    problems.raise_if_any()
    return list(files.values())


def _files(project: Project, argument: str) -> list[InputFile]:
    match form(argument):
        case "stdin":
            return [standard_input()]
        case "glob":
            return _glob_files(project, argument)
        case "path":
            return [path_file(project, argument)]
        case "name":
            return [project.evidence_file(argument)]


def _identity(file: InputFile) -> str:
    """One key per file, however it was named: a name and a path to its file are one subject."""
    handle = file.handle
    if isinstance(handle, LocalPath):
        return os.path.realpath(handle.path)
    return file.display


def path_file(project: Project, argument: str) -> InputFile:
    """The evidence file at `argument`, a path from the current directory."""
    if not argument.endswith(YAML_SUFFIXES):
        shown = _shown(project.root, os.path.abspath(argument))
        raise InvalidInput([_not_evidence(argument, shown)])
    return named_file(project, argument, (project.evidence,))


def named_file(
    project: Project, argument: str, directories: tuple[Directory, ...] | None = None
) -> InputFile:
    """The file at `argument`, a path from the current directory, confined (see the module doc).

    A file of one of `directories` (default: the evidence and the policies directory) is named
    as that directory's files are; any other from the root, or in full outside it.
    """
    path = os.path.abspath(argument)
    shown = _shown(project.root, path)
    if not os.path.lexists(path):
        raise InvalidInput(
            [
                Problem(
                    "no-such-file",
                    f"no such file: {argument}",
                    Location(shown, 0, 0),
                    "a path is read from the current directory; a subject's name has no"
                    " .yaml and no /",
                )
            ]
        )
    for directory in (
        directories if directories is not None else (project.evidence, project.policies)
    ):
        inside = in_directory(directory, path)
        if inside is not None:
            return inside
    return InputFile(shown, LocalPath(path, confinement=_confinement(project, path, shown)))


def in_evidence_directory(project: Project, path: str) -> InputFile | None:
    """The file of the evidence directory that `path` (absolute) is, or None (`in_directory`)."""
    return in_directory(project.evidence, path)


def in_directory(directory: Directory, path: str) -> InputFile | None:
    """The file of `directory` that `path` (absolute) is, or None if it is elsewhere.

    Its directory's real path decides: `./evidence/x.yaml`, an absolute path and a path through
    a link to the directory are all that directory's file; the file itself may be a link, read
    (and confined) as the directory's files are.
    """
    handle = directory.handle
    if not isinstance(handle, LocalPath):  # bundled: no path on the command line is one of it
        return None
    if os.path.realpath(os.path.dirname(path)) != handle.real_path():
        return None
    name = os.path.basename(path)
    return InputFile(f"{directory.display}/{name}", handle.joinpath(name))


def _confinement(project: Project, path: str, shown: str) -> Confinement:
    """Where a file named outside the evidence directory may really be (see the module doc)."""
    confinement = project.confinement
    real = os.path.realpath(path)
    if confinement is None:  # pragma: no cover - every project opened from disk has one
        return Confinement((os.path.dirname(real),), "its directory")
    reason = confinement.refusal(real)
    if reason is None:
        return confinement
    if confinement.passes_through(path):
        raise InvalidInput([escape_problem(shown, Escape(real, reason))])
    # The caller's own file elsewhere: read there, but not through a link out of its directory.
    here = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    return Confinement((here,), "its directory")


def _glob_files(project: Project, argument: str) -> list[InputFile]:
    """The files a glob matches, sorted; none is a problem, as in a shell with failglob."""
    if _looks_like_path(argument):
        matches = []
        for count, match in enumerate(glob.iglob(argument, recursive=True), 1):
            if count > limits.MAX_FILES:
                raise InvalidInput([too_many_files(argument)])
            if match.endswith(YAML_SUFFIXES) and not os.path.isdir(match):
                matches.append(match)
        files = [path_file(project, match) for match in sorted(matches)]
    else:
        files = [
            file
            for file in project.evidence_files()
            if fnmatch.fnmatchcase(file.stem, argument)
            and (argument.startswith(".") or not file.stem.startswith("."))  # as a shell does
        ]
    if not files:
        where = f"{project.evidence.display}/" if not _looks_like_path(argument) else argument
        raise InvalidInput(
            [
                Problem(
                    "no-match",
                    f"'{argument}' matches no evidence file",
                    Location(where, 0, 0),
                    "a glob of names matches subjects of the evidence directory, one with / or"
                    " .yaml matches files from the current directory; quote it so that the"
                    " shell leaves it to gatecheck",
                )
            ]
        )
    return files


def _not_evidence(argument: str, shown: str) -> Problem:
    return Problem(
        "unknown-subject",
        f"'{argument}' is not a subject name nor an evidence file (*.yaml, *.yml)",
        Location(shown or argument, 0, 0),
        "name a subject by its evidence file's name without .yaml, or give the file's path",
    )


def _shown(root: str, path: str) -> str:
    """A path as messages name it: from the root when it is inside it, else absolute."""
    relative = os.path.relpath(path, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return path.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def edited_subject(project: Project, argument: str) -> str:
    """The subject that `record`, `attest` or `waive` may edit: a name, or its file's path.

    Standard input and globs are refused (an edit writes one file, in the evidence directory),
    and so is a path to a file outside the evidence directory.
    """
    where = Location(f"{project.evidence.display}/", 0, 0)
    match form(argument):
        case "name":
            return argument
        case "stdin":
            why = "standard input (-) cannot be edited: the edit is written to the evidence file"
        case "glob":
            why = f"'{argument}' is a glob: an edit changes one subject's evidence at a time"
        case "path":
            inside = in_evidence_directory(project, os.path.abspath(argument))
            if inside is not None and argument.endswith(YAML_SUFFIXES):
                return inside.stem
            file = path_file(project, argument)  # its own problem first: missing, not YAML
            why = f"{argument} is not in the evidence directory: only its files are edited"
            where = Location(file.display, 0, 0)
    raise InvalidInput(
        [
            Problem(
                "not-editable",
                why,
                where,
                "name one subject (or the path of its file in the evidence directory)",
            )
        ]
    )

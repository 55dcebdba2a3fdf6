"""Safe edits of evidence files: record facts and their sources, add attestations and waivers.

An edit changes the file's round-trip document (comments, key order, quoting and indentation kept;
see `roundtrip`), loads the result through gatecheck's own loader and validates it like any evidence
file, and only then replaces the file atomically, all under the lock of the directory the file
really is in (see `writing`): two paths to one file, through a symbolic link, take one lock. New
keys go at the end of their mapping; new envelope keys (`sources`, `waivers`, ...) go where the
evidence format lists them.
"""

from __future__ import annotations

import codecs
import enum
import os
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ruamel.yaml.comments import CommentedMap

from gatecheck import files as writing
from gatecheck.editing import changes as edits
from gatecheck.editing import roundtrip
from gatecheck.errors import InvalidInput, Problem
from gatecheck.loading.documents import (
    MAX_DEPTH,
    FileTooLarge,
    Location,
    NotRegularFile,
    load_bytes,
    not_a_file,
    read_regular,
    too_large,
)
from gatecheck.loading.pipeline import load_evidence, load_policies
from gatecheck.project.confinement import Escape, escape_problem
from gatecheck.project.input_file import InputFile
from gatecheck.project.local_path import LocalPath
from gatecheck.project.tree_path import TreePath

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from gatecheck.loading.pipeline import Policies
    from gatecheck.project.layout import Project


class _Remove(enum.Enum):
    REMOVE = "REMOVE"

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Final = _Remove.REMOVE
"""`FactChange(fact, REMOVE)` deletes the fact and the `sources` entries of it and below it."""

AFTER_THE_EDIT = "after the edit: "


class FactChange(NamedTuple):
    """Set a fact (a dotted path inside `facts`; missing parent mappings are created) or REMOVE it.

    `value` is YAML-able: bool, int, float, str, date, datetime, None (null), list or dict.
    `source`, if given, replaces the fact's `sources` entry (keys of a provenance: url, repository,
    commit, file, line, collected_at, note); None leaves an existing one as it is.
    """

    fact: str
    value: Any
    source: dict[str, Any] | None = None


class Changes(NamedTuple):
    """Everything one edit does to a file, for an edit decided from the file's own content.

    `sources` sets the `sources` entries of facts (or of parents of facts) the file records,
    leaving the facts' values as they are. `envelope` sets `policy`, `title` or `as_of`.
    """

    facts: Sequence[FactChange] = ()
    sources: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
    envelope: Mapping[str, Any] = MappingProxyType({})
    attestations: Sequence[dict[str, Any]] = ()
    waivers: Sequence[dict[str, Any]] = ()


# The envelope keys `Changes.envelope` may set: the others have their own changes or never change.
SETTABLE_ENVELOPE = ("policy", "title", "as_of")


class EditResult(NamedTuple):
    path: str  # the evidence file as displayed (relative to the root)
    diff: str  # unified diff of the file's text (empty when nothing changed)
    changed: bool


class _Target(NamedTuple):
    display: str
    path: str  # the real file: a symlinked evidence file is written where its link leads
    exists: bool
    lock_display: str  # how messages name the directory whose lock the edit takes


def edit_evidence(  # noqa: PLR0913 - the API that collectors and ingesters call
    project: Project,
    subject: str,
    *,
    facts: Sequence[FactChange] = (),
    attestations: Sequence[dict[str, Any]] = (),
    waivers: Sequence[dict[str, Any]] = (),
    create: dict[str, Any] | None = None,
    dry_run: bool = False,
    decide: Callable[[dict[str, Any] | None], Changes] | None = None,
) -> EditResult:
    """Apply the changes to `subject`'s evidence file and write it, if the result is valid.

    Attestations and waivers are appended, unless an equal entry is there already (keys whose
    value is None are left out). `create` is the envelope (`policy`, `title`, ...) of a file to
    start when there is none; without it a missing file is an `unknown-subject` problem.
    `decide`, if given, is called with the file's data as gatecheck reads it (None for a file
    that does not exist yet) while the lock is held, and the changes it returns are made after
    the others: an edit that depends on what the file says sees what is really there.
    Raises InvalidInput (and writes nothing) when the edited file would not be valid evidence,
    when the lock is not free within GATECHECK_LOCK_TIMEOUT seconds, or when it cannot write.
    `dry_run` takes no lock and writes nothing: the diff says what the edit would do.
    """
    directory = _evidence_directory(project)
    target = _find(project, subject, create, directory)
    policies = load_policies(project)
    fact_changes = tuple(FactChange(*change) for change in facts)  # plain tuples work too
    given = Changes(fact_changes, attestations=tuple(attestations), waivers=tuple(waivers))
    if dry_run:
        return _edit(target, subject, (given, decide, create), policies)[0]
    # The lock of the directory the file really is in: an edit through a link into another
    # project's evidence and an edit there serialise on one lock.
    with writing.locked(os.path.dirname(target.path), target.lock_display):
        if not target.exists and os.path.lexists(target.path):  # created while we waited
            target = target._replace(exists=True)
        result, data = _edit(target, subject, (given, decide, create), policies)
        if result.changed:
            writing.write_atomically(target.path, data, target.display)
    return result


def parse_value(text: str) -> Any:
    """A VALUE typed on the command line, read as a YAML 1.2 scalar or flow collection.

    `true`, `3`, `2024-09-30`, `[python, go]`, `{ok: true}`, `null` (the null value) and quoted
    strings mean what they mean in an evidence file, since gatecheck's own loader reads them.
    """
    where = Location("VALUE", 1, 1)
    if not text.strip() or "\n" in text or "\r" in text:
        reason = "is empty" if not text.strip() else "must be one line"
        raise InvalidInput(
            [
                Problem(
                    "bad-value",
                    f"VALUE {reason}",
                    where,
                    "write a YAML scalar or flow collection; null records a value known to be "
                    "unknown, '' an empty string",
                )
            ]
        )
    prefix = "value: "
    try:
        document = load_bytes((prefix + text).encode(), "VALUE")
    except InvalidInput as error:
        shift = len(prefix)
        raise InvalidInput(
            p._replace(location=where._replace(column=max(1, p.location.column - shift)))
            for p in error.problems
        ) from None
    return document.data["value"]


def describe_fact(change: FactChange) -> str:
    """`fuzzing.since = 2026-11-01`, or `fuzzing.since removed`: a line for users."""
    from gatecheck.evaluation.explaining import show

    if change.value is REMOVE:
        return f"{change.fact} removed"
    return f"{change.fact} = {show(change.value)}"


# -- one edit -------------------------------------------------------------------------------------


_Changes = tuple[
    Changes,
    "Callable[[dict[str, Any] | None], Changes] | None",
    dict[str, Any] | None,
]


def _edit(
    target: _Target, subject: str, changes: _Changes, policies: Policies
) -> tuple[EditResult, bytes]:
    given, decide, create = changes
    current: dict[str, Any] | None = None
    if target.exists:
        raw = _read(target)
        # gatecheck's own limits and problems come first
        current = load_bytes(raw, target.display).data
        bom = raw.startswith(codecs.BOM_UTF8)
        text = raw.decode("utf-8-sig")
        document, style = _load_round_trip(text, target.display)
        normalized = roundtrip.dump(document, style)
    else:
        bom, text, style, normalized = False, "", roundtrip.Style(), ""
        document = edits.new_document(subject, create or {})
    display = target.display
    problems = _apply_changes(document, given, display)
    if decide is not None:
        problems += _apply_changes(document, decide(current), display)
    if problems:
        raise InvalidInput(problems)
    new_text = _faithful(text, normalized, document, style)
    data = (codecs.BOM_UTF8 if bom else b"") + new_text.encode()
    changed = new_text != text or not target.exists
    if changed:
        _validate(data, target.display, policies, text)
    diff = _diff(text, new_text, target.display, existed=target.exists) if changed else ""
    return EditResult(target.display, diff, changed), data


def _apply_changes(document: Any, changes: Changes, display: str) -> list[Problem]:
    problems = [
        p for change in changes.facts for p in _apply(document, FactChange(*change), display)
    ]
    for fact, source in changes.sources.items():
        problems += edits.set_source(document, fact, dict(source), display)
    for key, value in changes.envelope.items():
        if key not in SETTABLE_ENVELOPE:
            message = (
                f"`{key}` is not an envelope key an edit sets ({', '.join(SETTABLE_ENVELOPE)})"
            )
            problems.append(Problem("bad-edit", message, Location(display, 0, 0)))
            continue
        edits.set_envelope(document, key, value)
    problems += edits.append_entries(document, "attestations", changes.attestations, display)
    problems += edits.append_entries(document, "waivers", changes.waivers, display)
    return problems


def _evidence_directory(project: Project) -> LocalPath:
    handle = project.evidence.handle
    if not isinstance(handle, LocalPath):
        raise InvalidInput(
            [
                Problem(
                    "unwritable",
                    f"{project.evidence.display} is gatecheck's bundled data, not yours to edit",
                    Location(project.evidence.display + "/", 0, 0),
                    "run in the directory that holds your evidence/, or pass --root or --evidence",
                )
            ]
        )
    return handle


def _find(
    project: Project, subject: str, create: dict[str, Any] | None, directory: LocalPath
) -> _Target:
    """The file to edit, where it really is: a symbolic link that leaves the project is refused."""
    here = directory.real_path()
    try:
        file = project.evidence_file(subject)
    except InvalidInput as error:
        wanted = f"{project.evidence.display}/{subject}.yaml"
        if create is None or any(p.location.path != wanted for p in error.problems):
            raise  # no envelope to start from, or not a subject name at all
        path = os.path.join(here, f"{subject}.yaml")
        return _Target(wanted, path, exists=False, lock_display=project.evidence.display)
    assert isinstance(file.handle, LocalPath)  # noqa: S101 - found in a local directory
    real = file.handle.real_path()
    reason = directory.confinement.refusal(real) if directory.confinement else None
    if reason is not None:
        raise InvalidInput([escape_problem(file.display, Escape(real, reason))])
    folder = os.path.dirname(real)
    shown = project.evidence.display if folder == here else _shown(folder, project.root)
    return _Target(file.display, real, exists=True, lock_display=shown)


def _shown(path: str, root: str) -> str:
    """A directory as messages name it: from the root, as every path is shown."""
    try:
        return os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:  # pragma: no cover - Windows: another drive
        return path


def _read(target: _Target) -> bytes:
    try:
        return read_regular(target.path)
    except FileTooLarge as error:
        raise InvalidInput([too_large(target.display, error.size)]) from None
    except NotRegularFile as error:
        raise InvalidInput([not_a_file(target.display, error.kind)]) from None
    except OSError as error:  # pragma: no cover - it went away since it was found
        reason = error.strerror or type(error).__name__
        raise InvalidInput(
            [Problem("unreadable", f"cannot read file: {reason}", Location(target.display, 1, 1))]
        ) from None


def _load_round_trip(text: str, display: str) -> tuple[Any, roundtrip.Style]:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        document, style = roundtrip.load(text)
    except YAMLError as error:  # pragma: no cover - gatecheck's stricter loader read it first
        mark = getattr(error, "problem_mark", None) if isinstance(error, MarkedYAMLError) else None
        at = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display, 1, 1)
        raise InvalidInput(
            [Problem("yaml-syntax", f"cannot edit this YAML: {error}", at)]
        ) from None
    if not isinstance(document, CommentedMap):
        raise InvalidInput(
            [
                Problem(
                    "wrong-type",
                    "the file: expected a mapping (subject, policy, facts, ...)",
                    Location(display, 1, 1),
                )
            ]
        )
    return document, style


def _apply(document: Any, change: FactChange, display: str) -> list[Problem]:
    parts = change.fact.count(".") + 1
    if parts > MAX_DEPTH:  # the file could not be read back; writing it would recurse that deep
        message = f"fact path has {parts} parts; evidence nests at most {MAX_DEPTH} levels"
        return [Problem("too-deep", message, Location(display, 0, 0), "flatten the structure")]
    if change.value is not REMOVE:
        return edits.set_fact(document, change.fact, change.value, change.source, display)
    if change.source is not None:
        message = f"{change.fact}: a fact that is removed cannot have a source"
        return [Problem("bad-edit", message, Location(display, 0, 0))]
    return edits.remove_fact(document, change.fact, display)


# -- checking and showing the result --------------------------------------------------------------


def _faithful(text: str, normalized: str, document: Any, style: roundtrip.Style) -> str:
    """The edited file's text: ruamel's, with the lines the edit did not touch kept as they were."""
    edited = roundtrip.dump(document, style)
    expected = roundtrip.plain(document)
    if not roundtrip.same(_read_back(edited), expected):  # pragma: no cover - a bug, not bad input
        msg = "the edited YAML would not read back as the values written; please report this"
        raise RuntimeError(msg)
    if "\r\n" in text:
        normalized, edited = normalized.replace("\n", "\r\n"), edited.replace("\n", "\r\n")
    merged = roundtrip.keep_untouched(text, normalized, edited) if text else edited
    if merged is None or merged == edited:
        return edited
    try:
        kept = roundtrip.same(_read_back(merged), expected)
    except InvalidInput:
        kept = False
    return merged if kept else edited


def _read_back(text: str) -> Any:
    return load_bytes(text.encode(), "(edited)").data


def _validate(data: bytes, display: str, policies: Policies, old_text: str) -> None:
    file = InputFile(display, TreePath({display: data}, display))
    try:
        load_evidence([file], policies)
    except InvalidInput as error:
        new_text = data.decode("utf-8-sig")
        raise InvalidInput(_relocated(error.problems, display, old_text, new_text)) from None


def _relocated(
    problems: Sequence[Problem], display: str, old_text: str, new_text: str
) -> Iterator[Problem]:
    """Problems on lines the edit left alone, located in the file as it is.

    The others say `after the edit` and point where the edit would put them.
    """
    from gatecheck.editing.line_diff import LineMatcher

    matcher = LineMatcher(new_text.splitlines(), old_text.splitlines())
    old_line = {
        new + offset + 1: old + offset + 1
        for new, old, size in matcher.get_matching_blocks()
        for offset in range(size)
    }
    for problem in problems:
        where = problem.location
        if where.path != display or where.line <= 0:
            yield problem
        elif where.line in old_line:
            yield problem._replace(location=where._replace(line=old_line[where.line]))
        else:
            yield problem._replace(message=AFTER_THE_EDIT + problem.message)


def _diff(old: str, new: str, display: str, *, existed: bool) -> str:
    from gatecheck.editing.line_diff import unified_diff

    lines = unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        f"a/{display}" if existed else "/dev/null",
        f"b/{display}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )

"""Safe edits of evidence files: record facts and their sources, add attestations and waivers.

An edit changes the file's round-trip document (comments, key order, quoting and indentation
kept: see `roundtrip` and `changes`), loads the result through gatecheck's own loader and
validates it like any evidence file (see `validation`), and only then replaces the file
atomically, all under the lock of the directory the file really is in (see `target` and
`gatecheck.files`): two paths to one file, through a symbolic link, take one lock. New keys go at
the end of their mapping; new envelope keys (`sources`, `waivers`, ...) go where the evidence
format lists them.
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
from gatecheck.editing import comments, roundtrip, validation
from gatecheck.editing.target import evidence_directory, find_target
from gatecheck.errors import InvalidInput, Location, Problem, Problems
from gatecheck.limits import MAX_DEPTH
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.policies import load_policies
from gatecheck.reading import (
    FileTooLarge,
    NotRegularFile,
    not_a_file,
    read_regular,
    too_large,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from gatecheck.editing.target import Target
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.project.layout import Project


class _Remove(enum.Enum):
    REMOVE = "REMOVE"

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Final = _Remove.REMOVE
"""`FactChange(fact, REMOVE)` deletes the fact and the `sources` entries of it and below it."""


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
    # The comments at the end of the lines of facts given a new value: kept (the new value may
    # make them untrue), or removed when the edit was asked to `drop_comments`.
    line_comments: tuple[comments.LineComment, ...] = ()


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
    drop_comments: bool = False,
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
    The result names the end-of-line comments of the facts given a new value (`line_comments`);
    `drop_comments` removes them, and only them.
    """
    directory = evidence_directory(project)
    target = find_target(project, subject, create, directory)
    policies = load_policies(project)
    fact_changes = tuple(FactChange(*change) for change in facts)  # plain tuples work too
    given = Changes(fact_changes, attestations=tuple(attestations), waivers=tuple(waivers))
    changes = (given, decide, create, drop_comments)
    if dry_run:
        return _edit(target, subject, changes, policies)[0]
    # The lock of the directory the file really is in: an edit through a link into another
    # project's evidence and an edit there serialise on one lock.
    with writing.locked(os.path.dirname(target.path), target.lock_display):
        if not target.exists and os.path.lexists(target.path):  # created while we waited
            target = target._replace(exists=True)
        result, data = _edit(target, subject, changes, policies)
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
    from gatecheck.language.values import show

    if change.value is REMOVE:
        return f"{change.fact} removed"
    return f"{change.fact} = {show(change.value)}"


# -- one edit -------------------------------------------------------------------------------------


_Changes = tuple[
    Changes,
    "Callable[[dict[str, Any] | None], Changes] | None",
    dict[str, Any] | None,
    bool,  # drop the end-of-line comments of the facts given a new value
]


def _edit(
    target: Target, subject: str, changes: _Changes, policies: Policies
) -> tuple[EditResult, bytes]:
    given, decide, create, drop_comments = changes
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
    before = _line_comments(document, given.facts)
    problems = Problems(_apply_changes(document, given, display))
    if decide is not None:
        problems += _apply_changes(document, decide(current), display)
    problems.raise_if_any()
    rewritten = tuple(
        comment
        for comment, old in before
        if not roundtrip.same(comments.fact_node(document, comment.fact), old)
    )
    if drop_comments:
        for comment in rewritten:
            comments.drop_line_comment(document, comment.fact)
    new_text = validation.faithful(text, normalized, document, style)
    data = (codecs.BOM_UTF8 if bom else b"") + new_text.encode()
    changed = new_text != text or not target.exists
    if changed:
        validation.validate(data, target.display, policies, text)
    diff = validation.diff(text, new_text, target.display, existed=target.exists) if changed else ""
    return EditResult(target.display, diff, changed, rewritten), data


def _line_comments(
    document: Any, facts: Sequence[FactChange]
) -> list[tuple[comments.LineComment, Any]]:
    """The end-of-line comments of the facts an edit sets, with their values before it."""
    found = []
    for change in facts:
        fact = FactChange(*change).fact
        comment = comments.line_comment(document, fact)
        if comment is not None and FactChange(*change).value is not REMOVE:
            found.append((comment, roundtrip.plain(comments.fact_node(document, fact))))
    return found


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


def _read(target: Target) -> bytes:
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

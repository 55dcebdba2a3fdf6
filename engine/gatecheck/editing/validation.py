"""Checking an edit's result before it is written: read back, validated, shown as a diff.

The edited text keeps every line the edit did not touch as it was; it must read back as the values
written and load as valid evidence. A problem on a line the edit left alone is located in the file
as it is; the others say `after the edit` and point where the edit would put them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.editing import roundtrip
from gatecheck.editing.kept_lines import keep_untouched
from gatecheck.errors import InvalidInput
from gatecheck.loading.evidence import load_evidence
from gatecheck.loading.parsing import load_bytes
from gatecheck.project.input_file import InputFile
from gatecheck.project.tree_path import TreePath

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from gatecheck.errors import Problem
    from gatecheck.loading.policy_catalogue import Policies

AFTER_THE_EDIT = "after the edit: "


def faithful(text: str, normalized: str, document: Any, style: roundtrip.Style) -> str:
    """The edited file's text: ruamel's, with the lines the edit did not touch kept as they were."""
    edited = roundtrip.dump(document, style)
    expected = roundtrip.plain(document)
    if not roundtrip.same(_read_back(edited), expected):  # pragma: no cover - a bug, not bad input
        msg = "the edited YAML would not read back as the values written; please report this"
        raise RuntimeError(msg)
    if "\r\n" in text:
        normalized, edited = normalized.replace("\n", "\r\n"), edited.replace("\n", "\r\n")
    merged = keep_untouched(text, normalized, edited) if text else edited
    if merged is None or merged == edited:
        return edited
    try:
        kept = roundtrip.same(_read_back(merged), expected)
    except InvalidInput:
        kept = False
    return merged if kept else edited


def _read_back(text: str) -> Any:
    return load_bytes(text.encode(), "(edited)").data


def validate(data: bytes, display: str, policies: Policies, old_text: str) -> None:
    """Refuse (InvalidInput) edited bytes that would not load as valid evidence."""
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


def diff(old: str, new: str, display: str, *, existed: bool) -> str:
    """The unified diff of an edit, as `git diff` shows it (a new file: from /dev/null)."""
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

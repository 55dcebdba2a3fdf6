"""Keeping the author's lines: an edited text with every line the edit did not change as it was."""

from __future__ import annotations

from gatecheck.editing.line_diff import LineMatcher


def keep_untouched(original: str, normalized: str, edited: str) -> str | None:
    """`edited`, with every line the edit did not change taken from `original` byte for byte.

    `normalized` is ruamel's dump of the unedited document: where ruamel respells a line (spacing
    inside a flow list, `~` for null), the change from `normalized` to `edited` is applied to
    `original` instead. None when a change touches lines that ruamel respelt beyond recognition.
    """
    if normalized == original:
        return edited
    old, before, after = (text.splitlines(keepends=True) for text in (original, normalized, edited))
    where = _line_map(old, before)
    merged: list[str] = []
    done = 0
    for tag, i1, i2, j1, j2 in LineMatcher(before, after).get_opcodes():
        if tag == "equal":
            continue
        span = _span(where, i1, i2, len(before), len(old))
        if span is None or span[0] < done:
            return None
        merged += old[done : span[0]]
        merged += after[j1:j2]
        done = span[1]
    merged += old[done:]
    return "".join(merged)


def _line_map(old: list[str], before: list[str]) -> dict[int, int]:
    """Line of `before` -> the line of `old` it stands for (equal, or respelt in place)."""
    where: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in LineMatcher(old, before).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            where.update(zip(range(j1, j2), range(i1, i2), strict=True))
    return where


def _span(
    where: dict[int, int], start: int, end: int, count: int, old_count: int
) -> tuple[int, int] | None:
    """The lines of the original that lines start..end of the normalized text stand for."""
    if end > start:
        lines = [where.get(index) for index in range(start, end)]
        first = lines[0]
        if first is None or lines != list(range(first, first + len(lines))):
            return None
        return first, first + len(lines)
    # an insertion: between two lines that are neighbours in the original too
    before = where.get(start - 1, -1) if start else -1
    after = where.get(start, old_count) if start < count else old_count
    if (start and start - 1 not in where) or (start < count and start not in where):
        return None
    return (after, after) if after == before + 1 else None

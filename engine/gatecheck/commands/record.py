"""`gatecheck record`'s warnings: the comment a new value may have made untrue."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.editing.evidence_files import EditResult


def comment_warnings(result: EditResult, *, dropped: bool, dry_run: bool = False) -> list[str]:
    """One line per end-of-line comment of a fact given a new value: kept, or removed."""
    lines = []
    removed = "would remove" if dry_run else "removed"
    for comment in result.line_comments:
        where = f"{result.path}:{comment.line}" if comment.line else result.path
        if dropped:
            lines.append(f"{where}: {removed} the comment on {comment.fact}'s line: {comment.text}")
        else:
            lines.append(
                f"warning: {where}: the comment on {comment.fact}'s line was kept and may no "
                f"longer be true: {comment.text} (--drop-comment removes it)"
            )
    return lines

"""Regular expressions as gatecheck runs them: RE2, linear time, bounded in size and memory."""

from __future__ import annotations

import functools
from typing import Any

from gatecheck.limits import MAX_PATTERN_CHARS, MAX_PATTERN_MEMORY


@functools.lru_cache(maxsize=4096)
def compile_regex(pattern: str) -> Any:
    """Compile with RE2 (linear time, no backtracking), remembering the latest patterns.

    Every pattern gatecheck matches is checked by `regex_problem` first (when its policy or
    schema is loaded), so the limits on length and memory hold here too. The bound is far above
    the patterns of a run, so a policy's `matches` never compiles twice, and keeps a long-lived
    process from holding every pattern it ever saw.
    """
    import re2

    options = re2.Options()
    options.log_errors = False  # errors become located problems; RE2 must not print them
    options.max_mem = MAX_PATTERN_MEMORY
    return re2.compile(pattern, options)


def regex_problem(pattern: str) -> str | None:
    if len(pattern) > MAX_PATTERN_CHARS:
        return (
            f"the regular expression is {len(pattern):,} characters long; the limit is"
            f" {MAX_PATTERN_CHARS:,}"
        )
    try:
        compile_regex(pattern)
    except Exception as error:  # noqa: BLE001 - re2 raises its own error class
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return f"invalid regular expression: {reason}"
    return None

"""Read test results: JUnit XML and the plain output of libtest (`cargo test`).

Each file becomes a list of `ReportedTest`s (a test's name and whether it passed, failed or was
ignored). Nothing here knows about proposals or evidence; `mapping` maps names to proposals.

Result files come from CI artefacts, so they are treated as hostile: the size is capped as for
YAML, XML is parsed by expat with any DOCTYPE refused (no entity can expand, internal or external),
and every problem is located `file:line:column` and raised as InvalidInput.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Literal, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.reading import FileTooLarge, read_limited, too_large
from gatecheck.spectests.junit import parse_junit
from gatecheck.spectests.libtest import parse_libtest

if TYPE_CHECKING:
    from gatecheck.spectests.reported import ReportedTest

FORMATS = ("auto", "junit", "libtest")


class Results(NamedTuple):
    """The outcomes read from one file, with what provenance needs to say about it."""

    path: str  # as given on the command line
    format: Literal["junit", "libtest"]
    sha256: str
    outcomes: tuple[ReportedTest, ...]

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def read_results(path: str, fmt: str = "auto") -> Results:
    """Read one result file; `fmt` is `junit`, `libtest` or `auto` (XML if it starts with `<`)."""
    raw = _read(path)
    digest = hashlib.sha256(raw).hexdigest()
    if fmt == "auto":
        fmt = "junit" if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "libtest"
    if fmt == "junit":
        return Results(path, "junit", digest, parse_junit(raw, path))
    return Results(path, "libtest", digest, parse_libtest(raw, path))


_SPLIT_RESULTS = "split the results (one file per test binary or platform) and pass each file"


def _read(path: str) -> bytes:
    try:
        return read_limited(path)
    except FileTooLarge as error:
        raise InvalidInput([too_large(path, error.size, _SPLIT_RESULTS)]) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput(
            [Problem("unreadable", f"cannot read file: {reason}", Location(path, 1, 1))]
        ) from None

"""A test as a result file reports it: its name and status, whatever the file's format."""

from __future__ import annotations

from typing import Literal, NamedTuple

Status = Literal["passed", "failed", "ignored"]


class ReportedTest(NamedTuple):
    """One test of a result file: its name, and whether it passed, failed or was ignored."""

    name: str
    status: Status

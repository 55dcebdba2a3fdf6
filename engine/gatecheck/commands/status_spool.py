"""Status rows kept on disk until they are written: each subject's row and plan, read back in order.

`status` judges one evidence file at a time; what the report needs of a subject (its settled
verdicts, its plan) is pickled into an anonymous temporary file that only this process wrote,
and memory keeps its offset. The rows come back one at a time, in the matrix's order, when a
reporter reads them, so memory holds the index and the subject being written, not every subject.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from gatecheck.evaluation.plan_results import PlanReport
    from gatecheck.evaluation.results import SubjectResult


class Spool:
    """Values pickled one after another into a temporary file, each read back by its offset."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._end = 0

    def put(self, value: Any) -> int:
        """Store `value`; its offset, the key to read it back."""
        offset = self._end
        self._file.seek(offset)
        pickle.dump(value, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._end = self._file.tell()
        return offset

    def get(self, offset: int) -> Any:
        # Only this process wrote the file (anonymous, unlinked, mode 0600): the pickles are ours.
        self._file.seek(offset)
        return pickle.load(self._file)  # noqa: S301 - our own data, see above


class SpooledRows(Sequence["SubjectResult"]):
    """The rows of the matrix, in order, each read from the spool when it is asked for."""

    def __init__(self, spool: Spool, offsets: Sequence[int]) -> None:
        self._spool = spool
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> SubjectResult: ...

    @overload
    def __getitem__(self, index: slice) -> SpooledRows: ...

    def __getitem__(self, index: int | slice) -> SubjectResult | SpooledRows:
        if isinstance(index, slice):
            return SpooledRows(self._spool, self._offsets[index])
        row: SubjectResult = self._spool.get(self._offsets[index])
        return row

    def __iter__(self) -> Iterator[SubjectResult]:
        for offset in self._offsets:
            yield self._spool.get(offset)


class SpooledPlans(Mapping[str, "PlanReport"]):
    """Each subject's plan for the gate (of the subjects planned), read when it is asked for."""

    def __init__(self, spool: Spool, offsets: dict[str, int]) -> None:
        self._spool = spool
        self._offsets = offsets

    def __getitem__(self, subject: str) -> PlanReport:
        plan: PlanReport = self._spool.get(self._offsets[subject])
        return plan

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

"""Results kept on disk until they are written: each subject's, read back in order when asked for.

`status` and `check --all` judge one evidence file at a time; what the report needs of a subject
(its settled verdicts, its plan) is pickled into an anonymous temporary file that only this
process wrote, and memory keeps its offset. The results come back one at a time, in the report's
order, when a reporter reads them, so memory holds the offsets and the subject being written,
not every subject.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any, TypeVar, overload

T = TypeVar("T")


class Spool:
    """Values pickled one after another into a temporary file, each read back by its offset."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._end = 0  # where the next value goes
        self._at = 0  # where the file's position is

    @classmethod
    def temporary(cls) -> Spool:
        """A spool of its own temporary file, closed when the spool is let go."""
        import tempfile
        import weakref

        file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the finalizer below
        spool = cls(file)
        weakref.finalize(spool, file.close)
        return spool

    def put(self, value: Any) -> int:
        """Store `value`; its offset, the key to read it back."""
        return self.put_pickled(pickled(value))

    def put_pickled(self, data: bytes) -> int:
        """Store a value already pickled (by `pickled`, in a worker, say); its offset."""
        offset = self._end
        if self._at != offset:  # a read moved the position: writes otherwise follow each other
            self._file.seek(offset)
        self._file.write(len(data).to_bytes(8, "little"))
        self._file.write(data)
        self._end = self._at = offset + 8 + len(data)
        return offset

    def get(self, offset: int) -> Any:
        self._file.seek(offset)
        size = int.from_bytes(self._file.read(8), "little")
        data = self._file.read(size)
        self._at = offset + 8 + size
        # Only this process wrote the file (anonymous, unlinked, mode 0600), some of the pickles
        # made by its own forked workers: the pickles are ours.
        return pickle.loads(data)  # noqa: S301 - our own data, see above


def pickled(value: Any) -> bytes:
    """`value` as a spool stores it."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class SpooledRows(Sequence[T]):
    """Values of a report, in order, each read from the spool when it is asked for."""

    def __init__(self, spool: Spool, offsets: Sequence[int]) -> None:
        self._spool = spool
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> SpooledRows[T]: ...

    def __getitem__(self, index: int | slice) -> T | SpooledRows[T]:
        if isinstance(index, slice):
            return SpooledRows(self._spool, self._offsets[index])
        row: T = self._spool.get(self._offsets[index])
        return row

    def __iter__(self) -> Iterator[T]:
        for offset in self._offsets:
            yield self._spool.get(offset)


class SpooledPlans(Mapping[str, T]):
    """A value per subject (its plan, say), read from the spool when it is asked for."""

    def __init__(self, spool: Spool, offsets: dict[str, int]) -> None:
        self._spool = spool
        self._offsets = offsets

    def __getitem__(self, subject: str) -> T:
        value: T = self._spool.get(self._offsets[subject])
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

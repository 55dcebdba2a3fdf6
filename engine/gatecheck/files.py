"""Writing a file so that no reader sees half of it and no two writers lose an update.

A write goes to a temporary file beside the target, is flushed and synced, and is renamed over the
target (then the directory is synced): a crash leaves the old file or the new one, never a mix.
Writers serialise on a lock file in the directory the file really is in (`filelock`: flock on
POSIX), so a read-modify-write under `locked` sees every earlier write, whichever path (through
a symbolic link) it came by. A file with several hard links is not written: a rename would give
one name the new content and leave the others with the old.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from typing import TYPE_CHECKING, BinaryIO

from gatecheck.errors import InvalidInput, Location, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

LOCK_NAME = ".gatecheck.lock"  # not *.yaml: never read as evidence
TEMP_SUFFIX = ".tmp"
DEFAULT_LOCK_TIMEOUT = 10.0  # seconds; GATECHECK_LOCK_TIMEOUT overrides it


def lock_timeout() -> float:
    try:
        seconds = float(os.environ.get("GATECHECK_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return seconds if seconds >= 0 else DEFAULT_LOCK_TIMEOUT


@contextlib.contextmanager
def locked(directory: str, display: str) -> Iterator[None]:
    """Hold the edit lock of `directory` (shown to users as `display`) while the block runs."""
    from filelock import FileLock, Timeout

    timeout = lock_timeout()
    lock = FileLock(os.path.join(directory, LOCK_NAME), timeout=timeout)
    try:
        # filelock polls a non-blocking flock: at its default 50 ms, a writer that releases and
        # takes the lock again in a loop (a collector editing file after file) can starve another
        # writer until its timeout. A 5 ms poll costs a failed system call per poll, only while
        # waiting.
        lock.acquire(poll_interval=0.005)
    except Timeout:
        raise InvalidInput(
            [
                Problem(
                    "lock-timeout",
                    f"another gatecheck is editing {display} (waited {timeout:g} s for its lock)",
                    Location(f"{display}/{LOCK_NAME}", 0, 0),
                    "try again when it has finished (GATECHECK_LOCK_TIMEOUT sets the wait, in "
                    "seconds)",
                )
            ]
        ) from None
    except OSError as error:
        raise InvalidInput([unwritable(f"{display}/{LOCK_NAME}", error)]) from None
    try:
        yield
    finally:
        lock.release()


def write_atomically(path: str, data: bytes, display: str) -> None:
    """Replace (or create) `path` with `data`; an existing file keeps its permissions and group."""
    directory = os.path.dirname(path) or "."
    try:
        original: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        original = None
    except OSError as error:  # pragma: no cover - a directory we may list but not look into
        raise InvalidInput([unwritable(display, error)]) from None
    if original is not None and original.st_nlink > 1:
        raise InvalidInput([_hard_linked(display, original.st_nlink)])
    try:
        temp, handle = _create_temp(directory, os.path.basename(path))
    except OSError as error:
        raise InvalidInput([unwritable(display, error)]) from None
    try:
        with handle:
            if original is not None:
                os.chmod(temp, stat.S_IMODE(original.st_mode))
                _keep_group(temp, original)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise InvalidInput([unwritable(display, error)]) from None
        raise
    _sync_directory(directory)


def unwritable(display: str, error: OSError) -> Problem:
    return Problem(
        "unwritable",
        f"cannot write: {error.strerror or type(error).__name__}",
        Location(display, 0, 0),
        "check that the directory exists and that you may write to it",
    )


def _hard_linked(display: str, links: int) -> Problem:
    return Problem(
        "unwritable",
        f"the file has {links} hard links: replacing it would split them, the other names keeping"
        " the old content",
        Location(display, 0, 0),
        "keep one file and make the other names symbolic links to it",
    )


def _create_temp(directory: str, name: str) -> tuple[str, BinaryIO]:
    """A new, empty file beside the target; hidden and not *.yaml, so no run reads it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = os.path.join(directory, f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            descriptor = os.open(temp, flags, 0o666)  # the umask applies, as to any new file
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        return temp, open(descriptor, "wb")  # the caller closes it


def _keep_group(path: str, original: os.stat_result) -> None:
    chown = getattr(os, "chown", None)
    if chown is not None and os.stat(path).st_gid != original.st_gid:
        with contextlib.suppress(OSError):  # only the owner of the group may hand it on
            chown(path, -1, original.st_gid)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a directory, and needs not."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - file systems that cannot sync a directory: it is renamed
        pass
    finally:
        os.close(descriptor)

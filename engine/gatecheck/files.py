"""Writing a file so that no reader sees half of it and no two writers lose an update.

A write goes to a temporary file beside the target, is flushed and synced, and is renamed over the
target (then the directory is synced): a crash leaves the old file or the new one, never a mix.
Writers serialise on a lock file in the directory the file really is in (`filelock`: flock on
POSIX), so a read-modify-write under `locked` sees every earlier write, whichever path (through
a symbolic link) it came by. A file with several hard links is not written: a rename would give
one name the new content and leave the others with the old. `replace_file` is the one atomic write:
evidence edits, exported schemas and the validation cache's entries all go through it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Location, Problem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

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

    def keep_mode_and_group(descriptor: int) -> None:
        if original is not None:
            _keep_mode(descriptor, original)
            _keep_group(descriptor, original)

    try:
        replace_file(directory, os.path.basename(path), data, prepare=keep_mode_and_group)
    except OSError as error:
        raise InvalidInput([unwritable(display, error)]) from None


def replace_file(  # noqa: PLR0913 - the three options are keyword-only
    directory: str | int,
    name: str,
    data: bytes,
    *,
    mode: int = 0o666,
    durable: bool = True,
    prepare: Callable[[int], None] | None = None,
) -> None:
    """Replace (or create) `name` in `directory` with `data`: a reader sees old bytes or new.

    The one atomic write. `directory` is a path, or an open descriptor that names are resolved
    against (the cache's: no path is looked up twice). The bytes go to a temporary file beside the
    target, created exclusively (with `mode`, less the umask), never through a symbolic link,
    under an unpredictable name (hidden, not *.yaml: no run reads it), then renamed over `name`.
    `prepare` gets the temporary file's descriptor before the write (to copy permissions).
    `durable` syncs the file and the directory, so a crash leaves the old file or the new one.
    Raises OSError; the temporary file is removed whatever failed.
    """
    dir_fd = directory if isinstance(directory, int) else None
    temp, descriptor = _create_temp(directory, name, mode)
    try:
        with open(descriptor, "wb") as handle:  # closes the descriptor
            if prepare is not None:
                prepare(descriptor)
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(descriptor)
        if dir_fd is None:
            os.replace(temp, os.path.join(str(directory), name))
        else:
            os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=dir_fd)
        raise
    if durable:
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


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_TEMP_TRIES = 3  # names are 64 random bits: a second collision means a name planted in advance


def _create_temp(directory: str | int, name: str, mode: int) -> tuple[str, int]:
    """A new, empty file beside `name`: its name (a path if `directory` is one) and descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    dir_fd = directory if isinstance(directory, int) else None
    for attempt in range(_TEMP_TRIES):
        # os.urandom, looked up at each call: a test may make the names predictable.
        temp = f".{name}.{os.urandom(8).hex()}{TEMP_SUFFIX}"
        if dir_fd is None:
            temp = os.path.join(str(directory), temp)
        try:
            return temp, os.open(temp, flags, mode, dir_fd=dir_fd)
        except FileExistsError:
            if attempt + 1 == _TEMP_TRIES:
                raise
    raise AssertionError  # pragma: no cover - the loop returns or raises


def _keep_mode(descriptor: int, original: os.stat_result) -> None:
    if os.chmod in os.supports_fd:  # POSIX; on Windows a read-only file cannot be replaced anyway
        os.chmod(descriptor, stat.S_IMODE(original.st_mode))


def _keep_group(descriptor: int, original: os.stat_result) -> None:
    chown = getattr(os, "chown", None)
    if chown is not None and os.fstat(descriptor).st_gid != original.st_gid:
        with contextlib.suppress(OSError):  # only the owner of the group may hand it on
            chown(descriptor, -1, original.st_gid)


def _sync_directory(directory: str | int) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a directory, and needs not."""
    if isinstance(directory, int):
        with contextlib.suppress(OSError):  # pragma: no cover - a file system that cannot: renamed
            os.fsync(directory)
        return
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

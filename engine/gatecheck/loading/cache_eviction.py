"""Keeping the cache under its size bound: the least recently used entries go first."""

from __future__ import annotations

import contextlib
import os

from gatecheck.loading.cache_trust import CLOEXEC, NOFOLLOW

# The bundled policies take ~100 KiB: room for thousands of versions. The bound must also hold the
# largest policy a run may load, or it is evicted as soon as it is written and every run compiles
# it again: a 1,000,000-step policy (bench/plan_scale.py) is 140 MB compiled.
MAX_BYTES = 256 * 1024 * 1024
EVICT_TO = 3 / 4  # once over MAX_BYTES, the oldest entries go until this share of it is left
SCANNED = ".scanned"  # its mtime: when the size was last checked
SCAN_EVERY = 3600  # seconds

_evicted: set[str] = set()  # directories checked for size in this process


def evict_once(directory: int) -> None:
    """Keep the directory under MAX_BYTES, the least recently used entries going first.

    A scan costs ~8 us an entry (a full cache of small entries: ~0.1 s), so it runs after the
    first write of a process, and at most once an hour (`SCANNED` remembers when): the bound can
    be passed by an hour's entries at most.
    """
    import time

    identity = os.fstat(directory)
    seen = f"{identity.st_dev}:{identity.st_ino}"
    if seen in _evicted:
        return
    _evicted.add(seen)
    with contextlib.suppress(OSError):
        last = os.stat(SCANNED, dir_fd=directory, follow_symlinks=False).st_mtime
        if time.time() - last < SCAN_EVERY:
            return
    try:
        flags = os.O_WRONLY | os.O_CREAT | NOFOLLOW | CLOEXEC
        os.close(os.open(SCANNED, flags, 0o600, dir_fd=directory))
        os.utime(SCANNED, dir_fd=directory, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return
    _evict(directory)


def _evict(directory: int) -> None:
    entries = []
    total = 0
    with os.scandir(directory) as found:
        for entry in found:
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.name != SCANNED:
                    status = entry.stat(follow_symlinks=False)
                    size = max(status.st_size, getattr(status, "st_blocks", 0) * 512)
                    entries.append((status.st_mtime_ns, entry.name, size))
                    total += size
    if total <= MAX_BYTES:
        return
    for _, name, size in sorted(entries):
        if total <= MAX_BYTES * EVICT_TO:
            break
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=directory)
            total -= size

"""A content-addressed cache of validation results, so repeated runs skip the heavy validators.

Entries are keyed by a SHA-256 of everything the result depends on (gatecheck's version, the
engine's own source files by name, size and modification time, and the bytes of each input file),
so a changed file can never hit a stale entry, and an engine whose shapes changed without a new
version (a development checkout, an editable install) never reads another engine's pickles. A
cached result is trusted instead of validating, so whoever can write an entry could make a lax
compiled policy stand in for a strict one. Hence:

- every entry is authenticated: HMAC-SHA256, under a per-user secret kept outside the cache
  directory (`$XDG_STATE_HOME/gatecheck/cache-key`), over its name and contents; an entry without
  a valid tag is ignored, so a cache directory restored from elsewhere (a CI cache of another
  branch) brings nothing that is used;
- the directory must be the user's own, not a symbolic link, and writable by no one else, or the
  run goes uncached (with one note on stderr); entries are opened relative to that directory,
  never through a link; temporary files get unpredictable names, created exclusively;
- the cache is bounded (`MAX_BYTES`): the least recently used entries go first;
- `gatecheck check`, which judges a change whose own code may have run as the same user (and so
  could know the secret), reads and writes no persistent cache at all (`bypassed`): it reuses
  only what it validated itself, in memory, during the run.

Entries are pickles read back with an unpickler that admits only plain data, dates and the engine's
own value classes that the caller names, so even an authenticated entry cannot run code. The cache
is an optimisation only: any failure to read or write it is ignored. This module keys, reads and
writes entries; `cache_trust` decides whether the directory and the secret can be trusted and
tags entries; `cache_eviction` keeps the size bound.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import time
from typing import TYPE_CHECKING, Any

from gatecheck import __version__
from gatecheck.files import replace_file
from gatecheck.loading.cache_trust import CLOEXEC, NOFOLLOW, open_directory, tag

if TYPE_CHECKING:
    from collections.abc import Iterator

_ALLOWED_GLOBALS = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
}

USE_RESOLUTION = 600  # seconds: an entry's last use is recorded at most this stale
_MAGIC = b"gatecheck-cache-3\n"  # the layout of an entry: magic, tag, pickle
_TAG_BYTES = 32  # HMAC-SHA256

_bypassed = 0  # > 0 inside `bypassed()`
_this_run: dict[str, Any] = {}  # inside `bypassed()`: what this run validated, by entry name


@contextlib.contextmanager
def bypassed() -> Iterator[None]:
    """Inside: nothing is read from or written to the persistent cache.

    Results are kept in memory instead, for the rest of the block only: what this run validated
    itself it may reuse (the base's policy files are usually the working tree's, byte for byte).
    """
    global _bypassed  # noqa: PLW0603 - one switch for the process; nesting counts
    _bypassed += 1
    try:
        yield
    finally:
        _bypassed -= 1
        if not _bypassed:
            _this_run.clear()


def remembers_across_runs() -> bool:
    """Whether what is written now outlives the run (outside `bypassed()`)."""
    return not _bypassed


def digest(*parts: bytes | str) -> str:
    """A key for the cache: the hash of the engine's identity and every part, length-prefixed."""
    hasher = _hash_of(_engine_identity()).copy()
    for part in parts:
        raw = part.encode(errors="surrogateescape") if isinstance(part, str) else part
        hasher.update(len(raw).to_bytes(8, "little"))
        hasher.update(raw)
    return hasher.hexdigest()


@functools.lru_cache(maxsize=2)
def _hash_of(identity: bytes) -> hashlib._Hash:
    """The hash of the engine's identity alone (kilobytes): every key starts from a copy."""
    return hashlib.sha256(identity)


@functools.cache
def _engine_identity() -> bytes:
    """The version and the engine modules' names, sizes and modification times (a stat each)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return source_identity(package, __version__)


def source_identity(package: str, version: str) -> bytes:
    """`version`, and every `.py` file under `package` by relative name, size and mtime.

    Listed with `os.scandir`, skipping `__pycache__` (as many names again, none of them source):
    every run pays for this, about 1.5 ms for the engine's 260 modules.
    """
    parts = [version]
    pending = [""]
    while pending:
        where = pending.pop()
        with os.scandir(package + where) as listed:
            entries = sorted(listed, key=lambda entry: entry.name, reverse=True)
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                found = entry.stat()
                parts.append(f"{where}/{entry.name}:{found.st_size}:{found.st_mtime_ns}")
            elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                pending.append(f"{where}/{entry.name}")
    return "\n".join(parts).encode(errors="surrogateescape")


class _DataOnly(pickle.Unpickler):
    def __init__(self, handle: Any, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(handle)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS or (module, name) in self.allowed:
            return super().find_class(module, name)
        msg = f"{module}.{name} is not allowed in the cache"
        raise pickle.UnpicklingError(msg)


def entry_name(kind: str, key: str) -> str:
    """The file name of an entry inside the cache directory."""
    if not (kind.isalpha() and key.isalnum() and kind.isascii() and key.isascii()):
        msg = f"not a cache entry name: {kind!r}, {key!r}"
        raise ValueError(msg)
    return f"{kind}-{key}"


def read(kind: str, key: str, allowed: frozenset[tuple[str, str]] = frozenset()) -> Any | None:
    """The entry stored under `key`, or None; it may name only dates and the `allowed` globals."""
    if _bypassed:
        return _this_run.get(entry_name(kind, key))
    opened = open_directory()
    if opened is None:
        return None
    directory, secret = opened
    collecting = gc.isenabled()
    gc.disable()  # unpickling builds many objects; cyclic collection in between triples its cost
    try:
        name = entry_name(kind, key)
        raw = _read_entry(directory, name)
        if raw is None or not raw.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + _TAG_BYTES
        import hmac

        if not hmac.compare_digest(raw[len(_MAGIC) : start], tag(secret, name, raw[start:])):
            return None
        import io

        return _DataOnly(io.BytesIO(raw[start:]), allowed).load()
    except Exception:  # noqa: BLE001 - any damage to an entry means "not cached", never a crash
        return None
    finally:
        if collecting:
            gc.enable()


def write(kind: str, key: str, value: Any) -> None:
    """Store `value` atomically (`files.replace_file`, in the open directory); never fails."""
    if _bypassed:
        _this_run[entry_name(kind, key)] = value
        return
    opened = open_directory(create=True)
    if opened is None:
        return
    directory, secret = opened
    try:
        name = entry_name(kind, key)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        # Not synced: an entry a crash cuts short fails its tag, and is validated again.
        entry = _MAGIC + tag(secret, name, payload) + payload
        replace_file(directory, name, entry, mode=0o600, durable=False)
        from gatecheck.loading.cache_eviction import evict_once  # only a run that wrote

        evict_once(directory)
    except (OSError, ValueError, pickle.PicklingError):
        pass  # a cache that cannot be written is a slower run, never a failed one


def _read_entry(directory: int, name: str) -> bytes | None:
    try:
        handle = os.open(name, os.O_RDONLY | NOFOLLOW | CLOEXEC, dir_fd=directory)
    except OSError:
        return None
    try:
        import stat

        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            return None
        with open(handle, "rb", closefd=False) as stream:
            raw = stream.read()
        # Its use, for eviction (least recently used first), to within USE_RESOLUTION: a batch
        # reads an entry a file, and refreshing each one's mtime costs a system call that writes.
        if time.time() - found.st_mtime > USE_RESOLUTION:
            with contextlib.suppress(OSError):
                os.utime(handle)
        return raw
    finally:
        os.close(handle)

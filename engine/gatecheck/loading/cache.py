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
is an optimisation only: any failure to read or write it is ignored.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import sys
from typing import TYPE_CHECKING, Any

from gatecheck import __version__
from gatecheck.files import replace_file

if TYPE_CHECKING:
    from collections.abc import Iterator

_ALLOWED_GLOBALS = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
}

MAX_BYTES = 64 * 1024 * 1024  # the bundled policies take ~100 KiB: room for hundreds of versions
EVICT_TO = 3 / 4  # once over MAX_BYTES, the oldest entries go until this share of it is left
_MAGIC = b"gatecheck-cache-3\n"  # the layout of an entry: magic, tag, pickle
_TAG_BYTES = 32  # HMAC-SHA256
_SECRET_BYTES = 32
_SCANNED = ".scanned"  # its mtime: when the size was last checked
SCAN_EVERY = 3600  # seconds

# Flags that no platform lacks where the cache is on (see `_supported`): 0 where they are absent.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

_bypassed = 0  # > 0 inside `bypassed()`
_this_run: dict[str, Any] = {}  # inside `bypassed()`: what this run validated, by entry name
_secrets: dict[str, bytes | None] = {}  # the secret read from each key file, once per process
_noted: set[str] = set()  # directories refused, said once each on stderr
_evicted: set[str] = set()  # directories checked for size in this process


def cache_dir() -> str | None:
    """The cache directory, or None when caching is switched off (`GATECHECK_NO_CACHE=1`)."""
    if os.environ.get("GATECHECK_NO_CACHE", "") not in {"", "0"}:
        return None
    explicit = os.environ.get("GATECHECK_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gatecheck")


def key_file() -> str:
    """Where the secret that authenticates entries is kept: with the user's state, not the cache."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return os.path.join(base, "gatecheck", "cache-key")


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


def digest(*parts: bytes | str) -> str:
    """A key for the cache: the hash of the engine's identity and every part, length-prefixed."""
    hasher = hashlib.sha256(_engine_identity())
    for part in parts:
        raw = part.encode(errors="surrogateescape") if isinstance(part, str) else part
        hasher.update(len(raw).to_bytes(8, "little"))
        hasher.update(raw)
    return hasher.hexdigest()


@functools.cache
def _engine_identity() -> bytes:
    """The version and the engine modules' names, sizes and modification times (a stat each)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return source_identity(package, __version__)


def source_identity(package: str, version: str) -> bytes:
    """`version`, and every `.py` file under `package` by relative name, size and mtime."""
    parts = [version]
    for directory, _, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                found = os.stat(os.path.join(directory, name))
                where = f"{directory[len(package) :]}/{name}"
                parts.append(f"{where}:{found.st_size}:{found.st_mtime_ns}")
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


def tag(secret: bytes, name: str, payload: bytes) -> bytes:
    """The HMAC-SHA256 of an entry: its name and pickle, so no entry stands in for another."""
    import hmac

    return hmac.digest(secret, name.encode() + b"\0" + payload, "sha256")


def read(kind: str, key: str, allowed: frozenset[tuple[str, str]] = frozenset()) -> Any | None:
    """The entry stored under `key`, or None; it may name only dates and the `allowed` globals."""
    if _bypassed:
        return _this_run.get(entry_name(kind, key))
    opened = _open()
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
        os.close(directory)
        if collecting:
            gc.enable()


def write(kind: str, key: str, value: Any) -> None:
    """Store `value` atomically (`files.replace_file`, in the open directory); never fails."""
    if _bypassed:
        _this_run[entry_name(kind, key)] = value
        return
    opened = _open(create=True)
    if opened is None:
        return
    directory, secret = opened
    try:
        name = entry_name(kind, key)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        # Not synced: an entry a crash cuts short fails its tag, and is validated again.
        entry = _MAGIC + tag(secret, name, payload) + payload
        replace_file(directory, name, entry, mode=0o600, durable=False)
        _evict_once(directory)
    except (OSError, ValueError, pickle.PicklingError):
        pass  # a cache that cannot be written is a slower run, never a failed one
    finally:
        os.close(directory)


def _read_entry(directory: int, name: str) -> bytes | None:
    try:
        handle = os.open(name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC, dir_fd=directory)
    except OSError:
        return None
    try:
        import stat

        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        with open(handle, "rb", closefd=False) as stream:
            raw = stream.read()
        with contextlib.suppress(OSError):  # its use, for eviction: least recently used first
            os.utime(handle)
        return raw
    finally:
        os.close(handle)


# -- the directory and the secret -----------------------------------------------------------------


def _supported() -> bool:
    """Whether files open relative to a directory and without following links (not on Windows)."""
    return os.open in os.supports_dir_fd and bool(_NOFOLLOW) and bool(_DIRECTORY)


def _open(*, create: bool = False) -> tuple[int, bytes] | None:
    """The cache directory (an open descriptor) and the secret, or None to run uncached."""
    path = cache_dir()
    if path is None or not _supported():
        return None
    if create:
        with contextlib.suppress(OSError):
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            os.mkdir(path, 0o700)  # private from the start: the check below then holds
    try:
        directory = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError as error:
        if os.path.islink(path):
            _note(path, "it is a symbolic link")
        elif not isinstance(error, FileNotFoundError):
            _note(path, error.strerror or type(error).__name__)
        return None
    refusal = _refusal(os.fstat(directory))
    secret = None if refusal is not None else _secret()
    if secret is not None and _holds_the_secret(directory):
        refusal = "it holds the key that authenticates its entries"
    if refusal is not None or secret is None:
        os.close(directory)
        if refusal is not None:
            _note(path, refusal)
        return None
    return directory, secret


def _refusal(status: os.stat_result) -> str | None:
    """Why a directory (or key file) cannot be trusted with the cache, or None."""
    if status.st_uid != os.geteuid():
        return "it belongs to another user"
    if status.st_mode & 0o022:
        return "others can write to it"
    return None


def _holds_the_secret(directory: int) -> bool:
    try:
        parent = os.stat(os.path.dirname(key_file()))
    except OSError:
        return False
    own = os.fstat(directory)
    return (parent.st_dev, parent.st_ino) == (own.st_dev, own.st_ino)


def _secret() -> bytes | None:
    """The per-user secret (created on first use, 0600), or None when it cannot be had safely."""
    path = key_file()
    if path not in _secrets:
        _secrets[path] = _read_or_create_secret(path)
    return _secrets[path]


def _read_or_create_secret(path: str) -> bytes | None:
    import stat

    try:
        handle = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except FileNotFoundError:
        return _create_secret(path)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or _refusal(status) or status.st_mode & 0o077:
            _note(path, "the key file is not the user's own, private, regular file")
            return None
        secret = os.read(handle, _SECRET_BYTES + 1)
    finally:
        os.close(handle)
    return secret if len(secret) == _SECRET_BYTES else None  # being written by another run


def _create_secret(path: str) -> bytes | None:
    secret = os.urandom(_SECRET_BYTES)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        handle = os.open(path, flags, 0o600)
    except FileExistsError:  # another run made it first: use theirs
        return _read_or_create_secret(path)
    except OSError:
        return None
    try:
        os.write(handle, secret)
    except OSError:
        return None
    finally:
        os.close(handle)
    return secret


def _note(path: str, reason: str) -> None:
    """Say once per directory why the cache is not used: runs are slower, and this is why."""
    if path in _noted:
        return
    _noted.add(path)
    from gatecheck.errors import printable

    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(
            f"gatecheck: not using the cache at {printable(path)}: {reason}; every file is "
            "validated (see 'The cache' in docs/architecture.md)\n"
        )


# -- size -----------------------------------------------------------------------------------------


def _evict_once(directory: int) -> None:
    """Keep the directory under MAX_BYTES, the least recently used entries going first.

    A scan costs ~8 us an entry (a full cache of small entries: ~0.1 s), so it runs after the
    first write of a process, and at most once an hour (`_SCANNED` remembers when): the bound can
    be passed by an hour's entries at most.
    """
    import time

    identity = os.fstat(directory)
    seen = f"{identity.st_dev}:{identity.st_ino}"
    if seen in _evicted:
        return
    _evicted.add(seen)
    with contextlib.suppress(OSError):
        last = os.stat(_SCANNED, dir_fd=directory, follow_symlinks=False).st_mtime
        if time.time() - last < SCAN_EVERY:
            return
    try:
        flags = os.O_WRONLY | os.O_CREAT | _NOFOLLOW | _CLOEXEC
        os.close(os.open(_SCANNED, flags, 0o600, dir_fd=directory))
        os.utime(_SCANNED, dir_fd=directory, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return
    _evict(directory)


def _evict(directory: int) -> None:
    entries = []
    total = 0
    with os.scandir(directory) as found:
        for entry in found:
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.name != _SCANNED:
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

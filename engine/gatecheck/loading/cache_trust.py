"""Whether the cache can be trusted: its directory, the per-user secret, and the entries' tag.

The directory must be the user's own, not a symbolic link, and writable by no one else, or the
run goes uncached (with one note on stderr). The secret that authenticates entries is kept with
the user's state, outside the cache directory (`$XDG_STATE_HOME/gatecheck/cache-key`), so a cache
directory restored from elsewhere brings no key along. See `cache` for why.
"""

from __future__ import annotations

import contextlib
import os
import sys

_SECRET_BYTES = 32

# Flags that no platform lacks where the cache is on (see `_supported`): 0 where they are absent.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

_secrets: dict[str, bytes | None] = {}  # the secret read from each key file, once per process
_noted: set[str] = set()  # directories refused, said once each on stderr


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


def tag(secret: bytes, name: str, payload: bytes) -> bytes:
    """The HMAC-SHA256 of an entry: its name and pickle, so no entry stands in for another."""
    import hmac

    return hmac.digest(secret, name.encode() + b"\0" + payload, "sha256")


def _supported() -> bool:
    """Whether files open relative to a directory and without following links (not on Windows)."""
    return os.open in os.supports_dir_fd and bool(NOFOLLOW) and bool(_DIRECTORY)


# The directory last trusted, kept open for the rest of the process: (path, key file, fd, secret).
_held: tuple[str, str, int, bytes] | None = None


def open_directory(*, create: bool = False) -> tuple[int, bytes] | None:
    """The cache directory (an open descriptor) and the secret, or None to run uncached.

    The descriptor is held open for the next call, which only checks that the path still names
    that directory and that it still passes (two system calls instead of about ten: a batch run
    reads an entry per file): the caller must not close it.
    """
    global _held  # noqa: PLW0603 - one open directory per process
    path = cache_dir()
    if path is None or not _supported():
        return None
    keys = key_file()
    held = _held
    if held is not None:
        if held[0] == path and held[1] == keys and _still_trusted(held[2], path):
            return held[2], held[3]
        _held = None
        with contextlib.suppress(OSError):
            os.close(held[2])
    opened = _open_directory(path, create=create)
    if opened is not None:
        _held = (path, keys, *opened)
    return opened


def _still_trusted(directory: int, path: str) -> bool:
    """Whether `path` still names the directory held open and that directory still passes."""
    try:
        named = os.stat(path, follow_symlinks=False)
        held = os.fstat(directory)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino) and _refusal(held) is None


def _forget_in_child() -> None:
    """A forked worker opens its own: a shared descriptor shares its offset (scandir rewinds it)."""
    global _held  # noqa: PLW0603
    if _held is not None:
        with contextlib.suppress(OSError):
            os.close(_held[2])
        _held = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def _open_directory(path: str, *, create: bool) -> tuple[int, bytes] | None:
    if create:
        with contextlib.suppress(OSError):
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            os.mkdir(path, 0o700)  # private from the start: the check below then holds
    try:
        directory = os.open(path, os.O_RDONLY | _DIRECTORY | NOFOLLOW | CLOEXEC)
    except OSError as error:
        if os.path.islink(path):
            _note(path, "it is a symbolic link")
        elif not isinstance(error, FileNotFoundError):
            _note(path, error.strerror or type(error).__name__)
        return None
    refusal = _refusal(os.fstat(directory))
    secret = None if refusal is not None else secret_key()
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


def secret_key() -> bytes | None:
    """The per-user secret (created on first use, 0600), or None when it cannot be had safely."""
    path = key_file()
    if path not in _secrets:
        _secrets[path] = _read_or_create_secret(path)
    return _secrets[path]


def _read_or_create_secret(path: str) -> bytes | None:
    import stat

    try:
        handle = os.open(path, os.O_RDONLY | NOFOLLOW | CLOEXEC)
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
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
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

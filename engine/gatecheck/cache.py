"""A content-addressed cache of validation results, so repeated runs skip the heavy validators.

Entries are keyed by a SHA-256 of everything the result depends on (gatecheck's version and the
bytes of each input file), so a changed file can never hit a stale entry. Entries are pickles read
back with an unpickler that admits only plain data, dates and the engine's own value classes that
the caller names: a tampered entry cannot run code.
The cache is an optimisation only: any failure to read or write it is ignored.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
from typing import Any

from gatecheck import __version__

_ALLOWED_GLOBALS = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
}


def cache_dir() -> str | None:
    """The cache directory, or None when caching is switched off (`GATECHECK_NO_CACHE=1`)."""
    if os.environ.get("GATECHECK_NO_CACHE", "") not in {"", "0"}:
        return None
    explicit = os.environ.get("GATECHECK_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gatecheck")


def digest(*parts: bytes | str) -> str:
    """A key for the cache: the hash of gatecheck's version and every part, length-prefixed."""
    hasher = hashlib.sha256(__version__.encode())
    for part in parts:
        raw = part.encode(errors="surrogateescape") if isinstance(part, str) else part
        hasher.update(len(raw).to_bytes(8, "little"))
        hasher.update(raw)
    return hasher.hexdigest()


class _DataOnly(pickle.Unpickler):
    def __init__(self, handle: Any, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(handle)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS or (module, name) in self.allowed:
            return super().find_class(module, name)
        msg = f"{module}.{name} is not allowed in the cache"
        raise pickle.UnpicklingError(msg)


def read(kind: str, key: str, allowed: frozenset[tuple[str, str]] = frozenset()) -> Any | None:
    """The entry stored under `key`, or None; it may name only dates and the `allowed` globals."""
    directory = cache_dir()
    if directory is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling builds many objects; cyclic collection in between triples its cost
    try:
        with open(os.path.join(directory, kind, key), "rb") as handle:
            return _DataOnly(handle, allowed).load()
    except Exception:  # noqa: BLE001 - any damage to an entry means "not cached", never a crash
        return None
    finally:
        if collecting:
            gc.enable()


def write(kind: str, key: str, value: Any) -> None:
    """Store `value` atomically (temporary file, then rename); never fails the run."""
    directory = cache_dir()
    if directory is None:
        return
    target_dir = os.path.join(directory, kind)
    temporary = os.path.join(target_dir, f".{key}.{os.getpid()}.tmp")
    try:
        os.makedirs(target_dir, exist_ok=True)
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, os.path.join(target_dir, key))
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)

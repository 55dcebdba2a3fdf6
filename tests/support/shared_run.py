"""What a test run makes once and shares between its tests, and between its xdist workers."""

from __future__ import annotations

import fcntl
import os
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import pytest


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's temporary directory: the same for every xdist worker of the run."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The directory `name` of this run, filled by `make` the first time any worker asks for it.

    The other workers wait on a lock until it is made; one whose `make` failed left no mark
    saying it was done, so the next asking runs `make` again (and fails the same way, visibly).
    """
    shared = run_directory(tmp_path_factory)
    directory = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / f"{name}.made").exists():
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir()
            make(directory)
            (shared / f"{name}.made").touch()
    return directory

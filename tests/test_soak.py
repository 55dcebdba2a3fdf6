"""bench/soak.py --quick: killing `record` at random damages no file; two writers lose nothing.

The full 1,000-kill run and its numbers are in docs/reliability.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.support.project import REPO

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.slow  # ~30 s: 20 kills of the installed script, 3 pairs of writers
@pytest.mark.installed
def test_quick_soak_finds_no_corrupt_file_no_lost_update_and_no_held_lock(tmp_path: Path) -> None:
    report = tmp_path / "soak.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "soak.py"), "--quick", "--json", str(report)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(report.read_text())
    assert result["failures"] == []
    assert result["corrupt"] == 0
    assert result["lost_updates"] == 0
    assert result["lock_held_after_kill"] == 0
    assert result["iterations"] == 20
    assert result["pairs"] == 3
    assert (
        sum(
            result["outcomes"].get(k, 0)
            for k in (
                "finished before the kill",
                "killed before the write",
                "killed during the write: old file",
                "killed after the write: new value",
            )
        )
        == 20
    )
    assert result["verified_next_runs"] == 2

"""The installed `gatecheck` script and `python -m gatecheck`, run as a user would, in subprocesses.

The last test runs this checkout's wheel (built once a run: conftest's `wheel_site`) from an empty
directory, where only the data packaged in the wheel can answer: what `pip install gatecheck` gives.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.installed import SCRIPT
from tests.support.project import REPO

pytestmark = pytest.mark.installed


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False, env=env
    )


def test_script_is_installed() -> None:
    assert SCRIPT.exists(), "install the project (pip install -e .) before running the tests"


def test_script_evaluates_the_bundled_example_from_an_empty_directory(tmp_path: Path) -> None:
    result = run(str(SCRIPT), "evaluate", "foo-bar", "--now", "2026-11-25", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "<bundled>/evidence/foo-bar.yaml" in result.stdout
    assert "FAIL     phase-4" in result.stdout
    assert result.stdout.rstrip().endswith("0 waived)")


def test_script_reports_bad_input_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.yaml").write_bytes(b"name: p\nname: q\n")
    result = run(str(SCRIPT), "validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("policies/p.yaml:2:1: error: key 'name' appears twice")
    assert "Traceback" not in result.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    result = run(
        sys.executable, "-m", "gatecheck", "plan", "foo-bar", "--format", "json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["subject"] == "foo-bar"


def test_script_in_the_repository_validates_everything() -> None:
    result = run(str(SCRIPT), "validate", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_wheel_carries_policies_schemas_and_evidence(tmp_path: Path, wheel_site: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(wheel_site)}
    where = run(
        sys.executable, "-c", "import gatecheck; print(gatecheck.__file__)", cwd=empty, env=env
    )
    assert where.stdout.startswith(str(wheel_site)), where.stdout  # the wheel, not the checkout
    result = run(
        sys.executable,
        "-m",
        "gatecheck",
        "evaluate",
        "--all",
        "--now",
        "2026-11-25",
        "--format",
        "json",
        cwd=empty,
        env=env,
    )
    assert result.returncode in {0, 1}, result.stderr
    subjects = [s["subject"] for s in json.loads(result.stdout)["subjects"]]
    assert "foo-bar" in subjects
    validate = run(sys.executable, "-m", "gatecheck", "validate", cwd=empty, env=env)
    assert validate.returncode == 0, validate.stderr
    assert "wasi-component-functionality@1" in validate.stdout
    # `gatecheck init`'s examples are package data too: each project it writes is whole
    for example in ("release", "wasm-proposal", "blank"):
        made = run(sys.executable, "-m", "gatecheck", "init", example, "--example", example,
                   cwd=empty, env=env)  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert ".github/workflows/gatecheck.yml" in made.stdout
        valid = run(sys.executable, "-m", "gatecheck", "validate", cwd=empty / example, env=env)
        assert valid.returncode == 0, valid.stderr

"""The promise behind a fast `evaluate`: once validated, a run imports none of the heavy libraries.

Not even the YAML parser: a file read again is served from the cache by its bytes.

Measured with `python -X importtime`, which names every module as it is imported, so the check
holds however the process ends (the CLI leaves through `os._exit`).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.installed

HEAVY = ("ruamel", "pydantic", "jsonschema", "networkx", "re2", "filelock", "junitparser", "jinja2")


def _imported(cwd: Path, env: dict[str, str], *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gatecheck", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode in {0, 1}, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in lines}
    return names - {"package"}  # the header line's column title


@pytest.fixture
def run_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATECHECK_")}
    env["GATECHECK_CACHE_DIR"] = str(tmp_path / "cache")
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    return env


# Every subject (`--all`) reaches rules that use `matches`: RE2 is then the evaluation itself.
@pytest.mark.parametrize(
    ("args", "needed"),
    [
        (("evaluate", "foo-bar"), set()),
        (("status",), set()),
        (("evaluate", "--all", "--format", "json"), {"re2"}),
    ],
)
def test_a_cached_run_imports_no_heavy_library(
    tmp_path: Path, run_env: dict[str, str], args: tuple[str, ...], needed: set[str]
) -> None:
    first = _imported(tmp_path, run_env, *args)
    assert {"ruamel", "pydantic", "jsonschema"} <= first  # the first run parses and validates
    cached = _imported(tmp_path, run_env, *args)
    assert "gatecheck" in cached
    assert sorted(cached & set(HEAVY)) == sorted(needed)


def test_without_a_cache_the_heavy_validators_are_imported(
    tmp_path: Path, run_env: dict[str, str]
) -> None:
    run_env["GATECHECK_NO_CACHE"] = "1"
    for _ in range(2):
        assert {"pydantic", "jsonschema"} <= _imported(tmp_path, run_env, "evaluate", "foo-bar")

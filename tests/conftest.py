"""Shared fixtures: a CLI runner, an isolated cache per test, the --update-goldens switch, and the
wheel of this checkout, installed once a run."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from tests.support.project import POLICY_HEAD, REPO, SHARED, Run, write_project
from tests.support.shared_run import made_once

from gatecheck.cli.group import cli

if TYPE_CHECKING:
    from pathlib import Path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite expected outputs of golden tests (review the diff before committing)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the `slow` tests first, then the `installed` ones, each group in collection order.

    With `-n 2` (.ci/run) a worker takes tests in this order: a minute-long test left to the end
    of the run finishes alone while the other worker idles, and a `slow` test at the start runs
    beside the many short ones instead. The order of the tests says nothing else (each has its
    own cache and directories), so only the wall time changes. The pre-commit tests, which share
    one hook virtualenv built by whichever asks first (test_ci_packaging's `run_hooks`), follow
    the other slow tests: started first, on both workers at once, one would wait for the other's
    build instead of working.
    """

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 1 if "run_hooks" in getattr(item, "fixturenames", ()) else 0
        return 2 if item.get_closest_marker("installed") else 3

    items.sort(key=rank)  # stable: collection order within each group


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout built into a wheel and installed (no dependencies) into a directory of its
    own, once a run: a test puts that directory on PYTHONPATH to run what `pip install` gives."""
    import subprocess
    import sys

    def build_and_install(directory: Path) -> None:
        def pip(*args: str) -> None:
            done = subprocess.run(
                [sys.executable, "-m", "pip", *args, "--no-deps", "--quiet"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, done.stderr

        pip("wheel", "-w", str(directory / "wheels"), str(REPO))
        (wheel,) = (directory / "wheels").glob("gatecheck-*.whl")
        pip("install", "--target", str(directory / "site"), str(wheel))

    return made_once(tmp_path_factory, "wheel", build_and_install) / "site"


@pytest.fixture(autouse=True)
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets an empty cache, so no result depends on an earlier test."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("GATECHECK_CACHE_DIR", str(directory))
    # and its own key: the user's is never read or created by the tests
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.delenv("GATECHECK_NO_CACHE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return directory


@pytest.fixture
def run_cli():
    """Invoke the CLI in-process through click's runner; exceptions propagate (no masking)."""

    def invoke(*args: str) -> Run:
        result = CliRunner().invoke(cli, list(args), prog_name="gatecheck", catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shared fixture project (a small `release` policy and its evidence)."""
    root = tmp_path / "project"
    shutil.copytree(SHARED, root)
    return root


@pytest.fixture
def judge(tmp_path: Path):
    """Evaluate inline YAML: judge(rules, facts, steps=..., now=...) -> SubjectResult."""
    import datetime as dt

    from gatecheck.commands.evaluate import evaluate_subjects
    from gatecheck.project.layout import open_project

    counter = iter(range(10_000))

    def run(
        rules: str,
        facts: str,
        *,
        steps: str = "",
        extra: str = "",
        envelope: str = "",
        now: dt.date = dt.date(2026, 3, 5),
    ):
        root = tmp_path / f"p{next(counter)}"
        policy = POLICY_HEAD + extra + (f"steps:\n{steps}" if steps else "")
        policy += f"gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n{rules}"
        evidence = f"subject: s\npolicy: t\n{envelope}facts:\n{facts}"
        write_project(root, policy, {"s": evidence})
        report = evaluate_subjects(open_project(str(root)), ["s"], every=False, gate=None, now=now)
        return report.subjects[0]

    return run

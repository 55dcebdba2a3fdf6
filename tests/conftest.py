"""Shared fixtures: a CLI runner, an isolated cache per test, and the --update-goldens switch."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from gatecheck.cli.group import cli

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
SHARED = CASES / "_shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite expected outputs of golden tests (review the diff before committing)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


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


class Run(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str


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


PERMISSIVE_SCHEMA = '{"type": "object"}'


def write_project(
    root: Path, policy: str, evidence: dict[str, str], schema: str | None = None
) -> Path:
    """A project with one policy named `t` (facts schema permissive unless given) and evidence."""
    (root / "policies").mkdir(parents=True)
    (root / "evidence").mkdir()
    (root / "schemas").mkdir()
    (root / "policies" / "t.yaml").write_text(policy)
    (root / "schemas" / "t.facts.schema.json").write_text(schema or PERMISSIVE_SCHEMA)
    for subject, text in evidence.items():
        (root / "evidence" / f"{subject}.yaml").write_text(text)
    return root


POLICY_HEAD = """\
name: t
version: 1
title: Test policy
source: {title: tests}
facts_schema: t.facts.schema.json
"""


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

"""The repository's paths, the shared fixture project, and small projects written by a test."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent.parent
CASES = REPO / "tests" / "cases"
SHARED = CASES / "_shared"


class Run(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str


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

"""Run the hostile-input corpus (tests/hostile/generate.py): exit 2, located, fast, nothing written.

Every case is one project in tmp_path whose file of interest was replaced by hostile bytes. The CLI
runs in-process (click's runner, exceptions propagate, so a traceback fails the case); its first
line on stderr must name a file (and line:column where there is one) and a problem code; it must
not hang (a per-test timeout: speed is measured by bench/, not asserted here), and the project must
hold exactly the same files and bytes afterwards.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import pytest
from tests.hostile.generate import TARGETS, Case, base_files, cases

if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.project import Run

LOCATED = re.compile(r"^[^:\n]+(:\d+:\d+)?: error: .* \[[a-z0-9-]+\]")
HANG = 60  # seconds: each case takes well under one; only a hang or a blow-up comes near this
CASES = cases()


def _snapshot(root: Path) -> dict[str, str]:
    """Every entry under root: a symlink's target or a file's sha256 (directories by name)."""
    seen = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            seen[name] = "-> " + str(path.readlink())
        elif path.is_dir():
            seen[name] = "dir"
        else:
            seen[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


def _project(case: Case, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    files = base_files()
    if case.content is not None:
        files[TARGETS[case.target][0]] = case.content
    for name, content in {**files, **case.extra}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if case.setup is not None:
        case.setup(root)
    return root


@pytest.mark.timeout(HANG)
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason=c.xfail))
        if c.xfail
        else pytest.param(c, id=c.id)
        for c in CASES
    ],
)
def test_hostile(case: Case, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(case, tmp_path)
    monkeypatch.setenv("GATECHECK_NO_CACHE", "1")
    monkeypatch.chdir(root)
    args = [a.replace("{root}", str(root)) for a in (case.args or TARGETS[case.target][1])]
    before = _snapshot(tmp_path)
    result: Run = run_cli(*args, "--root", str(root))
    first = result.stderr.split("\n", 1)[0]
    assert "Traceback" not in result.stderr
    assert (result.exit_code, bool(LOCATED.match(first))) == (2, True), (
        f"exit {result.exit_code}: {first[:300]!r}\n{result.stdout[:500]}"
    )
    assert _snapshot(tmp_path) == before, "the run changed the project"


@pytest.mark.timeout(HANG)
@pytest.mark.parametrize("pattern", ["^(a+)+$", "(x+x+)+y", "^(a|a)*(b|aa)*$", "(.*a){20}"])
def test_catastrophic_matches_is_linear(
    pattern: str, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid `matches` pattern that backtracks exponentially in `re` runs in linear time (RE2)."""
    files = base_files()
    policy, evidence = TARGETS["policy"][0], TARGETS["evidence"][0]
    files[policy] = files[policy].replace(
        b"{fact: docs, eq: true}", b"{fact: version, matches: '" + pattern.encode() + b"'}"
    )
    files[evidence] = files[evidence].replace(
        b"  docs: false", b"  docs: false\n  version: " + b"a" * 100_000 + b"!"
    )
    root = _project(Case("regex", "regex", "policy", extra=files), tmp_path)
    monkeypatch.setenv("GATECHECK_NO_CACHE", "1")
    before = _snapshot(tmp_path)
    result: Run = run_cli("plan", "lib", "--format", "json", "--root", str(root))
    assert result.exit_code == 0, result.stderr
    assert '"step": "docs"' in result.stdout
    assert _snapshot(tmp_path) == before

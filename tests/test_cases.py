"""Golden scenarios: run the CLI on a fixture project and compare every byte of its output.

Each directory under tests/cases/ (except _shared) is one scenario:
  args         the command line, one argument per line; `{repo}` is the repository root
  project/     files laid over a copy of _shared/ (an empty file named `X.removed` deletes X)
  expected.out, expected.err, exit_code
Regenerate with `pytest tests/test_cases.py --update-goldens` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest
from tests.support.project import CASES, REPO, SHARED

if TYPE_CHECKING:
    from pathlib import Path

SCENARIOS = sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _prepare(case: Path, tmp_path: Path) -> tuple[list[str], Path]:
    args = [line.replace("{repo}", str(REPO)) for line in (case / "args").read_text().splitlines()]
    root = tmp_path / "project"
    shutil.copytree(SHARED, root)
    overlay = case / "project"
    if overlay.is_dir():
        for source in sorted(overlay.rglob("*")):
            target = root / source.relative_to(overlay)
            if source.name.endswith(".removed"):
                target.with_name(source.name.removesuffix(".removed")).unlink()
            elif source.is_dir():
                target.mkdir(exist_ok=True)
            else:
                shutil.copyfile(source, target)
    if "--root" not in args:
        args += ["--root", str(root)]
    return args, root


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario(name: str, tmp_path: Path, run_cli, update_goldens: bool) -> None:
    case = CASES / name
    args, root = _prepare(case, tmp_path)
    result = run_cli(*args)
    # A case that names the repository's own files shows where they are: the same in any clone
    # once the checkout's place (absolute, or relative to the temporary project) is `{repo}`
    where = (os.path.relpath(REPO, root), str(REPO))
    actual = {
        "expected.out": _placed(result.stdout, where),
        "expected.err": _placed(result.stderr, where),
        "exit_code": f"{result.exit_code}\n",
    }
    if update_goldens:
        for file, text in actual.items():
            (case / file).write_text(text)
    for file, text in actual.items():
        assert text == (case / file).read_text(), f"{name}/{file} differs"
    assert "Traceback" not in result.stderr


def _placed(text: str, where: tuple[str, ...]) -> str:
    for path in where:
        text = text.replace(path, "{repo}")
    return text

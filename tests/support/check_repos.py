"""Git repositories for `gatecheck check`: main holds the shared project, HEAD is a branch."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from tests.support.git import MAINTAINER, commit, git
from tests.support.project import SHARED

if TYPE_CHECKING:
    from pathlib import Path

NOW = "2026-03-01"

# The shared `lib` evidence, changed so that every rule of gate `ship` holds.
PASSING = """\
subject: lib
policy: release
as_of: 2026-03-01
facts:
  build: {ok: true}
  tests: {passed: 120, failed: 0}
  docs: true
  beta: {since: 2026-02-01}
  platforms: {linux: true, macos: true, windows: false}
attestations:
  - {judgement: changelog-reviewed, by: ana, date: 2026-02-27}
claims: []
"""


def new_repository(root: Path) -> Path:
    """A repository: main holds the shared project with passing evidence; HEAD is a branch."""
    shutil.copytree(SHARED, root)
    (root / "evidence" / "lib.yaml").write_text(PASSING)
    git(root, "init", "-q", "-b", "main")
    commit(root, "start", author=MAINTAINER)
    git(root, "checkout", "-q", "-b", "change")
    return root

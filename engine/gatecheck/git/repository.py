"""The git work tree `check` judges: opening it, its refs, what differs from a commit, blame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.git.blame import blame
from gatecheck.git.changes import unvouched
from gatecheck.git.objects import ObjectReader
from gatecheck.git.process import fail

if TYPE_CHECKING:
    from gatecheck.git.blame import Author

_DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
_SHALLOW = "this is a shallow clone: "


class Repository(ObjectReader):
    """A git work tree; paths given to and returned by its methods are relative to its top.

    Every failure becomes a located Problem (exit 2) with what to do, never a traceback: a
    directory that is not a repository, an unknown ref, a shallow clone without the base.
    """

    def __init__(self, directory: str, display: str = ".") -> None:
        super().__init__(directory, display)
        top = self.run_text("rev-parse", "--show-toplevel", check=False)
        if top is None and "dubious ownership" in self.last_error:
            fail(
                "not-a-repository",
                "git refuses this repository: it is owned by another user (dubious ownership)",
                display,
                "mark it safe: git config --global --add safe.directory <path> (in a container, "
                "or run as the owner of the checkout)",
            )
        if top is None:
            fail(
                "not-a-repository",
                "not inside a git work tree",
                display,
                "run `gatecheck check` in a clone of the repository (or pass --all to "
                "`gatecheck evaluate` for a run without git)",
            )
        self.top = top.strip()
        self.directory = self.top  # from here on, every path is relative to the top

    def is_shallow(self) -> bool:
        return (self.run_text("rev-parse", "--is-shallow-repository") or "").strip() == "true"

    def resolve(self, ref: str) -> str:
        """The commit `ref` names; an unknown ref is a problem that says how to get it."""
        if ref.startswith("-"):  # never let a ref be read as an option
            fail("unknown-ref", f"'{ref}' is not a git ref", self.display)
        found = self.run_text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if found is None:
            hint = "name a branch, tag or commit that exists here; fetch it first if it is remote"
            if self.is_shallow():
                hint = _SHALLOW + "fetch the base (actions/checkout: `fetch-depth: 0`)"
            fail(
                "unknown-ref",
                f"--base {ref}: no such commit in this repository",
                self.display,
                hint,
            )
        return found.strip()

    def default_base(self) -> tuple[str, str]:
        """The merge base of HEAD with the default branch: the ref's name and the commit."""
        for branch in _DEFAULT_BRANCHES:
            if self.run_text(
                "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}", check=False
            ):
                break
        else:
            fail(
                "unknown-ref",
                "no default branch found (looked for " + ", ".join(_DEFAULT_BRANCHES) + ")",
                self.display,
                "pass --base REF, the branch or commit the change is compared with",
            )
        base = self.run_text("merge-base", branch, "HEAD", check=False)
        if base is None:
            hint = "pass --base REF"
            if self.is_shallow():
                hint = _SHALLOW + "fetch more history (`fetch-depth: 0`) or pass --base REF"
            fail("unknown-ref", f"HEAD has no common ancestor with {branch}", self.display, hint)
        return branch, base.strip()

    def unvouched(self, commit: str, paths: list[str]) -> set[str]:
        """Paths under `paths` whose work-tree file git cannot vouch is the one at `commit`."""
        return unvouched(self, commit, paths)

    def blame(self, path: str, lines: list[int]) -> dict[int, Author]:
        """Who wrote each of `lines` of the working-tree file `path` (uncommitted lines: nobody)."""
        return blame(self, path, lines)

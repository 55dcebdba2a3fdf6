"""The evidence files at the base, by path: looked up in bulk, or the directory listed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.commands.check.content import of_kind
from gatecheck.git.objects import Blob
from gatecheck.project.input_file import YAML_SUFFIXES

if TYPE_CHECKING:
    from gatecheck.git.repository import Repository


LIST_ABOVE = 64  # paths: above this many, list the directory rather than look each one up


class BaseEvidence:
    """The evidence files at the base (links followed in its tree), by path, looked up in bulk.

    `path` is the evidence directory at the base; None when the base has none (or it is not the
    repository's). Only YAML files directly in it are evidence, as in the working tree.
    """

    def __init__(self, repo: Repository, commit: str, path: str | None) -> None:
        self.repo = repo
        self.commit = commit
        self.path = path
        self._found: dict[str, Blob | None] = {}
        self._listed = False

    def listing(self) -> dict[str, Blob]:
        """Every evidence file at the base."""
        if not self._listed and self.path is not None:
            listed = self.repo.listings(self.commit, [self.path])[self.path] or {}
            self._found.update(of_kind(listed, YAML_SUFFIXES))
            self._listed = True
        return self.found()

    def found(self) -> dict[str, Blob]:
        return {path: blob for path, blob in self._found.items() if blob is not None}

    def look_up(self, paths: list[str]) -> None:
        """Find `paths` at the base, with one git command for all those not known yet."""
        if self.path is None or self._listed:
            return
        inside = self.path.rstrip("/") + "/"
        wanted = [p for p in paths if p not in self._found]
        evidence = [
            p
            for p in wanted
            if p.startswith(inside) and "/" not in p[len(inside) :] and p.endswith(YAML_SUFFIXES)
        ]
        if len(evidence) > LIST_ABOVE or any("\n" in p or "\r" in p for p in evidence):
            # Many paths: git reads the directory's tree again for each path it looks up, so a
            # lookup of every file of a 100,000-file directory never ends; listing it is linear.
            # A path with a line break would be read as two by the batch lookup.
            self.listing()
            return
        found = self.repo.lookup(self.commit, evidence)
        self._found.update(dict.fromkeys(wanted))
        for p, target in zip(evidence, found, strict=True):
            if target is not None and target[0] == "blob":
                self._found[p] = Blob(target[1], target[2])

    def get(self, path: str) -> Blob | None:
        if path not in self._found:
            self.look_up([path])
        return self._found.get(path)

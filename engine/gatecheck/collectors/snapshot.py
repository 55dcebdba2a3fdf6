"""A repository at one commit, as collectors see it: its name, commit, date and files' text.

`Snapshot` reads a file when first asked (from git, or a work tree). `BlobSnapshot` knows each
file's git object id already: a replay of many commits (`gatecheck history`) reads every version
of a file once, into a `BlobStore` its snapshots share.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.limits import MAX_FILE_BYTES
from gatecheck.reading import FileTooLarge, read_limited

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gatecheck.git.revisions import RevisionReader


class Snapshot:
    """Files of `repository` at `commit`: read from git (no checkout), or from a work tree."""

    def __init__(  # noqa: PLR0913 - the provenance a snapshot carries
        self,
        repository: str,
        *,
        commit: str,
        date: str,
        how: str,
        reader: RevisionReader | None = None,
        work_tree: str | None = None,
    ) -> None:
        self.repository = repository
        self.commit = commit
        self.date = date
        self.how = how  # why this commit: "--rev X", "tag v1.254.0 (pinned by ...)", ...
        # why it may not be the repository as it stood at the revision collected (None: it is)
        self.caveat: str | None = None
        self.incomplete = False  # the caveat is that commits up to the revision may be missing
        self._reader = reader
        self._work_tree = work_tree
        self._texts: dict[str, Text] = {}
        self._listed: dict[str, list[str]] = {}

    def text(self, path: str) -> Text:
        if path not in self._texts:
            self._texts[path] = self._load(path)
        return self._texts[path]

    def _load(self, path: str) -> Text:
        if self._work_tree is not None:
            try:
                raw: bytes | None = read_limited(os.path.join(self._work_tree, path))
            except FileNotFoundError:
                raw = None
            except FileTooLarge as error:
                return Text(None, _too_large(path, error.size))
            except OSError as error:
                return Text(None, f"{path} cannot be read: {error.strerror}")
        else:
            assert self._reader is not None  # noqa: S101 - one of the two is always given
            try:
                raw = self._reader.read(self.commit, path)
            except FileTooLarge as error:
                return Text(None, _too_large(path, error.size))
        return decoded(raw, path, self.short)

    def paths(self, pattern: str) -> list[str]:
        """The files `pattern` names, in order.

        A path without `*` names itself; `*` matches within a name, `**/` any directories.
        """
        if "*" not in pattern:
            return [pattern]
        from gatecheck.collectors.matching import glob_regex

        directory = pattern[: pattern.find("*")].rpartition("/")[0]
        if directory not in self._listed:
            self._listed[directory] = sorted(self._files_under(directory))
        matcher = glob_regex(pattern)
        return [path for path in self._listed[directory] if matcher.fullmatch(path)]

    def _files_under(self, directory: str) -> list[str]:
        if self._work_tree is None:
            assert self._reader is not None  # noqa: S101 - one of the two is always given
            return self._reader.files_under(self.commit, directory)
        found = []
        top = os.path.join(self._work_tree, directory)
        for root, _, names in os.walk(top):
            for name in names:
                full = os.path.join(root, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    found.append(os.path.relpath(full, self._work_tree).replace(os.sep, "/"))
        return found

    @property
    def short(self) -> str:
        return f"{self.repository}@{self.commit[:8]}"


class BlobSnapshot(Snapshot):
    """A snapshot whose files are given by object id (None: no such file at the commit).

    A path the caller did not list is read at the commit through the store's reader, so a reading
    is never wrong, only slower; `unlisted` names such paths (the replay's tests keep it empty).
    """

    def __init__(  # noqa: PLR0913 - the provenance a snapshot carries, and its files
        self,
        repository: str,
        *,
        commit: str,
        date: str,
        how: str,
        blobs: Mapping[str, str | None],
        store: BlobStore,
    ) -> None:
        super().__init__(repository, commit=commit, date=date, how=how, reader=store.reader)
        self.blobs = blobs
        self._store = store
        self.unlisted: set[str] = set()

    def _load(self, path: str) -> Text:
        if path not in self.blobs:
            self.unlisted.add(path)
            return super()._load(path)
        blob = self.blobs[path]
        if blob is None:
            return Text(None, f"{path} does not exist at {self.short}")
        return self._store.text(blob, path, self.short)


class BlobStore:
    """The text of each blob of one repository, read once (by object id) and kept."""

    def __init__(self, reader: RevisionReader) -> None:
        self.reader = reader
        self._texts: dict[str, Text] = {}
        self.read = 0  # blobs read from git: the cost a replay is measured by

    def text(self, blob: str, path: str, short: str) -> Text:
        found = self._texts.get(blob)
        if found is None:
            self.read += 1
            try:
                found = decoded(self.reader.objects([blob])[0], path, short)
            except FileTooLarge as error:  # the process that was reading it has been ended
                found = Text(None, _too_large(path, error.size))
            self._texts[blob] = found
        return found


class Text(NamedTuple):
    content: str | None
    problem: str  # why content is None


def decoded(raw: bytes | None, path: str, short: str) -> Text:
    """A file's bytes as text, or why there is none (absent, not UTF-8)."""
    if raw is None:
        return Text(None, f"{path} does not exist at {short}")
    try:
        return Text(raw.decode("utf-8"), "")
    except UnicodeDecodeError:
        return Text(None, f"{path} at {short} is not UTF-8 text")


def _too_large(path: str, size: int) -> str:
    return f"{path} is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit on a file read"

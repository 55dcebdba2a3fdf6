"""Reading a commit's files from git's object store: trees, blobs, links followed, sizes capped.

One `git cat-file --batch` process answers every read, so reading a hundred files costs one
process, not a hundred. A file over MAX_FILE_BYTES is never read whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Self

from gatecheck.errors import InvalidInput
from gatecheck.git.process import GitProcess, fail
from gatecheck.limits import MAX_FILE_BYTES, MAX_FILES
from gatecheck.reading import FileTooLarge, too_many_files

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Iterable


class Blob(NamedTuple):
    """A file at a commit: its object id and size (symbolic links already followed)."""

    sha: str
    size: int


class ObjectReader(GitProcess):
    """Files and objects of any commit, read with no checkout; close it (or use `with`)."""

    def __init__(self, directory: str, display: str = ".") -> None:
        super().__init__(directory, display)
        self._batch: subprocess.Popen[bytes] | None = None

    def tree(self, commit: str, directory: str) -> dict[str, bytes | int] | None:
        """The files directly in `directory` at `commit`, by path, read straight from git.

        None when `directory` is no directory at `commit`. See `listings` for what counts as a
        file. A file over MAX_FILE_BYTES is not read: it maps to its size, and reading it through
        a TreePath is the `file-too-large` problem.
        """
        listed = self.listings(commit, [directory])[directory]
        if listed is None:
            return None
        paths = sorted(listed)
        return dict(zip(paths, self.read_blobs([listed[path] for path in paths]), strict=True))

    def listings(self, commit: str, directories: list[str]) -> dict[str, dict[str, Blob] | None]:
        """Each file directly in each of `directories` at `commit`: path -> Blob, none read.

        Symbolic links are followed inside the commit's tree, as a checkout of it reads them (a
        directory itself may be one); a link out of the tree or to nothing, a subdirectory and a
        submodule are not files. None for a path that is no directory at `commit` (a submodule
        is none: git holds none of its files). More than MAX_FILES entries is `too-many-files`.
        """
        result: dict[str, dict[str, Blob] | None] = {}
        links: list[tuple[str, str]] = []  # (path of the link, its directory)
        found = self.lookup(commit, [_tree_path(directory) for directory in directories])
        for directory, target in zip(directories, found, strict=True):
            if target is None or target[0] != "tree":
                result[directory] = None
                continue
            listed = self.run(("ls-tree", "-z", "-l", target[1]), check=True) or b""
            entries = [e for e in listed.decode("utf-8", "surrogateescape").split("\0") if e]
            if len(entries) > MAX_FILES:
                raise InvalidInput([too_many_files(directory)])
            blobs = result[directory] = {}
            for entry in entries:
                meta, _, name = entry.partition("\t")
                mode, kind, sha, size = meta.split()
                path = f"{directory.rstrip('/')}/{name}"
                if mode == "120000":
                    links.append((path, directory))
                elif kind == "blob":
                    blobs[path] = Blob(sha, int(size))
        followed = self.lookup(commit, [_tree_path(path) for path, _ in links])
        for (path, directory), target in zip(links, followed, strict=True):
            listing = result[directory]
            if listing is not None and target is not None and target[0] == "blob":
                listing[path] = Blob(target[1], target[2])
        return result

    def lookup(self, commit: str, paths: list[str]) -> list[tuple[str, str, int] | None]:
        """(type, object id, size) of each path at `commit`, symbolic links followed in the tree.

        None for a path that is not there, leads out of the tree or to nothing, or holds a line
        break (one request per line: it would be read as two).
        """
        asked = [path for path in paths if "\n" not in path and "\r" not in path]
        if not asked:
            return [None] * len(paths)
        request = "".join(f"{commit}:{path}\n" for path in asked)
        raw = self.run(
            ("cat-file", "--batch-check", "--follow-symlinks"),
            check=True,
            stdin=request.encode("utf-8", "surrogateescape"),
        )
        answers = dict(zip(asked, _batch_check_answers(raw or b"", len(asked)), strict=True))
        return [answers.get(path) for path in paths]

    def entries(self, commit: str, paths: list[str]) -> dict[str, tuple[str, str]]:
        """The mode and object id of each of `paths` itself at `commit` (no link followed)."""
        if not paths:
            return {}
        listed = self.run(("ls-tree", "-z", commit, "--", *paths), check=True) or b""
        found = {}
        for item in listed.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, name = item.partition("\t")
            if meta:
                mode, _, sha = meta.split()
                found[name] = (mode, sha)
        return found

    def read_blobs(self, blobs: list[Blob]) -> list[bytes | int]:
        """The content of each blob, or its size when it is over MAX_FILE_BYTES (not read)."""
        return [
            self._object(blob.sha) if blob.size <= MAX_FILE_BYTES else blob.size for blob in blobs
        ]

    def objects(self, ids: list[str]) -> list[bytes]:
        """The raw content of each object named (blobs, commits)."""
        return [self._object(sha) for sha in ids]

    def _object(self, sha: str) -> bytes:
        found = self._ask(sha)
        if found is None:
            fail("git-failed", f"git cat-file: object {sha} is missing", self.display)
        return found[1]

    def show(self, commit: str, path: str) -> bytes | None:
        """A file's bytes at `commit`, or None when it is not a file there.

        A file over MAX_FILE_BYTES is not read: FileTooLarge says its size.
        """
        if "\n" in path or "\r" in path:  # one request per line: it would read another file
            return None
        found = self._ask(f"{commit}:{path}")
        return found[1] if found is not None and found[0] == b"blob" else None

    read = show

    def _ask(self, name: str) -> tuple[bytes, bytes] | None:
        """(type, content) of one object from the `git cat-file --batch` process; None if missing.

        An object over MAX_FILE_BYTES is not read: FileTooLarge.
        """
        if self._batch is None:
            self._batch = self._start("cat-file", "--batch")
        batch = self._batch
        assert batch.stdin is not None  # noqa: S101 - set by Popen
        assert batch.stdout is not None  # noqa: S101
        batch.stdin.write(f"{name}\n".encode("utf-8", "surrogateescape"))
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        # "<id> <type> <size>"; else "<name> missing", and a name may hold spaces
        if len(header) != 3 or not header[2].isdigit():  # noqa: PLR2004
            return None
        size = int(header[2])
        if size > MAX_FILE_BYTES:  # end the process rather than read what it is about to send
            self.close(kill=True)
            raise FileTooLarge(size)
        return header[1], batch.stdout.read(size + 1)[:-1]

    def close(self, *, kill: bool = False) -> None:
        """End the `cat-file` process, if one was started (`kill`: without waiting for output)."""
        if self._batch is not None:
            if kill:
                self._batch.kill()
            if self._batch.stdin is not None:
                self._batch.stdin.close()
            self._wait(self._batch)
            if self._batch.stdout is not None:
                self._batch.stdout.close()
            self._batch = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _tree_path(path: str) -> str:
    """A path as `COMMIT:PATH` names it: the top is the empty path."""
    stripped = path.strip("/")
    return "" if stripped == "." else stripped


def _batch_check_answers(raw: bytes, count: int) -> Iterable[tuple[str, str, int] | None]:
    """Parse `cat-file --batch-check --follow-symlinks` answers: (type, id, size) or None."""
    offset = 0
    for _ in range(count):
        end = raw.index(b"\n", offset)
        fields = raw[offset:end].split(b" ")
        offset = end + 1
        if fields[0] in {b"symlink", b"dangling", b"loop", b"notdir"} and len(fields) == 2:  # noqa: PLR2004
            offset += int(fields[1]) + 1  # "<what> <size>\n<size bytes>\n": a link out of the tree
            yield None
        elif len(fields) == 3 and fields[2].isdigit():  # noqa: PLR2004 - "<id> <type> <size>"
            yield fields[1].decode(), fields[0].decode(), int(fields[2])
        else:  # "<name> missing", and a name may hold spaces
            yield None

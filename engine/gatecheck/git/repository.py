"""The git facts `check` needs, read by running the real `git`: refs, changes, old files, blame.

Every failure becomes a located Problem (exit 2) with what to do, never a traceback: a directory
that is not a repository, an unknown ref, a shallow clone without the base, git itself missing.
"""

from __future__ import annotations

import os
import re
import subprocess
from typing import TYPE_CHECKING, NamedTuple, NoReturn, Self

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.loading.limits import MAX_FILE_BYTES, MAX_FILES
from gatecheck.loading.reading import FileTooLarge, too_many_files

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$")
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
_AUTHOR_LINE = re.compile(rb"^author (.*?) <([^<>]*)> \d+ [+-]\d{4}$", re.MULTILINE)
_DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
_SHALLOW = "this is a shallow clone: "
_TIMEOUT = 120  # seconds for one git command; a hung git must not hang CI


# The GIT_* variables kept from the caller's environment: how git is installed and configured by
# whoever runs gatecheck, never which repository, index, objects or refs it reads. Every other
# GIT_* variable is dropped (the pre-commit hook runs inside git, which sets GIT_DIR,
# GIT_INDEX_FILE, GIT_WORK_TREE, GIT_PREFIX and more for the outer command; GIT_OBJECT_DIRECTORY,
# GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_NAMESPACE or GIT_REPLACE_REF_BASE would change what a
# commit contains; GIT_TRACE* writes files; GIT_SSH*, GIT_ASKPASS and proxies serve the network,
# which gatecheck does not use).
_KEPT = frozenset(
    {
        "GIT_EXEC_PATH",  # where this git's own programs are
        "GIT_CONFIG_GLOBAL",  # the caller's configuration files: `safe.directory` lives there
        "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_CONFIG_COUNT",  # with GIT_CONFIG_KEY_<n>, GIT_CONFIG_VALUE_<n>: config a CI job sets
        "GIT_CEILING_DIRECTORIES",  # only stops the search for a repository above the root
    }
)
_KEPT_PREFIXES = ("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_")
_FIXED = {
    "GIT_OPTIONAL_LOCKS": "0",  # read only: never refresh the index as a side effect
    "GIT_NO_REPLACE_OBJECTS": "1",  # refs/replace/* could stand any object in for a commit's own
    "GIT_LITERAL_PATHSPECS": "1",  # a path is a path: `*` or `:(glob)` in a name is no pattern
    "GIT_TERMINAL_PROMPT": "0",  # never wait for a password on a terminal
    "LC_ALL": "C",  # messages in English: the hints match on them
}


def git_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment every git command runs with: `environ` with only the safe GIT_* kept."""
    kept = {
        name: value
        for name, value in environ.items()
        if not name.startswith("GIT_") or name in _KEPT or name.startswith(_KEPT_PREFIXES)
    }
    return {**kept, **_FIXED}


class Blob(NamedTuple):
    """A file at a commit: its object id and size (symbolic links already followed)."""

    sha: str
    size: int


class Author(NamedTuple):
    name: str
    email: str

    def identities(self) -> frozenset[str]:
        """The names this person may go by in a policy's reviewer list (lower case).

        Git records a name and an email, a policy names GitHub logins: a GitHub no-reply address
        gives the login exactly; otherwise the email's local part and domain label and the name
        without spaces are the likely logins. Matching more names only refuses more attestations.
        """
        found = {self.name.lower().replace(" ", ""), self.name.lower().replace(" ", "-")}
        noreply = _NOREPLY.match(self.email)
        if noreply:
            found.add(noreply.group(1).lower())
        elif "@" in self.email:
            local, _, domain = self.email.lower().partition("@")
            found.add(local)
            found.add(domain.split(".")[0])
        return frozenset(name for name in found if name)


class Repository:
    """A git work tree; paths given to and returned by its methods are relative to its top."""

    def __init__(self, directory: str, display: str = ".") -> None:
        self.directory = directory
        self.display = display  # how problems name the directory
        self.last_error = ""
        self._batch: subprocess.Popen[bytes] | None = None
        top = self._git("rev-parse", "--show-toplevel", check=False)
        if top is None and "dubious ownership" in self.last_error:
            _fail(
                "not-a-repository",
                "git refuses this repository: it is owned by another user (dubious ownership)",
                display,
                "mark it safe: git config --global --add safe.directory <path> (in a container, "
                "or run as the owner of the checkout)",
            )
        if top is None:
            _fail(
                "not-a-repository",
                "not inside a git work tree",
                display,
                "run `gatecheck check` in a clone of the repository (or pass --all to "
                "`gatecheck evaluate` for a run without git)",
            )
        self.top = top.strip()
        self.directory = self.top  # from here on, every path is relative to the top

    def _git(self, *args: str, check: bool = True, stdin: bytes | None = None) -> str | None:
        raw = self._run(args, check=check, stdin=stdin)
        return None if raw is None else raw.decode("utf-8", "surrogateescape")

    def _run(
        self, args: tuple[str, ...], *, check: bool, stdin: bytes | None = None
    ) -> bytes | None:
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                ["git", "-C", self.directory, *args],  # noqa: S607 - git from PATH, as users run it
                input=stdin,
                capture_output=True,
                env=git_environment(os.environ),
                timeout=_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            _fail("git-failed", "git is not installed", self.display, "install git")
        except subprocess.TimeoutExpired:
            _fail("git-failed", f"git {args[0]} took over {_TIMEOUT} s", self.display)
        if done.returncode != 0:
            self.last_error = done.stderr.decode("utf-8", "replace").strip()
            if not check:
                return None
            error = self.last_error.splitlines()
            _fail(
                "git-failed",
                f"git {' '.join(args[:2])} failed: {error[-1] if error else done.returncode}",
                self.display,
            )
        return done.stdout

    # -- refs ------------------------------------------------------------------------------------

    def is_shallow(self) -> bool:
        return (self._git("rev-parse", "--is-shallow-repository") or "").strip() == "true"

    def resolve(self, ref: str) -> str:
        """The commit `ref` names; an unknown ref is a problem that says how to get it."""
        if ref.startswith("-"):  # never let a ref be read as an option
            _fail("unknown-ref", f"'{ref}' is not a git ref", self.display)
        found = self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if found is None:
            hint = "name a branch, tag or commit that exists here; fetch it first if it is remote"
            if self.is_shallow():
                hint = _SHALLOW + "fetch the base (actions/checkout: `fetch-depth: 0`)"
            _fail(
                "unknown-ref",
                f"--base {ref}: no such commit in this repository",
                self.display,
                hint,
            )
        return found.strip()

    def default_base(self) -> tuple[str, str]:
        """The merge base of HEAD with the default branch: the ref's name and the commit."""
        for branch in _DEFAULT_BRANCHES:
            if self._git("rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}", check=False):
                break
        else:
            _fail(
                "unknown-ref",
                "no default branch found (looked for " + ", ".join(_DEFAULT_BRANCHES) + ")",
                self.display,
                "pass --base REF, the branch or commit the change is compared with",
            )
        base = self._git("merge-base", branch, "HEAD", check=False)
        if base is None:
            hint = "pass --base REF"
            if self.is_shallow():
                hint = _SHALLOW + "fetch more history (`fetch-depth: 0`) or pass --base REF"
            _fail("unknown-ref", f"HEAD has no common ancestor with {branch}", self.display, hint)
        return branch, base.strip()

    # -- files -----------------------------------------------------------------------------------

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
            listed = self._run(("ls-tree", "-z", "-l", target[1]), check=True) or b""
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
        raw = self._run(
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
        listed = self._run(("ls-tree", "-z", commit, "--", *paths), check=True) or b""
        found = {}
        for item in listed.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, name = item.partition("\t")
            if meta:
                mode, _, sha = meta.split()
                found[name] = (mode, sha)
        return found

    # -- what differs from a commit, as git's index sees it --------------------------------------

    def unvouched(self, commit: str, paths: list[str]) -> set[str]:
        """Paths under `paths` whose file in the work tree git cannot vouch is the one at `commit`.

        It reads no file, and lists a file touched but unchanged all the same (the caller reads
        what is listed). Three listings, run at once:

        - `git diff-index` against the commit, through the index: an entry whose blob differs
          from the commit's, that is missing on either side, or whose file's stat data (size,
          times, inode; ctime too, whatever the configuration says) differ from the index's;
        - index entries that diff-index takes the index's word for, or compares as something
          else than a file: marked assume-unchanged or skip-worktree, unmerged, symbolic links
          (their target may change, not the link), gitlinks;
        - files the index does not hold at all, ignored ones included.
        """
        from concurrent.futures import ThreadPoolExecutor

        commands = [
            (*_STAT_CONFIG, "diff-index", "-z", "--name-only", "--no-renames", commit, "--"),
            ("ls-files", "-z", "-s", "-v", "--"),
            ("ls-files", "-z", "--others", "--"),
        ]
        with ThreadPoolExecutor(len(commands)) as pool:
            outputs = list(pool.map(lambda args: self._run((*args, *paths), check=True), commands))
        differing, entries, others = (raw or b"" for raw in outputs)
        found = _names(differing) | _names(others)
        listed = b"\0" + entries  # each entry starts with a NUL: the pattern's first character
        found.update(
            match[1].decode("utf-8", "surrogateescape") for match in _UNUSUAL_ENTRY.finditer(listed)
        )
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
            _fail("git-failed", f"git cat-file: object {sha} is missing", self.display)
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

        One process answers every read, so reading a hundred files costs one process, not a
        hundred; `close()` ends it. An object over MAX_FILE_BYTES is not read: FileTooLarge.
        """
        batch = self._process()
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

    def _process(self) -> subprocess.Popen[bytes]:
        if self._batch is None:
            try:
                self._batch = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                    ["git", "-C", self.directory, "cat-file", "--batch"],  # noqa: S607
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=git_environment(os.environ),
                )
            except FileNotFoundError:
                _fail("git-failed", "git is not installed", self.display, "install git")
        return self._batch

    def close(self, *, kill: bool = False) -> None:
        """End the `cat-file` process, if one was started (`kill`: without waiting for output)."""
        if self._batch is not None:
            if kill:
                self._batch.kill()
            if self._batch.stdin is not None:
                self._batch.stdin.close()
            self._batch.wait(timeout=_TIMEOUT)
            if self._batch.stdout is not None:
                self._batch.stdout.close()
            self._batch = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def blame(self, path: str, lines: list[int]) -> dict[int, Author]:
        """Who wrote each of `lines` of the working-tree file `path` (uncommitted lines: nobody).

        Each author is read from the commit object itself, not from blame's author fields: those
        pass through `.mailmap`, which the change under review may add or edit. An empty
        `--ignore-revs-file=` drops any ignore-revs file the configuration names, which the change
        could edit to hand its lines to an older commit.
        """
        wanted = sorted({line for line in lines if line > 0})
        if not wanted:
            return {}
        ranges = [arg for line in wanted for arg in ("-L", f"{line},{line}")]
        raw = self._git(
            "blame", "--porcelain", "--ignore-revs-file=", *ranges, "--", path, check=False
        )
        if raw is None:  # an untracked file: nothing of it is committed yet
            return {}
        commits = _blamed_commits(raw)
        ids = sorted(set(commits.values()))
        authors = dict(zip(ids, map(_commit_author, self.objects(ids)), strict=True))
        return {
            line: author for line, sha in commits.items() if (author := authors[sha]) is not None
        }


# What `differing` compares, whatever the repository's configuration says: every stat field
# (core.checkStat=minimal would leave a same-size edit unseen), ctime included (an edit can set
# the mtime back, not the ctime), no file system monitor (a hook that could say nothing changed).
_STAT_CONFIG = (
    "-c",
    "core.checkStat=default",
    "-c",
    "core.trustctime=true",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.ignoreStat=false",
)
# A plain index entry: tag H (cached, no assume-unchanged or skip-worktree bit), a regular file's
# mode, stage 0; anything else is unusual. `ls-files -s -v`: "<tag> <mode> <id> <stage>\t<path>".
_UNUSUAL_ENTRY = re.compile(rb"\0(?!H 100(?:644|755) [0-9a-f]+ 0\t)[^\0\t]*\t([^\0]*)")


def _names(raw: bytes | None) -> set[str]:
    """The paths of a `-z` listing of names."""
    return {name for name in (raw or b"").decode("utf-8", "surrogateescape").split("\0") if name}


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


def _blamed_commits(porcelain: str) -> dict[int, str]:
    """The commit that last changed each final line of `git blame --porcelain`; never all zeros."""
    found: dict[int, str] = {}
    for line in porcelain.splitlines():
        head, _, rest = line.partition(" ")
        # "<id> <original line> <final line> [<lines>]": SHA-1 or SHA-256; all zeros: uncommitted
        if _OBJECT_ID.fullmatch(head) and head.strip("0"):
            found[int(rest.split()[1])] = head
    return found


def _commit_author(commit: bytes) -> Author | None:
    """The `author` of a raw commit object, as recorded (no .mailmap applies)."""
    header = commit.split(b"\n\n", 1)[0]
    found = _AUTHOR_LINE.search(header)
    if found is None:  # pragma: no cover - git writes an author line in every commit
        return None
    name, email = (part.decode("utf-8", "replace") for part in found.groups())
    return Author(name, email)


def _fail(code: str, message: str, directory: str, hint: str | None = None) -> NoReturn:
    raise InvalidInput([Problem(code, message, Location(directory, 0, 0), hint)])


class Revision(NamedTuple):
    """A commit and its committer date (ISO 8601), as read from git."""

    commit: str
    date: str


class RevisionReader(Repository):
    """Files of any commit of a repository (bare or with a work tree), read with no checkout.

    `read` (Repository's `show`) answers every `COMMIT:PATH` from one `git cat-file --batch`
    process. Close it with `close()` (or use `with`).
    """

    def __init__(self, directory: str, display: str) -> None:
        # Repository's git runner, without its work-tree check: a bare repository is fine here
        self.directory = directory
        self.display = display
        self.last_error = ""
        if self._run(("rev-parse", "--git-dir"), check=False) is None:
            _fail(
                "not-a-repository",
                f"{display} is not a git repository",
                display,
                "pass the path of a clone (a work tree or a bare repository)",
            )
        self._batch = None

    def revision(self, rev: str) -> Revision:
        """The commit `rev` names and its date; an unknown revision is a located problem."""
        found = None
        if not rev.startswith("-"):  # never let a revision be read as an option
            found = self._run(
                ("log", "-1", "--format=%H %cI", f"{rev}^{{commit}}", "--"), check=False
            )
        if not found:
            _fail(
                "unknown-ref",
                f"{rev}: no such commit in {self.display}",
                self.display,
                "name a branch, tag or commit that exists in that repository",
            )
        commit, _, date = found.decode().strip().partition(" ")
        return Revision(commit, date)

    def latest_before(self, date: str, rev: str = "HEAD") -> Revision | None:
        """The newest commit reachable from `rev` committed at or before `date`, if any."""
        found = self._run(
            ("log", "-1", f"--before={date}", "--format=%H %cI", rev, "--"), check=False
        )
        if not found or not found.strip():
            return None
        commit, _, when = found.decode().strip().partition(" ")
        return Revision(commit, when)

    def files_under(self, commit: str, directory: str) -> list[str]:
        """Every regular file below `directory` at `commit`, at any depth.

        Links and submodules are not files; more than MAX_FILES is `too-many-files`.
        """
        listed = self._run(("ls-tree", "-r", "-z", commit, "--", directory), check=False) or b""
        found = []
        for entry in listed.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, path = entry.partition("\t")
            if meta.split(" ")[0] in {"100644", "100755"}:
                found.append(path)
        if len(found) > MAX_FILES:
            raise InvalidInput([too_many_files(directory)])
        return found

    def tags(self) -> list[str]:
        listed = self._run(("tag", "--list"), check=False) or b""
        return listed.decode("utf-8", "replace").split()


class Dated(NamedTuple):
    """A commit with its committer date (seconds since the epoch, and ISO 8601) and summary."""

    commit: str
    seconds: int
    date: str
    summary: str = ""  # the first line of its message


_ZERO_ID = re.compile(r"0+")


class HistoryReader(RevisionReader):
    """A `RevisionReader` that also lists history: first-parent lines, changes, object ids.

    Each method is one git command over many commits, so a replay of thousands of commits
    (`gatecheck history`) costs a handful of processes, not one per commit.
    """

    def first_parents(self, to: str, *, after: str | None = None) -> list[Dated]:
        """The first-parent line of `to`, oldest first; with `after`, only commits it lacks."""
        args = ["log", "--first-parent", "--format=%H %ct %cI %s", to]
        if after is not None:
            args += ["--not", after]
        return list(reversed(self._dated(self._log(*args))))

    def reachable(self, rev: str = "HEAD") -> list[Dated]:
        """Every commit reachable from `rev`, in `git log`'s order (newest first, by date)."""
        return self._dated(self._log("log", "--format=%H %ct %cI", rev))

    def changes(
        self, to: str, after: str, paths: Iterable[str]
    ) -> dict[str, dict[str, str | None]]:
        """The object id each of `paths` changes to, by commit (None: deleted).

        The commits are those of the first-parent line of `to` that `after` lacks and that change
        one of `paths` against their first parent.
        """
        raw = self._log(
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--format=C %H",
            to,
            "--not",
            after,
            "--",
            *paths,
        )
        found: dict[str, dict[str, str | None]] = {}
        changed: dict[str, str | None] = {}
        for line in raw.split("\n"):
            if line.startswith("C "):
                changed = found[line[2:]] = {}
            elif line.startswith(":"):
                meta, _, path = line.partition("\t")
                _, new_mode, _, new_id, _ = meta[1:].split(" ", 4)
                blob = new_mode not in {"000000", "160000"} and not _ZERO_ID.fullmatch(new_id)
                changed[path] = new_id if blob else None
        return found

    def blob_ids(self, wanted: list[tuple[str, str]]) -> list[str | None]:
        """The object id of each (commit, path); None where there is no file.

        A symbolic link is not followed: its object is the link, as `read` reads it.
        """
        asked = [(commit, path) for commit, path in wanted if "\n" not in path]
        if not asked:
            return [None] * len(wanted)
        request = "".join(f"{commit}:{path}\n" for commit, path in asked)
        raw = self._run(
            ("cat-file", "--batch-check=%(objectname) %(objecttype)"),
            check=True,
            stdin=request.encode("utf-8", "surrogateescape"),
        )
        answers = iter((raw or b"").decode("utf-8", "surrogateescape").split("\n"))
        found: dict[tuple[str, str], str | None] = {}
        for key in asked:
            fields = next(answers).split(" ")
            found[key] = fields[0] if len(fields) == 2 and fields[1] == "blob" else None  # noqa: PLR2004
        return [found.get(key) for key in wanted]

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self._run(("merge-base", "--is-ancestor", older, newer), check=False) is not None

    def _log(self, *args: str) -> str:
        return (self._run(args, check=True) or b"").decode("utf-8", "surrogateescape")

    @staticmethod
    def _dated(text: str) -> list[Dated]:
        found = []
        for line in text.split("\n"):
            if line:
                commit, seconds, date, *summary = line.split(" ", 3)
                found.append(Dated(commit, int(seconds), date, "".join(summary)))
        return found

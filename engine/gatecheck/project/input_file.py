"""A file to read, named as users see it; reading it turns a refusal into a located problem."""

from __future__ import annotations

from typing import NamedTuple, Protocol, runtime_checkable

from gatecheck.errors import InvalidInput
from gatecheck.project.confinement import Escape, escape_problem
from gatecheck.reading import FileTooLarge, NotRegularFile, not_a_file, too_large

YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "<stdin>"  # how standard input (a SUBJECT of `-`) is named in locations


class Readable(Protocol):
    """Where a file's bytes come from: a local path, a path in a git tree, or package data."""

    @property
    def name(self) -> str: ...

    def read_bytes(self) -> bytes: ...


@runtime_checkable
class ReadableWithin(Readable, Protocol):
    """A file that can be read within a limit of its own (a LocalPath): a policy's."""

    def read_within(self, limit: int) -> bytes: ...


class InputFile(NamedTuple):
    """A file to read: `display` is the path shown to users (relative to the root)."""

    display: str
    handle: Readable  # a LocalPath, a TreePath, or a Traversable of the bundled data

    @property
    def stem(self) -> str:
        name = self.handle.name
        return name.rsplit(".", 1)[0]

    @property
    def named_by_content(self) -> bool:
        """Whether the subject is only what the content says: standard input has no file name."""
        return self.display == STDIN

    def read_bytes(self, limit: int | None = None) -> bytes:
        """The file's bytes, within `limit` if given (a policy's), else within MAX_FILE_BYTES.

        Only files in the working tree are read against `limit`: a file from a git tree is held
        within MAX_FILE_BYTES (`git.objects`), and bundled files are small.
        """
        try:
            if limit is not None and isinstance(self.handle, ReadableWithin):
                return self.handle.read_within(limit)
            return self.handle.read_bytes()
        except FileTooLarge as error:
            raise InvalidInput([too_large(self.display, error.size, limit=error.limit)]) from None
        except NotRegularFile as error:
            raise InvalidInput([not_a_file(self.display, error.kind)]) from None
        except Escape as error:
            raise InvalidInput([escape_problem(self.display, error)]) from None

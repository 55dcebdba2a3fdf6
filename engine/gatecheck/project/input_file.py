"""A file to read, named as users see it; reading it turns a refusal into a located problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput
from gatecheck.loading.reading import FileTooLarge, NotRegularFile, not_a_file, too_large
from gatecheck.project.confinement import Escape, escape_problem

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from gatecheck.project.local_path import LocalPath
    from gatecheck.project.tree_path import TreePath

YAML_SUFFIXES = (".yaml", ".yml")


class InputFile(NamedTuple):
    """A file to read: `display` is the path shown to users (relative to the root)."""

    display: str
    handle: Traversable | LocalPath | TreePath

    @property
    def stem(self) -> str:
        name = self.handle.name
        return name.rsplit(".", 1)[0]

    def read_bytes(self) -> bytes:
        try:
            return self.handle.read_bytes()
        except FileTooLarge as error:
            raise InvalidInput([too_large(self.display, error.size)]) from None
        except NotRegularFile as error:
            raise InvalidInput([not_a_file(self.display, error.kind)]) from None
        except Escape as error:
            raise InvalidInput([escape_problem(self.display, error)]) from None

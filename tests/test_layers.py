"""The import graph shows the stages: no module cycle, each stage importing only those below it.

Every `gatecheck` import counts, wherever it is written: at the top of a module, inside a function
(a lazy import is still a dependency) and under `TYPE_CHECKING` (a type is one too). The graph is
read from the source with `ast`, so nothing is imported to check it.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path
from typing import NamedTuple

import gatecheck

PACKAGE = Path(gatecheck.__file__).parent

# The foundation: what every stage may use, importing no stage itself.
FOUNDATION = frozenset(
    {
        "errors",  # Location, Problem, Problems, InvalidInput
        "problem_codes",
        "suggestions",
        "controls",  # control characters shown, not sent
        "limits",
        "files",  # atomic writes, locks
        "reading",  # safe reads
        "documents",  # plain data with positions
        "progress",  # the Progress protocol
        "identity_cache",  # bounded tables keyed by identity
    }
)

_BELOW_COMMANDS = frozenset(
    {
        "foundation",
        "language",
        "project",
        "git",
        "loading",
        "evaluation",
        "editing",
        "policytests",
        "spectests",
        "collectors",
    }
)

# Stage -> the stages it may import (a stage may always import itself). Read top to bottom it is
# the pipeline: bytes are read (project, git), parsed and validated (loading, with the language's
# meaning), judged (evaluation), written back (editing), driven by the commands, rendered by the
# reporters, and put on the command line by cli alone.
ALLOWED: dict[str, frozenset[str]] = {
    "foundation": frozenset(),
    "language": frozenset({"foundation"}),
    "project": frozenset({"foundation"}),
    "git": frozenset({"foundation"}),
    "loading": frozenset({"foundation", "language", "project"}),  # project: the files to read
    "evaluation": frozenset({"foundation", "language"}),
    "editing": frozenset({"foundation", "language", "loading", "project"}),
    "policytests": frozenset({"foundation", "language", "loading", "evaluation", "project"}),
    "spectests": frozenset({"foundation", "loading", "editing", "project"}),
    "collectors": frozenset({"foundation", "git", "loading", "editing", "project", "spectests"}),
    "commands": _BELOW_COMMANDS,
    "reporters": frozenset({"foundation", "language", "evaluation"}),
    "cli": _BELOW_COMMANDS | {"commands", "reporters"},
    "__main__": frozenset({"cli"}),
}

# The reporters render the reports of policy tests, collect and record-tests: those reports' own
# types are theirs to import, and nothing else of those stages.
REPORT_TYPES = frozenset(
    {
        "gatecheck.policytests.run",  # PolicyTestReport, CaseResult, Coverage, Mismatch
        "gatecheck.collectors.run",  # CollectReport
        "gatecheck.collectors.planning",  # Plan, HandRecorded
        "gatecheck.spectests.facts",  # SubjectPlan
        "gatecheck.spectests.tally",  # Tally
        "gatecheck.project.bundled",  # BUNDLED: how a report names bundled data
    }
)

# Only the command line parses a command line.
CLICK_ONLY_IN = frozenset({"cli"})


class Import(NamedTuple):
    module: str  # the importing module
    target: str  # the gatecheck module imported
    line: int
    text: str  # the import statement as written

    def __str__(self) -> str:
        return f"{_path(self.module)}:{self.line}: {self.text}"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _path(module: str) -> str:
    return str(MODULES[module].relative_to(PACKAGE.parent.parent))


def _imports(module: str, path: Path) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                imported = ".".join([*base, *([node.module] if node.module else [])])
            else:
                imported = node.module or ""
            names = [f"{imported}.{alias.name}" for alias in node.names]
            targets = [name if name in MODULES else imported for name in names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        text = lines[node.lineno - 1].strip()
        found.extend(
            Import(module, target, node.lineno, text)
            for target in dict.fromkeys(targets)
            if target in MODULES and target != module
        )
    return found


IMPORTS = [found for module, path in MODULES.items() for found in _imports(module, path)]


def stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "foundation"  # gatecheck/__init__: the version only
    if parts[1] in FOUNDATION:
        return "foundation"
    return parts[1]


def test_every_module_is_in_a_stage() -> None:
    unknown = sorted({stage(module) for module in MODULES} - ALLOWED.keys())
    assert not unknown, f"packages with no row in ALLOWED (add one where the stage sits): {unknown}"


def test_no_import_cycle() -> None:
    graph: dict[str, dict[str, Import]] = {module: {} for module in MODULES}
    for found in IMPORTS:
        graph[found.module].setdefault(found.target, found)
    cycle = _a_cycle(graph)
    assert cycle is None, "modules import each other in a cycle:\n  " + "\n  ".join(
        str(graph[before][after]) for before, after in itertools.pairwise(cycle)
    )


def _a_cycle(graph: dict[str, dict[str, Import]]) -> list[str] | None:
    """A cycle as the list of its modules, first repeated at the end; None for a DAG."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path = [start]
        on_path = {start}
        stack = [iter(sorted(graph[start]))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
            elif following in on_path:
                return [*path[path.index(following) :], following]
            elif following not in done:
                path.append(following)
                on_path.add(following)
                stack.append(iter(sorted(graph[following])))
    return None


def test_each_stage_imports_only_the_stages_below_it() -> None:
    wrong = [
        str(found) + f"  ({stage(found.module)} may not import {stage(found.target)})"
        for found in IMPORTS
        if not _allowed(found)
    ]
    assert not wrong, "imports across the stages:\n  " + "\n  ".join(wrong)


def _allowed(found: Import) -> bool:
    importer, imported = stage(found.module), stage(found.target)
    if importer == imported or imported in ALLOWED[importer]:
        return True
    return importer == "reporters" and found.target in REPORT_TYPES


def test_only_the_cli_imports_click() -> None:
    wrong = []
    for module, path in MODULES.items():
        if stage(module) in CLICK_ONLY_IN:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            if any(name == "click" or name.startswith("click.") for name in names):
                wrong.append(f"{_path(module)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not wrong, "click imported outside cli:\n  " + "\n  ".join(wrong)


def test_the_graph_is_read() -> None:
    """The checks above see imports of every kind, so an empty graph cannot pass them."""
    texts = {found.text for found in IMPORTS}
    assert "from gatecheck.cli.group import main" in texts  # __main__, at the top
    assert any(found.module == "gatecheck.loading.policies" for found in IMPORTS)
    assert len(IMPORTS) > 500

"""The suite's own layout: tests mirror the engine's packages, and share helpers through support/.

A test file lives in `tests/<package>/` named after the engine package it tests, or is one of the
whole-program tests at the top (or in adversarial/ or hostile/); a top-level `test_<module>.py`
tests the engine's top-level module of that name. No test module imports from another test module
or from a conftest: shared helpers live in tests/support/, shared fixtures in a conftest.py.
"""

from __future__ import annotations

import ast

from tests.support.project import REPO

TESTS = REPO / "tests"
ENGINE = REPO / "engine" / "gatecheck"
PACKAGES = {path.parent.name for path in ENGINE.glob("*/__init__.py")}
MODULES = {path.stem for path in ENGINE.glob("*.py")} - {"__init__", "__main__"}
WHOLE_PROGRAM = {
    "test_cases.py",
    "test_bundled.py",
    "test_docs.py",
    "test_fuzz.py",
    "test_soak.py",
    "test_ci_packaging.py",
    "test_bench_peers.py",
    "test_layout_of_tests.py",
    "test_layers.py",  # the import graph of the whole package
    "test_tutorial.py",  # docs/tutorial.md, run command by command
}
WHOLE_PROGRAM_FOLDERS = {"adversarial", "hostile"}


def _python_files() -> list[str]:
    return sorted(
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("*.py")
        if "cases" not in path.relative_to(TESTS).parts and "__pycache__" not in path.parts
    )


def test_every_test_file_lives_in_a_folder_named_after_an_engine_package() -> None:
    misplaced = []
    for name in _python_files():
        *folders, file = name.split("/")
        if not file.startswith("test_"):
            continue
        if not folders:
            ok = file in WHOLE_PROGRAM or file.removeprefix("test_").removesuffix(".py") in MODULES
        else:
            ok = len(folders) == 1 and folders[0] in PACKAGES | WHOLE_PROGRAM_FOLDERS
        if not ok:
            misplaced.append(name)
    assert not misplaced, f"not in a folder named after an engine package: {misplaced}"


def test_no_test_module_imports_from_another_test_module_or_a_conftest() -> None:
    offending = []
    for name in _python_files():
        tree = ast.parse((TESTS / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            for module in imported:
                last = module.rsplit(".", 1)[-1]
                if module.startswith("tests.") and (last.startswith("test_") or last == "conftest"):
                    offending.append(f"{name}: {module}")
    assert not offending, f"import shared helpers from tests/support/ instead: {offending}"


def test_support_is_the_one_place_of_shared_helpers() -> None:
    support = {name for name in _python_files() if name.startswith("support/")}
    assert support, "tests/support/ holds the shared helpers"
    assert not any(name.split("/")[-1].startswith("test_") for name in support)

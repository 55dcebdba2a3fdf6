"""The documentation stays true: every operator and every problem code is documented."""

import re

import pytest
from tests.support.project import REPO

from gatecheck.language.operators import OPERATORS
from gatecheck.problem_codes import PROBLEM_CODES

LANGUAGE = (REPO / "docs" / "policy-language.md").read_text()
EVIDENCE = (REPO / "docs" / "evidence.md").read_text()


def test_every_operator_is_documented_with_an_example() -> None:
    for name, operator in OPERATORS.items():
        row = next(line for line in LANGUAGE.splitlines() if line.startswith(f"| `{name}` |"))
        assert f"{name}:" in row, f"the table row for {name} has no example"
        assert "`{fact:" in operator.doc


def _codes_in_engine() -> set[str]:
    codes = set()
    for path in (REPO / "engine" / "gatecheck").rglob("*.py"):
        text = path.read_text()
        codes |= set(re.findall(r'Problem\(\s*"([a-z0-9-]+)"', text))
        codes |= set(re.findall(r'(?:fail|problem|self\.fail)\(\s*"([a-z0-9-]+)"', text))
        codes |= set(re.findall(r'code ?= ?"([a-z0-9-]+)"', text))
        codes |= set(re.findall(r'"([a-z]+-[a-z0-9-]+)" if kind', text))
    return codes


def _codes_in_docs() -> set[str]:
    """The codes in the first column of docs/evidence.md's table under "## Problem codes"."""
    section = EVIDENCE.split("\n## Problem codes\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {code for row in rows for code in re.findall(r"`([a-z0-9-]+)`", row)}


def test_every_problem_code_emitted_is_registered() -> None:
    codes = _codes_in_engine()
    assert len(codes) > 30
    assert sorted(codes - PROBLEM_CODES.keys()) == []


def test_the_docs_list_exactly_the_registered_problem_codes() -> None:
    documented = _codes_in_docs()
    assert sorted(code for code in PROBLEM_CODES if code not in documented) == []
    assert sorted(documented - PROBLEM_CODES.keys()) == []


def test_each_registered_code_is_kebab_case_with_a_one_line_description() -> None:
    for code, description in PROBLEM_CODES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert description, code
        assert "\n" not in description, code
        assert len(description) <= 90, code


def test_a_problem_with_an_unregistered_code_is_refused() -> None:
    from gatecheck.errors import InvalidInput, Location, Problem

    with pytest.raises(AssertionError, match="not-a-real-code"):
        InvalidInput([Problem("not-a-real-code", "message", Location("f.yaml", 1, 1))])


def test_the_example_output_shown_in_the_docs_is_what_gatecheck_prints(run_cli) -> None:
    # README and docs/cli.md quote `gatecheck evaluate foo-bar`; its `at file:line:col` lines
    # move whenever the bundled policy does.
    actual = run_cli("evaluate", "foo-bar", "--root", str(REPO), "--now", "2026-11-25").stdout
    shown = {line.strip() for line in actual.splitlines() if line.strip().startswith("at ")}
    for page in (REPO / "README.md", REPO / "docs" / "cli.md"):
        quoted = re.findall(
            r"^\s+(at (?:policies|evidence)/\S+:\d+:\d+)$", page.read_text(), re.MULTILINE
        )
        assert quoted, page
        assert set(quoted) <= shown, page


def test_every_python_file_the_docs_name_exists() -> None:
    """A module renamed or moved leaves no stale name behind in the docs."""
    files = [*REPO.glob("engine/gatecheck/**/*.py"), *REPO.glob("tests/**/*.py")]
    files += [*REPO.glob("bench/*.py"), *REPO.glob(".ci/*.py")]
    names = {path.name for path in files}
    paths = {path.relative_to(REPO).as_posix() for path in files}
    stale = []
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for named in set(re.findall(r"[\w/.-]*\b[a-z_0-9]+\.py\b", doc.read_text())):
            folders = named.rsplit("/", 1)[0] if "/" in named else ""
            known = any(path.endswith(named) for path in paths) if folders else named in names
            if not known:
                stale.append(f"{doc.name}: {named}")
    assert sorted(stale) == []

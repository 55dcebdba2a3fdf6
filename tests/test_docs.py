"""The documentation stays true: every operator and every problem code is documented."""

import re

from tests.conftest import REPO

from gatecheck.language.operators import OPERATORS

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


def test_every_problem_code_is_documented() -> None:
    codes = _codes_in_engine()
    assert len(codes) > 30
    undocumented = sorted(code for code in codes if f"`{code}`" not in EVIDENCE)
    assert undocumented == []


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

"""The caps on one run (docs/reliability.md#limits): files listed, file sizes read from disk and
from git. Each cap is lowered with monkeypatch where a realistic input would be slow to build; the
realistic ones (a symlink loop, a 32 MiB blob in git) run at the real values.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.check_repos import NOW, new_repository
from tests.support.git import commit, git
from tests.support.project import SHARED

from gatecheck import limits
from gatecheck.collectors.snapshot import Snapshot
from gatecheck.editing import evidence_files as editing
from gatecheck.errors import InvalidInput
from gatecheck.git import objects as gitmodule
from gatecheck.git.repository import Repository
from gatecheck.git.revisions import RevisionReader
from gatecheck.language.regexes import compile_regex, regex_problem
from gatecheck.limits import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_PATTERN_CHARS,
    MAX_PATTERN_MEMORY,
)
from gatecheck.loading import facts_validation
from gatecheck.loading.facts_schema_checks import check_schema
from gatecheck.loading.facts_validation import validate_facts
from gatecheck.loading.parsing import load_bytes
from gatecheck.policytests import files as policy_test_files
from gatecheck.project import local_path as project
from gatecheck.project.directory import Directory
from gatecheck.project.local_path import LocalPath
from gatecheck.project.tree_path import TreePath
from gatecheck.reading import FileTooLarge, read_limited

if TYPE_CHECKING:
    from pathlib import Path

    from gatecheck.git.objects import Blob


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SHARED, root)
    return root


# -- number of files -------------------------------------------------------------------------------


def test_the_limit_is_generous() -> None:
    assert MAX_FILES >= 10 * 10_000  # ten times the benchmark's 10,000 evidence files


@pytest.mark.parametrize("command", [["validate"], ["evaluate", "--all"]])
def test_an_evidence_directory_over_the_limit(
    command: list[str], tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    for index in range(5):
        (root / "evidence" / f"junk{index}.txt").write_text("not evidence\n")
    monkeypatch.setattr(project, "MAX_FILES", 6)  # lib.yaml and five others: 6 entries is fine
    assert run_cli(*command, "--root", str(root)).exit_code != 2
    (root / "evidence" / "one-more").mkdir()  # any entry counts, YAML or not
    result = run_cli(*command, "--root", str(root))
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()[:2]
    assert first == (
        "evidence/: error: more than 100,000 entries (files, directories, symlinks) to list;"
        " the limit is 100,000 [too-many-files]"
    )
    assert hint.startswith("  hint: split the project")
    assert "Traceback" not in result.stderr


def test_a_policies_directory_over_the_limit(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    for index in range(3):
        (root / "policies" / f"notes{index}.md").write_text("x\n")
    monkeypatch.setattr(project, "MAX_FILES", 3)
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith("policies/: error: more than ")
    assert "[too-many-files]" in result.stderr


def test_a_tree_of_policy_tests_over_the_limit(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    tests = root / "policies" / "tests"
    for index in range(4):
        (tests / f"group{index}").mkdir(parents=True)
        (tests / f"group{index}" / "README").write_text("x\n")
    monkeypatch.setattr(policy_test_files, "MAX_FILES", 7)  # 4 directories, 4 files: 8
    for args in ([], ["policies/tests"]):
        result = run_cli("test", *args, "--root", str(root))
        assert result.exit_code == 2, result.stderr
        assert result.stderr.startswith("policies/tests/: error: more than "), result.stderr
        assert "[too-many-files]" in result.stderr


@pytest.mark.timeout(120)  # about a second; unbounded, it would run for minutes
def test_symlinks_that_loop_stop_at_the_limit(tmp_path: Path, run_cli) -> None:
    """Two links back to their own directory: 2**17 directories to depth 16, cut at MAX_FILES."""
    root = _project(tmp_path)
    tests = root / "policies" / "tests"
    tests.mkdir()
    (tests / "a").symlink_to(".")
    (tests / "b").symlink_to(".")
    result = run_cli("test", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith("policies/tests/: error: more than 100,000 entries")


def test_the_count_stops_early_and_closes_the_listing(tmp_path: Path) -> None:
    directory = tmp_path / "many"
    directory.mkdir()
    for index in range(10):
        (directory / f"{index}.yaml").write_text("a: 1\n")
    listing = LocalPath(str(directory)).iterdir()
    next(listing)
    listing.close()  # the scandir handle is released with the generator
    files = Directory("many", LocalPath(str(directory))).yaml_files()
    assert [file.display for file in files][:2] == ["many/0.yaml", "many/1.yaml"]


# -- file size -------------------------------------------------------------------------------------


def test_read_limited_stops_before_reading_a_large_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    small, large = tmp_path / "small", tmp_path / "large"
    small.write_bytes(b"0123456789")
    large.write_bytes(b"0123456789!")
    assert read_limited(str(small)) == b"0123456789"
    with pytest.raises(FileTooLarge) as raised:
        read_limited(str(large))
    assert raised.value.size == 11


def test_a_file_that_says_it_is_empty_but_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """/dev/zero has size 0 and never ends: reading stops one byte past the limit."""
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    with pytest.raises(FileTooLarge) as raised:
        read_limited("/dev/zero")
    assert raised.value.size == 1001


def test_an_evidence_file_over_the_limit_is_not_read(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    size = (root / "evidence" / "lib.yaml").stat().st_size
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", size - 1)
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"evidence/lib.yaml:1:1: error: file is {size:,} bytes; the limit is {size - 1:,}"
        " [file-too-large]"
    )


def test_a_tree_file_held_as_its_size() -> None:
    files: dict[str, bytes | int] = {"p/a.yaml": b"a: 1\n", "p/b.yaml": 40_000_000}
    directory = Directory("p", TreePath(files, "p"))
    small, large = directory.yaml_files()
    assert small.read_bytes() == b"a: 1\n"
    with pytest.raises(InvalidInput) as raised:
        large.read_bytes()
    (problem,) = raised.value.problems
    assert (problem.code, str(problem.location)) == ("file-too-large", "p/b.yaml:1:1")
    assert problem.message == f"file is 40,000,000 bytes; the limit is {MAX_FILE_BYTES:,}"


# -- files read from git ---------------------------------------------------------------------------


def test_a_blob_over_the_limit_is_not_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "d").mkdir()
    (repo / "d" / "big.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    (repo / "d" / "small.yaml").write_bytes(b"a: 1\n")
    commit(repo, "a big file")
    with Repository(str(repo), "repo") as repository:
        assert repository.tree("HEAD", "d") == {
            "d/big.yaml": MAX_FILE_BYTES + 1,
            "d/small.yaml": b"a: 1\n",
        }
        with pytest.raises(FileTooLarge) as raised:  # from the size, before a byte is read
            repository.show("HEAD", "d/big.yaml")
        assert raised.value.size == MAX_FILE_BYTES + 1
        # the process that was about to send the blob is gone; the next read starts another
        assert repository.show("HEAD", "d/small.yaml") == b"a: 1\n"


def test_a_git_tree_over_the_file_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "d").mkdir()
    for index in range(4):
        (repo / "d" / f"{index}.yaml").write_text("a: 1\n")
    commit(repo, "four files")
    monkeypatch.setattr(gitmodule, "MAX_FILES", 4)
    with Repository(str(repo), "repo") as repository:
        assert len(repository.tree("HEAD", "d") or {}) == 4
        monkeypatch.setattr(gitmodule, "MAX_FILES", 3)
        with pytest.raises(InvalidInput) as raised:
            repository.tree("HEAD", "d")
    (problem,) = raised.value.problems
    assert (problem.code, str(problem.location)) == ("too-many-files", "d/")


def test_check_reports_a_base_policy_over_the_limit(tmp_path: Path, run_cli) -> None:
    """A 32 MiB + 1 policy at the base: located at the policy, said to be the base's, not read."""
    repo = new_repository(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    policy = repo / "policies" / "release.yaml"
    text = policy.read_bytes()
    policy.write_bytes(text + b"#" * (MAX_FILE_BYTES + 1 - len(text) - 1) + b"\n")
    commit(repo, "a huge comment on main")
    git(repo, "checkout", "-q", "-b", "fix")
    shutil.copy(SHARED / "policies" / "release.yaml", policy)
    (repo / "evidence" / "lib.yaml").write_text(
        (repo / "evidence" / "lib.yaml").read_text().replace("claims: []", "claims: [ship]")
    )
    commit(repo, "mend it, and claim")
    result = run_cli("check", "--root", str(repo), "--now", NOW, "--base", "main")
    assert result.exit_code == 2, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(
        f"policies/release.yaml:1:1: error: file is {MAX_FILE_BYTES + 1:,} bytes; the limit is"
        f" {MAX_FILE_BYTES:,} (in the policies at main ("
    )
    assert first.endswith("[file-too-large]")


def test_check_treats_base_evidence_over_the_limit_as_invalid_then(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evidence too large at the base said nothing then: a gate it turns on is a new claim."""
    repo = new_repository(tmp_path / "repo")
    policy = repo / "policies" / "release.yaml"
    policy.write_text(
        policy.read_text().replace(
            "    source: fixture, gate\n",
            "    source: fixture, gate\n    claimed_when: {fact: published, eq: true}\n",
        )
    )
    evidence = repo / "evidence" / "lib.yaml"
    published = evidence.read_text().replace("  docs: true", "  docs: true\n  published: true")
    evidence.write_text(published)
    commit(repo, "published at the base")
    git(repo, "branch", "-f", "main")
    evidence.write_text(published.replace("failed: 0", "failed: 3"))
    commit(repo, "an unrelated fact")
    args = ("check", "--root", str(repo), "--now", NOW, "--format", "json")
    assert '"standing": true' in run_cli(*args).stdout  # on at the base already: a standing claim

    listings = Repository.listings

    def too_large(
        self: Repository, commit: str, directories: list[str]
    ) -> dict[str, dict[str, Blob] | None]:
        found = listings(self, commit, directories)
        evidence = found.get("evidence") or {}
        huge = {path: blob._replace(size=MAX_FILE_BYTES + 1) for path, blob in evidence.items()}
        return {**found, "evidence": huge}

    lookup = Repository.lookup

    def looked_up_too_large(
        self: Repository, commit: str, paths: list[str]
    ) -> list[tuple[str, str, int] | None]:
        found = lookup(self, commit, paths)
        return [
            (item[0], item[1], MAX_FILE_BYTES + 1)
            if item is not None and path.startswith("evidence/")
            else item
            for path, item in zip(paths, found, strict=True)
        ]

    # The base's evidence files, listed or looked up (check reads only those it needs)
    monkeypatch.setattr(Repository, "listings", too_large)
    monkeypatch.setattr(Repository, "lookup", looked_up_too_large)
    result = run_cli(*args)
    assert result.exit_code == 1, result.stderr
    assert '"implied": true' in result.stdout  # the base said nothing: the change makes the claim


# -- regular expressions ---------------------------------------------------------------------------

PATTERNED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "labels": {
            "type": "object",
            "properties": {"fixed": {"type": "boolean"}},
            "patternProperties": {"^x-": {"type": "string"}, "^n-": {"type": "integer"}},
            "additionalProperties": False,
        },
        "extra": {
            "type": "object",
            "patternProperties": {"^x-": {"type": "string"}},
            "additionalProperties": {"type": "boolean"},
        },
    },
}


def _violations(schema: dict[str, Any], yaml: str) -> list[tuple[str, str]]:
    document = load_bytes(yaml.encode(), "e.yaml")
    return [
        (str(problem.location), problem.message)
        for problem in validate_facts(schema, document.data["facts"], document, ("facts",))
    ]


def test_pattern_properties_are_matched_by_re2() -> None:
    assert _violations(PATTERNED, "facts:\n  labels: {fixed: true, x-a: s, n-b: 1}\n") == []
    assert _violations(
        PATTERNED, "facts:\n  labels: {x-a: 1, n-b: 2, other: 3, x: 4}\n  extra: 5\n"
    ) == [
        ("e.yaml:3:10", "extra: expected an object, found number 5"),
        ("e.yaml:2:28", "unknown fact 'labels.other'"),  # the first of other and x
        ("e.yaml:2:17", "labels.x-a: expected a string, found number 1"),
    ]
    assert _violations(PATTERNED, "facts:\n  extra: {x-a: s, b: true, c: 1}\n") == [
        ("e.yaml:2:31", "extra.c: expected a boolean, found number 1"),
    ]
    assert _violations(PATTERNED, "facts:\n  labels: [1]\n") == [
        ("e.yaml:2:11", "labels: expected an object, found list"),
    ]


def test_the_message_of_additional_properties_names_the_keys() -> None:
    validator, budget = facts_validation._validator({"additionalProperties": False})
    budget.start({"b": 1, "a": 2})
    error = next(validator.iter_errors({"b": 1, "a": 2}))
    assert error.message == "additional properties are not allowed ('a', 'b')"


@pytest.mark.timeout(60)  # backtracking on this key would take far longer than a minute
def test_a_catastrophic_pattern_property_is_linear() -> None:
    schema = {"type": "object", "patternProperties": {"^(a+)+$": {"type": "integer"}}}
    key = "a" * 1000 + "!"
    assert _violations({**schema, "additionalProperties": False}, f"facts: {{{key}: 1}}\n") == [
        ("e.yaml:1:9", f"unknown fact '{key}'"),
    ]


TOO_LONG = "a" * (MAX_PATTERN_CHARS + 1)
REFUSED = [
    (
        {"patternProperties": {"(a)\\1": {}}},
        "patternProperties '(a)\\\\1': invalid regular expression: invalid escape sequence: \\1",
    ),
    (
        {"properties": {"a": {"patternProperties": {"^x": {}}}}, "unevaluatedProperties": False},
        "patternProperties cannot be combined with unevaluatedProperties; use additionalProperties",
    ),
    (
        {"properties": {"a": {"type": "string", "pattern": TOO_LONG}}},
        (
            f"pattern {TOO_LONG!r}: the regular expression is 10,001 characters long; the limit"
            " is 10,000"
        ),
    ),
]


@pytest.mark.parametrize(("schema", "reason"), REFUSED)
def test_schemas_whose_patterns_re2_refuses(schema: dict[str, Any], reason: str) -> None:
    assert check_schema(schema) == reason


def test_an_unevaluated_properties_schema_without_patterns_is_fine() -> None:
    assert check_schema({"properties": {"a": {}}, "unevaluatedProperties": False}) is None


def test_re2_memory_is_capped() -> None:
    assert regex_problem("a" * MAX_PATTERN_CHARS) is None
    assert regex_problem("a" * (MAX_PATTERN_CHARS + 1)) == (
        "the regular expression is 10,001 characters long; the limit is 10,000"
    )
    # short, but RE2 would need more than MAX_PATTERN_MEMORY (not more than 64 MiB) to compile it
    assert regex_problem("\\pL{1000}") == (
        "invalid regular expression: pattern too large - compile failed"
    )
    assert compile_regex("^x").options.max_mem == MAX_PATTERN_MEMORY


def test_a_collector_reports_a_file_over_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 4)
    (tmp_path / "big.rs").write_text("fn main() {}\n")
    on_disk = Snapshot("wasmtime", commit="0" * 40, date="", how="", work_tree=str(tmp_path))
    assert on_disk.text("big.rs") == (
        None,
        f"big.rs is 13 bytes, over the {MAX_FILE_BYTES:,}-byte limit on a file read",
    )

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "big.rs").write_text("fn main() {}\n")
    commit(repo, "one file")
    monkeypatch.setattr(gitmodule, "MAX_FILE_BYTES", 4)
    with RevisionReader(str(repo), "repo") as reader:
        head = reader.revision("HEAD").commit
        from_git = Snapshot("wasmtime", commit=head, date="", how="", reader=reader)
        assert from_git.text("big.rs").problem == on_disk.text("big.rs").problem


def test_an_edit_does_not_read_evidence_over_the_limit(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked on load, and again when the file is read to be edited (it may have grown)."""
    root = _project(tmp_path)
    before = (root / "evidence" / "lib.yaml").read_bytes()
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", len(before) - 1)
    result = run_cli("record", "lib", "docs", "true", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"evidence/lib.yaml:1:1: error: file is {len(before):,} bytes; the limit is"
        f" {len(before) - 1:,} [file-too-large]"
    )
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", MAX_FILE_BYTES)

    def grown(_path: str) -> bytes:
        raise FileTooLarge(MAX_FILE_BYTES + 1)

    monkeypatch.setattr(editing, "read_regular", grown)
    result = run_cli("record", "lib", "docs", "true", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"evidence/lib.yaml:1:1: error: file is {MAX_FILE_BYTES + 1:,} bytes"
    )
    assert (root / "evidence" / "lib.yaml").read_bytes() == before


# -- a policy's own limits: values and bytes -------------------------------------------------------


def _dag_policy(steps: int) -> str:
    """A policy of `steps` steps one a line, each needing the one before (16 values a step)."""
    lines = ["name: t", "version: 1", "title: T", "source: {title: s}"]
    lines += ["facts_schema: t.facts.schema.json", "steps:"]
    for i in range(steps):
        needs = f"s{i - 1}" if i else ""
        lines.append(
            f"  - {{id: s{i}, title: S{i}, source: b, needs: [{needs}],"
            f" done_when: {{fact: done.s{i}, eq: true}}}}"
        )
    lines += ["gates:", "  - {id: g, title: G, source: b, rules: "]
    lines[-1] += f"[{{id: r, title: R, source: b, require: {{step: s{steps - 1}}}}}]}}"
    return "\n".join(lines) + "\n"


def _dag_project(tmp_path: Path, steps: int, facts: int = 1) -> Path:
    from tests.support.project import write_project

    done = "".join(f"    s{i}: true\n" for i in range(facts))
    evidence = f"subject: x\npolicy: t\nfacts:\n  done:\n{done}"
    return write_project(tmp_path / "dag", _dag_policy(steps), {"x": evidence})


def test_a_policy_has_a_larger_value_budget_than_evidence(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 200 steps are about 3,600 values: over the evidence budget, under the policy's.
    monkeypatch.setattr(limits, "MAX_NODES", 1000)
    monkeypatch.setattr(limits, "MAX_POLICY_NODES", 10_000)
    root = _dag_project(tmp_path, 200)
    result = run_cli("plan", "x", "--root", str(root), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"step": "s199"' in result.stdout


def test_a_policy_over_its_value_budget_says_how_many_steps_it_holds(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_POLICY_NODES", 1000)
    root = _dag_project(tmp_path, 500)
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    # 15 values before the steps, 16 a step (15 the first, which needs none): the 11th value of
    # the 62nd step (line 68, its `done_when`) is the 1,001st
    assert result.stderr.startswith(
        "policies/t.yaml:68:52: error: file holds more than 1,000 values [too-many-nodes]"
    )
    assert "a policy of this size (~" in result.stderr
    estimate = int(result.stderr.split("(~", 1)[1].split(" steps)", 1)[0].replace(",", ""))
    assert 450 <= estimate <= 550  # 500 steps, estimated from the lines read
    assert "about 61 steps like these" in result.stderr
    assert "alias" not in result.stderr


def test_an_evidence_file_over_the_value_budget_without_aliases_is_not_told_of_aliases(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 1000)
    root = _dag_project(tmp_path, 2, facts=600)
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    # 9 values before the facts (root, subject, policy, two keys and maps), two a fact: the value
    # of the 496th (line 500) is the 1,001st
    assert "evidence/x.yaml:500:11: error: file holds more than 1,000 values" in result.stderr
    assert "split the file: the limit is 1,000 values" in result.stderr
    assert "alias" not in result.stderr


def test_aliases_are_named_when_they_make_most_of_the_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 1000)
    block = "[" + ", ".join(["x"] * 50) + "]"
    text = f"a: &a {block}\nb: [" + ", ".join(["*a"] * 30) + "]\n"
    with pytest.raises(InvalidInput) as raised:
        load_bytes(text.encode(), "e.yaml")
    (problem,) = raised.value.problems
    assert problem.code == "too-many-nodes"
    assert problem.message.startswith("file expands to more than 1,000 values: its aliases repeat")
    assert problem.hint == "remove the aliases that repeat large blocks"


def test_a_large_file_with_a_few_aliases_is_too_large_not_aliased(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 1000)
    text = "a: &a [1, 2]\nb: *a\nc: [" + ", ".join(["x"] * 1000) + "]\n"
    with pytest.raises(InvalidInput) as raised:
        load_bytes(text.encode(), "e.yaml")
    (problem,) = raised.value.problems
    assert problem.message == "file holds more than 1,000 values (3 of them repeated by aliases)"
    assert "alias" not in (problem.hint or "")


def test_a_policy_may_be_larger_than_an_evidence_file(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _dag_project(tmp_path, 30)
    size = (root / "policies" / "t.yaml").stat().st_size
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", size - 1)
    monkeypatch.setattr(limits, "MAX_POLICY_BYTES", size)
    assert run_cli("validate", "--root", str(root)).exit_code == 0
    monkeypatch.setattr(limits, "MAX_POLICY_BYTES", size - 2)
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"policies/t.yaml:1:1: error: file is {size:,} bytes; the limit is {size - 2:,}"
        " [file-too-large]"
    )


def test_the_policy_limits_hold_the_benchmarks_million_steps() -> None:
    # bench/plan_scale.py's 1,000,000-step policy: 122 MB, 18 values a step
    assert limits.MAX_POLICY_BYTES > 122_000_000
    assert limits.MAX_POLICY_NODES > 18 * 1_000_000
    assert limits.MAX_NODES < limits.MAX_POLICY_NODES  # evidence files stay small

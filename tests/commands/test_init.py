"""`gatecheck init`: each example is a working project at once; nothing is ever half-written."""

from __future__ import annotations

import os
import re
import subprocess
from typing import TYPE_CHECKING

import pytest
from tests.support.installed import SCRIPT

from gatecheck.commands.init import EXAMPLES, init_project, skeleton
from gatecheck.errors import InvalidInput
from gatecheck.files import replace_file

if TYPE_CHECKING:
    from pathlib import Path

SUBJECTS = {"release": "mylib", "wasm-proposal": "my-proposal", "blank": "example"}


def installed(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GATECHECK_NO")}
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
        env=env,
    )  # fmt: skip


def files_under(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


@pytest.mark.installed
@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_validates_tests_and_evaluates_at_once(tmp_path: Path, example: str) -> None:
    made = installed("init", "project", "--example", example, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "project"
    subject = SUBJECTS[example]
    assert "  cd project\n" in made.stdout
    assert f"  gatecheck evaluate {subject}  " in made.stdout
    written = [line.removeprefix("wrote ") for line in made.stdout.splitlines() if "wrote" in line]
    assert set(written) == files_under(project)
    assert {"gatecheck.toml", ".github/workflows/gatecheck.yml", f"evidence/{subject}.yaml"} <= set(
        written
    )
    assert any(path.startswith("policies/tests/") for path in written)
    assert any(path.endswith(".facts.schema.json") for path in written)

    validate = installed("validate", cwd=project)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith("ok: ")
    tests = installed("test", cwd=project)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " 0 failed" in tests.stdout
    evaluate = installed("evaluate", subject, "--now", "2026-11-24", cwd=project)
    assert evaluate.returncode == 1, evaluate.stderr  # each example fails a gate on purpose
    assert evaluate.stdout.startswith(f"{subject}  ")
    assert "FAIL" in evaluate.stdout
    assert "Traceback" not in evaluate.stderr


def test_the_release_example_explains_what_to_do_next(run_cli, tmp_path: Path) -> None:
    init_project(str(tmp_path), "release")
    result = run_cli("--root", str(tmp_path), "evaluate", "mylib", "--now", "2026-11-24")
    assert result.exit_code == 1
    assert "tests.failed is 2; expected 0" in result.stdout
    assert "to do: record `docs.built_on` in evidence/mylib.yaml" in result.stdout
    assert "1 attestation of 'release-approved' counts; expected 2 by maintainers" in result.stdout


def test_the_default_example_is_release_into_the_current_directory(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("init")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "policies" / "release.yaml").is_file()
    assert "Next:\n  gatecheck validate" in result.stdout  # no `cd` to the directory one is in
    assert result.stdout.splitlines()[0] == "wrote gatecheck.toml"


def test_the_wasm_proposal_example_copies_the_bundled_policies(tmp_path: Path) -> None:
    from importlib.resources import files

    init_project(str(tmp_path), "wasm-proposal")
    for name in ("wasm-proposal.yaml", "wasm-proposal.v2.yaml"):
        bundled = (files("gatecheck.policies") / name).read_bytes()
        assert (tmp_path / "policies" / name).read_bytes() == bundled
    schema = (files("gatecheck.schemas") / "wasm-proposal.facts.schema.json").read_bytes()
    assert (tmp_path / "schemas" / "wasm-proposal.facts.schema.json").read_bytes() == schema


_TEST_FILE_KEYS = {"policy", "description", "now", "evidence", "cases", "name", "set", "expect"}
_TEST_FILE_KEYS |= {"gates", "rules", "steps", "as_of", "attestations", "waivers", "claims"}


def _keys_to_explain(path: str) -> tuple[set[str], str]:
    """The language's keys that a skeleton file must explain, and where keys start on a line."""
    from gatecheck.language import shapes

    if path.startswith("policies/tests/"):
        return _TEST_FILE_KEYS, r"^\s*(?:- )?"
    if path.startswith("evidence/"):  # only the envelope's: facts are the user's own names
        return set(shapes.EvidenceShape.model_fields), "^"
    parts = (shapes.PolicyShape, shapes.StepShape, shapes.GateShape, shapes.RuleShape)
    keys = {key for part in parts for key in part.model_fields}
    return keys | set(shapes.SourceDocumentShape.model_fields), r"^\s*(?:- )?"


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_skeleton_yaml_explains_each_key_in_a_comment(example: str) -> None:
    """Each key of the language that a written file uses has a comment on one of its lines."""
    bundled_copies = {"policies/wasm-proposal.yaml", "policies/wasm-proposal.v2.yaml"}
    for path, data in skeleton(example).files:
        if not path.endswith(".yaml") or path in bundled_copies or path.startswith(".github"):
            continue
        keys, indent = _keys_to_explain(path)
        explained: dict[str, bool] = {}
        for line in data.decode().splitlines():
            key = re.match(indent + r"([a-z_]+):", line)
            if key is not None and key.group(1) in keys:
                explained[key.group(1)] = explained.get(key.group(1), False) or " # " in line
        assert explained, path
        assert [key for key, done in explained.items() if not done] == [], path


def test_existing_files_are_each_named_and_nothing_is_written(run_cli, tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "release.yaml").write_text("mine\n")
    (tmp_path / "gatecheck.toml").write_text("# mine\n")
    before = files_under(tmp_path)
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}/gatecheck.toml: error: exists already" in result.stderr
    assert f"{tmp_path}/policies/release.yaml: error: exists already" in result.stderr
    assert "[file-exists]" in result.stderr
    assert result.stderr.rstrip().endswith("gatecheck: 2 problems; nothing written")
    assert files_under(tmp_path) == before
    assert (tmp_path / "gatecheck.toml").read_text() == "# mine\n"


def test_a_file_where_a_directory_goes_is_refused(run_cli, tmp_path: Path) -> None:
    (tmp_path / "evidence").write_text("not a directory\n")
    result = run_cli("init", str(tmp_path), "--example", "blank")
    assert result.exit_code == 2
    assert f"{tmp_path}/evidence: error: not a directory, and init writes into it" in result.stderr
    assert files_under(tmp_path) == {"evidence"}


def test_dir_that_is_a_file_is_refused(run_cli, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x\n")
    result = run_cli("init", str(tmp_path / "file"))
    assert result.exit_code == 2
    assert "not a directory: gatecheck init writes a project into a directory" in result.stderr
    assert "[bad-directory]" in result.stderr


def test_root_before_the_command_is_the_directory(run_cli, tmp_path: Path) -> None:
    result = run_cli("--root", str(tmp_path / "new"), "init", "--example", "blank")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "new" / "gatecheck.toml").is_file()
    assert run_cli("--root", str(tmp_path / "new"), "validate").exit_code == 0


def test_directory_options_before_the_command_are_refused_not_ignored(
    run_cli, tmp_path: Path
) -> None:
    result = run_cli("--evidence", "elsewhere", "init", str(tmp_path / "a"))
    assert result.exit_code == 2
    assert "--evidence does not apply to init" in result.stderr
    result = run_cli("--root", str(tmp_path / "a"), "init", str(tmp_path / "b"))
    assert result.exit_code == 2
    assert "disagree: give one of them" in result.stderr
    assert files_under(tmp_path) == set()


def test_an_unknown_example_lists_the_known_ones(run_cli, tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "new"), "--example", "relase")
    assert result.exit_code == 2
    assert "'relase' is not one of 'release', 'wasm-proposal', 'blank'" in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_failing_write_removes_everything_the_run_wrote(tmp_path: Path) -> None:
    target = tmp_path / "new"
    writes: list[str] = []

    def fail_on_the_fourth(directory: str, name: str, data: bytes) -> None:
        if len(writes) == 3:
            raise OSError(28, "No space left on device")
        replace_file(directory, name, data)
        writes.append(name)

    with pytest.raises(InvalidInput) as raised:
        init_project(str(target), "release", write=fail_on_the_fourth)
    assert len(writes) == 3
    assert not target.exists()  # the files, the directories and DIR itself, all made by the run
    (problem,) = raised.value.problems
    assert problem.code == "unwritable"
    assert "No space left on device" in problem.message


def test_a_failing_write_leaves_what_was_there_before(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "notes.txt").write_text("mine\n")

    def fail_in_evidence(directory: str, name: str, data: bytes) -> None:
        if name.endswith(".yaml") and os.path.basename(directory) == "evidence":
            raise OSError(13, "Permission denied")
        replace_file(directory, name, data)

    with pytest.raises(InvalidInput):
        init_project(str(tmp_path), "blank", write=fail_in_evidence)
    assert files_under(tmp_path) == {"notes.txt"}
    assert (tmp_path / "policies").is_dir()  # there before the run: kept


def test_a_file_that_appears_during_the_run_is_not_overwritten(tmp_path: Path) -> None:
    def someone_else_writes_the_evidence(directory: str, name: str, data: bytes) -> None:
        replace_file(directory, name, data)
        if name == "example.facts.schema.json":
            (tmp_path / "evidence").mkdir(exist_ok=True)
            (tmp_path / "evidence" / "example.yaml").write_text("theirs\n")

    with pytest.raises(InvalidInput) as raised:
        init_project(str(tmp_path), "blank", write=someone_else_writes_the_evidence)
    assert [problem.code for problem in raised.value.problems] == ["file-exists"]
    assert (tmp_path / "evidence" / "example.yaml").read_text() == "theirs\n"
    assert files_under(tmp_path) == {"evidence/example.yaml"}


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_skeleton_file_is_written_in_reading_order(example: str) -> None:
    paths = [path for path, _ in skeleton(example).files]
    assert paths[0] == "gatecheck.toml"
    assert paths[-1] == ".github/workflows/gatecheck.yml"
    evidence = [path for path in paths if path.startswith("evidence/")]
    # the lock file record, attest and waive leave beside the evidence is ignored by git
    assert evidence == ["evidence/.gitignore", f"evidence/{SUBJECTS[example]}.yaml"]


def test_the_ci_workflow_matches_githubs_schema(tmp_path: Path) -> None:
    import sys

    workflow = tmp_path / "gatecheck.yml"
    workflow.write_bytes(dict(skeleton("blank").files)[".github/workflows/gatecheck.yml"])
    checker = os.path.join(os.path.dirname(sys.executable), "check-jsonschema")
    done = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    text = workflow.read_text()
    for command in ("gatecheck validate", "gatecheck test", "uses: OWNER/gatecheck@v1"):
        assert command in text
    assert "fetch-depth: 0" in text  # check reads the base's policies from the clone


def test_the_closing_message_quotes_a_directory_for_the_shell(run_cli, tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "my lib"), "--example", "blank")
    assert result.exit_code == 0, result.stderr
    assert f"  cd '{tmp_path}/my lib'\n  gatecheck validate" in result.stdout

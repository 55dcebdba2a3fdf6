"""bench/peers.py on a few subjects: the translations agree with gatecheck; no timing is checked.

Each peer engine is judged where it is installed: in this Python, or else in the benchmark's own
virtualenv (bench/.venv-peers, git-ignored), through the script's `--worker`. An engine found in
neither is skipped, saying so. The numbers themselves are in docs/performance.md.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.project import REPO

if TYPE_CHECKING:
    from pathlib import Path

SUBJECTS = 40


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location("bench_peers", REPO / "bench" / "peers.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


peers = _load_script()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str]]:
    """A small corpus, and gatecheck's verdicts on it (one bit per rule of the gate)."""
    root = tmp_path_factory.mktemp("peers") / "corpus"
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(peers, "ROOT", root)
        patch.setenv("GATECHECK_CACHE_DIR", str(cache))
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
        files = peers.make_corpus(SUBJECTS)
        verdicts = peers.gatecheck_in_process(files)["values"]["verdicts"]
    return root, files, verdicts


def test_the_corpus_makes_every_rule_pass_somewhere_and_fail_somewhere(corpus) -> None:
    _, files, verdicts = corpus
    assert len(files) == len(verdicts) == SUBJECTS
    for position, rule in enumerate(peers.RULES):
        column = {bits[position] for bits in verdicts}
        assert column == {"0", "1"}, rule


def test_a_differing_verdict_is_reported_with_its_subject_and_rule(corpus) -> None:
    _, _, verdicts = corpus
    flipped = [*verdicts]
    bits = list(flipped[3])
    bits[2] = "1" if bits[2] == "0" else "0"
    flipped[3] = "".join(bits)
    assert peers.disagreements(verdicts, verdicts, peers.RULES) == []
    assert peers.disagreements(verdicts, flipped, peers.RULES) == [
        f"p00003 no-open-concerns: gatecheck {verdicts[3][2]}, peer {bits[2]}"
    ]
    # an engine judging fewer rules is compared on those only
    subset = ["".join(b[peers.RULES.index(r)] for r in peers.CEDAR_RULES) for b in verdicts]
    assert peers.disagreements(verdicts, subset, peers.CEDAR_RULES) == []


@pytest.mark.parametrize("engine", list(peers.ENGINES))
def test_a_one_shot_script_imports_only_its_engine_and_the_yaml_loader(engine: str) -> None:
    source = peers.one_shot_script(engine)
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.module is not None
            imported.add(node.module.split(".")[0])
    own = peers.ENGINES[engine].module
    # regopy takes its input as JSON text; datetime holds the judging date
    assert imported <= {own, "ruamel", "sys", "datetime", "json"}, imported
    assert {own, "ruamel"} <= imported


def _judged_here(engine: str, files: list[str]) -> list[str]:
    from ruamel.yaml import YAML

    judge = peers.make_judge(engine)
    loader = YAML(typ="safe")
    verdicts = []
    for name in files:
        with open(name, "rb") as f:
            verdicts.append(peers.as_bits(judge(loader.load(f))))
    return verdicts


def _judged_in_the_peers_virtualenv(engine: str, root: Path, files: list[str]) -> list[str]:
    listing = root / f"files-{engine}.txt"
    listing.write_text("\n".join(files))
    done = subprocess.run(
        [
            str(peers.PEERS_PYTHON),
            str(REPO / "bench" / "peers.py"),
            "--worker",
            str(listing),
            engine,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    if engine in result["missing"]:
        pytest.skip(f"{engine}: {result['missing'][engine]} in {peers.PEERS_PYTHON}")
    verdicts: list[str] = result["engines"][engine]["verdicts"]
    return verdicts


@pytest.mark.parametrize("engine", list(peers.ENGINES))
def test_every_peer_gives_gatecheck_s_verdicts(engine: str, corpus) -> None:
    root, files, reference = corpus
    if importlib.util.find_spec(peers.ENGINES[engine].module) is not None:
        verdicts = _judged_here(engine, files)
    elif peers.PEERS_PYTHON.exists():
        verdicts = _judged_in_the_peers_virtualenv(engine, root, files)
    else:
        pytest.skip(
            f"{engine} ({peers.ENGINES[engine].module}) is installed neither in {sys.executable}"
            f" nor in {peers.PEERS_PYTHON} (see bench/peers.py)"
        )
    assert peers.disagreements(reference, verdicts, peers.ENGINES[engine].rules) == []

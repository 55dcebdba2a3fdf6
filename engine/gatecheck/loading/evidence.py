"""Loading evidence files: read, check against the shape, the policy and its facts schema, build.

Evidence is judged by the policy it names (or by `--policy`'s); a file whose exact bytes were
checked against that policy before is trusted without validating again (`cache`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Problem, Problems, known_names_hint
from gatecheck.language.evidence import Evidence, build_evidence
from gatecheck.language.policy import Policy
from gatecheck.loading import cache
from gatecheck.loading.input_bytes import read_input
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.policy_catalogue import is_ref

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from gatecheck.documents import Document
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.progress import Progress
    from gatecheck.project.input_file import InputFile


def load_evidence(
    files: Iterable[InputFile],
    policies: Policies,
    judged_by: Policy | None = None,
    progress: Progress | None = None,
) -> list[Evidence]:
    """Load and check evidence files; raise every problem, the policies' too, together.

    With `judged_by`, evidence that names any version of that policy is checked against, and
    judged by, `judged_by` instead (`--policy`); other evidence keeps the policy it names.
    """
    return list(each_evidence(files, policies, judged_by, progress))


def each_evidence(
    files: Iterable[InputFile],
    policies: Policies,
    judged_by: Policy | None = None,
    progress: Progress | None = None,
) -> Iterator[Evidence]:
    """`load_evidence` a file at a time: each valid file's evidence as it is loaded.

    The problems (the policies' too) are raised together once the files run out: a caller that
    acts on what it is handed must hold the outcome back until then.
    """
    problems = Problems(policies.problems)
    listed = list(files)
    for done, file in enumerate(listed):
        if progress is not None:
            progress("loading", done, len(listed))
        evidence = None
        with problems.collecting():
            evidence = load_one(file, policies, judged_by)
        if evidence is not None:
            yield evidence
    problems.raise_if_any()


def load_one(file: InputFile, policies: Policies, judged_by: Policy | None = None) -> Evidence:
    """One evidence file, checked (or trusted from the cache); InvalidInput with its problems."""
    raw = read_input(file)
    document = load_bytes(raw, file.display)
    data = document.data
    ref = data.get("policy") if isinstance(data, dict) else None
    stem = _file_subject(file, data)
    policy: Policy | str | None = None
    if judged_by is not None and isinstance(ref, str) and ref.partition("@")[0] == judged_by.name:
        policy = judged_by  # a version of the policy it names, perhaps another one: --policy
    elif isinstance(ref, str) and is_ref(ref):
        policy = policies.resolve(ref)
    if isinstance(policy, Policy):
        key = cache.digest(raw, stem, policies.keys[policy.ref])
        if cache.read("evidence", key) is True:
            return build_evidence(document, policy)
    else:
        key = None
    problems = _evidence_problems(document, policy, stem, policies)
    if problems or not isinstance(policy, Policy):
        raise InvalidInput(problems)  # no problems here: its policy's own problems explain it
    if key is not None:
        cache.write("evidence", key, True)  # noqa: FBT003
    return build_evidence(document, policy)


def _file_subject(file: InputFile, data: object) -> str:
    """The subject the file's name says; standard input's is what its `subject` says."""
    if file.named_by_content and isinstance(data, dict):
        subject = data.get("subject")
        if isinstance(subject, str):
            return subject
    return file.stem


def _evidence_problems(
    document: Document, policy: Policy | str | None, stem: str, policies: Policies
) -> list[Problem]:
    from gatecheck.language.evidence_checks import evidence_problems
    from gatecheck.language.shapes import EvidenceShape
    from gatecheck.loading.facts_validation import validate_facts
    from gatecheck.loading.validation import model_problems

    problems = model_problems(EvidenceShape, document)
    if problems:
        return problems
    if not isinstance(policy, Policy):
        if policies.problems:  # the policy may be one that failed to load: that is reported
            return []
        refs = policies.names()
        ref = document.data["policy"]
        return [
            Problem(
                "unknown-policy",
                f"evidence is judged by '{ref}', but {policy}",
                document.locate(("policy",)),
                known_names_hint(ref, refs, "policy"),
            )
        ]
    schema = policies.facts_schema(policy)
    problems.extend(validate_facts(schema, document.data["facts"], document, ("facts",)))
    problems.extend(evidence_problems(document, policy, stem))
    return problems

"""Loading evidence files: read, check against the shape, the policy and its facts schema, build.

Evidence is judged by the policy it names (or by `--policy`'s); a file whose exact bytes were
checked against that policy before is trusted without parsing or validating again (`cache`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.documents import Document
from gatecheck.errors import InvalidInput, Problem, Problems, known_names_hint
from gatecheck.language.evidence import Evidence, build_evidence
from gatecheck.language.policy import Policy
from gatecheck.loading import cache
from gatecheck.loading.input_bytes import read_input
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.policy_catalogue import is_ref

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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
    """One evidence file, checked (or trusted from the cache); InvalidInput with its problems.

    The cache remembers a valid file's parse by its bytes, with the policy it was found valid
    against: a file read again under the same policy is neither parsed nor validated (and the
    YAML parser is not even imported). Only what passed is remembered.
    """
    raw = read_input(file)
    key = cache.digest(raw, file.stem)
    remembered = cache.read("evidence", key)
    document = _remembered_document(remembered, file)
    if document is None:
        document = load_bytes(raw, file.display)
    data = document.data
    ref = data.get("policy") if isinstance(data, dict) else None
    stem = _file_subject(file, data)
    policy: Policy | str | None = None
    if judged_by is not None and isinstance(ref, str) and ref.partition("@")[0] == judged_by.name:
        policy = judged_by  # a version of the policy it names, perhaps another one: --policy
    elif isinstance(ref, str) and is_ref(ref):
        policy = policies.resolve(ref)
    valid_for = None
    if isinstance(policy, Policy):
        valid_for = cache.digest(key, stem, policies.keys[policy.ref])
        if _remembered_valid_for(remembered) == valid_for:
            return build_evidence(document, policy)
    problems = _evidence_problems(document, policy, stem, policies)
    if problems or not isinstance(policy, Policy):
        raise InvalidInput(problems)  # no problems here: its policy's own problems explain it
    if cache.remembers_across_runs():
        parsed = (*document.parse(), valid_for)
        cache.write("evidence", key, parsed)
    else:  # a run's own memory keeps a file's verdict, not its parse: 100,000 would not fit
        cache.write("evidence", key, (None, None, None, valid_for))
    return build_evidence(document, policy)


def _remembered_valid_for(remembered: object) -> object:
    """The key of the policy a cache entry says its file was found valid against, if it says."""
    if isinstance(remembered, tuple) and len(remembered) == 4:  # noqa: PLR2004 - the entry
        return remembered[3]
    return None


def _remembered_document(remembered: object, file: InputFile) -> Document | None:
    """The parse a cache entry holds for `file` (as `file` names it), if it holds one."""
    if not (isinstance(remembered, tuple) and len(remembered) == 4):  # noqa: PLR2004 - the entry
        return None
    data, positions, key_positions, _valid_for = remembered
    if not (isinstance(positions, dict) and isinstance(key_positions, dict)):
        return None
    return Document(file.display, data, positions, key_positions)


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

"""Loading policy test cases: each file checked, its evidence built, its cases made `Case`s.

Every problem in every file is collected and raised together, located at file:line:column, before
any case runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Problem, Problems, known_names_hint
from gatecheck.policytests.case_file import CaseFile, read_document
from gatecheck.policytests.evidence import EvidenceLoader
from gatecheck.policytests.expectations import expectation_problems, expectations
from gatecheck.policytests.run import Case
from gatecheck.policytests.shapes import PolicyTestModel

if TYPE_CHECKING:
    from gatecheck.documents import DataPath, Document
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies


def load_cases(files: list[CaseFile], policies: Policies, root: str) -> list[Case]:
    """Every case of every file; raise every problem (the policies' too) together."""
    problems = Problems(policies.problems)
    cases: list[Case] = []
    loader = EvidenceLoader(policies, root)
    for test in files:
        with problems.collecting():
            cases.extend(_load_file(test, policies, loader))
    problems.raise_if_any()
    return cases


def _load_file(test: CaseFile, policies: Policies, loader: EvidenceLoader) -> list[Case]:
    from gatecheck.language.policy import Policy
    from gatecheck.loading.validation import model_problems

    document = read_document(test.file)
    problems = model_problems(PolicyTestModel, document)
    if problems:
        raise InvalidInput(problems)
    data = document.data
    policy = policies.resolve(data["policy"])
    if not isinstance(policy, Policy):
        if policies.problems:
            raise InvalidInput([])  # the policy may be one that failed to load: that is reported
        refs = [p.ref for p in policies.all()] + list(policies.by_name)
        raise InvalidInput(
            [
                Problem(
                    "unknown-policy",
                    f"the test is of policy '{data['policy']}', but {policy}",
                    document.locate(("policy",)),
                    known_names_hint(data["policy"], refs, "policy"),
                )
            ]
        )
    cases: list[Case] = []
    names: dict[str, int] = {}
    for index, case in enumerate(data["cases"]):
        path: DataPath = ("cases", index)
        first = names.setdefault(case["name"], index)
        if first != index:
            line = document.locate(("cases", first, "name")).line
            problems.append(
                Problem(
                    "duplicate-id",
                    f"case name '{case['name']}' is used twice (first at line {line})",
                    document.locate((*path, "name")),
                    "give each case its own name",
                )
            )
        try:
            cases.append(_case(test, document, path, policy, loader))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return cases


def _case(
    test: CaseFile, document: Document, path: DataPath, policy: Policy, loader: EvidenceLoader
) -> Case:
    data = document.data
    case = data["cases"][path[1]]
    problems = list(expectation_problems(document, path, policy))
    now = case.get("now", data.get("now"))
    if now is None:
        problems.append(
            Problem(
                "missing-key",
                "the case has no judging date",
                document.locate(path),
                "add `now: YYYY-MM-DD` to the case, or once at the top of the file",
            )
        )
    evidence = None
    if "evidence" not in case and "evidence" not in data:
        problems.append(
            Problem(
                "missing-key",
                "the case has no evidence",
                document.locate(path),
                "add `evidence:` (a file path or a mapping) to the case, or once at the top of"
                " the file",
            )
        )
    else:
        try:
            evidence = loader.evidence(test, document, path, policy)
        except InvalidInput as error:
            problems.extend(error.problems)
    if evidence is not None and now is not None:
        from gatecheck.evaluation.observation import dated_after

        problems.extend(dated_after(evidence, now))
    if problems or evidence is None or now is None:
        raise InvalidInput(problems)
    return Case(
        file=document.path,
        name=case["name"],
        location=document.locate(path),
        evidence=evidence,
        now=now,
        expectations=tuple(expectations(document, path, policy)),
    )

"""The evidence of a policy test case: a file or an inline mapping, with `set` overrides applied.

Evidence is validated exactly like an evidence file (envelope, facts schema, references to the
policy), and every problem and every explanation is located where the value was written: in the
evidence file, in the inline mapping, or at the `set` entry of the test file that changed it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem, Problems
from gatecheck.language.evidence import Evidence, build_evidence
from gatecheck.policytests.case_file import read_document
from gatecheck.policytests.layered import Layer, LayeredDocument
from gatecheck.policytests.set_facts import assign, set_problem

if TYPE_CHECKING:
    from gatecheck.documents import DataPath, Document
    from gatecheck.errors import Location
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.policytests.case_file import CaseFile

INLINE_SUBJECT = "example"  # the subject of inline evidence that names none
# Envelope keys a case may replace in its evidence (facts are changed one by one with `set`).
ENVELOPE_KEYS = ("as_of", "attestations", "waivers", "claims", "claimed_by")


class EvidenceLoader:
    """Builds each case's evidence; a file or inline mapping is validated once per policy."""

    def __init__(self, policies: Policies, root: str) -> None:
        self.policies = policies
        self.root = root
        self._bases: dict[tuple[str, DataPath, str], LayeredDocument | None] = {}

    def evidence(
        self, test: CaseFile, document: Document, case_path: DataPath, policy: Policy
    ) -> Evidence:
        """The evidence of the case at `case_path`: its own or the file's, changed as it says."""
        case = document.data["cases"][case_path[1]]
        source = (*case_path, "evidence") if "evidence" in case else ("evidence",)
        key = (document.path, source, policy.ref)
        if key not in self._bases:
            try:
                self._bases[key] = self._base(test, document, source, policy)
            except InvalidInput:
                self._bases[key] = None
                raise
        base = self._bases[key]
        if base is None:
            raise InvalidInput([])  # its problems were reported with the first case that used it
        overrides = {key: case[key] for key in ENVELOPE_KEYS if key in case}
        if overrides:
            base = self._envelope(base, overrides, document, case_path, policy)
        if case.get("set"):
            base = self._set(base, document, (*case_path, "set"), case["set"], policy)
        return build_evidence(base, policy)

    def _envelope(
        self,
        base: LayeredDocument,
        overrides: dict[str, Any],
        document: Document,
        case_path: DataPath,
        policy: Policy,
    ) -> LayeredDocument:
        """The evidence with the case's attestations, waivers, claims or as_of instead."""
        from gatecheck.language.evidence_checks import evidence_problems
        from gatecheck.language.shapes import EvidenceShape
        from gatecheck.loading.validation import model_problems

        layers = [*base.layers, *(Layer((key,), document, (*case_path, key)) for key in overrides)]
        changed = LayeredDocument(base.path, {**base.data, **overrides}, layers)
        problems = model_problems(EvidenceShape, changed)
        if not problems:  # the subject was checked with the base: only references are new here
            problems = list(evidence_problems(changed, policy, changed.data["subject"]))
        if problems:
            raise InvalidInput(problems)
        return changed

    def _set(
        self,
        base: LayeredDocument,
        document: Document,
        set_path: DataPath,
        entries: dict[str, Any],
        policy: Policy,
    ) -> LayeredDocument:
        """The evidence with `set` applied to its facts; problems located at the entries."""
        schema = self.policies.facts_schema(policy)
        facts = copy.deepcopy(base.data["facts"])
        layers = list(base.layers)
        problems = Problems()
        for key, value in entries.items():
            where = (*set_path, key)
            problem = set_problem(schema, key, document.locate_key(where))
            if problem is None:
                assigned = assign(facts, key, copy.deepcopy(value))
                if isinstance(assigned, str):
                    problem = Problem(
                        "bad-set",
                        f"cannot set '{key}': {assigned}",
                        document.locate_key(where),
                        "set a fact inside a mapping, or an existing list item by its index",
                    )
                else:
                    layers.append(Layer(("facts", *assigned), document, where))
            if problem is not None:
                problems.append(problem)
        layered = LayeredDocument(base.path, {**base.data, "facts": facts}, layers)
        problems.extend(self._facts_problems(policy, facts, layered))
        problems.raise_if_any()
        return layered

    def _base(
        self, test: CaseFile, document: Document, source: DataPath, policy: Policy
    ) -> LayeredDocument:
        value = document.data
        for part in source:
            value = value[part]
        if isinstance(value, str):
            evidence_file = test.resolve(value, self.root)
            if evidence_file is None:
                raise InvalidInput(
                    [
                        Problem(
                            "unreadable",
                            f"evidence file '{value}' not found",
                            document.locate(source),
                            "paths are relative to the test file; bundled tests can name only"
                            " files beside them",
                        )
                    ]
                )
            loaded = read_document(evidence_file)
            base = LayeredDocument(loaded.path, loaded.data, [Layer((), loaded, ())])
            stem = evidence_file.stem
            reference = document.locate(source)
        elif value is None:  # `evidence:` left empty (the test file's model allows null)
            raise InvalidInput(
                [
                    Problem(
                        "wrong-type",
                        "evidence is empty: expected a file name or a mapping of evidence",
                        document.locate(source),
                        "write the evidence inline (`evidence: {facts: {...}}`) or name a file"
                        " beside the test (`evidence: ../evidence/x.yaml`)",
                    )
                ]
            )
        else:
            data = {"subject": INLINE_SUBJECT, "policy": policy.ref, **value}
            base = LayeredDocument(document.path, data, [Layer((), document, source)])
            stem = data["subject"]
            reference = None
        self._check(base, policy, stem, reference)
        return base

    def _check(
        self, base: LayeredDocument, policy: Policy, stem: str, reference: Location | None
    ) -> None:
        """Validate evidence as `gatecheck validate` does, against the policy under test."""
        from gatecheck.language.evidence_checks import evidence_problems
        from gatecheck.language.shapes import EvidenceShape
        from gatecheck.loading.validation import model_problems

        problems = model_problems(EvidenceShape, base)
        if problems:
            raise InvalidInput(problems)
        named = base.data["policy"].partition("@")[0]
        if named != policy.name:
            written = reference or base.locate(("policy",))
            raise InvalidInput(
                [
                    Problem(
                        "policy-mismatch",
                        f"evidence {base.path} is judged by policy '{named}', but this test is of"
                        f" {policy.ref}",
                        written,
                        f"use evidence written for {policy.name}, or write it inline",
                    )
                ]
            )
        problems.extend(self._facts_problems(policy, base.data["facts"], base))
        problems.extend(evidence_problems(base, policy, stem))
        if problems:
            raise InvalidInput(problems)

    def _facts_problems(self, policy: Policy, facts: Any, document: Document) -> list[Problem]:
        """The facts schema's problems with `facts`; facts found valid before are not checked again.

        A policy's test cases are validated by every `validate` and `test`; with the validation
        cache, as evidence files are (`loading.evidence`), a run over unchanged cases skips
        jsonschema. The key is the policy's own (its facts schema included) and the facts' pickle:
        equal bytes are equal data, of the same types, so a hit is never another value's result.
        """
        import pickle

        from gatecheck.loading import cache
        from gatecheck.loading.facts_validation import validate_facts

        policy_key = self.policies.keys.get(policy.ref)
        try:
            pickled = pickle.dumps(facts, protocol=5)
        except (pickle.PicklingError, TypeError, ValueError, RecursionError):
            policy_key = None
        key = None if policy_key is None else cache.digest("facts", policy_key, pickled)
        if key is not None and cache.read("facts", key) is True:
            return []
        schema = self.policies.facts_schema(policy)
        problems = list(validate_facts(schema, facts, document, ("facts",)))
        if key is not None and not problems:
            cache.write("facts", key, True)  # noqa: FBT003
        return problems

"""The evidence of a policy test case: a file or an inline mapping, with `set` overrides applied.

Evidence is validated exactly like an evidence file (envelope, facts schema, references to the
policy), and every problem and every explanation is located where the value was written: in the
evidence file, in the inline mapping, or at the `set` entry of the test file that changed it.
"""

from __future__ import annotations

import copy
import os
import posixpath
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import InvalidInput, Problem
from gatecheck.language.evidence import Evidence, build_evidence
from gatecheck.loading.documents import Document, Location, load_bytes

if TYPE_CHECKING:
    from gatecheck.language.policy import Policy
    from gatecheck.loading.documents import DataPath
    from gatecheck.loading.pipeline import Policies
    from gatecheck.project.directory import Directory
    from gatecheck.project.input_file import InputFile

INLINE_SUBJECT = "example"  # the subject of inline evidence that names none
# Envelope keys a case may replace in its evidence (facts are changed one by one with `set`).
ENVELOPE_KEYS = ("as_of", "attestations", "waivers", "claims", "claimed_by")


class Layer(NamedTuple):
    """Values at `prefix` (and below) were written in `document` at `there`."""

    prefix: DataPath
    document: Document
    there: DataPath


class LayeredDocument(Document):
    """Data put together from several places; each value is located where it was written."""

    __slots__ = ("layers",)

    def __init__(self, path: str, data: Any, layers: list[Layer]) -> None:
        super().__init__(path, data, {}, {})
        self.layers = layers  # the first has prefix (); a later layer covers the earlier ones

    def _source(self, path: DataPath) -> tuple[Document, DataPath]:
        for layer in reversed(self.layers):
            if path[: len(layer.prefix)] == layer.prefix:
                return layer.document, (*layer.there, *path[len(layer.prefix) :])
        return self.layers[0].document, path  # pragma: no cover - the first layer has prefix ()

    def locate(self, path: DataPath) -> Location:
        document, there = self._source(path)
        return document.locate(there)

    def locate_key(self, path: DataPath) -> Location:
        document, there = self._source(path)
        return document.locate_key(there)

    def has(self, path: DataPath) -> bool:
        document, there = self._source(path)
        return document.has(there)


class CaseFile(NamedTuple):
    """A policy test file and how to find the files it names."""

    file: InputFile
    local: str | None  # its path on disk, when it has one: references resolve with os.path
    tree: Directory  # the directory it was found in (bundled tests resolve references inside it)
    relative: str  # its path inside `tree`

    def resolve(self, reference: str, root: str) -> InputFile | None:
        """The file a path relative to this test file names, or None if there is none."""
        from gatecheck.project.input_file import InputFile
        from gatecheck.project.local_path import LocalPath

        if self.local is not None:
            path = os.path.normpath(os.path.join(os.path.dirname(self.local), reference))
            display = os.path.relpath(path, root).replace(os.sep, "/")
            return InputFile(display, LocalPath(path)) if os.path.isfile(path) else None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.relative), reference))
        if target == ".." or target.startswith(("../", "/")):
            return None  # bundled tests refer only to files beside them
        handle = self.tree.handle
        for part in target.split("/"):
            handle = handle.joinpath(part)
        return InputFile(f"{self.tree.display}/{target}", handle) if handle.is_file() else None


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
        from gatecheck.language.evidence import evidence_problems
        from gatecheck.language.shapes import Evidence as EvidenceModel
        from gatecheck.loading.validation import model_problems

        layers = [*base.layers, *(Layer((key,), document, (*case_path, key)) for key in overrides)]
        changed = LayeredDocument(base.path, {**base.data, **overrides}, layers)
        problems = model_problems(EvidenceModel, changed)
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
        from gatecheck.language.facts_schema import validate_facts

        schema = self.policies.facts_schema(policy)
        facts = copy.deepcopy(base.data["facts"])
        layers = list(base.layers)
        problems: list[Problem] = []
        for key, value in entries.items():
            where = (*set_path, key)
            problem = _set_problem(schema, key, document.locate_key(where))
            if problem is None:
                assigned = _assign(facts, key, copy.deepcopy(value))
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
        problems.extend(validate_facts(schema, facts, layered, ("facts",)))
        if problems:
            raise InvalidInput(problems)
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
        from gatecheck.language.evidence import evidence_problems
        from gatecheck.language.facts_schema import validate_facts
        from gatecheck.language.shapes import Evidence as EvidenceModel
        from gatecheck.loading.validation import model_problems

        problems = model_problems(EvidenceModel, base)
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
        schema = self.policies.facts_schema(policy)
        problems.extend(validate_facts(schema, base.data["facts"], base, ("facts",)))
        problems.extend(evidence_problems(base, policy, stem))
        if problems:
            raise InvalidInput(problems)


def read_document(file: InputFile) -> Document:
    """A test or evidence file, parsed; its problems raised, located in it."""
    try:
        raw = file.read_bytes()
    except OSError as error:  # pragma: no cover - a file that is there but cannot be read
        reason = error.strerror or type(error).__name__
        raise InvalidInput(
            [Problem("unreadable", f"cannot read file: {reason}", Location(file.display, 1, 1))]
        ) from None
    return load_bytes(raw, file.display)


def _set_problem(schema: dict[str, Any], key: str, location: Location) -> Problem | None:
    """Why `key` cannot name a fact of the policy's facts schema, if it cannot."""
    from gatecheck.errors import known_names_hint
    from gatecheck.language import facts_schema as fact_schema

    parts = key.split(".")
    if "" in parts:
        return Problem("bad-set", f"fact path '{key}' has an empty part", location)
    node: Any = schema
    for depth, part in enumerate(parts):
        found = fact_schema.child(schema, node, part)
        if found is None:
            prefix = ".".join(parts[:depth])
            return Problem(
                "unknown-fact",
                f"set: fact '{key}' is not in the policy's facts schema"
                + (f" ('{prefix}' has no '{part}')" if prefix else ""),
                location,
                known_names_hint(part, fact_schema.names_at(schema, node), "fact"),
            )
        node = found
    return None


def _assign(facts: dict[str, Any], key: str, value: Any) -> tuple[str | int, ...] | str:
    """Set (or, for null, remove) the fact at dotted `key`; its concrete path, or why not."""
    parts = key.split(".")
    node: Any = facts
    walked: list[str | int] = []
    for part in parts[:-1]:
        if isinstance(node, dict) and node.get(part) is None:
            if value is None:
                return (*walked, *parts[len(walked) :])  # nothing below an absent fact to remove
            node[part] = {}
        found = _child(node, part, walked)
        if isinstance(found, str):
            return found
        node, index = found
        walked.append(index)
    last = parts[-1]
    if isinstance(node, dict):
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
        return (*walked, last)
    found = _child(node, last, walked)
    if isinstance(found, str):
        return found
    if value is None:
        del node[int(last)]
    else:
        node[int(last)] = value
    return (*walked, int(last))


def _child(node: Any, part: str, walked: list[str | int]) -> tuple[Any, str | int] | str:
    """The item `part` names in a mapping or list, with its key or index; or why there is none."""
    from gatecheck.evaluation.explaining import show

    where = ".".join(map(str, walked))
    if isinstance(node, dict):
        return node[part], part
    if isinstance(node, list):
        if part.isdigit() and int(part) < len(node):
            return node[int(part)], int(part)
        return f"'{where}' is a list of {len(node)} item(s); '{part}' is not one of its indexes"
    return f"'{where}' is {show(node)}, not a mapping or a list"

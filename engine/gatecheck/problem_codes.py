"""Every problem code gatecheck emits, with its one-line meaning: the one registry of them.

A code is the stable, kebab-case name of a kind of problem (`path:line:column: error: ... [code]`):
tests, CI annotations and users' scripts rely on it, so a new code is added here first.
docs/evidence.md#problem-codes lists exactly these (tests/test_docs.py holds the two together),
and `InvalidInput` refuses, when assertions are on, a problem whose code is not here.
"""

from __future__ import annotations

PROBLEM_CODES: dict[str, str] = {
    # The file is not plain YAML, or a key or scalar in it is invalid.
    "yaml-syntax": "the file is not valid YAML",
    "yaml-tag": "a YAML tag (`!name`): gatecheck reads plain data only",
    "yaml-alias": "an alias with no anchor before it, or one that refers to itself",
    "yaml-merge": "a merge key ('<<') whose value is not a mapping or a list of mappings",
    "duplicate-key": "a key given twice in one mapping (or JSON object)",
    "bad-key": "a mapping key that is not a string",
    "bad-date": "a date or timestamp that is not a valid one",
    "bad-value": "a scalar or field value that is not valid where it is written",
    # The file as a whole.
    "empty-file": "a file with no YAML content (only comments, or null)",
    "multiple-documents": "a file with more than one YAML document",
    "not-utf8": "a file, file name or command-line argument that is not UTF-8",
    "file-too-large": "a file over the size limit",
    "too-deep": "data nested deeper than the limit (a file, a schema, a `record` fact path)",
    "too-many-nodes": "a file or facts schema with more values than the limit",
    # The shape of a policy or evidence file.
    "unknown-key": "a key that a policy or evidence file does not have",
    "missing-key": "a required key is missing",
    "wrong-type": "a value of the wrong type (a list where a mapping belongs, ...)",
    "schema-violation": "a fact does not match the facts schema",
    # Conditions.
    "not-a-condition": "a value where a condition belongs that is not one",
    "unknown-operator": "a condition with an operator gatecheck does not know",
    "missing-operator": "a fact condition without an operator",
    "too-many-operators": "a fact condition with more than one operator",
    "bad-operand": "an operand of the wrong type or form, or one the facts schema rules out",
    "unknown-variable": "a `$variable` that is not defined",
    "bad-fact": "a fact reference that is not a valid fact path",
    # References.
    "unknown-fact": "a fact path not in the facts schema, or a source naming an unrecorded fact",
    "unknown-step": "a reference to a step the policy does not define",
    "unknown-gate": "a reference to a gate the policy does not define",
    "unknown-rule": "a reference to a rule the policy does not define",
    "unknown-judgement": "a reference to a judgement the policy does not define",
    "unknown-reviewers": "a reference to a reviewer group the policy does not define",
    "duplicate-id": "two steps, gates or rules with one id",
    "dependency-cycle": "steps or gates that depend on each other in a cycle",
    "dated-after-judging": "an as_of, collected_at or attestation date later than the judging date",
    # Policies and facts schemas.
    "unknown-policy": "a policy name or version that no policy file defines",
    "duplicate-policy": "two policy files with one name and version",
    "duplicate-default": "two versions of a policy both marked `default: true`",
    "no-policies": "a policies directory without policy files",
    "unknown-schema": "a facts schema that is in neither schemas/ nor the bundle",
    "bad-schema": "a facts schema that is not valid JSON or not a valid JSON Schema",
    "schema-cycle": "a facts schema whose `$ref` leads back to a schema that contains it",
    "too-costly": "checking a file's facts against its schema would take more than its budget",
    # Subjects, files and directories.
    "unknown-subject": "a subject with no evidence file",
    "subject-mismatch": "an evidence file that names another subject than its file name",
    "no-evidence": "--all found no evidence files (or none judged by --policy's policy)",
    "unreadable": "a file or directory that cannot be read",
    "bad-directory": "a --policies, --evidence, ... or collected path that is not a directory",
    "bad-root": "a --root that is not a directory",
    "too-many-files": "a directory (or tree) that lists more entries than the limit",
    "bad-config": "an invalid gatecheck.toml or [tool.gatecheck] (syntax, key, type, directory)",
    "symlink-escape": "a symbolic link that leads out of the repository or into its .git",
    "not-a-file": "a FIFO, device, socket or directory where a regular file should be",
    "duplicate-subject": "two evidence files for one subject",
    "no-such-file": "a SUBJECT or validate FILE path to a file that does not exist",
    "no-match": "a SUBJECT glob that matches no evidence file",
    "many-subjects": "a SUBJECT glob that matches several files where one subject is taken",
    "not-editable": "`record`, `attest`, `waive`: a SUBJECT of `-`, a glob, or a file elsewhere",
    "not-validatable": "`validate FILE`: a file that is no policy, evidence, schema or test",
    # gatecheck test.
    "no-tests": "`gatecheck test`: no policy tests to run",
    "bad-set": "`gatecheck test`: a `set` path that cannot be applied",
    "policy-mismatch": "evidence judged by another policy than the test's, or --policy's",
    # gatecheck check.
    "not-a-repository": "`gatecheck check`: not inside a git work tree git will use",
    "unknown-ref": "`gatecheck check`: a base that is not a commit in the repository",
    "git-failed": "git is missing, timed out or failed",
    "deleted-directory": "`gatecheck check`: the change deletes policies/, schemas/ or evidence/",
    "config-changed": "`gatecheck check`: the change's configuration moves a directory",
    "in-submodule": "`gatecheck check`: policies/, schemas/ or evidence/ is in a git submodule",
    # Collectors.
    "not-wasmtime": "`collect`/`history wasmtime`: the path is not Wasmtime at that revision",
    "unknown-proposal": "`collect`/`history wasmtime`: a --subject that Wasmtime does not list",
    "bad-embedding": "`collect`/`history wasmtime`: an --embedding that is not LANG=PATH",
    "bad-range": "`history wasmtime`: a --from, --to or --since that makes no range of commits",
    # Editing evidence.
    "idle-waiver": "`gatecheck waive`: a waiver that could not count",
    "bad-edit": "an edit that cannot be applied to the evidence file",
    "lock-timeout": "another gatecheck held the lock of the file's directory too long",
    "unwritable": "a file that cannot be written (or has several hard links)",
    "file-exists": "`gatecheck init`: a file it would write exists already (nothing written)",
    # gatecheck record-tests.
    "not-test-results": "`record-tests`: a file of neither known test-results format",
    "bad-xml": "`record-tests`: malformed XML",
    "xml-doctype": "`record-tests`: XML with a DOCTYPE",
    "results-truncated": "`record-tests`: libtest output that was cut off",
    "results-mismatch": "`record-tests`: libtest output whose summary disagrees with its tests",
    "no-spec-tests": "`record-tests`: no spec test of the compiler in the results",
    "unmapped-subject": "`record-tests`: a subject the spec-test mapping does not know",
}

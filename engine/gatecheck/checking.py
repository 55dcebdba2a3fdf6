"""`gatecheck check`, the pre-merge job: refuse a change whose evidence claims more than it shows.

The change is the difference between a base commit and the working tree. Every file is validated;
the subjects the change touches (their evidence, or the policy that judges them) are judged, but
only on the gates they claim, and by the policies *as they are at the base*: a pull request that
weakens a rule and claims the gate in one go is still judged by the old rule. The policy changes
themselves are listed for a maintainer to review.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.authority import Authority, entry_key, unverified
from gatecheck.errors import InvalidInput, Problem
from gatecheck.evaluation import Evaluator
from gatecheck.loading import load_evidence, load_policies
from gatecheck.observation import refuse_dated_after
from gatecheck.project import (
    YAML_SUFFIXES,
    Directory,
    InputFile,
    LocalPath,
    Project,
    TreePath,
    open_project,
)
from gatecheck.report import CheckedSubject, CheckReport, Claim, PolicyChange
from gatecheck.source import FileTooLarge
from gatecheck.verdicts import judge_subject

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.evidence import Evidence
    from gatecheck.git import Author, Repository
    from gatecheck.loading import Policies
    from gatecheck.policy import Policy


class CheckOptions(NamedTuple):
    base: str | None  # None: the merge base of HEAD with the default branch
    every: bool  # judge the claims of every subject, not only those the change touches
    author: str | None  # the change's author (a pull request's), who may not attest its claims
    now: dt.date
    fail_on_policy_change: bool = False
    # Logins whose approval of the change is proven outside it (a pull request's approving
    # reviews): entries the change adds count only when they name one of these, or the author.
    approved_by: tuple[str, ...] = ()


class _Base(NamedTuple):
    name: str
    commit: str
    project: Project
    policies: Policies


def check_change(
    root: str, policies: str | None, evidence: str | None, options: CheckOptions
) -> CheckReport:
    """Validate every file, then judge the affected subjects' claims by the base's policies.

    `root`, `policies` and `evidence` are the command line's; paths in the report are relative to
    the top of the repository, as CI tools (annotations, code scanning) expect them.
    """
    from gatecheck import cache
    from gatecheck.git import Repository

    open_project(root, policies, evidence)  # a bad --root is reported as such, before git runs
    # The change's own code may have run earlier in the job, as this user: it could have written
    # the cache and read its key. So the verdict rests on nothing this run did not validate.
    with cache.bypassed(), Repository(root) as repo:  # closes the base's `cat-file` reader
        return _check(root, policies, evidence, options, repo)


def _check(
    root: str, policies: str | None, evidence: str | None, options: CheckOptions, repo: Repository
) -> CheckReport:
    root_in_repo = os.path.relpath(os.path.realpath(root), os.path.realpath(repo.top))
    shown_from = os.path.normpath(
        os.path.join(os.path.abspath(root), os.path.relpath(".", root_in_repo))
    )
    project = open_project(root, policies, evidence, shown_from=shown_from)
    if options.base is None:
        name, commit = repo.default_base()
    else:
        name, commit = options.base, repo.resolve(options.base)
    paths = _RepoPaths(project, repo)

    current_policies = load_policies(project)
    current = load_evidence(project.evidence.yaml_files(), current_policies)  # raises every problem

    base = _base(project, repo, paths, name, commit)
    changes = repo.changes(commit, paths.watched())
    policy_changes = tuple(
        PolicyChange(change.path, change.status)
        for change in changes
        if paths.is_policy_file(change.path)
    )
    evidence_changes = {
        change.path: change for change in changes if paths.is_evidence_file(change.path)
    }
    removed = tuple(path for path, c in evidence_changes.items() if c.status == "deleted")

    changed_policies = _changed_policy_names(
        [*current_policies.all(), *base.policies.all()], policy_changes
    )
    affected: dict[str, str] = {}  # evidence path -> why it is checked
    for item in current:
        change = evidence_changes.get(item.path)
        if change is not None:
            affected[item.path] = change.status
        elif item.policy.name in changed_policies:
            affected[item.path] = "policy"
        elif options.every:
            affected[item.path] = "all"

    files = [file for file in project.evidence.yaml_files() if file.display in affected]
    try:
        judged = load_evidence(files, base.policies)
    except InvalidInput as error:
        raise InvalidInput([_at_base(problem, base) for problem in error.problems]) from None
    refuse_dated_after(judged, options.now)

    judge = _Judge(base, repo, paths, options)
    subjects = tuple(judge.subject(evidence, affected[evidence.path]) for evidence in judged)
    claiming = {item.result.evidence for item in subjects if item.claims}
    switches = tuple(
        switch._replace(with_claims=evidence.path in claiming)
        for evidence in judged
        if affected[evidence.path] == "modified" and (switch := judge.switch(evidence)) is not None
    )
    return CheckReport(
        base=name,
        base_commit=commit,
        now=options.now,
        subjects=subjects,
        removed=removed,
        policy_changes=policy_changes + switches,
        fail_on_policy_change=options.fail_on_policy_change,
        approved_by=tuple(sorted({login.lower() for login in options.approved_by})),
    )


class _RepoPaths:
    """Where the project's directories are inside the repository, in git's terms."""

    def __init__(self, project: Project, repo: Repository) -> None:
        self.top = os.path.realpath(repo.top)
        self.policies = self.inside(project.policies)
        self.evidence = self.inside(project.evidence)
        self.schemas = [self.inside(directory) for directory in project.schemas]

    def inside(self, directory: Directory) -> str | None:
        """The directory relative to the top of the repository; None if bundled or outside it."""
        if not isinstance(directory.handle, LocalPath):
            return None
        relative = os.path.relpath(os.path.realpath(directory.handle.path), self.top)
        if relative == ".." or relative.startswith(("../", "..\\")):
            return None
        return "" if relative == "." else relative.replace(os.sep, "/")

    def watched(self) -> list[str]:
        found = [self.policies, self.evidence, *self.schemas]
        return [path or "." for path in found if path is not None]

    def is_policy_file(self, path: str) -> bool:
        folder, name = _split(path)
        if folder == self.policies and name.endswith(YAML_SUFFIXES):
            return True
        return folder in self.schemas and name.endswith(".json")

    def is_evidence_file(self, path: str) -> bool:
        folder, name = _split(path)
        return folder == self.evidence and name.endswith(YAML_SUFFIXES)


def _split(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    return folder, name


def _base(project: Project, repo: Repository, paths: _RepoPaths, name: str, commit: str) -> _Base:
    """The project as it was at `commit`: its policies and schemas, read from git."""

    def at_base(directory: Directory, relative: str | None) -> Directory:
        if relative is None:  # bundled, or outside the repository: the change cannot touch it
            return directory
        files = repo.tree(commit, relative or ".")
        return Directory(directory.display, TreePath(files, relative or "."))

    base_project = project._replace(
        policies=at_base(project.policies, paths.policies),
        schemas=tuple(
            at_base(directory, relative)
            for directory, relative in zip(project.schemas, paths.schemas, strict=True)
        ),
    )
    return _Base(name, commit, base_project, load_policies(base_project))


def _changed_policy_names(policies: list[Policy], changes: tuple[PolicyChange, ...]) -> set[str]:
    """Names of the policies a change touches: their file, or the facts schema they use."""
    changed = {change.path for change in changes}
    schema_names = {path.rsplit("/", 1)[-1] for path in changed if path.endswith(".json")}
    return {
        policy.name
        for policy in policies
        if policy.path in changed or policy.facts_schema in schema_names
    }


def _at_base(problem: Problem, base: _Base) -> Problem:
    """Say that a problem comes from judging by the base's policies, not the working tree's."""
    where = f"{base.name} ({base.commit[:12]})"
    if (
        problem.location.path.startswith(
            (base.project.policies.display + "/", *(d.display + "/" for d in base.project.schemas))
        )
        or problem.code == "no-policies"
    ):
        return problem._replace(
            message=f"{problem.message} (in the policies at {where})",
            hint="changes are judged by the base's policies: fix them on the base branch first",
        )
    note = f"evidence is judged by the policies at {where}: land policy changes first"
    return problem._replace(hint=f"{problem.hint}; {note}" if problem.hint else note)


class _Judge:
    """Judges an affected subject's claims: finds them, their authors and their gates' verdicts."""

    def __init__(
        self, base: _Base, repo: Repository, paths: _RepoPaths, options: CheckOptions
    ) -> None:
        self.base = base
        self.repo = repo
        self.paths = paths
        self.options = options
        self._before: dict[str, Evidence | None] = {}  # evidence at the base, read once each

    def subject(self, evidence: Evidence, change: str) -> CheckedSubject:
        options = self.options
        claims = self.claims(evidence)
        by_line = self.blame(evidence, claims)
        change_author = options.author if change in {"added", "modified"} else None
        identities = {change_author.lower()} if change_author else set()
        with_authors = []
        for claim in claims:
            author = by_line.get(claim.location.line)
            names = [] if author is None else [f"{author.name} <{author.email}>"]
            if author is not None:
                identities |= author.identities()
            names += [name for name in (evidence.claimed_by, change_author) if name]
            with_authors.append(claim._replace(authors=tuple(dict.fromkeys(names))))
        authority = self.authority(evidence, change, frozenset(identities))
        evaluator = Evaluator(evidence, options.now, authority)
        claimed = [
            gate for claim in with_authors if (gate := evidence.policy.gate(claim.gate)) is not None
        ]
        return CheckedSubject(
            judge_subject(evaluator, claimed),
            change,
            tuple(with_authors),
            tuple(unverified(authority, evidence)),
        )

    def authority(self, evidence: Evidence, change: str, authors: frozenset[str]) -> Authority:
        """What the subject's attestations and waivers may rest on.

        Evidence the change leaves as it was is as the base had it: every entry stands. In evidence
        the change adds or edits, an entry counts only if the base had it, or if the person it
        names approved the change (`--approved-by`; the change's own author is proven too).
        """
        if change not in {"added", "modified"}:
            return Authority(authors)
        before = self.at_base(evidence)
        base_entries = frozenset(
            ()
            if before is None
            else [
                *(entry_key("attestation", entry) for entry in before.attestations),
                *(entry_key("waiver", entry) for entry in before.waivers),
            ]
        )
        approved = {login.lower() for login in self.options.approved_by}
        if self.options.author:
            approved.add(self.options.author.lower())
        return Authority(authors, base_entries, frozenset(approved))

    def claims(self, evidence: Evidence) -> list[Claim]:
        """The gates listed under `claims`, then those the change implies (`claimed_when`)."""
        now = self.options.now
        claims: dict[str, Claim] = {}
        for index, claimed in enumerate(evidence.claims):
            claims.setdefault(claimed, Claim(claimed, evidence.document.locate(("claims", index))))
        implying = [
            gate
            for gate in evidence.policy.gates
            if gate.claimed_when is not None and gate.id not in claims
        ]
        for gate in implying:
            assert gate.claimed_when is not None  # noqa: S101 - filtered above; for the type checker
            outcome = Evaluator(evidence, now).check(gate.claimed_when)
            if outcome.value is not True:
                continue
            before = self.at_base(evidence)
            if before is not None and Evaluator(before, now).check(gate.claimed_when).value:
                continue  # it held before this change: the change does not claim it
            located = [d.location for d in outcome.details if d.location is not None]
            claims[gate.id] = Claim(gate.id, located[0] if located else gate.location, implied=True)
        return list(claims.values())

    def switch(self, evidence: Evidence) -> PolicyChange | None:
        """An evidence file that now names another policy (or version) than at the base.

        Moving a subject to a laxer policy that already exists is a policy change too: it is
        listed for review like an edit of the policy itself, and a change that also claims a gate
        of the subject fails (it would choose the policy that judges its own claims).
        """
        before = self.at_base(evidence)
        if before is None or before.policy.ref == evidence.policy.ref:
            return None
        return PolicyChange(
            evidence.path, "switched", f"{before.policy.ref} -> {evidence.policy.ref}"
        )

    def at_base(self, evidence: Evidence) -> Evidence | None:
        """The subject's evidence as it was at the base, if it existed and was valid there."""
        if evidence.path not in self._before:
            self._before[evidence.path] = self._read_at_base(evidence)
        return self._before[evidence.path]

    def _read_at_base(self, evidence: Evidence) -> Evidence | None:
        relative = evidence.path
        try:
            raw: bytes | int | None = self.repo.show(self.base.commit, relative)
        except FileTooLarge as error:  # too large then: invalid, as it would have been on disk
            raw = error.size
        if raw is None:
            return None
        file = InputFile(evidence.path, TreePath({relative: raw}, relative))
        try:
            (loaded,) = load_evidence([file], self.base.policies)
        except InvalidInput:
            return None  # invalid then: nothing it said counted, so the claim is new
        return loaded

    def blame(self, evidence: Evidence, claims: list[Claim]) -> dict[int, Author]:
        lines = [claim.location.line for claim in claims if claim.location.path == evidence.path]
        if not lines:
            return {}
        return self.repo.blame(evidence.path, lines)

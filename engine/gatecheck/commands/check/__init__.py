"""`gatecheck check`, the pre-merge job: refuse a change whose evidence claims more than it shows.

The change is the difference between a base commit and the working tree. The subjects the change
touches (their evidence, or the policy or facts schema that judges them) are validated and judged,
but only on the gates they claim, and by the policies *as they are at the base*: a pull request
that weakens a rule and claims the gate in one go is still judged by the old rule. The policy
changes themselves are listed for a maintainer to review. Evidence the change leaves as it was,
under policies it leaves as they were, validates and judges as it did at the base: it is not read,
so a change costs what it touches, not the repository. A change that adopts gatecheck (the base
had no project) has no base policies to be judged by: see `bootstrap`.

What changed is decided by content, path by path: the bytes gatecheck reads now (through any
symbolic link) against the file at the same path in the base's tree (its links followed). git's
own diff compares links as links and trusts the index, so a link retargeted, a file reached
through a link, or a directory swapped for a link would look unchanged to it. git only narrows down
which files to read (`changes._suspects`): a plain tracked file whose blob is the base's and whose
stat data are those the index recorded; everything git takes on trust is read.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.commands.check.affected import find_affected
from gatecheck.commands.check.base import read_base, said_at_base
from gatecheck.commands.check.bootstrap import new_policy, refusals, unjudged
from gatecheck.commands.check.changes import policy_changes
from gatecheck.commands.check.configuration import (
    on_command_line,
    project_at_base,
    refuse_moved_directories,
)
from gatecheck.commands.check.judging import Judge
from gatecheck.commands.check.layout import Layout, git_path, seen_from_top
from gatecheck.commands.check.options import CheckOptions
from gatecheck.errors import InvalidInput
from gatecheck.evaluation.check_results import CheckReport
from gatecheck.evaluation.observation import refuse_dated_after
from gatecheck.loading.evidence import each_evidence, load_evidence
from gatecheck.loading.policies import load_policies
from gatecheck.project.discovery import find_project
from gatecheck.project.layout import open_project

__all__ = ["CheckOptions", "check_change"]

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.evaluation.check_results import CheckedSubject, PolicyChange
    from gatecheck.git.repository import Repository
    from gatecheck.language.evidence import Evidence
    from gatecheck.project.input_file import InputFile


def check_change(  # noqa: PLR0913 - the project's directories, as discovery found them
    root: str,
    policies: str | None,
    evidence: str | None,
    options: CheckOptions,
    *,
    schemas: str | None = None,
    fallback: bool = True,
) -> CheckReport:
    """Validate every file, then judge the affected subjects' claims by the base's policies.

    `root`, `policies` and `evidence` are the command line's; paths in the report are relative to
    the top of the repository, as CI tools (annotations, code scanning) expect them.
    """
    from gatecheck.git.repository import Repository
    from gatecheck.loading import cache

    # a bad --root is reported as such, before git runs
    open_project(root, policies, evidence, schemas=schemas, fallback=fallback)
    # The change's own code may have run earlier in the job, as this user: it could have written
    # the cache and read its key. So the verdict rests on nothing this run did not validate.
    with cache.bypassed(), Repository(root) as repo:  # closes the base's `cat-file` reader
        return _check(root, policies, evidence, options, repo, schemas=schemas, fallback=fallback)


class _Judged(NamedTuple):
    subjects: Sequence[CheckedSubject]  # read back from a spool, one at a time
    switches: tuple[PolicyChange, ...]  # evidence the change moves to another policy


def _judged(judge: Judge, files: list[InputFile], reasons: dict[str, str]) -> _Judged:
    """Each affected subject loaded (by the base's policies), judged and let go, a file at a time.

    What a report needs of a subject is spooled to a temporary file (`commands.spool`), so
    `check --all` holds one subject's evidence at a time. Problems (invalid evidence, dates after
    the judging day) are raised once every file is read, the files' own first, as before.
    """
    from gatecheck.commands.batch import settled
    from gatecheck.commands.spool import Spool, SpooledRows
    from gatecheck.errors import Problems
    from gatecheck.evaluation.observation import dated_after

    spool = Spool.temporary()
    offsets: list[int] = []
    switches: list[PolicyChange] = []
    dated = Problems()
    try:
        for evidence in each_evidence(files, judge.base.policies):
            dated.extend(dated_after(evidence, judge.options.now))
            if dated:
                continue  # refused at the end: no more judging
            reason = reasons[evidence.path]
            item = judge.subject(evidence, reason)
            settled(item.result)
            offsets.append(spool.put(item))
            switch = judge.switch(evidence) if reason == "modified" else None
            if switch is not None:
                switches.append(switch._replace(with_claims=bool(item.claims)))
            judge.let_go(evidence)
    except InvalidInput as error:
        raise InvalidInput(
            [said_at_base(problem, judge.base) for problem in error.problems]
        ) from None
    dated.raise_if_any()
    return _Judged(SpooledRows(spool, offsets), tuple(switches))


def _check(  # noqa: PLR0913 - as check_change
    root: str,
    policies: str | None,
    evidence: str | None,
    options: CheckOptions,
    repo: Repository,
    *,
    schemas: str | None = None,
    fallback: bool = True,
) -> CheckReport:
    top = os.path.realpath(repo.top)
    given = {"policies": policies, "evidence": evidence, "schemas": schemas}
    configured_root = root
    root, shown_from = seen_from_top(root, top)
    project = open_project(
        root,
        policies,
        evidence,
        schemas=schemas,
        shown_from=shown_from,
        top=top,
        fallback=fallback,
    )
    if options.base is None:
        name, commit = repo.default_base()
    else:
        name, commit = options.base, repo.resolve(options.base)
    base_project = project_at_base(repo, commit, root, top)
    head = None if fallback else find_project(configured_root, search=False)
    head_config = head.config if head is not None else None
    if base_project is not None:
        refuse_moved_directories(configured_root, given, base_project, head_config, top)
    # `policies` may be the configuration's: only the command line names them on both sides
    named = on_command_line(configured_root, head_config, "policies", policies)
    # In a project no bundled policies stand in at the base, unless the base was no project yet:
    # a change that makes one (adds gatecheck.toml, policies/) adopts gatecheck (`bootstrap`)
    adopting = base_project is None and not named
    in_project = not fallback and base_project is not None
    layout = Layout(project, repo, commit, shown_from, policies_given=named or in_project)
    # a deleted directory or a submodule is refused before anything else
    base = read_base(layout, name)

    current_policies = load_policies(project)
    edits = policy_changes(layout)
    affected = find_affected(layout, base, current_policies, edits, every=options.every)

    judged_files = [file for file in affected.files if file.display in affected.reasons]
    new: dict[str, Evidence] = {}  # adopting: subjects of a policy the change adds, by path
    if adopting:
        now_loaded = load_evidence(judged_files, current_policies)  # valid: find_affected said so
        new = {e.path: e for e in now_loaded if new_policy(e, base.policies)}
        judged_files = [file for file in judged_files if file.display not in new]
    base.evidence.look_up([file.display for file in judged_files])
    blamed = {file.display: git_path(file, top) for file in judged_files}
    judge = Judge(base, repo, blamed, options)
    judged = _judged(judge, judged_files, affected.reasons)
    refuse_dated_after(list(new.values()), options.now)
    subjects: Sequence[CheckedSubject] = judged.subjects
    if new:  # in the order of the files, as the others
        subjects = (*subjects, *(unjudged(judge, e, affected.reasons[p]) for p, e in new.items()))
        order = {file.display: index for index, file in enumerate(affected.files)}
        subjects = tuple(sorted(subjects, key=lambda item: order[item.result.evidence]))
        claiming_new = {item.result.evidence for item in subjects if item.claims} & set(new)
        edits = refusals(edits, {path: new[path] for path in claiming_new})
    return CheckReport(
        base=name,
        base_commit=commit,
        now=options.now,
        subjects=subjects,
        removed=affected.removed,
        policy_changes=edits + judged.switches,
        fail_on_policy_change=options.fail_on_policy_change,
        approved_by=tuple(sorted({login.lower() for login in options.approved_by})),
    )

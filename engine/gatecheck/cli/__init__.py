"""The command line: parse arguments, call `commands`, render with a reporter, set the exit code.

Exit codes: 0 every evaluated gate passes; 1 a gate fails or lacks evidence; 2 usage error or
invalid input (every problem printed as file:line:col); 3 a bug in gatecheck (with a traceback).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from gatecheck import __version__
from gatecheck.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from gatecheck.cli.progress import Progress
    from gatecheck.editing.evidence_files import EditResult
    from gatecheck.project.discovery import Layout
    from gatecheck.project.layout import Project

# The keys of gatecheck.reporters.REPORTERS and PLAN_REPORTERS; a test keeps them equal.
FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
PLAN_FORMATS = ("text", "json", "mermaid", "dot")
EXPLAIN_FORMATS = ("text", "json")  # gatecheck.reporters.explain's render_text and render_json
STATUS_FORMATS = ("text", "markdown", "json", "html")  # and STATUS_REPORTERS
HISTORY_FORMATS = ("text", "json", "markdown", "html")  # and HISTORY_REPORTERS


def _is_login(text: str) -> bool:
    """A GitHub login or a policy identifier: ASCII letters and digits, `-`, `_` and `.`."""
    return text[:1].isalnum() and text.isascii() and all(c.isalnum() or c in "-_." for c in text)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return _today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"'{value}' is not a date in the form YYYY-MM-DD"
        raise click.BadParameter(msg) from None


def _past_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    """A date that has come: evidence dated later is refused when judged (dated-after-judging)."""
    day = _parse_date(ctx, param, value)
    if day > _today():
        msg = f"{day} is after today ({_today()}): evidence cannot describe a day that has not come"
        raise click.BadParameter(msg)
    return day


_ROOT_HELP = (
    "The project root: holds policies/, evidence/ and schemas/, or a gatecheck.toml naming them"
    " (default: found from the current directory up)."
)
_COLOR_HELP = (
    "Colour text output (default: auto, on a terminal unless NO_COLOR is set, or FORCE_COLOR)."
)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep an option that is not passed to the command (read back by `_option`)."""
    if value is not None:
        ctx.meta[f"gatecheck.{param.name}"] = value
    return value


def _project_option_list(*, evidence: bool = True) -> list[Callable[..., Any]]:
    """The options of every command that reads a project; also accepted before the command."""
    options = [
        click.option(
            "--root",
            type=click.Path(file_okay=False),
            help=_ROOT_HELP,
        ),
        click.option(
            "--policies",
            type=click.Path(),
            help="Policy directory (default: ROOT/policies, or the configuration's).",
        ),
    ]
    if evidence:
        options.append(
            click.option(
                "--evidence",
                type=click.Path(),
                help="Evidence directory (default: ROOT/evidence, or the configuration's).",
            )
        )
    options += [
        click.option(
            "--schemas",
            type=click.Path(),
            expose_value=False,
            callback=_remember,
            help="Facts-schema directory searched first (default: beside the policies).",
        ),
        click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            help=_COLOR_HELP,
        ),
    ]
    return options


def _project_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_project_option_list()):
        func = option(func)
    return func


def _history_project_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_project_option_list(evidence=False)):
        func = option(func)
    return func


def _verbosity_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "-v", "--verbose", is_flag=True, help="Say more: explain the passing rules too."
    )(func)
    return click.option(
        "-q", "--quiet", is_flag=True, help="Say less: only what does not pass, and the summary."
    )(func)


def _quiet_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-q", "--quiet", is_flag=True, help="Say less: only the subjects that do not pass."
    )(func)


def _top_params() -> dict[str, Any]:
    """The options given before the command (`gatecheck --root DIR evaluate ...`)."""
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().params if ctx is not None else {}


def _option(name: str, value: Any = None) -> Any:
    """A project option: the command's own, else given before the command, else None."""
    if value is not None:
        return value
    ctx = click.get_current_context(silent=True)
    if ctx is not None and f"gatecheck.{name}" in ctx.meta:
        return ctx.meta[f"gatecheck.{name}"]
    return _top_params().get(name)


def _verbosity(*, quiet: bool = False, verbose: bool = False) -> int:
    """-1 quiet, 0 normal, 1 verbose: the command's flags, else those before the command."""
    top = _top_params()
    quiet = quiet or bool(top.get("quiet"))
    verbose = verbose or bool(top.get("verbose"))
    return (1 if verbose else 0) - (1 if quiet else 0)


def _completer(kind: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    """Shell completion of the project's names: `subject`, `gate`, `rule` or `rule-or-step`.

    Completion reads the project the command would (its options, or the search from the current
    directory) and never fails: a project it cannot read completes nothing.
    """

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        try:
            with ctx.scope(cleanup=False):
                names = _project_names(ctx, kind)
        except Exception:  # noqa: BLE001 - a half-written project or option: no suggestions
            return []
        return [CompletionItem(name) for name in names if name.startswith(incomplete)]

    return complete


def _project_names(ctx: click.Context, kind: str) -> list[str]:
    from gatecheck.project.layout import open_project

    params = ctx.params
    found = _layout(params.get("root"), params.get("policies"), params.get("evidence"))
    project = open_project(
        found.root, found.policies, found.evidence, schemas=found.schemas, fallback=found.fallback
    )
    if kind == "subject":
        return [file.stem for file in project.evidence_files()]
    from gatecheck.loading.policies import load_policies

    names: dict[str, None] = {}
    for policy in load_policies(project).all():
        if kind == "gate":
            names.update((gate.id, None) for gate in policy.gates)
            continue
        names.update((rule.id, None) for gate in policy.gates for rule in gate.rules)
        if kind == "rule-or-step":
            names.update((step.id, None) for step in policy.steps)
    return sorted(names)


def _format_option(
    func: Callable[..., Any], formats: tuple[str, ...] = FORMATS
) -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default="text",
        show_default=True,
        help="Output format.",
    )(func)


def _explain_format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return _format_option(func, EXPLAIN_FORMATS)


def _plan_format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return _format_option(func, PLAN_FORMATS)


def _now_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--now",
        callback=_parse_date,
        metavar="YYYY-MM-DD",
        help="The judging date (default: today, UTC).",
    )(func)


def _gate_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--gate", metavar="GATE", help="Only this gate.", shell_complete=_completer("gate")
    )(func)


def _policy_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--policy",
        "policy_ref",
        metavar="NAME@VERSION",
        help="Judge by this version of the policy the evidence names (NAME alone: its default), "
        "to compare one subject under two versions.",
    )(func)


def _say_policy_overridden(ref: str) -> None:
    _say(f"gatecheck: judged by {ref}, as --policy asks")


def _layout(root: str | None, policies: str | None, evidence: str | None) -> Layout:
    from gatecheck.project.discovery import layout

    return layout(
        _option("root", root),
        _option("policies", policies),
        _option("evidence", evidence),
        _option("schemas"),
    )


def _open(
    root: str | None,
    policies: str | None,
    evidence: str | None,
    uses: tuple[str, ...] = ("policies", "evidence"),
) -> Project:
    """The project of a run (see `discovery`); says on stderr when bundled data stands in.

    `uses` names the directories worth the note: none for the Wasmtime collectors (`collect`,
    `history`), whose policy is the bundled one by design.
    """
    from gatecheck.project.bundled import BUNDLED
    from gatecheck.project.layout import open_project

    found = _layout(root, policies, evidence)
    project = open_project(
        found.root, found.policies, found.evidence, schemas=found.schemas, fallback=found.fallback
    )
    bundled = [name for name in uses if getattr(project, name).display.startswith(BUNDLED)]
    if bundled and _verbosity() >= 0:
        where = "here or above" if _option("root", root) is None else f"in {found.root}"
        _say(
            f"gatecheck: no project {where} (a gatecheck.toml, [tool.gatecheck] or policies/):"
            f" using the bundled {' and '.join(bundled)}"
        )
    return project


def _use_color(choice: str | None = None) -> bool:
    """Whether text output is coloured: --color, else NO_COLOR, FORCE_COLOR, a terminal."""
    choice = _option("color", choice) or "auto"
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@contextlib.contextmanager
def _progress() -> Iterator[Progress | None]:
    """A progress line on stderr when it is a terminal that may animate, else None."""
    from gatecheck.cli import progress

    if not progress.wanted(is_tty=sys.stderr.isatty()):
        yield None
        return
    meter = progress.Meter(sys.stderr)
    try:
        yield meter
    finally:
        meter.close()


def _emit(text: str, *, err: bool = False) -> None:
    """Write output: the one writer of every command, stdout or (`err`) stderr.

    Whatever the format, a control character its escaping let through is shown, not sent (see
    `escape.output`); colour is the reporters' choice, so click must not strip it.
    """
    from gatecheck.reporters.escape import output

    click.echo(output(text), nl=False, err=err, color=True)


def _say(line: str) -> None:
    """A line for people on stderr: notes, warnings, problems."""
    _emit(line + "\n", err=True)


def _writable_streams() -> None:
    r"""Make stdout and stderr write any text: what their encoding lacks becomes `\uXXXX`.

    `PYTHONIOENCODING=latin-1` (or a C locale's ASCII) cannot encode `✓`; a file name that is not
    UTF-8 holds surrogates no encoder writes. Either would end a run in a traceback while writing
    its report; escaped, the report is whole, and a JSON report stays valid JSON.
    """
    import codecs

    from gatecheck.reporters.escape import unencodable

    codecs.register_error("gatecheck-escape", unencodable)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # detached or closed: nothing to do
                reconfigure(errors="gatecheck-escape")


@contextlib.contextmanager
def _problems_rendered_as(fmt: str) -> Iterator[None]:
    """On invalid input, machine formats also get the problems, in their own shape, on stdout.

    CI reads stdout: annotations, SARIF, JUnit and the job summary then show every located problem
    (as `validate --format FMT` would), while stderr carries the usual text and the exit is 2.
    """
    try:
        yield
    except InvalidInput as error:
        if fmt != "text":
            from gatecheck.evaluation.results import Validation
            from gatecheck.reporters import REPORTERS

            _emit(REPORTERS[fmt].render_validation(Validation((), (), error.problems)))
        raise


class _NotUtf8Argument(click.ClickException):
    """A command-line argument with bytes that are not UTF-8: a located problem, exit 2."""

    exit_code = 2

    def __init__(self, number: int, argument: str) -> None:
        from gatecheck.errors import Location, Problem

        self.problem = Problem(
            "not-utf8",
            f"'{argument}' is not UTF-8",
            Location(f"argument {number}", 0, 0),
            "gatecheck reads and writes UTF-8: pass values, names and paths in UTF-8",
        )
        super().__init__(self.problem.message)

    def show(self, file: Any = None) -> None:
        del file
        _say(self.problem.render())
        _say("gatecheck: 1 problem; nothing done")


class _Gatecheck(click.Group):
    """Turns InvalidInput from any command into located problems on stderr and exit 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Python gives bytes that are not UTF-8 as surrogates, which no file, report or cache
        # key can hold: refused here, once for every command, before any of them sees them.
        for number, argument in enumerate(args, 1):
            try:
                argument.encode()
            except UnicodeEncodeError:
                raise _NotUtf8Argument(number, argument) from None
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        _writable_streams()
        try:
            return super().invoke(ctx)
        except InvalidInput as error:
            _say(str(error))
            count = len(error.problems)
            undone = "written" if ctx.invoked_subcommand in EDIT_COMMANDS else "evaluated"
            _say(f"gatecheck: {count} problem{'s' * (count != 1)}; nothing {undone}")
            ctx.exit(2)


def _top_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_project_option_list()):
        func = option(func)
    func = _verbosity_options(func)
    return click.version_option(__version__, "-V", "--version", prog_name="gatecheck")(func)


@click.group(
    cls=_Gatecheck,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@_top_options
def cli(**_options: Any) -> None:
    """Check evidence against policies: which gates pass, and what to do next.

    The project is found from the current directory up, as ruff and pytest find theirs: the
    first directory with a gatecheck.toml, a pyproject.toml with [tool.gatecheck], or policies/.
    Options before the command apply to it (gatecheck --root DIR evaluate x).
    Shell completion: see docs/cli.md (eval "$(_GATECHECK_COMPLETE=bash_source gatecheck)").
    """


@cli.command()
@click.argument("subjects", nargs=-1, metavar="SUBJECT...", shell_complete=_completer("subject"))
@click.option(
    "--all", "every", is_flag=True, help="Evaluate every subject in the evidence directory."
)
@_gate_option
@_policy_option
@_format_option
@_now_option
@_verbosity_options
@_project_options
def evaluate(
    subjects: tuple[str, ...],
    every: bool,
    gate: str | None,
    policy_ref: str | None,
    fmt: str,
    now: dt.date,
    quiet: bool,
    verbose: bool,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Say which gates pass for each SUBJECT, and why the others do not.

    Exit 0 when every gate passes (a waived rule counts as passing), 1 when a gate fails or
    lacks evidence, 2 on invalid input.
    """
    from gatecheck.commands.evaluate import evaluate_subjects
    from gatecheck.reporters import REPORTERS

    if every == bool(subjects):
        msg = "name one or more subjects, or pass --all (not both)"
        raise click.UsageError(msg)
    with _problems_rendered_as(fmt), _progress() as progress:
        project = _open(root, policies, evidence)
        report = evaluate_subjects(
            project,
            list(subjects),
            every=every,
            gate=gate,
            now=now,
            policy=policy_ref,
            progress=progress if every else None,
        )
    if fmt == "text":
        from gatecheck.reporters import text

        verbosity = _verbosity(quiet=quiet, verbose=verbose)
        _emit(text.render(report, color=_use_color(color), verbosity=verbosity))
    else:
        _emit(REPORTERS[fmt].render(report, color=_use_color(color)))
    if policy_ref is not None:
        _say_policy_overridden(report.subjects[0].policy)
    sys.exit(report.exit_code())


@cli.command()
@click.argument("subject", shell_complete=_completer("subject"))
@_gate_option
@_policy_option
@_plan_format_option
@_now_option
@_project_options
def plan(
    subject: str,
    gate: str | None,
    policy_ref: str | None,
    fmt: str,
    now: dt.date,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Print the next steps for SUBJECT: what is ready now, what is blocked and by what.

    Ends with the path to each gate. --format mermaid or dot draws the steps as a picture.
    Exit 0 when the plan is printed (whatever it says), 2 on invalid input.
    """
    from gatecheck.commands.plan import plan_subject
    from gatecheck.reporters import PLAN_REPORTERS

    project = _open(root, policies, evidence)
    report = plan_subject(project, subject, gate, now, policy_ref)
    _emit(PLAN_REPORTERS[fmt].render_plan(report, color=_use_color(color)))
    if policy_ref is not None:
        _say_policy_overridden(report.policy)


@cli.command()
@click.option(
    "--gate",
    metavar="GATE",
    shell_complete=_completer("gate"),
    help="The gate to show (default: the first gate of the policy judging the most subjects).",
)
@_policy_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(STATUS_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@_now_option
@_quiet_option
@_project_options
def status(
    gate: str | None,
    policy_ref: str | None,
    fmt: str,
    now: dt.date,
    quiet: bool,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Show every subject against one gate: a matrix of subjects x the gate's rules.

    Exit 0 when every subject passes the gate, 1 otherwise, 2 on invalid input.
    """
    from gatecheck.commands.status import status_report
    from gatecheck.reporters import STATUS_REPORTERS

    project = _open(root, policies, evidence)
    report = status_report(project, gate, now, policy_ref)
    if fmt == "text":
        from gatecheck.reporters import text

        verbosity = _verbosity(quiet=quiet)
        _emit(text.render_status(report, color=_use_color(color), verbosity=verbosity))
    else:
        _emit(STATUS_REPORTERS[fmt].render_status(report))
    if policy_ref is not None:
        _say_policy_overridden(report.subjects[0].policy)
    sys.exit(report.exit_code())


@cli.command()
@_format_option
@_project_options
def validate(
    fmt: str, root: str | None, policies: str | None, evidence: str | None, color: str | None
) -> None:
    """Check every policy and evidence file, the step DAGs and all references.

    Prints ok and what was checked, or every problem as file:line:column on stderr (and, with a
    machine --format, on stdout in its shape). Exit 0 when all is valid, 2 when there are problems.
    """
    from gatecheck.commands.validate import validate_project
    from gatecheck.reporters import REPORTERS

    project = _open(root, policies, evidence)
    result = validate_project(project)
    if result.problems and fmt != "text":  # machine formats also get them, in their own shape
        _emit(REPORTERS[fmt].render_validation(result, color=_use_color(color)))
    if result.problems:
        raise InvalidInput(result.problems)  # problems go to stderr, as for every command
    _emit(REPORTERS[fmt].render_validation(result, color=_use_color(color)))


@cli.command()
@click.argument("name", metavar="RULE|STEP", shell_complete=_completer("rule-or-step"))
@click.option(
    "--policy",
    "policy_ref",
    metavar="NAME[@VERSION]",
    help="The policy to look in (default: the default version of every policy).",
)
@_gate_option
@_explain_format_option
@_now_option
@_project_options
def explain(
    name: str,
    policy_ref: str | None,
    gate: str | None,
    fmt: str,
    now: dt.date,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,  # noqa: ARG001 - common option; the explanation has no colour
) -> None:
    """Say what a rule or step requires: in words, as written, where from, what feeds it.

    RULE|STEP is rule-id, gate/rule-id or step-id; prefix rule: or step: when a name is both
    (else both are explained). Ends with evidence that would make it pass on --now. Exit 0, or
    2 on invalid input (such as an unknown name).
    """
    from gatecheck.commands.explain import explain as explain_name
    from gatecheck.reporters.explain import render_json, render_text

    project = _open(root, policies, evidence)
    found = explain_name(project, name, policy=policy_ref, gate=gate, now=now)
    _emit((render_json if fmt == "json" else render_text)(found, now))


@cli.command()
@click.option(
    "--base",
    metavar="REF",
    help="Compare with this branch, tag or commit (default: merge base with the default branch).",
)
@click.option(
    "--all", "every", is_flag=True, help="Check the claims of every subject, not only changed ones."
)
@click.option(
    "--author",
    metavar="LOGIN",
    help="Who made the change (e.g. the pull request's author): their attestations do not count.",
)
@click.option(
    "--approved-by",
    "approved_by",
    metavar="LOGIN",
    multiple=True,
    help="A reviewer who approved the change outside it (e.g. an approving pull request review); "
    "repeat it, or separate logins with commas. Attestations and waivers the change adds count "
    "only when they name one of these (or the author).",
)
@click.option(
    "--fail-on-policy-change",
    is_flag=True,
    help="Exit 1 when the change touches a policy or facts schema, or moves a subject to another "
    "policy (else these are listed for review).",
)
@_format_option
@_now_option
@_project_options
def check(
    base: str | None,
    every: bool,
    author: str | None,
    approved_by: tuple[str, ...],
    fail_on_policy_change: bool,
    fmt: str,
    now: dt.date,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Refuse a change whose evidence claims gates it does not pass (the pre-merge job).

    Run in a git work tree. Finds the subjects whose evidence (or policy) changed since the base,
    validates every file, and judges each claimed gate by the policies as they are at the base.
    Exit 0 when every claim holds, 1 when one does not, 2 on invalid input or a git problem.
    """
    from gatecheck.commands.check import CheckOptions, check_change
    from gatecheck.reporters import REPORTERS

    logins = tuple(login for given in approved_by for login in given.replace(",", " ").split())
    for login in logins:
        if not _is_login(login):
            msg = f"--approved-by: {login!r} is not a login (letters, digits, '-', '_', '.')"
            raise click.BadParameter(msg)
    options = CheckOptions(base, every, author, now, fail_on_policy_change, logins)
    with _problems_rendered_as(fmt):
        found = _layout(root, policies, evidence)
        result = check_change(
            found.root,
            found.policies,
            found.evidence,
            options,
            schemas=found.schemas,
            fallback=found.fallback,
        )
    _emit(REPORTERS[fmt].render_check(result, color=_use_color(color)))
    sys.exit(result.exit_code())


@cli.command("test")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "-k", "keyword", metavar="SUBSTRING", help="Only the cases whose FILE::NAME contains it."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),  # the keys of policy_test_output.RENDERERS (tested)
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Only the failing cases, explained, and the summary."
)
@_project_options
def policy_tests(
    paths: tuple[str, ...],
    keyword: str | None,
    fmt: str,
    quiet: bool,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Run the policy tests in each PATH: *.test.yaml files, or directories searched for them.

    PATH is relative to ROOT; the default is the tests/ directory beside the policies. Exit 0
    when every case passes, 1 when one fails, 2 on invalid input.
    """
    from gatecheck.policytests.files import run_policy_tests
    from gatecheck.reporters.policytests import RENDERERS

    project = _open(root, policies, evidence)
    report = run_policy_tests(project, list(paths), keyword)
    _emit(RENDERERS[fmt](report, color=_use_color(color), verbosity=_verbosity(quiet=quiet)))
    sys.exit(report.exit_code())


@cli.command("record-tests")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="FILE..."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("auto", "junit", "libtest")),  # gatecheck.spectests.results.FORMATS
    default="auto",
    show_default=True,
    help="How the files are written: JUnit XML, or `cargo test` output (auto: XML if it starts "
    "with <).",
)
@click.option(
    "--subject",
    "subjects",
    multiple=True,
    metavar="SUBJECT",
    help="Only this subject (repeatable; default: every proposal with tests and evidence).",
)
@click.option(
    "--compiler",
    type=click.Choice(("cranelift", "winch", "pulley")),  # spec_test_map.yaml's compilers (tested)
    default="cranelift",
    show_default=True,
    help="Count the tests Wasmtime ran with this compiler.",
)
@click.option("--dry-run", is_flag=True, help="Show the changes as diffs; write nothing.")
@click.option(
    "--collected-at",
    "day",
    callback=_past_date,
    metavar="YYYY-MM-DD",
    help="The date recorded as collected_at (default: today, UTC).",
)
@_project_options
def record_tests(
    files: tuple[str, ...],
    fmt: str,
    subjects: tuple[str, ...],
    compiler: str,
    dry_run: bool,
    day: dt.date,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Record spec-test results as each proposal's `spec_tests` facts.

    Reads each FILE (JUnit XML, or the output of `cargo test --test wast -- --format pretty`),
    maps every spec test to proposals, counts passed, failed and ignored per proposal for one
    compiler, and writes the counts with their provenance into the evidence. Proposals without
    tests in the files are left as they were. Exit 0 when recorded, 2 on invalid input.
    """
    from gatecheck.errors import InvalidInput
    from gatecheck.spectests import facts as spec_tests
    from gatecheck.spectests.mapping import load_map
    from gatecheck.spectests.results import read_results
    from gatecheck.spectests.summary import render
    from gatecheck.spectests.tally import tally

    del color  # the summary has no colour
    project = _open(root, policies, evidence)
    results = [read_results(path, fmt) for path in files]
    table = load_map()
    found = tally(results, table, compiler)
    if not found.spec_tests:
        raise InvalidInput([spec_tests.no_spec_tests(found, table)])
    plans = spec_tests.plan_subjects(project, table, found=found, subjects=list(subjects), day=day)
    recorded = spec_tests.record(project, plans, dry_run=dry_run)
    if dry_run:
        _emit("".join(item.diff for item in recorded if item.changed))
    changed = {item.plan.subject: item.changed for item in recorded}
    _emit(render(found, plans, changed, dry_run=dry_run))


@cli.command()
@click.option(
    "--policy",
    "policy_ref",
    metavar="NAME[@VERSION]",
    help="The complete evidence schema of this policy (NAME alone: its default version).",
)
@click.option(
    "--kind",
    type=click.Choice(("policy", "evidence")),  # gatecheck.language.json_schemas.KINDS
    help="The policy-language schema, or the evidence envelope (facts unchecked).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Write every schema (or --policy's with the two general ones) into DIR; list them.",
)
@_project_options
def schema(
    policy_ref: str | None,
    kind: str | None,
    out: str | None,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,  # noqa: ARG001 - common option
) -> None:
    """Print a JSON Schema for editors, or with --out write them all (see docs/editors.md).

    Without --out, name one: --policy P prints the schema of a whole evidence file judged by P
    (facts, claims, waivers and judgements checked), --kind policy|evidence a general one.
    Exit 0, or 2 on invalid input (such as an unknown policy).
    """
    from gatecheck.errors import Location
    from gatecheck.language.json_schemas import (
        bundled_schema,
        evidence_file_name,
        export_schemas,
        render,
        write_schemas,
    )
    from gatecheck.loading.policies import load_policies
    from gatecheck.loading.policy_catalogue import policy_option

    if out is None and (policy_ref is None) == (kind is None):
        msg = "name one schema: --policy NAME[@VERSION] or --kind policy|evidence (or use --out)"
        raise click.UsageError(msg)
    if policy_ref is not None and kind is not None:
        msg = "--policy and --kind name different schemas: give one"
        raise click.UsageError(msg)
    if out is None and kind is not None:
        _emit(render(bundled_schema(kind)))
        return
    project = _open(root, policies, evidence)
    loaded = load_policies(project)
    only = None
    if policy_ref is not None:
        only = policy_option(loaded, policy_ref, Location(project.policies.display + "/", 0, 0))
    documents = export_schemas(loaded, only)
    if out is None:
        assert only is not None  # noqa: S101 - checked above: --policy without --out
        _emit(render(documents[evidence_file_name(only)]))
        return
    for path in write_schemas(documents, out, out):
        _emit(f"wrote {path}\n")


@cli.group()
def collect() -> None:
    """Collect evidence from the repositories that hold it (see docs/evidence.md)."""


@collect.command("wasmtime")
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "--rev", metavar="REV", help="Read this commit straight from git (default: the work tree)."
)
@click.option(
    "--subject", "subjects", multiple=True, metavar="S", help="Only this proposal (repeatable)."
)
@click.option("--wasm-tools", type=click.Path(file_okay=False), help="A wasm-tools clone.")
@click.option(
    "--proposals", type=click.Path(file_okay=False), help="A WebAssembly/proposals clone."
)
@click.option(
    "--proposals-rev", metavar="REV", help="Its revision (default: the last before REV's date)."
)
@click.option(
    "--embedding",
    "embeddings",
    multiple=True,
    metavar="LANG=PATH",
    help="A clone of an embedding: python=, go= or dotnet= (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Show the changes; write nothing.")
@_project_options
def collect_wasmtime(
    path: str,
    rev: str | None,
    subjects: tuple[str, ...],
    wasm_tools: str | None,
    proposals: str | None,
    proposals_rev: str | None,
    embeddings: tuple[str, ...],
    dry_run: bool,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,  # noqa: ARG001 - common option
) -> None:
    """Update each proposal's evidence from a Wasmtime repository at PATH (a clone, bare or not).

    Facts are found as the bundled table says; each gets its source (repository, commit, file,
    line). A fact that cannot be determined is left as it is and listed. Exit 0, or 2 on bad input.
    """
    from gatecheck.collectors.run import CollectOptions, collect_wasmtime
    from gatecheck.reporters.collect import render

    options = CollectOptions(
        path, rev, subjects, wasm_tools, proposals, proposals_rev, embeddings, dry_run
    )
    with _progress() as progress:
        report = collect_wasmtime(_open(root, policies, evidence, ()), options, _today(), progress)
    for warning in report.warnings:
        _say(f"warning: {warning}")
    _emit(render(report, dry_run=dry_run))


def _since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"'{value}' is not a date in the form YYYY-MM-DD"
        raise click.BadParameter(msg) from None


@cli.group()
def history() -> None:
    """Replay evidence over a repository's history: when each gate flipped, and why."""


@history.command("wasmtime")
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "--subject", "subjects", multiple=True, metavar="S", help="Only this proposal (repeatable)."
)
@click.option(
    "--since",
    callback=_since,
    metavar="YYYY-MM-DD",
    help="Start at the first commit of this day (default: the whole history of --to).",
)
@click.option("--from", "start", metavar="REV", help="Start at this commit (not with --since).")
@click.option("--to", metavar="REV", help="End at this commit (default: HEAD).")
@click.option("--wasm-tools", type=click.Path(file_okay=False), help="A wasm-tools clone.")
@click.option(
    "--proposals", type=click.Path(file_okay=False), help="A WebAssembly/proposals clone."
)
@click.option(
    "--embedding",
    "embeddings",
    multiple=True,
    metavar="LANG=PATH",
    help="A clone of an embedding: python=, go= or dotnet= (repeatable).",
)
@_policy_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(HISTORY_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@_history_project_options
def history_wasmtime(
    path: str,
    subjects: tuple[str, ...],
    since: dt.date | None,
    start: str | None,
    to: str | None,
    wasm_tools: str | None,
    proposals: str | None,
    embeddings: tuple[str, ...],
    policy_ref: str | None,
    fmt: str,
    root: str | None,
    policies: str | None,
    color: str | None,
) -> None:
    """Replay every proposal's facts over the commits of a Wasmtime clone at PATH, in memory.

    Each commit that changes a file the collector reads is judged on its own date by the policy
    version in force there (or --policy). Prints when each rule and gate flipped, when a proposal
    was declared (a tier, on by default), and each stretch where a declaration ran ahead of the
    evidence. Exit 0; 1 when a declaration ran ahead while its gate failed; 2 on bad input.
    """
    from gatecheck.collectors.commit_walk import ReplayOptions
    from gatecheck.commands.history.replay import replay_history
    from gatecheck.commands.history.results import HistoryOptions
    from gatecheck.reporters import HISTORY_REPORTERS

    if since is not None and start is not None:
        msg = "give --since or --from, not both"
        raise click.UsageError(msg)
    replay = ReplayOptions(path, to, start, since, wasm_tools, proposals, embeddings)
    with _progress() as progress:
        found = replay_history(
            _open(root, policies, None, ()),
            HistoryOptions(replay, subjects, policy_ref),
            progress,
        )
    _emit(HISTORY_REPORTERS[fmt].render_history(found, color=_use_color(color)))
    sys.exit(found.exit_code())


# -- editing evidence: record, attest, waive -------------------------------------------------------

EDIT_COMMANDS = ("record", "attest", "waive", "record-tests", "collect")


def _dry_run_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--dry-run", is_flag=True, help="Print the change as a unified diff; write nothing."
    )(func)


def _show_edit(result: EditResult, what: str, *, dry_run: bool, color: str | None) -> None:
    from gatecheck.reporters.escape import terminal

    if dry_run and result.changed:
        styles = {"+": "green", "-": "red", "@": "cyan"}
        # Split at LF only: splitlines() would also split at U+2028, NEL, ... inside a line.
        lines = [line + "\n" for line in result.diff.split("\n")[:-1]]
        colored = _use_color(color)
        _emit(
            "".join(
                click.style(line, fg=styles.get(line[:1])) if colored else line for line in lines
            )
        )
        return
    unchanged = "" if result.changed else " (no change: already so)"
    _emit(f"{terminal(result.path)}: {terminal(what)}{unchanged}\n")


@cli.command(context_settings={"ignore_unknown_options": True})  # VALUE may be -1 or -W x
@click.argument("subject", shell_complete=_completer("subject"))
@click.argument("fact")
@click.argument("value", required=False)
@click.option("--remove", is_flag=True, help="Delete FACT and its sources entry (give no VALUE).")
@click.option("--source-url", metavar="URL", help="Where the fact can be read (a web page).")
@click.option("--source-repository", metavar="OWNER/NAME", help="The repository it comes from.")
@click.option("--source-commit", metavar="SHA", help="The commit it was read at.")
@click.option("--source-file", metavar="PATH", help="The file in that repository.")
@click.option("--source-line", type=click.IntRange(min=1), metavar="N", help="The line in it.")
@click.option("--note", metavar="TEXT", help="A note kept with the source.")
@click.option(
    "--collected-at",
    callback=lambda ctx, param, value: None if value is None else _past_date(ctx, param, value),
    metavar="YYYY-MM-DD",
    help="The day the fact was observed (default: today, UTC).",
)
@_dry_run_option
@_project_options
def record(
    subject: str,
    fact: str,
    value: str | None,
    remove: bool,
    source_url: str | None,
    source_repository: str | None,
    source_commit: str | None,
    source_file: str | None,
    source_line: int | None,
    note: str | None,
    collected_at: dt.date | None,
    dry_run: bool,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Set FACT (a dotted path such as fuzzing.since) to VALUE in SUBJECT's evidence.

    VALUE is YAML, as in the evidence file: true, -1, 2024-09-30, [python, go], {ok: true}; null
    records a value known to be unknown. A source option (or --note, or --collected-at) replaces
    the fact's sources entry, with collected_at set to --collected-at or today (UTC). The edited
    file is validated before it is written, atomically, keeping comments and layout. Exit 0 when
    done, 2 on invalid input.
    """
    from gatecheck.editing.evidence_files import (
        REMOVE,
        FactChange,
        describe_fact,
        edit_evidence,
        parse_value,
    )

    given = {
        "url": source_url,
        "repository": source_repository,
        "commit": source_commit,
        "file": source_file,
        "line": source_line,
        "note": note,
    }
    has_source = collected_at is not None or any(item is not None for item in given.values())
    if value is not None and value.startswith("--"):
        msg = f"no such option: {value} (a VALUE that starts with -- is quoted: '\"{value}\"')"
        raise click.UsageError(msg)
    if remove == (value is not None) or (remove and has_source):
        msg = "give FACT a VALUE, or --remove it (without VALUE or source options)"
        raise click.UsageError(msg)
    source = {**given, "collected_at": collected_at or _today()} if has_source else None
    change = FactChange(fact, REMOVE if remove else parse_value(value or ""), source)
    project = _open(root, policies, evidence)
    result = edit_evidence(project, subject, facts=[change], dry_run=dry_run)
    _show_edit(result, describe_fact(change), dry_run=dry_run, color=color)


@cli.command()
@click.argument("subject", shell_complete=_completer("subject"))
@click.argument("judgement")
@click.option("--by", "login", required=True, metavar="LOGIN", help="Who vouches.")
@click.option(
    "--date", "day", callback=_past_date, metavar="YYYY-MM-DD", help="When (default: today, UTC)."
)
@click.option("--note", metavar="TEXT", help="What was looked at.")
@_dry_run_option
@_project_options
def attest(
    subject: str,
    judgement: str,
    login: str,
    day: dt.date,
    note: str | None,
    dry_run: bool,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Add an attestation: LOGIN vouches for JUDGEMENT (one the policy declares) on SUBJECT.

    An identical attestation already there is not added twice. Exit 0 when done, 2 on invalid
    input (such as a judgement the policy does not declare).
    """
    from gatecheck.editing.evidence_files import edit_evidence

    entry = {"judgement": judgement, "by": login, "date": day, "note": note}
    project = _open(root, policies, evidence)
    result = edit_evidence(project, subject, attestations=[entry], dry_run=dry_run)
    what = f"attestation {judgement} by {login} on {day.isoformat()}"
    _show_edit(result, what, dry_run=dry_run, color=color)


@cli.command()
@click.argument("subject", shell_complete=_completer("subject"))
@click.argument("rule", shell_complete=_completer("rule"))
@click.option("--reason", required=True, metavar="TEXT", help="Why the rule may be waived.")
@click.option("--approver", required=True, metavar="LOGIN", help="Who approved the waiver.")
@click.option(
    "--expires", required=True, callback=_parse_date, metavar="YYYY-MM-DD", help="Its last day."
)
@click.option(
    "--gate",
    metavar="GATE",
    shell_complete=_completer("gate"),
    help="Only in this gate (default: every gate).",
)
@_dry_run_option
@_now_option
@_project_options
def waive(
    subject: str,
    rule: str,
    reason: str,
    approver: str,
    expires: dt.date,
    gate: str | None,
    dry_run: bool,
    now: dt.date,
    root: str | None,
    policies: str | None,
    evidence: str | None,
    color: str | None,
) -> None:
    """Add a waiver: RULE counts as passing for SUBJECT until --expires.

    The waiver must be able to count on --now (default: today): an approver in the policy's
    `waivers` group, not the claim's author, an expiry not past and within the policy's `longest`.
    Exit 0 when done, 2 on invalid input (such as a rule or gate the policy does not have, or a
    waiver that would not count).
    """
    from gatecheck.commands.waive import refuse_idle_waiver
    from gatecheck.editing.evidence_files import edit_evidence

    entry = {"rule": rule, "gate": gate, "reason": reason, "approver": approver, "expires": expires}
    project = _open(root, policies, evidence)
    refuse_idle_waiver(project, subject, {k: v for k, v in entry.items() if v is not None}, now)
    result = edit_evidence(project, subject, waivers=[entry], dry_run=dry_run)
    scope = f" in gate {gate}" if gate else ""
    what = f"waiver of {rule}{scope}, approved by {approver} until {expires.isoformat()}"
    _show_edit(result, what, dry_run=dry_run, color=color)


def run() -> int:
    """Run the command line and return its exit status; an unexpected exception is a bug: 3."""
    try:
        cli.main(prog_name="gatecheck")  # standalone mode: always ends in SystemExit
    except SystemExit as leave:
        code = leave.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except Exception:  # noqa: BLE001 - click handles usage errors; anything else is a bug
        import traceback

        traceback.print_exc()
        click.echo(
            f"gatecheck {__version__}: internal error (exit 3); report it with this traceback",
            err=True,
        )
        return 3


def main() -> NoReturn:
    """Entry point of the `gatecheck` script."""
    # A run is short and builds acyclic data: the cyclic collector would only slow it down (by
    # half again on large policies). For the same reason the process leaves without tearing its
    # objects down one by one (0.6 s after a 100,000-step plan): output is flushed, the cache
    # written atomically already, and the memory goes back to the system at once.
    gc.disable()
    code = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`gatecheck ... | head`): nothing more can be said
        code = code or 1
    os._exit(code)

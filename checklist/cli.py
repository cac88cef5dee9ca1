"""The command line: typer options in, one call, an exit code out.

Known problems (bad files, answers, rules, options) print one line and exit
2; anything else is a bug, logged to a file unless --debug asks for the
traceback. Commands import their modules lazily so that --help stays fast.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from checklist import __version__
from checklist.core.errors import INTERRUPTED, Terminated
from checklist.core.fields import INVENTORY_FORMATS
from checklist.core.vocabulary import CATEGORIES, SEVERITIES
from checklist.render import ASSESSMENT, DIFF, DOCUMENTS, PLAN, SCAN

app = typer.Typer(
    name="checklist",
    help="How ready is each application to move from virtual machines to Docker containers?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: no type hints like <bool>, and no rich import for --help
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="Browse the rule catalog.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")
export_app = typer.Typer(help="Write the catalog for other tools.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(export_app, name="export")
import_app = typer.Typer(help="Read other tools' files into an inventory.", no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(import_app, name="import")


# Choices from the registries and the vocabulary that hold them (mypy cannot follow Enum() over a dict
# comprehension; the members are the values).
Format = Enum("Format", {name: name for name in ASSESSMENT.names}, type=str)  # type: ignore[misc]
DocumentFormat = Enum("DocumentFormat", {name: name for name in DOCUMENTS}, type=str)  # type: ignore[misc]
PlanFormat = Enum("PlanFormat", {name: name for name in PLAN.names}, type=str)  # type: ignore[misc]
DiffFormat = Enum("DiffFormat", {name: name for name in DIFF.names}, type=str)  # type: ignore[misc]
ScanFormat = Enum("ScanFormat", {name: name for name in SCAN.names}, type=str)  # type: ignore[misc]
Category = Enum("Category", {name: name for name in CATEGORIES}, type=str)  # type: ignore[misc]
Severity = Enum("Severity", {name: name for name in SEVERITIES}, type=str)  # type: ignore[misc]
InitFormat = Enum("InitFormat", {name: name for name in INVENTORY_FORMATS}, type=str)  # type: ignore[misc]


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class SchemaKind(str, Enum):
    inventory = "inventory"
    catalog = "catalog"


_state = {"debug": False}

Files = Annotated[list[str], typer.Argument(
    metavar="FILE", help="Inventory files (YAML, JSON, CSV, XLSX), directories, or - for stdin.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no 'wrote' line on stderr.")]
Rules = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer needs Optional here
    typer.Option("--rules", metavar="DIR",
                 help="A catalog directory: replaces the default if it declares 'catalog:', else adds to it."),
]


Force = Annotated[bool, typer.Option("--force", help="Replace an existing -o file of another kind "
                                                       "(never an input).")]
Questionnaires = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer needs Optional here
    typer.Option("--questionnaire", metavar="FILE",
                 help="A Konveyor questionnaire (YAML or JSON; repeatable): add its risk and confidence."),
]


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _width() -> int:
    if sys.stdout.isatty():
        return max(60, shutil.get_terminal_size((120, 40)).columns)
    return 120


def _run(call: Callable[[], int]) -> None:
    """The one error boundary: known problems are one line and exit 2."""
    from checklist.core.errors import ChecklistError, UsageError

    try:
        code = call()
    except UsageError as exc:
        print(f"checklist: {exc}", file=sys.stderr)
        code = 2
    except ChecklistError as exc:
        first = str(exc.problems[0]) if exc.problems else "error"
        more = len(exc.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''}; 'checklist validate' lists all)" if more else ""
        print(f"{first}{suffix}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("checklist: interrupted", file=sys.stderr)
        code = INTERRUPTED
    except Terminated as exc:
        import signal

        print(f"checklist: stopped by {signal.Signals(exc.signum).name}", file=sys.stderr)
        code = 128 + exc.signum
    except BrokenPipeError:
        code = 0
    except Exception:
        if _state["debug"]:
            raise
        import tempfile
        import traceback

        with tempfile.NamedTemporaryFile("w", prefix="checklist-crash-", suffix=".log", delete=False) as log:
            traceback.print_exc(file=log)
        print(f"checklist: internal error (a bug, not your input); details in {log.name}. "
              "Please report it; rerun with --debug to see the traceback.", file=sys.stderr)
        code = 70
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"checklist {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    max_input_mb: Annotated[int, typer.Option("--max-input-mb", metavar="MB", min=1, max=1 << 20,
                                              help="Refuse larger input files.")] = 50,
    max_nodes: Annotated[int, typer.Option("--max-nodes", metavar="N", min=1, max=10**12,
                                           help="Refuse a file with more values.")] = 5_000_000,
    max_aliases: Annotated[int, typer.Option("--max-aliases", metavar="N", min=0, max=10**12, help=(
        "Refuse a YAML file whose aliases add more values."))] = 100_000,
) -> None:
    """How ready is each application to move from virtual machines to Docker containers?"""
    from checklist.io.source import Limits  # the limits every input is read with (README: Safety)

    _state["debug"] = debug
    # every command's context inherits this object: each puts it in its Options for what reads its files
    ctx.obj = Limits(max_bytes=max_input_mb * 1024 * 1024, max_nodes=max_nodes, max_alias_nodes=max_aliases)


@app.command()
def assess(
    ctx: typer.Context,
    files: Files,
    rules: Rules = None,
    app_id: Annotated[Optional[str], typer.Option("--app", metavar="ID", help="Assess only this application.")] = None,  # noqa: UP045
    fmt: Annotated[Optional[Format], typer.Option(  # noqa: UP045
        "--format", "-f", help="Output format (default: the -o file's extension, .json .jsonl .csv .md .html "
                               ".pdf, else table).")] = None,
    output: Annotated[Optional[Path],  # noqa: UP045
                      typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    fail_under: Annotated[Optional[float], typer.Option("--fail-under", metavar="SCORE", min=0, max=100,  # noqa: UP045
                                                       help="Exit 1 when an application scores below SCORE "
                                                            "or cannot move (needs platform, not suitable, "
                                                            "insufficient data).")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", metavar="VERDICT,…",  # noqa: UP045
                                                   help="Exit 1 when an application has one of these verdicts "
                                                        "(replaces the verdicts --fail-under fails).")] = None,
    min_confidence: Annotated[Optional[float], typer.Option("--min-confidence", metavar="X", min=0, max=1,  # noqa: UP045
                                                            help="Exit 1 when an application's confidence is "
                                                                 "below X (0 to 1).")] = None,
    quiet: Quiet = False,
    questionnaire: Questionnaires = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing -o file of another kind.")] = False,
    with_plan: Annotated[bool, typer.Option("--plan", help="JSON: add the plan (waves, effort, quick wins, "
                                                           "business case), as `checklist plan -f json` gives it.")
                         ] = False,
) -> None:
    """Score every application: verdict, strategy, blockers and what to fix first.

    Example: checklist assess samples/portfolio.yaml --format json -o result.json
    """
    from checklist.commands import assess as command

    _run(lambda: command.run(command.Options(
        files, rules=rules or [], app=app_id, fmt=Format(fmt).value if fmt else None, output=output,
        fail_under=fail_under,
        fail_on=fail_on, min_confidence=min_confidence, questionnaires=questionnaire or [], plan=with_plan,
        quiet=quiet, force=force, color=_color(), width=_width(), limits=ctx.obj)))


@app.command()
def validate(
    ctx: typer.Context,
    files: Annotated[Optional[list[str]],  # noqa: UP045
                     typer.Argument(metavar="FILE", help="Inventory files or directories.")] = None,
    rules: Rules = None,
    quiet: Quiet = False,
    questionnaire: Questionnaires = None,
) -> None:
    """Check inventories (and --rules catalogs, with their examples); print every problem.

    Example: checklist validate inventory/ --rules my-rules/
    """
    from checklist.commands import validate as command

    _run(lambda: command.run(command.Options(files or [], rules=rules or [], questionnaires=questionnaire or [],
                                             quiet=quiet, limits=ctx.obj)))


@app.command()
def explain(
    ctx: typer.Context,
    file: Files,
    app_id: Annotated[str, typer.Option("--app", metavar="ID", help="The application to explain.")] = "",
    rules: Rules = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    failing_only: Annotated[bool, typer.Option("--failing-only", help="Only the rules that fail or partly pass.")
                            ] = False,
) -> None:
    """Every rule for one application, the facts it read, and the arithmetic of its score.

    Example: checklist explain samples/portfolio.yaml --app billing-api --failing-only
    """
    from checklist.commands import explain as command

    _run(lambda: command.run(command.Options(file, app_id, rules=rules or [], fmt=fmt.value, color=_color(),
                                             width=_width(), failing_only=failing_only, limits=ctx.obj)))


@app.command()
def report(
    ctx: typer.Context,
    files: Files,
    fmt: Annotated[Optional[DocumentFormat], typer.Option(  # noqa: UP045
        "--format", "-f", help="md, html or pdf; by default from the -o extension.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The file to write.")] = None,  # noqa: UP045
    app_id: Annotated[Optional[str], typer.Option("--app", metavar="ID",  # noqa: UP045
                                                  help="A report on one application.")] = None,
    details: Annotated[bool, typer.Option("--details", help="A page per application after the executive pages "
                                                            "(by default: one line each, in a register).")
                       ] = False,
    template_dir: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--template-dir", metavar="DIR", help="Templates that override the built-in ones (branding).")] = None,
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = "",
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size of the PDF.")] = Paper.a4,
    date: Annotated[Optional[str], typer.Option("--date", metavar="YYYY-MM-DD",  # noqa: UP045
                                                help="The date printed on the report (default: today).")] = None,
    baseline: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--baseline", metavar="BEFORE",
        help="An earlier inventory or saved JSON result: adds 'Progress since' to the summary.")] = None,
    rules: Rules = None,
    quiet: Quiet = False,
    questionnaire: Questionnaires = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing -o file of another kind.")] = False,
) -> None:
    """Write the readiness report for people: Markdown, HTML or PDF.

    HTML and PDF: the executive pages and a one-line register of the applications;
    --details adds a page per application, --app ID reports on one.

    Example: checklist report samples/portfolio.yaml -o readiness.pdf
    """
    from checklist.commands import report as command

    _run(lambda: command.run(command.Options(
        files, rules=rules or [], fmt=fmt.value if fmt else None, output=output, app=app_id,
        template_dir=template_dir, title=title, paper=paper.value, date=date, questionnaires=questionnaire or [],
        baseline=baseline, quiet=quiet, force=force, details=details, limits=ctx.obj)))


@app.command()
def plan(
    ctx: typer.Context,
    files: Files,
    fmt: Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")] = "table",  # type: ignore[assignment]
    output: Annotated[Optional[Path],  # noqa: UP045
                      typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    wave_size: Annotated[int, typer.Option("--wave-size", min=1, metavar="N",
                                           help="At most N applications per wave after the pilots.")] = 5,
    pilots: Annotated[int, typer.Option("--pilots", min=0, metavar="N", help="At most N pilot applications.")] = 3,
    what_if: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--what-if", metavar="APP.FACT=VALUE",
        help="Plan as if this answer were given (FACT=VALUE for the organisation); repeatable. "
             "The inventory is not changed.")] = None,
    rules: Rules = None,
    force: Force = False,
) -> None:
    """Plan the move: effort, quick wins, waves, the business case; --what-if re-scores without writing.

    Example: checklist plan samples/portfolio.yaml --what-if php-shop.session_state=external_store
    """
    from checklist.commands import plan as command

    _run(lambda: command.run(command.Options(
        files, rules=rules or [], fmt=PlanFormat(fmt).value, output=output, wave_size=wave_size, pilots=pilots,
        what_if=what_if or [], color=_color(), width=_width(), force=force, limits=ctx.obj)))


@app.command()
def diff(
    ctx: typer.Context,
    sides: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        metavar="BEFORE AFTER", help="An inventory (file or directory) or a saved JSON result for each side.")
                     ] = None,
    before: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--before", metavar="FILE", help="Instead of BEFORE: an inventory file or directory (repeatable: an "
                                         "organisation CSV and an applications CSV, say).")] = None,
    after: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--after", metavar="FILE", help="Instead of AFTER: the same, later (repeatable).")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = "table",  # type: ignore[assignment]
    output: Annotated[Optional[Path],  # noqa: UP045
                      typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    rules: Rules = None,
    force: Force = False,
) -> None:
    """What changed: scores and confidence, verdicts, steps done or regressed, answers; apps added or removed.

    Example: checklist diff last-quarter.json inventory/
    Example: checklist diff --before old-org.csv --before old-apps.csv --after org.csv --after apps.csv
    """
    from checklist.commands import diff as command
    from checklist.core.errors import UsageError

    def call() -> int:
        positional = list(sides or [])
        if before or after:
            if positional or not (before and after):
                raise UsageError("give --before and --after (each repeatable), or BEFORE AFTER, not both")
            befores, afters = list(before), list(after)
        elif len(positional) != 2:
            raise UsageError("give BEFORE and AFTER (or --before FILE… --after FILE… for several files a side)")
        else:
            befores, afters = positional[:1], positional[1:]
        return command.run(command.Options(befores, afters, rules=rules or [], fmt=DiffFormat(fmt).value,
                                           output=output, color=_color(), width=_width(), force=force,
                                           limits=ctx.obj))

    _run(call)


@app.command()
def interview(
    ctx: typer.Context,
    file: Annotated[Optional[str], typer.Argument(metavar="INVENTORY",  # noqa: UP045
                                                  help="The inventory to fill in (created if missing).")] = None,
    app_id: Annotated[Optional[str], typer.Option("--app", metavar="ID", help="The application to interview.")] = None,  # noqa: UP045
    org: Annotated[bool, typer.Option("--org", help="Ask the organisation's questions (asked once, by whoever "
                                                    "knows them; an application's interview leaves them out).")
                   ] = False,
    only_missing: Annotated[bool, typer.Option("--only-missing", help="Ask only unanswered questions.")] = False,
    include_unknown: Annotated[bool, typer.Option(
        "--include-unknown", help="Ask again the questions answered \"I don't know\" (implies --only-missing).")
                               ] = False,
    rules: Rules = None,
    questionnaire: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--questionnaire", metavar="FILE", help="Ask a Konveyor questionnaire instead of the checklist.")] = None,
) -> None:
    """Answer the checklist's questions in the terminal; every answer is saved at once.

    INVENTORY may be YAML, JSON, CSV or XLSX: a spreadsheet's row is edited in place.

    Example: checklist interview inventory.yaml --app billing-api
    """
    from checklist.commands import interview as command

    _run(lambda: command.run(command.Options(file, app_id, org=org, only_missing=only_missing, rules=rules or [],
                                             questionnaire=questionnaire, include_unknown=include_unknown,
                                             limits=ctx.obj)))


@app.command()
def scan(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", help="Source trees (directories, checkouts), or archives of `checklist collect`.")],
    app_id: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--app", metavar="ID", help="The application of the one PATH (default: the directory's name).")] = None,
    into: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--into", metavar="INVENTORY",
        help="Store the answers found in this inventory, in place; a person's answers are kept.")] = None,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")] = None,
    fmt: Annotated[ScanFormat, typer.Option(
        "--format", "-f", help="table, json, or yaml (an inventory).")] = "table",  # type: ignore[assignment]
    quiet: Quiet = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace FILE even if it holds another kind of document.")] = False,
    footprint: Annotated[bool, typer.Option(
        "--footprint", help="Also measure the VM from the archive: vCPU, memory and disk.")] = False,
    rules: Rules = None,
) -> None:
    """Propose answers from source code, or from what a VM showed `checklist collect`, each with its
    evidence (file:line, or command: line); nothing is run.

    Example: checklist scan ./repo collect.tar.gz --app billing-api --into inventory.yaml
    """
    from checklist.commands import scan as command

    _run(lambda: command.run(command.Options(
        paths=paths, app=app_id, into=into, output=output, fmt=ScanFormat(fmt).value, rules=rules or [], color=_color(),
        width=_width(), quiet=quiet, force=force, footprint=footprint, limits=ctx.obj)))


@app.command()
def init(
    ctx: typer.Context,
    output: Annotated[str, typer.Argument(metavar="OUT", help="The file to write (.yaml, .json, .csv or .xlsx).")],
    fmt: Annotated[Optional[InitFormat],  # noqa: UP045
                   typer.Option("--format", "-f", help="By default from OUT's extension.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
    rules: Rules = None,
) -> None:
    """Write a blank inventory: every question, ready to fill in.

    Example: checklist init inventory.yaml
    """
    from checklist.commands import init as command

    _run(lambda: command.run(command.Options(output, fmt=fmt.value if fmt else None, rules=rules or [], force=force,
                                             limits=ctx.obj)))


@app.command()
def schema(
    ctx: typer.Context,
    kind: Annotated[SchemaKind, typer.Argument(help="Which schema.")] = SchemaKind.inventory,
    rules: Rules = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,  # noqa: UP045
    force: Force = False,
) -> None:
    """Print the JSON Schema of an inventory (for editors) or of a catalog file.

    Example: checklist schema inventory -o inventory.schema.json
    """
    from checklist.commands import schema as command

    _run(lambda: command.run(command.Options(kind.value, rules=rules or [], output=output, force=force,
                                             limits=ctx.obj)))


@app.command()
def collect(
    script: Annotated[bool, typer.Option("--script", help="Print the collection script to run on a VM.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,  # noqa: UP045
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
) -> None:
    """Print a read-only shell script that collects, on a VM, what source code cannot tell.

    Run it on the VM (`sh collect.sh`, as root to see everything); it writes one archive
    of plain-text command outputs and changes nothing. Its header lists every command.

    Example: checklist collect --script > collect.sh
    """
    from checklist.commands import collect as command

    _run(lambda: command.run(command.Options(script=script, output=output, force=force)))


@rules_app.command("list")
def rules_list(
    ctx: typer.Context,
    step: Annotated[Optional[int], typer.Option("--step", help="Only rules of this step (1–19).")] = None,  # noqa: UP045
    category: Annotated[Optional[Category], typer.Option("--category", help="Only this category.")] = None,  # noqa: UP045
    severity: Annotated[Optional[Severity], typer.Option("--severity", help="Only this severity.")] = None,  # noqa: UP045
    rules: Rules = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
) -> None:
    """List the rules of the catalog.

    Example: checklist rules list --category isolation --severity blocker
    """
    from checklist.commands import rules as command

    _run(lambda: command.list_rules(command.ListOptions(
        rules=rules or [], step=step, category=category.value if category else None,
        severity=severity.value if severity else None, fmt=fmt.value, color=_color(), width=_width(), limits=ctx.obj)))


@rules_app.command("show")
def rules_show(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(metavar="RULE_ID", help="A rule id, e.g. state-local-disk.")],
    rules: Rules = None,
) -> None:
    """Show one rule: why it matters, what to do, its outcomes and the facts it reads.

    Example: checklist rules show state-local-disk
    """
    from checklist.commands import rules as command

    _run(lambda: command.show_rule(command.ShowOptions(rule_id, rules=rules or [], color=_color(), width=_width(),
                                                        limits=ctx.obj)))


@export_app.command("konveyor")
def export_konveyor(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("--output", "-o",  # noqa: UP045
                                                   help="The file to write (.yaml, or .json).")] = None,
    rules: Rules = None,
    force: Force = False,
) -> None:
    """The catalog as a Konveyor questionnaire: answer risks from the rules.

    Example: checklist export konveyor -o docker-transition.yaml
    """
    from checklist.commands import export as command

    _run(lambda: command.run(command.Options(rules=rules or [], output=output, force=force, limits=ctx.obj)))


@import_app.command("konveyor-csv")
def import_konveyor_csv(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Konveyor's application import CSV.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The inventory to write (.yaml or .json).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output if it exists.")] = False,
) -> None:
    """Konveyor's application CSV as an inventory: ids, owners, tags and dependencies.

    Example: checklist import konveyor-csv applications.csv -o inventory.yaml
    """
    from checklist.commands import importer as command

    _run(lambda: command.run(command.Options(file, output=output, force=force, limits=ctx.obj)))


# Python's cyclic garbage collector runs a young-generation pass every 700 new
# objects, and its older passes walk every live object. A portfolio run creates
# millions of long-lived ones (answers, findings, results) and no cycles worth
# collecting early, so with the default the collector took about 12 % of a
# 10,000-application `assess`. It still runs, just rarely.
GC_THRESHOLD = (200_000, 50, 1_000)


def _terminate(signum: int, _frame: object) -> None:
    import signal

    for name in STOPPING:  # once is enough: a second signal must not cut the cleaning up short
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Terminated(signum)


# Signals that end a run the way Ctrl-C does (a closed terminal sends SIGHUP, `kill` SIGTERM).
STOPPING = ("SIGTERM", "SIGHUP")


class _Closed(io.TextIOBase):
    """Standard output closed by the shell (`>&-`): every write fails as a closed descriptor does."""

    encoding = "utf-8"

    def write(self, text: Any) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    @property
    def buffer(self) -> _Closed:
        return self


def _closed_streams() -> None:
    """A standard stream the shell closed (`<&-`, `>&-`, `2>&-`) is None to Python: input reads
    as empty, diagnostics go nowhere (the exit code still tells), output fails in one line."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = _Closed()


def main() -> None:
    """Console-script entry point."""
    import gc
    import signal

    gc.set_threshold(*GC_THRESHOLD)
    _closed_streams()
    for name in STOPPING:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    try:
        app(prog_name="checklist")
    except SystemExit as exc:
        if exc.code == INTERRUPTED:
            # CPython 3.11 remembers a Ctrl-C that arrived inside exec() of a string (as
            # dataclasses and namedtuple do while a module is imported), even though it was
            # caught, and would end the process by SIGINT instead of this exit code once it
            # has shut down. So shut down here: free what only the collector frees (some
            # of it removes temporary files, as WeasyPrint's fonts do), run the exit
            # handlers, flush, and leave with the code.
            import atexit

            with contextlib.suppress(BaseException):
                gc.collect()
                atexit._run_exitfuncs()
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(BaseException):
                    stream.flush()
            os._exit(INTERRUPTED)
        raise

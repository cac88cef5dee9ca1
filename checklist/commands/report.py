"""`checklist report`: the Markdown, HTML or PDF report for people."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_OK, FORMAT_OF_SUFFIX, assess_inputs, input_files, questionnaire_extras
from checklist.core.errors import UsageError
from checklist.core.text import clean
from checklist.io.output import emit, guard_output, stream_fd
from checklist.io.progress import Progress
from checklist.io.source import DEFAULT_LIMITS, Limits
from checklist.render import ASSESSMENT, DOCUMENTS, RenderOptions


def choose_format(fmt: str | None, output: Path | None) -> str:
    """--format, else the output file's extension, else Markdown."""
    if fmt is not None:
        return fmt
    by_suffix = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if by_suffix in DOCUMENTS:
        return by_suffix
    if stream_fd(output) is None:
        assert output is not None
        raise UsageError(f"cannot tell the format from {output.name!r}; add --format {'|'.join(DOCUMENTS)}")
    return "md"


@dataclass(frozen=True)
class Options:
    """`checklist report` as the command line gives it."""

    files: Sequence[str]
    rules: Sequence[Path] = ()
    fmt: str | None = None  # None: from the output's extension
    output: Path | None = None
    app: str | None = None
    template_dir: Path | None = None
    title: str = ""
    paper: str = "a4"
    date: str | None = None
    questionnaires: Sequence[Path] = ()
    baseline: str | None = None
    quiet: bool = False
    force: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)
    details: bool = False  # a page per application in a portfolio report


def run(options: Options) -> int:
    output, app, baseline, template_dir = options.output, options.app, options.baseline, options.template_dir
    kind = choose_format(options.fmt, output)
    inputs = input_files(options.files, options.rules, options.questionnaires, baseline, template_dir)
    guard_output(output, kind, inputs, force=options.force)  # before any work
    if kind == "pdf" and stream_fd(output) == 1 and sys.stdout.isatty():
        raise UsageError("a PDF is not for the terminal: add -o FILE.pdf")
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"--template-dir {template_dir} is not a directory")
    when = None
    if options.date is not None:
        try:
            when = dt.date.fromisoformat(options.date)
        except ValueError:
            raise UsageError(f"--date {options.date!r} is not a date like 2026-11-22") from None
    with Progress.for_terminal(options.quiet) as bar:
        catalog, inventory, assessment = assess_inputs(options.files, options.rules, app, bar, options.limits)
    extras = questionnaire_extras(inventory, options.questionnaires, app, options.limits)
    progress = None
    if baseline is not None:
        from checklist.commands.diff import load_snapshot
        from checklist.diff import compare, snapshot_of

        after = snapshot_of(assessment, ", ".join(options.files))
        progress = compare(load_snapshot(baseline, catalog, options.limits), after, catalog.labels)
    view = RenderOptions(title=options.title, date=when, paper=options.paper, template_dir=template_dir, single=app,
                         progress=progress, extras=extras, details=options.details)
    emit(ASSESSMENT[kind](assessment, view), output, inputs)
    if output is not None and str(output) != "-" and not options.quiet:
        count = len(assessment.applications)
        pages = "" if kind == "md" or app or options.details else "; a page per application with --details"
        print(f"wrote {clean(output)} ({kind}, {count} application{'' if count == 1 else 's'}{pages})",
              file=sys.stderr)
    return EXIT_OK

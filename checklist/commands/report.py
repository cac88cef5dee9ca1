"""`checklist report`: the Markdown, HTML or PDF report for people."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from checklist.commands import EXIT_OK, assess_inputs, questionnaire_extras
from checklist.core.errors import UsageError
from checklist.io.output import check_target, emit, stream_fd
from checklist.io.progress import Progress
from checklist.render import ASSESSMENT, DOCUMENTS, RenderOptions

SUFFIX_FORMAT = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def choose_format(fmt: str | None, output: Path | None) -> str:
    """--format, else the output file's extension, else Markdown."""
    if fmt is not None:
        return fmt
    if output is not None and output.suffix.lower() in SUFFIX_FORMAT:
        return SUFFIX_FORMAT[output.suffix.lower()]
    if stream_fd(output) is None:
        assert output is not None
        raise UsageError(f"cannot tell the format from {output.name!r}; add --format {'|'.join(DOCUMENTS)}")
    return "md"


def run(
    files: Sequence[str],
    rules: Sequence[Path],
    fmt: str | None,
    output: Path | None,
    app: str | None,
    template_dir: Path | None,
    title: str,
    paper: str,
    date: str | None,
    quiet: bool = False,
    questionnaires: Sequence[Path] = (),
    baseline: str | None = None,
    force: bool = False,
) -> int:
    kind = choose_format(fmt, output)
    check_target(output, kind, force, [*files, *([baseline] if baseline else [])])  # before any work
    if kind == "pdf" and stream_fd(output) == 1 and sys.stdout.isatty():
        raise UsageError("a PDF is not for the terminal: add -o FILE.pdf")
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"--template-dir {template_dir} is not a directory")
    when = None
    if date is not None:
        try:
            when = dt.date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"--date {date!r} is not a date like 2026-11-22") from None
    with Progress.for_terminal(quiet) as bar:
        catalog, inventory, assessment = assess_inputs(files, rules, app, bar)
    extras = questionnaire_extras(inventory, questionnaires, app)
    progress = None
    if baseline is not None:
        from checklist.commands.diff import load_snapshot
        from checklist.diff import compare, snapshot_of

        progress = compare(load_snapshot(baseline, catalog), snapshot_of(assessment, ", ".join(files)), catalog.labels)
    options = RenderOptions(title=title, date=when, paper=paper, template_dir=template_dir, single=app,
                            progress=progress, extras=extras)
    emit(ASSESSMENT[kind](assessment, options), output, [*inventory.files, *([baseline] if baseline else [])])
    if output is not None and str(output) != "-" and not quiet:
        print(f"wrote {output} ({kind}, {len(assessment.applications)} applications)", file=sys.stderr)
    return EXIT_OK

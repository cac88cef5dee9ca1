"""`checklist assess`: score applications and print or write the result."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from checklist.commands import EXIT_GATE, EXIT_OK, assess_inputs
from checklist.errors import UsageError
from checklist.output import check_target, emit, stream_fd
from checklist.progress import Progress
from checklist.report import RenderOptions, renderer
from checklist.text import clean


def run(
    files: Sequence[str],
    rules: Sequence[Path],
    app: str | None,
    fmt: str,
    output: Path | None,
    fail_under: float | None,
    color: bool,
    width: int,
    quiet: bool = False,
    questionnaires: Sequence[Path] = (),
    force: bool = False,
    plan: bool = False,
) -> int:
    if fmt == "pdf" and stream_fd(output) == 1 and sys.stdout.isatty():
        raise UsageError("a PDF is not for the terminal: add -o FILE.pdf")
    check_target(output, fmt, force, files)
    with Progress.for_terminal(quiet) as progress:
        _, inventory, assessment = assess_inputs(files, rules, app, progress)
        if questionnaires:
            from checklist.konveyor import with_questionnaires

            assessment = with_questionnaires(assessment, inventory, questionnaires, app)
        options = RenderOptions(color=color and output is None, width=width, plan=True if plan else None)
        data = renderer(fmt)(assessment, options)
        if stream_fd(output) == 1 and sys.stdout.isatty():
            progress.close()  # the result goes to the screen the bar is drawn on: clear the bar first
        elif not isinstance(data, str | bytes):  # streamed: count the applications as they are written
            data = progress.track(data, "Writing", len(assessment.applications) + 2)
        emit(data, output, inventory.files)
    if fail_under is not None:
        below = [r for r in assessment.applications if r.score.value < fail_under]
        for result in below:
            print(f"checklist: gate: {clean(result.application.id)} scores {result.score.value:.1f}, "
                  f"below --fail-under {fail_under:g}", file=sys.stderr)
        if below:
            return EXIT_GATE
    return EXIT_OK

"""`checklist assess`: score applications and print or write the result."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_GATE, EXIT_OK, FORMAT_OF_SUFFIX, assess_inputs, input_files, questionnaire_extras
from checklist.core.conditions import did_you_mean
from checklist.core.engine import Gate
from checklist.core.errors import UsageError
from checklist.core.text import clean
from checklist.core.vocabulary import VERDICTS
from checklist.io.output import emit, guard_output, stream_fd
from checklist.io.progress import Progress
from checklist.io.source import DEFAULT_LIMITS, Limits
from checklist.render import ASSESSMENT, RenderOptions


def gate_of(fail_under: float | None, fail_on: str | None, min_confidence: float | None) -> Gate:
    """The gate of the command line; an unknown verdict in --fail-on is a usage error."""
    verdicts = None
    if fail_on is not None:
        verdicts = tuple(v.strip() for v in fail_on.split(",") if v.strip())
        for verdict in verdicts:
            if verdict not in VERDICTS:
                raise UsageError(f"--fail-on: unknown verdict {verdict!r}{did_you_mean(verdict, VERDICTS)}; "
                                 f"expected some of {', '.join(VERDICTS)}")
    for name, value in (("--fail-under", fail_under), ("--min-confidence", min_confidence)):
        if value is not None and not math.isfinite(value):
            raise UsageError(f"{name}: expected a number, got {value}")
    return Gate(fail_under, verdicts, min_confidence)


@dataclass(frozen=True)
class Options:
    """`checklist assess` as the command line gives it."""

    files: Sequence[str]
    rules: Sequence[Path] = ()
    app: str | None = None
    fmt: str | None = None  # None: the output file's extension says, else the table
    output: Path | None = None
    fail_under: float | None = None
    fail_on: str | None = None
    min_confidence: float | None = None
    questionnaires: Sequence[Path] = ()
    plan: bool = False  # JSON: add the plan
    quiet: bool = False
    force: bool = False
    color: bool = False
    width: int = 120
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    gate = gate_of(options.fail_under, options.fail_on, options.min_confidence)
    output = options.output
    fmt = options.fmt or FORMAT_OF_SUFFIX.get(output.suffix.lower() if output is not None else "", "table")
    inputs = input_files(options.files, options.rules, options.questionnaires)
    guard_output(output, fmt, inputs, force=options.force)
    with Progress.for_terminal(options.quiet) as progress:
        _, inventory, assessment = assess_inputs(options.files, options.rules, options.app, progress, options.limits)
        view = RenderOptions(color=options.color and output is None, width=options.width,
                             plan=True if options.plan else None,
                             extras=questionnaire_extras(inventory, options.questionnaires, options.app,
                                                         options.limits),
                             details=True)  # the engineers' documents: every application's page
        data = ASSESSMENT[fmt](assessment, view)
        if stream_fd(output) == 1 and sys.stdout.isatty():
            progress.close()  # the result goes to the screen the bar is drawn on: clear the bar first
        elif not isinstance(data, str | bytes):  # streamed: count the applications as they are written
            data = progress.track(data, "Writing", len(assessment.applications) + 2)
        emit(data, output, inputs)
    if output is not None and stream_fd(output) is None and not options.quiet:
        count = len(assessment.applications)
        print(f"wrote {clean(output)} ({fmt}, {count} application{'' if count == 1 else 's'})", file=sys.stderr)
    failing = gate.failures(assessment.applications)
    for result, why in failing:
        print(f"checklist: gate: {clean(result.application.id)} {why}", file=sys.stderr)
    return EXIT_GATE if failing else EXIT_OK

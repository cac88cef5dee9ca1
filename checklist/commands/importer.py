"""`checklist import konveyor-csv`: Konveyor's application CSV as our inventory."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from checklist.commands import EXIT_OK, input_files
from checklist.core.errors import UsageError
from checklist.core.text import clean
from checklist.interop.konveyor.application_csv import read_application_csv
from checklist.io.output import guard_output, refuse_inputs, write_atomic
from checklist.io.source import DEFAULT_LIMITS, Limits, read_text

# Renamed applications named on standard error; the rest are counted (a CMDB export whose
# names are all in another script slugs every one of them to 'app').
RENAMED_SHOWN = 20
HEADER = ("# Imported from Konveyor's application CSV {source} by `checklist import konveyor-csv`.\n"
          "# Answer the questions with `checklist interview {target}`.\n")


@dataclass(frozen=True)
class Options:
    """`checklist import konveyor-csv` as the command line gives it."""

    file: Path
    output: Path  # .yaml, .yml or .json
    force: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    file, output = options.file, options.output
    if output.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise UsageError(f"write the inventory as .yaml or .json, not {output.name!r}")
    inputs = input_files([str(file)])
    guard_output(output, None, inputs, force=options.force)
    imported = read_application_csv(read_text(file, str(file), options.limits), str(file))
    if output.suffix.lower() == ".json":
        text = json.dumps(imported.inventory, indent=2, ensure_ascii=False) + "\n"
    else:
        # one line each: a file name may hold a line break, which would end the comment
        text = HEADER.format(source=clean(file.name), target=clean(output)) + yaml.safe_dump(
            imported.inventory, sort_keys=False, allow_unicode=True, width=100)
    refuse_inputs(output, inputs)
    write_atomic(output, text)
    for name, plain, given in imported.renamed[:RENAMED_SHOWN]:
        print(f"checklist: {name!r} would be {plain!r}, which is taken: its id is {given!r}", file=sys.stderr)
    if len(imported.renamed) > RENAMED_SHOWN:
        more = len(imported.renamed) - RENAMED_SHOWN
        print(f"checklist: and {more:,} more applications whose id was taken got a number ('-2', '-3', …); "
              f"their names are kept", file=sys.stderr)
    apps = len(imported.inventory["applications"])
    print(f"wrote {clean(output)} ({apps} applications, {imported.dependencies} dependencies)", file=sys.stderr)
    return EXIT_OK

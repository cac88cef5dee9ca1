"""`checklist schema inventory|catalog`: print a JSON Schema for editors and CI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_OK, input_files
from checklist.core.errors import UsageError
from checklist.io.catalog import load_catalog
from checklist.io.inventory import inventory_schema
from checklist.io.output import emit, guard_output
from checklist.io.schemas import load_schema
from checklist.io.source import DEFAULT_LIMITS, Limits

KINDS = ("inventory", "catalog")


@dataclass(frozen=True)
class Options:
    """`checklist schema` as the command line gives it."""

    kind: str = "inventory"
    rules: Sequence[Path] = ()
    output: Path | None = None
    force: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    inputs = input_files(rules=options.rules)
    guard_output(options.output, "schema", inputs, force=options.force)
    if options.kind == "inventory":
        schema = inventory_schema(load_catalog(options.rules, options.limits))
    elif options.kind == "catalog":
        schema = load_schema("catalog")
    else:
        raise UsageError(f"unknown schema {options.kind!r}; choose one of: {', '.join(KINDS)}")
    emit(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", options.output, inputs)
    return EXIT_OK

"""`checklist schema inventory|catalog`: print a JSON Schema for editors and CI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_OK
from checklist.core.errors import UsageError
from checklist.io.catalog import load_catalog
from checklist.io.inventory import inventory_schema
from checklist.io.output import check_target, emit
from checklist.io.schemas import load_schema

KINDS = ("inventory", "catalog")


@dataclass(frozen=True)
class Options:
    """`checklist schema` as the command line gives it."""

    kind: str = "inventory"
    rules: Sequence[Path] = ()
    output: Path | None = None


def run(options: Options) -> int:
    if options.kind == "inventory":
        schema = inventory_schema(load_catalog(options.rules))
    elif options.kind == "catalog":
        schema = load_schema("catalog")
    else:
        raise UsageError(f"unknown schema {options.kind!r}; choose one of: {', '.join(KINDS)}")
    check_target(options.output, "schema", force=False)
    emit(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", options.output)
    return EXIT_OK

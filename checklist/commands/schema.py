"""`checklist schema inventory|catalog`: print a JSON Schema for editors and CI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from checklist.commands import EXIT_OK
from checklist.core.errors import UsageError
from checklist.io.catalog import load_catalog
from checklist.io.inventory import inventory_schema
from checklist.io.output import check_target, emit
from checklist.io.schemas import load_schema

KINDS = ("inventory", "catalog")


def run(kind: str, rules: Sequence[Path], output: Path | None) -> int:
    if kind == "inventory":
        schema = inventory_schema(load_catalog(rules))
    elif kind == "catalog":
        schema = load_schema("catalog")
    else:
        raise UsageError(f"unknown schema {kind!r}; choose one of: {', '.join(KINDS)}")
    check_target(output, "schema", force=False)
    emit(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", output)
    return EXIT_OK

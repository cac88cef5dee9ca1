"""`checklist init`: a blank inventory to fill in, in any input format."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_OK, input_files
from checklist.core.errors import UsageError
from checklist.core.fields import FOOTPRINT_FIELDS, INVENTORY_FORMATS, METADATA_COLUMNS
from checklist.core.model import Catalog, Fact
from checklist.core.text import clean
from checklist.io.catalog import load_catalog
from checklist.io.output import guard_output, refuse_inputs, write_atomic
from checklist.io.source import DEFAULT_LIMITS, Limits


def _allowed(fact: Fact) -> str:
    if fact.type in ("choice", "multi"):
        values = " | ".join(c.value for c in fact.choices)
        return f"{'one or more of' if fact.type == 'multi' else 'one of'}: {values}"
    if fact.type == "bool":
        return "true or false"
    return f"a number{f' in {fact.unit}' if fact.unit else ''}"


def _yaml_answers(facts: list[Fact], indent: str) -> str:
    lines = []
    for fact in sorted(facts, key=lambda f: f.step):
        lines.append(f"{indent}# Step {fact.step}: {fact.text}")
        lines.append(f"{indent}# {_allowed(fact)}; or unknown")
        lines.append(f"{indent}{fact.id}:")
    return "\n".join(lines)


def blank_yaml(catalog: Catalog) -> str:
    """Every question as a comment above its empty key (empty means not answered yet)."""
    return (
        "# A blank checklist inventory. Fill in what you know; leave the rest empty.\n"
        "# Check it with `checklist validate FILE`, score it with `checklist assess FILE`.\n"
        "version: 1\n"
        "organization:\n"
        "  name: \"\"\n"
        "  answers:\n"
        f"{_yaml_answers(catalog.facts_for('organization'), '    ')}\n"
        "applications:\n"
        "  - id: my-app            # lowercase letters, digits, . - _\n"
        "    name: My application\n"
        "    owner: \"\"\n"
        "    criticality: medium   # low, medium, high, mission_critical\n"
        "    depends_on: []        # ids of other applications\n"
        "    answers:\n"
        f"{_yaml_answers(catalog.facts_for('application'), '      ')}\n"
    )


def blank_json(catalog: Catalog) -> str:
    return json.dumps({
        "version": 1,
        "organization": {"name": "", "answers": {f.id: None for f in catalog.facts_for("organization")}},
        "applications": [{"id": "my-app", "name": "My application", "owner": "", "criticality": "medium",
                          "depends_on": [], "answers": {f.id: None for f in catalog.facts_for("application")}}],
    }, indent=2) + "\n"


def blank_csv(catalog: Catalog) -> str:
    return ",".join([*METADATA_COLUMNS, *FOOTPRINT_FIELDS, *(f.id for f in catalog.facts_for("application"))]) + "\n"


@dataclass(frozen=True)
class Options:
    """`checklist init` as the command line gives it."""

    output: str
    fmt: str | None = None  # None: from the output's extension
    rules: Sequence[Path] = ()
    force: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    path = Path(options.output)
    kind = options.fmt or {".json": "json", ".csv": "csv", ".yml": "yaml", ".yaml": "yaml", ".xlsx": "xlsx"}.get(
        path.suffix.lower())
    if kind is None:
        raise UsageError(f"cannot tell the format from {path.name!r}; add --format {'|'.join(INVENTORY_FORMATS)}")
    org_path = organization_csv(path)
    inputs = input_files(rules=options.rules)
    for target in (path, org_path) if kind == "csv" else (path,):
        guard_output(target, None, inputs, force=options.force)
    catalog = load_catalog(options.rules, options.limits)
    refuse_inputs(path, inputs)
    apps, org = len(catalog.facts_for("application")), len(catalog.facts_for("organization"))
    if kind == "xlsx":
        from checklist.io.tabular import write_blank_xlsx

        write_blank_xlsx(path, catalog)
        print(f"wrote {clean(path)}: a blank workbook, {apps} application questions as columns of the applications "
              f"sheet and the organisation's {org} on the organization sheet", file=sys.stderr)
    elif kind == "csv":
        from checklist.io.tabular import blank_org_csv

        write_atomic(path, blank_csv(catalog))
        write_atomic(org_path, blank_org_csv(catalog))
        print(f"wrote {clean(path)}: a blank CSV inventory, {apps} application questions as columns", file=sys.stderr)
        print(f"wrote {clean(org_path)}: the organisation's {org} questions, one a row; "
              f"give both files to every command (checklist assess {clean(path)} {clean(org_path)})", file=sys.stderr)
    else:
        write_atomic(path, {"yaml": blank_yaml, "json": blank_json}[kind](catalog))
        print(f"wrote {clean(path)}: a blank {kind} inventory with {len(catalog.facts)} questions "
              f"({org} for the organisation, {apps} for each application)", file=sys.stderr)
    return EXIT_OK


def organization_csv(path: Path) -> Path:
    """Where `init` puts the organisation's CSV beside an applications' CSV."""
    return path.with_name(f"{path.stem}-organization.csv")

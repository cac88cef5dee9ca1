"""`checklist plan`: effort, quick wins, what-if, migration waves and the business case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checklist.commands import EXIT_OK, input_files
from checklist.core.answers import check_answer
from checklist.core.conditions import did_you_mean
from checklist.core.errors import UsageError
from checklist.core.model import Catalog, Fact, Inventory
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory
from checklist.io.output import emit, guard_output
from checklist.io.source import DEFAULT_LIMITS, Limits
from checklist.plan import WhatIfChange, make_plan
from checklist.render import PLAN, RenderOptions

TRUE = ("true", "yes", "on")
FALSE = ("false", "no", "off")


def _value(fact: Fact, text: str) -> Any:
    """A command-line answer as an inventory would hold it."""
    text = text.strip()
    if text == "unknown":
        return text
    if fact.type == "bool":
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        return text
    if fact.type == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    if fact.type == "multi":
        inner = text[1:-1] if text.startswith("[") and text.endswith("]") else text
        return [part.strip() for part in inner.replace(";", ",").split(",") if part.strip()]
    return text


def parse_what_if(option: str, catalog: Catalog, inventory: Inventory) -> WhatIfChange:
    """``APP.FACT=VALUE`` (an application's answer) or ``FACT=VALUE`` (the organisation's)."""
    target, sep, raw = option.partition("=")
    if not sep or not target:
        raise UsageError(f"--what-if {option!r}: expected APP.FACT=VALUE, e.g. php-shop.session_state=external_store")
    app_id, dot, fact_id = target.rpartition(".")
    fact = catalog.facts.get(fact_id)
    if fact is None:
        raise UsageError(f"--what-if {option!r}: unknown fact {fact_id!r}{did_you_mean(fact_id, catalog.facts)}")
    if fact.scope == "organization":
        if dot:
            raise UsageError(f"--what-if {option!r}: {fact_id!r} is answered once for the organisation: "
                             f"write --what-if {fact_id}={raw}")
        app: str | None = None
    else:
        if not dot:
            raise UsageError(f"--what-if {option!r}: name the application, e.g. APP.{fact_id}={raw}")
        if inventory.application(app_id) is None:
            ids = [a.id for a in inventory.applications]
            raise UsageError(f"--what-if {option!r}: no application {app_id!r} in the inventory"
                             f"{did_you_mean(app_id, ids)}")
        app = app_id
    if not fact.controllable:
        who = "the software's vendor decides it" if fact.changed_by == "vendor" else "it is a fact of the world"
        raise UsageError(f"--what-if {option!r}: {fact_id} is not the team's or the organisation's to change "
                         f"({who}); what-if changes only what they control")
    value = _value(fact, raw)
    error = check_answer(fact, value)
    if error:
        raise UsageError(f"--what-if {option!r}: {error}")
    return WhatIfChange(app, fact_id, value)


@dataclass(frozen=True)
class Options:
    """`checklist plan` as the command line gives it."""

    files: Sequence[str]
    rules: Sequence[Path] = ()
    fmt: str = "table"
    output: Path | None = None
    wave_size: int = 5
    pilots: int = 3
    what_if: Sequence[str] = ()  # APP.FACT=VALUE or FACT=VALUE
    color: bool = False
    width: int = 120
    force: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    inputs = input_files(options.files, options.rules)
    guard_output(options.output, "plan" if options.fmt == "json" else options.fmt, inputs, force=options.force)
    catalog = load_catalog(options.rules, options.limits)
    if catalog.planning is None:
        raise UsageError(f"the catalog in {catalog.directories[-1]} has no 'planning:' section; "
                         "copy rules/planning.yaml into it")
    inventory = load_inventory(options.files, catalog, limits=options.limits)
    changes = [parse_what_if(option, catalog, inventory) for option in options.what_if]
    # The inventory is only read: what-if answers live in memory, in a copy.
    plan = make_plan(catalog, inventory, wave_size=options.wave_size, pilots=options.pilots, what_if=changes)
    view = RenderOptions(color=options.color and options.output is None, width=options.width)
    emit(PLAN[options.fmt](plan, view), options.output, inputs)
    return EXIT_OK

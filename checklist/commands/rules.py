"""`checklist rules list|show`: browse the catalog."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from checklist.commands import EXIT_OK
from checklist.core.errors import UsageError
from checklist.core.model import Catalog, Rule, suggest_rule
from checklist.io.catalog import load_catalog
from checklist.io.output import emit
from checklist.io.source import DEFAULT_LIMITS, Limits
from checklist.render import RenderOptions
from checklist.render.table import console_for, words


def _condition_text(raw: Any) -> str:
    """A condition in words: ``state_location contains local_disk and …``."""
    if not isinstance(raw, dict):
        return str(raw)
    if "all" in raw:
        return " and ".join(f"({_condition_text(c)})" if "any" in c else _condition_text(c) for c in raw["all"])
    if "any" in raw:
        return " or ".join(_condition_text(c) for c in raw["any"])
    if "not" in raw:
        return f"not ({_condition_text(raw['not'])})"
    fact = raw.get("fact")
    for op, word in (("equals", "="), ("in", "in"), ("contains", "contains"), ("gte", "≥"), ("lt", "<")):
        if op in raw:
            value = raw[op]
            shown = json.dumps(value) if not isinstance(value, list) else "[" + ", ".join(map(str, value)) + "]"
            return f"{fact} {word} {shown.strip(chr(34))}"
    return f"{fact} is {'answered' if raw.get('answered') else 'unanswered'}"


NARROW_BELOW = 120


@dataclass(frozen=True)
class ListOptions:
    """`checklist rules list` as the command line gives it."""

    rules: Sequence[Path] = ()
    step: int | None = None
    category: str | None = None
    severity: str | None = None
    fmt: str = "table"
    color: bool = False
    width: int = 120
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def list_rules(options: ListOptions) -> int:
    catalog = load_catalog(options.rules, options.limits)
    step, category, severity = options.step, options.category, options.severity
    if step is not None and step not in {s.number for s in catalog.steps}:
        raise UsageError(f"no step {step}; steps are 1 to {len(catalog.steps)}")
    chosen = [r for r in catalog.rules
              if (step is None or r.step == step)
              and (category is None or r.category == category)
              and (severity is None or r.severity == severity)]
    if options.fmt == "json":
        rows = [{"id": r.id, "title": r.title, "step": r.step, "scope": r.scope, "category": r.category,
                 "severity": r.severity, "weight": r.weight, "effort": r.effort, "strategy": r.strategy,
                 "facts": list(r.facts)} for r in chosen]
        emit(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", None)
        return EXIT_OK
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(chosen)} rules · {catalog.name} {catalog.version}",
                  title_justify="left")
    # Ids stay whole (people copy them into `rules show`); below 120 columns scope, category and
    # weight are left out, so that the titles wrap between words.
    wide = options.width >= NARROW_BELOW
    names = ("Rule", "Step", "Scope", "Category", "Severity", "Weight", "Title") if wide else \
        ("Rule", "Step", "Severity", "Title")
    for name in names:
        table.add_column(name, no_wrap=name == "Rule", ratio=1 if name == "Title" else None)
    for rule in chosen:
        cells = {"Rule": rule.id, "Step": str(rule.step), "Scope": "org" if rule.scope == "organization" else "app",
                 "Category": rule.category, "Severity": rule.severity, "Weight": f"{rule.weight:g}",
                 "Title": rule.title}
        table.add_row(*(cells[name] for name in names))
    console = console_for(RenderOptions(color=options.color, width=options.width))
    console.print(table)
    emit(console.file.getvalue(), None)  # type: ignore[attr-defined]
    return EXIT_OK


def describe_rule(catalog: Catalog, rule: Rule) -> list[Text | Table]:
    step = catalog.step(rule.step)
    parts: list[Text | Table] = [
        Text(f"{rule.id} — {rule.title}", style="bold"),
        Text(f"Step {step.number} · {step.phase} · {step.title}"),
        Text(f"{'Organisation' if rule.scope == 'organization' else 'Application'} rule · "
             f"{rule.category} · {rule.severity} · weight {rule.weight:g} · effort {rule.effort}"
             + (f" · if it fails: {words(rule.strategy)}" if rule.strategy and rule.severity == "blocker" else "")),
        Text(f"Defined at {rule.origin}", style="dim"),
        Text(""),
        Text("Why it matters", style="bold"),
        Text(rule.rationale),
        Text(""),
        Text("What to do", style="bold"),
        Text(rule.remediation),
        Text(""),
    ]
    if rule.problem or rule.action:
        parts += [Text("When it fails", style="bold"), Text(rule.problem_text), Text("Fix: " + rule.action_text),
                  Text("")]
    if rule.caps:
        parts += [Text(f"While it fails the verdict is at most {words(rule.caps)}", style="bold"),
                  Text(rule.caps_reason), Text("")]
    # Lines, not a table: a long message stays whole, and Text never reads [brackets] as markup.
    parts.append(Text("Outcomes (the first that holds decides)", style="bold"))
    if rule.applies_when is not None:
        parts.append(Text(f"  not ({_condition_text(rule.applies_when.source)}) → n/a: Does not apply."))
    for outcome in rule.outcomes:
        when = _condition_text(outcome.when.source) if outcome.when else "otherwise"
        parts.append(Text(f"  {when} → {outcome.result}: {outcome.message}"))
    parts.append(Text(""))
    facts = Table(title="Facts it reads (unanswered → unknown)", box=box.SIMPLE_HEAD, title_justify="left")
    facts.add_column("Fact")
    facts.add_column("Question", overflow="fold")
    for fid in rule.facts:
        fact = catalog.facts[fid]
        facts.add_row(fid, fact.text)
    parts.append(facts)
    return parts


@dataclass(frozen=True)
class ShowOptions:
    """`checklist rules show` as the command line gives it."""

    rule_id: str
    rules: Sequence[Path] = ()
    color: bool = False
    width: int = 120
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def show_rule(options: ShowOptions) -> int:
    catalog = load_catalog(options.rules, options.limits)
    rule_id = options.rule_id
    rule = catalog.rule(rule_id)
    if rule is None:
        raise UsageError(f"no rule {rule_id!r}{suggest_rule(catalog, rule_id)}; see 'checklist rules list'")
    console = console_for(RenderOptions(color=options.color, width=options.width))
    for part in describe_rule(catalog, rule):
        console.print(part)
    emit(console.file.getvalue(), None)  # type: ignore[attr-defined]
    return EXIT_OK

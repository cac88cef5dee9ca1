"""Load application inventories: the organisation's answers and every application's.

An inventory is YAML or JSON of the shape in DESIGN.md. The envelope
(metadata, structure) is checked with a JSON Schema generated from the
catalog; answers are checked fact by fact with messages that name the
allowed values. A missing answer, ``null`` or the value ``unknown`` is
unknown — never guessed. Several files merge into one portfolio.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checklist.catalog import UNKNOWN, Catalog, Fact
from checklist.conditions import did_you_mean
from checklist.errors import ChecklistError, DocPath, Problem
from checklist.inventory_fields import APP_ID_PATTERN, CRITICALITIES, FOOTPRINT_FIELDS
from checklist.schemas import describe, schema_problems, validator_for
from checklist.source import Located, decode, load_file, parse, read_stream, read_text

INVENTORY_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")


@dataclass(frozen=True)
class Organization:
    name: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)  # as written, "unknown" included
    known: Mapping[str, Any] = field(default_factory=dict)  # answered facts only, normalised


@dataclass(frozen=True)
class Application:
    id: str
    name: str
    answers: Mapping[str, Any]
    known: Mapping[str, Any]
    owner: str = ""
    criticality: str = ""
    depends_on: tuple[str, ...] = ()
    footprint: Mapping[str, float] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    # Where the application is written; its line is worked out only when shown,
    # because finding positions means a slower second parse of the file.
    source: Located | None = field(default=None, compare=False, repr=False)
    index: int = 0

    @property
    def origin(self) -> str:
        """`file:line` where the application is defined."""
        return _place(self.source, ("applications", self.index)) if self.source is not None else ""


@dataclass(frozen=True)
class Inventory:
    organization: Organization
    applications: tuple[Application, ...]
    files: tuple[str, ...] = ()

    def application(self, app_id: str) -> Application | None:
        for app in self.applications:
            if app.id == app_id:
                return app
        return None


def _answer_schema(fact: Fact) -> dict[str, Any]:
    unknown = {"const": UNKNOWN, "description": "Asked, and nobody knows."}
    if fact.type == "choice":
        value: dict[str, Any] = {"enum": sorted(fact.values)}
    elif fact.type == "multi":
        value = {"type": "array", "items": {"enum": sorted(fact.values)}, "uniqueItems": True}
    elif fact.type == "bool":
        value = {"type": "boolean"}
    else:
        value = {"type": "number"}
        if fact.minimum is not None:
            value["minimum"] = fact.minimum
        if fact.maximum is not None:
            value["maximum"] = fact.maximum
    return {"description": fact.text, "anyOf": [value, unknown, {"type": "null"}]}


def inventory_schema(catalog: Catalog, *, with_answers: bool = True) -> dict[str, Any]:
    """The inventory JSON Schema for `catalog`.

    With answers it is the editor-friendly schema (`checklist schema
    inventory`): every fact and its allowed values. Without, answers are any
    mapping, because the loader checks them itself with clearer messages.
    """

    def answers(scope: str) -> dict[str, Any]:
        if not with_answers:
            return {"type": "object"}
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.id: _answer_schema(f) for f in catalog.facts_for(scope)},
        }

    number = {"type": "number", "minimum": 0}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://checklist.invalid/schemas/inventory.schema.json",
        "title": f"checklist inventory ({catalog.name} {catalog.version})",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "version": {"const": 1},
            "organization": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"name": {"type": "string"}, "answers": answers("organization")},
            },
            "applications": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string", "pattern": APP_ID_PATTERN},
                        "name": {"type": "string"},
                        "owner": {"type": "string"},
                        "criticality": {"enum": list(CRITICALITIES)},
                        "depends_on": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                        "footprint": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                **{name: number for name in FOOTPRINT_FIELDS[:-1]},
                                "avg_cpu_utilization": {"type": "number", "minimum": 0, "maximum": 1},
                            },
                        },
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "answers": answers("application"),
                    },
                },
            },
        },
    }


_YES_NO_HINT = " (YAML reads unquoted yes/no/on/off as true/false: quote it)"


def check_answer(fact: Fact, value: Any) -> str | None:
    """Why `value` is not a valid answer to `fact`, or None when it is."""
    if value is None or value == UNKNOWN:
        return None
    if fact.type == "choice":
        if isinstance(value, str) and value in fact.values:
            return None
        hint = did_you_mean(str(value), fact.values) if not isinstance(value, bool) else _YES_NO_HINT
        return f"{describe(value)} is not an answer{hint}; expected one of: {', '.join(sorted(fact.values))}, unknown"
    if fact.type == "multi":
        if not isinstance(value, list):
            return f"expected a list such as [{sorted(fact.values)[0]}], got {describe(value)}"
        for item in value:
            if not isinstance(item, str) or item not in fact.values:
                hint = did_you_mean(str(item), fact.values)
                allowed = ", ".join(sorted(fact.values))
                return f"{describe(item)} is not an answer{hint}; expected values from: {allowed}"
        if len(set(value)) != len(value):
            return "values must not repeat"
        for only in fact.exclusive:
            if only in value and len(value) > 1:
                return f"{only!r} cannot be combined with other values"
        return None
    if fact.type == "bool":
        if isinstance(value, bool):
            return None
        return f"expected true or false, got {describe(value)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected a number, got {describe(value)}"
    if not math.isfinite(value):
        return f"expected a finite number, got {value!r}"
    if fact.minimum is not None and value < fact.minimum:
        return f"expected a number of at least {fact.minimum:g}, got {value!r}"
    if fact.maximum is not None and value > fact.maximum:
        return f"expected a number of at most {fact.maximum:g}, got {value!r}"
    return None


def known_answers(answers: Mapping[str, Any], facts: Mapping[str, Fact]) -> dict[str, Any]:
    """The answered facts only, normalised for evaluation (multi values as tuples)."""
    known: dict[str, Any] = {}
    for key, value in answers.items():
        if value is None or value == UNKNOWN:
            continue
        fact = facts.get(key)
        if fact is not None and fact.type == "multi":
            if not value:  # an empty list says nothing
                continue
            value = tuple(value)
        known[key] = value
    return known


def answer_problems(
    answers: Mapping[str, Any], scope: str, catalog: Catalog, source: Located, where: DocPath
) -> list[Problem]:
    """Every invalid or misplaced answer in one answers mapping."""
    problems: list[Problem] = []
    for key, value in answers.items():
        fact = catalog.facts.get(key)
        if fact is None:
            scoped = [f.id for f in catalog.facts_for(scope)]
            message = f"unknown fact {key!r}{did_you_mean(str(key), scoped)}"
            problems.append(source.problem((*where, key), message, key=True))
            continue
        if fact.scope != scope:
            home = "organization.answers" if fact.scope == "organization" else "an application's answers"
            message = f"{key!r} is answered once for the {fact.scope}: move it to {home}"
            problems.append(source.problem((*where, key), message, key=True))
            continue
        error = check_answer(fact, value)
        if error:
            problems.append(source.problem((*where, key), error))
    return problems


def _place(source: Located, where: DocPath) -> str:
    return f"{source.name}:{source.problem(where, '').line}"


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files as given; directories searched recursively for inventory files."""
    found: list[str] = []
    for name in inputs:
        path = Path(name)
        if name != "-" and path.is_dir():
            found.extend(
                str(p) for p in sorted(path.rglob("*")) if p.suffix.lower() in INVENTORY_SUFFIXES and p.is_file()
            )
        else:
            found.append(name)
    return found


def _read_source(name: str, catalog: Catalog) -> Located:
    if name.lower().endswith(".xlsx"):
        from checklist.tabular import read_xlsx

        return read_xlsx(Path(name), name, catalog)
    if name.lower().endswith(".csv"):
        from checklist.tabular import read_csv

        return read_csv(read_text(Path(name), name), name, catalog)
    if name == "-":
        text = decode(read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>")
        kind = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
        return parse(text, "<stdin>", kind)
    return load_file(Path(name), name)


def load_inventory(inputs: Sequence[str], catalog: Catalog) -> Inventory:
    """Load and merge inventories; raise ChecklistError listing every problem found."""
    envelope = validator_for(inventory_schema(catalog, with_answers=False))
    problems: list[Problem] = []
    organization: Organization | None = None
    org_source: Located | None = None
    apps: list[Application] = []
    first_defined: dict[str, tuple[Located, DocPath]] = {}
    dependencies: list[tuple[Located, DocPath, str]] = []
    names = expand_inputs(inputs)
    if not names:
        raise ChecklistError(Problem(", ".join(inputs) or "checklist", "no inventory files found"))
    for name in names:
        try:
            source = _read_source(name, catalog)
        except ChecklistError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(getattr(source, "problems", ()))
        data = source.data
        if data is None:
            problems.append(Problem(source.name, "empty inventory; expected 'applications:' or 'organization:'", 1, 1))
            continue
        found = schema_problems(envelope, data, source)
        if found:
            problems.extend(found)
            continue
        if "organization" in data:
            org_raw = data["organization"] or {}
            if org_source is not None:
                message = f"a second organisation block; the first is at {_place(org_source, ('organization',))}"
                problems.append(source.problem(("organization",), message, key=True))
            else:
                org_answers = org_raw.get("answers") or {}
                where_org: DocPath = ("organization", "answers")
                problems.extend(answer_problems(org_answers, "organization", catalog, source, where_org))
                organization = Organization(
                    name=org_raw.get("name", ""), answers=org_answers, known=known_answers(org_answers, catalog.facts)
                )
                org_source = source
        for i, raw in enumerate(data.get("applications") or []):
            where: DocPath = ("applications", i)
            app_answers = raw.get("answers") or {}
            problems.extend(answer_problems(app_answers, "application", catalog, source, (*where, "answers")))
            app_id = raw["id"]
            if app_id in first_defined:
                message = f"application id {app_id!r} is already used at {_place(*first_defined[app_id])}"
                problems.append(source.problem((*where, "id"), message))
                continue
            first_defined[app_id] = (source, where)
            apps.append(
                Application(
                    id=app_id, name=raw.get("name") or app_id, answers=app_answers,
                    known=known_answers(app_answers, catalog.facts), owner=raw.get("owner", ""),
                    criticality=raw.get("criticality", ""), depends_on=tuple(raw.get("depends_on", ())),
                    footprint=dict(raw.get("footprint") or {}), tags=tuple(raw.get("tags", ())), source=source,
                    index=i,
                )
            )
            for j, dep in enumerate(raw.get("depends_on", ())):
                if dep == app_id:
                    problems.append(source.problem((*where, "depends_on", j), "an application cannot depend on itself"))
                else:
                    dependencies.append((source, (*where, "depends_on", j), dep))
    known_ids = set(first_defined)
    for source, where, dep in dependencies:
        if dep not in known_ids:
            problems.append(source.problem(
                where, f"{dep!r} is not an application in the inventory{did_you_mean(dep, known_ids)}"
            ))
    if problems:
        problems.sort(key=lambda p: (names.index(p.file) if p.file in names else 0, p.line, p.column))
        raise ChecklistError(problems)
    return Inventory(organization or Organization(), tuple(apps), tuple(names))

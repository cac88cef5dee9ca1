"""Load application inventories: the organisation's answers and every application's.

An inventory is YAML or JSON of the shape in DESIGN.md. The envelope
(metadata, structure) is checked with a JSON Schema generated from the
catalog; answers are checked fact by fact with messages that name the
allowed values. A missing answer, ``null`` or the value ``unknown`` is
unknown — never guessed. Several files merge into one portfolio.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from checklist.core.answers import KnownAnswers, answer_problems
from checklist.core.conditions import Suggestions
from checklist.core.errors import ChecklistError, DocPath, Located, Problem
from checklist.core.fields import APP_ID_PATTERN, CRITICALITIES, FOOTPRINT_FIELDS
from checklist.core.model import (
    Application,
    Catalog,
    Discovered,
    Evidence,
    Fact,
    Inconsistency,
    Inventory,
    Organization,
)
from checklist.core.vocabulary import UNKNOWN
from checklist.io.schemas import schema_problems, validator_for
from checklist.io.source import DEFAULT_LIMITS, Limits, decode, load_file, parse, read_stream, read_text

INVENTORY_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")


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


STRENGTHS = ("strong", "medium", "weak")  # of evidence, strongest first

# Answers a scan proposed, beside the answers a person gave (DESIGN.md "Discovery").
DISCOVERED: dict[str, Any] = {
    "description": "Answers `checklist scan` proposed, each with its evidence; an answer in `answers` wins.",
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "required": ["value"],
        "properties": {
            "value": {"description": "The proposed answer."},
            "evidence": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["file", "detector", "strength"],
                    "properties": {
                        "file": {"type": "string"},
                        "line": {"type": "integer", "minimum": 0},
                        "text": {"type": "string"},
                        "detector": {"type": "string"},
                        "strength": {"enum": list(STRENGTHS)},
                        "value": {"description": "The value this evidence points to."},
                    },
                },
            },
        },
    },
}

# Answers to Konveyor questionnaires (checklist.interop.konveyor checks them against the questionnaire).
KONVEYOR_ANSWERS: dict[str, Any] = {
    "description": "Answers to Konveyor questionnaires: keys are \"section.question\" orders, values an "
                   "answer's text or order.",
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "answers": {"type": "object", "additionalProperties": {"type": ["string", "integer", "boolean"]}},
        },
    },
}


def inventory_schema(catalog: Catalog | None, *, with_answers: bool = True) -> dict[str, Any]:
    """The inventory JSON Schema for `catalog`.

    With answers it is the editor-friendly schema (`checklist schema
    inventory`): every fact and its allowed values. Without (or without a
    catalog), answers are any mapping, because the loader checks them itself
    with clearer messages.
    """

    def answers(scope: str) -> dict[str, Any]:
        if not with_answers or catalog is None:
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
        "title": f"checklist inventory ({catalog.name} {catalog.version})" if catalog else "checklist inventory",
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
                        "questionnaires": KONVEYOR_ANSWERS,
                        "answers": answers("application"),
                        "discovered": DISCOVERED,
                    },
                },
            },
        },
    }


@functools.cache
def _envelope_check() -> Callable[[Any], Any]:
    """The envelope schema compiled to Python by fastjsonschema: it raises for a document the
    schema refuses, and took 0.02 s for 10,000 applications where the JSON Schema validator,
    which then names every problem, took 0.67 s."""
    import fastjsonschema

    return fastjsonschema.compile(inventory_schema(None, with_answers=False))


def envelope_problems(data: Any, source: Located) -> list[Problem]:
    """What is wrong with the envelope of an inventory (everything but the answers' values),
    located; usually nothing, told quickly."""
    try:
        _envelope_check()(data)
        return []
    except Exception:  # the schema refuses it (or the compiled check cannot read it): named below
        return schema_problems(_envelope_validator(), data, source)


@functools.cache
def _envelope_validator() -> Any:
    return validator_for(inventory_schema(None, with_answers=False))


def _discovered(raw: Mapping[str, Any]) -> dict[str, Discovered]:
    """The `discovered` block (already checked against DISCOVERED) as model objects."""
    return {
        fact: Discovered(entry["value"], tuple(
            Evidence(e["file"], e.get("line", 0), e.get("text", ""), e["detector"], e["strength"],
                     e.get("value", entry["value"]))  # a line names its value only when it points elsewhere
            for e in entry.get("evidence") or ()))
        for fact, entry in raw.items()
    }


def _place(source: Located, where: DocPath) -> str:
    return f"{source.name}:{source.problem(where, '').line}"


def _unreadable(error: OSError) -> None:
    raise ChecklistError(Problem(str(error.filename), f"cannot read this directory: {error.strerror}"))


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files as given; directories searched recursively for inventory files. A directory
    that cannot be read is an error, not a directory without inventories: its files
    would be left out of the portfolio without a word."""
    found: list[str] = []
    for name in inputs:
        path = Path(name)
        if name != "-" and path.is_dir():
            files = [Path(folder, n) for folder, _, names in os.walk(path, onerror=_unreadable) for n in names
                     if Path(n).suffix.lower() in INVENTORY_SUFFIXES]
            found.extend(str(p) for p in sorted(files) if p.is_file())
        else:
            found.append(name)
    return found


def stdin_kind(text: str) -> str:
    """What an inventory on standard input is: JSON starts with ``{`` or ``[``; CSV with a
    header line of column names (one, `id`, or several separated by a comma, semicolon or
    tab), without a colon; YAML's first line is a key (with a colon), a comment, a
    directive, `---` or another of YAML's indicators."""
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith(("{", "[")):
        return "json"
    first = body[:4096].split("\n", 1)[0]  # the header is short; splitting all of a large input would copy it
    if first and ":" not in first and not first.startswith(("#", "-", "%", "?", "!", "&", "*", "'", '"', "|", ">")):
        return "csv"
    return "yaml"


# checklist's own JSON documents (saved results and plans) begin with this key
RESULT_HEAD = re.compile(r'[ \t\n\r]*\{[ \t\n\r]*"schema_version"[ \t\n\r]*:')
NOT_AN_INVENTORY = ("written by checklist (a saved result or plan), not an inventory: compare results with "
                    "'checklist diff BEFORE AFTER', or give the inventory they were made from")


def result_head(path: Path, display: str) -> Problem | None:
    """When the file begins as checklist's JSON documents do, the problem of giving it where
    an inventory is expected (told from its first 4 KB, so a file of any size costs nothing)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return None  # reading it as an inventory says what is wrong
    found = RESULT_HEAD.match(head)
    if found is None:
        return None
    at = head.index('"schema_version"', 0, found.end())
    return Problem(display, NOT_AN_INVENTORY, head.count("\n", 0, at) + 1, at - head.rfind("\n", 0, at),
                   "schema_version")


def _read_source(name: str, catalog: Catalog, limits: Limits) -> Located:
    if name.lower().endswith(".xlsx"):
        from checklist.io.tabular import read_xlsx

        return read_xlsx(Path(name), name, catalog, limits)
    if name.lower().endswith(".csv"):
        from checklist.io.tabular import read_csv

        return read_csv(read_text(Path(name), name, limits), name, catalog, limits)
    if name == "-":
        text = decode(read_stream(sys.stdin.buffer, "<stdin>", limits), "<stdin>")
        kind = stdin_kind(text)
        if kind == "csv":
            from checklist.io.tabular import read_csv

            return read_csv(text, "<stdin>", catalog, limits)
        return parse(text, "<stdin>", kind, limits)
    if name.lower().endswith(".json"):
        saved = result_head(Path(name), name)
        if saved is not None:
            raise ChecklistError(saved)
    return load_file(Path(name), name, limits)


def load_inventory(inputs: Sequence[str], catalog: Catalog, tick: Callable[[int], None] | None = None,
                   read: Mapping[str, Located] | None = None, limits: Limits = DEFAULT_LIMITS) -> Inventory:
    """Load and merge inventories, each file within `limits`; raise ChecklistError listing
    every problem found. `tick(n)` is called with the number of applications of each file
    read, for a progress display; `read` holds files read already, by name."""
    known_answers = KnownAnswers(catalog.facts)
    problems: list[Problem] = []
    notes: list[Problem] = []
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
            source = read[name] if read and name in read else _read_source(name, catalog, limits)
        except ChecklistError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(getattr(source, "problems", ()))
        notes.extend(getattr(source, "notes", ()))
        data = source.data
        if data is None:
            problems.append(Problem(source.name, "empty inventory; expected 'applications:' or 'organization:'", 1, 1))
            continue
        if isinstance(data, dict) and "schema_version" in data:  # a saved result, its keys reordered
            problems.append(source.problem(("schema_version",), NOT_AN_INVENTORY, key=True))
            continue
        found = envelope_problems(data, source)
        if found:
            problems.extend(found)
            # The answers are still checked, so that one run names every problem of the file.
            problems.extend(_answers_problems(data, source, catalog))
            continue
        if "organization" in data:
            org_raw = data["organization"] or {}
            if org_source is not None:
                message = f"a second organisation block; the first is at {_place(org_source, ('organization',))}"
                problems.append(source.problem(("organization",), message, key=True))
            else:
                org_answers = org_raw.get("answers") or {}
                where_org: DocPath = ("organization", "answers")
                found = answer_problems(org_answers, "organization", catalog, source, where_org)
                problems.extend(found)
                organization = Organization(  # invalid answers are not normalised: the load fails anyway
                    name=org_raw.get("name", ""), answers=org_answers,
                    known={} if found else known_answers(org_answers),
                )
                org_source = source
        for i, raw in enumerate(data.get("applications") or []):
            where: DocPath = ("applications", i)
            app_answers = raw.get("answers") or {}
            found = answer_problems(app_answers, "application", catalog, source, (*where, "answers"))
            problems.extend(found)
            app_id = raw["id"]
            if app_id in first_defined:
                message = f"application id {app_id!r} is already used at {_place(*first_defined[app_id])}"
                problems.append(source.problem((*where, "id"), message))
                continue
            first_defined[app_id] = (source, where)
            discovered = _discovered(raw.get("discovered") or {})
            if discovered:
                found_too = answer_problems({k: d.value for k, d in discovered.items()}, "application", catalog,
                                            source, (*where, "discovered"))
                problems.extend(found_too)
                found = found or found_too
            known = {} if found else known_answers(app_answers)
            if discovered and not found:  # a person's answer wins; a scan fills in the rest
                known = {**known_answers({k: d.value for k, d in discovered.items()}), **known}
            apps.append(
                Application(
                    id=app_id, name=raw.get("name") or app_id, answers=app_answers,
                    known=known, owner=raw.get("owner", ""), discovered=discovered,
                    criticality=raw.get("criticality", ""), depends_on=tuple(raw.get("depends_on", ())),
                    footprint=dict(raw.get("footprint") or {}), tags=tuple(raw.get("tags", ())), source=source,
                    index=i, questionnaires=tuple(raw.get("questionnaires") or ()),
                )
            )
            for j, dep in enumerate(raw.get("depends_on", ())):
                if dep == app_id:
                    problems.append(source.problem((*where, "depends_on", j), "an application cannot depend on itself"))
                else:
                    dependencies.append((source, (*where, "depends_on", j), dep))
        if tick is not None:
            tick(len(data.get("applications") or ()))
    hint = Suggestions(first_defined)
    for source, where, dep in dependencies:
        if dep not in first_defined:
            problems.append(source.problem(where, f"{dep!r} is not an application in the inventory{hint(dep)}"))
    organization = organization or Organization()
    warnings: list[Inconsistency] = []
    if catalog.consistency and not problems:
        for app in apps:
            answers = {**organization.known, **app.known}
            for check in catalog.consistency:
                if check.when.evaluate(answers):
                    clash = Inconsistency(app, check)
                    if check.level == "error":
                        problems.append(clash.problem())
                    else:
                        warnings.append(clash)
    if problems:
        order = {name: i for i, name in reversed(list(enumerate(names)))}
        problems.sort(key=lambda p: (order.get(p.file, 0), p.line, p.column))
        error = ChecklistError(problems)
        error.notes = tuple(notes)
        raise error
    return Inventory(organization, tuple(apps), tuple(names), tuple(warnings), tuple(notes))


def _answers_problems(data: Any, source: Located, catalog: Catalog) -> list[Problem]:
    """The answers' problems of a document whose envelope is wrong, where they can be found."""
    if not isinstance(data, dict):
        return []
    found: list[Problem] = []
    org = data.get("organization")
    if isinstance(org, dict) and isinstance(org.get("answers"), dict):
        found.extend(answer_problems(org["answers"], "organization", catalog, source, ("organization", "answers")))
    apps = data.get("applications")
    for i, raw in enumerate(apps if isinstance(apps, list) else []):
        if isinstance(raw, dict) and isinstance(raw.get("answers"), dict):
            where: DocPath = ("applications", i, "answers")
            found.extend(answer_problems(raw["answers"], "application", catalog, source, where))
    return found

"""The JSON Schemas shipped with the package, and their errors as located problems."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from checklist.core.conditions import did_you_mean
from checklist.core.errors import Located, Problem
from checklist.core.text import describe

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError



@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in checklist/schemas, by file stem (e.g. ``catalog``)."""
    text = resources.files("checklist.io.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator_for(schema: dict[str, Any]) -> Any:
    """A Draft 2020-12 validator for `schema` (jsonschema is imported only when one is needed)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema)




def _expected_type(expected: Any) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "text", "boolean": "true or false",
             "number": "a number", "integer": "a whole number", "null": "null"}
    if isinstance(expected, list):
        return " or ".join(names.get(str(e), str(e)) for e in expected)
    return names.get(str(expected), str(expected))


def _messages(error: ValidationError) -> Iterator[tuple[tuple[Any, ...], str, bool]]:
    """(path, message, point-at-key) for one jsonschema error, in our words."""
    path = tuple(error.absolute_path)
    kind = error.validator
    instance = error.instance
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        patterns = error.schema.get("patternProperties", {})
        for key in instance:
            if key in allowed or any(re.search(p, key) for p in patterns):
                continue
            hint = did_you_mean(str(key), allowed)
            expected = f"; expected one of: {', '.join(allowed)}" if not hint and allowed else ""
            yield (*path, key), f"unknown field {key!r}{hint}{expected}", True
        return
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else str(error.message)
        yield path, f"missing required field {missing!r}", False
        return
    if kind == "type":
        hint = ""
        if isinstance(instance, bool) and "string" in str(error.validator_value):
            hint = " (YAML reads unquoted yes/no/on/off as true/false: quote it)"
        elif isinstance(instance, int | float) and "string" in str(error.validator_value):
            hint = " (quote it to make it text)"
        yield path, f"expected {_expected_type(error.validator_value)}, got {describe(instance)}{hint}", False
        return
    if kind == "enum":
        options = [str(v) for v in error.validator_value]
        hint = did_you_mean(str(instance), options)
        yield path, f"{describe(instance)} is not allowed{hint}; expected one of: {', '.join(options)}", False
        return
    if kind == "const":
        yield path, f"expected {error.validator_value!r}, got {describe(instance)}", False
        return
    if kind == "pattern":
        yield path, (f"{instance!r} is not a valid id: use lowercase letters, digits, '.', '-' and '_', "
                     "starting with a letter or digit"), False
        return
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                 "exclusiveMaximum": "less than"}
        yield path, f"expected a number {words[kind]} {error.validator_value}, got {instance!r}", False
        return
    if kind in ("minItems", "minLength"):
        least = int(error.validator_value)
        if least > 1:
            noun = "items" if kind == "minItems" else "characters"
            yield path, f"needs at least {least} {noun}, got {len(instance)}", False
        else:
            yield path, "must not be empty", False
        return
    if kind == "uniqueItems":
        yield path, "values must not repeat", False
        return
    yield path, str(error.message), False


def schema_problems(validator: Any, data: Any, source: Located) -> list[Problem]:
    """Every schema error in `data`, each located in `source`, in document order."""
    problems: list[Problem] = []
    for error in validator.iter_errors(data):
        for path, message, key in _messages(error):
            problems.append(source.problem(path, message, key=key))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems

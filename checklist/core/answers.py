"""Checking one answer against its fact, and the answers of one scope (organisation or
application) with a message that names the allowed values."""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from typing import Any

from checklist.core.conditions import did_you_mean
from checklist.core.errors import DocPath, Located, Problem
from checklist.core.model import Catalog, Fact
from checklist.core.text import describe
from checklist.core.vocabulary import UNKNOWN

_YES_NO_HINT = " (YAML reads unquoted yes/no/on/off as true/false: quote it)"


def check_answer(fact: Fact, value: Any) -> str | None:
    """Why `value` is not a valid answer to `fact`, or None when it is."""
    kind = fact.type
    if value.__class__ is str:  # the common cases first: every answer of an inventory is checked here
        if (kind == "choice" and value in fact.values) or value == UNKNOWN:
            return None
    elif value is None or (kind == "bool" and (value is True or value is False)):
        return None
    if kind == "choice":
        if isinstance(value, str) and value in fact.values:
            return None
        hint = did_you_mean(str(value), fact.values) if not isinstance(value, bool) else _YES_NO_HINT
        return f"{describe(value)} is not an answer{hint}; expected one of: {', '.join(sorted(fact.values))}, unknown"
    if kind == "multi":
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
    if kind == "bool":
        return f"expected true or false, got {describe(value)}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {describe(value)}"
    if not abs(value) <= sys.float_info.max:  # NaN, an infinity, or an integer no float holds
        shown = repr(value) if isinstance(value, float) else f"{str(value)[:20]}… ({len(str(value))} digits)"
        return f"expected a finite number, got {shown}"
    if fact.minimum is not None and value < fact.minimum:
        return f"expected a number of at least {fact.minimum:g}, got {value!r}"
    if fact.maximum is not None and value > fact.maximum:
        return f"expected a number of at most {fact.maximum:g}, got {value!r}"
    return None


def known_answers(answers: Mapping[str, Any], facts: Mapping[str, Fact]) -> dict[str, Any]:
    """The answered facts only, normalised for evaluation: multi values as tuples (an empty list says nothing)."""
    return KnownAnswers(facts)(answers)


class KnownAnswers:
    """`known_answers` with the facts' multi-choice ones found once, for a loader that calls it per application."""

    def __init__(self, facts: Mapping[str, Fact]) -> None:
        self.multi = frozenset(k for k, f in facts.items() if f.type == "multi")

    def __call__(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        known = {k: v for k, v in answers.items() if v is not None and v != UNKNOWN}
        for key in self.multi.intersection(known):
            if known[key]:
                known[key] = tuple(known[key])
            else:
                del known[key]
        return known


def answer_problems(
    answers: Mapping[str, Any], scope: str, catalog: Catalog, source: Located, where: DocPath
) -> list[Problem]:
    """Every invalid or misplaced answer in one answers mapping."""
    problems: list[Problem] = []
    facts = catalog.facts
    for key, value in answers.items():
        fact = facts.get(key)
        if fact is None:
            message = f"unknown fact {key!r}{_fact_hint(tuple(f.id for f in catalog.facts_for(scope)), str(key))}"
            if not isinstance(key, str):  # `yes:` read by YAML as a boolean, `1:` as a number
                hint = _YES_NO_HINT if isinstance(key, bool) else ""  # type: ignore[unreachable]
                message = f"unknown fact {key!r}; a fact's name is text{hint}"
            problems.append(source.problem((*where, key), message, key=True))
            continue
        if fact.scope != scope:
            home = "organization.answers" if fact.scope == "organization" else "an application's answers"
            message = f"{key!r} is answered once for the {fact.scope}: move it to {home}"
            problems.append(source.problem((*where, key), message, key=True))
            continue
        if value is None:  # unanswered: an empty cell of a spreadsheet, most often
            continue
        error = check_answer(fact, value)
        if error:
            problems.append(source.problem((*where, key), error))
    return problems


@functools.lru_cache(maxsize=256)
def _fact_hint(facts: tuple[str, ...], key: str) -> str:
    """`did_you_mean` for an unknown fact, once per key: an export may repeat one in every application."""
    return did_you_mean(key, facts)

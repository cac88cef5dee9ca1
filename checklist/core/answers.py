"""Checking one answer against its fact, and the answers of one scope (organisation or
application) with a message that names the allowed values."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from checklist.core.conditions import did_you_mean
from checklist.core.errors import DocPath, Located, Problem
from checklist.core.model import Catalog, Fact
from checklist.core.text import describe
from checklist.core.vocabulary import UNKNOWN

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
    if not abs(value) <= sys.float_info.max:  # NaN, an infinity, or an integer no float holds
        shown = repr(value) if isinstance(value, float) else f"{str(value)[:20]}… ({len(str(value))} digits)"
        return f"expected a finite number, got {shown}"
    if fact.minimum is not None and value < fact.minimum:
        return f"expected a number of at least {fact.minimum:g}, got {value!r}"
    if fact.maximum is not None and value > fact.maximum:
        return f"expected a number of at most {fact.maximum:g}, got {value!r}"
    return None


def _answer_check(fact: Fact) -> Callable[[Any], bool]:
    """A fast yes/no version of `check_answer` for the common case of a valid answer."""
    if fact.type == "choice":
        allowed = fact.values | {UNKNOWN}
        return lambda v: v is None or (v.__class__ is str and v in allowed)
    if fact.type == "bool":
        return lambda v: v is None or v is True or v is False or v == UNKNOWN
    if fact.type == "number":
        # the largest finite floats as default bounds, so that inf and nan fail here too
        low = -sys.float_info.max if fact.minimum is None else fact.minimum
        high = sys.float_info.max if fact.maximum is None else fact.maximum
        return lambda v: v is None or v == UNKNOWN or (is_number(v) and low <= v <= high)
    if fact.type == "multi":
        values, exclusive = fact.values, frozenset(fact.exclusive)

        def multi(v: Any) -> bool:
            if v is None or v == UNKNOWN:
                return True
            if not are_strings(v):
                return False
            items = set(v)
            return len(items) == len(v) and items <= values and (len(v) < 2 or items.isdisjoint(exclusive))

        return multi
    return lambda v: check_answer(fact, v) is None


class AnswerReader:
    """Checks a scope's answers and normalises them for evaluation, compiled once per catalog.

    Valid answers (nearly all of them) pass a compiled check; anything else
    goes to `answer_problems` for the precise message.
    """

    def __init__(self, catalog: Catalog, scope: str) -> None:
        self.catalog = catalog
        self.scope = scope
        self.checks = {f.id: _answer_check(f) for f in catalog.facts_for(scope)}
        self.multi = frozenset(f.id for f in catalog.facts_for(scope) if f.type == "multi")

    def problems(self, answers: Mapping[str, Any], source: Located, where: DocPath) -> list[Problem]:
        checks = self.checks
        for key, value in answers.items():
            check = checks.get(key)
            if check is None or not check(value):
                return answer_problems(answers, self.scope, self.catalog, source, where)
        return []

    def known(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """As `known_answers`, for answers that passed `problems`."""
        return _normalised(answers, self.multi.intersection(answers))


def known_answers(answers: Mapping[str, Any], facts: Mapping[str, Fact]) -> dict[str, Any]:
    """The answered facts only, normalised for evaluation (multi values as tuples)."""
    return _normalised(answers, [k for k in answers if k in facts and facts[k].type == "multi"])


def _normalised(answers: Mapping[str, Any], multi: Iterable[str]) -> dict[str, Any]:
    """`answers` without the unanswered ones, the `multi` keys' lists as tuples (an empty list says nothing)."""
    known = {k: v for k, v in answers.items() if v is not None and v != UNKNOWN}
    for key in multi:
        if key not in known:
            continue
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
    for key, value in answers.items():
        fact = catalog.facts.get(key)
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
        error = check_answer(fact, value)
        if error:
            problems.append(source.problem((*where, key), error))
    return problems


@functools.lru_cache(maxsize=256)
def _fact_hint(facts: tuple[str, ...], key: str) -> str:
    """`did_you_mean` for an unknown fact, once per key: an export may repeat one in every application."""
    return did_you_mean(key, facts)


def is_number(value: Any) -> bool:
    return value.__class__ is int or value.__class__ is float


def are_strings(value: Any) -> bool:
    return value.__class__ is list and all(item.__class__ is str for item in value)

"""Conditions are data: compiled once per catalog into small closures.

A condition is a mapping: a leaf ``{fact: F, OP: VALUE}`` with one operator
(``equals``, ``in``, ``contains``, ``gte``, ``lt``, ``answered``), or a
combination ``{all: [...]}``, ``{any: [...]}``, ``{not: {...}}``. No code is
ever evaluated.

Logic is three-valued: a leaf on an unanswered fact is unknown (``None``);
``all`` is false if any part is false, ``any`` is true if any part is true,
and otherwise unknown wins over the remaining value; ``not`` keeps unknown.
``answered`` is never unknown. This makes a rule unknown exactly when the
facts that would decide it are missing, and never guesses them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from checklist.core.errors import DocPath, Problem

Answers = Mapping[str, Any]
Truth = bool | None
Evaluate = Callable[[Answers], Truth]

LEAF_OPERATORS = ("equals", "in", "contains", "gte", "lt", "answered")
COMBINATORS = ("all", "any", "not")


class FactShape(Protocol):
    """What the compiler needs to know of a fact."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def values(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Condition:
    """A compiled condition: call ``evaluate(answers)``; ``facts`` lists what it reads."""

    evaluate: Evaluate
    facts: tuple[str, ...]
    source: Mapping[str, Any]


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close option exists, else an empty string."""
    return Suggestions(options)(word)


class Suggestions:
    """`did_you_mean` for any number of words against one set of options.

    difflib compares a word with every option, which is fine for a catalog's
    values and facts but not for thousands of application ids: a portfolio
    with a thousand dangling `depends_on` took minutes. Above `SMALL` options,
    only the options one edit away (a character changed, added, dropped or
    two swapped) are compared, found through an index of each option with one
    character deleted, built on the first call.
    """

    SMALL = 200

    def __init__(self, options: Iterable[str]) -> None:
        self.options = list(options)
        self._index: dict[str, list[str]] | None = None

    def __call__(self, word: str) -> str:
        options = self.options if len(self.options) <= self.SMALL else self._near(word)
        close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
        return f" (did you mean {close[0]!r}?)" if close else ""

    def _near(self, word: str) -> list[str]:
        if self._index is None:
            self._index = {}
            for option in dict.fromkeys(self.options):
                for variant in _deletions(option):
                    self._index.setdefault(variant, []).append(option)
        near = (self._index.get(variant, ()) for variant in _deletions(word))
        options = list(dict.fromkeys(option for options in near for option in options))
        # Sharing a deletion also matches a character moved; when some option is one edit
        # away, only those are ranked (ids like app-000123 have dozens of near neighbours).
        return [option for option in options if _one_edit(word, option)] or options


def _deletions(word: str) -> set[str]:
    """`word` itself and each string made by deleting one of its characters."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def _one_edit(a: str, b: str) -> bool:
    """`a` and `b` differ by one character changed, added or dropped, or two neighbours swapped."""
    if len(a) < len(b):
        a, b = b, a
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(b))
    if len(a) != len(b):
        return len(a) == len(b) + 1 and a[i + 1:] == b[i:]
    return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])


def compile_condition(
    raw: Any,
    facts: Mapping[str, FactShape],
    locate: Callable[[DocPath, str], Problem],
    path: DocPath,
    problems: list[Problem],
) -> Condition:
    """Compile `raw` against the catalog's facts; append located problems for mistakes.

    Always returns a Condition (an unknown one where the input was wrong), so
    that every problem in a catalog is reported in one run.
    """
    read: list[str] = []
    evaluate = _compile(raw, facts, locate, path, problems, read)
    return Condition(evaluate, tuple(dict.fromkeys(read)), raw if isinstance(raw, dict) else {})


def _unknown(_: Answers) -> Truth:
    return None


def _compile(
    raw: Any,
    facts: Mapping[str, FactShape],
    locate: Callable[[DocPath, str], Problem],
    path: DocPath,
    problems: list[Problem],
    read: list[str],
) -> Evaluate:
    if not isinstance(raw, dict) or not raw:
        problems.append(locate(path, "expected a condition mapping such as {fact: F, equals: V}"))
        return _unknown
    keys = set(raw)
    combinators = keys & set(COMBINATORS)
    if combinators:
        if len(keys) != 1:
            problems.append(
                locate(path, f"'{sorted(combinators)[0]}' must stand alone in its condition, "
                             f"found also {', '.join(sorted(keys - {sorted(combinators)[0]}))}")
            )
            return _unknown
        (name,) = combinators
        if name == "not":
            inner = _compile(raw["not"], facts, locate, (*path, "not"), problems, read)

            def negate(answers: Answers) -> Truth:
                value = inner(answers)
                return None if value is None else not value

            return negate
        parts_raw = raw[name]
        if not isinstance(parts_raw, list) or not parts_raw:
            problems.append(locate((*path, name), f"'{name}' expects a non-empty list of conditions"))
            return _unknown
        parts = tuple(
            _compile(part, facts, locate, (*path, name, i), problems, read)
            for i, part in enumerate(parts_raw)
        )
        return _combine(parts, decisive=name == "any")
    return _compile_leaf(raw, facts, locate, path, problems, read)


def _combine(parts: tuple[Evaluate, ...], decisive: bool) -> Evaluate:
    """`all` (decisive False) or `any` (decisive True): the decisive value wins
    as soon as a part gives it; otherwise unknown wins over the other value."""

    def evaluate(answers: Answers) -> Truth:
        result: Truth = not decisive
        for part in parts:
            value = part(answers)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    return evaluate


def _compile_leaf(
    raw: dict[str, Any],
    facts: Mapping[str, FactShape],
    locate: Callable[[DocPath, str], Problem],
    path: DocPath,
    problems: list[Problem],
    read: list[str],
) -> Evaluate:
    fact_id = raw.get("fact")
    operators = [key for key in raw if key in LEAF_OPERATORS]
    unexpected = [key for key in raw if key not in LEAF_OPERATORS and key != "fact"]
    if unexpected:
        word = unexpected[0]
        problems.append(
            locate((*path, word), f"unknown condition key {word!r}"
                   f"{did_you_mean(word, (*LEAF_OPERATORS, *COMBINATORS, 'fact'))}")
        )
        return _unknown
    if not isinstance(fact_id, str):
        problems.append(locate(path, "a condition needs 'fact: FACT_ID' and one operator"))
        return _unknown
    if len(operators) != 1:
        problems.append(
            locate(path, f"a condition on {fact_id!r} needs exactly one of "
                         f"{', '.join(LEAF_OPERATORS)}; found {len(operators)}")
        )
        return _unknown
    fact = facts.get(fact_id)
    if fact is None:
        problems.append(
            locate((*path, "fact"), f"unknown fact {fact_id!r}{did_you_mean(fact_id, facts)}")
        )
        return _unknown
    read.append(fact_id)
    (op,) = operators
    value = raw[op]
    where = (*path, op)

    def bad(message: str) -> Evaluate:
        problems.append(locate(where, message))
        return _unknown

    def check_value(candidate: Any) -> str | None:
        if fact.type in ("choice", "multi"):
            if not isinstance(candidate, str) or candidate not in fact.values:
                return (f"{candidate!r} is not a value of {fact_id!r}"
                        f"{did_you_mean(str(candidate), fact.values)}; expected one of "
                        f"{', '.join(sorted(fact.values))}")
        elif fact.type == "bool":
            if not isinstance(candidate, bool):
                return f"{fact_id!r} is yes/no: compare with true or false, not {candidate!r}"
        elif fact.type == "number" and (
            isinstance(candidate, bool) or not isinstance(candidate, int | float)
        ):
            return f"{fact_id!r} is a number: compare with a number, not {candidate!r}"
        return None

    if op == "answered":
        if not isinstance(value, bool):
            return bad("'answered' takes true or false")
        want = value
        return lambda answers: (fact_id in answers) == want
    if op == "equals":
        if fact.type == "multi":
            return bad(f"{fact_id!r} allows several values: use 'contains' or 'in', not 'equals'")
        error = check_value(value)
        if error:
            return bad(error)
        expected = value
        return _leaf(fact_id, lambda given: bool(given == expected))
    if op == "in":
        if fact.type not in ("choice", "multi"):
            return bad(f"'in' compares with a list of choices; {fact_id!r} is a {fact.type}")
        if not isinstance(value, list) or not value:
            return bad("'in' expects a non-empty list of values")
        errors = [e for e in map(check_value, value) if e]
        if errors:
            return bad(errors[0])
        options = frozenset(value)
        if fact.type == "multi":
            return _leaf(fact_id, lambda given: not options.isdisjoint(given))
        return _leaf(fact_id, lambda given: given in options)
    if op == "contains":
        if fact.type != "multi":
            return bad(f"'contains' is for facts with several values; use 'equals' or 'in' "
                       f"for {fact_id!r}")
        error = check_value(value)
        if error:
            return bad(error)
        item = value
        return _leaf(fact_id, lambda given: item in given)
    # gte / lt
    if fact.type != "number":
        return bad(f"'{op}' compares numbers; {fact_id!r} is a {fact.type}")
    error = check_value(value)
    if error:
        return bad(error)
    bound = float(value)
    if op == "gte":
        return _leaf(fact_id, lambda given: bool(given >= bound))
    return _leaf(fact_id, lambda given: bool(given < bound))


def _leaf(fact_id: str, test: Callable[[Any], bool]) -> Evaluate:
    """A leaf condition: unknown while `fact_id` is unanswered, else `test(answer)`."""

    def evaluate(answers: Answers) -> Truth:
        given = answers.get(fact_id)
        return None if given is None else test(given)

    return evaluate

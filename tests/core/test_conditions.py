"""Conditions: three-valued logic over answers, and located compile errors.

Tables below read as: condition (as a catalog author writes it in YAML),
answers, and the truth value (True, False, or None for unknown).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import position
from hypothesis import given
from hypothesis import strategies as st

from checklist.core.conditions import compile_condition
from checklist.core.errors import Problem
from checklist.core.model import Choice, Fact
from checklist.io.source import parse


def _fact(fact_id: str, kind: str, values: tuple[str, ...] = ()) -> Fact:
    return Fact(id=fact_id, scope="application", type=kind, step=1, text=f"{fact_id}?", help="why",
                choices=tuple(Choice(v, v.title()) for v in values))


FACTS = {
    "color": _fact("color", "choice", ("red", "green", "blue")),
    "tags": _fact("tags", "multi", ("alpha", "beta", "gamma")),
    "flag": _fact("flag", "bool"),
    "size": _fact("size", "number"),
}

U = None  # unknown


def compile_yaml(text: str) -> tuple[Any, list[Problem]]:
    """Compile the condition under `when:` in a small YAML document; return it and its problems."""
    source = parse(text, "rules.yaml", "yaml")
    problems: list[Problem] = []
    condition = compile_condition(
        source.data["when"], FACTS, lambda path, message: source.problem(path, message), ("when",), problems
    )
    return condition, problems


def truth(condition_yaml: str, answers: dict[str, Any]) -> bool | None:
    condition, problems = compile_yaml(f"when: {condition_yaml}\n")
    assert problems == [], problems
    result: bool | None = condition.evaluate(answers)
    return result


# ---------------------------------------------------------------- leaves

LEAVES = [
    # condition                                answers                       truth
    ("{fact: color, equals: red}",              {"color": "red"},             True),
    ("{fact: color, equals: red}",              {"color": "blue"},            False),
    ("{fact: color, equals: red}",              {},                           U),
    ("{fact: flag, equals: true}",              {"flag": True},               True),
    ("{fact: flag, equals: true}",              {"flag": False},              False),
    ("{fact: flag, equals: false}",             {"flag": False},              True),
    ("{fact: flag, equals: false}",             {},                           U),
    ("{fact: size, equals: 3}",                 {"size": 3},                  True),
    ("{fact: color, in: [red, green]}",         {"color": "green"},           True),
    ("{fact: color, in: [red, green]}",         {"color": "blue"},            False),
    ("{fact: color, in: [red, green]}",         {},                           U),
    ("{fact: tags, in: [alpha, beta]}",         {"tags": ("beta", "gamma")},  True),
    ("{fact: tags, in: [alpha, beta]}",         {"tags": ("gamma",)},         False),
    ("{fact: tags, in: [alpha, beta]}",         {},                           U),
    ("{fact: tags, contains: alpha}",           {"tags": ("alpha", "beta")},  True),
    ("{fact: tags, contains: alpha}",           {"tags": ("gamma",)},         False),
    ("{fact: tags, contains: alpha}",           {},                           U),
    ("{fact: size, gte: 10}",                   {"size": 10},                 True),
    ("{fact: size, gte: 10}",                   {"size": 9.99},               False),
    ("{fact: size, gte: 10}",                   {"size": 0},                  False),
    ("{fact: size, gte: 10}",                   {},                           U),
    ("{fact: size, lt: 10}",                    {"size": 9.99},               True),
    ("{fact: size, lt: 10}",                    {"size": 10},                 False),
    ("{fact: size, lt: 10}",                    {},                           U),
    ("{fact: size, gte: 0}",                    {"size": 0},                  True),
    # `answered` is never unknown: it is the question "was this answered?"
    ("{fact: color, answered: true}",           {},                           False),
    ("{fact: color, answered: true}",           {"color": "red"},             True),
    ("{fact: color, answered: false}",          {},                           True),
    ("{fact: color, answered: false}",          {"color": "red"},             False),
]


@pytest.mark.parametrize(("condition", "answers", "expected"), LEAVES)
def test_leaf(condition: str, answers: dict[str, Any], expected: bool | None) -> None:
    assert truth(condition, answers) is expected


# ---------------------------------------------------------------- combinations

# With these answers T is true, F is false and N is unknown (size is unanswered).
ANSWERS = {"color": "red", "flag": True}
T = "{fact: color, equals: red}"
F = "{fact: flag, equals: false}"
N = "{fact: size, gte: 1}"

COMBINATIONS = [
    (f"{{all: [{T}, {T}]}}",                 True),
    (f"{{all: [{T}, {F}]}}",                 False),
    (f"{{all: [{F}, {N}]}}",                 False),
    (f"{{all: [{N}, {F}]}}",                 False),
    (f"{{all: [{T}, {N}]}}",                 U),
    (f"{{all: [{N}, {N}]}}",                 U),
    (f"{{any: [{T}, {N}]}}",                 True),
    (f"{{any: [{N}, {T}]}}",                 True),
    (f"{{any: [{F}, {N}]}}",                 U),
    (f"{{any: [{F}, {F}]}}",                 False),
    (f"{{any: [{F}, {T}]}}",                 True),
    (f"{{not: {T}}}",                        False),
    (f"{{not: {F}}}",                        True),
    (f"{{not: {N}}}",                        U),
    (f"{{not: {{all: [{T}, {N}]}}}}",        U),
    (f"{{not: {{any: [{F}, {F}]}}}}",        True),
    (f"{{all: [{{any: [{F}, {N}]}}, {F}]}}", False),
    (f"{{any: [{{all: [{T}, {N}]}}, {T}]}}", True),
]


@pytest.mark.parametrize(("condition", "expected"), COMBINATIONS)
def test_combination(condition: str, expected: bool | None) -> None:
    assert truth(condition, ANSWERS) is expected


def _kleene_rank(value: bool | None) -> int:
    return {False: 0, None: 1, True: 2}[value]


LEAF_FOR = {True: T, False: F, None: N}


@given(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=6),
       st.sampled_from(["all", "any"]))
def test_all_and_any_follow_kleene_logic(values: list[bool | None], combinator: str) -> None:
    condition = f"{{{combinator}: [{', '.join(LEAF_FOR[v] for v in values)}]}}"
    pick = min if combinator == "all" else max
    expected = pick(values, key=_kleene_rank)
    assert truth(condition, ANSWERS) is expected


def test_condition_lists_the_facts_it_reads_once_in_order() -> None:
    condition, problems = compile_yaml(f"when: {{all: [{T}, {{any: [{N}, {T}, {F}]}}]}}\n")
    assert problems == []
    assert condition.facts == ("color", "size", "flag")


# ---------------------------------------------------------------- compile errors

ERRORS = [
    # condition YAML (after "when: "), where the problem points, its path, words it must contain
    ("{fact: colour, equals: red}", "colour", "when.fact",
     ["unknown fact 'colour'", "did you mean 'color'?"]),
    ("{fact: color, equals: purple}", "purple", "when.equals",
     ["'purple' is not a value of 'color'", "blue, green, red"]),
    ("{fact: color, in: [red, purpel]}", "[red", "when.in",
     ["'purpel' is not a value of 'color'", "expected one of"]),
    ("{fact: color, contains: red}", "red}", "when.contains",
     ["'contains' is for facts with several values", "'color'"]),
    ("{fact: tags, equals: alpha}", "alpha", "when.equals",
     ["'tags' allows several values", "'contains' or 'in'"]),
    ("{fact: color, equals: red, in: [red]}", "{fact", "when",
     ["exactly one of", "found 2"]),
    ("{fact: color}", "{fact", "when",
     ["exactly one of", "found 0"]),
    ("{fact: color, equal: red}", "red", "when.equal",
     ["unknown condition key 'equal'", "did you mean 'equals'?"]),
    ("{fact: size, gte: ten}", "ten", "when.gte",
     ["'size' is a number"]),
    ("{fact: color, gte: 3}", "3}", "when.gte",
     ["'gte' compares numbers", "'color' is a choice"]),
    ("{fact: flag, equals: 'yes'}", "'yes'", "when.equals",
     ["'flag' is yes/no", "true or false"]),
    ("{fact: flag, in: [red]}", "[red]", "when.in",
     ["'in' compares with a list of choices"]),
    ("{fact: color, answered: 1}", "1}", "when.answered",
     ["'answered' takes true or false"]),
    (f"{{all: [{T}], fact: color}}", "{all", "when",
     ["'all' must stand alone"]),
    ("{any: []}", "[]", "when.any",
     ["'any' expects a non-empty list"]),
    (f"{{all: [{T}, {{fact: colr, equals: red}}]}}", "colr", "when.all[1].fact",
     ["unknown fact 'colr'", "did you mean 'color'?"]),
    ("{not: {fact: color, equals: rouge}}", "rouge", "when.not.equals",
     ["'rouge' is not a value of 'color'"]),
]


@pytest.mark.parametrize(("condition", "at", "path", "words"), ERRORS)
def test_compile_error_is_located(condition: str, at: str, path: str, words: list[str]) -> None:
    text = f"when: {condition}\n"
    compiled, problems = compile_yaml(text)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.file == "rules.yaml"
    assert (problem.line, problem.column) == position(text, at)
    assert problem.path == path
    for word in words:
        assert word in problem.message
    # A broken condition never decides anything: it is unknown whatever the answers.
    assert compiled.evaluate({"color": "red", "tags": ("alpha",), "flag": True, "size": 3}) is None


def test_every_mistake_in_one_condition_is_reported() -> None:
    text = "when:\n  all:\n    - {fact: colr, equals: red}\n    - {fact: size, gte: big}\n"
    _, problems = compile_yaml(text)
    assert [(p.line, p.path) for p in problems] == [(3, "when.all[0].fact"), (4, "when.all[1].gte")]

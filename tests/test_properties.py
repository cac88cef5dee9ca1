"""Property-based tests: whatever the input, the inventory loader, the CSV reader and the
condition evaluator either succeed or raise ChecklistError naming where the problem is."""

from __future__ import annotations

import json
import math
import random
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist.core.conditions import LEAF_OPERATORS, compile_condition
from checklist.core.errors import ChecklistError, DocPath, Problem, format_path
from checklist.core.fields import CRITICALITIES
from checklist.core.model import Catalog, Inventory
from checklist.io import source
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory
from checklist.io.source import Limits, Source

CATALOG: Catalog = load_catalog()
APP_FACTS = [f.id for f in CATALOG.facts_for("application")]
VALUES = sorted({v for f in CATALOG.facts.values() for v in f.values} | {"unknown"})
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Scalars users really write, and some they should not.
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([*VALUES, *APP_FACTS, "", "yes", "no", "on", "1:30", "2024-01-01", "~", "null"]),
    st.text(max_size=20),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from([*APP_FACTS, "id", "answers", "name", "depends_on", "footprint"]),
                              st.text(max_size=8)), inner, max_size=4)), max_leaves=12)
answers = st.dictionaries(st.sampled_from([*APP_FACTS, "orchestrator", "bogus"]), values, max_size=6)
applications = st.lists(st.fixed_dictionaries(
    {"id": st.one_of(st.sampled_from(["a", "b", "billing-api"]), values)},
    optional={"answers": answers, "depends_on": st.one_of(st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
                                                         values),
              "name": values, "footprint": values, "tags": values, "criticality": values}), max_size=4)
documents = st.one_of(values, st.fixed_dictionaries(
    {"applications": applications}, optional={"version": st.one_of(st.just(1), values),
                                              "organization": st.one_of(values, st.fixed_dictionaries(
                                                  {"answers": answers}))}))


def load_text(name: str, text: str | bytes) -> Inventory | ChecklistError:
    """Load one inventory file with this content; the error if it is refused."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            return load_inventory([str(path)], CATALOG)
        except ChecklistError as exc:
            for problem in exc.problems:
                assert problem.file == str(path), problem
                assert problem.line >= 1 and problem.column >= 1, problem
                assert "\n" not in str(problem)
            return exc


@SETTINGS
@given(documents)
def test_any_yaml_document_loads_or_is_located(document: Any) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    load_text("inv.yaml", text)


@SETTINGS
@given(documents)
def test_any_json_document_loads_or_is_located(document: Any) -> None:
    load_text("inv.json", json.dumps(document))


@SETTINGS
@given(st.lists(st.sampled_from([*"abc: -[]{}&*!|>'\"#%@`,?\n\t01", "id", "applications", "\r\n", "answers",
                                 "os_family", "\ufeff", "<<", "---", "  "]), max_size=60).map("".join))
def test_any_yaml_text_loads_or_is_located(text: str) -> None:
    load_text("inv.yaml", text)


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_load_or_are_located(data: bytes) -> None:
    load_text("inv.yaml", data)


def _typed(value: Any) -> Any:
    """`value` with the type of every part spelled out: 1, 1.0 and True compare unequal."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _read_as_pyyaml_does(text: str) -> None:
    """Our YAML reader gives the data PyYAML's loader gives, and refuses (as a located
    ChecklistError) what it refuses; beyond it, it refuses only duplicate (or equal) keys,
    tags that are not plain data and aliases that nest a collection in itself."""
    try:
        theirs, failed = _typed(yaml.load(text, Loader=source.StrictLoader)), None
    except Exception as exc:
        theirs, failed = None, exc
    try:
        ours = _typed(source.load_yaml(text))
    except ChecklistError as exc:
        message = exc.problems[0].message
        assert failed is not None or any(m in message for m in (
            "duplicate key", "is not allowed: inputs are plain data", "nested more than")), (text, message)
        return
    except (ValueError, OverflowError):  # a number longer than Python converts, which `parse` places
        assert failed is not None, text
        return
    assert failed is None and ours == theirs, text


# Lines and pieces of YAML, most of them things the fast path hands to the full loader.
YAML_PIECES = ["a: 1", "a: yes", "b: '1'", "1: x", "yes: y", "true: t", "~: n", "c: &x [1, 2]", "d: *x", "<<: {e: 1}",
               "f: !!str 3", "g: ! 4", "h: !!int '5'", "? [k]\n: v", "i: 1:30", "j: 0x1F", "k: 1_000", "l: .nan",
               "m: 2024-01-01", "n: =", "o: |\n  text\n", "p: >-\n  folded\n", "- 1", "- - 2", "  q: 3", "---",
               "...", "%YAML 1.1\n---", "# note", "r: [a, {s: t}]", "u: \"\\u00e9\"", "v:", "a: 2", "w: 1e3",
               "x: -.inf", "y: 0o17", "z: +12", "'': empty", "[1, 2]", "{a: b}", "plain text", "t: [", "- ]",
               "base: &y {a: 1, b: [2]}", "<<: *y", "<<: [*y, {a: 3}]", "<<: [*x]", "- <<", "s: <<", "<<: 1",
               "&z a: 1", "z2: *z", "*y : v", "rec: &r [*r]", "&q <<: *y", "a: &y 2", "  - &w x", "- *w"]


@settings(SETTINGS, max_examples=400)
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=8).map("\n".join))
def test_the_yaml_reader_gives_what_pyyaml_gives(text: str) -> None:
    _read_as_pyyaml_does(text)


@SETTINGS
@given(values, st.sampled_from([None, True, False]))
def test_the_yaml_reader_reads_any_dumped_value_as_pyyaml_does(value: Any, flow: bool | None) -> None:
    _read_as_pyyaml_does(yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow))


YAML_KEYS = ["a", "b", "<<", "yes", "1", "'1'", "~", "x y"]
YAML_VALUES = ["1", "yes", "'x'", "[1, 2]", "{a: 1}", "*A", "*B", "*C", "&A 5", "&B {a: 9, b: [1]}", "&C [1, {c: 2}]",
               "[*A, *B]", "", ".5", "0x10", "1:30", "2020-01-01", "!!str 1", "<<", "'<<'", "|\n  lit"]


def _block(draw: st.DrawFn, depth: int, indent: int) -> list[str]:
    """Lines of a block mapping: keys from YAML_KEYS (merge keys among them), values from
    YAML_VALUES (anchors and aliases among them), nested mappings and lists, anchored or not."""
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(YAML_KEYS))
        nested = depth < 3 and draw(st.booleans())
        if not nested:
            lines.append(" " * indent + f"{key}: " + draw(st.sampled_from(YAML_VALUES)).replace("\n", "\n  "))
            continue
        lines.append(" " * indent + f"{key}: {draw(st.sampled_from(['', '&A', '&B', '&D']))}".rstrip())
        if draw(st.booleans()):
            lines += _block(draw, depth + 1, indent + 2)
        else:
            items = draw(st.lists(st.sampled_from(YAML_VALUES), min_size=1, max_size=3))
            lines += [" " * (indent + 2) + "- " + item.replace("\n", "\n    ") for item in items]
    return lines


@settings(SETTINGS, max_examples=400)
@given(st.composite(lambda draw: "\n".join(_block(draw, 0, 0)) + "\n")())
def test_the_yaml_reader_merges_and_shares_as_pyyaml_does(text: str) -> None:
    _read_as_pyyaml_does(text)


def test_the_yaml_reader_reads_every_yaml_file_here_as_pyyaml_does() -> None:
    root = Path(__file__).parent.parent
    files = [p for folder in ("samples", "rules", "tests") for p in (root / folder).rglob("*")
             if p.suffix in (".yaml", ".yml") or p.parent.name == "bad_inputs" or p.parent.parent.name == "bad_inputs"]
    files = [p for p in files if p.is_file() and p.stat().st_size < 1_000_000]
    assert len(files) > 150
    for path in files:
        _read_as_pyyaml_does(path.read_bytes().decode("utf-8", errors="replace"))


def _paths(value: Any, path: DocPath = ()) -> list[tuple[DocPath, bool]]:
    """Every (path, is a key) in `value`, and one missing member or element of each container."""
    found: list[tuple[DocPath, bool]] = [(path, False)]
    if isinstance(value, dict):
        found += [((*path, "not-there"), False)]
        for name, item in value.items():
            found += [((*path, name), True), *_paths(item, (*path, name))]
    elif isinstance(value, list):
        found += [((*path, len(value)), False)]
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


# Within the BMP: the YAML composer cannot read JSON's escaped surrogate pairs (test_inventory covers those).
printable = st.text(st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs", "Cc", "Cf", "Co", "Cn")),
                    max_size=6)
json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False,
                                     allow_infinity=False), printable),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(printable, inner, max_size=4)), max_leaves=20)


def _tree_place(root: Any, path: DocPath, key: bool) -> tuple[int, int]:
    """Where PyYAML's composed node tree puts `path` (the reference for every locator):
    the deepest part of it that exists; for the last part, its key if `key`."""
    if root is None:
        return (1, 1)
    node, mark = root, root.start_mark
    for index, part in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)]
            if not pairs:
                break
            key_node, node = pairs[0]
            mark = key_node.start_mark if (key and index == len(path) - 1) else node.start_mark
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1)


def _composed(text: str) -> Any:
    try:
        return yaml.compose(text, Loader=source.StrictLoader)
    except yaml.YAMLError:
        return None


@SETTINGS
@given(values, st.sampled_from([None, True, False]))
def test_yaml_positions_are_those_of_the_node_tree(document: Any, flow: bool | None) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    located, root = Source("a.yaml", text, document, "yaml"), _composed(text)
    for path, key in _paths(document):
        assert located.locate(path, key=key) == _tree_place(root, path, key), (path, key)


@settings(SETTINGS, max_examples=200)
@given(st.composite(lambda draw: "\n".join(_block(draw, 0, 0)) + "\n")(), st.data())
def test_yaml_positions_through_anchors_and_merges_are_those_of_the_node_tree(text: str, data: Any) -> None:
    try:
        document = source.load_yaml(text)
        paths = _paths(document)
    except (ChecklistError, ValueError):  # not loaded (a list that holds itself, say)
        return
    located, root = Source("a.yaml", text, document, "yaml"), _composed(text)
    for path, key in paths:
        assert located.locate(path, key=key) == _tree_place(root, path, key), (path, key)
    path = tuple(data.draw(st.lists(st.sampled_from(["a", "b", "<<", "1", 0, 1, "x y"]), max_size=4)))
    assert located.locate(path) == _tree_place(root, path, False)  # paths the data does not have, too


@SETTINGS
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_json_positions_are_those_of_the_yaml_node_tree(document: Any, indent: int | None, ascii_only: bool) -> None:
    # JSON is located with the json module's scanner; the YAML composer, slower, is the reference
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    fast, root = Source("a.json", text, document, "json"), _composed(text)
    for path, key in _paths(document):
        assert fast.locate(path, key=key) == _tree_place(root, path, key), (path, key)


def test_json_positions_in_long_arrays_are_those_of_the_yaml_node_tree() -> None:
    # long arrays are walked with checkpoints every 256 elements and hops over runs of plain
    # values; asked in any order, every element must still be where the node tree puts it
    rng = random.Random(5)
    items: list[Any] = []
    for i in range(2000):
        roll = rng.random()
        nested = i > 1400 and roll > 0.9  # runs of plain values first, then some containers among them
        items.append({"k": [i, "x"]} if nested and roll > 0.95 else [i] if nested else i if roll < 0.3 else
                     f'a "quoted", [bracketed] \\ {i}' if roll < 0.6 else None if roll < 0.7 else f"s{i}")
    document = {"applications": [{"id": "a", "tags": items}]}
    for indent in (None, 1):
        text = json.dumps(document, indent=indent)
        fast, root = Source("a.json", text, document, "json"), _composed(text)
        wanted = [*rng.sample(range(2000), 300), 1999, 0, 256, 255, 257, 2000]
        for i in wanted:
            path = ("applications", 0, "tags", i)
            assert fast.locate(path) == _tree_place(root, path, False), i


# Strings full of what a text-level count of JSON values must not be fooled by.
tricky = st.one_of(printable, st.text(st.sampled_from(list(',:[]{}"\\ \n')), max_size=6))
tricky_values = st.recursive(st.one_of(st.none(), st.integers(), tricky),
                             lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(tricky, inner, max_size=4)), max_leaves=25)


def _values_over(text: str, limit: int, chunk: int) -> int | None:
    """`json_values_over` of `text` reading chunks of `chunk` characters."""
    saved, source._CHUNK = source._CHUNK, chunk
    try:
        return source.json_values_over(text, limit)
    finally:
        source._CHUNK = saved


def _members(value: Any) -> list[tuple[Any, Any]]:
    return list(value.items()) if isinstance(value, dict) else list(enumerate(value)) if isinstance(value, list) else []


def _count(value: Any) -> int:
    """The values of parsed data: itself and every member, however deep."""
    return 1 + sum(_count(item) for _, item in _members(value))


def _first_over(value: Any, limit: int) -> DocPath:
    """The path of the first value, in document order, beyond `limit` values (the document itself the first)."""
    seen = 1
    stack: list[tuple[DocPath, list[tuple[Any, Any]]]] = [((), _members(value))]
    while stack:
        path, members = stack[-1]
        if not members:
            stack.pop()
            continue
        name, item = members.pop(0)
        seen += 1
        if seen > limit:
            return (*path, name)
        stack.append(((*path, name), _members(item)))
    raise AssertionError("not over the limit")


@SETTINGS
@given(tricky_values, st.sampled_from([(", ", ": "), (",", ":"), (" ,\n ", " : ")]), st.integers(1, 30),
       st.integers(1, 40))
def test_json_values_counted_on_the_text_stop_where_the_parsed_walk_does(
        document: Any, separators: tuple[str, str], limit: int, chunk: int) -> None:
    # a hostile JSON file is refused before it is parsed: the text-level count must find the same
    # value as the walk of the parsed data, whatever strings, escapes and chunk boundaries hold
    text = json.dumps(document, separators=separators)
    expected = None
    if _count(document) > limit:
        expected = source.JsonLocator(text).offset(_first_over(document, limit), False)
    assert _values_over(text, limit, chunk) == expected


def test_json_values_counted_on_the_text_skip_spaced_empty_containers() -> None:
    text = '[[ ], {\n}, [  ],\t{ "a" : [ ] , "b": "[ ]"}, 7]'
    assert _values_over(text, 8, 5) is None  # the list, its 5 elements, a and b
    assert _values_over(text, 7, 5) == text.index("7]")
    assert _values_over(text, 6, 5) == text.index('"[ ]"')
    assert _values_over(text, 5, 5) == text.index("[ ] ,")


def _finite(value: Any) -> bool:
    """No NaN or infinity anywhere in `value`."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(k) and _finite(v) for k, v in value.items())
    if isinstance(value, list):
        return all(map(_finite, value))
    return True


@SETTINGS
@given(values, st.integers(1, 30))
def test_yaml_values_over_the_limit_are_refused_before_they_are_built(document: Any, limit: int) -> None:
    text = yaml.safe_dump(document)
    total = _count(yaml.safe_load(text))
    try:
        source.parse(text, "a.yaml", "yaml", Limits(max_nodes=limit))
    except ChecklistError as exc:
        message = exc.problems[0].message
        if "expected a finite number" in message:  # .nan and .inf are refused wherever they are
            assert not _finite(document)
        else:
            assert total > limit and "values in one file" in message
    else:
        assert total <= limit


cells = st.one_of(st.sampled_from([*VALUES, "", "yes", "maybe", "12", "1e3", "nan", "a;b", "local_disk;stateless",
                                   "=1+1", '"', "a,b"]), st.text(max_size=10))
columns = st.lists(st.sampled_from(["id", "name", "owner", "criticality", "depends_on", "tags", "vm_count",
                                    "avg_cpu_utilization", *APP_FACTS[:12], "orchestrator", "bogus", ""]),
                   min_size=0, max_size=6)


@SETTINGS
@given(columns, st.lists(st.lists(cells, max_size=7), max_size=5), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_any_csv_loads_or_is_located(header: list[str], rows: list[list[str]], sep: str, newline: str,
                                     bom: bool) -> None:
    def line(cells: list[str]) -> str:
        return sep.join(f'"{c}"' if sep in c or '"' in c else c for c in cells)

    text = newline.join([line(header), *map(line, rows)]) + newline
    load_text("apps.csv", ("\ufeff" if bom else "") + text)


@SETTINGS
@given(st.lists(st.sampled_from([*'id,name;os_family"\n\r\tlinux', "state_location", "\ufeff"]),
                max_size=60).map("".join))
def test_any_csv_text_loads_or_is_located(text: str) -> None:
    load_text("apps.csv", text)


# ------------------------------------------------------------------ conditions

FACTS = list(CATALOG.facts)
leaf_values = st.one_of(st.sampled_from(VALUES), st.booleans(), st.integers(-5, 500), st.floats(-1, 1e4),
                        st.lists(st.sampled_from(VALUES), max_size=3), st.none(), st.text(max_size=5))
leaves = st.builds(lambda fact, op, value: {"fact": fact, op: value},
                   st.one_of(st.sampled_from(FACTS), st.text(max_size=5)),
                   st.sampled_from([*LEAF_OPERATORS, "equal", "fact"]), leaf_values)
conditions = st.recursive(
    st.one_of(leaves, scalars, st.just({})),
    lambda inner: st.one_of(st.builds(lambda parts: {"all": parts}, st.lists(inner, max_size=3)),
                            st.builds(lambda parts: {"any": parts}, st.one_of(st.lists(inner, max_size=3), inner)),
                            st.builds(lambda part: {"not": part}, inner),
                            st.builds(lambda a, b: {"all": [a], "not": b}, inner, inner)),
    max_leaves=8)


def valid_answer(fact_id: str) -> st.SearchStrategy[Any]:
    fact = CATALOG.facts[fact_id]
    if fact.type == "choice":
        return st.sampled_from(sorted(fact.values))
    if fact.type == "multi":
        return st.lists(st.sampled_from(sorted(fact.values)), min_size=1, unique=True).map(tuple)
    if fact.type == "bool":
        return st.booleans()
    return st.one_of(st.integers(0, 10_000), st.floats(0, 1e5))


answer_sets = st.lists(st.sampled_from(FACTS), unique=True, max_size=12).flatmap(
    lambda ids: st.fixed_dictionaries({fid: valid_answer(fid) for fid in ids}))


@SETTINGS
@given(conditions, answer_sets)
def test_any_condition_compiles_to_an_evaluator_or_located_problems(raw: Any, answers: dict[str, Any]) -> None:
    problems: list[Problem] = []
    root: DocPath = ("rules", 0, "outcomes", 0, "when")

    def locate(path: DocPath, message: str) -> Problem:
        assert path[: len(root)] == root  # every problem points inside the condition
        return Problem("rules/ours.yaml", message, 1, 1, format_path(path))

    condition = compile_condition(raw, CATALOG.facts, locate, root, problems)
    assert all(p.message and p.path.startswith("rules[0].outcomes[0].when") for p in problems)
    assert condition.evaluate(answers) in (True, False, None)
    assert set(condition.facts) <= set(CATALOG.facts)


@settings(SETTINGS, max_examples=20)  # each example loads the whole catalog
@given(conditions)
def test_any_condition_in_a_catalog_loads_or_is_located(raw: Any) -> None:
    rule = {"id": "our-rule", "title": "T", "step": 6, "scope": "application", "category": "platform",
            "severity": "minor", "weight": 1, "effort": "small", "rationale": "R", "remediation": "M",
            "outcomes": [{"when": raw, "result": "fail", "message": "no"}, {"result": "pass", "message": "ok"}]}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "ours.yaml").write_text(yaml.safe_dump({"rules": [rule]}), encoding="utf-8")
        try:
            load_catalog([Path(tmp)])
        except ChecklistError as exc:
            for problem in exc.problems:
                assert problem.file.endswith("ours.yaml") and problem.line >= 1, problem


# Inventories that are valid by construction: every answer one the question allows (or
# "unknown"), any text at all in names and owners.
def _valid_answer(fact: Any) -> Any:
    if fact.type == "choice":
        return st.sampled_from([*sorted(fact.values), "unknown"])
    if fact.type == "multi":
        plain = sorted(fact.values - set(fact.exclusive))
        return st.one_of(st.lists(st.sampled_from(plain), min_size=1, max_size=3, unique=True),
                         st.sampled_from([[only] for only in fact.exclusive] or [[]]), st.just("unknown"))
    if fact.type == "bool":
        return st.one_of(st.booleans(), st.just("unknown"))
    low = int(fact.minimum) if fact.minimum is not None else 0
    high = int(fact.maximum) if fact.maximum is not None else 10**6
    return st.one_of(st.integers(low, high), st.just("unknown"))


def _valid_answers(scope: str) -> Any:
    return st.fixed_dictionaries({}, optional={f.id: _valid_answer(f) for f in CATALOG.facts_for(scope)})


valid_documents = st.fixed_dictionaries({"applications": st.lists(st.fixed_dictionaries(
    {"id": st.from_regex(r"[a-z0-9][a-z0-9._-]{0,30}", fullmatch=True)},
    optional={"name": st.text(max_size=40), "owner": st.text(max_size=20),
              "criticality": st.sampled_from(CRITICALITIES), "answers": _valid_answers("application"),
              "tags": st.lists(st.text(max_size=10), max_size=3),
              "footprint": st.fixed_dictionaries({}, optional={k: st.integers(0, 4096) for k in
                                                               ("vm_count", "vcpu", "memory_gb", "disk_gb")})}),
    min_size=1, max_size=6, unique_by=lambda app: app["id"])},
    optional={"organization": st.fixed_dictionaries({"name": st.text(max_size=40)},
                                                     optional={"answers": _valid_answers("organization")})})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_documents)
def test_any_valid_inventory_is_assessed_planned_and_rendered_in_every_format(document: Any) -> None:
    """No answer mix, name or owner makes an assessment, a plan or a renderer fail
    (PDF aside, for time: it renders the HTML checked here)."""
    import datetime as dt

    from checklist.core.engine import evaluate
    from checklist.plan import plan_of
    from checklist.render import ASSESSMENT, RenderOptions
    from checklist.render.plan import render_md, render_table

    inventory = load_text("inv.json", json.dumps(document))
    assert isinstance(inventory, Inventory), inventory  # valid by construction
    assessment = evaluate(CATALOG, inventory)
    options = RenderOptions(date=dt.date(2026, 1, 1))
    for fmt in ("table", "json", "jsonl", "csv", "md", "html"):
        out = ASSESSMENT[fmt](assessment, options)
        text = out if isinstance(out, str | bytes) else b"".join(
            p if isinstance(p, bytes) else p.encode() for p in out)
        assert text  # every format says something about every portfolio
    first = assessment.applications[0].application.id
    assert first in ASSESSMENT["html"](assessment, RenderOptions(date=dt.date(2026, 1, 1), single=first))
    plan = plan_of(assessment)
    if plan is not None:
        render_md(plan, options)
        render_table(plan, options)

"""Saved results read one application at a time (`checklist diff`, `report --baseline`).

The lean reader must see exactly what reading the whole document sees: the same
snapshot of a valid result, and the same located line for a broken one.
"""

from __future__ import annotations

import functools
import itertools
import json
import tracemalloc
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checklist.cli import app
from checklist.core.errors import ChecklistError, Problem
from checklist.core.snapshot import Snapshot, count_values, snapshot_of_document
from checklist.io import results
from checklist.io.catalog import load_catalog
from checklist.io.source import DEFAULT_LIMITS, Limits, decode, parse

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "portfolio.yaml"
ORG_FACTS = [f.id for f in load_catalog([]).facts_for("organization")]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def sample_result() -> str:
    """The sample portfolio's saved result, with names that take two to four bytes in UTF-8."""
    ran = CliRunner().invoke(app, ["assess", str(SAMPLE), "-f", "json"])
    assert ran.exit_code == 0, ran.output
    doc = json.loads(ran.stdout)
    for i, entry in enumerate(doc["applications"]):
        entry["name"] = f"Zürich ☃ {i} 😀 …"
    return json.dumps(doc)


@pytest.fixture
def document() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(sample_result())
    return doc


def text_of(doc: dict[str, Any], layout: str) -> str:
    return json.dumps(doc, ensure_ascii=False, **({"indent": 2} if layout == "indented" else
                                                  {"separators": (",", ":")}))


def lean(path: Path, chunk: int | None = None, limits: Limits = DEFAULT_LIMITS) -> Snapshot | Problem:
    """What the lean reader makes of `path`, read `chunk` bytes at a time."""
    size = chunk or results._CHUNK
    with mock.patch.object(results, "_CHUNK", size), mock.patch.object(results, "_MIN_CHUNK", min(size, 1 << 16)):
        try:
            found = results.read_result(path, "r.json", ORG_FACTS, limits)
        except ChecklistError as error:
            return error.problems[0]
    assert found is not None
    return found


def lean_with_peak(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Snapshot | Problem, int]:
    """`lean(path)` and the most memory it took (tracemalloc)."""
    tracemalloc.start()
    try:
        found = lean(path, limits=limits)
        return found, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def whole(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Snapshot | Problem:
    """What reading the whole document makes of the same bytes."""
    try:
        source = parse(decode(raw, "r.json"), "r.json", "json", limits)
        return snapshot_of_document(source.data, "r.json", ORG_FACTS, source.problem)
    except ChecklistError as error:
        return error.problems[0]


def same(a: Snapshot | Problem, b: Snapshot | Problem) -> None:
    assert a == b
    if isinstance(a, Snapshot) and isinstance(b, Snapshot):
        assert list(a.applications) == list(b.applications)  # in the order of the file


@SETTINGS
@given(layout=st.sampled_from(["indented", "compact"]), bom=st.booleans(), chunk=st.integers(1, 5000))
def test_a_result_read_a_piece_at_a_time_is_the_result_read_whole(tmp_path_factory: pytest.TempPathFactory,
                                                                  layout: str, bom: bool, chunk: int) -> None:
    raw = ("\ufeff" if bom else "").encode() + text_of(json.loads(sample_result()), layout).encode()
    path = tmp_path_factory.mktemp("r") / "r.json"
    path.write_bytes(raw)
    found = lean(path, chunk)
    assert isinstance(found, Snapshot) and len(found.applications) == 15
    assert found.applications["order-service"].facts["logging_target"] == "local_files"
    same(found, whole(raw))


@SETTINGS
@given(layout=st.sampled_from(["indented", "compact"]), chunk=st.integers(16, 5000), data=st.data())
def test_a_broken_result_is_refused_at_the_line_and_column_reading_it_whole_names(
        tmp_path_factory: pytest.TempPathFactory, layout: str, chunk: int, data: st.DataObject) -> None:
    text = text_of(json.loads(sample_result()), layout)
    at = data.draw(st.integers(40, len(text) - 1))  # after the head that says it is a result
    edit = data.draw(st.sampled_from(["replace", "insert", "delete", "cut", "byte"]))
    char = data.draw(st.sampled_from([*'#,:[]{}"0a \n-\t\\', "\\u", "\\ud800", '"score":"x"', '"id":1', "1e", "tru"]))
    if edit == "cut":  # a file that ends early
        broken = text[:at].encode()
    elif edit == "byte":  # a byte that is not UTF-8, anywhere on a line of multi-byte characters
        raw = text.encode()
        at = data.draw(st.integers(40, len(raw) - 1))
        broken = raw[:at] + data.draw(st.sampled_from([b"\xe9", b"\xff", b"\xc3", b"\xf0\x9f"])) + raw[at:]
    else:
        broken = (text[:at] + ("" if edit == "delete" else char) + text[at + (edit != "insert"):]).encode()
    path = tmp_path_factory.mktemp("r") / "r.json"
    path.write_bytes(broken)
    same(lean(path, chunk), whole(broken))


def test_the_lines_of_a_result_with_each_kind_of_mistake(tmp_path: Path, document: dict[str, Any]) -> None:
    def refusal(edit: Any) -> str:
        doc = json.loads(json.dumps(document))
        edit(doc)
        path = tmp_path / "r.json"
        path.write_text(text_of(doc, "indented"), encoding="utf-8", errors="backslashreplace")  # a lone surrogate
        found = lean(path)
        assert isinstance(found, Problem), found
        same(found, whole(path.read_bytes()))
        return str(found)

    def apps(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return doc["applications"]  # type: ignore[no-any-return]

    assert refusal(lambda d: apps(d)[3].update(score="high")).endswith(
        "applications[3].score: expected a score from 0 to 100")
    assert refusal(lambda d: apps(d)[3].pop("verdict")).endswith("applications[3]: expected 'verdict' here")
    assert refusal(lambda d: apps(d)[3].update(verdict="great")).endswith(
        "applications[3].verdict: 'great' is not a verdict")
    assert refusal(lambda d: apps(d)[2]["steps"][1].update(step="9")).endswith(
        'applications[2].steps[1]: expected a step like {"step": 9, "status": "done"}')
    assert refusal(lambda d: apps(d)[2]["findings"][4].update(facts=[1])).endswith(
        "applications[2].findings[4].facts: expected a mapping of facts to answers")
    assert refusal(lambda d: apps(d)[5].update(name="\udc80")).endswith(
        "applications[5].name: \\udc80 is half of a UTF-16 surrogate pair, not a character: write the character "
        "itself, or both halves of the pair")
    assert refusal(lambda d: d.update(applications={})).endswith(
        "applications: a saved result needs 'applications', a list")
    assert refusal(lambda d: apps(d)[1].update(score=10**400)).endswith(
        "applications[1].score: expected a score from 0 to 100")


APP_ENTRY = '{{"id": "{i}", "score": 1, "verdict": "ready", "findings": [{{"facts": {facts}}}]}}'
APP = '{{"schema_version": 1, "applications": [' + APP_ENTRY
DEEP_ANSWER = '{"a": ' + "[" * 110 + "]" * 110 + "}"
WRONG_FIRST = APP.format(i="a", facts="{}").replace('"score": 1', '"score": -1')  # a first application out of shape


@pytest.mark.parametrize(("text", "chunk"), [
    # a number cut by the end of the first 8 KB read
    ('{"schema_version": 1, "applications": [], "pad": "' + "x" * (8188 - 58) + '", "n": 1234567890}', 64),
    ('\n\n {"schema_version": 1}', None),  # no applications: placed where the document starts
    ('{"schema_version": 1, "\\udc80": 1, "applications": []}', None),  # a lone surrogate as a key
    ('{"schema_version": 1, "applications": [], "n": ' + "7" * 5000 + "}", 100),  # more digits than Python takes
    ('{"schema_version": 1, "applications": [{"id": "a", "score": 1}], "x": [1,}', None),  # JSON, then shape
    ('{"schema_version": 1, "applications": [{"id": "a", "score": 1, "verdict": "ready", "findings": '
     '[{"facts": {"deep": ' + "[" * 120 + "]" * 120 + "}}]}]}", 64),  # an answer nested too deep
    # Found only once the whole document has parsed, so after a later syntax error: a key
    # repeated at the top, an answer nested too deep.
    ('{"schema_version": 1, "x": 1, "x": 2, "applications": [], "y": [1,}', None),
    (APP.format(i="a", facts=DEEP_ANSWER) + "], 1}", None),
    # the first answer nested too deep in the file, not the deepest
    (APP.format(i="a", facts=DEEP_ANSWER[:-1] + ', "b": ' + "[" * 130 + "]" * 130 + "}") + "]}", None),
    # after a problem of shape, an answer nested too deep, a repeated key, a surrogate, a syntax error
    (WRONG_FIRST + "," + APP_ENTRY.format(i="b", facts=DEEP_ANSWER) + "]}", None),
    (WRONG_FIRST + ", 0, 0, " + '{"id": "b", "id": "c"}' + "]}", 64),
    (WRONG_FIRST + ", 0, " + '"\\udc80"' + "]}", None),
    (WRONG_FIRST + ", 0, [1,]]}", None),
    (WRONG_FIRST + ", 0, ]}", None),
    (APP.format(i="a", facts="{}") + ", ]}", None),  # trailing commas
    ('{"schema_version": 1, "applications": [], }', None),
    # nested thousands of levels deep where nothing is kept: placed where the limit is passed
    (APP.format(i="a", facts="{}")[:-1] + ', "blockers": ' + "[" * 5000 + "]" * 5000 + "}]}", None),
    # a key repeated at the top is the first repeated key in the file, and found as its object closes
    ('{"schema_version": 1, "x": 1, "x": 2, "applications": [' + APP_ENTRY.format(i="a", facts="{}")
     + ', {"id": "b", "id": "c"}]}', None),
    ('{"schema_version": 1, "x": 1, "x": 2, "applications": [], "organization": {"a": 1, "a": 2}}', None),
    ('{"schema_version": 1, "k": 1, "k": 2, "applications": []} x', None),
    # nesting too deep anywhere, not only in answers, and the first in the file
    (APP.format(i="a", facts="{}")[:-1] + ', "blockers": ' + "[" * 110 + "]" * 110 + "}]}", None),
    ('{"schema_version": 1, "applications": [], "x": ' + "[" * 110 + "]" * 110 + "}", None),
    (WRONG_FIRST + ", " + "[" * 110 + "]" * 110 + "]}", None),
    (APP.format(i="a", facts="{}") + ", " + APP_ENTRY.format(i="b", facts=DEEP_ANSWER) + ", "
     + "[" * 5000 + "]" * 5000 + "]}", 17),
    (APP.format(i="a", facts="{}") + ", " + "[" * 150 + "]" * 150 + ", " + "[" * 5000 + "]" * 5000 + "]}", None),
    (WRONG_FIRST + ', "a,b[c]d", ' + APP_ENTRY.format(i="b", facts='{"a": ' + "[" * 95 + "]" * 95 + "}") + "]}", None),
    # an integer of more digits than Python takes, cut by the end of the first 8 KB read
    ('{"schema_version": 1, "applications": [], "pad": "' + "x" * 8000 + '", "n": ' + "9" * 9000 + "}", 100),
])
def test_the_whole_document_and_the_lean_reader_agree_on_odd_files(tmp_path: Path, text: str,
                                                                   chunk: int | None) -> None:
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    found = lean(path, chunk)
    same(found, whole(text.encode()))


def test_a_syntax_error_far_into_a_long_application_is_named_as_such(tmp_path: Path, document: dict[str, Any],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    limits = Limits(max_bytes=4 * 1024 * 1024)  # the application is longer than a chunk
    document["applications"] = [{**a, "id": f"{a['id']}-{n}"} for n in range(8) for a in document["applications"]]
    document["applications"][0]["findings"][-1]["facts"] = "[1,}"  # far into the application's text
    text = text_of(document, "compact").replace('"facts":"[1,}"', '"facts":[1,}')
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    found = lean(path, 4096, limits)
    assert isinstance(found, Problem) and found.message == "invalid JSON: Expecting value"
    same(found, whole(text.encode(), limits))


def test_a_plan_given_as_an_inventory_is_named_too(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    made = CliRunner().invoke(app, ["plan", str(SAMPLE), "-f", "json", "-o", str(plan)])
    assert made.exit_code == 0, made.output
    run = CliRunner().invoke(app, ["assess", str(plan)])
    assert run.exit_code == 2
    assert run.output.startswith(f"{plan}:2:3: schema_version: written by checklist (a saved result or plan)")


def test_utf16_and_binary_files_are_refused_as_any_input_is(tmp_path: Path) -> None:
    for name, raw, said in (
            ("u16.json", '{"schema_version": 1}'.encode("utf-16"), "UTF-16 text; save the file as UTF-8"),
            ("nul.json", b'{"schema_version": 1, "x": "a\x00b"}', "binary data, expected a text file")):
        path = tmp_path / name
        path.write_bytes(raw)
        run = CliRunner().invoke(app, ["diff", str(path), str(path)])
        assert run.exit_code == 2
        assert run.output.strip() == f"{path}:1:1: {said}"


def test_space_and_fields_at_the_top_cost_little(tmp_path: Path) -> None:
    spaced = tmp_path / "spaced.json"
    spaced.write_text('{"schema_version": 1,' + " " * 5_000_000 + '"applications": []}', encoding="utf-8")
    found, peak = lean_with_peak(spaced)
    assert isinstance(found, Snapshot) and peak < 4_000_000  # a chunk or two; not the 5 MB of space
    fields = tmp_path / "fields.json"
    fields.write_text('{"schema_version": 1' + "".join(f', "k{i}": 0' for i in range(2000)) + "}", encoding="utf-8")
    found = lean(fields)
    assert isinstance(found, Problem)
    assert str(found).endswith(": more than 1,000 fields at the top of a saved result; checklist writes fewer than ten")


def test_a_duplicate_key_is_located_as_in_an_inventory(tmp_path: Path, document: dict[str, Any]) -> None:
    text = text_of(document, "indented")
    at = text.index('"verdict"', text.index('"id": "order-service"'))
    path = tmp_path / "r.json"
    path.write_text(text[:at] + '"verdict": "ready",\n' + text[at:], encoding="utf-8")
    found = lean(path)
    assert isinstance(found, Problem) and found.message == "duplicate key 'verdict'"
    index = [a["id"] for a in document["applications"]].index("order-service")
    assert found.path == f"applications[{index}]"
    same(found, whole(path.read_bytes()))


def test_a_byte_that_is_not_utf8_is_located_as_in_an_inventory(tmp_path: Path, document: dict[str, Any]) -> None:
    raw = text_of(document, "indented").encode()
    for needle in (b"Z\xc3\xbcrich \xe2\x98\x83 12", b'"owner"'):  # mid-line, and at the start of a line
        at = raw.index(needle) + 1
        bad = raw[:at] + b"\xe9" + raw[at:]
        path = tmp_path / "r.json"
        path.write_bytes(bad)
        with pytest.raises(ChecklistError) as refused:
            decode(bad, "r.json")
        for chunk in (None, 100, 4096):
            found = lean(path, chunk)
            assert found == refused.value.problems[0]
            assert "byte 0xe9 ('é' in Latin-1?) is not UTF-8" in str(found)


def test_a_result_larger_than_an_input_is_read_with_the_defaults(tmp_path: Path, document: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(document))
    doc["applications"] = [{**a, "id": f"{a['id']}-{n}"} for n in range(5) for a in document["applications"]]
    path = tmp_path / "big.json"
    path.write_text(text_of(doc, "compact"), encoding="utf-8")
    assert path.stat().st_size > 1024 * 1024
    run = CliRunner().invoke(app, ["--max-input-mb", "1", "diff", str(path), str(path)])
    assert run.exit_code == 0, run.output
    assert "No changes: 75 applications" in run.stdout
    inventory = CliRunner().invoke(app, ["--max-input-mb", "1", "assess", str(path)])  # not an inventory either way
    assert inventory.exit_code == 2


def test_a_result_over_twenty_times_the_input_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b'{"schema_version": 1, "applications": [' + b" " * 8192)
        handle.truncate(21 * 1024 * 1024)  # sparse: the rest is not on the disk
    run = CliRunner().invoke(app, ["--max-input-mb", "1", "diff", str(path), str(path)])
    assert run.exit_code == 2
    assert run.output.strip() == (f"{path}:1:1: 21 MB is more than the 20 MB a saved result may have; "
                                  "raise the limit with 'checklist --max-input-mb N …'")


def test_one_application_over_the_input_limit_is_refused(tmp_path: Path, document: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(document))
    doc["applications"][2]["name"] = "x" * 1_200_000
    path = tmp_path / "r.json"
    path.write_text(text_of(doc, "indented"), encoding="utf-8")
    run = CliRunner().invoke(app, ["--max-input-mb", "1", "diff", str(path), str(path)])
    assert run.exit_code == 2
    assert run.output.strip().endswith(": applications[2]: more than the 1 MB one part of a saved result may "
                                       "have; raise the limit with 'checklist --max-input-mb N …'")


@pytest.mark.parametrize("values", [100_000, 1_000_000])  # the part cut and parsed; told from its brackets
def test_an_application_of_too_many_values_is_refused_before_they_are_built(
        tmp_path: Path, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch, values: int) -> None:
    limits = Limits(max_nodes=values)
    head = text_of({"schema_version": 1, "applications": [document["applications"][0]]}, "compact")[:-2]
    bomb = head + ',{"id":"bomb","score":1,"verdict":"ready","findings":[' + ",".join(["[]"] * 2 * values) + "]}]}"
    path = tmp_path / "r.json"
    path.write_text(bomb, encoding="utf-8")
    found, peak = lean_with_peak(path, limits)
    # The value past the limit: the application, its four members, then the lists.
    column = len(head) + len(',{"id":"bomb","score":1,"verdict":"ready","findings":[') + 3 * (values - 5) + 1
    assert str(found) == (f"r.json:1:{column}: applications[1]: more than {values:,} values in one "
                          "part of a saved result; raise the limit with 'checklist --max-nodes N …'")
    # Building the lists would take 64 bytes each. A part cut at the limit is parsed up to there
    # (at most the limit's values); a part of more than two million characters only once its
    # brackets say it is whole, so none but the first megabyte's lists are built.
    if values >= 1_000_000:
        assert peak < 0.3 * 2 * values * 64


@settings(SETTINGS, max_examples=200)
@given(value=st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\,: ab'),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(alphabet='[]{}"\\ab'),
                                                                                   inner, max_size=4)),
       after=st.sampled_from(["", ",[1]", ',{"a":[]}', "]"]), data=st.data())
def test_whether_a_value_ends_and_how_deep_it_nests_is_told_from_its_brackets(value: Any, after: str,
                                                                     data: st.DataObject) -> None:
    text = json.dumps(value)
    cut = data.draw(st.integers(1, len(text) + len(after)))
    piece = data.draw(st.integers(1, 20))  # the text is looked at this many characters at a time
    with mock.patch.object(results, "_PIECE", piece):
        ends = results._ends_within("  " + (text + after)[:cut], 2, cut + 2, DEFAULT_LIMITS.max_depth)
        assert ends == (cut >= len(text) or not text.startswith(("[", "{")))
        if cut >= len(text):
            deepest = max((len(p) for p in paths_in(value)), default=0)
            levels = data.draw(st.integers(0, 4))
            assert results._nested_deeper_than(text, 0, len(text), levels) == (deepest > levels)


@pytest.mark.parametrize(("text", "deepest"), [
    ('{"a": [{"b": []}]}', 4), ("[[[]], {}]", 3), ('["]]]", [["[["]]]', 3), ('{"k": "\\\\", "l": [[{}]]}', 4)])
def test_how_deep_a_value_nests_is_told_level_by_level(text: str, deepest: int) -> None:
    for piece in (1, 3, 1 << 20):
        with mock.patch.object(results, "_PIECE", piece):
            assert results._nested_deeper_than(text, 0, len(text), deepest - 1)
            assert not results._nested_deeper_than(text, 0, len(text), deepest)


def paths_in(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of each list or mapping in `value`, itself included (a path of one step)."""
    if not isinstance(value, list | dict):
        return []
    here = (*path, 0)
    items = value.values() if isinstance(value, dict) else value
    return [here] + [p for item in items for p in paths_in(item, here)]


def test_an_application_of_megabytes_is_read(tmp_path: Path, document: dict[str, Any]) -> None:
    document["applications"][4]["name"] = "long " * 700_000
    document["applications"][5]["findings"][0]["facts"] = {"tags": [["a", {"b": []}]] * 200_000}
    raw = text_of(document, "compact").encode()
    path = tmp_path / "r.json"
    path.write_bytes(raw)
    found = lean(path)
    assert isinstance(found, Snapshot) and found.applications[document["applications"][4]["id"]].name.startswith("long")
    same(found, whole(raw))


def test_the_values_kept_from_a_result_are_limited_like_those_of_an_input(tmp_path: Path,
                                                                        document: dict[str, Any],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    document["applications"] = [{**a, "id": f"{a['id']}-{n}"} for n in range(5) for a in document["applications"]]
    path = tmp_path / "r.json"
    path.write_text(text_of(document, "compact"), encoding="utf-8")
    full = lean(path)
    assert isinstance(full, Snapshot)

    def values(value: Any) -> int:
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        return 1 + sum(map(values, items))

    # Above the values of any one application, below those kept from all of them.
    limit = max(map(values, document["applications"])) + 1
    kept = list(itertools.accumulate(count_values(a) for a in full.applications.values()))
    assert kept[-1] > limit
    found = lean(path, limits=Limits(max_nodes=limit))
    crossing = next(i for i, k in enumerate(kept) if k > limit)
    assert isinstance(found, Problem) and found.path == f"applications[{crossing}]"
    assert found.message == (f"more than {limit:,} values to compare in one saved result; "
                             "raise the limit with 'checklist --max-nodes N …'")


def test_a_result_with_its_keys_reordered_is_read_whole(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "sorted.json"
    path.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
    assert results.read_result(path, "sorted.json", ORG_FACTS) is None
    run = CliRunner().invoke(app, ["diff", str(path), str(SAMPLE), "-f", "json"])
    assert run.exit_code == 0, run.output
    assert {a["change"] for a in json.loads(run.stdout)["applications"]} == {"same"}


def test_a_diff_of_hundreds_of_changes_is_listed_one_line_each(tmp_path: Path, document: dict[str, Any]) -> None:
    before = json.loads(json.dumps(document))
    before["applications"] = [{**a, "id": f"{a['id']}-{n}"} for n in range(20) for a in document["applications"]]
    after = json.loads(json.dumps(before))
    for entry in after["applications"]:
        entry["score"] = round(entry["score"] - 1.5, 1)
    for finding in after["applications"][0]["findings"]:
        if "os_family" in finding["facts"]:
            finding["facts"]["os_family"] = "windows"
    paths = []
    for name, doc in (("before.json", before), ("after.json", after)):
        paths.append(tmp_path / name)
        paths[-1].write_text(text_of(doc, "compact"), encoding="utf-8")
    run = CliRunner().invoke(app, ["diff", *map(str, paths)])
    assert run.exit_code == 0, run.output
    lines = run.stdout.splitlines()
    first = document["applications"][0]
    row = next(line for line in lines if line.startswith(f"  {first['id']}-0 "))
    assert row.split()[1:3] == ["changed", f"{first['score']:.1f}"]
    assert f"({-1.5:+.1f})" in row
    assert lines[lines.index(row) + 1].strip() == "os_family: linux → windows"
    assert sum(" changed " in line for line in lines) == 300


def test_a_saved_result_of_any_size_is_named_as_such_where_an_inventory_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # 300 MB, over the 50 MB an inventory may have; sparse
        handle.write(b'\xef\xbb\xbf\n{ "schema_version": 1, "applications": [')
        handle.truncate(300 * 1024 * 1024)
    for command in (["assess", str(path)], ["report", str(path), "-f", "md"], ["validate", str(path)]):
        run = CliRunner().invoke(app, command)
        assert run.exit_code == 2
        assert run.output.strip() == (f"{path}:2:3: schema_version: written by checklist (a saved result or "
                                      "plan), not an inventory: compare results with 'checklist diff BEFORE "
                                      "AFTER', or give the inventory they were made from")


@pytest.mark.parametrize("number", ["1.5", "1e5", "1E+5", "-0.25", "12.5e-3"])
def test_a_number_cut_anywhere_by_the_end_of_a_read_is_read_whole(tmp_path: Path, number: str) -> None:
    head, tail = '{"schema_version": 1, "applications": [], "pad": "', '", "n": '
    path = tmp_path / "r.json"
    for cut in range(1, len(number)):  # the first 8 KB read ends after `cut` characters of it
        text = head + "x" * (8192 - len(head) - len(tail) - cut) + tail + number + "}"
        path.write_text(text, encoding="utf-8")
        found = lean(path, 64)
        assert isinstance(found, Snapshot), (cut, found)
        same(found, whole(text.encode()))


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list whose one number counts the values the lean reader parses from now on."""
    parses = [0]
    parse = results._Result.value

    def counted(self: Any, pos: int, where: Any, **options: Any) -> Any:
        parses[0] += 1
        return parse(self, pos, where, **options)

    monkeypatch.setattr(results._Result, "value", counted)
    return parses


def test_after_a_problem_the_rest_of_the_applications_is_parsed_as_one(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A wrong first application, then 200,000 tiny ones: they used to be parsed one by one
    # (a 20 MB file of them took 46 s to refuse).
    text = WRONG_FIRST + ", 0" * 200_000 + "]}"
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    parses = count_parses(monkeypatch)
    found = lean(path)
    assert str(found) == "r.json:1:61: applications[0].score: expected a score from 0 to 100"
    same(found, whole(text.encode()))
    assert parses[0] < 10
    # Past the values one part may have, the problem found is the one reported.
    assert lean(path, limits=Limits(max_nodes=50_000)) == found


@pytest.mark.parametrize(("rest", "said"), [
    # escapes of whole surrogate pairs, as JSON written in ASCII has them: nothing to place
    ([APP_ENTRY.format(i=f"\\ud83d\\ude00{n}", facts="{}") for n in range(2000)], "applications[0].score"),
    # an answer nested too deep is placed, then the rest is parsed as one again
    ([APP_ENTRY.format(i="b", facts=DEEP_ANSWER)] + ["0"] * 2000, "nested more than"),
    ([APP_ENTRY.format(i="b", facts="{}")] * 3 + ['"\\udc80"'] + ["0"] * 2000, "surrogate"),
    # an escaped backslash before a pair's escape
    ([APP_ENTRY.format(i=f"C:\\\\tmp \\ud83d\\ude00{n}", facts="{}") for n in range(2000)], "applications[0].score"),
])
def test_what_must_be_placed_in_the_rest_costs_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        rest: list[str], said: str) -> None:
    text = WRONG_FIRST + "," + ",".join(rest) + "]}"
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    parses = count_parses(monkeypatch)
    found = lean(path)
    same(found, whole(text.encode()))
    assert isinstance(found, Problem) and said in found.message + found.path
    assert parses[0] < 20


def test_a_trailing_comma_is_placed_as_the_json_module_of_the_python_running_places_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Python 3.13's json names a trailing comma at the comma; 3.10 to 3.12 at the bracket after it.
    monkeypatch.setattr(results, "_TRAILING", {"]": (True, "Illegal trailing comma before end of array"),
                                               "}": (True, "Illegal trailing comma before end of object")})
    path = tmp_path / "r.json"
    for text, message in ((APP.format(i="a", facts="{}") + ",\n  ]}", "array"),  # read one by one
                          (WRONG_FIRST + " ,\n  ]}", "array"),  # the rest read as one
                          ('{"schema_version": 1, "applications": [] ,\n }', "object")):
        path.write_text(text, encoding="utf-8")
        comma = text.rindex(",")
        assert str(lean(path)) == f"r.json:1:{comma + 1}: invalid JSON: Illegal trailing comma before end of {message}"


def test_a_part_is_measured_in_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"schema_version": 1, "applications": [], "n": "' + "😀" * 300_000 + '"}', encoding="utf-8")
    found = lean(path, limits=Limits(max_bytes=1024 * 1024))
    assert str(found) == ("r.json:1:48: n: more than the 1 MB one part of a saved result may have; "
                               "raise the limit with 'checklist --max-input-mb N …'")  # 1.2 MB in 300,000 characters


def test_long_keys_at_the_top_are_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"schema_version": 1, "applications": []'
                    + "".join(f', "{chr(97 + c) * 2_000_000}": 0' for c in range(16)) + "}", encoding="utf-8")
    found, peak = lean_with_peak(path)
    assert isinstance(found, Snapshot)
    assert peak < 16_000_000  # a few keys' worth while reading; the sixteen of 2 MB were all kept


def test_the_rest_read_as_one_part_builds_no_mappings(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(WRONG_FIRST + ', {"k": []}' * 300_000 + "]}", encoding="utf-8")
    found, peak = lean_with_peak(path)
    assert str(found) == "r.json:1:61: applications[0].score: expected a score from 0 to 100"
    # The text is 3.6 MB; what is left is copies of it. Mappings built took 85 MB.
    assert peak < 45_000_000


def test_a_byte_that_is_not_utf8_comes_first_wherever_it_is(tmp_path: Path) -> None:
    raw = b'{"schema_version": 1, "applications": [1,}' + b" " * 3_000_000 + b'"\xff"'
    path = tmp_path / "r.json"
    path.write_bytes(raw)
    found = lean(path)
    assert "byte 0xff" in str(found)
    same(found, whole(raw))

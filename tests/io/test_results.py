"""Saved results as `checklist diff` and `report --baseline` read them.

A result checklist wrote is decoded against the shape a diff reads, and must give what
reading the whole document gives; a broken one is refused at the line and column that
reading it whole names (it is read whole to place the problem), or, over the size an
input may have, with the decoder's words at the byte it stopped.
"""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from helpers import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checklist.cli import app
from checklist.commands.diff import load_snapshot
from checklist.core.errors import ChecklistError, Problem
from checklist.core.snapshot import Snapshot, count_values, snapshot_of_document
from checklist.io import results
from checklist.io.catalog import load_catalog
from checklist.io.source import DEFAULT_LIMITS, Limits, decode, parse

SAMPLE = REPO / "samples" / "portfolio.yaml"
CATALOG = load_catalog([])
ORG_FACTS = [f.id for f in CATALOG.facts_for("organization")]
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


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> Snapshot | Problem:
    """What `checklist diff` makes of `path`: its snapshot, or the first problem it names."""
    try:
        return load_snapshot(str(path), CATALOG, limits)
    except ChecklistError as error:
        return error.problems[0]


def whole(raw: bytes, label: str, limits: Limits = DEFAULT_LIMITS) -> Snapshot | Problem:
    """What reading the whole document makes of the same bytes."""
    try:
        source = parse(decode(raw, label), label, "json", limits)
        return snapshot_of_document(source.data, label, ORG_FACTS, source.problem)
    except ChecklistError as error:
        return error.problems[0]


def same(a: Snapshot | Problem, b: Snapshot | Problem) -> None:
    assert a == b
    if isinstance(a, Snapshot) and isinstance(b, Snapshot):
        assert list(a.applications) == list(b.applications)  # in the order of the file


@SETTINGS
@given(layout=st.sampled_from(["indented", "compact", "sorted"]), bom=st.booleans())
def test_a_result_decoded_for_a_diff_is_the_result_read_whole(tmp_path_factory: pytest.TempPathFactory,
                                                              layout: str, bom: bool) -> None:
    doc = json.loads(sample_result())
    text = json.dumps(doc, sort_keys=True) if layout == "sorted" else text_of(doc, layout)  # as `jq -S` writes it
    raw = ("\ufeff" if bom else "").encode() + text.encode()
    path = tmp_path_factory.mktemp("r") / "r.json"
    path.write_bytes(raw)
    found = results.read_result(path, str(path), ORG_FACTS)  # decoded, not read whole
    assert isinstance(found, Snapshot) and len(found.applications) == 15
    assert found.applications["order-service"].facts["logging_target"] == "local_files"
    assert found.applications["order-service"].confidence is not None
    same(found, whole(raw, str(path)))


@SETTINGS
@given(layout=st.sampled_from(["indented", "compact"]), data=st.data())
def test_a_broken_result_is_refused_at_the_line_and_column_reading_it_whole_names(
        tmp_path_factory: pytest.TempPathFactory, layout: str, data: st.DataObject) -> None:
    text = text_of(json.loads(sample_result()), layout)
    at = data.draw(st.integers(40, len(text) - 1))  # after the head that says it is a result
    edit = data.draw(st.sampled_from(["replace", "insert", "delete", "cut", "byte"]))
    char = data.draw(st.sampled_from([*'#,:[]{}"0a \n-\t\\', "\\u", "\\ud800", '"score":"x"', "1e", "tru", "NaN"]))
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
    same(read(path), whole(broken, str(path)))


@SETTINGS
@given(layout=st.sampled_from(["indented", "compact"]), bom=st.booleans(), block=st.integers(9, 40_000))
def test_a_large_result_decoded_an_application_at_a_time_is_the_result_read_whole(
        tmp_path_factory: pytest.TempPathFactory, layout: str, bom: bool, block: int) -> None:
    raw = ("\ufeff" if bom else "").encode() + text_of(json.loads(sample_result()), layout).encode()
    path = tmp_path_factory.mktemp("r") / "r.json"
    path.write_bytes(raw)
    # as a result over 16 MB is read: the compact layout a block at a time, another whole
    with mock.patch.object(results, "STREAM_FROM", 0), mock.patch.object(results, "_BLOCK", block):
        found = results.read_result(path, str(path), ORG_FACTS)
    assert isinstance(found, Snapshot) and len(found.applications) == 15
    same(found, whole(raw, str(path)))


@SETTINGS
@given(data=st.data())
def test_a_large_broken_result_is_refused_never_read_wrong(tmp_path_factory: pytest.TempPathFactory,
                                                          data: st.DataObject) -> None:
    text = text_of(json.loads(sample_result()), "compact")
    at = data.draw(st.integers(40, len(text) - 1))
    char = data.draw(st.sampled_from([*'#,:[]{}"0a -\\', "},{", '},{"id":"x"', "}]", '"score":"x"', "1e", "NaN"]))
    edit = data.draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
    broken = text[:at] if edit == "cut" else text[:at] + ("" if edit == "delete" else char) + \
        text[at + (edit != "insert"):]
    path = tmp_path_factory.mktemp("r") / "r.json"
    path.write_bytes(broken.encode())
    # over the input limit, so that the decoder's own refusal is what is reported
    with mock.patch.object(results, "STREAM_FROM", 0), mock.patch.object(results, "_BLOCK", 4096):
        found = read(path, Limits(max_bytes=64 * 1024))
    expected = whole(broken.encode(), str(path))
    if isinstance(found, Snapshot):  # what decodes is what reading whole reads
        same(found, expected)
    else:
        assert isinstance(expected, Problem), (found, expected)
        assert found.line >= 1 or found.path or "values" in found.message, found


def test_the_lines_of_a_result_with_each_kind_of_mistake(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "r.json"

    def refusal(edit: Any) -> str:
        doc = json.loads(json.dumps(document))
        edit(doc)
        path.write_text(text_of(doc, "indented"), encoding="utf-8", errors="backslashreplace")  # a lone surrogate
        found = read(path)
        assert isinstance(found, Problem), found
        same(found, whole(path.read_bytes(), str(path)))
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
    assert refusal(lambda d: apps(d)[4].update(id=apps(d)[1]["id"])).endswith(
        "applications[4].id: application 'customer-portal' appears twice in this result; a saved result lists each "
        "application once")


APP_ENTRY = '{{"id": "{i}", "score": 1, "verdict": "ready", "findings": [{{"facts": {facts}}}]}}'
APP = '{{"schema_version": 1, "applications": [' + APP_ENTRY
WRONG_FIRST = APP.format(i="a", facts="{}").replace('"score": 1', '"score": -1')  # a first application out of shape


@pytest.mark.parametrize("text", [
    '\n\n {"schema_version": 1}',  # no applications: placed where the document starts
    '{"schema_version": 1, "\\udc80": 1, "applications": []}',  # a lone surrogate as a key
    '{"schema_version": 1, "applications": [{"id": "a", "score": 1}], "x": [1,}',  # JSON, then shape
    '{"schema_version": 1, "x": 1, "x": 2, "applications": [], "y": [1,}',  # a repeated key, then JSON
    WRONG_FIRST + ", 0, " + '"\\udc80"' + "]}",
    WRONG_FIRST + ", 0, [1,]]}",
    APP.format(i="a", facts="{}") + ", ]}",  # trailing commas
    '{"schema_version": 1, "applications": [], }',
    APP.format(i="a", facts="{}")[:-1] + ', "blockers": ' + "[" * 5000 + "]" * 5000 + "}]}",  # thousands deep
    '{"schema_version": 1, "applications": [], "organization": {"score": "x"}}',
    APP.format(i="a", facts='{"n": 1e400}') + "]}",  # an answer no float holds
    APP.format(i="a", facts='{"n": NaN}') + "]}",
    '{"schema_version": 1, "applications": [1,}' + " " * 3_000_000 + '"\xff"',  # a bad byte comes first
])
def test_the_whole_document_and_the_diff_agree_on_odd_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    same(read(path), whole(path.read_bytes(), str(path)))


def test_a_repeated_key_in_a_result_is_read_as_json_readers_read_it(tmp_path: Path, document: dict[str, Any]) -> None:
    # The one difference from reading whole (which refuses it, as an inventory's would be):
    # a result is checklist's own output, decoded at speed; the last of a repeated key wins.
    text = text_of(document, "indented")
    at = text.index('"verdict"', text.index('"id": "order-service"'))
    path = tmp_path / "r.json"
    path.write_text(text[:at] + '"verdict": "not_suitable",\n' + text[at:], encoding="utf-8")
    found = read(path)
    assert isinstance(found, Snapshot)
    assert found.applications["order-service"].verdict == document["applications"][
        [a["id"] for a in document["applications"]].index("order-service")]["verdict"]


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


@pytest.mark.parametrize(("edit", "said"), [
    ('"verdict": "ready"', "not a saved result checklist can read: JSON is malformed: expected ':'"),
    ('"score": 1', "not a saved result checklist can read: Expected `float`, got `str` - at "
                   "`$.applications[4].score`"),
])
def test_a_broken_result_larger_than_an_input_is_refused_in_one_line(tmp_path: Path, document: dict[str, Any],
                                                                      edit: str, said: str) -> None:
    doc = json.loads(json.dumps(document))
    doc["applications"] = [{**a, "id": f"{a['id']}-{n}"} for n in range(5) for a in document["applications"]]
    doc["applications"][4].update(verdict="ready", score=1)
    text = text_of(doc, "indented")
    at = text.index(edit, text.index(f'"id": "{doc["applications"][4]["id"]}"'))
    broken = text[:at] + ('"verdict" "ready"' if "verdict" in edit else '"score": "1"') + text[at + len(edit):]
    path = tmp_path / "big.json"
    path.write_text(broken, encoding="utf-8")
    run = CliRunner().invoke(app, ["--max-input-mb", "1", "diff", str(path), str(path)])
    assert run.exit_code == 2
    (line,) = run.output.splitlines()
    assert said in line
    if "malformed" in said:  # placed where the decoder stopped: "ready" where a colon belongs
        assert line.startswith(f"{path}:{broken[:at].count(chr(10)) + 1}:{at - broken.rindex(chr(10), 0, at) + 10}: ")


def test_a_result_over_twenty_times_the_input_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b'{"schema_version": 1, "applications": [' + b" " * 8192)
        handle.truncate(21 * 1024 * 1024)  # sparse: the rest is not on the disk
    run = CliRunner().invoke(app, ["--max-input-mb", "1", "diff", str(path), str(path)])
    assert run.exit_code == 2
    assert run.output.strip() == (f"{path}:1:1: 21 MB is more than the 20 MB a saved result may have; "
                                  "raise the limit with 'checklist --max-input-mb N …'")


def test_an_application_of_megabytes_is_read(tmp_path: Path, document: dict[str, Any]) -> None:
    document["applications"][4]["name"] = "long " * 700_000
    document["applications"][5]["findings"][0]["facts"] = {"tags": [["a", {"b": []}]] * 200_000}
    raw = text_of(document, "compact").encode()
    path = tmp_path / "r.json"
    path.write_bytes(raw)
    found = read(path)
    assert isinstance(found, Snapshot) and found.applications[document["applications"][4]["id"]].name.startswith("long")
    same(found, whole(raw, str(path)))


def test_the_values_kept_from_a_result_are_limited_like_those_of_an_input(tmp_path: Path,
                                                                        document: dict[str, Any]) -> None:
    document["applications"] = [{**a, "id": f"{a['id']}-{n}"} for n in range(5) for a in document["applications"]]
    path = tmp_path / "r.json"
    path.write_text(text_of(document, "compact"), encoding="utf-8")
    full = read(path)
    assert isinstance(full, Snapshot)

    def values(value: Any) -> int:
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        return 1 + sum(map(values, items))

    # Above the values of any one application, below those kept from all of them.
    limit = max(map(values, document["applications"])) + 1
    kept = list(itertools.accumulate(count_values(a) for a in full.applications.values()))
    assert kept[-1] > limit
    crossing = next(i for i, k in enumerate(kept) if k > limit)
    with pytest.raises(ChecklistError) as refused:
        results.read_result(path, "r.json", ORG_FACTS, Limits(max_nodes=limit))
    (problem,) = refused.value.problems
    assert problem.path == f"applications[{crossing}]"
    assert problem.message == (f"more than {limit:,} values to compare in one saved result; "
                               "raise the limit with 'checklist --max-nodes N …'")


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


def test_two_large_results_read_side_by_side_diff_as_read_one_after_the_other(
        tmp_path: Path, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from checklist.commands import diff

    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(text_of(document, "compact"), encoding="utf-8")
    document["applications"][0]["score"] = 1.5
    after.write_text(text_of(document, "compact"), encoding="utf-8")
    one_by_one = CliRunner().invoke(app, ["diff", str(before), str(after), "-f", "json"])
    monkeypatch.setattr(diff, "STREAM_FROM", 0)  # as two results over 16 MB are: one in a worker process
    monkeypatch.setattr(diff, "cores", lambda: 2)
    side_by_side = CliRunner().invoke(app, ["diff", str(before), str(after), "-f", "json"])
    assert side_by_side.exit_code == one_by_one.exit_code == 0, side_by_side.output
    assert side_by_side.stdout == one_by_one.stdout
    assert json.loads(side_by_side.stdout)["portfolio"]["changed"] == 1
    # both broken: the first side's problem is the one reported, as when read in turn
    before.write_text(text_of(document, "compact").replace('"score":', '"score" ', 1), encoding="utf-8")
    after.write_text(text_of(document, "compact")[:-5], encoding="utf-8")
    run = CliRunner().invoke(app, ["diff", str(before), str(after)])
    assert run.exit_code == 2
    assert run.output.startswith(f"{before}:1:")

"""Loading inventories: every mistake names its file, line and column, and what was expected.

Each case is a small inventory written to tmp_path; the expected line and
column are counted by hand in the text shown.
"""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import render
from hypothesis import given, settings
from hypothesis import strategies as st

from checklist.core.errors import ChecklistError, DocPath, Problem
from checklist.core.model import Catalog, Inventory
from checklist.io.catalog import load_catalog
from checklist.io.inventory import envelope_problems, inventory_schema, load_inventory
from checklist.io.schemas import validator_for

Writer = Callable[..., Path]


def problems(paths: list[Path], catalog: Catalog) -> list[Problem]:
    with pytest.raises(ChecklistError) as caught:
        load_inventory([str(p) for p in paths], catalog)
    return list(caught.value.problems)


def one_problem(paths: list[Path], catalog: Catalog) -> Problem:
    found = problems(paths, catalog)
    assert len(found) == 1, render(found)
    return found[0]


def check(problem: Problem, file: Path, line: int, column: int, *words: str, path: str | None = None) -> None:
    assert problem.file == str(file), problem
    assert (problem.line, problem.column) == (line, column), problem
    for word in words:
        assert word in problem.message, problem
    if path is not None:
        assert problem.path == path, problem


# ---------------------------------------------------------------- answers

APP_HEAD = """\
version: 1
applications:
  - id: billing-api
    answers:
"""

# answer line (5th line of the file, indented 6), (line, column), words, path
ANSWER_CASES = [
    pytest.param("      os_famly: linux\n", (5, 7),
                 ["unknown fact 'os_famly'", "did you mean 'os_family'?"], id="unknown-fact"),
    pytest.param("      os_family: linx\n", (5, 18),
                 ["'linx' is not an answer", "did you mean 'linux'?", "linux, mainframe, other_unix, windows"],
                 id="bad-choice"),
    pytest.param('      desktop_gui: "yes"\n', (5, 20),
                 ["expected true or false", "'yes'"], id="bool-as-string"),
    pytest.param("      startup_seconds: -5\n", (5, 24),
                 ["at least 0", "-5"], id="negative-number"),
    pytest.param("      startup_seconds: soon\n", (5, 24),
                 ["expected a number", "'soon'"], id="number-as-text"),
    pytest.param("      state_location: local_disk\n", (5, 23),
                 ["expected a list", "local_disk"], id="multi-as-scalar"),
    pytest.param("      state_location: [local_disk, lokal]\n", (5, 23),
                 ["'lokal' is not an answer"], id="bad-multi-value"),
    pytest.param("      kernel_dependencies: [none, kernel_modules]\n", (5, 28),
                 ["'none' cannot be combined"], id="exclusive-none-combined"),
    pytest.param("      state_location: [stateless, local_disk]\n", (5, 23),
                 ["'stateless' cannot be combined"], id="exclusive-stateless-combined"),
    pytest.param("      windows_container_hosts: true\n", (5, 7),
                 ["'windows_container_hosts' is answered once for the organization",
                  "organization.answers"], id="org-fact-in-app"),
]


@pytest.mark.parametrize(("line", "where", "words"), ANSWER_CASES)
def test_bad_application_answer(
    write: Writer, default_catalog: Catalog, line: str, where: tuple[int, int], words: list[str]
) -> None:
    inventory = write("inv.yaml", APP_HEAD + line)
    fact = line.split(":")[0].strip()
    check(one_problem([inventory], default_catalog), inventory, *where, *words,
          path=f"applications[0].answers.{fact}")


def test_app_fact_in_organization_answers(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", """\
        version: 1
        organization:
          name: Acme
          answers: {orchestrator: evaluating, os_family: linux}
        """)
    check(one_problem([inventory], default_catalog), inventory, 4, 39,
          "'os_family' is answered once for the application", path="organization.answers.os_family")


def test_bad_answers_in_json_are_located_too(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.json", """\
        {"version": 1,
         "applications": [
           {"id": "billing-api",
            "answers": {"os_family": "linux", "startup_seconds": "fast"}}
         ]}
        """)
    check(one_problem([inventory], default_catalog), inventory, 4, 58,
          "expected a number", path="applications[0].answers.startup_seconds")


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        pytest.param("inv.yaml", APP_HEAD + "      startup_seconds: .nan\n", (5, 24), id="yaml-nan"),
        pytest.param("inv.yaml", APP_HEAD + "      startup_seconds: .inf\n", (5, 24), id="yaml-inf"),
        pytest.param("inv.json", '{"applications": [{"id": "billing-api", "answers": {"startup_seconds": NaN}}]}',
                     (1, 72), id="json-nan"),
    ],
)
def test_a_number_answer_must_be_finite(
    write: Writer, default_catalog: Catalog, name: str, text: str, where: tuple[int, int]
) -> None:
    # NaN and infinity are no answer to "how many seconds": they must not reach the scores
    # (or the JSON report, where they are not valid JSON).
    inventory = write(name, text)
    check(one_problem([inventory], default_catalog), inventory, *where,
          path="applications[0].answers.startup_seconds")


def test_every_bad_answer_is_reported_in_document_order(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", APP_HEAD + "      os_family: linx\n      runs_as_root: maybe\n"
                      "      startup_seconds: -1\n")
    found = problems([inventory], default_catalog)
    assert [(p.line, p.column) for p in found] == [(5, 18), (6, 21), (7, 24)]


# ---------------------------------------------------------------- applications


def test_duplicate_app_id_across_two_files_names_both_places(write: Writer, default_catalog: Catalog) -> None:
    first = write("a.yaml", """\
        version: 1
        applications:
          - id: orders
          - id: billing-api
        """)
    second = write("b.yaml", """\
        applications:
          - id: search
          - id: billing-api
            name: Billing again
        """)
    problem = one_problem([first, second], default_catalog)
    check(problem, second, 3, 9, "application id 'billing-api' is already used at", f"{first}:4",
          path="applications[1].id")


def test_duplicate_app_id_in_one_file(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", """\
        applications:
          - id: billing-api
          - id: orders
          - id: billing-api
        """)
    check(one_problem([inventory], default_catalog), inventory, 4, 9,
          "'billing-api' is already used at", f"{inventory}:2", path="applications[2].id")


def test_depends_on_a_missing_app(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", """\
        applications:
          - id: orders-db
          - id: billing-api
            depends_on: [orders-db, order-db]
        """)
    check(one_problem([inventory], default_catalog), inventory, 4, 29,
          "'order-db' is not an application in the inventory", "did you mean 'orders-db'?",
          path="applications[1].depends_on[1]")


def test_dangling_dependencies_in_a_large_portfolio_get_the_same_hints(
        write: Writer, default_catalog: Catalog) -> None:
    # Above 200 ids the hints come from an index of the ids one edit away, not from
    # comparing each missing id with every id (minutes for a thousand of them).
    ids = [f"service-{i:04d}" for i in range(1000)] + ["billing-api", "orders-db", "inventory-sync"]
    wanted = {"biling-api": "billing-api", "billing-apis": "billing-api",  # a letter dropped, added
              "ordres-db": "orders-db", "inventory-synk": "inventory-sync",  # two swapped, one changed
              "legacy-crm": None}  # nothing near
    lines = ["applications:", *(f"  - id: {i}" for i in ids), "  - id: caller",
             f"    depends_on: [{', '.join(wanted)}]"]
    found = problems([write("inv.yaml", "\n".join(lines) + "\n")], default_catalog)
    hints = {p.message.split("'")[1]: p.message.partition("(did you mean ")[2][1:-3] or None for p in found}
    assert hints == wanted
    assert all(hint == next(iter(difflib.get_close_matches(word, ids, n=1)), None) for word, hint in wanted.items())


def test_problems_after_an_escaped_emoji_in_json_are_located(write: Writer, default_catalog: Catalog) -> None:
    # json.dumps writes an emoji as a pair of \\u escapes by default; this once sent every position to 1:1
    inventory = write("inv.json", """\
        {"applications": [
          {"id": "a", "name": "rocket \\ud83d\\ude80",
           "answers": {"os_family": "linx"}}]}
        """)
    check(one_problem([inventory], default_catalog), inventory, 3, 29, "'linx' is not an answer",
          path="applications[0].answers.os_family")


def test_depends_on_may_name_an_app_in_another_file(write: Writer, default_catalog: Catalog) -> None:
    first = write("a.yaml", "applications:\n  - id: billing-api\n    depends_on: [orders-db]\n")
    second = write("b.yaml", "applications:\n  - id: orders-db\n")
    inventory = load_inventory([str(first), str(second)], default_catalog)
    assert inventory.application("billing-api").depends_on == ("orders-db",)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("app_id", "column", "words"),
    [
        pytest.param('"Billing API"', 9, ["'Billing API' is not a valid id", "lowercase"], id="not-a-slug"),
        pytest.param("no", 9, ["expected text", "quote"], id="yaml-no-is-false"),
        pytest.param("42", 9, ["expected text", "quote"], id="a-number"),
    ],
)
def test_app_id_must_be_a_slug_written_as_text(
    write: Writer, default_catalog: Catalog, app_id: str, column: int, words: list[str]
) -> None:
    inventory = write("inv.yaml", f"version: 1\napplications:\n  - id: {app_id}\n    name: X\n")
    check(one_problem([inventory], default_catalog), inventory, 3, column, *words, path="applications[0].id")


def test_unknown_application_field(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "applications:\n  - id: billing-api\n    ownr: payments\n")
    check(one_problem([inventory], default_catalog), inventory, 3, 5,
          "unknown field 'ownr'", "did you mean 'owner'?")


def test_footprint_utilisation_is_a_share(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "applications:\n  - id: a\n    footprint: {vm_count: 2, avg_cpu_utilization: 35}\n")
    check(one_problem([inventory], default_catalog), inventory, 3, 51, "at most 1",
          path="applications[0].footprint.avg_cpu_utilization")


# ---------------------------------------------------------------- the file itself


def test_duplicate_yaml_key(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", APP_HEAD + "      os_family: linux\n      runtime: go\n      os_family: windows\n")
    check(one_problem([inventory], default_catalog), inventory, 7, 7,
          "duplicate key 'os_family'", "first defined at line 5")


def test_duplicate_json_key(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.json", """\
        {"version": 1,
         "applications": [
           {"id": "billing-api",
            "name": "Billing",
            "id": "orders"}
         ]}
        """)
    check(one_problem([inventory], default_catalog), inventory, 5, 5, "duplicate key 'id'")


def test_the_first_duplicate_json_key_in_the_file_is_the_one_reported(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.json", """\
        {"version": 1,
         "applications": [
           {"id": "a", "tags": [[], {}, {"x": 1, "y": [1, {"z": 2}]}], "answers": {"os_family": "linux",
            "os_family": "windows"}},
           {"id": "b", "id": "c"}
         ],
         "version": 2}
        """)
    check(one_problem([inventory], default_catalog), inventory, 4, 5, "duplicate key 'os_family'",
          path="applications[0].answers")


def test_invalid_yaml_syntax(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "version: 1\napplications:\n  - id: a\n\tname: tabbed\n")
    check(one_problem([inventory], default_catalog), inventory, 4, 1, "invalid YAML")


def test_invalid_yaml_unclosed_flow(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "applications:\n  - id: a\n    answers: {os_family: linux\n")
    problem = one_problem([inventory], default_catalog)
    assert problem.file == str(inventory)
    assert "invalid YAML" in problem.message
    assert problem.line >= 3


def test_invalid_json_syntax(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.json", """\
        {"version": 1,
         "applications": [
           {"id": "a",}
         ]}
        """)
    check(one_problem([inventory], default_catalog), inventory, 3, 15, "invalid JSON", "double quotes")


@pytest.mark.parametrize("content", ["", "\n", "# only a comment\n"], ids=["empty", "blank", "comment"])
def test_empty_file(write: Writer, default_catalog: Catalog, content: str) -> None:
    inventory = write("inv.yaml", content)
    check(one_problem([inventory], default_catalog), inventory, 1, 1, "empty inventory")


def test_non_utf8_bytes(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", b"version: 1\napplications:\n  - id: a\n    name: Caf\xe9 API\n")
    check(one_problem([inventory], default_catalog), inventory, 4, 14, "0xe9", "UTF-8")


def test_not_a_mapping(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "- id: a\n- id: b\n")
    check(one_problem([inventory], default_catalog), inventory, 1, 1, "expected a mapping")


def test_version_must_be_one(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "version: 2\napplications: []\n")
    check(one_problem([inventory], default_catalog), inventory, 1, 10, "expected 1", path="version")


def test_missing_file(tmp_path: Path, default_catalog: Catalog) -> None:
    problem = one_problem([tmp_path / "nope.yaml"], default_catalog)
    assert problem.file == str(tmp_path / "nope.yaml")
    assert "not found" in problem.message


def test_problems_from_several_files_are_all_reported(write: Writer, default_catalog: Catalog) -> None:
    first = write("a.yaml", "applications:\n  - id: a\n    answers: {os_family: linx}\n")
    second = write("b.yaml", "applications:\n  - id: b\n    answers: {runtime: cobl}\n")
    found = problems([first, second], default_catalog)
    assert [p.file for p in found] == [str(first), str(second)]


# ---------------------------------------------------------------- what loads


def load(paths: list[Path], catalog: Catalog) -> Inventory:
    return load_inventory([str(p) for p in paths], catalog)


def test_unknown_and_null_answers_load_but_are_not_known(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", APP_HEAD + "      os_family: linux\n      runtime: unknown\n"
                      "      startup_seconds: null\n      state_location: unknown\n      network_needs: []\n")
    (app,) = load([inventory], default_catalog).applications
    assert app.answers["runtime"] == "unknown"
    assert app.answers["startup_seconds"] is None
    assert dict(app.known) == {"os_family": "linux"}


def test_multi_answers_become_tuples_and_metadata_loads(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", """\
        version: 1
        organization:
          name: Acme
          answers: {orchestrator: evaluating, windows_container_hosts: false}
        applications:
          - id: billing-api
            name: Billing API
            owner: payments
            criticality: high
            footprint: {vm_count: 3, vcpu: 4, memory_gb: 16, disk_gb: 80, avg_cpu_utilization: 0.35}
            tags: [pci, web]
            answers:
              state_location: [external_services, local_disk]
              startup_seconds: 12
        """)
    loaded = load([inventory], default_catalog)
    assert loaded.organization.name == "Acme"
    assert dict(loaded.organization.known) == {"orchestrator": "evaluating", "windows_container_hosts": False}
    (app,) = loaded.applications
    assert (app.id, app.name, app.owner, app.criticality) == ("billing-api", "Billing API", "payments", "high")
    assert app.tags == ("pci", "web")
    assert app.footprint["avg_cpu_utilization"] == 0.35
    assert app.known["state_location"] == ("external_services", "local_disk")
    assert app.origin == f"{inventory}:6"


def test_a_byte_order_mark_is_accepted(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "\ufeffapplications:\n  - id: a\n    answers: {os_family: linux}\n".encode())
    (app,) = load([inventory], default_catalog).applications
    assert app.known == {"os_family": "linux"}


def test_name_defaults_to_id(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", "applications:\n  - id: billing-api\n")
    (app,) = load([inventory], default_catalog).applications
    assert app.name == "billing-api"


def test_dates_stay_strings(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("inv.yaml", """\
        applications:
          - id: 2024-01-31
            name: 2024-01-31
            tags: [2023-12-01, 2024-06-30T10:00:00]
        """)
    (app,) = load([inventory], default_catalog).applications
    assert app.id == "2024-01-31"
    assert app.name == "2024-01-31"
    assert app.tags == ("2023-12-01", "2024-06-30T10:00:00")


def test_a_directory_loads_its_files_recursively(write: Writer, tmp_path: Path, default_catalog: Catalog) -> None:
    write("inv/a.yaml", "applications:\n  - id: a\n")
    write("inv/team/b.json", '{"applications": [{"id": "b"}]}')
    write("inv/team/deeper/c.yml", "applications:\n  - id: c\n")
    write("inv/notes.txt", "not an inventory")
    loaded = load_inventory([str(tmp_path / "inv")], default_catalog)
    assert sorted(app.id for app in loaded.applications) == ["a", "b", "c"]
    assert len(loaded.files) == 3


def test_a_directory_without_inventories_is_an_error(tmp_path: Path, default_catalog: Catalog) -> None:
    (tmp_path / "inv").mkdir()
    with pytest.raises(ChecklistError) as caught:
        load_inventory([str(tmp_path / "inv")], default_catalog)
    assert "no inventory files found" in str(caught.value)


@pytest.mark.parametrize("unreadable", ["inv", "inv/team"])
def test_a_directory_that_cannot_be_read_is_an_error_not_an_empty_one(
        write: Writer, tmp_path: Path, default_catalog: Catalog, monkeypatch: pytest.MonkeyPatch,
        unreadable: str) -> None:
    import os

    write("inv/a.yaml", "applications:\n  - id: a\n")
    write("inv/team/b.yaml", "applications:\n  - id: b\n")
    denied = str(tmp_path / unreadable)
    scandir = os.scandir

    def refusing(path: Any = ".") -> Any:  # as a directory without the read permission is (tests run as root)
        if os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    with pytest.raises(ChecklistError) as caught:  # not the portfolio without team/'s applications
        load_inventory([str(tmp_path / "inv")], default_catalog)
    assert str(caught.value) == f"{denied}: cannot read this directory: Permission denied"


def test_two_organisation_blocks_are_an_error(write: Writer, default_catalog: Catalog) -> None:
    first = write("a.yaml", "version: 1\norganization:\n  name: Acme\n")
    second = write("b.yaml", "applications:\n  - id: a\norganization:\n  name: Other\n")
    check(one_problem([first, second], default_catalog), second, 3, 1,
          "second organisation block", f"the first is at {first}:", path="organization")


def test_inventory_of_only_an_organisation(write: Writer, default_catalog: Catalog) -> None:
    inventory = write("org.yaml", "organization:\n  name: Acme\n  answers: {secrets_manager: true}\n")
    loaded = load([inventory], default_catalog)
    assert loaded.applications == ()
    assert loaded.organization.known == {"secrets_manager": True}


# --- the envelope is refused exactly when the JSON Schema refuses it -------------------------

_ANY = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.floats(-1, 2, allow_nan=False)
    | st.sampled_from(["", "x", "web-1", "Web 1", "low", "high", "app\n"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "id", "name"]), inner,
                                                               max_size=2),
    max_leaves=6,
)


_ENVELOPE = st.fixed_dictionaries({}, optional={
    "version": _ANY,
    "organization": st.fixed_dictionaries({}, optional={"name": _ANY, "answers": _ANY}) | _ANY,
    "applications": st.lists(st.fixed_dictionaries({"id": _ANY}, optional={
        "name": _ANY, "criticality": _ANY, "depends_on": _ANY, "footprint": _ANY, "tags": _ANY, "answers": _ANY,
        "questionnaires": st.lists(st.fixed_dictionaries({}, optional={"name": _ANY, "answers": _ANY}) | _ANY,
                                   max_size=2) | _ANY,
    }) | _ANY, max_size=2) | _ANY,
}) | _ANY

VALID_APP = {"id": "web", "name": "Web", "owner": "ops", "criticality": "high", "depends_on": ["db"],
             "footprint": {"vm_count": 2, "vcpu": 4.5, "memory_gb": 0, "disk_gb": 10, "avg_cpu_utilization": 1},
             "tags": ["Language/Java"], "answers": {"os_family": "linux"},
             "questionnaires": [{"name": "Cloud Native", "answers": {"1.2": "No", "1.3": 1, "2.2": True}}]}
VALID_ENVELOPE = {"version": 1, "organization": {"name": "Acme", "answers": {}},
                  "applications": [VALID_APP, {"id": "db"}]}

DELETE = object()
# (path to a mapping or list, its key or index, the new value or DELETE): valid and invalid changes
NEAR_MISSES: list[tuple[tuple[Any, ...], Any, Any]] = [
    ((), "version", 2), ((), "version", True), ((), "version", "1"), ((), "version", 1.0), ((), "colour", 1),
    ((), "organization", None), ((), "organization", []), (("organization",), "name", 3),
    (("organization",), "answers", None), (("organization",), "answers", []), (("organization",), "colour", 1),
    ((), "applications", {}), ((), "applications", None), (("applications",), 1, "db"),
    (("applications", 0), "id", None), (("applications", 0), "id", "Web"), (("applications", 0), "id", "-web"),
    (("applications", 0), "id", "web\n"), (("applications", 0), "id", "a b"), (("applications", 0), "id", 7),
    (("applications", 0), "name", 1), (("applications", 0), "owner", None), (("applications", 0), "colour", 1),
    (("applications", 0), "criticality", "urgent"), (("applications", 0), "criticality", None),
    (("applications", 0), "depends_on", ["db", "db"]), (("applications", 0), "depends_on", "db"),
    (("applications", 0), "depends_on", [1]), (("applications", 0), "tags", [1]), (("applications", 0), "tags", "x"),
    (("applications", 0), "answers", None), (("applications", 0), "answers", []),
    (("applications", 0), "footprint", []), (("applications", 0, "footprint"), "colour", 1),
    (("applications", 0, "footprint"), "vcpu", -1), (("applications", 0, "footprint"), "vcpu", True),
    (("applications", 0, "footprint"), "vcpu", "4"), (("applications", 0, "footprint"), "avg_cpu_utilization", 1.01),
    (("applications", 0, "footprint"), "avg_cpu_utilization", 0.0), (("applications", 0), "depends_on", []),
    (("applications", 0), "tags", []), (("applications", 0), "id", "a.b_c-9"), ((), "applications", []),
    ((), "organization", {}), (("applications", 0), "name", None), (("applications", 0), "footprint", None),
    (("applications", 0), "id", DELETE), (("applications", 0), "name", DELETE), (("organization",), "name", DELETE),
    ((), "version", DELETE), ((), "applications", DELETE), ((), "organization", DELETE),
    (("applications", 0), "questionnaires", []), (("applications", 0), "questionnaires", {}),
    (("applications", 0), "questionnaires", ["x"]), (("applications", 0), "questionnaires", [{"name": "x"}]),
    (("applications", 0), "questionnaires", [{"answers": {}}]), (("applications", 0), "questionnaires", [{"name": ""}]),
    (("applications", 0), "questionnaires", [{"name": 3}]), (("applications", 0, "questionnaires", 0), "colour", 1),
    (("applications", 0, "questionnaires", 0), "answers", []),
    (("applications", 0, "questionnaires", 0), "answers", None),
    (("applications", 0, "questionnaires", 0, "answers"), "1.2", None),
    (("applications", 0, "questionnaires", 0, "answers"), "1.2", 1.5),
    (("applications", 0, "questionnaires", 0, "answers"), "1.2", 2.0),
    (("applications", 0, "questionnaires", 0, "answers"), "1.2", ["No"]),
    (("applications", 0), "questionnaires", DELETE),
]


@pytest.mark.parametrize(("path", "key", "value"), NEAR_MISSES)
def test_fast_envelope_check_agrees_with_the_schema_on_near_misses(path: tuple[Any, ...], key: Any,
                                                                    value: Any) -> None:
    data = copy.deepcopy(VALID_ENVELOPE)
    assert _envelope_ok(data) and next(_envelope_validator().iter_errors(data), None) is None
    target = functools.reduce(lambda node, step: node[step], path, data)
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    assert _envelope_ok(data) == (next(_envelope_validator().iter_errors(data), None) is None)


class _Anywhere:
    name = "inv.yaml"
    data = None

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem:
        return Problem(self.name, message, 1, 1)


def _envelope_ok(data: Any) -> bool:
    """What the loader makes of an inventory's envelope: accepted or not."""
    return not envelope_problems(data, _Anywhere())


@functools.cache
def _envelope_validator() -> Any:
    return validator_for(inventory_schema(load_catalog([]), with_answers=False))


@settings(max_examples=1000, deadline=None)
@given(_ENVELOPE)
def test_fast_envelope_check_agrees_with_the_schema(data: Any) -> None:
    assert _envelope_ok(data) == (next(_envelope_validator().iter_errors(data), None) is None)

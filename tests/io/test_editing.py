"""The interview's in-place editor: one answer changes one value, whatever the file's layout,
and a change the interview did not make is never written over."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from checklist.core.errors import ChecklistError
from checklist.io.editing import InventoryDocument, editing_lock
from checklist.io.source import load_yaml

# Layouts people write, each with an application `b` to answer for, an application `a` that must
# stay byte for byte, and the organisation.
LAYOUTS = {
    "block": "version: 1\norganization:\n  name: Acme\n  answers:\n    orchestrator: none\napplications:\n"
             "  - id: a\n    answers:\n      os_family: linux\n  - id: b\n    answers:\n      runtime: go\n",
    "wide dashes": "organization:\n    name: Acme\napplications:\n-   id: a\n    answers:\n        os_family: linux\n"
                   "-   id: b\n    answers:\n        runtime: go  # by hand\n",
    "flow items": "organization: {name: Acme}\napplications:\n  - {id: a, answers: {os_family: linux}}\n"
                  "  - {id: b, answers: {runtime: go}}  # b\n",
    "all flow": '{"organization": {"name": "Acme"}, "applications": [{"id": "a", "answers": {"os_family": "linux"}},'
                ' {"id": "b", "answers": {}}]}\n',
    "empty answers": "applications:\n  - id: a\n    answers: {}   # none yet\n  - id: b\n    answers: {}\n",
    "null answers": "applications:\n  - id: a\n    answers:\n  - id: b\n    answers: ~\n",
    "no answers": "applications:\n  - id: a\n    name: A\n  - id: b\n    name: B\n",
    "block lists": "applications:\n  - id: a\n    answers:\n      state_location:\n        - stateless\n"
                   "  - id: b\n    answers:\n      state_location:\n        - local_disk\n        - stateless\n"
                   "      # the rest later\n",
    "comments left": "applications:\n  - id: a\n# a comment at column 0 inside a's block\n"
                     "    answers: {os_family: linux}\n  - id: b\n# and one in b's\n    answers:\n      runtime: go\n",
    "tab before comment": "applications:\n  - id: a\n    answers:\n      os_family: linux\t# tab\n  - id: b\n"
                          "    answers:\n      runtime: go\t# tab\n",
    "crlf and bom": "\ufeffversion: 1\r\norganization:\r\n  name: Acme\r\napplications:\r\n  - id: a\r\n"
                    "    answers:\r\n      os_family: linux\r\n  - id: b\r\n    answers:\r\n      runtime: go\r\n",
    "no final newline": "applications:\n  - id: a\n  - id: b\n    answers:\n      runtime: go",
    "literal text": "applications:\n  - id: b\n    name: |\n      Line one\n      Line two\n\n"
                    "  - id: a\n    answers: {os_family: linux}\n",
    "organisation last": "applications:\n  - id: a\n  - id: b\norganization:\n  name: Acme\n",
    "merge into b": "applications:\n  - &a\n    id: a\n    answers:\n      os_family: linux\n  - <<: *a\n    id: b\n",
    "alias as b's answers": "applications:\n  - id: a\n    answers: &shared\n      os_family: linux\n"
                            "  - id: b\n    answers: *shared\n",
    "merge in b's answers": "applications:\n  - id: a\n    answers: &base {os_family: linux, runtime: go}\n"
                            "  - id: b\n    answers:\n      <<: *base\n      runtime: java\n",
    "other aliases": "x-tags: &tags [one]\napplications:\n  - id: a\n    tags: *tags\n  - id: b\n    tags: *tags\n"
                     "    answers: {runtime: go}\n",
}


def edited(text: str, change: Any, tmp_path: Path) -> str:
    raw = text.encode("utf-8")
    path = tmp_path / "inv.yaml"
    path.write_bytes(raw)
    document = InventoryDocument.load(path)
    document.prepare("b")
    change(document)
    document.save()
    return path.read_bytes().decode("utf-8")


def changed_region(before: str, after: str) -> tuple[int, int]:
    """The part of `before` that `after` replaces (empty for an insertion)."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(before), len(after)) - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    return prefix, len(before) - suffix


def regions(text: str, app_id: str | None) -> tuple[int, int]:
    """Where an application's (or the organisation's) text is, from PyYAML's node tree."""
    root = yaml.compose(text.removeprefix("\ufeff"), Loader=yaml.CSafeLoader)
    shift = len(text) - len(text.removeprefix("\ufeff"))

    def end(node: Any) -> int:
        if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
            return int(node.end_mark.index)
        last = node.value[-1]
        return end(last[1] if isinstance(node, yaml.MappingNode) else last)

    for key, value in root.value:
        if key.value == "organization" and app_id is None:
            return shift + key.start_mark.index, shift + end(value)
        if key.value == "applications":
            for item in value.value:
                if any(k.value == "id" and v.value == app_id for k, v in item.value):
                    return shift + item.start_mark.index, shift + end(item)
    return 0, 0


def data_of(text: str) -> Any:
    return load_yaml(text.removeprefix("\ufeff"))


def apps(data: Any) -> dict[str, Any]:
    return {a["id"]: a for a in data["applications"]}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize(("what", "value"), [("os_family", "windows"), ("runtime", "java"),
                                             ("state_location", ["stateless", "external_services"]),
                                             ("startup_seconds", 12.5), ("health_endpoint", False)])
def test_an_answer_changes_that_answer_and_nothing_else(layout: str, what: str, value: Any, tmp_path: Path) -> None:
    text = LAYOUTS[layout]
    after = edited(text, lambda d: d.set_answer("b", what, value), tmp_path)
    before, now = data_of(text), data_of(after)
    expected = apps(before)
    expected["b"] = {**expected["b"], "answers": {**(expected["b"].get("answers") or {}), what: value}}
    assert apps(now) == expected
    assert {k: v for k, v in now.items() if k != "applications"} == \
        {k: v for k, v in before.items() if k != "applications"}
    changed = changed_region(text, after)
    for other in regions(text, "a"), regions(text, None):  # a's text and the organisation's stay as written
        assert not (changed[0] < other[1] and other[0] < changed[1]), (changed, other)
    assert after.startswith("\ufeff") == text.startswith("\ufeff")
    assert after.count("\r\n") == after.count("\n") or "\r\n" not in text  # every line ends as the file's do


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_organisation_and_a_new_application_are_added_in_the_files_own_style(layout: str, tmp_path: Path) -> None:
    text = LAYOUTS[layout]

    def change(document: InventoryDocument) -> None:
        document.set_answer(None, "orchestrator", "orchestrated")
        document.add_application("c", "C: the new one", "", "high")
        document.set_answer("c", "os_family", "linux")
        document.set_answer("c", "runtime", "go")

    after = edited(text, change, tmp_path)
    before, now = data_of(text), data_of(after)
    assert now["organization"]["answers"]["orchestrator"] == "orchestrated"
    assert apps(now) == {**apps(before), "c": {"id": "c", "name": "C: the new one", "criticality": "high",
                                              "answers": {"os_family": "linux", "runtime": "go"}}}
    if layout == "wide dashes":
        assert "\n-   id: c\n    name: 'C: the new one'\n" in after
    if layout == "crlf and bom":
        assert after.startswith("\ufeff") and "\n" not in after.replace("\r\n", "")


def test_a_saved_file_is_the_old_text_with_only_the_answer_inserted(tmp_path: Path) -> None:
    text = LAYOUTS["crlf and bom"]
    after = edited(text, lambda d: d.set_answer("b", "os_family", "linux"), tmp_path)
    assert after == text.replace("      runtime: go\r\n", "      runtime: go\r\n      os_family: linux\r\n")


def test_answers_an_anchor_shares_with_another_application_are_refused_before_any_question(tmp_path: Path) -> None:
    text = LAYOUTS["alias as b's answers"]
    path = tmp_path / "inv.yaml"
    path.write_text(text)
    document = InventoryDocument.load(path)
    with pytest.raises(ChecklistError) as caught:
        document.prepare("a")  # a's answers are b's too: an answer for a would change b
    assert str(caught.value.problems[0]) == (
        f"{path}:3:14: applications.a: these answers are shared through the YAML anchor &shared with another "
        "part of the file, which an answer here would change too; replace the aliases (*shared) with a copy, "
        "then run the interview again")
    assert path.read_text() == text


def test_the_whole_application_merged_into_another_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(LAYOUTS["merge into b"])
    with pytest.raises(ChecklistError, match="shared through the YAML anchor &a"):
        InventoryDocument.load(path).prepare("a")


# ------------------------------------------------------------------ two writers


def open_twice(tmp_path: Path) -> tuple[Path, InventoryDocument, InventoryDocument]:
    path = tmp_path / "inv.yaml"
    path.write_text(LAYOUTS["block"])
    return path, InventoryDocument.load(path), InventoryDocument.load(path)


def test_a_save_over_a_file_changed_meanwhile_keeps_both_changes(tmp_path: Path) -> None:
    path, first, second = open_twice(tmp_path)
    first.set_answer("a", "runtime", "java")
    first.save()
    second.set_answer("b", "os_family", "windows")
    second.save()  # over what `first` wrote: it is read again, not written over
    now = apps(data_of(path.read_text()))
    assert now["a"]["answers"] == {"os_family": "linux", "runtime": "java"}
    assert now["b"]["answers"] == {"runtime": "go", "os_family": "windows"}
    assert second.reloads == 1 and first.reloads == 0


def test_an_edit_made_in_an_editor_meanwhile_is_kept(tmp_path: Path) -> None:
    path, document, _ = open_twice(tmp_path)
    document.set_answer("b", "os_family", "linux")
    document.save()
    by_hand = path.read_text().replace("  name: Acme\n", "  name: Acme Corp  # renamed\n") + "# notes\n"
    path.write_text(by_hand)
    document.set_answer("b", "runtime", "java")
    document.save()
    assert path.read_text() == by_hand.replace("      runtime: go\n", "      runtime: java\n")


@pytest.mark.parametrize(("meanwhile", "why"), [
    (lambda path: path.write_text("applications: [\n"), "it is no longer valid"),
    (lambda path: path.write_text("applications:\n  - id: a\n"), "no application 'b' in this inventory"),
    (lambda path: path.unlink(), "the file was removed"),
])
def test_a_file_changed_so_that_the_answer_has_no_place_is_left_as_it_is(
        tmp_path: Path, meanwhile: Any, why: str) -> None:
    path, document, _ = open_twice(tmp_path)
    meanwhile(path)
    left = path.read_bytes() if path.exists() else None
    document.set_answer("b", "os_family", "linux")
    with pytest.raises(ChecklistError) as caught:
        document.save()
    message = str(caught.value.problems[0])
    assert message.startswith(f"{path}: not saved: ") and why in message
    assert "the answer to os_family was not written, and the file was left as it is" in message
    assert (path.read_bytes() if path.exists() else None) == left


def test_a_second_interview_of_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    with editing_lock(path):
        with pytest.raises(ChecklistError) as caught, editing_lock(path):
            pass
        assert str(caught.value.problems[0]) == (
            f"{path}: another checklist interview or scan --into (process {os.getpid()}) is editing this file; "
            "wait until it ends, then run this one again")
    with editing_lock(path):  # free again once the first one ends, and no lock file is left behind
        pass
    assert [p.name for p in tmp_path.iterdir()] == []


def test_the_new_inventory_is_plain_yaml_that_validates(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    document = InventoryDocument.create(path, "Acme: the company")
    document.add_application("a", "A", "ops", "medium")
    document.set_answer("a", "os_family", "linux")
    document.save()
    assert yaml.safe_load(path.read_text()) == {
        "version": 1, "organization": {"name": "Acme: the company", "answers": {}},
        "applications": [{"id": "a", "name": "A", "owner": "ops", "criticality": "medium",
                          "answers": {"os_family": "linux"}}]}


def test_discovered_answers_are_replaced_and_removed_as_one_block(tmp_path: Path) -> None:
    text = LAYOUTS["wide dashes"]
    found = {"os_family": {"value": "linux", "evidence": [{"file": "Dockerfile, line", "line": 1, "text": "FROM x"}]},
             "state_location": {"value": ["stateless"], "evidence": [{"file": "a: b.py"}]}}
    after = edited(text, lambda d: d.set_discovered("b", found), tmp_path)
    assert apps(data_of(after))["b"]["discovered"] == found
    assert "- {file: 'Dockerfile, line', line: 1, text: FROM x}\n" in after  # one place a line
    again = edited(after, lambda d: d.set_discovered("b", {"os_family": found["os_family"]}), tmp_path)
    assert apps(data_of(again))["b"]["discovered"] == {"os_family": found["os_family"]}
    assert edited(again, lambda d: d.set_discovered("b", {}), tmp_path) == text

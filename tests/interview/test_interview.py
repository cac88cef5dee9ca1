"""The interview, driven through the real questionary prompts with prompt_toolkit's pipe input."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO
from prompt_toolkit.input import create_pipe_input
from rich.console import Console
from scripted import DOWN, ENTER, SPACE, Scripted

from checklist.commands import interview as command
from checklist.core.engine import evaluate
from checklist.core.model import Catalog, Fact
from checklist.interview.prompts import QuestionaryPrompter
from checklist.io.catalog import UNKNOWN
from checklist.io.inventory import load_inventory


@pytest.fixture
def pipe() -> Iterator[Any]:
    with create_pipe_input() as inp:
        yield inp


def interview(path: Path, prompter: Scripted, **options: Any) -> int:
    return command.run(command.Options(str(path), **options), prompter=prompter)


def app_answers(path: Path, app_id: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    return next(a for a in data["applications"] if a["id"] == app_id)["answers"]


def test_new_inventory_full_interview_validates_and_matches_assess(
    tmp_path: Path, pipe: Any, default_catalog: Catalog
) -> None:
    path = tmp_path / "inv.yaml"
    prompter = Scripted(pipe, texts=["Acme", "Billing API", "payments"])
    assert interview(path, prompter, app="billing-api") == 0
    inventory = load_inventory([str(path)], default_catalog)  # the saved file validates
    (app,) = inventory.applications
    assert (app.id, app.name, app.owner, app.criticality) == ("billing-api", "Billing API", "payments", "medium")
    org_facts = {f.id for f in default_catalog.facts_for("organization")}
    assert not org_facts & set(prompter.asked)  # an app owner is not asked the organisation's questions
    assert inventory.organization.answers == {}
    result = evaluate(default_catalog, inventory).applications[0]
    printed = prompter.out.getvalue()
    assert re.search(r"billing-api: \d\d questions, about \d+ minutes", printed)  # what will be asked, how long
    assert f"The organisation's {len(org_facts)} questions are not answered yet" in printed
    assert f"checklist interview {path} --org" in " ".join(printed.split())
    assert f"score {result.score.value:.1f}" in printed
    assert result.verdict.replace("_", " ") in printed
    assert "Step 6 of 19 · Fit · Confirm the app can share a Linux host kernel" in printed


def test_questions_come_grouped_by_step(tmp_path: Path, pipe: Any, default_catalog: Catalog) -> None:
    prompter = Scripted(pipe, texts=["Acme", "", ""])
    interview(tmp_path / "inv.yaml", prompter, app="x")
    steps = [default_catalog.facts[f].step for f in prompter.asked if default_catalog.facts[f].scope == "application"]
    assert steps == sorted(steps)


def test_skip_logic_follows_ask_when(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    # persistent_data's first choice is "none": no data, so no data size.
    prompter = Scripted(pipe, texts=["Acme", "", ""])
    interview(path, prompter, app="app")
    assert app_answers(path, "app")["persistent_data"] == "none"
    assert "data_size_gb" not in prompter.asked
    # A changed answer that makes the question relevant asks it.
    prompter = Scripted(pipe, overrides={"persistent_data": DOWN + ENTER, "data_size_gb": "250" + ENTER}, review=True)
    interview(path, prompter, app="app")
    assert prompter.asked.index("data_size_gb") == prompter.asked.index("persistent_data") + 1
    assert app_answers(path, "app")["data_size_gb"] == 250


def test_dont_know_is_stored_as_unknown_and_not_asked_again_with_only_missing(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    # "I don't know" is the last choice of os_family (4 choices), and a checkbox option for multi facts.
    overrides = {"os_family": DOWN * 4 + ENTER, "kernel_dependencies": DOWN * 5 + SPACE + ENTER,
                 "startup_seconds": "unknown" + ENTER}
    interview(path, Scripted(pipe, texts=["Acme", "", ""], overrides=overrides), app="app")
    answers = app_answers(path, "app")
    assert answers["os_family"] == UNKNOWN
    assert answers["kernel_dependencies"] == UNKNOWN
    assert answers["startup_seconds"] == UNKNOWN
    again = Scripted(pipe)
    interview(path, again, app="app", only_missing=True)
    assert again.asked == []


def test_reinterview_offers_current_answers_as_defaults(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    overrides = {"os_family": DOWN + ENTER, "startup_seconds": "42" + ENTER, "state_location": DOWN + SPACE + ENTER}
    interview(path, Scripted(pipe, texts=["Acme", "", ""], overrides=overrides), app="app")
    before = path.read_bytes()
    again = Scripted(pipe, review=True)  # Enter everywhere: keep every default
    interview(path, again, app="app")
    assert "os_family" in again.asked  # a finished interview reviewed is asked again in full
    assert path.read_bytes() == before
    assert app_answers(path, "app")["os_family"] == "windows"
    assert app_answers(path, "app")["startup_seconds"] == 42


def test_only_missing_asks_only_unanswered(tmp_path: Path, pipe: Any, write: Callable[..., Path]) -> None:
    path = write("inv.yaml", """
        version: 1
        organization: {name: Acme}
        applications:
          - id: app
            answers: {os_family: linux, runtime: go}
        """)
    prompter = Scripted(pipe)
    interview(path, prompter, app="app", only_missing=True)
    assert "os_family" not in prompter.asked and "runtime" not in prompter.asked
    assert "kernel_dependencies" in prompter.asked


def test_number_validation_rejects_text_and_negatives_then_accepts_a_number(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    keys = "abc\r" + "\x7f" * 3 + "-3\r" + "\x7f" * 2 + "7\r"  # refused, refused, accepted
    interview(path, Scripted(pipe, texts=["Acme", "", ""], overrides={"startup_seconds": keys}), app="app")
    assert app_answers(path, "app")["startup_seconds"] == 7


def test_multi_exclusive_values_cannot_be_combined(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    # none + kernel_modules is refused; unselecting none then confirms [kernel_modules].
    keys = SPACE + DOWN * 3 + SPACE + ENTER + "\x1b[A" * 3 + SPACE + ENTER
    interview(path, Scripted(pipe, texts=["Acme", "", ""], overrides={"kernel_dependencies": keys}), app="app")
    assert app_answers(path, "app")["kernel_dependencies"] == ["kernel_modules"]


HAND_WRITTEN = """\
# Our portfolio. Maintained by the platform team.
version: 1
organization:
  name: Acme   # legal name
  answers:
    container_skills: few_individuals
applications:
  # The first app: keep this comment.
  - id: first
    name: "First App"
    answers:
      os_family: linux    # checked with uname
      state_location: [stateless]
  - id: second
    answers:
      runtime: java
"""


def test_hand_written_inventory_keeps_comments_and_other_applications(
    tmp_path: Path, pipe: Any, default_catalog: Catalog
) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HAND_WRITTEN)
    interview(path, Scripted(pipe), app="second", only_missing=True)
    text = path.read_text()
    # Everything up to the second application is byte-for-byte what the user wrote.
    head = HAND_WRITTEN[: HAND_WRITTEN.index("  - id: second")]
    assert text.startswith(head.replace("    container_skills: few_individuals\n",
                                        text[text.index("  answers:\n") + 11: text.index("applications:")]))
    assert "# Our portfolio. Maintained by the platform team." in text
    assert "name: Acme   # legal name" in text
    assert "os_family: linux    # checked with uname" in text
    assert "  # The first app: keep this comment.\n  - id: first\n    name: \"First App\"" in text
    assert text.index("  - id: first") < text.index("  - id: second")
    inventory = load_inventory([str(path)], default_catalog)
    assert inventory.application("first").answers == {"os_family": "linux", "state_location": ["stateless"]}
    assert inventory.application("second").answers["runtime"] == "java"
    assert len(inventory.application("second").answers) > 30


def test_other_applications_are_untouched_byte_for_byte(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    full = HAND_WRITTEN.replace("    container_skills: few_individuals\n", "".join(
        f"    {f}\n" for f in (
            "business_case: informal", "executive_sponsor: true", "velocity_dip_planned: false",
            "container_skills: few_individuals", "portfolio_inventory: partial", "pilot_selected: false",
            "windows_container_hosts: false", "gpu_nodes: false", "sandboxed_runtime_pool: false",
            "dedicated_node_pools: false", "secrets_manager: true", "container_registry: planned",
            "ci_cd_containers: partial", "image_scanning: manual", "observability_platform: host_based",
            "container_security_baseline: none", "orchestrator: evaluating")))
    path.write_text(full)
    interview(path, Scripted(pipe), app="second", only_missing=True)
    text = path.read_text()
    before_second = full[: full.index("  - id: second")]
    assert text.startswith(before_second)  # the org block and the first app, byte for byte
    assert text[len(before_second):].startswith("  - id: second\n")
    assert "\n    answers:\n      runtime: java\n" in text[len(before_second):]


def test_organisation_mode_asks_every_org_question(tmp_path: Path, pipe: Any, default_catalog: Catalog) -> None:
    path = tmp_path / "inv.yaml"
    prompter = Scripted(pipe, texts=["Acme"])
    assert interview(path, prompter, org=True) == 0
    assert prompter.asked == [f.id for f in sorted(default_catalog.facts_for("organization"), key=lambda f: f.step)]
    assert "Organisation readiness" in prompter.out.getvalue()


def test_not_a_terminal_exits_2_and_touches_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "inv.yaml"
    done = subprocess.run([sys.executable, "-m", "checklist", "interview", str(path)], input="", text=True,
                          capture_output=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "needs a terminal" in done.stderr
    assert "checklist assess" in done.stderr
    assert not path.exists()


def test_application_using_an_anchor_elsewhere_is_still_saved_correctly(
    tmp_path: Path, pipe: Any, default_catalog: Catalog
) -> None:
    # `<<: *base` points outside the application's own block, so it cannot be
    # edited on its own: the whole file is round-tripped instead.
    path = tmp_path / "inv.yaml"
    path.write_text(
        "version: 1\n"
        "organization: {name: Acme}\n"
        "applications:\n"
        "  - id: base\n"
        "    answers: &base\n"
        "      os_family: linux   # the template\n"
        "      runtime: go\n"
        "  - id: child\n"
        "    answers:\n"
        "      <<: *base\n"
        "      runtime: java\n"
    )
    prompter = Scripted(pipe)
    interview(path, prompter, app="child", only_missing=True)
    assert "os_family" not in prompter.asked  # inherited through the merge key
    inventory = load_inventory([str(path)], default_catalog)
    assert inventory.application("base").answers == {"os_family": "linux", "runtime": "go"}
    child = inventory.application("child").answers
    assert child["runtime"] == "java" and child["os_family"] == "linux"
    assert "os_family: linux   # the template" in path.read_text()


def test_the_interview_ends_by_offering_a_markdown_report(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    prompter = Scripted(pipe, texts=["Acme", "Billing API", ""], overrides={"Save a report?": DOWN + ENTER})
    assert interview(path, prompter, app="billing-api") == 0
    report = tmp_path / "inv.billing-api.md"
    text = report.read_text()
    assert text.startswith("# Container readiness — Acme")
    assert "### Billing API" in text and "## Executive summary" not in text


def _composed_spans(text: str) -> dict[str | None, list[int]]:
    """Where each block is according to PyYAML's node tree: what `_scan` must find. A block is
    cut out from the start of its line (when only indentation and dashes stand before it there)
    to the end of its last value."""
    import re

    root = yaml.compose(text)
    spans: dict[str | None, list[int]] = {}

    def end(node: Any) -> int:  # a block collection ends with its last value; the parser's mark is further
        if isinstance(node, yaml.ScalarNode) or node.flow_style:
            return int(node.end_mark.index)
        last = node.value[-1]
        return end(last[1] if isinstance(node, yaml.MappingNode) else last)

    def start(index: int) -> int:
        line = text.rfind("\n", 0, index) + 1
        return line if re.fullmatch(r"[ \t]*(-[ \t]+)*", text[line:index]) else index

    for key, value in root.value:
        if key.value == "organization" and isinstance(value, yaml.MappingNode) and None not in spans:
            spans[None] = [start(key.start_mark.index), end(value)]
        if key.value == "applications" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if not isinstance(item, yaml.MappingNode):
                    continue
                found = [v.value for k, v in item.value if k.value == "id" and isinstance(v, yaml.ScalarNode)]
                if found and found[0] not in spans:
                    spans[found[0]] = [start(item.start_mark.index), end(item)]
    return spans


@pytest.mark.parametrize("text", [
    (REPO / "samples" / "portfolio.yaml").read_text(),
    "applications:\n- id: a\n  name: A   # a comment\n\n- {id: b, name: B}\n- id: 'c'\n  tags: [x, y]\n"
    "  answers:\n    runtime: go\n  # trailing comment\norganization:\n  name: Acme\n",
    "organization: {name: Acme}\napplications:\n  - name: first\n    id: \"quoted\"\n  - [not, a, mapping]\n"
    "  - id: last\n    footprint: {vm_count: 2}",
    "? [complex, key]\n: 1\norganization:\n  answers:\n    orchestrator: kubernetes\napplications: []\n",
    "organization: {}\napplications:\n  - ? {k: v}\n    : id\n    id: after-a-complex-key\n  - *x\n"
    .replace("- *x", "- &x {id: anchored}\n  - *x"),
])
def test_blocks_are_found_where_the_node_tree_puts_them(text: str) -> None:
    from checklist.io.editing import _scan

    spans, _ = _scan(text)
    assert spans == _composed_spans(text)
    assert None in spans  # every case has an organisation block


def test_a_second_interview_of_the_same_file_is_refused_while_the_first_runs(tmp_path: Path, pipe: Any) -> None:
    import os

    from checklist.core.errors import ChecklistError

    path = tmp_path / "inv.yaml"
    path.write_text(HAND_WRITTEN)
    refused: list[str] = []

    class First(Scripted):
        def ask_fact(self, fact: Fact, default: Any, progress: str) -> Any:
            if not refused:  # someone else starts the same interview while this one waits
                with pytest.raises(ChecklistError) as caught:
                    interview(path, Scripted(self.pipe), app="first")
                refused.append(str(caught.value.problems[0]))
            return super().ask_fact(fact, default, progress)

    assert interview(path, First(pipe), app="second", only_missing=True) == 0
    assert refused == [f"{path}: another checklist interview or scan --into (process {os.getpid()}) is editing "
                       "this file; wait until it ends, then run this one again"]
    assert len(app_answers(path, "second")) > 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.yaml"]  # no lock file left behind


def test_an_edit_made_while_the_interview_waits_is_never_reverted(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HAND_WRITTEN)

    class Colleague(Scripted):
        def ask_fact(self, fact: Fact, default: Any, progress: str) -> Any:
            if len(self.asked) == 3:  # an editor saves the file while the third question waits
                text = path.read_text().replace('name: "First App"', 'name: "First App, renamed"')
                path.write_text(text.replace("      runtime: java\n", "      runtime: go  # by hand\n"))
            return super().ask_fact(fact, default, progress)

    prompter = Colleague(pipe)
    assert interview(path, prompter, app="second", only_missing=True) == 0
    text = path.read_text()
    assert 'name: "First App, renamed"' in text and "runtime: go  # by hand" in text
    assert app_answers(path, "second")["runtime"] == "go"
    assert len(app_answers(path, "second")) > 30  # every answer given is there too
    assert "was changed by someone else while you answered" in prompter.out.getvalue()


def test_saving_a_report_never_replaces_a_file_of_another_kind(tmp_path: Path, pipe: Any) -> None:
    from checklist.core.errors import ChecklistError

    path = tmp_path / "inv.yaml"
    path.write_text(HAND_WRITTEN)
    other = tmp_path / "inv.second.json"
    other.write_text('{"version": 1, "applications": [{"id": "kept"}]}\n')  # someone's JSON inventory
    prompter = Scripted(pipe, overrides={"Save a report?": DOWN + DOWN + ENTER})
    with pytest.raises(ChecklistError, match=r"inv\.second\.json: exists and is an inventory, catalog or other "
                                             "data file, not json output"):
        interview(path, prompter, app="second", only_missing=True)
    assert other.read_text() == '{"version": 1, "applications": [{"id": "kept"}]}\n'
    assert len(app_answers(path, "second")) > 30


def test_a_finished_application_offers_review_or_exit(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    interview(path, Scripted(pipe, texts=["Acme", "", ""]), app="app")
    before = path.read_bytes()
    again = Scripted(pipe)  # Enter: the default, exit
    assert interview(path, again, app="app") == 0
    assert again.asked == [] and path.read_bytes() == before
    assert re.fullmatch(r"All \d+ questions for app are answered\.", again.selects[0])


def test_resuming_says_how_far_and_the_counter_continues(tmp_path: Path, pipe: Any, write: Callable[..., Path]) -> None:
    path = write("inv.yaml", """
        version: 1
        applications:
          - id: app
            answers: {dependencies_mapped: true, team_knowledge: active_development}
        """)
    progress: list[str] = []

    class Counting(Scripted):
        def ask_fact(self, fact: Fact, default: Any, position: str) -> Any:
            progress.append(position)
            return super().ask_fact(fact, default, position)

    prompter = Counting(pipe)
    interview(path, prompter, app="app")
    total = progress[0].split("/")[1]
    assert f"Resuming: 2 of {total} answered." in prompter.out.getvalue()
    assert progress[0] == f"3/{total}"  # not 1/…: the two answered count


def test_include_unknown_asks_the_dont_know_answers_again(tmp_path: Path, pipe: Any,
                                                           write: Callable[..., Path]) -> None:
    path = write("inv.yaml", """
        version: 1
        applications:
          - id: app
            answers: {os_family: unknown, runtime: go}
        """)
    prompter = Scripted(pipe, overrides={"os_family": DOWN + ENTER})  # from "I don't know" round to the first
    command.run(command.Options(str(path), "app", include_unknown=True), prompter=prompter)
    assert "os_family" in prompter.asked and "runtime" not in prompter.asked
    assert app_answers(path, "app")["os_family"] == "linux"


def test_a_yes_no_question_starts_on_i_dont_know(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    interview(path, Scripted(pipe, texts=["Acme", "", ""]), app="app")  # Enter on every question
    answers = app_answers(path, "app")
    assert answers["desktop_gui"] == UNKNOWN and answers["health_endpoint"] == UNKNOWN  # never a hurried yes
    assert answers["os_family"] == "linux"


def test_a_multi_select_says_what_was_chosen(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "inv.yaml"
    prompter = Scripted(pipe, texts=["Acme", "", ""], overrides={"state_location": DOWN + SPACE + DOWN + SPACE + ENTER})
    interview(path, prompter, app="app")
    labels = [c.label for c in command.load_catalog([]).facts["state_location"].choices[1:3]]
    assert f"chosen: {labels[0]}, {labels[1]}" in prompter.out.getvalue()


def test_the_summary_names_questions_not_fact_ids(tmp_path: Path, pipe: Any, default_catalog: Catalog) -> None:
    path = tmp_path / "inv.yaml"
    prompter = Scripted(pipe, texts=["Acme", "", ""])
    interview(path, prompter, app="app")
    unanswered = prompter.out.getvalue().split("questions still unanswered: ")[1]
    assert unanswered.startswith(f"“{default_catalog.facts['dependencies_mapped'].text}”")
    assert "dependencies_mapped" not in unanswered


def test_planning_facts_are_asked_and_saved(tmp_path: Path, pipe: Any, write: Callable[..., Path],
                                            default_catalog: Catalog) -> None:
    path = write("inv.yaml", """
        version: 1
        applications:
          - id: db
          - id: app
        """)
    prompter = Scripted(pipe, texts=["db", "3", "4", "16"],
                        overrides={"How critical is it to the business?": DOWN + ENTER})
    interview(path, prompter, app="app")
    app = load_inventory([str(path)], default_catalog).application("app")
    assert app is not None
    assert (app.criticality, app.depends_on) == ("high", ("db",))
    assert app.footprint == {"vm_count": 3, "vcpu": 4, "memory_gb": 16}


def test_prompts_wrap_at_words() -> None:
    prompter = QuestionaryPrompter(console=Console(file=io.StringIO(), width=40))
    text = "Does the application need a desktop or graphical interface on the server to run?"
    lines = prompter._wrap(text).split("\n")
    assert all(len(line) <= 40 for line in lines) and len(lines) > 1
    assert " ".join(line.strip() for line in lines) == text  # no word cut


SPREADSHEET = ("id,name,os_family,runtime\r\n"
               "first,\"First, the app\",linux,java\r\n"
               "second,Second,,\r\n"
               "third,Third,windows,dotnet\r\n")


def test_a_csv_row_is_edited_in_place_and_the_other_lines_kept(tmp_path: Path, pipe: Any,
                                                                default_catalog: Catalog) -> None:
    path = tmp_path / "apps.csv"
    path.write_bytes(SPREADSHEET.encode())
    assert interview(path, Scripted(pipe), app="second") == 0
    lines = path.read_bytes().decode().split("\r\n")
    before = SPREADSHEET.split("\r\n")
    assert lines[1] == before[1] and lines[3] == before[3]  # the other rows byte for byte, quotes and all
    assert lines[0].startswith("id,name,os_family,runtime,")  # new columns are added at the end
    inventory = load_inventory([str(path)], default_catalog)
    second = inventory.application("second")
    assert second is not None and second.answers["os_family"] == "linux" and len(second.answers) > 30
    assert inventory.application("first").answers == {"os_family": "linux", "runtime": "java"}  # type: ignore[union-attr]


def test_a_new_csv_inventory_is_a_csv(tmp_path: Path, pipe: Any, default_catalog: Catalog) -> None:
    path = tmp_path / "new.csv"
    assert interview(path, Scripted(pipe, texts=["", "team"]), app="web") == 0
    text = path.read_text()
    assert text.startswith("id,name,owner,criticality,")  # a CSV, not YAML under a .csv name
    (web,) = load_inventory([str(path)], default_catalog).applications
    assert (web.id, web.owner, web.answers["os_family"]) == ("web", "team", "linux")


def test_organisation_questions_on_an_applications_csv_say_where_they_go(tmp_path: Path, pipe: Any) -> None:
    path = tmp_path / "apps.csv"
    path.write_text(SPREADSHEET)
    with pytest.raises(command.UsageError) as caught:
        interview(path, Scripted(pipe), org=True)
    assert f"checklist interview {tmp_path / 'apps-organization.csv'} --org" in str(caught.value)
    assert path.read_bytes() == SPREADSHEET.encode()


def test_the_organisation_csv_is_interviewed_with_org(tmp_path: Path, pipe: Any, default_catalog: Catalog) -> None:
    org = tmp_path / "apps-organization.csv"
    assert interview(org, Scripted(pipe, texts=["Acme"]), org=True) == 0
    apps = tmp_path / "apps.csv"
    apps.write_text(SPREADSHEET)
    inventory = load_inventory([str(apps), str(org)], default_catalog)
    assert inventory.organization.name == "Acme"
    assert set(inventory.organization.answers) == {f.id for f in default_catalog.facts_for("organization")}
    prompter = Scripted(pipe)
    interview(apps, prompter, app="second")  # the organisation's CSV beside it is read, not asked about
    assert "The organisation's" not in prompter.out.getvalue()


def test_an_xlsx_row_is_edited_in_place(tmp_path: Path, pipe: Any, default_catalog: Catalog) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from checklist.cli import app as cli

    path = tmp_path / "apps.xlsx"
    assert CliRunner().invoke(cli, ["init", str(path)]).exit_code == 0
    book = load_workbook(path)
    sheet = book["applications"]
    sheet["A2"], sheet["A3"], sheet["B3"] = "first", "second", "Second"
    book.save(path)
    assert interview(path, Scripted(pipe), app="second") == 0
    inventory = load_inventory([str(path)], default_catalog)
    assert inventory.application("second").answers["os_family"] == "linux"  # type: ignore[union-attr]
    assert inventory.application("first").answers == {}  # type: ignore[union-attr]
    book = load_workbook(path)
    assert book["applications"]["B3"].value == "Second"
    assert book["applications"].data_validations.dataValidation  # the drop-downs are kept
    assert interview(path, Scripted(pipe, texts=["Acme"]), org=True) == 0  # the organization sheet
    assert load_inventory([str(path)], default_catalog).organization.answers

"""checklist diff and report --baseline: what changed between two assessments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from helpers import REPO
from typer.testing import CliRunner

from checklist.cli import app

SAMPLE = REPO / "samples" / "portfolio.yaml"


def diff(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["diff", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def edited(tmp_path: Path, name: str, edit: Any) -> Path:
    data = yaml.safe_load(SAMPLE.read_text())
    edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def saved_result(tmp_path: Path, inventory: Path) -> Path:
    out = tmp_path / f"{inventory.stem}.json"
    result = CliRunner().invoke(app, ["assess", str(inventory), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_an_inventory_against_itself_is_empty(tmp_path: Path) -> None:
    doc = diff(str(SAMPLE), str(SAMPLE))
    assert {a["change"] for a in doc["applications"]} == {"same"}
    assert all(not a["facts_changed"] and not a["steps_done"] and not a["steps_regressed"]
               for a in doc["applications"])
    p = doc["portfolio"]
    assert (p["added"], p["removed"], p["changed"], p["average_score_change"]) == (0, 0, 0, 0)
    text = CliRunner().invoke(app, ["diff", str(SAMPLE), str(SAMPLE)]).stdout
    assert "No changes" in text


def test_a_saved_result_and_the_inventory_it_came_from_are_the_same(tmp_path: Path) -> None:
    doc = diff(str(saved_result(tmp_path, SAMPLE)), str(SAMPLE))
    assert {a["change"] for a in doc["applications"]} == {"same"}


def test_changes_per_application_and_for_the_portfolio(tmp_path: Path) -> None:
    def improve(data: dict[str, Any]) -> None:
        apps = {a["id"]: a for a in data["applications"]}
        apps["order-service"]["answers"].update(logging_target="stdout", graceful_shutdown=True,
                                                 scheduled_jobs="none")  # what held it back (caps)
        apps["php-shop"]["answers"]["session_state"] = "external_store"
        apps["billing-api"]["answers"] = {**apps["billing-api"]["answers"], "health_endpoint": False}
        data["applications"] = [a for a in data["applications"] if a["id"] != "label-gateway"]
        data["applications"].append({"id": "new-app", "answers": {"os_family": "linux"}})

    after = edited(tmp_path, "after.yaml", improve)
    doc = diff(str(saved_result(tmp_path, SAMPLE)), str(after))
    apps = {a["id"]: a for a in doc["applications"]}
    order = apps["order-service"]
    assert order["change"] == "changed"
    assert order["facts_changed"] == {"logging_target": ["local_files", "stdout"], "graceful_shutdown": [False, True],
                                      "scheduled_jobs": ["in_app_scheduler", "none"]}
    assert (order["verdict_before"], order["verdict_after"]) == ("ready_with_changes", "ready")
    assert order["score_after"] > order["score_before"]
    assert apps["php-shop"]["facts_changed"] == {"session_state": ["in_memory", "external_store"]}
    assert apps["php-shop"]["score_after"] > apps["php-shop"]["score_before"]
    assert apps["billing-api"]["steps_regressed"] == [16]
    assert apps["label-gateway"]["change"] == "removed" and apps["label-gateway"]["score_after"] is None
    assert apps["new-app"]["change"] == "added" and apps["new-app"]["score_before"] is None
    assert apps["customer-db"]["change"] == "same"
    p = doc["portfolio"]
    assert (p["added"], p["removed"], p["changed"]) == (1, 1, 3)
    assert p["verdicts_up"] >= 1 and p["steps_regressed"] >= 1
    assert p["by_verdict"]["ready"]["after"] == p["by_verdict"]["ready"]["before"] + 1


def test_a_broken_saved_result_is_one_line_naming_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "applications": [{"id": "x", "score": "high", "verdict": "ready"}]}')
    result = CliRunner().invoke(app, ["diff", str(bad), str(SAMPLE)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{bad}:1:") and "score" in result.output
    missing = CliRunner().invoke(app, ["diff", str(tmp_path / "nope.yaml"), str(SAMPLE)])
    assert missing.exit_code == 2 and "not found" in missing.output


def test_a_saved_result_listing_an_application_twice_is_refused(tmp_path: Path) -> None:
    # Which of the two would the diff compare? Neither is a guess worth making.
    saved = saved_result(tmp_path, SAMPLE)
    document = json.loads(saved.read_text())
    document["applications"].append(document["applications"][0])
    for name, text in (("pretty.json", json.dumps(document, indent=2)),
                       ("keys-reordered.json", json.dumps(dict(reversed(list(document.items())))))):
        path = tmp_path / name
        path.write_text(text)
        result = CliRunner().invoke(app, ["diff", str(path), str(SAMPLE)])
        assert result.exit_code == 2, result.output
        first = document["applications"][0]["id"]
        assert f"application {first!r} appears twice in this result" in result.output
        assert result.output.startswith(f"{path}:")


def test_report_with_a_baseline_shows_progress_since(tmp_path: Path) -> None:
    def improve(data: dict[str, Any]) -> None:
        for entry in data["applications"]:
            if entry["id"] == "order-service":
                entry["answers"]["logging_target"] = "stdout"

    before = saved_result(tmp_path, SAMPLE)
    after = edited(tmp_path, "after.yaml", improve)
    for fmt, heading in (("md", "### Progress since"), ("html", "<h3>Progress since")):
        result = CliRunner().invoke(app, ["report", str(after), "-f", fmt, "--baseline", str(before),
                                          "--date", "2026-11-22"])
        assert result.exit_code == 0, result.output
        text = result.stdout
        assert heading in text and "Order Service" in text[text.index(heading):]
        # The progress belongs to the executive summary: before the 19 steps.
        assert text.index(heading) < text.index("## The 19 steps" if fmt == "md" else "<h2>The 19 steps</h2>")
    plain = CliRunner().invoke(app, ["report", str(after), "-f", "md"]).stdout
    assert "Progress since" not in plain


def test_report_never_writes_over_its_baseline(tmp_path: Path) -> None:
    before = saved_result(tmp_path, SAMPLE)
    content = before.read_bytes()
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "-f", "md", "--baseline", str(before),
                                      "-o", str(before)])
    assert result.exit_code == 2 and "input file" in result.output
    assert before.read_bytes() == content


def test_ids_from_a_saved_result_are_shown_as_written_not_as_markup(tmp_path: Path) -> None:
    saved = saved_result(tmp_path, SAMPLE)
    doc = json.loads(saved.read_text())
    doc["applications"][0]["id"] = "[/]x[bold red]y"
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(doc))
    result = CliRunner().invoke(app, ["diff", str(saved), str(odd)])
    assert result.exit_code == 0, result.output
    assert "  [/]x[bold red]y " in result.stdout


def test_several_files_a_side_with_confidence_and_step_names(tmp_path: Path, capsys: Any) -> None:
    from checklist.commands import diff

    org = tmp_path / "org.csv"
    org.write_text("fact,answer\nsecrets_manager,yes\n")
    before = tmp_path / "before.csv"
    before.write_text("id,os_family,session_state\nweb,linux,in_memory\n")
    after = tmp_path / "after.csv"
    after.write_text("id,os_family,session_state,runtime\nweb,linux,external_store,java\n")
    result = CliRunner().invoke(app, ["diff", "--before", str(org), "--before", str(before),
                                      "--after", str(org), "--after", str(after), "-f", "json"])
    assert result.exit_code == 0, result.output
    (web,) = json.loads(result.stdout)["applications"]
    assert web["confidence_after"] > web["confidence_before"]
    table = CliRunner().invoke(app, ["diff", "--before", str(org), "--before", str(before),
                                     "--after", str(org), "--after", str(after)], env={"COLUMNS": "160"})
    assert "Confidence" in table.stdout
    assert f"{web['confidence_before']:.0%} → {web['confidence_after']:.0%}" in table.stdout
    changed = tmp_path / "changed.yaml"
    changed.write_text(SAMPLE.read_text().replace("session_state: in_memory", "session_state: external_store"))
    diff.run(diff.Options([str(SAMPLE)], [str(changed)], width=240))
    assert "9 Move state out of the process: sessions" in capsys.readouterr().out  # a step with its name
    both = CliRunner().invoke(app, ["diff", str(before), str(after), "--before", str(org)])
    assert both.exit_code == 2

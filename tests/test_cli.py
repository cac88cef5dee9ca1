"""The command line: what a user sees, the JSON contract, exit codes, and one clean line per error.

Most commands run in-process through typer's CliRunner; a few run as a real
``python -m checklist`` process to check exit codes and stderr end to end.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from helpers import GOOD_ORG, REPO, TWELVE_FACTOR, write_file
from typer.testing import CliRunner, Result

from checklist import __version__
from checklist.cli import app
from checklist.core.model import Catalog

VERDICTS = {"ready", "ready_with_changes", "needs_refactoring", "needs_platform", "not_suitable",
            "insufficient_data"}
STRATEGIES = {"containerize", "replatform", "refactor", "retain_on_vm", "rewrite", "windows_containers",
              "sandboxed_runtime", "complete_assessment", "retain", "repurchase", "retire", "managed_service",
              "dedicated_nodes"}
MOVABLE = {"ready", "ready_with_changes", "needs_refactoring"}
STEP_STATUSES = {"done", "partly", "not_started", "unknown", "not_applicable"}
RESULTS = {"pass", "partial", "fail", "unknown", "not_applicable"}
CATEGORIES = {"statefulness", "isolation", "platform", "delivery", "operations", "organisation"}
SEVERITIES = {"blocker", "major", "minor"}
EFFORTS = {"small", "medium", "large"}

PORTFOLIO = {
    "version": 1,
    "organization": {"name": "Acme", "answers": GOOD_ORG},
    "applications": [
        {"id": "web-api", "name": "Web API", "owner": "platform", "answers": TWELVE_FACTOR},
        {"id": "legacy-files", "name": "Legacy file service", "depends_on": ["web-api"],
         "answers": TWELVE_FACTOR | {"state_location": ["local_disk"], "session_state": "in_memory",
                                     "logging_target": "local_files", "config_source": ["config_files"],
                                     "startup_seconds": 90, "graceful_shutdown": False}},
        {"id": "win-portal", "name": "Windows portal",
         "answers": TWELVE_FACTOR | {"os_family": "windows", "runtime": "dotnet_framework"}},
        {"id": "sparse", "answers": {"os_family": "linux", "runtime": "python", "startup_seconds": 5}},
    ],
}

runner = CliRunner()


def cli(*args: object, stdin: str | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def strict_json(text: str) -> Any:
    """Parse JSON as other tools will: NaN and Infinity are not JSON."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def run_process(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "checklist", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "portfolio.yaml"
    return write_file(path, yaml.safe_dump(PORTFOLIO, sort_keys=False))


@pytest.fixture(scope="module")
def document(inventory: Path) -> dict[str, Any]:
    result = cli("assess", inventory, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = strict_json(result.stdout)
    return data


def one_decimal(value: float) -> bool:
    return isinstance(value, int | float) and round(value, 1) == value


# ---------------------------------------------------------------- version


def test_version() -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"checklist {__version__}"


def test_version_as_a_process(tmp_path: Path) -> None:
    done = run_process("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"checklist {__version__}"
    assert done.stderr == ""



def test_ctrl_c_while_a_module_loads_still_exits_130_and_cleans_up(inventory: Path, tmp_path: Path) -> None:
    """A Ctrl-C that lands while Python builds a dataclass (an exec() of generated code)
    is reported like any other: one line and exit code 130, not death by SIGINT. Run with
    -m, as `python -m checklist` is: that is where CPython 3.11 gets it wrong. Exit
    handlers still run, and objects in reference cycles are still freed (WeasyPrint
    removes a temporary folder of fonts that way)."""
    (tmp_path / "interrupted_run.py").write_text(
        "import atexit, sys\n"
        "from pathlib import Path\n"
        "from checklist import cli\n"
        "from checklist.commands import assess\n"
        "class Cycle:\n"
        "    def __del__(self):\n"
        "        Path('freed').touch()\n"
        "cycle = Cycle()\n"
        "cycle.me = cycle\n"
        "del cycle\n"
        "atexit.register(Path('exit-handler-ran').touch)\n"
        "assess.run = lambda *args, **kwargs: exec('raise KeyboardInterrupt')\n"
        f"sys.argv = ['checklist', 'assess', {str(inventory)!r}]\n"
        "cli.main()\n")
    done = subprocess.run([sys.executable, "-m", "interrupted_run"], cwd=tmp_path, capture_output=True, text=True)
    assert (done.returncode, done.stderr, done.stdout) == (130, "checklist: interrupted\n", "")
    assert (tmp_path / "freed").exists() and (tmp_path / "exit-handler-ran").exists()


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_during_a_write_leaves_no_temporary_file(inventory: Path, tmp_path: Path,
                                                                    name: str) -> None:
    """`kill` or a closed terminal in the middle of writing a result: the temporary file is
    removed, as for Ctrl-C, one line says why, and the exit code is 128 + the signal's number."""
    (tmp_path / "killed_run.py").write_text(
        "import os, signal, sys\n"
        "from checklist import cli\n"
        "from checklist.io import output\n"
        "whole = output._write_pieces\n"
        "def halfway(handle, data):\n"
        "    handle.write(b'{' * 100_000)\n"
        f"    os.kill(os.getpid(), signal.{name})\n"
        "    whole(handle, data)\n"
        "output._write_pieces = halfway\n"
        f"sys.argv = ['checklist', 'assess', {str(inventory)!r}, '-f', 'json', '-o', 'out.json']\n"
        "cli.main()\n")
    done = subprocess.run([sys.executable, "-m", "killed_run"], cwd=tmp_path, capture_output=True, text=True)
    number = int(getattr(__import__("signal"), name))
    assert (done.returncode, done.stderr, done.stdout) == (128 + number, f"checklist: stopped by {name}\n", "")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "__pycache__") == ["killed_run.py"]


# ---------------------------------------------------------------- assess --format json: the contract


def test_json_document_shape(document: dict[str, Any], default_catalog: Catalog) -> None:
    assert document["schema_version"] == 2
    assert document["catalog"] == {"name": default_catalog.name, "version": default_catalog.version}
    org = document["organization"]
    assert org["name"] == "Acme"
    assert {"name", "score", "confidence", "steps", "findings"} <= set(org)
    assert [a["id"] for a in document["applications"]] == ["web-api", "legacy-files", "win-portal", "sparse"]
    for application in document["applications"]:
        assert {"id", "name", "score", "confidence", "verdict", "strategy", "blockers", "steps", "findings",
                "remediations"} <= set(application)
    assert {"applications", "average_score", "by_verdict"} <= set(document["portfolio"])


def test_json_enums_and_numbers(document: dict[str, Any]) -> None:
    org = document["organization"]
    for entity in [org, *document["applications"]]:
        assert 0 <= entity["score"] <= 100 and one_decimal(entity["score"]), entity["score"]
        assert 0 <= entity["confidence"] <= 1
        for step in entity["steps"]:
            assert 1 <= step["step"] <= 19
            assert step["status"] in STEP_STATUSES
        for finding in entity["findings"]:
            assert finding["result"] in RESULTS
            assert finding["category"] in CATEGORIES
            assert finding["severity"] in SEVERITIES
            assert isinstance(finding["message"], str) and finding["message"]
            assert isinstance(finding["facts"], dict) and finding["facts"]
    for application in document["applications"]:
        assert application["verdict"] in VERDICTS
        assert application["strategy"] in STRATEGIES
        for blocker in application["blockers"]:
            assert blocker["strategy"] in STRATEGIES
        for remedy in application["remediations"]:
            assert remedy["effort"] in EFFORTS
            assert remedy["gain"] >= 0 and one_decimal(remedy["gain"])
            assert remedy["text"]
        gains = [r["gain"] for r in application["remediations"]]
        assert gains == sorted(gains, reverse=True), "remediations are ranked by gain"
    assert set(document["portfolio"]["by_verdict"]) <= VERDICTS


def test_every_rule_is_a_finding_in_catalog_order(document: dict[str, Any], default_catalog: Catalog) -> None:
    app_rules = [r.id for r in default_catalog.rules if r.scope == "application"]
    org_rules = [r.id for r in default_catalog.rules if r.scope == "organization"]
    assert [f["rule"] for f in document["organization"]["findings"]] == org_rules
    for application in document["applications"]:
        assert [f["rule"] for f in application["findings"]] == app_rules
        for finding in application["findings"]:
            rule = default_catalog.rule(finding["rule"])
            assert rule is not None
            assert (finding["step"], finding["category"], finding["severity"]) == (
                rule.step, rule.category, rule.severity)
            assert set(finding["facts"]) == set(rule.facts)


def test_findings_record_the_answers_they_read(document: dict[str, Any]) -> None:
    legacy = next(a for a in document["applications"] if a["id"] == "legacy-files")
    local_disk = next(f for f in legacy["findings"] if f["rule"] == "state-local-disk")
    assert local_disk["result"] == "fail"
    assert local_disk["facts"] == {"state_location": ["local_disk"], "local_disk_data": None, "workload_kind": None}
    assert "state-local-disk" in [r["rule"] for r in legacy["remediations"]]


def test_blockers_are_the_failing_blocker_findings(document: dict[str, Any]) -> None:
    for application in document["applications"]:
        failing = [f["rule"] for f in application["findings"]
                   if f["severity"] == "blocker" and f["result"] == "fail"]
        assert [b["rule"] for b in application["blockers"]] == failing
        if failing:  # a failing blocker decides at any confidence
            assert application["verdict"] in ("not_suitable", "needs_platform")
            assert application["verdict_reason"]["decided_by"] == "blocker"
            assert set(application["verdict_reason"]["rules"]) <= set(failing)


def test_json_score_is_the_weighted_share_of_its_findings(document: dict[str, Any]) -> None:
    credit = {"pass": 1, "partial": 0.5, "fail": 0}
    for application in document["applications"]:
        known = [f for f in application["findings"] if f["result"] in credit]
        applicable = [f for f in application["findings"] if f["result"] != "not_applicable"]
        known_weight = sum(f["weight"] for f in known)
        earned = sum(f["weight"] * credit[f["result"]] for f in known)
        expected = round(100 * earned / known_weight, 1) if known_weight else 0.0
        assert application["score"] == expected
        assert application["confidence"] == pytest.approx(
            known_weight / sum(f["weight"] for f in applicable), abs=0.0051)  # rounded to 2 decimals


def test_portfolio_summary(document: dict[str, Any]) -> None:
    apps = document["applications"]
    portfolio = document["portfolio"]
    assert portfolio["applications"] == len(apps)
    movable = [a["score"] for a in apps if a["verdict"] in MOVABLE]
    assert portfolio["average_score"] == round(sum(movable) / len(movable), 1)
    assert portfolio["average_over"] == len(movable)
    headline = {h["verdict"]: h["applications"] for h in portfolio["headline"]}
    assert headline == {v: sum(a["verdict"] == v for a in apps) for v in headline}
    assert sum(headline.values()) == len(apps)
    for verdict in VERDICTS:
        assert portfolio["by_verdict"].get(verdict, 0) == sum(a["verdict"] == verdict for a in apps)


def test_verdicts_of_the_sample_portfolio_make_sense(document: dict[str, Any]) -> None:
    by_id = {a["id"]: a for a in document["applications"]}
    assert by_id["web-api"]["verdict"] == "ready"
    assert by_id["win-portal"]["strategy"] == "windows_containers"
    assert by_id["sparse"]["verdict"] == "insufficient_data"
    assert by_id["legacy-files"]["score"] < by_id["web-api"]["score"]


def test_table_format_names_every_application(inventory: Path) -> None:
    result = cli("assess", inventory)
    assert result.exit_code == 0
    for app_id in ("web-api", "legacy-files", "win-portal", "sparse"):
        assert app_id in result.stdout
    assert "\x1b[" not in result.stdout, "no colour codes when stdout is not a terminal"


def test_names_cannot_send_escape_sequences_to_the_terminal(tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inv.yaml", yaml.safe_dump({
        "organization": {"name": "Acme\x1b]0;pwned\x07"},
        "applications": [{"id": "a", "name": "Red \x1b[31mALERT\x1b[0m\x1b[2J", "answers": TWELVE_FACTOR}],
    }))
    for args in (["assess", inventory], ["explain", inventory, "--app", "a"]):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "ALERT" in result.stdout


def test_stdin_as_input(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(PORTFOLIO, sort_keys=False)
    from_yaml = cli("assess", "-", "--format", "json", stdin=text)
    assert from_yaml.exit_code == 0, from_yaml.output
    assert strict_json(from_yaml.stdout)["applications"] == document["applications"]
    from_json = cli("assess", "-", "--format", "json", stdin=json.dumps(PORTFOLIO))
    assert from_json.exit_code == 0, from_json.output
    assert strict_json(from_json.stdout)["applications"] == document["applications"]


# ---------------------------------------------------------------- assess options


def test_app_option_assesses_only_that_app(inventory: Path) -> None:
    result = cli("assess", inventory, "--app", "legacy-files", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [a["id"] for a in data["applications"]] == ["legacy-files"]
    assert data["portfolio"]["applications"] == 1


def test_unknown_app_is_a_usage_error_with_a_suggestion(inventory: Path) -> None:
    result = cli("assess", inventory, "--app", "legacy-file")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'legacy-file'" in result.stderr
    assert "did you mean 'legacy-files'?" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_fail_under_is_a_gate_on_the_lowest_movable_score(inventory: Path, document: dict[str, Any]) -> None:
    movable = [a for a in document["applications"] if a["verdict"] in MOVABLE]
    lowest = min(movable, key=lambda a: a["score"])
    stay = [a["id"] for a in document["applications"] if a["verdict"] not in MOVABLE]
    assert stay, "the inventory has applications that cannot move"
    at = cli("assess", inventory, "--format", "json", "--fail-under", lowest["score"])
    assert at.exit_code == 1, "an application that cannot move fails any --fail-under"
    assert lowest["id"] not in at.stderr
    assert sorted(line.split()[2] for line in at.stderr.splitlines()) == sorted(stay)
    above = cli("assess", inventory, "--format", "json", "--fail-under", round(lowest["score"] + 0.1, 1))
    assert above.exit_code == 1
    assert f"{lowest['id']} scores {lowest['score']:.1f}, below --fail-under" in above.stderr
    assert json.loads(above.stdout)["schema_version"] == 2, "the report is still printed"


def test_fail_under_fails_what_cannot_move_whatever_its_score(tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inv.yaml", yaml.safe_dump({"applications": [
        {"id": "blocked", "answers": TWELVE_FACTOR | {"os_family": "mainframe"}},  # scores high, cannot move
        {"id": "sparse", "answers": {"os_family": "linux"}},  # too few answers: not scored
    ]}))
    result = cli("assess", inventory, "--fail-under", 0)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("checklist: gate: blocked has verdict not suitable: ")
    assert "platform-mainframe" in lines[0]
    assert lines[1].startswith("checklist: gate: sparse has verdict insufficient data: confidence ")


def test_fail_on_and_min_confidence_tune_the_gate(inventory: Path, document: dict[str, Any]) -> None:
    by_verdict = {a["verdict"]: a["id"] for a in document["applications"]}
    only = cli("assess", inventory, "--fail-on", "insufficient_data")
    assert only.exit_code == 1
    assert [line.split()[2] for line in only.stderr.splitlines()] == [by_verdict["insufficient_data"]]
    assert cli("assess", inventory, "--fail-on", "needs_refactoring").exit_code == (
        1 if "needs_refactoring" in by_verdict else 0)
    confident = cli("assess", inventory, "--min-confidence", 0.5)
    assert confident.exit_code == 1
    assert [line.split()[2] for line in confident.stderr.splitlines()] == [by_verdict["insufficient_data"]]
    assert "below --min-confidence 0.5" in confident.stderr
    assert cli("assess", inventory, "--min-confidence", 0).exit_code == 0
    bad = cli("assess", inventory, "--fail-on", "needs_platfrom")
    assert bad.exit_code == 2
    assert "did you mean 'needs_platform'?" in bad.stderr


def test_fail_under_only_counts_the_assessed_app(inventory: Path, document: dict[str, Any]) -> None:
    web = next(a for a in document["applications"] if a["id"] == "web-api")
    result = cli("assess", inventory, "--app", "web-api", "--fail-under", web["score"])
    assert result.exit_code == 0


def test_fail_under_exit_code_as_a_process(inventory: Path, tmp_path: Path) -> None:
    done = run_process("assess", inventory, "--fail-under", 100, cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr


def test_output_writes_the_file(inventory: Path, tmp_path: Path, document: dict[str, Any]) -> None:
    target = tmp_path / "result.json"
    result = cli("assess", inventory, "--format", "json", "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == document


@pytest.mark.parametrize(("name", "starts"), [("scores.csv", "id,name,owner"), ("result.json", '{\n  "schema_version"'),
                                             ("result.jsonl", '{"id"'), ("report.md", "# "),
                                             ("scores.txt", "Applications")])
def test_without_format_the_output_file_s_extension_chooses_it(inventory: Path, tmp_path: Path, name: str,
                                                               starts: str) -> None:
    # a CI job's `assess … -o scores.csv` is a CSV, not the terminal table in a .csv file
    out = tmp_path / name
    result = CliRunner().invoke(app, ["assess", str(inventory), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert out.read_text().lstrip().startswith(starts)


def test_output_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    original = yaml.safe_dump(PORTFOLIO, sort_keys=False)
    source = write_file(tmp_path / "inv.yaml", original)
    for spelling in (source, tmp_path / "sub" / ".." / "inv.yaml"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = cli("assess", source, "--format", "json", "--output", spelling)
        assert result.exit_code == 2
        assert "input" in result.stderr
        assert source.read_text(encoding="utf-8") == original


def test_output_refuses_to_overwrite_an_input_found_in_a_directory(tmp_path: Path) -> None:
    original = yaml.safe_dump(PORTFOLIO, sort_keys=False)
    source = write_file(tmp_path / "inventory" / "apps.yaml", original)
    result = cli("assess", tmp_path / "inventory", "--format", "json", "--output", source)
    assert result.exit_code == 2, "the inventory file read from the directory was overwritten"
    assert source.read_text(encoding="utf-8") == original


# ---------------------------------------------------------------- validate


PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[\w.\[\]-]+): (?P<message>.+)$")


def test_validate_prints_every_problem_located(tmp_path: Path) -> None:
    bad = write_file(tmp_path / "bad.yaml", """\
        version: 1
        applications:
          - id: a
            answers:
              os_family: linx
              startup_seconds: -3
              state_location: local_disk
        """)
    result = cli("validate", bad)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "3 problems found"
    matches = [PROBLEM_LINE.match(line) for line in lines[:-1]]
    assert all(matches), lines
    located = [(m["file"], int(m["line"]), int(m["col"]), m["path"]) for m in matches if m]
    assert located == [
        (str(bad), 5, 18, "applications[0].answers.os_family"),
        (str(bad), 6, 24, "applications[0].answers.startup_seconds"),
        (str(bad), 7, 23, "applications[0].answers.state_location"),
    ]


def test_validate_ok(inventory: Path) -> None:
    result = cli("validate", inventory)
    assert result.exit_code == 0
    assert "ok" in result.stdout
    assert "4 applications" in result.stdout
    assert result.stderr == ""


def test_validate_a_rules_dir_checks_its_examples(tmp_path: Path) -> None:
    write_file(tmp_path / "mine" / "extra.yaml", """\
        rules:
          - id: extra-check
            title: An extra check
            step: 6
            scope: application
            category: platform
            severity: minor
            weight: 1
            effort: small
            rationale: Why.
            remediation: What.
            outcomes:
              - when: {fact: os_family, equals: linux}
                result: pass
                message: Linux.
              - result: fail
                message: Not Linux.
            examples:
              - result: fail
                answers: {os_family: linux}
        """)
    result = cli("validate", "--rules", tmp_path / "mine")
    assert result.exit_code == 2
    assert "extra.yaml:19:9: rules[0].examples[0]:" in result.stderr
    assert "expects 'fail'" in result.stderr


# ---------------------------------------------------------------- rules list / show


def test_rules_list_filters_by_category_and_severity(default_catalog: Catalog) -> None:
    wanted = [r.id for r in default_catalog.rules if r.category == "isolation" and r.severity == "blocker"]
    others = [r.id for r in default_catalog.rules if r.id not in wanted]
    assert wanted
    result = cli("rules", "list", "--category", "isolation", "--severity", "blocker")
    assert result.exit_code == 0
    assert f"{len(wanted)} rules" in result.stdout
    for rule_id in wanted:
        assert re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w-])", result.stdout), rule_id
    for rule_id in others:
        assert not re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w-])", result.stdout), rule_id

    as_json = cli("rules", "list", "--category", "isolation", "--severity", "blocker", "--format", "json")
    assert [row["id"] for row in json.loads(as_json.stdout)] == wanted


def test_rules_list_by_step(default_catalog: Catalog) -> None:
    result = cli("rules", "list", "--step", 9, "--format", "json")
    assert result.exit_code == 0
    assert [row["id"] for row in json.loads(result.stdout)] == [r.id for r in default_catalog.rules if r.step == 9]
    assert cli("rules", "list", "--step", 42).exit_code == 2


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_rules_show_explains_the_rule(default_catalog: Catalog) -> None:
    rule = default_catalog.rule("state-local-disk")
    assert rule is not None
    result = cli("rules", "show", "state-local-disk")
    assert result.exit_code == 0
    shown = _flat(result.stdout)
    assert _flat(rule.rationale) in shown
    assert _flat(rule.remediation) in shown
    assert "state_location contains local_disk" in shown
    for outcome in rule.outcomes:
        assert _flat(outcome.message) in shown
    for fact in rule.facts:
        assert fact in shown
        assert _flat(default_catalog.facts[fact].text) in shown


def test_rules_show_unknown_rule() -> None:
    result = cli("rules", "show", "state-local-dsk")
    assert result.exit_code == 2
    assert "did you mean 'state-local-disk'?" in result.stderr
    assert cli("rules", "show", "nope").exit_code == 2


# ---------------------------------------------------------------- explain

# A rule as explain shows it below 160 columns (and so when not on a terminal): its id, result,
# step, severity and, when known, weight × credit = product.
ROW = re.compile(r"^  (\S+) · (pass|partial|fail|unknown|n/a) · step (\d+) · (blocker|major|minor)"
                 r"(?: · weight (\S+) × credit (\S+) = (\S+))?\s*$")
SCORE_LINE = re.compile(r"^Score\s+=.*= 100 × ([\d.]+) / ([\d.]+) = ([\d.]+)\s*$", re.MULTILINE)


@pytest.mark.parametrize("app_id", ["legacy-files", "win-portal", "web-api"])
def test_explain_arithmetic_matches_the_table_and_the_json(
    inventory: Path, document: dict[str, Any], app_id: str
) -> None:
    result = cli("explain", inventory, "--app", app_id)
    assert result.exit_code == 0, result.output
    expected = next(a for a in document["applications"] if a["id"] == app_id)
    match = SCORE_LINE.search(result.stdout)
    assert match, result.stdout
    earned, known, score = (float(g) for g in match.groups())
    assert score == round(100 * earned / known, 1)
    assert score == expected["score"]
    rows = [m for m in map(ROW.match, result.stdout.splitlines()) if m]
    assert len(rows) == len(expected["findings"])
    products = [float(m[7]) for m in rows if m[7] is not None]
    assert sum(products) == pytest.approx(earned, abs=0.01)
    assert f"Verdict    = {expected['verdict'].replace('_', ' ')}" in result.stdout


def test_explain_shows_answers_as_plan_and_diff_do(inventory: Path) -> None:
    """Booleans as the inventory writes them (true/false), a missing answer as "unanswered"."""
    text = " ".join(cli("explain", inventory, "--app", "legacy-files").stdout.split())
    assert "=true" in text or "=false" in text
    assert "=unanswered" in text or "= unanswered" in text
    assert "=—" not in text  # (some choice facts have the answers yes and no, so those words may appear)


def test_explain_needs_an_app(inventory: Path) -> None:
    result = cli("explain", inventory)
    assert result.exit_code == 2
    assert "--app" in result.stderr


# ---------------------------------------------------------------- schema


def sample_inventory() -> Any:
    sample = REPO / "samples" / "portfolio.yaml"
    if sample.exists():
        return yaml.safe_load(sample.read_text(encoding="utf-8"))
    return PORTFOLIO


def test_schema_inventory_validates_the_sample_and_rejects_bad_answers() -> None:
    result = cli("schema", "inventory")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    sample = sample_inventory()
    assert list(validator.iter_errors(sample)) == []
    bad = {"version": 1, "applications": [{"id": "a", "answers": {"os_family": "linx"}}]}
    assert list(validator.iter_errors(bad))
    unknown_ok = {"version": 1, "applications": [{"id": "a", "answers": {"os_family": "unknown"}}]}
    assert list(validator.iter_errors(unknown_ok)) == []


# ---------------------------------------------------------------- bad input: one line, exit 2, no traceback

BAD_INPUTS = [
    pytest.param("missing.yaml", None, "not found", id="missing-file"),
    pytest.param("bad.yaml", "applications:\n  - id: a\n\tname: x\n", "invalid YAML", id="yaml-syntax"),
    pytest.param("bad.json", '{"applications": [}', "invalid JSON", id="json-syntax"),
    pytest.param("bad.yaml", "applications:\n  - id: a\n    answers: {os_family: linx, runtime: cobl}\n",
                 "and 1 more problem", id="two-problems"),
    pytest.param("bad.yaml", b"applications:\n  - id: caf\xe9\n", "UTF-8", id="not-utf8"),
    pytest.param("bad.yaml", "", "empty", id="empty"),
]


@pytest.mark.parametrize(("name", "content", "words"), BAD_INPUTS)
def test_bad_input_is_one_clean_line_in_process(tmp_path: Path, name: str, content: str | bytes | None,
                                                words: str) -> None:
    path = tmp_path / name
    if content is not None:
        write_file(path, content)
    result = cli("assess", path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert words in lines[0]
    assert name in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["assess"], id="no-files"),
        pytest.param(["assess", "x.yaml", "--format", "pdf"], id="bad-format"),
        pytest.param(["assess", "x.yaml", "--fail-under", "101"], id="fail-under-over-100"),
        pytest.param(["rules", "list", "--category", "security"], id="bad-category"),
        pytest.param(["frobnicate"], id="unknown-command"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["assess", "missing.yaml"], id="missing-file"),
        pytest.param(["assess", "bad.yaml"], id="bad-answer"),
        pytest.param(["assess", "good.yaml", "--app", "nope"], id="unknown-app"),
        pytest.param(["rules", "show", "nope"], id="unknown-rule"),
        pytest.param(["assess", "good.yaml", "--rules", "no-such-dir"], id="missing-rules-dir"),
        pytest.param(["explain", "good.yaml", "--app", "nope"], id="explain-unknown-app"),
    ],
)
def test_bad_input_as_a_process(tmp_path: Path, args: list[str]) -> None:
    write_file(tmp_path / "bad.yaml", "applications:\n  - id: a\n    answers: {os_family: linx}\n")
    write_file(tmp_path / "good.yaml", "applications:\n  - id: a\n")
    done = run_process(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stdout == ""


def test_assess_to_a_file_says_what_it_wrote_in_the_singular_too(tmp_path: Path) -> None:
    out = tmp_path / "one.json"
    result = CliRunner().invoke(app, ["assess", str(REPO / "samples" / "portfolio.yaml"), "--app", "php-shop",
                                      "-f", "json", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert result.stderr.strip() == f"wrote {out} (json, 1 application)"

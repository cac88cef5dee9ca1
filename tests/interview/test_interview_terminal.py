"""`checklist interview` in a real pseudo-terminal: end to end, and killed halfway."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

from checklist.core.model import Catalog
from checklist.io.inventory import load_inventory

SELECT, CHECKBOX, NUMBER = r"\(↑/↓ and Enter", r"\(space selects", r"\(a number"
SUMMARY = r"score (\d+\.\d), ([a-z ]+), strategy ([a-z ]+) \("


def spawn(path: Path, *args: str, columns: int = 160) -> Any:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": str(columns), "LINES": "50"}
    return pexpect.spawn(sys.executable, ["-m", "checklist", "interview", str(path), *args], cwd=str(path.parent),
                         env=env, encoding="utf-8", timeout=30, dimensions=(50, columns),
                         preexec_fn=_as_in_a_terminal)


def _as_in_a_terminal() -> None:
    # CI may start us with SIGINT ignored (background jobs inherit that);
    # in a user's terminal Ctrl-C and `kill -INT` are delivered normally.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_new(child: Any) -> None:
    for prompt, reply in (("Organisation name", "Acme"), ("Application name", ""), ("Owning team", "team"),
                          ("How critical", "")):
        child.expect(prompt)
        child.send(reply + "\r")


def answer(child: Any, count: int | None = None) -> int:
    """Answer questions with their first choice (or 5) until the summary, or `count` of them."""
    answered = 0
    while count is None or answered < count:
        kind = child.expect([SELECT, CHECKBOX, NUMBER, r"Save a report", r"Enter\s+(to\s+skip|for\s+none)"])
        if kind == 3:
            return answered
        child.send({0: "\r", 1: " \r", 2: "5\r", 4: "\r"}[kind])
        answered += kind != 4  # the planning facts are not answers
    return answered


def test_full_interview_in_a_terminal_matches_assess(tmp_path: Path, default_catalog: Catalog) -> None:
    path = tmp_path / "inv.yaml"
    child = spawn(path, "--app", "demo")
    start_new(child)
    answered = answer(child)
    before = child.before
    child.send("\r")  # do not write the JSON
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = load_inventory([str(path)], default_catalog)  # the saved inventory validates
    asked = {**saved.organization.answers, **saved.applications[0].answers}
    assert answered >= len(asked)  # a long prompt may be drawn twice
    # every question is answered but those whose ask_when the answers rule out (no data: no size, no backups)
    known = {**saved.organization.known, **saved.applications[0].known}
    skipped = {f.id for f in default_catalog.facts_for("application") if f.id not in asked}
    assert "data_size_gb" in skipped
    assert all(default_catalog.facts[f].ask_when.evaluate(known) is False for f in skipped), skipped  # type: ignore[union-attr]
    match = re.search(SUMMARY, before + child.before) or re.search(SUMMARY, child.before)
    assert match, before
    assessed = subprocess.run([sys.executable, "-m", "checklist", "assess", str(path), "--format", "json"],
                              capture_output=True, text=True, check=True)
    app = json.loads(assessed.stdout)["applications"][0]
    assert float(match.group(1)) == app["score"]
    assert match.group(2) == app["verdict"].replace("_", " ")
    assert match.group(3) == app["strategy"].replace("_", " ")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_halfway_keeps_every_answer_and_resumes(tmp_path: Path, default_catalog: Catalog, sig: int) -> None:
    path = tmp_path / "inv.yaml"
    child = spawn(path, "--app", "demo")
    start_new(child)
    given = answer(child, count=6)  # 6 of the application's questions (the organisation's are not asked)
    child.expect(r"\[7/\d+\]")  # the application's 7th question is on screen, unanswered
    child.expect([SELECT, CHECKBOX, NUMBER])
    time.sleep(0.5)  # the prompt is now waiting for the user
    child.kill(sig)
    child.expect(pexpect.EOF)
    child.close()
    if sig == signal.SIGINT:
        assert child.exitstatus == 130
        assert "Paused: " in child.before
    inventory = load_inventory([str(path)], default_catalog)  # intact and valid
    org = inventory.organization.answers
    app = inventory.applications[0].answers
    assert len(org) + len(app) == given
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind
    app_facts = sorted(default_catalog.facts_for("application"), key=lambda f: f.step)
    next_fact = next(f for f in app_facts if f.id not in app)
    # The same command resumes at the first unanswered question.
    again = spawn(path, "--app", "demo")
    again.expect(r"Resuming: 6 of \d+ answered\.")
    again.expect(r"\[7/\d+\]")  # the counter continues
    again.expect([SELECT, CHECKBOX, NUMBER])
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", again.before)
    assert shown.strip().startswith(next_fact.text), shown
    again.kill(signal.SIGKILL)
    again.close()
    assert yaml.safe_load(path.read_text())["applications"][0]["answers"] == app


def test_question_mark_says_why_and_who_usually_knows(tmp_path: Path) -> None:
    child = spawn(tmp_path / "inv.yaml", "--org")
    child.expect("Organisation name")
    child.send("Acme\r")
    child.expect(SELECT)  # the first organisation question: the business case
    child.send("?")
    child.expect("Why this matters: ")
    child.expect(r"Usually\s+known\s+by\s+management\.")
    child.terminate(force=True)


def test_at_80_columns_a_yes_no_starts_on_dont_know_and_words_stay_whole(tmp_path: Path) -> None:
    child = spawn(tmp_path / "inv.yaml", "--app", "demo", columns=80)
    start_new(child)
    child.expect(r"\[1/\d+\]")
    child.expect(r"» (\x1b\[[0-9;]*m)*I don't know")  # the first question is a yes/no: Enter is no hurried yes
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    child.terminate(force=True)
    words = set(re.findall(r"[a-z]+", shown))
    assert {"upstream", "downstream", "dependencies", "documented"} <= words  # none broken across lines
    assert all(len(line) <= 80 for line in shown.splitlines())

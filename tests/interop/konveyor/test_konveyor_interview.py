"""`checklist interview --questionnaire`: a Konveyor questionnaire, asked and saved answer by answer."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO, write_file
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from checklist.commands import interview as command
from checklist.core.errors import UsageError
from checklist.core.model import Fact
from checklist.interop.konveyor.assessment import assess_inventory
from checklist.interop.konveyor.loader import load_questionnaires
from checklist.interview.prompts import QuestionaryPrompter
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory

SAMPLE = REPO / "tests" / "data" / "konveyor" / "cloud-native.yaml"
ENTER, DOWN = "\r", "\x1b[B"


class Fake:
    """A Prompter that answers Konveyor questions from a script and records what it saw.

    `answers` maps a question's text to the answer text to choose (None: take
    the default); `stop_after` raises KeyboardInterrupt like Ctrl-C once that
    many questions were answered. Before each question it reads the file, to
    show that every earlier answer is already on disk.
    """

    def __init__(self, path: Path, answers: dict[str, str | None], texts: Sequence[str] = (),
                 stop_after: int | None = None) -> None:
        self.path = path
        self.answers = answers
        self.texts = list(texts)
        self.stop_after = stop_after
        self.asked: list[tuple[str, str | None]] = []  # (question text, default offered)
        self.on_disk: list[int] = []  # answers saved in the file when each question was asked
        self.shown: list[str] = []

    def show(self, text: str, style: str = "") -> None:
        self.shown.append(text)

    def ask_fact(self, fact: Fact, default: Any, progress: str) -> Any:
        raise AssertionError(f"a checklist question was asked: {fact.id}")

    def ask_text(self, message: str, default: str = "", validate: Callable[[str], str | None] | None = None) -> str:
        return self.texts.pop(0) if self.texts else ""

    def ask_select(self, message: str, options: Sequence[tuple[str, str]], default: str | None = None) -> str:
        if not message.startswith("["):  # not a questionnaire question: criticality of a new application
            return default or options[0][0]
        if self.stop_after is not None and len(self.asked) >= self.stop_after:
            raise KeyboardInterrupt
        text = message.split("] ", 1)[1]
        self.asked.append((text, default))
        self.on_disk.append(saved_count(self.path))
        wanted = self.answers.get(text)
        choice = default if wanted is None else wanted
        assert choice in [value for value, _ in options], (text, choice)
        return choice


def saved_count(path: Path) -> int:
    if not path.exists():
        return 0
    data = yaml.safe_load(path.read_text()) or {}
    return sum(len(q.get("answers") or {}) for app in data.get("applications") or []
               for q in app.get("questionnaires") or [])


MAIN = "What is the main technology in your application?"
VERSION = "What version of Java EE does the application use?"
CACHE = "Does your application use any caching mechanism?"
JAXWS = "What implementation of JAX-WS does your application use?"


def run(path: Path, prompter: Any, app: str | None = "shop", only_missing: bool = False) -> int:
    options = command.Options(str(path), app, only_missing=only_missing, questionnaire=SAMPLE)
    return command.run(options, prompter=prompter)


def konveyor(path: Path, app: str) -> Any:
    catalog = load_catalog()
    return assess_inventory(load_inventory([str(path)], catalog), load_questionnaires([SAMPLE]))[app]


def test_a_new_inventory_answered_in_full_is_scored_as_konveyor_would(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    answers = {MAIN: "Java EE", VERSION: "7", CACHE: "No", JAXWS: "Apache CXF"}
    prompter = Fake(path, answers, texts=["Acme", "Shop", "web team"])
    assert run(path, prompter) == 0
    # Every answer was on disk before the next question was shown.
    assert prompter.on_disk == list(range(len(prompter.asked)))
    # A new application has no tags: the Java EE version question (includeFor) is not asked.
    assert [text for text, _ in prompter.asked] == [MAIN, CACHE, JAXWS, MAIN, CACHE, JAXWS]
    [app] = yaml.safe_load(path.read_text())["applications"]
    assert app["questionnaires"] == [{"name": "Cloud Native", "answers": {
        "1.0": "Java EE", "1.2": "No", "1.3": "Apache CXF", "2.0": "Java EE", "2.2": "No", "2.3": "Apache CXF"}}]
    result = konveyor(path, "shop")
    assert (result.risk, result.confidence) == ("yellow", 88)  # 2 yellow, 4 green: adj 0.9604 → 88.8 %
    assert any("Cloud Native: risk yellow, confidence 88" in line for line in prompter.shown)


def test_tags_decide_what_is_asked_and_auto_answers_are_the_defaults(tmp_path: Path) -> None:
    path = write_file(tmp_path / "inventory.yaml", """\
        version: 1
        # the web shop
        applications:
          - id: shop
            tags: ["Runtime/Java EE", "Caching/Coherence"]
            answers: {os_family: linux}  # checked by hand
    """)
    prompter = Fake(path, {VERSION: "5 or 6", JAXWS: "Apache CXF"})
    assert run(path, prompter) == 0
    asked = dict(prompter.asked)
    assert asked[MAIN] == "Java EE"  # autoAnswerFor Runtime/Java EE
    assert asked[CACHE] == "Yes"  # autoAnswerFor Caching/Coherence
    assert asked[VERSION] is None and JAXWS in asked  # includeFor Java EE; not excluded
    text = path.read_text()
    assert "# the web shop" in text and "# checked by hand" in text
    assert load_inventory([str(path)], load_catalog()).application("shop") is not None


def test_an_interrupted_interview_resumes_at_the_first_unanswered_question(tmp_path: Path) -> None:
    path = write_file(tmp_path / "inventory.yaml", "version: 1\napplications:\n  - id: shop\n    answers: {}\n")
    first = Fake(path, {MAIN: "Quarkus", CACHE: "No"}, stop_after=2)
    assert run(path, first) == 130
    assert saved_count(path) == 2
    assert any("Paused: 2 answers saved" in line for line in first.shown)
    second = Fake(path, {JAXWS: "Unknown", MAIN: "Quarkus", CACHE: "No"})
    assert run(path, second) == 0
    assert [text for text, _ in second.asked] == [JAXWS, MAIN, CACHE, JAXWS]
    assert saved_count(path) == 6
    # Finished: a new run asks everything again, with the saved answers as defaults.
    third = Fake(path, {})
    assert run(path, third) == 0
    assert third.asked[0] == (MAIN, "Quarkus")
    assert saved_count(path) == 6


def test_only_missing_skips_answered_questions(tmp_path: Path) -> None:
    path = write_file(tmp_path / "inventory.yaml", """\
        version: 1
        applications:
          - id: shop
            questionnaires:
              - name: Cloud Native
                answers: {"1.0": quarkus, "1.2": 1, "1.3": "Apache CXF", "2.0": 1, "2.2": "no"}
            answers: {}
    """)
    prompter = Fake(path, {JAXWS: "Apache Axis"})
    assert run(path, prompter, only_missing=True) == 0
    assert [text for text, _ in prompter.asked] == [JAXWS]
    assert konveyor(path, "shop").risk == "red"


def test_questionnaire_interview_is_per_application() -> None:
    with pytest.raises(UsageError):
        command.run(command.Options("inventory.yaml", org=True, questionnaire=SAMPLE), prompter=Fake(Path("x"), {}))


@pytest.fixture
def pipe() -> Iterator[Any]:
    with create_pipe_input() as inp:
        yield inp


class Keys(QuestionaryPrompter):
    """The real terminal prompter; Enter is typed before every question (the default, or the first answer)."""

    def __init__(self, pipe: Any, downs: int = 0) -> None:
        super().__init__(console=Console(file=io.StringIO(), width=200), input=pipe, output=DummyOutput())
        self.pipe = pipe
        self.downs = downs

    def ask_select(self, message: str, options: Any, default: str | None = None) -> str:
        self.pipe.send_text(DOWN * self.downs + ENTER)
        return super().ask_select(message, options, default)


def test_the_terminal_prompter_asks_konveyor_questions(tmp_path: Path, pipe: Any) -> None:
    path = write_file(tmp_path / "inventory.yaml", """\
        version: 1
        applications:
          - id: shop
            tags: ["Runtime/Spring Boot"]
            answers: {}
    """)
    assert run(path, Keys(pipe, downs=0)) == 0
    [app] = yaml.safe_load(path.read_text())["applications"]
    # Enter takes the auto answer where there is one, else the first answer.
    assert app["questionnaires"][0]["answers"] == {"1.0": "Spring Boot", "1.2": "Yes", "2.0": "Spring Boot",
                                                   "2.2": "Yes"}


def test_a_json_inventory_gets_the_same_shape(tmp_path: Path) -> None:
    path = write_file(tmp_path / "inventory.json",
                      '{"version": 1, "applications": [{"id": "shop", "tags": ["Runtime/Quarkus"], "answers": {}}]}')
    assert run(path, Fake(path, {CACHE: "Unknown"})) == 0
    data = json.loads(path.read_text())
    assert data["applications"][0]["questionnaires"] == [
        {"name": "Cloud Native", "answers": {"1.0": "Quarkus", "1.2": "Unknown", "2.0": "Quarkus", "2.2": "Unknown"}}]

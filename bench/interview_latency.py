"""Time from an answer to the next prompt in `checklist interview`.

    python bench/interview_latency.py

Drives the real interview (questionary prompts on prompt_toolkit's pipe
input, the real save after every answer) on inventories of 1, 1,000 and
10,000 applications, and reports for each answer: the interview's own work
(saving the file atomically, re-planning the remaining questions) and the
time to build and show the next prompt. Prints median and 95th percentile.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

sys.path.insert(0, str(Path(__file__).parent))
from generate import portfolio, write

from checklist.commands import interview as command
from checklist.core.model import Fact
from checklist.interview.prompts import QuestionaryPrompter
from checklist.io.catalog import load_catalog


class Timed(QuestionaryPrompter):
    """Answers with the first choice and records when each prompt is reached and answered."""

    def __init__(self, pipe: Any) -> None:
        super().__init__(console=Console(file=io.StringIO()), input=pipe, output=DummyOutput())
        self.pipe = pipe
        self.answered_at: float | None = None
        self.work: list[float] = []  # answer -> next ask_fact call (save + planning)
        self.prompt: list[float] = []  # ask_fact call -> prompt running (construction)

    def ask_fact(self, fact: Fact, default: Any, progress: str) -> Any:
        start = time.perf_counter()
        if self.answered_at is not None:
            self.work.append(start - self.answered_at)
        keys = {"multi": " \r", "number": "5\r"}.get(fact.type, "\r")
        self._started = start
        self.pipe.send_text(keys)
        value = super().ask_fact(fact, default, progress)
        self.answered_at = time.perf_counter()
        return value

    def _with_help(self, question: Any, help_text: str) -> Any:
        self.prompt.append(time.perf_counter() - self._started)  # built, about to be shown
        return super()._with_help(question, help_text)

    def ask_text(self, message: str, default: str = "", validate: Any = None) -> str:
        self.pipe.send_text("\r")
        return "x" if validate is None or validate("x") is None else ""  # skips what "x" cannot answer

    def ask_select(self, message: str, options: Any, default: str | None = None) -> str:
        return default or options[0][0]


def measure(apps: int) -> tuple[list[float], list[float]]:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp, create_pipe_input() as pipe:
        path = Path(tmp) / "inventory.yaml"
        data = portfolio(catalog, apps)
        data["applications"].append({"id": "new-app", "answers": {}})
        write(data, path)
        prompter = Timed(pipe)
        if hasattr(command, "Options"):
            command.run(command.Options(str(path), "new-app", only_missing=True), prompter=prompter)
        else:  # a commit from before the options dataclasses, run side by side
            command.run(str(path), "new-app", False, True, [], prompter=prompter)
        return prompter.work, prompter.prompt


def ms(values: list[float], q: float) -> float:
    return 1000 * statistics.quantiles(values, n=20)[18] if q == 0.95 else 1000 * statistics.median(values)


if __name__ == "__main__":
    print("| inventory | answers | save + plan, median | p95 | build prompt, median | p95 | total median |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for apps in (1, 1000, 10000):
        work, prompt = measure(apps)
        print(f"| {apps} apps | {len(work) + 1} | {ms(work, .5):.1f} ms | {ms(work, .95):.1f} ms | "
              f"{ms(prompt, .5):.1f} ms | {ms(prompt, .95):.1f} ms | {ms(work, .5) + ms(prompt, .5):.1f} ms |")

"""The interview's real questionary prompter, driven by keys typed into a prompt_toolkit pipe."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from prompt_toolkit.output import DummyOutput
from rich.console import Console

from checklist.core.model import Fact
from checklist.interview.prompts import QuestionaryPrompter

ENTER, DOWN, SPACE = "\r", "\x1b[B", " "
Keys = Callable[[Fact, Any], str]


def first_choice(fact: Fact, default: Any) -> str:
    """Keys that accept the default, or pick the first option when there is none."""
    if fact.type == "multi":
        return ENTER if default is not None else SPACE + ENTER
    if fact.type == "number":
        return ENTER if default is not None else "5" + ENTER
    return ENTER


class Scripted(QuestionaryPrompter):
    """The real prompter; each question's keys are typed into the pipe just before it is asked."""

    def __init__(self, pipe: Any, keys: Keys = first_choice, texts: list[str] | None = None,
                 overrides: dict[str, str] | None = None, review: bool = False) -> None:
        self.out = io.StringIO()
        super().__init__(console=Console(file=self.out, width=200), input=pipe, output=DummyOutput())
        self.pipe = pipe
        self.keys = keys
        self.texts = list(texts or [])
        self.overrides = overrides or {}
        self.asked: list[str] = []
        self.selects: list[str] = []
        self.review = review  # a finished application: review it rather than exit

    def ask_fact(self, fact: Fact, default: Any, progress: str) -> Any:
        self.asked.append(fact.id)
        self.pipe.send_text(self.overrides.get(fact.id, self.keys(fact, default)))
        return super().ask_fact(fact, default, progress)

    def ask_text(self, message: str, default: str = "", validate: Any = None) -> str:
        self.pipe.send_text((self.texts.pop(0) if self.texts else "") + ENTER)
        return super().ask_text(message, default, validate)

    def ask_select(self, message: str, options: Any, default: str | None = None) -> str:
        self.selects.append(message)
        finished = message.startswith("All ") and message.endswith("are answered.")
        self.pipe.send_text(DOWN + ENTER if finished and self.review else self.overrides.get(message, ENTER))
        return super().ask_select(message, options, default)

"""The terminal side of the interview, built with questionary.

Every question offers "I don't know" (stored as ``unknown``); pressing ``?``
prints why the question matters for containers above the prompt, without
leaving it. Imported only by `checklist interview`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import questionary
from prompt_toolkit.application import run_in_terminal
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from questionary import Choice
from rich.console import Console
from rich.text import Text

from checklist.core.model import Fact, Labels
from checklist.core.text import clean
from checklist.core.vocabulary import UNKNOWN
from checklist.interview.flow import parse_number

DONT_KNOW = "I don't know"
YES, NO = "yes", "no"


class QuestionaryPrompter:
    """Asks in a real terminal; `input`/`output` are prompt_toolkit objects for tests."""

    def __init__(self, console: Console | None = None, input: Any = None, output: Any = None,
                 labels: Labels | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.labels = labels or Labels()
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    def show(self, text: str, style: str = "") -> None:
        self.console.print(Text(text, style=style))

    def _with_help(self, question: questionary.Question, help_text: str) -> Any:
        bindings = KeyBindings()

        @bindings.add("?")
        def _explain(event: Any) -> None:
            run_in_terminal(lambda: self.console.print(Text(f"Why this matters: {help_text}", style="cyan")))

        # questionary binds Ctrl-C but not the SIGINT signal itself (`kill -INT`),
        # which prompt_toolkit delivers as this key: treat both alike.
        @bindings.add(Keys.SIGINT)
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
        return question.unsafe_ask()  # Ctrl-C raises KeyboardInterrupt: the caller reports progress

    def _wrap(self, message: str, reserve: int = 0) -> str:
        """`message` broken at words to the terminal's width: prompt_toolkit would break it mid-word.
        `reserve`: columns taken on the last line (an answer typed after it)."""
        width = max(20, self.console.width - 3)  # "? " before the message
        lines = textwrap.wrap(message, width, break_long_words=False, break_on_hyphens=False) or [message]
        if len(lines[-1]) + reserve > width:
            lines.append("")  # what follows starts on a line of its own
        return "\n  ".join(lines)

    def ask_fact(self, fact: Fact, default: Any, progress: str) -> Any:
        message = self._wrap(f"[{progress}] {fact.text}", reserve=40)  # the instruction follows on its line
        who = self.labels.who(fact)
        if who:  # "?" shows it with the why: the question can go to the person who knows
            fact = replace(fact, help=f"{fact.help} Usually known by {who}.")
        hint = "? explains why"
        if fact.type == "choice":
            choices = [Choice(title=c.label, value=c.value) for c in fact.choices]
            choices.append(Choice(title=DONT_KNOW, value=UNKNOWN))
            start = default if default in fact.values or default == UNKNOWN else None
            question = questionary.select(message, choices=choices, default=start,
                                          instruction=f"(↑/↓ and Enter; {hint})", **self._io)
            return self._with_help(question, fact.help)
        if fact.type == "bool":
            # Unanswered, it starts on "I don't know": a hurried Enter must not answer yes (or no).
            start = {True: YES, False: NO}.get(default) if isinstance(default, bool) else UNKNOWN
            question = questionary.select(
                message, choices=[Choice("Yes", YES), Choice("No", NO), Choice(DONT_KNOW, UNKNOWN)],
                default=start, instruction=f"(↑/↓ and Enter; {hint})", **self._io)
            answer = self._with_help(question, fact.help)
            return UNKNOWN if answer == UNKNOWN else answer == YES
        if fact.type == "multi":
            selected = set(default) if isinstance(default, list) else ({UNKNOWN} if default == UNKNOWN else set())
            choices = [Choice(title=c.label, value=c.value, checked=c.value in selected) for c in fact.choices]
            choices.append(Choice(title=DONT_KNOW, value=UNKNOWN, checked=UNKNOWN in selected))
            exclusive = set(fact.exclusive) | {UNKNOWN}

            def valid(chosen: list[str]) -> bool | str:
                if not chosen:
                    return f"choose at least one (or {DONT_KNOW})"
                alone = [c for c in chosen if c in exclusive]
                if alone and len(chosen) > 1:
                    label = DONT_KNOW if alone[0] == UNKNOWN else fact.label(alone[0])
                    return f"'{label}' cannot be combined with other answers"
                return True

            question = questionary.checkbox(message, choices=choices, validate=valid,
                                            instruction=f"(space selects, Enter confirms; {hint})", **self._io)
            chosen = self._with_help(question, fact.help)
            # questionary leaves "done (2 selections)" in the scrollback: say what was chosen.
            words = ", ".join(DONT_KNOW if c == UNKNOWN else fact.label(c) for c in chosen)
            self.console.print(Text(self.labels.say("interview_chosen", chosen=words) if "interview_chosen"
                                    in self.labels.texts else f"  chosen: {words}", style="dim"))
            return UNKNOWN if chosen == [UNKNOWN] else list(chosen)
        # number
        unit = f" in {fact.unit}" if fact.unit else ""

        def valid_number(text: str) -> bool | str:
            try:
                parse_number(text, fact)
            except ValueError as exc:
                return str(exc)
            return True

        start = "" if default is None else str(default)
        question = questionary.text(self._wrap(f"[{progress}] {fact.text} (a number{unit}; 'unknown' if nobody "
                                               f"knows; {hint})", reserve=8),
                                    default=start, validate=valid_number, **self._io)
        return parse_number(self._with_help(question, fact.help), fact)

    def ask_text(self, message: str, default: str = "",
                 validate: Callable[[str], str | None] | None = None) -> str:
        def check(text: str) -> bool | str:
            problem = validate(text.strip()) if validate else None
            return problem or True

        answer = questionary.text(self._wrap(message, reserve=12), default=default, validate=check,
                                  **self._io).unsafe_ask()
        return clean(answer).strip()

    def ask_select(self, message: str, options: Sequence[tuple[str, str]], default: str | None = None) -> str:
        choices = [Choice(title=label, value=value) for value, label in options]
        answer: str = questionary.select(self._wrap(message), choices=choices, default=default,
                                         **self._io).unsafe_ask()
        return answer

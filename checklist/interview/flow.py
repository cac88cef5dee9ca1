"""The interview: ask the catalog's questions for one application (or the
organisation), save each answer the moment it is given, and resume where
the last run stopped.

The flow is independent of the terminal: it talks to a `Prompter`. The
questionary implementation lives in `checklist.interview.prompts`; tests drive that
same implementation through prompt_toolkit's pipe input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from checklist.core.answers import known_answers
from checklist.core.fields import APP_ID_PATTERN, CRITICALITIES
from checklist.core.model import Catalog, Fact
from checklist.core.vocabulary import UNKNOWN
from checklist.io.editing import Document

ORG = None  # the app id that stands for the organisation's answers


class Prompter(Protocol):
    """What the interview needs from a terminal. Every ask may raise KeyboardInterrupt."""

    def show(self, text: str, style: str = "") -> None: ...

    def ask_fact(self, fact: Fact, default: Any, progress: str) -> Any:
        """The answer to `fact` (typed: str, list, bool or number) or UNKNOWN."""
        ...

    def ask_text(self, message: str, default: str = "",
                 validate: Callable[[str], str | None] | None = None) -> str: ...

    def ask_select(self, message: str, options: Sequence[tuple[str, str]], default: str | None = None) -> str:
        """One of the option values; options are (value, label)."""
        ...


def should_ask(fact: Fact, answers: Mapping[str, Any]) -> bool:
    """Whether `fact` is relevant given the answers so far (its `ask_when` holds)."""
    return fact.ask_when is None or fact.ask_when.evaluate(answers) is True


def parse_number(text: str, fact: Fact) -> float | int | str:
    """A typed number (int when whole) or UNKNOWN; raises ValueError with a message."""
    cleaned = text.strip().lower()
    if cleaned in ("unknown", "u", "don't know", "dont know"):
        return UNKNOWN
    try:
        value = float(cleaned.replace(",", "") if cleaned.count(",") and "." in cleaned else cleaned)
    except ValueError:
        raise ValueError("enter a number (or 'unknown')") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("enter a finite number")
    if fact.minimum is not None and value < fact.minimum:
        raise ValueError(f"enter a number of at least {fact.minimum:g}")
    if fact.maximum is not None and value > fact.maximum:
        raise ValueError(f"enter a number of at most {fact.maximum:g}")
    return int(value) if value.is_integer() else value


@dataclass
class Progress:
    """What one interview run did, for the closing summary."""

    asked: int = 0
    saved: int = 0


def is_open(value: Any, include_unknown: bool) -> bool:
    """Whether an answer still has to be asked: none yet, or "I don't know" when those are re-asked."""
    return value is None or (include_unknown and value == UNKNOWN)


def relevant_facts(catalog: Catalog, answers: Mapping[str, Any], facts: Sequence[Fact],
                   context: Mapping[str, Any]) -> list[Fact]:
    """`facts` in the order they are asked, without those the answers so far rule out."""
    known = {**context, **known_answers(answers, catalog.facts)}
    return [f for f in sorted(facts, key=lambda f: f.step) if should_ask(f, known)]


def answered_count(catalog: Catalog, answers: Mapping[str, Any], facts: Sequence[Fact],
                   context: Mapping[str, Any], include_unknown: bool = False) -> tuple[int, int]:
    """(answered, asked in all) of the questions that apply, for "resuming: 27 of 35 answered"."""
    relevant = relevant_facts(catalog, answers, facts, context)
    return sum(1 for f in relevant if not is_open(answers.get(f.id), include_unknown)), len(relevant)


def interview_answers(
    catalog: Catalog,
    document: Document,
    app_id: str | None,
    facts: Sequence[Fact],
    prompter: Prompter,
    *,
    context: Mapping[str, Any],
    only_missing: bool,
    progress: Progress,
    include_unknown: bool = False,
) -> None:
    """Ask `facts` for the organisation (app_id None) or one application.

    Questions come in catalog order, grouped by step. Without
    `only_missing`, the run resumes at the first unanswered question when
    there is one, and otherwise re-asks everything with the current answers
    as defaults. With `include_unknown`, "I don't know" answers count as
    unanswered. Each answer is saved before the next question is shown.
    The list of questions is re-planned after every answer, so an answer
    that makes a skipped question relevant brings it back. The counter
    counts every question that applies, answered or not: a resumed
    interview continues at "28/35", not "1/8".
    """
    answers = document.answers(app_id)
    # Answers a scan found are offered as defaults to confirm, with their evidence; a
    # confirmation makes them a person's answer (DESIGN.md "Discovery").
    found = document.discovered(app_id) if app_id is not None else {}
    proposed = {fact: entry["value"] for fact, entry in found.items() if entry.get("value") is not None}

    def relevant() -> list[Fact]:
        return relevant_facts(catalog, {**proposed, **answers}, facts, context)

    def unanswered(fact: Fact) -> bool:
        return is_open(answers.get(fact.id), include_unknown)

    # Skip what is already answered when the user asks for it, or when this
    # run resumes an unfinished interview; a finished one is asked again.
    skip_answered = only_missing or any(unanswered(f) for f in relevant())
    done: set[str] = set()
    last_step: int | None = None
    while True:
        applying = relevant()
        plan = [f for f in applying if f.id not in done and not (skip_answered and not unanswered(f))]
        if not plan:
            return
        fact = plan[0]
        position = (sum(1 for f in applying if f.id in done or not unanswered(f)) if skip_answered
                    else len(done)) + 1
        if fact.step != last_step:
            step = catalog.step(fact.step)
            prompter.show(f"Step {step.number} of {len(catalog.steps)} · {step.phase} · {step.title}", "bold")
            last_step = fact.step
        default = answers.get(fact.id)
        if default is None and fact.id in proposed:
            default = proposed[fact.id]
            first = (found[fact.id].get("evidence") or [{}])[0]
            place = f"{first.get('file', '')}:{first['line']}" if first.get("line") else first.get("file", "")
            prompter.show(catalog.labels.say("discovered_from", place=place, text=first.get("text", "")).rstrip(" —"),
                          "dim")
        value = prompter.ask_fact(fact, default, f"{position}/{len(applying)}")
        progress.asked += 1
        done.add(fact.id)
        if value != answers.get(fact.id) or fact.id not in answers:
            document.set_answer(app_id, fact.id, value)
            document.save()
            answers[fact.id] = value
            progress.saved += 1


def ask_planning(document: Document, app_id: str, prompter: Prompter, say: Callable[..., str]) -> None:
    """Ask what planning needs beside the answers and is not set yet: criticality, the
    applications it depends on, and its VM footprint. Enter skips any of them."""
    current = document.planning(app_id)
    missing = [k for k in ("criticality", "depends_on", "vm_count", "vcpu", "memory_gb") if k not in current]
    if not missing:
        return
    prompter.show(say("planning_intro"), "bold")
    others = [i for i in document.application_ids() if i != app_id]

    def valid_ids(text: str) -> str | None:
        unknown = [i for i in _ids(text) if i not in others]
        return f"not in this inventory: {', '.join(unknown)}" if unknown else None

    def valid_number(text: str) -> str | None:
        if not text:
            return None
        try:
            return None if float(text) > 0 else "enter a number above 0, or press Enter to skip"
        except ValueError:
            return "enter a number, or press Enter to skip"

    for key in missing:
        if key == "criticality":
            value: Any = prompter.ask_select(say("ask_criticality"), [(c, c.replace("_", " ")) for c in CRITICALITIES],
                                             default="medium")
        elif key == "depends_on":
            value = _ids(prompter.ask_text(say("ask_depends_on"), validate=valid_ids))
        else:
            text = prompter.ask_text(say(f"ask_{key}"), validate=valid_number)
            if not text:
                continue
            number = float(text)
            value = int(number) if number.is_integer() else number
        document.set_planning(app_id, key, value)
        document.save()


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def ask_new_application(prompter: Prompter, existing: Sequence[str], app_id: str | None = None) -> dict[str, str]:
    """The metadata of a new application: id, name, owner, criticality."""
    import re

    pattern = re.compile(APP_ID_PATTERN)

    def valid_id(text: str) -> str | None:
        if not pattern.match(text):
            return "lowercase letters, digits, '.', '-' and '_', starting with a letter or digit"
        if text in existing:
            return f"{text!r} already exists in this inventory"
        return None

    if app_id is None:
        app_id = prompter.ask_text("Application id (a short slug, e.g. billing-api):", validate=valid_id)
    name = prompter.ask_text(f"Application name (Enter for {app_id}):") or app_id
    owner = prompter.ask_text("Owning team:")
    criticality = prompter.ask_select(
        "How critical is it to the business?",
        [(c, c.replace("_", " ")) for c in CRITICALITIES],
        default="medium",
    )
    return {"id": app_id, "name": name.strip(), "owner": owner.strip(), "criticality": criticality}


@dataclass(frozen=True)
class Asked:
    """One question of another tool's questionnaire, as one application is asked it
    (commands/interview.py makes these from a Konveyor questionnaire)."""

    key: str  # where the answer is saved
    text: str
    explanation: str
    section: str  # the heading of its section ("" for none), shown when the section changes
    answers: tuple[str, ...]
    suggested: str | None  # the default when nothing is saved yet
    read: Callable[[Any], str | None]  # a saved answer (its text in any case, or its order) as one of `answers`


def interview_questionnaire(
    document: Document,
    app_id: str,
    name: str,
    questions: Sequence[Asked],
    prompter: Prompter,
    *,
    only_missing: bool,
    progress: Progress,
) -> None:
    """Ask the questionnaire `name` for one application, saving each answer at once.

    Only `questions` are asked (those the application's tags keep); a
    suggested answer is offered as the default. Resuming works as for the
    checklist: an unfinished questionnaire continues at its first unanswered
    question, a finished one is asked again with the saved answers as defaults.
    """
    answers = document.questionnaire_answers(app_id, name)
    current = {q.key: q.read(answers[q.key]) if answers.get(q.key) is not None else None for q in questions}
    skip_answered = only_missing or any(a is None for a in current.values())
    prompter.show(f"{name} (Konveyor questionnaire, {len(questions)} questions)", "bold")
    last_section: str | None = None
    for number, question in enumerate(questions, 1):
        existing = current[question.key]
        if skip_answered and existing is not None:
            continue
        if question.section != last_section:
            if question.section:
                prompter.show(question.section, "bold")
            last_section = question.section
        if question.explanation:
            prompter.show(question.explanation, "dim")
        choice = prompter.ask_select(f"[{number}/{len(questions)}] {question.text}",
                                     [(a, a) for a in question.answers], default=existing or question.suggested)
        progress.asked += 1
        if choice != answers.get(question.key):
            document.set_questionnaire_answer(app_id, name, question.key, choice)
            document.save()
            answers[question.key] = choice
            progress.saved += 1

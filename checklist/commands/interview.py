"""`checklist interview`: fill in an inventory in the terminal, one answer at a time."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklist.commands import EXIT_OK, input_files
from checklist.core.answers import known_answers
from checklist.core.engine import Assessment, evaluate
from checklist.core.errors import INTERRUPTED, UsageError
from checklist.core.fields import APP_ID_PATTERN
from checklist.core.model import Catalog
from checklist.core.text import clean
from checklist.interview.flow import (
    Asked,
    Progress,
    Prompter,
    answered_count,
    ask_new_application,
    ask_planning,
    interview_answers,
    interview_questionnaire,
)
from checklist.io.catalog import load_catalog
from checklist.io.editing import Document, InventoryDocument, editing_lock, new_document, open_document
from checklist.io.inventory import load_inventory
from checklist.io.output import emit, guard_output
from checklist.io.source import DEFAULT_LIMITS, Limits
from checklist.io.table_editing import no_organization
from checklist.render import ASSESSMENT, RenderOptions
from checklist.render.table import words

if TYPE_CHECKING:
    from checklist.interop.konveyor.model import Answer, Question, Questionnaire, Tag

NOT_A_TERMINAL = ("checklist interview needs a terminal, and standard input is not one; "
                  "edit the inventory file instead and run 'checklist assess FILE'")
NEW = "\x00new"


def _choose_application(doc: Document, app: str | None, prompter: Prompter) -> str:
    ids = doc.application_ids()
    if app is not None and app in ids:
        return app
    if app is None and len(ids) == 1:
        return ids[0]
    if app is None and ids:
        options = [(i, i) for i in ids] + [(NEW, "A new application")]
        app = prompter.ask_select("Which application?", options)
        if app != NEW:
            return app
        app = None
    if app is not None and not re.match(APP_ID_PATTERN, app):
        raise UsageError(f"{app!r} is not a valid application id: use lowercase letters, digits, '.', '-' and '_'")
    meta = ask_new_application(prompter, ids, app)
    doc.add_application(meta["id"], meta["name"], meta["owner"], meta["criticality"])
    doc.save()
    return meta["id"]


def _summary(assessment: Assessment, app_id: str | None, prompter: Prompter) -> None:
    catalog = assessment.catalog
    if app_id is None:
        org = assessment.organization
        if org.score.confidence >= catalog.scoring.confidence_floor:
            prompter.show(f"Organisation readiness {org.score.value:.1f} (confidence {org.score.confidence:.0%})",
                          "bold")
        else:
            questions = catalog.facts_for("organization")
            answered = sum(1 for f in questions if f.id in org.organization.known)
            prompter.show(catalog.labels.say("org_not_scored", name="Organisation", answered=answered,
                                             total=len(questions)), "bold")
        return
    (result,) = assessment.applications
    prompter.show("")
    prompter.show(f"{clean(result.application.name)}: score {result.score.value:.1f}, {words(result.verdict)}, "
                  f"strategy {words(result.strategy)} (confidence {result.score.confidence:.0%})", "bold")
    for blocker in result.blockers:
        prompter.show(f"  blocker {blocker.rule.id}: {blocker.message}", "red")
    if result.remediations:
        prompter.show("First things to do:")
        for item in result.remediations[:3]:
            prompter.show(f"  +{item.gain:.1f}  {item.rule.title} ({item.rule.effort} effort) — {item.rule.id}")
    if result.unknowns:
        texts = [f"“{catalog.facts[f].text}”" if f in catalog.facts else f for f in result.unknowns]
        shown = "; ".join(texts[:3]) + (f"; and {len(texts) - 3} more" if len(texts) > 3 else "")
        prompter.show(catalog.labels.say("interview_unanswered", len(texts), questions=shown), "dim")


def _asked(questionnaire: Questionnaire, tags: frozenset[Tag]) -> list[Asked]:
    """The questions of a Konveyor questionnaire that an application with `tags` is asked,
    each suggesting the answer Konveyor would select for those tags."""
    from checklist.interop.konveyor.assessment import auto_answer, kept

    headings = {s.order: f"Section {s.order} · {s.name}" if s.name else "" for s in questionnaire.sections}
    return [Asked(q.key, q.text, q.explanation, headings[q.section], tuple(a.text for a in q.answers),
                  _text(auto_answer(q, tags)), partial(_saved, q))
            for q in questionnaire.questions if kept(q, tags)]


def _saved(question: Question, value: Any) -> str | None:
    """The text of the answer a saved `value` names (its text in any case, or its order), or None."""
    return _text(question.find(value))


def _text(answer: Answer | None) -> str | None:
    return answer.text if answer is not None else None


def _changed_meanwhile(doc: Document, prompter: Prompter) -> None:
    if getattr(doc, "reloads", 0):
        prompter.show(f"{clean(doc.path)} was changed by someone else while you answered; your answers were "
                      "added to what it holds now, and nothing else in it was changed.", "yellow")


def _paused(catalog: Catalog, prompter: Prompter, progress: Progress, path: Path) -> int:
    """Ctrl-C or the end of input during the questions: what was saved, and how to go on."""
    prompter.show("")
    prompter.show(catalog.labels.say("interview_paused", progress.saved, file=clean(path)), "yellow")
    return INTERRUPTED


def _konveyor(catalog: Catalog, path: Path, app: str | None, only_missing: bool, file: Path,
              prompter: Prompter, progress: Progress, limits: Limits) -> int:
    """`interview --questionnaire`: ask a Konveyor questionnaire for one application."""
    from checklist.interop.konveyor.assessment import app_tags, assess_inventory
    from checklist.interop.konveyor.loader import load_questionnaires

    questionnaires = load_questionnaires([file], limits)  # a bad questionnaire fails before any question
    try:
        if path.exists():
            load_inventory([str(path)], catalog, limits=limits)
            doc = InventoryDocument.load(path, limits)
        else:
            prompter.show(f"A new inventory: {path}", "bold")
            doc = InventoryDocument.create(path, prompter.ask_text("Organisation name:"))
        app_id = _choose_application(doc, app, prompter)
        entry = load_inventory([str(path)], catalog, limits=limits).application(app_id)
        tags = app_tags(entry.tags if entry is not None else ())
        doc.prepare(app_id)
        for questionnaire in questionnaires:
            interview_questionnaire(doc, app_id, questionnaire.name, _asked(questionnaire, tags), prompter,
                                    only_missing=only_missing, progress=progress)
    except (KeyboardInterrupt, EOFError):
        return _paused(catalog, prompter, progress, path)
    result = assess_inventory(load_inventory([str(path)], catalog, limits=limits), questionnaires, only=app_id)[app_id]
    prompter.show("")
    _changed_meanwhile(doc, prompter)
    for item in result.questionnaires:
        message = f": {item.message}" if item.message else ""
        prompter.show(f"{item.questionnaire.name}: risk {item.risk}, confidence {item.confidence} "
                      f"({item.answered} of {len(item.questions)} answered){message}", "bold")
    if result.derived_tags:
        prompter.show(f"Tags from the answers: {', '.join(str(t) for t in result.derived_tags)}", "dim")
    return EXIT_OK


def _organization_answers(doc: Document, path: Path, catalog: Catalog) -> dict[str, Any]:
    """The organisation's answers an application's questions may depend on: in the inventory
    itself, or for a CSV in the organisation's CSV beside it (`checklist init apps.csv` writes one)."""
    beside = path.with_name(f"{path.stem}-organization.csv")
    if path.suffix.lower() == ".csv" and beside.is_file():
        from checklist.io.table_editing import CsvDocument

        load_inventory([str(beside)], catalog)  # a broken file is said as such, not guessed at
        return CsvDocument.load(beside, catalog).answers(None)
    return doc.answers(None)


def _minutes(count: int) -> int:
    return max(1, round(count * 15 / 60))  # about 15 seconds a question, "?" included


def _open(path: Path, catalog: Catalog, org: bool, prompter: Prompter, limits: Limits) -> Document:
    """The inventory to edit: checked and opened when it exists, else a new one in the format its name says."""
    if path.exists():
        load_inventory([str(path)], catalog, limits=limits)  # refuse to edit a file that is already broken
        return open_document(path, catalog, limits)
    prompter.show(f"A new inventory: {clean(path)}", "bold")
    table = path.suffix.lower() in (".csv", ".xlsx")
    # A CSV of applications has no place for the organisation's name; a new one asked with --org is its CSV.
    name = prompter.ask_text("Organisation name:") if org or not table else None
    return new_document(path, catalog, name, org_file=org)


@dataclass(frozen=True)
class Options:
    """`checklist interview` as the command line gives it."""

    file: str | None = None  # the inventory to fill in; inventory.yaml by default
    app: str | None = None
    org: bool = False  # the organisation's questions instead of an application's
    only_missing: bool = False
    rules: Sequence[Path] = ()
    questionnaire: Path | None = None  # a Konveyor questionnaire to ask instead of the checklist
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)
    include_unknown: bool = False  # with the unanswered, ask again what was answered "I don't know"


def run(options: Options, prompter: Prompter | None = None) -> int:
    """The interview on the terminal, or through `prompter` (tests and benchmarks drive one)."""
    file, app, org, only_missing = options.file, options.app, options.org, options.only_missing
    rules, questionnaire = options.rules, options.questionnaire
    if questionnaire is not None and org:
        raise UsageError("a Konveyor questionnaire is answered per application: drop --org")
    if prompter is None:
        if not sys.stdin.isatty():
            raise UsageError(NOT_A_TERMINAL)
        from checklist.interview.prompts import QuestionaryPrompter

        catalog = load_catalog(rules, options.limits)  # loaded once; every question below reuses it
        prompter = QuestionaryPrompter(labels=catalog.labels)
    else:
        catalog = load_catalog(rules, options.limits)
    path = Path(file or "inventory.yaml")
    progress = Progress()
    with editing_lock(path):  # a second interview of the same file is refused, not interleaved
        if questionnaire is not None:
            return _konveyor(catalog, path, app, only_missing, questionnaire, prompter, progress, options.limits)
        return _checklist(catalog, path, app, org, only_missing, rules, prompter, progress, options.limits,
                          options.include_unknown)


def _checklist(catalog: Catalog, path: Path, app: str | None, org: bool, only_missing: bool,
               rules: Sequence[Path], prompter: Prompter, progress: Progress, limits: Limits,
               include_unknown: bool) -> int:
    """The checklist's questions for the organisation or one application."""
    say = catalog.labels.say
    missing_only = only_missing or include_unknown
    try:
        doc = _open(path, catalog, org, prompter, limits)
        is_org_file = getattr(doc, "is_org", False)
        if org and path.suffix.lower() == ".csv" and not is_org_file:
            raise no_organization(path)
        if not org and is_org_file:
            raise UsageError(f"{path} holds the organisation's answers: add --org, or interview an application "
                             "in the applications' CSV")
        if org and not path.exists():
            doc.save()
        app_id = None if org else _choose_application(doc, app, prompter)
        doc.prepare(app_id)
        org_facts = catalog.facts_for("organization")
        org_answers = {} if org else _organization_answers(doc, path, catalog)
        org_known = known_answers(org_answers, catalog.facts)
        facts = org_facts if org else catalog.facts_for("application")
        answered, total = answered_count(catalog, doc.answers(app_id), facts, org_known, include_unknown)
        name = "The organisation" if app_id is None else app_id
        if answered == total and not missing_only:
            choice = prompter.ask_select(say("interview_finished", total=total, app=name),
                                         [("exit", say("interview_exit")), ("review", say("interview_review"))],
                                         default="exit")
            if choice == "exit":
                return EXIT_OK
        elif org:
            prompter.show(say("interview_org_intro", count=total - answered, minutes=_minutes(total - answered)),
                          "dim")
        else:
            prompter.show(say("interview_intro", total - answered, app=app_id,
                              minutes=_minutes(total - answered)), "dim")
            unanswered_org = sum(1 for f in org_facts if org_answers.get(f.id) is None)
            if unanswered_org:
                where = path.with_name(f"{path.stem}-organization.csv") if path.suffix.lower() == ".csv" else path
                prompter.show(say("interview_org_later", count=unanswered_org, file=where), "dim")
        if 0 < answered < total and not missing_only:
            prompter.show(say("interview_resuming", answered=answered, total=total), "bold")
        interview_answers(catalog, doc, app_id, facts, prompter, context=org_known, only_missing=missing_only,
                          progress=progress, include_unknown=include_unknown)
        if app_id is not None:
            ask_planning(doc, app_id, prompter, say)
    except (KeyboardInterrupt, EOFError):
        return _paused(catalog, prompter, progress, path)
    # Assessed once here; the summary and any saved report both use it.
    assessment = evaluate(catalog, load_inventory([str(path)], catalog, limits=limits), only=app_id)
    _summary(assessment, app_id, prompter)
    _changed_meanwhile(doc, prompter)
    if app_id is not None:
        report = path.with_name(f"{path.stem}.{app_id}.md")
        data = path.with_name(f"{path.stem}.{app_id}.json")
        choice = prompter.ask_select("Save a report?", [("no", "No"), ("md", f"A Markdown report: {report}"),
                                                        ("json", f"The full assessment as JSON: {data}")],
                                     default="no")
        if choice != "no":
            target = report if choice == "md" else data
            inputs = input_files([str(path)], rules)
            guard_output(target, choice, inputs, force=False)  # a file of another kind, or an input, stays
            emit(ASSESSMENT[choice](assessment, RenderOptions(single=app_id)), target, inputs)
            prompter.show(f"Written {clean(target)}")
    return EXIT_OK

"""`checklist explain`: every rule for one application and the arithmetic of its score."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from checklist.commands import EXIT_OK, assess_inputs
from checklist.core.engine import AppResult, Assessment, Finding
from checklist.core.errors import UsageError
from checklist.core.text import answer_text, clean
from checklist.io.output import emit
from checklist.io.source import DEFAULT_LIMITS, Limits
from checklist.render import RenderOptions
from checklist.render.table import STATUS_WORD, VERDICT_STYLE, console_for

RESULT_STYLE = {"pass": "green", "partial": "yellow", "fail": "red", "unknown": "magenta", "not_applicable": "dim"}


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _facts(finding: Finding, discovered: frozenset[str] = frozenset()) -> str:
    """The facts a rule read, `*` after those a scan found and no person has confirmed."""
    return "; ".join(f"{k}={clean(answer_text(v))}{'*' if k in discovered else ''}" for k, v in finding.facts.items())


def arithmetic(result: AppResult, assessment: Assessment) -> list[str]:
    """The lines that derive score and confidence from the table, then the judgement again."""
    scoring = assessment.catalog.scoring
    score = result.score
    credit = ", ".join(f"{k} {_num(v)}" for k, v in scoring.credit.items())
    lines = [
        f"Credit per result: {credit}; unknown and n/a are left out.",
        f"Score      = 100 × Σ(weight × credit) / Σ(weight of known rules)"
        f" = 100 × {_num(score.earned)} / {_num(score.known_weight)} = {score.value:.1f}",
        f"Confidence = Σ(weight of known rules) / Σ(weight of applicable rules)"
        f" = {_num(score.known_weight)} / {_num(score.applicable_weight)} = {score.confidence:.2f}",
    ]
    lines.extend(judgement(result, assessment))
    return lines


def judgement(result: AppResult, assessment: Assessment) -> list[str]:
    """How the verdict and the strategy were decided, deciding step and rules first (DESIGN.md "Judgement")."""
    catalog = assessment.catalog
    scoring, labels = catalog.scoring, catalog.labels
    score, reason = result.score, result.reason
    floor, t = scoring.confidence_floor, scoring.thresholds
    deciding = [f for f in result.findings if f.rule.id in reason.rules]
    verdict = f"Verdict    = {labels.verdict(result.verdict).lower()}: {labels.reason(reason.decided_by)}"
    if reason.decided_by == "blocker":
        why = [f"  {f.rule.problem_text} ({f.rule.id}, blocker → {labels.strategy(f.rule.strategy or '')}): "
               f"{f.message}" for f in deciding]
        lines = [verdict + " (a failing blocker decides at any confidence)", *why]
    elif reason.decided_by == "insufficient_data":
        lines = [verdict + f": confidence {score.confidence:.2f} is below {_num(floor)} and no blocker fails"]
    elif reason.decided_by == "cap":
        lines = [verdict + f": whatever the score ({score.value:.1f}), until these are fixed"]
        lines += [f"  {f.rule.problem_text} ({f.rule.id}) holds it at {labels.verdict(f.rule.caps or '').lower()}: "
                  f"{f.rule.caps_reason}" for f in deciding]
    else:
        bands = (f"ready ≥ {_num(t['ready'])}, ready with changes ≥ {_num(t['ready_with_changes'])}, "
                 "else needs refactoring")
        lines = [verdict + f": confidence {score.confidence:.2f} ≥ {_num(floor)}, no blocker fails, nothing caps it, "
                           f"score {score.value:.1f} ({bands})"]
    if result.prerequisites:
        lines.append("  Waits for: " + "; ".join(catalog.facts[f].text if f in catalog.facts else f
                                                   for f in result.prerequisites))
    if reason.decided_by == "blocker":
        named = ", ".join(f"{f.rule.id} → {f.rule.strategy}" for f in deciding)
        lines.append(f"Strategy   = {labels.strategy(result.strategy)}: from the deciding blockers ({named}); "
                     f"the most conservative first: {', '.join(scoring.strategy_priority)}")
    else:
        special = next((w for w in scoring.strategy_when if w.strategy == result.strategy
                        and result.verdict in w.verdicts), None)
        because = special.reason if special else f"what the verdict {labels.verdict(result.verdict).lower()} implies"
        lines.append(f"Strategy   = {labels.strategy(result.strategy)}: {because}")
    return lines


# Below this width the nine columns of the table would break words: each rule is a short block instead.
TABLE_FROM = 160
FAILING = ("fail", "partial")


def _blocks(result: AppResult, findings: Sequence[Finding], credit: Mapping[str, float],
            discovered: frozenset[str] = frozenset()) -> list[Text | Padding]:
    """Each rule as a heading line and its facts and message below, wrapped by the console at words."""
    out: list[Text | Padding] = []
    for finding in findings:
        rule, known = finding.rule, finding.known
        word = STATUS_WORD.get(finding.result, finding.result) if finding.result == "not_applicable" else finding.result
        head = Text("  ").append(rule.id, style="bold").append(" · ").append(word, style=RESULT_STYLE[finding.result])
        arithmetic_ = (f" · weight {_num(rule.weight)} × credit {_num(credit[finding.result])} = "
                       f"{_num(rule.weight * credit[finding.result])}" if known else "")
        head.append(f" · step {rule.step} · {rule.severity}{arithmetic_}", style="dim")
        out.append(head)
        if finding.facts:
            out.append(Padding(Text(f"facts: {_facts(finding, discovered)}", style="dim"), (0, 0, 0, 6),
                               expand=False))
        out.append(Padding(Text(finding.message), (0, 0, 0, 6), expand=False))
    return out


@dataclass(frozen=True)
class Options:
    """`checklist explain` as the command line gives it."""

    files: Sequence[str]
    app: str
    rules: Sequence[Path] = ()
    fmt: str = "table"
    color: bool = False
    width: int = 120
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)
    failing_only: bool = False  # only the rules that fail or partly fail


def run(options: Options) -> int:
    if not options.app:
        raise UsageError("name the application with --app ID")
    _, _, assessment = assess_inputs(options.files, options.rules, options.app, limits=options.limits)
    (result,) = assessment.applications
    if options.fmt == "json":
        from checklist.render.json import application_document

        doc = application_document(result)
        if options.failing_only:
            doc["findings"] = [f for f in doc["findings"] if f["result"] in FAILING]
        doc["arithmetic"] = {
            "earned": result.score.earned, "known_weight": result.score.known_weight,
            "applicable_weight": result.score.applicable_weight,
        }
        emit(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", None)
        return EXIT_OK
    credit = assessment.catalog.scoring.credit
    console = console_for(RenderOptions(color=options.color, width=options.width))
    app_ = result.application
    console.print(Text(f"{clean(app_.id)} — {clean(app_.name)}", style="bold"))
    console.print(Text(f"defined at {clean(app_.origin)} · catalog {assessment.catalog.name} "
                       f"{assessment.catalog.version}", style="dim"))
    for line in judgement(result, assessment):
        console.print(Text(line, style=VERDICT_STYLE[result.verdict] if line.startswith("Verdict") else ""))
    findings = [f for f in result.findings if f.result in FAILING] if options.failing_only else list(result.findings)
    discovered = frozenset(f for f in app_.discovered if app_.is_discovered(f))
    if options.width < TABLE_FROM:
        console.print("")
        for block in _blocks(result, findings, credit, discovered):
            console.print(block)
        console.print("")
    else:
        console.print(_table(findings, credit, discovered))
    if discovered:
        labels = assessment.catalog.labels
        console.print(Text("* " + labels.say("discovered_heading"), style="bold"))
        for fact in (f for f in assessment.catalog.facts if f in discovered):
            found = app_.discovered[fact]
            first = found.evidence[0] if found.evidence else None
            where = labels.say("discovered_from", place=first.place, text=first.text).rstrip(" —") if first else ""
            console.print(Text(f"  {fact} = {clean(answer_text(found.value))}: {clean(where)}"))
    for line in arithmetic(result, assessment):
        console.print(Text(line))
    emit(console.file.getvalue(), None)  # type: ignore[attr-defined]
    return EXIT_OK


def _table(findings: Sequence[Finding], credit: Mapping[str, float], discovered: frozenset[str]) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    for name, justify in (("Rule", "left"), ("Step", "right"), ("Severity", "left"), ("Result", "left"),
                          ("Weight", "right"), ("Credit", "right"), ("W×C", "right"),
                          ("Facts read", "left"), ("Message", "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for finding in findings:
        known = finding.known
        table.add_row(
            finding.rule.id, str(finding.rule.step), finding.rule.severity,
            Text(STATUS_WORD.get(finding.result, finding.result) if finding.result == "not_applicable"
                 else finding.result, style=RESULT_STYLE[finding.result]),
            _num(finding.rule.weight) if finding.result != "not_applicable" else "—",
            _num(credit[finding.result]) if known else "—",
            _num(finding.rule.weight * credit[finding.result]) if known else "—",
            Text(_facts(finding, discovered)), Text(finding.message),
        )
    return table

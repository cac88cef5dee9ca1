"""The terminal view: applications, the organisation's 19 steps, the portfolio."""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from checklist.core.text import clean
from checklist.core.vocabulary import VERDICTS

if TYPE_CHECKING:
    from checklist.core.engine import AppResult, Assessment
    from checklist.render import RenderOptions
    from checklist.render.extras import Extras

VERDICT_STYLE = {
    "ready": "bold green",
    "ready_with_changes": "green",
    "needs_refactoring": "yellow",
    "needs_platform": "cyan",
    "not_suitable": "bold red",
    "insufficient_data": "magenta",
}
STATUS_STYLE = {"done": "green", "partly": "yellow", "not_started": "red", "unknown": "magenta",
                "not_applicable": "dim"}
STATUS_WORD = {"done": "done", "partly": "partly", "not_started": "not started", "unknown": "unknown",
               "not_applicable": "n/a"}


def words(value: str) -> str:
    """An enum value as words: ``ready_with_changes`` → ``ready with changes``."""
    return value.replace("_", " ")


def console_for(options: RenderOptions) -> Console:
    return Console(file=io.StringIO(), force_terminal=options.color, no_color=not options.color,
                   width=options.width, color_system="standard" if options.color else None,
                   highlight=False, emoji=False, legacy_windows=False)


# Above this many applications the list is laid out as plain aligned text: rich
# measures and wraps every cell, which takes over a minute for 10,000 rows.
RICH_UP_TO = 200
ANSI = {"bold green": "1;32", "green": "32", "yellow": "33", "cyan": "36", "bold red": "1;31", "magenta": "35",
        "dim": "2"}
NOT_SCORED = "not scored"


def score_text(result: AppResult) -> str:
    """The score as every view shows it: no number for an application with too few answers."""
    return f"{result.score.value:.1f}" if result.scored else NOT_SCORED


def ranked(assessment: Assessment) -> list[AppResult]:
    """Readiest first; apps we know too little about come last, whatever their score."""
    return sorted(assessment.applications,
                  key=lambda r: (VERDICTS.index(r.verdict), -r.score.value, r.application.id))


def plain_applications(assessment: Assessment, color: bool, width: int, extras: Extras | None = None) -> str:
    """The applications table as aligned lines, for large portfolios: the same columns and
    order as `applications_table`, blockers on one line, colours as plain ANSI codes."""
    def paint(text: str, style: str) -> str:
        return f"\x1b[{ANSI[style]}m{text}\x1b[0m" if color else text

    headers = ["Application", "Score", "Verdict", "Strategy", "Conf.", "Blockers", *([extras.header] if extras else [])]
    rows = []
    for result in ranked(assessment):
        extra = extras.apps.get(result.application.id) if extras else None
        cells = [clean(result.application.id), score_text(result), words(result.verdict),
                 words(result.strategy), f"{result.score.confidence:.0%}",
                 ", ".join(b.rule.id for b in result.blockers) or "—"]
        if extras:
            cells.append(extra.line if extra else "—")
        rows.append((result, extra, cells))
    widths = [max([len(h), *(len(cells[i]) for *_, cells in rows)]) for i, h in enumerate(headers)]
    right = (1, 4)  # score and confidence are numbers

    def line(cells: list[str]) -> list[str]:
        return [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]

    rule = "─" * min(width - 2, sum(widths) + 3 * len(widths))
    out = ["Applications", "", "  " + "   ".join(line(headers)).rstrip(), " " + rule]
    for result, extra, cells in rows:
        padded = line(cells)
        padded[2] = paint(padded[2], VERDICT_STYLE[result.verdict])
        if extra is not None:
            padded[6] = paint(padded[6], extra.style)
        out.append(("  " + "   ".join(padded)).rstrip())
        name = result.application.name
        if name and name != result.application.id:
            out.append("  " + paint(clean(name), "dim"))
    return "\n".join(out) + "\n\n"


ID_WIDTH = 24
# Below this width the blockers go under the application's name, not in a column of their own.
BLOCKERS_COLUMN_FROM = 110


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def applications_table(assessment: Assessment, extras: Extras | None = None, width: int = 120) -> Table:
    table = Table(title="Applications", box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    results = ranked(assessment)
    blocker_column = width >= BLOCKERS_COLUMN_FROM
    # Ids are what people copy into `explain --app`: the column keeps ids of up to 24
    # characters whole (wider would squeeze the blocker ids and an extra column such as Konveyor's out).
    longest = max((len(clean(r.application.id)) for r in results), default=0)
    if not blocker_column:  # narrow: blockers under the name, confidence under the score
        longest = max([longest, *(len(b.rule.id) + 2 for r in results for b in r.blockers)])
    if blocker_column:
        table.add_column("Application", overflow="fold", ratio=3, min_width=min(longest, ID_WIDTH))
    else:  # as wide as the ids and blocker ids, and no wider: the other columns need their words
        table.add_column("Application", overflow="fold", width=min(longest, ID_WIDTH + 6))
    table.add_column("Score", justify="right")
    # Verdicts and strategies wrap between words ("ready with / changes"), never inside one.
    verdicts, strategies = [words(r.verdict) for r in results], [words(r.strategy) for r in results]
    narrow = 12 if extras or not blocker_column else None
    table.add_column("Verdict", max_width=max(narrow or 0, _longest_word(verdicts)) if narrow else None,
                     min_width=_longest_word(verdicts))
    table.add_column("Strategy", max_width=max(narrow or 0, _longest_word(strategies)) if narrow else None,
                     min_width=_longest_word(strategies))
    if blocker_column:
        table.add_column("Conf.", justify="right")
        table.add_column("Blockers", no_wrap=True)
    if extras:
        table.add_column(extras.header, min_width=extras.width)
    for result in results:
        app = result.application
        label = Text(clean(app.id))
        if app.name and app.name != app.id:
            label.append(f"\n{clean(app.name)}", style="dim")
        if not blocker_column:
            for blocker in result.blockers:
                label.append(f"\n✗ {blocker.rule.id}", style="red")
        confidence = f"{result.score.confidence:.0%}"
        cells: list[Text | str] = [
            label,
            score_text(result) if blocker_column else f"{score_text(result)}\n{confidence} conf.",
            Text(words(result.verdict), style=VERDICT_STYLE[result.verdict]),
            words(result.strategy),
        ]
        if blocker_column:
            cells += [confidence, Text("\n".join(b.rule.id for b in result.blockers) or "—")]
        if extras:
            extra = extras.apps.get(app.id)
            cells.append(Text(extra.cell, style=extra.style) if extra else Text("—"))
        table.add_row(*cells)
    return table


def steps_table(assessment: Assessment) -> Table:
    org = {s.step: s.status for s in assessment.organization.steps}
    apps = assessment.applications
    table = Table(title="The 19 steps", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Phase")
    table.add_column("Step", overflow="fold", ratio=1)
    table.add_column("Organisation")
    table.add_column("Apps done", justify="right")
    counts = Counter((s.step, s.status) for r in apps for s in r.steps)
    for step in assessment.catalog.steps:
        status = org.get(step.number)
        done = counts[(step.number, "done")]
        relevant = sum(n for (number, state), n in counts.items()
                       if number == step.number and state != "not_applicable")
        table.add_row(
            str(step.number),
            step.phase,
            step.title,
            Text(STATUS_WORD[status], style=STATUS_STYLE[status]) if status else Text("—", style="dim"),
            f"{done}/{relevant}" if relevant else "—",
        )
    return table


def summary(assessment: Assessment) -> Group:
    portfolio = assessment.portfolio
    org = assessment.organization
    lines = [Text("Portfolio", style="bold")]
    vms = sum(h.vms for h in portfolio.headline)
    lines.append(Text(f"  {_count(portfolio.applications, 'application')}"
                      + (f", {_count(vms, 'VM')}" if vms else "")))
    for line in headline(assessment):
        verdict, text = line
        lines.append(Text("  ").append(text, style=VERDICT_STYLE[verdict]))
    if portfolio.averaged:
        lines.append(Text(f"  Average score {portfolio.average_score:.1f}, over the "
                          f"{_count(portfolio.averaged, 'application')} that can move"))
    org_name = clean(org.organization.name) or "Organisation"
    catalog = assessment.catalog
    if org.score.confidence >= catalog.scoring.confidence_floor:
        lines.append(Text(f"  {org_name} readiness {org.score.value:.1f} "
                          f"(confidence {org.score.confidence:.0%})"))
    else:
        questions = catalog.facts_for("organization")
        answered = sum(1 for f in questions if f.id in org.organization.known)
        lines.append(Text("  " + catalog.labels.say("org_not_scored", name=org_name, answered=answered,
                                                    total=len(questions)), style="yellow"))
    if portfolio.top_failing:
        lines.append(Text("  Most common failures:"))
        for rule, count in portfolio.top_failing[:5]:
            lines.append(Text(f"    {count:>3} × {rule.problem_text} ({rule.id})"))
    discovered = sum(1 for r in assessment.applications for f in r.application.discovered
                     if r.application.is_discovered(f))
    if discovered:
        lines.append(Text("  " + catalog.labels.say("discovered_note", discovered), style="dim"))
    lines.append(Text(f"  catalog {catalog.name} {catalog.version}", style="dim"))
    return Group(*lines)


def _count(n: float, noun: str) -> str:
    return f"{n:,.0f} {noun}{'' if n == 1 else 's'}"


def headline(assessment: Assessment) -> list[tuple[str, str]]:
    """(verdict, sentence) per verdict that occurs: applications, and VMs and vCPU where known."""
    labels = assessment.catalog.labels
    out = []
    for h in assessment.portfolio.headline:
        if not h.applications:
            continue
        size = ""
        if h.footprinted:
            size = f", {_count(h.vms, 'VM')}" + (f", {h.vcpu:,.0f} vCPU" if h.vcpu else "")
            if h.footprinted < h.applications:
                size += f" (footprint known for {h.footprinted})"
        out.append((h.verdict, f"{labels.verdict(h.verdict)}: {_count(h.applications, 'application')}{size}"))
    return out


def render(assessment: Assessment, options: RenderOptions) -> str:
    console = console_for(options)
    listing = ""
    if len(assessment.applications) > RICH_UP_TO:
        listing = plain_applications(assessment, options.color, options.width, options.extras)
    elif assessment.applications:
        console.print(applications_table(assessment, options.extras, options.width))
    console.print(steps_table(assessment))
    console.print(summary(assessment))
    out = console.file
    assert isinstance(out, io.StringIO)
    return listing + out.getvalue()

"""The terminal view: applications, the organisation's 19 steps, the portfolio."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from checklist.text import clean

if TYPE_CHECKING:
    from checklist.engine import Assessment
    from checklist.report import RenderOptions

VERDICT_STYLE = {
    "ready": "bold green",
    "ready_with_changes": "green",
    "needs_refactoring": "yellow",
    "not_suitable": "bold red",
    "insufficient_data": "magenta",
}
VERDICT_ORDER = ("ready", "ready_with_changes", "needs_refactoring", "not_suitable", "insufficient_data")
RISK_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red", "unknown": "magenta"}
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


def applications_table(assessment: Assessment) -> Table:
    table = Table(title="Applications", box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    table.add_column("Application", overflow="fold", ratio=3)
    table.add_column("Score", justify="right")
    table.add_column("Verdict", overflow="fold")
    table.add_column("Strategy", overflow="fold")
    table.add_column("Conf.", justify="right")
    table.add_column("Blockers", no_wrap=True)
    konveyor = any(r.konveyor is not None for r in assessment.applications)  # only with --questionnaire
    if konveyor:
        table.add_column("Konveyor", no_wrap=True)
    # Readiest first; apps we know too little about come last, whatever their score.
    ranked = sorted(assessment.applications,
                    key=lambda r: (VERDICT_ORDER.index(r.verdict), -r.score.value, r.application.id))
    for result in ranked:
        app = result.application
        label = Text(clean(app.id))
        if app.name and app.name != app.id:
            label.append(f"\n{clean(app.name)}", style="dim")
        cells: list[Text | str] = [
            label,
            f"{result.score.value:.1f}",
            Text(words(result.verdict), style=VERDICT_STYLE[result.verdict]),
            words(result.strategy),
            f"{result.score.confidence:.0%}",
            Text("\n".join(b.rule.id for b in result.blockers) or "—"),
        ]
        if konveyor:
            k = result.konveyor
            cells.append(Text(f"{k.risk}, confidence {k.confidence}", style=RISK_STYLE[k.risk]) if k else Text("—"))
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
    for step in assessment.catalog.steps:
        status = org.get(step.number)
        per_app = [s.status for r in apps for s in r.steps if s.step == step.number]
        relevant = [s for s in per_app if s != "not_applicable"]
        done = sum(1 for s in relevant if s == "done")
        table.add_row(
            str(step.number),
            step.phase,
            step.title,
            Text(STATUS_WORD[status], style=STATUS_STYLE[status]) if status else Text("—", style="dim"),
            f"{done}/{len(relevant)}" if relevant else "—",
        )
    return table


def summary(assessment: Assessment) -> Group:
    portfolio = assessment.portfolio
    org = assessment.organization
    lines = [Text("Portfolio", style="bold")]
    lines.append(Text(f"  {portfolio.applications} applications, average score {portfolio.average_score:.1f}"))
    verdicts = Text("  ")
    for verdict, count in portfolio.by_verdict.items():
        if count:
            verdicts.append(f"{words(verdict)} {count}", style=VERDICT_STYLE[verdict])
            verdicts.append("   ")
    lines.append(verdicts)
    org_name = clean(org.organization.name) or "Organisation"
    lines.append(Text(f"  {org_name} readiness {org.score.value:.1f} "
                      f"(confidence {org.score.confidence:.0%})"))
    if portfolio.top_failing:
        lines.append(Text("  Most common failures:"))
        for rule, count in portfolio.top_failing[:5]:
            lines.append(Text(f"    {count:>3} × {rule.id} — {rule.title}"))
    catalog = assessment.catalog
    lines.append(Text(f"  catalog {catalog.name} {catalog.version}", style="dim"))
    return Group(*lines)


def render(assessment: Assessment, options: RenderOptions) -> str:
    console = console_for(options)
    if assessment.applications:
        console.print(applications_table(assessment))
    console.print(steps_table(assessment))
    console.print(summary(assessment))
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()

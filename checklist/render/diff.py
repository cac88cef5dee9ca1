"""The difference between two assessments as JSON (a public shape, see README), as a
terminal view, and as template data (the report's "progress since" section)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from checklist.core.text import answer_text, clean
from checklist.render.table import RICH_UP_TO

if TYPE_CHECKING:
    from checklist.core.model import Labels
    from checklist.diff import AppChange, Diff
    from checklist.render import RenderOptions


def diff_document(diff: Diff) -> dict[str, Any]:
    """The shape `checklist diff --format json` prints."""
    return {
        "before": diff.before,
        "after": diff.after,
        "applications": [
            {"id": c.id, "change": c.change, "score_before": c.score_before, "score_after": c.score_after,
             "verdict_before": c.verdict_before, "verdict_after": c.verdict_after,
             "strategy_before": c.strategy_before, "strategy_after": c.strategy_after,
             "confidence_before": c.confidence_before, "confidence_after": c.confidence_after,
             "steps_done": list(c.steps_done), "steps_regressed": list(c.steps_regressed),
             "facts_changed": {f: [b, a] for f, (b, a) in c.facts_changed.items()}}
            for c in diff.applications
        ],
        "portfolio": dict(diff.portfolio),
    }


def _row(c: AppChange, labels: Labels, titles: Mapping[int, str]) -> dict[str, Any]:
    def named(steps: Sequence[int]) -> list[str]:
        return [f"{n} {titles[n]}" if n in titles else str(n) for n in steps]

    return {
        "id": c.id, "name": c.name, "change": c.change,
        "score_before": c.score_before, "score_after": c.score_after, "score_change": c.score_change,
        "confidence_before": c.confidence_before, "confidence_after": c.confidence_after,
        "steps_done_named": named(c.steps_done), "steps_regressed_named": named(c.steps_regressed),
        "verdict_before": labels.verdict(c.verdict_before) if c.verdict_before else "–",
        "verdict_after": labels.verdict(c.verdict_after) if c.verdict_after else "–",
        "steps_done": list(c.steps_done), "steps_regressed": list(c.steps_regressed),
        "facts": [f"{f}: {answer_text(b)} → {answer_text(a)}" for f, (b, a) in c.facts_changed.items()],
    }


def progress_data(diff: Diff) -> dict[str, Any]:
    """What the templates show under ``progress``."""
    p = diff.portfolio
    changed = [_row(c, diff.labels, diff.step_titles) for c in diff.changed]
    movers = sorted((r for r in changed if r["score_change"]), key=lambda r: -abs(r["score_change"]))
    return {
        "before": diff.before, "after": diff.after, "portfolio": dict(p),
        "verdicts": [{"label": diff.labels.verdict(v), "before": n["before"], "after": n["after"]}
                     for v, n in p["by_verdict"].items() if n["before"] or n["after"]],
        "changed": changed, "movers": movers[:8],
    }


def render_json(diff: Diff, options: RenderOptions) -> str:
    from checklist.render.json import dumps

    return dumps(diff_document(diff), indent=True).decode() + "\n"


def render_md(diff: Diff, options: RenderOptions) -> str:
    from checklist.render.document import render_file

    return render_file(options, "diff.md.j2", markdown=True, applications=len(diff.applications),
                       data={"progress": progress_data(diff), "standalone": True})


def _arrow(before: float | None, after: float | None) -> str:
    if before is None:
        return f"new {after:.1f}" if after is not None else ""
    if after is None:
        return f"{before:.1f} gone"
    return f"{before:.1f} → {after:.1f} ({after - before:+.1f})"


def render_table(diff: Diff, options: RenderOptions) -> str:
    from checklist.render.table import console_for

    console = console_for(options)
    data = progress_data(diff)
    p = data["portfolio"]
    console.print(Text(f"From {clean(diff.before)} to {clean(diff.after)}", style="bold"))
    if not data["changed"]:
        console.print(f"No changes: {p['applications_after']} applications with the same scores, verdicts, "
                      "steps and answers.")
        return _out(console)
    rows = [_cells(row) for row in data["changed"]]
    if len(rows) > RICH_UP_TO:
        console.file.write(_plain(rows, options.width))
    else:
        table = Table(box=box.SIMPLE_HEAD)
        for column in (*_COLUMNS, "Answers changed"):
            table.add_column(column, ratio={"Answers changed": 2, "Steps done": 2, "Regressed": 1}.get(column))
        for cells, facts in rows:  # as Text: an id or answer from a saved result may hold rich markup
            table.add_row(*map(Text, cells), Text("\n".join(facts) or "—"))
        console.print(table)
    console.print(f"Portfolio: {p['applications_before']} → {p['applications_after']} applications "
                  f"({p['added']} added, {p['removed']} removed, {p['changed']} changed); average score "
                  f"{p['average_score_before']:.1f} → {p['average_score_after']:.1f}; verdicts up {p['verdicts_up']}, "
                  f"down {p['verdicts_down']}; steps done {p['steps_done']}, regressed {p['steps_regressed']}.")
    return _out(console)


_COLUMNS = ("Application", "Change", "Score", "Confidence", "Verdict", "Steps done", "Regressed")


def _confidence(before: float | None, after: float | None) -> str:
    """Beside the score: answering unknowns honestly can lower a score and raise the confidence."""
    if before is None and after is None:
        return "—"
    if before is None or after is None or round(before, 2) == round(after, 2):
        return f"{(after if after is not None else before):.0%}"
    return f"{before:.0%} → {after:.0%}"


def _cells(row: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The cells of one changed application (`_COLUMNS`), and its changed answers."""
    verdict = (row["verdict_after"] if row["verdict_before"] == row["verdict_after"]
               else f"{row['verdict_before']} → {row['verdict_after']}")
    return ([clean(row["id"]), row["change"], _arrow(row["score_before"], row["score_after"]),
             _confidence(row["confidence_before"], row["confidence_after"]), verdict,
             "\n".join(row["steps_done_named"]) or "—", "\n".join(row["steps_regressed_named"]) or "—"],
            [clean(f) for f in row["facts"]])


def _plain(rows: list[tuple[list[str], list[str]]], width: int) -> str:
    """The changes as aligned lines, each application's changed answers indented under it:
    rich measures and wraps every cell, about a second for each thousand rows."""

    def line(cells: Sequence[str]) -> str:
        return ("  " + "   ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()

    rows = [([c.replace("\n", "; ") for c in cells], facts) for cells, facts in rows]
    widths = [max([len(h), *(len(cells[i]) for cells, _ in rows)]) for i, h in enumerate(_COLUMNS)]
    out = ["", line(_COLUMNS), " " + "─" * min(width - 2, sum(widths) + 3 * len(widths))]
    for cells, facts in rows:
        out.append(line(cells))
        out.extend(f"      {fact}" for fact in facts)
    return "\n".join(out) + "\n\n"


def _out(console: Any) -> str:
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


"""Inline SVG charts, made here: no plotting library, no network, no script.

Every mark carries its meaning in text too (labels and numbers), so a
grey-scale print reads the same as the colour one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

# One colour a verdict, always beside its name: green to amber for the bands (can move),
# blue for waiting on the platform (a gap the organisation closes, not a "no"), red
# for staying where it is, grey for not assessed.
VERDICT_COLOUR = {
    "ready": "#1a7f37",
    "ready_with_changes": "#6cc04a",
    "needs_refactoring": "#e3b341",
    "needs_platform": "#0969da",
    "not_suitable": "#cf222e",
    "insufficient_data": "#8c959f",
}
# Text on a verdict's colour: dark on the light ones, white on the rest.
VERDICT_INK = {"ready_with_changes": "#1f2328", "needs_refactoring": "#1f2328"}


def verdict_bars(verdicts: Sequence[dict[str, Any]], width: int = 520) -> str:
    """Horizontal bars, one per verdict, each labelled with its name, its count of
    applications and, where the footprint is known, its VMs."""
    row, label_w, pad = 24, 150, 110
    top = max((v["count"] for v in verdicts), default=0) or 1
    bar_room = width - label_w - pad
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
             f'height="{row * len(verdicts) + 4}" viewBox="0 0 {width} {row * len(verdicts) + 4}" '
             f'role="img" aria-label="Applications per verdict">']
    for i, v in enumerate(verdicts):
        y = i * row + 2
        length = round(bar_room * v["count"] / top)
        colour = VERDICT_COLOUR.get(v["verdict"], "#888")
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12">'
                     f'{escape(v["label"])}</text>')
        if length:
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{row - 8}" rx="2" '
                         f'fill="{colour}" stroke="#333" stroke-width="0.5"/>')
        vms = v.get("vms", 0) if v.get("footprinted") else 0
        extra = f' <tspan font-weight="normal" fill="#59636e">· {vms:,.0f} VM{"s" if vms != 1 else ""}</tspan>' \
            if vms else ""
        parts.append(f'<text x="{label_w + length + 6}" y="{y + 16}" font-size="12" font-weight="bold">'
                     f'{v["count"]}{extra}</text>')
    parts.append("</svg>")
    return "".join(parts)


def gauge(score: float, verdict: str, label: str, size: int = 150, *, scored: bool = True) -> str:
    """A half-circle gauge from 0 to 100 with the score and the verdict written under it;
    for an application that is not scored, an empty track that says so, and no number.

    The arcs are SVG; the words are HTML laid over them (CSS class `gauge`): the
    PDF engine lays out SVG text several times slower than HTML text, and there
    is one gauge per application page.
    """
    r = size / 2 - 10
    cx, cy = size / 2, size / 2 + 4
    height = int(cy + 9)

    def point(value: float) -> tuple[float, float]:
        angle = math.pi * (1 - value / 100)
        return cx + r * math.cos(angle), cy - r * math.sin(angle)

    x0, y0 = point(0)
    x1, y1 = point(100)
    xs, ys = point(max(0.0, min(100.0, score)))
    # A blocker decides these verdicts whatever the score: the arc stays neutral and says so, so that
    # a high number on the page never reads as "nearly ready".
    blocked = verdict in ("not_suitable", "needs_platform")
    colour = "#afb8c1" if blocked else VERDICT_COLOUR.get(verdict, "#888")
    of = "of 100 · a blocker decides" if blocked else "of 100"
    track = f'M {x0:.1f} {y0:.1f} A {r:.1f} {r:.1f} 0 0 1 {x1:.1f} {y1:.1f}'
    arc = f'M {x0:.1f} {y0:.1f} A {r:.1f} {r:.1f} 0 0 1 {xs:.1f} {ys:.1f}'
    if not scored:
        return (
            f'<div class="gauge not-scored" style="width:{size}px">'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{height}" '
            f'viewBox="0 0 {size} {height}" role="img" aria-label="Not scored, {escape(label)}">'
            f'<path d="{track}" fill="none" stroke="#d0d7de" stroke-width="14" stroke-dasharray="6 4"/>'
            f'</svg><div class="gauge-score">not scored</div><div class="gauge-of">too few answers</div>'
            f'<div class="gauge-verdict">{escape(label)}</div></div>'
        )
    return (
        f'<div class="gauge" style="width:{size}px">'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{height}" '
        f'viewBox="0 0 {size} {height}" role="img" aria-label="Score {score:.1f} of 100, {escape(label)}">'
        f'<path d="{track}" fill="none" stroke="#d0d7de" stroke-width="14"/>'
        + (f'<path d="{arc}" fill="none" stroke="{colour}" stroke-width="14"/>' if score > 0 else "")
        + f'</svg><div class="gauge-score">{score:.1f}</div><div class="gauge-of">{of}</div>'
        f'<div class="gauge-verdict">{escape(label)}</div></div>'
    )


def share_bar(done: int, total: int, width: int = 50) -> str:
    """A small bar for `done` of `total`, with the count and percentage written beside it."""
    if not total:
        return "–"
    share = done / total
    filled = round(width * share)
    label = f"{done}/{total} · {share:.0%}"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="share" width="{width + 70}" height="12" '
            f'viewBox="0 0 {width + 70} 12" role="img" aria-label="{label}">'
            f'<rect x="0" y="1" width="{width}" height="10" fill="#eaeef2" stroke="#8c959f" stroke-width="0.5"/>'
            f'<rect x="0" y="1" width="{filled}" height="10" fill="#1a7f37"/>'
            f'<text x="{width + 4}" y="10" font-size="9">{label}</text></svg>')


# The heatmap's colours, for the bands here and the `s-…` classes of report.css.
STATUS_COLOUR = {
    "done": "#d1f0d9",
    "partly": "#fff1c2",
    "not_started": "#ffd6d6",
    "unknown": "#eceff3",
    "not_applicable": "#ffffff",
}


def stripes(steps: Mapping[int, str], numbers: Sequence[int]) -> str:
    """A CSS background of equal vertical bands, one per step in `numbers`, coloured
    by the step's status in `steps` (not applicable when absent).

    The PDF heatmap draws a row's statuses as one line of monospaced symbols over
    these bands instead of one table cell per status: a cell costs the PDF engine
    about a millisecond, and a large portfolio has thousands.
    """
    if not numbers:
        return ""
    width = 100 / len(numbers)
    colours = [STATUS_COLOUR.get(steps.get(n, "not_applicable"), "#ffffff") for n in numbers]
    stops = ",".join(f"{c} {i * width:.3f}%,{c} {(i + 1) * width:.3f}%" for i, c in enumerate(colours))
    return f"background: linear-gradient(to right,{stops})"

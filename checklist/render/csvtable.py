"""One row per application for spreadsheets and BI tools. An application
with too few answers has an empty score (`scored` no): it has no number.

Cells that a spreadsheet would run as a formula (starting with = + - @, a
tab or a carriage return) are prefixed with an apostrophe, so a name like
``=HYPERLINK(...)`` stays text; escape sequences and control characters
are removed, so printing the CSV cannot drive a terminal.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from checklist.core.text import strip_escapes

if TYPE_CHECKING:
    from checklist.core.engine import Assessment
    from checklist.render import RenderOptions

COLUMNS = ("id", "name", "owner", "criticality", "score", "confidence", "verdict", "strategy", "blockers",
           "top_remediation", "top_remediation_gain", "scored", "decided_by", "prerequisites")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """`value` as a cell no spreadsheet will evaluate and no terminal will obey (no escapes)."""
    text = strip_escapes(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(assessment: Assessment, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    extras = options.extras
    writer.writerow(COLUMNS + (extras.csv_columns if extras else ()))
    for result in assessment.applications:
        app = result.application
        top = result.remediations[0] if result.remediations else None
        row = [
            app.id, app.name, app.owner, app.criticality, f"{result.score.value:.1f}" if result.scored else "",
            f"{result.score.confidence:.2f}", result.verdict, result.strategy,
            ";".join(b.rule.id for b in result.blockers),
            top.rule.id if top else "", f"{top.gain:.1f}" if top else "",
            "yes" if result.scored else "no", result.reason.decided_by, ";".join(result.prerequisites),
        ]
        if extras:
            extra = extras.apps.get(app.id)
            row += extra.csv if extra else [""] * len(extras.csv_columns)
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()

"""One JSON document per application per line (the `applications` entries of the
JSON result), for streaming into log pipelines and BI tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from checklist.report.json import application_document

if TYPE_CHECKING:
    from checklist.engine import Assessment
    from checklist.report import RenderOptions


def render(assessment: Assessment, options: RenderOptions) -> str:
    return "".join(json.dumps(application_document(result), ensure_ascii=False, separators=(",", ":")) + "\n"
                   for result in assessment.applications)

"""One JSON document per application per line (the `applications` entries of the
JSON result), for streaming into log pipelines and BI tools."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checklist.render.json import application_document, dumps

if TYPE_CHECKING:
    from checklist.core.engine import Assessment
    from checklist.render import RenderOptions


def render(assessment: Assessment, options: RenderOptions) -> Iterator[bytes]:
    return (dumps(application_document(result, options.extras)) + b"\n" for result in assessment.applications)

"""One JSON document per application per line (the `applications` entries of the
JSON result), for streaming into log pipelines and BI tools."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checklist.render.json import CompactEncoder

if TYPE_CHECKING:
    from checklist.core.engine import Assessment
    from checklist.render import RenderOptions


def render(assessment: Assessment, options: RenderOptions) -> Iterator[bytes]:
    encoder = CompactEncoder(options.extras)
    return (encoder.application(result) + b"\n" for result in assessment.applications)

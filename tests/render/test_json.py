"""The JSON result of a large portfolio: streamed compact text, the same document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import large_assessment

from checklist.core.model import Catalog
from checklist.io import output
from checklist.render import ASSESSMENT, RenderOptions
from checklist.render.json import document


def test_a_large_portfolio_is_streamed_as_the_compact_form_of_the_same_document(default_catalog: Catalog) -> None:
    assessment = large_assessment(default_catalog)
    pieces = ASSESSMENT["json"](assessment, RenderOptions())
    assert not isinstance(pieces, str | bytes)  # written piece by piece, never held whole
    text = b"".join(pieces).decode("utf-8")  # UTF-8 pieces, as written
    assert text == json.dumps(document(assessment), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert len(json.loads(text)["applications"]) == len(assessment.applications)


def test_jsonl_lines_are_the_applications_of_the_document(default_catalog: Catalog) -> None:
    assessment = large_assessment(default_catalog, 60)
    lines = b"".join(ASSESSMENT["jsonl"](assessment, RenderOptions())).decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == document(assessment)["applications"]


def test_a_small_portfolio_is_indented_for_people(default_catalog: Catalog) -> None:
    assessment = large_assessment(default_catalog, 3)
    text = ASSESSMENT["json"](assessment, RenderOptions())
    assert isinstance(text, str) and text.startswith('{\n  "schema_version": 2,')


@pytest.mark.parametrize("batch", [1, 5000, output.BATCH])
def test_a_streamed_result_is_written_whole_in_batches_of_any_size(
        default_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    assessment = large_assessment(default_catalog)
    monkeypatch.setattr(output, "BATCH", batch)
    path = tmp_path / "result.json"
    output.write_atomic(path, ["text piece ✓ ", *ASSESSMENT["json"](assessment, RenderOptions())])
    expected = "text piece ✓ " + json.dumps(document(assessment), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert path.read_text(encoding="utf-8") == expected

"""`checklist export konveyor`: our catalog as a questionnaire Konveyor can import."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from checklist.commands import EXIT_OK, input_files
from checklist.core.errors import ChecklistError, Problem
from checklist.core.text import clean
from checklist.interop.konveyor.export import export_questionnaire
from checklist.io.catalog import load_catalog
from checklist.io.output import emit, guard_output
from checklist.io.source import DEFAULT_LIMITS, Limits, load_file
from checklist.render.templating import default_templates_dir


def export_texts() -> dict[str, Any]:
    """The words of the export that are not in the catalog (templates/konveyor-export.yaml)."""
    texts: dict[str, Any] = load_file(default_templates_dir() / "konveyor-export.yaml").data
    return texts


def _refuse_catalog_directories(output: Path, rules: Sequence[Path]) -> None:
    """An output in a --rules directory would overwrite a rule file, or be read as one next time."""
    try:
        target = output.resolve()
    except (RuntimeError, OSError):  # a link that loops: the output guard says so
        return
    for directory in rules:
        if target.is_relative_to(directory.resolve()):
            raise ChecklistError(Problem(str(output), f"is inside the catalog directory {directory}, whose YAML "
                                                      "files are all read as the catalog; write it elsewhere"))


@dataclass(frozen=True)
class Options:
    """`checklist export konveyor` as the command line gives it."""

    rules: Sequence[Path] = ()
    output: Path | None = None  # .json writes JSON, anything else YAML
    force: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    output = options.output
    if output is not None and str(output) != "-":
        _refuse_catalog_directories(output, options.rules)
    inputs = input_files(rules=options.rules)
    guard_output(output, "questionnaire", inputs, force=options.force)
    catalog = load_catalog(options.rules, options.limits)
    document = export_questionnaire(catalog, export_texts())
    if output is not None and output.suffix.lower() == ".json":
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    emit(text, output, inputs)
    if output is not None and str(output) != "-":
        questions = sum(len(s["questions"]) for s in document["sections"])
        print(clean(f"wrote {output} (Konveyor questionnaire {document['name']!r}: "
                    f"{len(document['sections'])} sections, {questions} questions)"), file=sys.stderr)
    return EXIT_OK

"""What `checklist scan` found, as a table for people, JSON for tools, or an inventory (YAML)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from checklist.core.text import answer_text, clean
from checklist.discover import ScanResult, TreeScan, evidence_entry
from checklist.io.editing import block_yaml
from checklist.render import RenderOptions
from checklist.render.table import console_for

STRENGTH_STYLE = {"strong": "green", "medium": "yellow", "weak": "dim"}
NARROW = 100  # columns under which the table gives way to one answer per line, evidence under it


def _skipped(scan: TreeScan) -> dict[str, int]:
    stats = scan.stats
    return {"files": stats.files, "ignored": stats.ignored, "binary": stats.binary, "too_big": stats.too_big,
            "links_out": stats.links_out, "unreadable": stats.unreadable}


def scan_document(scans: Sequence[TreeScan]) -> dict[str, Any]:
    """`{"applications": [{id, path, answers, evidence, undecided, files}]}` (fields are only added)."""
    return {"applications": [{
        "id": scan.id,
        "path": scan.path,
        "answers": scan.answers(),
        "evidence": {p.fact: [evidence_entry(e, p.value) | {"value": e.value} for e in p.evidence]
                     for p in scan.proposals},
        "undecided": [p.fact for p in scan.proposals if p.value is None],
        "files": _skipped(scan),
    } | ({"footprint": dict(scan.footprint)} if scan.footprint else {})
      | ({"not_readable_on_host": list(scan.unread)} if scan.unread else {}) for scan in scans]}


def render_json(result: ScanResult, options: RenderOptions) -> str:
    return json.dumps(scan_document(result.scans), indent=2, ensure_ascii=False) + "\n"


def render_yaml(result: ScanResult, options: RenderOptions) -> str:
    """An inventory of the scanned applications with their discovered answers, ready for
    `checklist interview` or `checklist assess`."""
    apps = [{"id": scan.id} | ({"footprint": dict(scan.footprint)} if scan.footprint else {})
            | {"answers": {}, "discovered": scan.discovered()} for scan in result.scans]
    return block_yaml({"version": 1, "applications": apps})


def render_table(result: ScanResult, options: RenderOptions) -> str:
    labels = result.labels
    console = console_for(options)
    for i, scan in enumerate(result.scans):
        if i:
            console.print()
        decided = [p for p in scan.proposals if p.value is not None]
        if not scan.proposals:
            console.print(Text(labels.say("scan_nothing", app=clean(scan.id), path=clean(scan.path)), style="bold"))
            continue
        console.print(Text(labels.say("scan_heading", len(decided), app=clean(scan.id), path=clean(scan.path)),
                           style="bold"))
        if scan.footprint:
            measured = ", ".join(f"{key} {value}" for key, value in scan.footprint.items())
            console.print(Text(labels.say("scan_footprint", measured=measured), style="dim"))
        rows = []
        for proposal in scan.proposals:
            first = proposal.evidence[0]
            answer = Text(answer_text(proposal.value)) if proposal.value is not None \
                else Text(labels.say("scan_undecided"), style="magenta")
            evidence = Text(f"{first.place} — {first.text}" if first.text else first.place)
            if proposal.disputed:
                values = ", ".join(answer_text(v) for v in proposal.others)
                evidence.append("\n" + labels.say("scan_also", values=values), style="magenta")
            rows.append((proposal.fact, answer, Text(proposal.strength, style=STRENGTH_STYLE[proposal.strength]),
                         evidence))
        if console.width >= NARROW:
            table = Table(box=box.SIMPLE_HEAD)
            for name in labels.say("scan_columns").split("|"):
                table.add_column(name, overflow="fold")
            for row in rows:
                table.add_row(*row)
            console.print(table)
        else:  # four columns leave the evidence a sliver: each answer on a line, its evidence under it
            console.print()
            for fact, answer, strength, evidence in rows:
                console.print(Text.assemble("  ", (fact, "bold"), " = ", answer, "  ", strength))
                console.print(Padding(evidence, (0, 0, 0, 6), expand=False), overflow="fold")
            console.print()
        if scan.unread:
            console.print(Text(labels.say("scan_unread", paths=", ".join(scan.unread)), style="dim"))
        stats = scan.stats
        if stats.ignored or stats.binary or stats.too_big or stats.links_out:
            console.print(Text(labels.say("scan_skipped", ignored=stats.ignored, binary=stats.binary,
                                          too_big=stats.too_big, links=stats.links_out), style="dim"))
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]

"""Hostile text in names, keys and catalogs: it stays text in every output."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from helpers import write_file
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from checklist.cli import app
from checklist.core.errors import Problem
from checklist.render.templating import md_escape, md_prose

runner = CliRunner()
ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # any control character but tab and newline

HOSTILE_NAME = "Visit http://evil.example/login, www.evil.example or mail boss@evil.example <b>now</b> | [x](y)"


def test_markdown_keeps_bare_urls_and_emails_from_becoming_links() -> None:
    text = md_escape(HOSTILE_NAME)
    # GitHub links a scheme followed by "://", a word starting "www." and user@domain;
    # an escape inside each trigger stops it, and renders as the same text.
    assert not re.search(r"(?<!\\):(?=//)", text)
    assert not re.search(r"\bwww\.", text)
    assert not re.search(r"(?<!\\)@", text)
    rendered = MarkdownIt("commonmark").render(text)
    assert "<a " not in rendered and "<b>" not in rendered
    assert "http://evil.example/login" in rendered and "boss@evil.example" in rendered


def test_catalog_prose_keeps_code_spans_but_unlinks_the_rest() -> None:
    text = str(md_prose("Probe `curl http://localhost:8080/healthz`; see http://docs.example"))
    assert "`curl http://localhost:8080/healthz`" in text
    assert text.endswith("see http\\://docs.example")


def test_a_markdown_report_renders_a_hostile_name_as_plain_text(tmp_path: Path) -> None:
    write_file(tmp_path / "inv.yaml", f"applications:\n  - id: a\n    name: '{HOSTILE_NAME}'\n")
    result = runner.invoke(app, ["report", str(tmp_path / "inv.yaml"), "-f", "md", "--date", "2026-01-01"])
    assert result.exit_code == 0
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert "<a " not in html and "<b>" not in html
    assert "http://evil.example/login" in html


def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    names = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2", "@SUM(A1)"]
    apps = "".join(f"  - id: a{i}\n    name: '{n}'\n    owner: '=cmd|'\n" for i, n in enumerate(names))
    write_file(tmp_path / "inv.yaml", "applications:\n" + apps)
    result = runner.invoke(app, ["assess", str(tmp_path / "inv.yaml"), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["name"] for r in rows) == sorted("'" + n for n in names)
    assert all(r["owner"] == "'=cmd|" for r in rows)


def test_an_error_message_cannot_drive_the_terminal(tmp_path: Path) -> None:
    # The unknown key and the CSV column come straight from the file into the message.
    write_file(tmp_path / "inv.yaml", 'applications:\n  - id: a\n    answers: {"\\e]0;owned\\a\\e[2J": 1}\n')
    write_file(tmp_path / "apps.csv", b"id,\x1b[31mred\n")
    for name in ("inv.yaml", "apps.csv"):
        result = runner.invoke(app, ["validate", str(tmp_path / name)])
        assert result.exit_code == 2
        assert not ESCAPES.search(result.stderr), repr(result.stderr)
    assert "\x1b" not in str(Problem("f\x1b[2Jile", "bad \x1b]0;x\x07 thing", 1, 1, "a.\x1bb"))


def test_catalog_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_file(rules / "ours.yaml", """
        rules:
          - id: our-rule
            title: "Clear \\e[2J the screen"
            step: 6
            scope: application
            category: platform
            severity: minor
            weight: 1
            effort: small
            rationale: "Why \\e]0;owned\\a"
            remediation: What to do.
            outcomes:
              - result: pass
                message: "Fine\\e[31m"
        """)
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    for args in (["rules", "show", "our-rule"], ["explain", str(tmp_path / "inv.yaml"), "--app", "a"]):
        result = runner.invoke(app, [*args, "--rules", str(rules)])
        assert result.exit_code == 0, result.output
        assert not ESCAPES.search(result.stdout), repr(result.stdout)


def test_a_pdf_template_cannot_make_weasyprint_fetch_from_the_network(tmp_path: Path) -> None:
    import http.server
    import threading

    requests: list[str] = []

    class Count(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Count)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        templates = write_file(tmp_path / "t" / "report.html.j2",
                               f'<html><head><link rel="stylesheet" href="{url}/a.css"></head>'
                               f'<body><img src="{url}/b.png"><p style="background: url({url}/c.png)">x</p>'
                               f'<img src="file:///etc/passwd"></body></html>\n').parent
        write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
        result = runner.invoke(app, ["report", str(tmp_path / "inv.yaml"), "-o", str(tmp_path / "r.pdf"),
                                     "--template-dir", str(templates)])
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert requests == []


def test_a_template_dir_may_hold_images_beside_its_templates(tmp_path: Path) -> None:
    templates = write_file(tmp_path / "t" / "report.md.j2", "# {{ meta.title }}\n").parent
    (templates / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    result = runner.invoke(app, ["report", str(tmp_path / "inv.yaml"), "-f", "md", "--template-dir", str(templates)])
    assert result.exit_code == 0, result.output


CONTROL_INVENTORY = ('version: 1\napplications:\n  - id: evil\n    name: "Name \\e]0;title\\a \\e[31mred"\n'
                     '    owner: "o\\x07wner"\n    answers: {runtime: java}\n')


def test_no_output_to_standard_output_carries_a_control_character(tmp_path: Path) -> None:
    # Names and ids are the user's text; an ESC c in one must not reset the reader's terminal.
    inventory = write_file(tmp_path / "inv\x1b[31m.yaml", CONTROL_INVENTORY)
    commands = [["assess", "-f", f] for f in ("table", "json", "csv", "md", "html")] + [
        ["report", "-f", "md"], ["report", "-f", "html"], ["plan"], ["plan", "-f", "md"], ["explain", "--app", "evil"]]
    for command in commands:
        result = runner.invoke(app, [*command, str(inventory)])
        assert result.exit_code in (0, 1), (command, result.output)
        assert not ESCAPES.search(result.stdout), (command, repr(result.stdout[:200]))
    result = runner.invoke(app, ["assess", str(inventory), "-f", "json", "-o", str(tmp_path / "o\x1bc.json")])
    assert result.exit_code == 0 and not ESCAPES.search(result.stderr), repr(result.stderr)

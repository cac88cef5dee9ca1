"""Reports for people: Markdown, HTML and PDF."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import GOOD_ORG, REPO, TWELVE_FACTOR
from typer.testing import CliRunner

from checklist.cli import app
from checklist.core.engine import Assessment, evaluate
from checklist.core.model import Catalog
from checklist.io.inventory import load_inventory
from checklist.render import ASSESSMENT, RenderOptions

SAMPLE = REPO / "samples" / "portfolio.yaml"
GOLDEN = REPO / "tests" / "golden"
DATE = dt.date(2026, 11, 22)
HOSTILE = "a|b <script>alert(1)</script> `x` # [link](http://evil) *b* _i_"


def assess(catalog: Catalog, path: Path) -> Assessment:
    return evaluate(catalog, load_inventory([str(path)], catalog))


def write_inventory(path: Path, apps: list[dict[str, Any]], org_name: str = "Acme") -> Path:
    data = {"version": 1, "organization": {"name": org_name, "answers": GOOD_ORG}, "applications": apps}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def render(kind: str, assessment: Assessment, **options: Any) -> Any:
    return ASSESSMENT[kind](assessment, RenderOptions(date=DATE, **options))


# -- golden files -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["md", "html"])
def test_sample_report_matches_its_golden_file(kind: str, default_catalog: Catalog) -> None:
    """Set UPDATE_GOLDEN=1 to accept a deliberate change after reviewing the diff."""
    text = render(kind, assess(default_catalog, SAMPLE))
    golden = GOLDEN / f"portfolio.{kind}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_same_input_gives_the_same_report(default_catalog: Catalog) -> None:
    assessment = assess(default_catalog, SAMPLE)
    assert render("md", assessment) == render("md", assessment)
    assert render("html", assessment) == render("html", assessment)


# -- what the executive summary says ----------------------------------------------------------


def test_markdown_summary_leads_with_what_can_move_not_with_an_average(default_catalog: Catalog) -> None:
    """The first thing under the heading is the headline by verdict group, with VMs; the average
    comes later and says which applications it is over."""
    assessment = assess(default_catalog, SAMPLE)
    text = render("md", assessment)
    portfolio = assessment.portfolio
    by = portfolio.by_verdict
    summary = text.split("## Executive summary\n\n", 1)[1].split("\n## ", 1)[0]
    lead = summary.splitlines()[0]
    movable = by["ready"] + by["ready_with_changes"] + by["needs_refactoring"]
    heads = dict(zip(by, portfolio.headline, strict=True))
    moving_vms = sum(heads[v].vms for v in ("ready", "ready_with_changes", "needs_refactoring"))
    all_vms = sum(h.vms for h in portfolio.headline)
    vms = f"({moving_vms:.0f} of {all_vms:.0f} VMs)"
    assert lead.startswith(f"**{movable} of {portfolio.applications} applications {vms} can move")
    assert f"{by['ready']} as they are, {by['ready_with_changes']} after changes, " \
           f"{by['needs_refactoring']} after refactoring" in lead
    assert f"; {by['needs_platform']} ({heads['needs_platform'].vms:.0f} VMs) wait for a platform capability" in lead
    assert f"; {by['not_suitable']} ({heads['not_suitable'].vms:.0f} VMs) stay where they are" in lead
    assert lead.endswith(f"; {by['insufficient_data']} is not yet assessed.**")
    assert "average" not in lead.lower()
    # The average is named for what it is: over the applications that can move, and only those.
    assert portfolio.averaged == movable
    assert (f"average score **{portfolio.average_score:.1f}** of 100 over those {movable} applications"
            in summary)
    assert "Portfolio readiness" not in text
    for v, h in zip(by, portfolio.headline, strict=True):
        label = default_catalog.labels.verdict(v)
        vms = f"{h.vms:,.0f}" if h.footprinted else "–"
        assert re.search(rf"^\| {re.escape(label)} \| {h.applications} \| {vms} \| ", text, re.M), label
    actions = re.findall(r"^\d\. ", text.split("### Recommended next actions")[1].split("##")[0], re.M)
    assert 3 <= len(actions) <= 6
    for result in assessment.applications:
        assert f"### {result.application.name}" in text or result.application.name.replace("(", "") in text


def test_next_actions_name_what_waits_and_what_stays_in_words(default_catalog: Catalog) -> None:
    from checklist.render.model import build

    assessment = assess(default_catalog, SAMPLE)
    actions = build(assessment)["summary"]["actions"]
    waiting = next(a for a in actions if "wait for" in a)
    assert "Windows container hosts for HR Portal" in waiting
    assert "sandboxed runtime pool (gVisor or Kata Containers) for Customer Code Runner" in waiting
    keep = next(a for a in actions if a.startswith("Keep "))
    stays = [r for r in assessment.applications if r.verdict == "not_suitable"]
    assert keep.startswith(f"Keep {len(stays)} applications where they are")
    assert "Retain where it runs: 1" in keep  # the mainframe ledger: every stays-where-it-is strategy counts
    assert any(a.startswith("Complete the interview for 1 application") and "Legacy Reporting" in a
               for a in actions)
    assert not any("`" in a or "checklist " in a for a in actions)  # no command lines for the board


def test_each_application_says_first_what_decided_its_verdict(default_catalog: Catalog) -> None:
    text = render("md", assess(default_catalog, SAMPLE))

    def first(name: str) -> str:
        return text.split(f"### {name}\n\n", 1)[1].splitlines()[0]

    ledger, hr = first("General Ledger (mainframe)"), first("HR Portal (.NET Framework)")
    assert ledger.startswith("**Why not suitable:** Decided by a blocker.")
    assert "(platform-mainframe): it stays where it runs today." in ledger
    assert hr.startswith("**Why needs platform:** Decided by a blocker.")
    assert "(platform-windows): it can move once the organisation provides Windows container hosts." in hr
    assert first("Legacy Reporting").startswith("**Why insufficient data:** Too few answers to judge. Only 4% ")
    shop = first("Web Shop (PHP)")
    assert shop.startswith("**Why needs refactoring:** By score band. Its score of 42.4 is below 60")
    assert shop.endswith("A low score is work, not a no.")


def test_a_blocked_application_s_gauge_is_neutral_and_says_a_blocker_decides(default_catalog: Catalog) -> None:
    html = render("html", assess(default_catalog, SAMPLE), details=True)
    page = html.split('id="app-label-gateway"', 1)[1].split('id="app-', 1)[0]
    assert "a blocker decides" in page and "#cf222e" not in page.split("</svg>", 1)[0]
    ready = html.split('id="app-billing-api"', 1)[1].split('id="app-', 1)[0]
    assert "a blocker decides" not in ready


def test_a_not_scored_application_shows_no_number_and_is_left_out_of_the_average(
        default_catalog: Catalog, tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv.yaml", [
        {"id": "fine", "name": "Fine", "answers": TWELVE_FACTOR},
        {"id": "vague", "name": "Vague", "answers": {"os_family": "linux", "runs_as_root": True}},
    ])
    assessment = assess(default_catalog, inventory)
    vague = assessment.applications[1]
    assert vague.verdict == "insufficient_data" and vague.score.value > 0  # it has a number to hide
    number = f"{vague.score.value:.1f}"
    md, html = render("md", assessment), render("html", assessment, details=True)
    assert "<strong>Vague</strong> · not scored" in render("html", assessment)  # the register says so too
    section = md.split("### Vague\n", 1)[1].split("## Appendix", 1)[0]
    assert "**Not scored**" in section and number not in section and "Score " not in section
    page = html.split('id="app-vague"', 1)[1].split("</section>", 1)[0]
    assert 'class="gauge not-scored"' in page and "not scored" in page
    assert number not in page and "gauge-score\">" + number not in html
    for line in md.splitlines():  # the quick wins and every other table say "not scored" too
        assert "Vague" not in line or number not in line, line
    fine = assessment.applications[0].score.value
    assert assessment.portfolio.average_score == fine
    assert f"average score **{fine:.1f}** of 100 over those 1 application;" in md


EXTRA_RULES = """\
rules:
  - id: zz-orphaned
    title: Someone still knows the application
    problem: Nobody left who knows the application
    action: Rewrite it on a supported stack, or buy a replacement
    step: 6
    scope: application
    category: platform
    severity: blocker
    weight: 3
    effort: large
    strategy: rewrite
    rationale: Why it matters.
    remediation: What to do.
    outcomes:
      - when: {fact: team_knowledge, equals: no_sme}
        result: fail
        message: Nobody knows it.
      - result: pass
        message: Known.
  - id: zz-windows-pool
    title: No Windows pool is needed
    problem: Needs a Windows node pool
    action: Provide Windows container hosts
    step: 6
    scope: application
    category: platform
    severity: blocker
    weight: 3
    effort: large
    strategy: windows_containers
    requires: windows_container_hosts
    rationale: Why it matters.
    remediation: What to do.
    outcomes:
      - when: {fact: team_knowledge, equals: maintenance_with_sme}
        result: fail
        message: Needs Windows hosts.
      - result: pass
        message: Fine.
  - id: zz-root-cap
    title: Does not run as root
    problem: Runs as root
    action: Run the process as an unprivileged user
    step: 18
    scope: application
    category: isolation
    severity: minor
    weight: 1
    effort: small
    caps: ready_with_changes
    caps_reason: A root process that escapes its container is root on the host.
    rationale: Why it matters.
    remediation: What to do.
    outcomes:
      - when: {fact: runs_as_root, equals: true}
        result: fail
        message: Runs as root.
      - result: pass
        message: Not root.
"""


@pytest.fixture
def extra_catalog(tmp_path: Path) -> Catalog:
    from checklist.io.catalog import load_catalog

    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "zz.yaml").write_text(EXTRA_RULES)
    return load_catalog([tmp_path / "extra"])


def test_blockers_and_fixes_are_named_by_problem_and_action(extra_catalog: Catalog, tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv.yaml", [
        {"id": "orphan", "name": "Orphan", "answers": {**TWELVE_FACTOR, "team_knowledge": "no_sme"}},
        {"id": "rooty", "name": "Rooty", "answers": {**TWELVE_FACTOR, "runs_as_root": True}},
    ])
    text = render("md", assess(extra_catalog, inventory))
    blockers = text.split("### Blockers that affect most applications", 1)[1].split("###", 1)[0]
    assert "| Nobody left who knows the application (zz-orphaned) | 1 | Rewrite |" in blockers
    assert "Someone still knows" not in text  # a pass condition never reads as a problem
    orphan = text.split("### Orphan\n", 1)[1].split("\n### ", 1)[0]
    assert "- **Nobody left who knows the application** (zz-orphaned): Nobody knows it. To change this: " \
           "Rewrite it on a supported stack, or buy a replacement" in orphan
    rooty = text.split("### Rooty\n", 1)[1].split("\n## ", 1)[0]
    assert "✗ Runs as root" in rooty  # findings by category
    assert "**Run the process as an unprivileged user** (zz-root-cap)" in rooty  # what to do first
    assert "Does not run as root" not in rooty


def test_a_cap_and_a_platform_gap_say_which_rule_and_why(extra_catalog: Catalog, tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv.yaml", [
        {"id": "rooty", "name": "Rooty", "answers": {**TWELVE_FACTOR, "runs_as_root": True}},
        {"id": "win", "name": "Win", "answers": {**TWELVE_FACTOR, "team_knowledge": "maintenance_with_sme"}},
    ])
    assessment = assess(extra_catalog, inventory)
    assert [r.verdict for r in assessment.applications] == ["ready_with_changes", "needs_platform"]
    text = render("md", assessment)
    rooty = text.split("### Rooty\n\n", 1)[1].splitlines()[0]
    assert rooty.startswith("**Why ready with changes:** Held back by a problem that must be fixed before production.")
    assert "Runs as root (zz-root-cap)" in rooty
    assert "A root process that escapes its container is root on the host." in rooty
    assert "alone would make it ready." in rooty
    win = text.split("### Win\n\n", 1)[1].splitlines()[0]
    assert "Needs a Windows node pool (zz-windows-pool): it can move once the organisation provides Windows " \
           "container hosts." in win
    assert "Windows container hosts for Win" in text.split("### Recommended next actions", 1)[1]


def test_the_method_explains_the_ladder_and_never_calls_a_low_score_not_suitable(default_catalog: Catalog) -> None:
    assessment = assess(default_catalog, SAMPLE)
    for kind in ("md", "html"):
        text = render(kind, assessment)
        # the last mention: the HTML's contents name the appendix first
        method = text.rsplit("Appendix: method", 1)[1].split("Appendix: what containers change", 1)[0]
        order = [method.index(w) for w in ("Knock-outs first", "Too few answers", "Caps", "Score bands")]
        assert order == sorted(order)
        assert "not suitable below" not in method
        assert "A low score is work" in method


def test_every_verdict_has_its_own_colour_and_a_word_beside_it(default_catalog: Catalog) -> None:
    from checklist.core.vocabulary import VERDICTS
    from checklist.render.charts import VERDICT_COLOUR, verdict_bars

    assert set(VERDICT_COLOUR) == set(VERDICTS)
    assert len(set(VERDICT_COLOUR.values())) == len(VERDICTS)
    assert VERDICT_COLOUR["needs_platform"] != VERDICT_COLOUR["not_suitable"]
    html = render("html", assess(default_catalog, SAMPLE))
    for verdict, colour in VERDICT_COLOUR.items():
        assert f".badge.{verdict}, .swatch.{verdict} {{ background: {colour}; }}" in html
        label = default_catalog.labels.verdict(verdict)
        assert f'<span class="swatch {verdict}"></span>{label}</td>' in html
    bars = verdict_bars([{"verdict": "needs_platform", "label": "Needs platform", "count": 2, "vms": 10,
                          "footprinted": 2}])
    assert VERDICT_COLOUR["needs_platform"] in bars and "Needs platform" in bars and "10 VMs" in bars


def test_markdown_tables_are_valid_pipe_tables(default_catalog: Catalog, tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv.yaml", [
        {"id": "evil", "name": HOSTILE, "owner": "x|y", "answers": {**TWELVE_FACTOR, "os_family": "windows"}},
        {"id": "fine", "name": "Fine", "answers": TWELVE_FACTOR},
    ], org_name="<b>Org</b> | #1")
    text = render("md", assess(default_catalog, inventory))
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| ---") or line.startswith("| ---:"):
            header = lines[i - 1]
            columns = len(re.findall(r"(?<!\\)\|", header))
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert len(re.findall(r"(?<!\\)\|", lines[j])) == columns, lines[j]
                j += 1
    assert "<script>" not in text and "<b>" not in text
    assert "[link](http" not in text  # brackets are escaped: no link can form
    assert re.search(r"^# .*\\<b\\>Org\\</b\\> \\\| \\#1$", text, re.M)


def test_html_escapes_user_text_and_is_self_contained(default_catalog: Catalog, tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv.yaml", [{"id": "evil", "name": HOSTILE, "answers": TWELVE_FACTOR}],
                                org_name='</style><script>alert(1)</script>"')
    html = render("html", assess(default_catalog, inventory))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("</style>") == 1  # the organisation name cannot close the style element
    for external in ("<link", "src=\"http", "href=\"http", "@import", "url(http", "@font-face"):
        assert external not in html


# -- templates -----------------------------------------------------------------------------


def test_template_dir_overrides_a_template(default_catalog: Catalog, tmp_path: Path) -> None:
    custom = tmp_path / "brand"
    custom.mkdir()
    template = "# {{ meta.title }} for {{ meta.organization }}: {{ summary.average_score }}\n"
    (custom / "report.md.j2").write_text(template)
    assessment = assess(default_catalog, SAMPLE)
    text = render("md", assessment, template_dir=custom, title="Board pack")
    assert text == f"# Board pack for Acme Retail: {assessment.portfolio.average_score}\n"


def test_template_dir_can_override_only_the_stylesheet(default_catalog: Catalog, tmp_path: Path) -> None:
    custom = tmp_path / "brand"
    custom.mkdir()
    (custom / "report.css").write_text("body { color: #123456; }\n")
    html = render("html", assess(default_catalog, SAMPLE), template_dir=custom)
    assert "#123456" in html and "table-layout" not in html


def test_a_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    custom = tmp_path / "evil"
    custom.mkdir()
    (custom / "report.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    out = tmp_path / "r.md"
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "-o", str(out), "--template-dir", str(custom)])
    assert result.exit_code == 2
    assert "sandbox" in result.output
    assert not out.exists()


def test_a_broken_template_is_reported_with_its_line(tmp_path: Path) -> None:
    custom = tmp_path / "broken"
    custom.mkdir()
    (custom / "report.md.j2").write_text("line one\n{% for x in %}\n")
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "-f", "md", "--template-dir", str(custom)])
    assert result.exit_code == 2
    assert re.search(r"report\.md\.j2:2:1: template error", result.output)


# -- the command ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "start"), [("r.md", "# Container readiness"), ("r.html", "<!DOCTYPE html>")])
def test_report_format_follows_the_output_extension(tmp_path: Path, name: str, start: str) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "-o", str(out), "--date", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith(start)
    assert "2026-11-22" in out.read_text()


def test_report_refuses_an_unknown_extension_and_a_bad_date(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["report", str(SAMPLE), "-o", str(tmp_path / "r.docx")]).exit_code == 2
    result = runner.invoke(app, ["report", str(SAMPLE), "-f", "md", "--date", "22/11/2026"])
    assert result.exit_code == 2 and "--date" in result.output
    assert not list(tmp_path.iterdir())


def test_single_application_report_has_cover_application_and_appendix_only() -> None:
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "--app", "php-shop", "-f", "md"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "### Web Shop (PHP)" in text and "### Billing API" not in text
    assert "## Executive summary" not in text and "## The 19 steps" not in text
    assert "## Appendix: method" in text


# -- PDF -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ten_app_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A generated 10-application portfolio as a PDF, and its assessment."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from generate import portfolio, write  # the benchmark's generator

    from checklist.io.catalog import load_catalog

    root = tmp_path_factory.mktemp("pdf")
    catalog = load_catalog()
    inventory = root / "ten.yaml"
    write(portfolio(catalog, 10), inventory)
    out = root / "ten.pdf"
    result = CliRunner().invoke(app, ["report", str(inventory), "-o", str(out), "--date", "2026-11-22",
                                      "--details"])
    assert result.exit_code == 0, result.output
    return out, assess(catalog, inventory)


@pytest.fixture(scope="module")
def short_pdf(ten_app_pdf: tuple[Path, Any]) -> Path:
    """The same portfolio's PDF as `report` writes it by default: executive pages and a register."""
    out = ten_app_pdf[0].with_name("short.pdf")
    result = CliRunner().invoke(app, ["report", str(ten_app_pdf[0].with_suffix(".yaml")), "-o", str(out),
                                      "--date", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "a page per application with --details" in result.stderr
    return out


def test_the_default_pdf_is_the_executive_pages_and_a_register(short_pdf: Path, ten_app_pdf: tuple[Path, Any]
                                                                ) -> None:
    from pypdf import PdfReader

    reader = PdfReader(short_pdf)
    # cover, contents, summary, steps, the plan's four pages (roadmap, quick wins, business case and
    # its assumptions), the register, the appendix
    assert len(reader.pages) <= 10 < len(PdfReader(ten_app_pdf[0]).pages)
    texts = [page.extract_text() for page in reader.pages]
    assert not any(t.split("\n", 1)[0].startswith("Application ") for t in texts)  # no page per application
    register = next(t for t in texts if t.startswith("Register of applications"))
    for result in ten_app_pdf[1].applications:  # one line each, under its verdict
        line = next(line for line in register.splitlines() if line.startswith(result.application.name + " ·"))
        assert result.application.name in line and ("not scored" in line or f"{result.score.value:.1f}" in line)


def test_the_pdf_has_contents_with_page_numbers_and_bookmarks(short_pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(short_pdf)
    marks = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline
             if not isinstance(item, list)}
    assert {"Contents", "Executive summary", "The 19 steps", "Register of applications",
            "Appendix: method"} <= set(marks)
    contents = reader.pages[marks["Contents"] - 1].extract_text()
    for title, entry in (("Executive summary", "Executive summary"), ("The 19 steps", "The 19 steps"),
                         ("Register of applications", "Register of applications, by verdict"),
                         ("Appendix: method", "Appendix: method")):
        assert re.search(re.escape(entry) + r" \.+ " + str(marks[title]) + r"\n", contents), (title, contents)
    verdicts = next(item for item in reader.outline if isinstance(item, list))
    assert all(re.fullmatch(r"[A-Z][a-z ]+ \(\d+\)", v.title) for v in verdicts)  # the register's verdicts


def test_executive_pages_say_things_in_words_not_commands(short_pdf: Path) -> None:
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(short_pdf).pages]
    executive = [t for t in texts if t.startswith(("Container readiness", "Contents", "Executive summary",
                                                   "The 19 steps", "Register of applications"))]
    assert len(executive) >= 5
    assert not any("checklist " in t.replace("· Synthetic", "") and "--" in t for t in executive)
    assert not any(re.search(r"checklist (explain|plan|interview|assess)", t) for t in executive)
    assert not any("…." in t or ".." in t.replace("...", "") for t in executive[2:3])


def _pdf_page_image(path: Path, page: int, tmp_path: Path) -> Any:
    """A page of a PDF as an image (poppler's pdftoppm, as a reader's screen would show it)."""
    import subprocess

    from PIL import Image

    prefix = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(path),
                    str(prefix)], check=True)
    return Image.open(prefix.with_suffix(".png")).convert("L")


def test_the_summary_cards_stay_inside_the_right_margin(tmp_path: Path) -> None:
    out = tmp_path / "sample.pdf"
    assert CliRunner().invoke(app, ["report", str(SAMPLE), "-o", str(out), "--date", "2026-11-22"]).exit_code == 0
    image = _pdf_page_image(out, 3, tmp_path)  # the executive summary: four cards across the page
    width, height = image.size
    margin = round(14 / 25.4 * 72)  # the page's 14 mm side margins, in pixels at 72 dpi
    body = image.crop((width - margin + 2, margin, width, height - margin))
    assert body.getextrema()[0] > 240, "something is drawn in the right margin"
    cards = image.crop((margin, margin, width - margin, height // 4))
    assert cards.getextrema()[0] < 100  # the cards' text is there


def test_rule_ids_do_not_break_at_their_hyphens(tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "sample.pdf"
    assert CliRunner().invoke(app, ["report", str(SAMPLE), "-o", str(out), "--date", "2026-11-22"]).exit_code == 0
    summary = PdfReader(out).pages[2].extract_text()
    assert "platform-vendor-support" in summary and "platform-licensing-per-core" in summary
    assert not re.search(r"platform-\n", summary)


def test_application_pages_carry_the_how_to(ten_app_pdf: tuple[Path, Any]) -> None:
    from pypdf import PdfReader

    path, assessment = ten_app_pdf
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    first = next(r for r in assessment.applications if r.remediations).remediations[0]
    assert " ".join(first.text.split())[:60] in text


def test_pdf_of_ten_applications_fits_the_page_budget_and_reads(ten_app_pdf: tuple[Path, Any]) -> None:
    from pypdf import PdfReader

    path, assessment = ten_app_pdf
    reader = PdfReader(path)
    # cover, contents, summary, steps, roadmap, quick wins, business case, the appendix, and a page per
    # application, a few of them running onto a second with their how-to text
    assert len(reader.pages) <= 8 + 15
    text = "\n".join(page.extract_text() for page in reader.pages)
    summary = reader.pages[2].extract_text()
    movable = assessment.portfolio.averaged
    assert f"{movable} of {len(assessment.applications)} applications" in summary
    if movable:
        assert f"{assessment.portfolio.average_score:.1f}" in summary
    for result in assessment.applications:
        assert result.application.name in text
        assert f"{result.score.value:.1f}" in text if result.scored else "not scored" in text
    assert "Page 3 of" in reader.pages[2].extract_text()
    # One page per application, each starting with the application's name.
    starts = [page.extract_text().split("\n", 1)[0] for page in reader.pages]
    assert sum(1 for s in starts if s.startswith("Application ")) == 10


def test_pdf_heatmap_rows_read_as_each_applications_step_statuses(ten_app_pdf: tuple[Path, Any]) -> None:
    """The PDF draws a heatmap row as one line of symbols over coloured bands: the text of
    each row must still be that application's status for each step, in step order."""
    from pypdf import PdfReader

    from checklist.render.model import STATUS_SYMBOL

    path, assessment = ten_app_pdf
    text = PdfReader(path).pages[3].extract_text()
    rows = [line.split() for line in text.splitlines() if re.fullmatch(r"[✓◐✗?–]( [✓◐✗?–])+", line)]
    numbers = sorted({s.step for r in assessment.applications for s in r.steps})
    expected = [[STATUS_SYMBOL[{s.step: s.status for s in r.steps}.get(n, "not_applicable")] for n in numbers]
                for r in assessment.applications]
    assert rows == expected
    assert "".join(str(n) for n in numbers) in text.replace(" ", "").replace("\n", "")  # the band headings


def test_heatmap_bands_are_one_colour_band_per_step() -> None:
    from checklist.render.charts import STATUS_COLOUR, stripes

    style = stripes({1: "done", 3: "not_started"}, [1, 2, 3])
    colours = re.findall(r"(#[0-9a-f]{6}) ([\d.]+)%", style)
    assert colours == [(STATUS_COLOUR["done"], "0.000"), (STATUS_COLOUR["done"], "33.333"),
                       (STATUS_COLOUR["not_applicable"], "33.333"), (STATUS_COLOUR["not_applicable"], "66.667"),
                       (STATUS_COLOUR["not_started"], "66.667"), (STATUS_COLOUR["not_started"], "100.000")]
    assert stripes({}, []) == ""


def test_pdf_embeds_its_fonts_and_uses_a4(ten_app_pdf: tuple[Path, Any]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(ten_app_pdf[0])
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts = [f.get_object() for page in reader.pages[:2]
             for f in page["/Resources"]["/Font"].values()]
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _page_texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.mark.parametrize("guess", ["guessed", "misguessed"])
def test_pdf_rendered_in_parallel_parts_reads_like_one_document(
        ten_app_pdf: tuple[Path, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, guess: str) -> None:
    import checklist.render.pdf as pdf

    # Cut even ten applications into three parts; with a wrong guess of each part's page
    # count, the parts whose numbers were wrong are rendered again.
    monkeypatch.setattr(pdf, "MIN_PARTS", 2)
    monkeypatch.setenv("CHECKLIST_PDF_WORKERS", "3")
    if guess == "misguessed":
        monkeypatch.setattr(pdf, "guess_pages", lambda body, paper: 1)
    single, _ = ten_app_pdf
    out = tmp_path / "parts.pdf"
    result = CliRunner().invoke(app, ["report", str(single.with_suffix(".yaml")), "-o", str(out),
                                      "--date", "2026-11-22", "--details"])
    assert result.exit_code == 0, result.output
    texts = _page_texts(out)
    # Same pages, same words, the same running header and "Page N of M" as one render.
    assert texts == _page_texts(single)
    assert all(f"Page {n} of {len(texts)}" in text for n, text in enumerate(texts, 1))
    assert all("Container readiness · Synthetic Corp" in text for text in texts[1:])


def test_pdf_split_keeps_small_reports_and_first_page_styles_whole() -> None:
    from checklist.render.pdf import PART_MARK, split

    head = "<html><head><style>@page { margin: 1cm }</style></head><body>"
    big = head + "<section>front</section>" + "".join(f"{PART_MARK}<section>{i}</section>" for i in range(60))
    parts = split(big, 2)
    assert len(parts) == 2 and all(part.head == head for part in parts)
    assert "".join(part.body for part in parts) == big[len(head):].replace(PART_MARK, "")
    assert len(split(big, 1)) == 1
    assert len(split(big.replace("@page {", "@page :first {"), 2)) == 1  # :first would match every part
    assert len(split(head + PART_MARK.join(["<p>x</p>"] * 5), 2)) == 1


def test_pdf_on_letter_paper_for_one_application(tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "one.pdf"
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "--app", "billing-api", "--paper", "letter",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter
    assert len(reader.pages) == 3  # cover, the application, appendix
    assert "Billing API" in reader.pages[1].extract_text()


def test_pdf_fetches_nothing_from_outside(tmp_path: Path) -> None:
    from checklist.render.pdf import _fetcher

    fetch = _fetcher([tmp_path.resolve()])
    for url in ("http://example.com/x.png", "https://example.com/a.css", "ftp://example.com/f",
                "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetch.fetch(url)
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert fetch.fetch((tmp_path / "logo.svg").as_uri()) is not None


def _processes_naming(out: Path) -> list[str]:
    """The processes whose command line names `out`: a report's, and its forked workers (they
    keep the parent's command line)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(out).encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found


def test_ctrl_c_during_a_parallel_pdf_prints_one_line_and_leaves_no_worker(tmp_path: Path) -> None:
    """The workers ignore Ctrl-C; the parent stops them and prints the usual line."""
    import signal
    import subprocess
    import sys
    import time

    sys.path.insert(0, str(REPO / "bench"))
    from generate import portfolio, write

    from checklist.io.catalog import load_catalog

    inventory = tmp_path / "inv48.yaml"
    write(portfolio(load_catalog(), 48), inventory)
    out = tmp_path / "interrupted-report.pdf"

    def ours() -> list[str]:
        return _processes_naming(out)

    run = subprocess.Popen([sys.executable, "-m", "checklist", "report", str(inventory), "-o", str(out), "-q"],
                           stderr=subprocess.PIPE, start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while len(ours()) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the first worker exists: it is then importing WeasyPrint
    assert run.poll() is None, "interrupted while it runs"
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=60)
    # (warnings about the generated answers may come first: the last line is the one that counts)
    assert (run.returncode, err.decode().splitlines()[-1:]) == (130, ["checklist: interrupted"])
    assert "Traceback" not in err.decode()
    assert not out.exists()
    deadline = time.monotonic() + 10
    while ours() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ours() == []


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_the_pdf_workers_end_with_their_parent_however_it_ends(tmp_path: Path, sig: str) -> None:
    """`kill PARENT` (not the process group): no worker prints a traceback or runs on."""
    import signal
    import subprocess
    import sys
    import time

    sys.path.insert(0, str(REPO / "bench"))
    from generate import portfolio, write

    from checklist.io.catalog import load_catalog

    inventory = tmp_path / "inv48.yaml"
    write(portfolio(load_catalog(), 48), inventory)
    out = tmp_path / f"killed-{sig}.pdf"

    def ours() -> list[str]:
        return _processes_naming(out)

    # --details: from 40 applications on, the pages are rendered in parts, a worker each
    run = subprocess.Popen([sys.executable, "-m", "checklist", "report", str(inventory), "-o", str(out), "-q",
                            "--details"], stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(ours()) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the workers exist
    assert run.poll() is None and len(ours()) >= 3, "killed while its workers run"
    os.kill(run.pid, getattr(signal, sig))
    _, err = run.communicate(timeout=60)
    assert "Traceback" not in err.decode()
    if sig == "SIGTERM":
        assert err.decode().splitlines()[-1:] == ["checklist: stopped by SIGTERM"]
    deadline = time.monotonic() + 10
    while ours() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ours() == []
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

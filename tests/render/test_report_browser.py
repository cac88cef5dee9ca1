"""The HTML report in a real browser (headless Chromium, from the distribution's packages:
`.ci/run` installs it): every section is there, nothing runs past the window's width."""

from __future__ import annotations

import json
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO
from typer.testing import CliRunner

from checklist.cli import app

SAMPLE = REPO / "samples" / "portfolio.yaml"
# Measured in the page once it has loaded: the document's width against the window's, the
# elements whose right edge passes the window, and the sections and contents links there are.
PROBE = """<script>
window.addEventListener("load", () => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
    .map(e => e.tagName + "." + e.className).slice(0, 5);
  const sections = [...document.querySelectorAll("section[id], nav[id], div[id]")].map(e => e.id);
  const links = [...document.querySelectorAll("nav.contents a")].map(a => a.getAttribute("href"));
  document.body.setAttribute("data-probe", JSON.stringify(
    {scroll: root.scrollWidth, client: root.clientWidth, wide, sections, links}));
});
</script>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is needed for the HTML report's tests: apt-get install chromium "
                "(.ci/run installs it)")


def browse(page: Path, width: int, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--window-size={width},1200", "--virtual-time-budget=5000", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=True)


def probe(html: Path, width: int) -> dict[str, Any]:
    probed = html.with_name(f"probe-{width}-{html.name}")
    probed.write_text(html.read_text().replace("</body>", PROBE + "</body>"))
    dom = browse(probed, width, "--dump-dom").stdout
    start = dom.index('data-probe="') + len('data-probe="')
    found: dict[str, Any] = json.loads(unescape(dom[start:dom.index('"', start)]))
    return found


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("html")
    out = {}
    for name, extra in (("short", []), ("details", ["--details"])):
        out[name] = root / f"{name}.html"
        result = CliRunner().invoke(app, ["report", str(SAMPLE), "-o", str(out[name]), "--date", "2026-11-22",
                                          *extra])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("width", [1280, 800])
def test_the_html_report_fits_the_window_and_has_every_section(reports: dict[str, Path], width: int) -> None:
    found = probe(reports["short"], width)
    assert found["scroll"] <= found["client"] and found["wide"] == [], found
    assert {"contents", "summary", "steps", "plan", "register", "method"} <= set(found["sections"])
    assert found["links"] == ["#summary", "#steps", "#plan", "#register", "#method"]  # the contents block
    assert all(link[1:] in found["sections"] for link in found["links"])


def test_the_detailed_html_report_has_a_section_per_application(reports: dict[str, Path]) -> None:
    found = probe(reports["details"], 1024)
    assert found["scroll"] <= found["client"] and found["wide"] == [], found
    apps = [s for s in found["sections"] if s.startswith("app-")]
    assert len(apps) == 15 and "register" not in found["sections"]
    assert "#applications" in found["links"]


def test_a_screenshot_of_the_html_report_shows_the_page(reports: dict[str, Path]) -> None:
    from PIL import Image

    shot = reports["short"].with_name("shot.png")
    browse(reports["short"], 1280, f"--screenshot={shot}")
    image = Image.open(shot).convert("L")
    assert image.size == (1280, 1200)
    light, dark = image.getextrema()[1], image.getextrema()[0]
    assert light > 240 and dark < 60  # a white page with dark text on it, not a blank or an error page

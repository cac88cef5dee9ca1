"""Time `checklist report -o FILE.pdf` on generated portfolios.

    python3 bench/report_pdf.py            # 10 and 200 applications, median of 3 runs each

Runs the real command in a subprocess (WeasyPrint's import included) and
prints a Markdown table: applications, pages, median and slowest wall time.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import portfolio, write

from checklist.catalog import load_catalog

RUNS = 3


def measure(apps: int) -> tuple[int, list[float]]:
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as tmp:
        inventory = Path(tmp) / "inventory.yaml"
        write(portfolio(load_catalog(), apps), inventory)
        out = Path(tmp) / "report.pdf"
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "checklist", "report", str(inventory), "-o", str(out),
                            "--date", "2026-11-22"], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return len(PdfReader(out).pages), times


if __name__ == "__main__":
    print("| applications | pages | median | slowest |")
    print("| --- | --- | --- | --- |")
    for apps in (10, 200):
        pages, times = measure(apps)
        print(f"| {apps} | {pages} | {statistics.median(times):.1f} s | {max(times):.1f} s |", flush=True)

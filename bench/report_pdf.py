"""Time `checklist report -o FILE.pdf` on generated portfolios.

    python3 bench/report_pdf.py                      # 10 and 200 applications, median of 5 runs each
    python3 bench/report_pdf.py --before /tmp/old/bin/python   # side by side with another version

Runs the real command in a subprocess (WeasyPrint's import included): the
report as written by default (the executive pages and a one-line register)
and with `--details` (a page per application, its parts rendered in
parallel from 40 applications on). With `--before PYTHON`, the version
installed for that interpreter (a virtual environment with another commit
installed: `git archive COMMIT | tar -x -C /tmp/old-src && python3 -m venv
/tmp/old && /tmp/old/bin/pip install /tmp/old-src`) is timed first, as it
writes the report by default. Prints a Markdown table: applications, what was run,
pages, median and slowest wall time, and the median CPU time of the command
and its workers (user + system). The machine may be shared: the load
average is printed, and CPU time is the steadier comparison.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import portfolio, write

from checklist.io.catalog import load_catalog

RUNS = 5


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(apps: int, extra: list[str], python: str | None = None) -> tuple[int, list[float], list[float]]:
    from pypdf import PdfReader

    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        inventory = Path(tmp) / "inventory.yaml"
        write(portfolio(load_catalog(), apps), inventory)
        out = Path(tmp) / "report.pdf"
        walls, cpus = [], []
        for _ in range(RUNS):
            start, cpu = time.perf_counter(), children_cpu()
            subprocess.run([python or sys.executable, "-m", "checklist", "report", str(inventory), "-o", str(out),
                            "--date", "2026-11-22", *extra], check=True, capture_output=True, env=env,
                           cwd=tmp)  # not the checkout: `-m checklist` would import its source first
            walls.append(time.perf_counter() - start)
            cpus.append(children_cpu() - cpu)
        return len(PdfReader(out).pages), walls, cpus


if __name__ == "__main__":
    before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else None
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| applications | run | pages | median wall | slowest wall | median CPU |")
    print("| --- | --- | --- | --- | --- | --- |")
    for apps in (10, 200):
        cases = [("before, default", [], before)] if before else []
        cases += [("default", [], None), ("--details", ["--details"], None)]
        for label, extra, source in cases:
            pages, walls, cpus = measure(apps, extra, source)
            print(f"| {apps} | {label} | {pages} | {statistics.median(walls):.1f} s | {max(walls):.1f} s "
                  f"| {statistics.median(cpus):.1f} s |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")

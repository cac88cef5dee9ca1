"""The speed and memory targets of issue 18, an older revision and the working tree side by side.

    python3 bench/compare.py OLD_REV            # e.g. c7cffd8; 5 runs of each case
    python3 bench/compare.py OLD_REV --runs 3 --only help,interview,diff

OLD_REV is checked out into a temporary git worktree (removed afterwards)
and run as `PYTHONPATH=WORKTREE python3 -m checklist …`, the working tree as
`PYTHONPATH=. python3 -m checklist …`, with this Python, whose environment
must hold both revisions' dependencies. Each run is a new process under
GNU time (`/usr/bin/time -f '%e s %M KB'`, the wall time and the peak RSS);
old and new alternate, each going first every other round, and the table
shows medians and the largest peak RSS. The interview case is each
revision's own bench/interview_latency.py at 1,000 applications: the
median time from an answer to the next prompt (saving and planning plus
building the prompt), the median of the runs' medians. The diff case is `diff` of a saved 10k result
(written once by the working tree's `assess`) against itself, JSON out.

The inputs are generated once into bench/data/ by bench/generate.py of the
working tree (a fixed seed; both revisions read them). The machine's load
is printed with the table: other work on it skews the runs.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PYTHON = sys.executable

# (name, target new/old for time, what to run: the arguments after `python -m checklist`)
ASSESS_CASES = [
    ("`assess` 10k apps, JSON in, JSON out", 1.10, "apps-10k.json"),
    ("`assess` 10k apps, CSV in, JSON out", 1.10, "apps-10k.csv"),
    ("`assess` a directory of 10,000 one-app YAML files", 1.10, "apps-10k-files"),
    ("`assess` one 10k-app YAML file", 1.50, "apps-10k.yaml"),
]
MEMORY_TARGET = 1.10
INTERVIEW = """
import json, statistics, sys
sys.path.insert(0, sys.argv[1])
import interview_latency as bench
work, prompt = bench.measure(1000)
print("RESULT", json.dumps(1000 * (statistics.median(work) + statistics.median(prompt))))
"""


def ensure(name: str) -> Path:
    """The generated input `name` (in bench/data), written when missing."""
    path = DATA / name
    if not path.exists():
        subprocess.run([PYTHON, str(HERE / "generate.py"), "10000", str(path)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
    return path


def saved_result() -> Path:
    """A result of 10,000 applications saved by the working tree's `assess -f json`, written when missing."""
    path = DATA / "result-10k.json"
    if not path.exists():
        subprocess.run([PYTHON, "-m", "checklist", "assess", str(ensure("apps-10k.json")), "-f", "json", "-o",
                        str(path), "-q"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    return path


def timed(argv: list[str], tree: Path, measure: Callable[[str], float] | None = None) -> tuple[float, float]:
    """(seconds, or what `measure` reads from the output; peak RSS in MB) of one run of `argv`
    with `tree` first on the module path, in a scratch directory."""
    with tempfile.TemporaryDirectory() as scratch:
        times = Path(scratch) / "time"
        done = subprocess.run(["/usr/bin/time", "-f", "%e s %M KB", "-o", str(times), *argv], cwd=scratch,
                              env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True,
                              check=False)
        if done.returncode not in (0, 1):  # 1: a gate or warnings; anything else is a failed run
            raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr[-2000:]}")
        wall, rss = re.findall(r"([\d.]+) s (\d+) KB", times.read_text())[-1]
        value = measure(done.stdout) if measure is not None else float(wall)
        return value, int(rss) / 1024


def compare(label: str, argv_of: Callable[[Path], list[str]], trees: dict[str, Path], runs: int,
            measure: Callable[[str], float] | None = None) -> dict[str, tuple[float, float]]:
    """Median value and largest peak RSS of `runs` interleaved runs per tree."""
    print(f"running: {label}", file=sys.stderr, flush=True)
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for round_ in range(runs):
        order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
        for name in order:
            found[name].append(timed(argv_of(trees[name]), trees[name], measure))
    return {name: (statistics.median(v for v, _ in runs_), max(r for _, r in runs_))
            for name, runs_ in found.items()}


def _same(argv: list[str]) -> Callable[[Path], list[str]]:
    """The command line `argv` whatever the tree (it is chosen by PYTHONPATH)."""
    return lambda _tree: argv


def load() -> list[str]:
    """The load averages over 1, 5 and 15 minutes."""
    return Path("/proc/loadavg").read_text().split()[:3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", metavar="OLD_REV", help="the revision to compare with (a commit, tag or branch)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each case and revision (default 5)")
    parser.add_argument("--only", default="", help="comma-separated: assess,help,interview,diff (default all)")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(","))) or {"assess", "help", "interview", "diff"}
    checklist = [PYTHON, "-m", "checklist"]
    rows: list[tuple[str, float, dict[str, tuple[float, float]], str]] = []
    with tempfile.TemporaryDirectory() as temp:
        old = Path(temp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), args.old], cwd=ROOT, check=True)
        trees = {"old": old, "new": ROOT}
        before = load()
        try:
            if "assess" in only:
                for label, target, name in ASSESS_CASES:
                    path = ensure(name)
                    argv = [*checklist, "assess", str(path), "-f", "json", "-o", "out.json", "-q"]
                    rows.append((label, target, compare(label, _same(argv), trees, args.runs), "s"))
            if "interview" in only:
                label = "interview, answer → next prompt, 1,000 apps"
                rows.append((label, 1.10, compare(
                    label, lambda tree: [PYTHON, "-c", INTERVIEW, str(tree / "bench")], trees, args.runs,
                    lambda out: float(out.rsplit("RESULT ", 1)[1])), "ms"))
            if "diff" in only:
                result = str(saved_result())
                rows.append(("`diff` of two saved 10k results (target: ≤ 3 s wall)", 1.10, compare(
                    "diff", _same([*checklist, "diff", result, result, "-f", "json", "-o", "diff.json"]), trees,
                    args.runs), "s"))
            if "help" in only:
                rows.append(("`checklist --help`", 1.10, compare("--help", lambda _tree: [*checklist, "--help"],
                                                                 trees, args.runs), "s"))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    after = load()
    print(f"{args.old} (old) against the working tree (new); Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs; median of {args.runs} interleaved runs; load average "
          f"{' '.join(before)} before, {' '.join(after)} after\n")
    print("| case | old | new | new / old (target) | peak RSS old / new | RSS new / old |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, target, found, unit in rows:
        (old_value, old_rss), (new_value, new_rss) = found["old"], found["new"]
        digits = 1 if unit == "ms" else 2
        ratio, rss_ratio = new_value / old_value, new_rss / old_rss
        over, rss_over = ("" if ratio <= target else " **over**"), ("" if rss_ratio <= MEMORY_TARGET else " **over**")
        print(f"| {label} | {old_value:.{digits}f} {unit} | {new_value:.{digits}f} {unit} | "
              f"{ratio:.2f} (≤ {target:.2f}){over} | {old_rss:.0f} / {new_rss:.0f} MB | {rss_ratio:.2f}{rss_over} |")


if __name__ == "__main__":
    main()

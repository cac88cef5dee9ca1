"""`checklist assess` and `diff` at portfolio scale, and `checklist --help`: the targets of issue 5.

    python3 bench/assess_scale.py            # every case, 5 runs each
    python3 bench/assess_scale.py --runs 3 --skip-100k

Each case runs the real command in a subprocess (imports included) and
reports the median and slowest wall time and the largest peak RSS. Input
portfolios are generated into bench/data/ when missing (generate.py, fixed
seed). Results go to RESULTS.md by hand, with the machine they ran on.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PYTHON = sys.executable


def ensure(count: int, suffix: str) -> Path:
    label = f"{count // 1000}k" if count >= 1000 else str(count)
    path = DATA / f"apps-{label}.{suffix}"
    if not path.exists():
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(count), str(path)], check=True)
    return path


def measure(argv: list[str], runs: int) -> tuple[float, float, float]:
    """(median s, slowest s, peak RSS MB) of `runs` runs of `argv`, each in a new process."""
    print("running:", " ".join(argv[1:]), file=sys.stderr, flush=True)
    times, peaks = [], []
    for _ in range(runs):
        # GNU time's %M is the peak RSS of this one process
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
            start = time.perf_counter()
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv], check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            peaks.append(int(rss.read().split()[-1]) / 1024)
    return statistics.median(times), max(times), max(peaks)


def libyaml_parse(path: Path, runs: int, tuned: bool = False) -> tuple[float, float, float]:
    """The libyaml C loader alone on `path`, in a new process like the command; `tuned`: with
    the garbage collector's thresholds `checklist` sets (most of the default's time is the
    collector walking the objects just built)."""
    code = "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"
    if tuned:
        from checklist.cli import GC_THRESHOLD

        code = f"import gc; gc.set_threshold{GC_THRESHOLD}; {code}"
    return measure([PYTHON, "-c", code, str(path)], runs)


def bare_typer_app(commands: int, folder: Path) -> Path:
    """A typer app with `commands` commands, each with one argument and one option, and nothing else."""
    lines = ["import typer", "app = typer.Typer()"]
    for i in range(commands):
        lines += ["@app.command()", f"def command{i}(name: str, flag: bool = False) -> None:",
                  f"    '''Command number {i}.'''", "    print(name, flag)"]
    lines += ["if __name__ == '__main__':", "    app()"]
    path = folder / "bare_typer.py"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-100k", action="store_true")
    args = parser.parse_args()
    runs = args.runs
    checklist = [PYTHON, "-m", "checklist"]
    rows: list[tuple[str, tuple[float, float, float], str]] = []
    with tempfile.TemporaryDirectory() as temp:
        out = str(Path(temp) / "result.json")
        for label, path in (("10k apps, JSON in, JSON out", ensure(10_000, "json")),
                            ("10k apps, CSV in, JSON out", ensure(10_000, "csv")),
                            ("10k apps, YAML in, JSON out", ensure(10_000, "yaml")),
                            ("1k apps, JSON in, JSON out", ensure(1_000, "json"))):
            rows.append((f"`assess` {label}", measure([*checklist, "assess", str(path), "-f", "json", "-o", out,
                                                       "-q"], runs), ""))
        rows.append(("`assess` 10k apps, CSV in, CSV out",
                     measure([*checklist, "assess", str(ensure(10_000, "csv")), "-f", "csv", "-o",
                              str(Path(temp) / "result.csv"), "-q"], runs), ""))
        parse = libyaml_parse(ensure(10_000, "yaml"), runs)
        rows.append(("libyaml C loader alone, the same 10k YAML", parse, ""))
        tuned = libyaml_parse(ensure(10_000, "yaml"), runs, tuned=True)
        rows.append(("the same, with checklist's garbage collector thresholds", tuned, ""))
        rows.append(("`assess` 10k apps, JSON in, table out",
                     measure([*checklist, "assess", str(ensure(10_000, "json")), "-q"], runs), ""))
        saved = str(Path(temp) / "saved-10k.json")  # a 236 MB result, 17 times its inventory
        subprocess.run([*checklist, "assess", str(ensure(10_000, "json")), "-f", "json", "-o", saved, "-q"],
                       check=True)
        rows.append(("`diff` of that saved 10k result against itself",
                     measure([*checklist, "diff", saved, saved, "-o", str(Path(temp) / "diff.txt")], runs), ""))
        if not args.skip_100k:
            # 135 MB and about 5 million values: above the default input limits, which are raised here
            rows.append(("`assess` 100k apps, JSON in, JSON out",
                         measure([*checklist, "--max-input-mb", "200", "--max-nodes", "20000000", "assess",
                                  str(ensure(100_000, "json")), "-f", "json", "-o", out, "-q"], runs),
                         "with --max-input-mb 200 --max-nodes 20000000"))
        from checklist.cli import app

        commands = len(app.registered_commands) + len(app.registered_groups)
        bare = bare_typer_app(commands, Path(temp))
        ours = measure([*checklist, "--help"], runs * 3)
        theirs = measure([PYTHON, str(bare), "--help"], runs * 3)
        rows.append(("`checklist --help`", ours, f"{ours[0] / theirs[0]:.2f} × bare typer"))
        rows.append((f"bare typer app, {commands} commands, `--help`", theirs, ""))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {runs} runs "
          f"({runs * 3} for --help)\n")
    print("| case | median | slowest | peak RSS | note |\n| --- | --- | --- | --- | --- |")
    for label, (median, slowest, peak), note in rows:
        if "YAML in" in label:
            note = f"{median / parse[0]:.2f} × the libyaml parse, {median / tuned[0]:.2f} × the tuned one"
        print(f"| {label} | {median:.2f} s | {slowest:.2f} s | {peak:.0f} MB | {note} |")


if __name__ == "__main__":
    main()

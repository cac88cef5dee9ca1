"""`checklist scan` on a large generated tree: wall time and peak memory.

    python3 bench/scan_speed.py                    # 50,000 files, about 100 MB, 3 runs
    python3 bench/scan_speed.py --files 5000 --runs 1

The tree (bench/data/scan-tree-N/, generated once, seeded) mixes source files of seven
languages (about 2 KB each; one in twenty names a pattern in a comment and a string, one
in five hundred matches one in code), manifests,
Dockerfiles, configuration, a node_modules directory and build output that must be
skipped, binaries and a .gitignore. Each run is the real command in a new process
(`checklist scan TREE -f json -o /dev/null`), timed with GNU time for its peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SOURCES = {
    ".java": ("// {n}: a comment that mentions @Scheduled and System.getenv\n"
              "package app.p{d};\nimport java.util.List;\n\npublic class C{n} {{\n"
              "    private static final String NOTE = \"see @Scheduled in the docs\";\n"
              "    public int value(int x) {{ return x * {n}; }}\n}}\n"),
    ".py": ("# {n}: os.environ is read elsewhere\nimport json\n\n\ndef f{n}(x):\n"
            "    \"\"\"logging.FileHandler is not used here.\"\"\"\n    return json.dumps({{'x': x, 'n': {n}}})\n"),
    ".js": ("// {n}: process.env is read in config.js\n'use strict'\nconst n = {n}\n"
            "module.exports = function f{n} (x) {{ return `value ${{x}} process.env` + n }}\n"),
    ".go": ("// Package p{d}: signal.Notify lives in main.go\npackage p{d}\n\n"
            "// F{n} returns x.\nfunc F{n}(x int) int {{ return x + {n} }}\n"),
    ".cs": ("// {n}: Registry.LocalMachine is not read\nnamespace App.P{d}\n{{\n    public class C{n}\n    {{\n"
            "        public string S = \"Environment.GetEnvironmentVariable\";\n    }}\n}}\n"),
    ".php": ("<?php\n// {n}: session_start() is not called here\nfunction f{n}($x) {{ return $x . '{n}'; }}\n"),
    ".rb": ("# {n}: ENV['X'] is read in config\nmodule P{d}\n  def self.f{n}(x)\n    \"ENV[x] #{{x}}\"\n  end\nend\n"),
}
PLAIN = {
    ".java": "package app;\n\npublic class C{n} {{\n    public int value(int x) {{ return x * {n}; }}\n}}\n",
    ".py": "import json\n\n\ndef f{n}(x):\n    return json.dumps({{'x': x, 'n': {n}}})\n",
    ".js": "'use strict'\nmodule.exports = function f{n} (x) {{ return `value ${{x}}` }}\n",
    ".go": "package p\n\n// F{n} returns x.\nfunc F{n}(x int) int {{ return x + {n} }}\n",
    ".cs": "namespace App\n{{\n    public class C{n} {{ public int V = {n}; }}\n}}\n",
    ".php": "<?php\nfunction f{n}($x) {{ return $x . '{n}'; }}\n",
    ".rb": "module P\n  def self.f{n}(x)\n    x + {n}\n  end\nend\n",
}
FILLER = "    // filler line that looks like ordinary code: int total = count * price + tax;\n"
MATCHING = {
    ".java": "    @Scheduled(cron = \"0 0 * * * *\") void nightly() {}\n",
    ".py": "handler = logging.FileHandler('/var/log/app.log')\n",
    ".js": "const port = process.env.PORT\n",
    ".go": "func init() { signal.Notify(stop, syscall.SIGTERM) }\n",
}


def generate(root: Path, files: int, seed: int = 7) -> None:
    """About `files` files, two thirds of them source code of about 2 KB."""
    rng = random.Random(seed)
    suffixes = list(SOURCES)
    root.mkdir(parents=True)
    (root / ".gitignore").write_text("generated/\n*.log\n")
    (root / "pom.xml").write_text("<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
                                  "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>"
                                  "</project>\n")
    (root / "package.json").write_text('{"dependencies": {"express": "4", "prom-client": "15"}}\n')
    (root / "Dockerfile").write_text("FROM eclipse-temurin:21-jre\nEXPOSE 8080\nCMD [\"java\", \"-jar\", \"a.jar\"]\n")
    made = 4
    directory = 0
    while made < files:
        directory += 1
        kind = rng.random()
        if kind < 0.15:
            base = root / "node_modules" / f"pkg{directory}"  # skipped
        elif kind < 0.2:
            base = root / "generated" / f"g{directory}"  # .gitignore'd
        elif kind < 0.25:
            base = root / "target" / f"classes{directory}"  # build output
        else:
            base = root / "src" / f"module{directory % 97}" / f"pkg{directory}"
        base.mkdir(parents=True, exist_ok=True)
        for i in range(min(50, files - made)):
            n = made + i
            suffix = suffixes[n % len(suffixes)]
            if n % 25 == 0:
                (base / f"image{n}.png").write_bytes(bytes(rng.getrandbits(8) for _ in range(3000)))
                continue
            # one file in twenty names a pattern in a comment or a string (to be ruled out there)
            text = SOURCES[suffix].format(n=n, d=directory) if n % 20 == 0 else PLAIN[suffix].format(n=n)
            body = [text] + [FILLER] * rng.randint(15, 35)
            if n % 500 == 0 and suffix in MATCHING:
                body.append(MATCHING[suffix])
            (base / f"f{n}{suffix}").write_text("".join(body))
        made += min(50, files - made)


def measure(argv: list[str], runs: int) -> tuple[float, float, float, float]:
    """Median and slowest wall time, median CPU time (user + system, the workers' included) and
    the largest peak RSS of one process (the main one or a worker)."""
    times, cpu, peaks = [], [], []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as log:
            start = time.perf_counter()
            subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", log.name, *argv], check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            user, system, peak = log.read().split()[-3:]
            cpu.append(float(user) + float(system))
            peaks.append(int(peak) / 1024)
    return statistics.median(times), max(times), statistics.median(cpu), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = HERE / "data" / f"scan-tree-{args.files}"
    if not root.exists():
        print(f"generating {root} …", file=sys.stderr)
        generate(root, args.files)
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    count = sum(1 for p in root.rglob("*") if p.is_file())
    argv = [sys.executable, "-m", "checklist", "scan", str(root), "-f", "json", "-o", "/dev/null", "-q"]
    median, slowest, cpu, peak = measure(argv, args.runs)
    load = os.getloadavg()[0]
    print(f"| {count:,} files, {size / 1e6:,.0f} MB | {median:.2f} s | {slowest:.2f} s | {cpu:.2f} s | {peak:.0f} MB "
          f"| {load:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

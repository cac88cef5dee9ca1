"""`checklist collect --script`: print the read-only POSIX shell script that gathers, on a VM,
the facts source code cannot tell (kernel modules, crontabs, listening sockets, devices...)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from checklist.commands import EXIT_OK
from checklist.core.errors import UsageError
from checklist.io.output import check_target, emit


def script() -> str:
    return resources.files("checklist.io").joinpath("collect.sh").read_text("utf-8")


@dataclass(frozen=True)
class Options:
    """`checklist collect` as the command line gives it."""

    script: bool = False  # print the script (the only thing it does so far)
    output: Path | None = None
    force: bool = False


def run(options: Options) -> int:
    if not options.script:
        raise UsageError("say what to collect: `checklist collect --script > collect.sh` prints the script to "
                         "run on the VM (read-only; its header lists every command it runs)")
    check_target(options.output, "script", force=options.force)
    emit(script(), options.output)
    return EXIT_OK

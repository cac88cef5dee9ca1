"""`checklist collect --script`: print the read-only POSIX shell script that gathers, on a VM,
the facts source code cannot tell (kernel modules, crontabs, listening sockets, devices...)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from checklist.commands import EXIT_OK, input_files
from checklist.core.errors import UsageError
from checklist.io.output import emit, guard_output


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
    inputs = input_files()
    guard_output(options.output, "script", inputs, force=options.force)
    emit(script(), options.output, inputs)
    return EXIT_OK

"""`checklist collect --script`: print the read-only POSIX shell script that gathers, on a VM,
the facts source code cannot tell (kernel modules, crontabs, listening sockets, devices...)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from checklist.commands import EXIT_OK
from checklist.core.errors import UsageError
from checklist.io.output import check_target, emit


def script() -> str:
    return resources.files("checklist.io").joinpath("collect.sh").read_text("utf-8")


def run(print_script: bool, output: Path | None, force: bool) -> int:
    if not print_script:
        raise UsageError("say what to collect: `checklist collect --script > collect.sh` prints the script to "
                         "run on the VM (read-only; its header lists every command it runs)")
    check_target(output, "script", force=force)
    emit(script(), output)
    return EXIT_OK

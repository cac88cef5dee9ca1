"""Writing results: atomically, and never over an input file."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from checklist.errors import ChecklistError, Problem

# What a renderer produces: the whole text or bytes, or text in pieces that are
# written as they come (a portfolio's JSON can be larger than it should take memory).
Content = str | bytes | Iterable[str]


def _pieces(data: Content) -> Iterable[bytes]:
    if isinstance(data, bytes):
        return (data,)
    if isinstance(data, str):
        return (data.encode("utf-8"),)
    return (piece.encode("utf-8") for piece in data)


def write_atomic(path: Path, data: Content) -> None:
    """Replace `path` with `data` in one step: a temporary file in the same
    directory is written, flushed to disk and renamed over the target, so a
    failure at any point leaves the old file as it was."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ChecklistError(Problem(str(path), f"cannot write: {exc.strerror}")) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in _pieces(data):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            if path.exists():
                os.chmod(temp, path.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ChecklistError(Problem(str(path), f"cannot write: {exc.strerror}")) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def refuse_inputs(output: Path, inputs: Iterable[str]) -> None:
    """Raise if `output` is one of the input files: results never overwrite inputs."""
    target = output.resolve()
    for name in inputs:
        if name != "-" and Path(name).resolve() == target:
            raise ChecklistError(Problem(str(output), "is an input file; choose another --output"))


def emit(data: Content, output: Path | None, inputs: Iterable[str] = ()) -> None:
    """Write to `output` (atomically) or to standard output."""
    if output is None or str(output) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.writelines((data,) if isinstance(data, str) else data)
        sys.stdout.flush()
        return
    refuse_inputs(output, inputs)
    write_atomic(output, data)

"""Worker processes for the few jobs that split across cores (the PDF's parts, the two
sides of a large diff), started so that Ctrl-C stops them all and leaves none behind."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.pool import Pool


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ignore_interrupts(then: Callable[[], None] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    if then is not None:
        then()


@contextlib.contextmanager
def running_workers(count: int, start: Callable[[], None] | None = None) -> Iterator[Pool]:
    """`count` worker processes (forked where the system can), each running `start` first.
    Leaving the block, normally or by an exception or Ctrl-C, stops them; Ctrl-C is held
    back while they start, so that none is left behind."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    mask = hasattr(signal, "pthread_sigmask")  # POSIX
    if mask:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = multiprocessing.get_context(method).Pool(count, initializer=_ignore_interrupts, initargs=(start,))
    except BaseException:
        if mask:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        raise
    with pool:  # its exit terminates the workers
        if mask:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # a Ctrl-C held back arrives here
        yield pool

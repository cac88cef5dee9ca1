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


def _ignore_interrupts(parent: int, then: Callable[[], None] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    stopping = {getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)}
    for number in stopping:  # the parent's handlers are inherited: a stopped worker just ends
        signal.signal(number, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held back while the pool started: the pool stops a worker by SIGTERM
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stopping)
    _end_with_parent(parent)
    if then is not None:
        then()


def _end_with_parent(parent: int) -> None:
    """Have the kernel end this worker when its parent ends, however it ends (SIGKILL
    included), instead of finishing its part of a result nobody will read (Linux only)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError, TypeError):
        # The running program's own symbols include the C library's (no ldconfig run: a
        # process forked from one with threads must not start another process to find it).
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


@contextlib.contextmanager
def running_workers(count: int, start: Callable[[], None] | None = None) -> Iterator[Pool]:
    """`count` worker processes (forked where the system can), each running `start` first.
    Leaving the block, normally or by an exception or Ctrl-C, stops them; Ctrl-C is held
    back while they start, so that none is left behind."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    mask = hasattr(signal, "pthread_sigmask")  # POSIX
    held = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}
    if mask:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        pool = multiprocessing.get_context(method).Pool(count, initializer=_ignore_interrupts,
                                                     initargs=(os.getpid(), start))
    except BaseException:
        if mask:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        raise
    with pool:  # its exit terminates the workers
        if mask:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)  # a Ctrl-C (or SIGTERM) held back arrives here
        yield pool

"""A progress bar on standard error for long portfolio runs.

It appears only when the work has already taken a second (short runs stay
silent), only on a terminal, and never with ``--quiet``; it is drawn over
one line and removed when done, so standard output and logs stay clean.
rich is imported only when a bar is actually drawn.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

Tick = Callable[[int], None]


def _silent(_: int = 1) -> None:
    return None


class Progress:
    """Stages of work with a count each; `stage()` returns the function that counts."""

    def __init__(self, enabled: bool, delay: float = 1.0, console: Any = None) -> None:
        self.enabled = enabled
        self.delay = delay
        self._console = console
        self._start = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        self._pending = 0  # counted but not yet drawn
        self._next_draw = 0.0
        self._description = ""
        self._total: int | None = None
        self._unit = "applications"

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        """Enabled when standard error is a terminal and the user did not ask for quiet."""
        return cls(enabled=not quiet and sys.stderr.isatty())

    def stage(self, description: str, total: int | None, unit: str = "applications") -> Tick:
        """A stage counting to `total`, or, when the total cannot be known beforehand (reading),
        a count of `unit` so far: "Reading … 5,000 applications", never "5000/?"."""
        if not self.enabled:
            return _silent
        self._flush()
        self._pending = 0  # a new count, whether or not the bar is showing yet
        self._description, self._total, self._unit = description, total, unit
        if self._bar is not None:
            self._task = self._bar.add_task(description, total=total, unit=unit)
        return self._tick

    def track(self, items: Iterable[T], description: str, total: int | None) -> Iterator[T]:
        """`items`, counted one by one in a stage."""
        tick = self.stage(description, total)
        for item in items:
            yield item
            tick(1)

    def _tick(self, count: int = 1) -> None:
        self._pending += count
        now = time.monotonic()
        if now < self._next_draw:
            return
        self._next_draw = now + 0.1  # redraw at most ten times a second
        if self._bar is None and now - self._start >= self.delay:
            self._open()
        self._flush()

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
        from rich.text import Text

        class Count(ProgressColumn):
            """"40/40" against a known total, "5,000 applications" without one."""

            def render(self, task: Task) -> Text:
                done = f"{int(task.completed):,}"
                if task.total is None:
                    return Text(f"{done} {task.fields.get('unit', '')}".rstrip(), style="progress.download")
                return Text(f"{done}/{int(task.total):,}", style="progress.download")

        console = self._console or Console(file=sys.stderr)
        # redirect_stdout=False: rich would otherwise send everything written to
        # standard output to its console on standard error while the bar shows,
        # so `assess … -f json > out.json` would leave out.json empty.
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), Count(),
                             TimeElapsedColumn(), console=console, transient=True, redirect_stdout=False)
        self._bar.start()
        self._task = self._bar.add_task(self._description, total=self._total, unit=self._unit)

    def _flush(self) -> None:
        if self._bar is not None and self._pending:
            self._bar.advance(self._task, self._pending)
            self._pending = 0

    def close(self) -> None:
        self._flush()
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

"""The progress bar: drawn on a terminal for long runs only, gone when done, silent otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import REPO
from rich.console import Console
from typer.testing import CliRunner

from checklist.cli import app
from checklist.io.output import emit
from checklist.io.progress import Progress


def terminal() -> tuple[Console, io.StringIO]:
    screen = io.StringIO()
    return Console(file=screen, force_terminal=True, width=100), screen


def run_stages(progress: Progress) -> None:
    with progress:
        progress.stage("Reading", None)(40)
        tick = progress.stage("Assessing", 40)
        for _ in range(40):
            tick(1)
        for _ in progress.track(range(42), "Writing", 42):
            pass


def test_a_long_run_shows_each_stage_with_its_count_then_clears_the_line() -> None:
    console, screen = terminal()
    run_stages(Progress(enabled=True, delay=0, console=console))
    drawn = screen.getvalue()
    assert "Assessing" in drawn and "40/40" in drawn and "Writing" in drawn and "42/42" in drawn
    assert drawn.endswith("\x1b[2K")  # the bar erases itself: nothing is left between the user's lines


def test_a_count_without_a_total_says_what_it_counts() -> None:
    console, screen = terminal()
    with Progress(enabled=True, delay=0, console=console) as progress:
        progress.stage("Reading", None)(5000)
        progress.stage("Assessing", 5000)(10)
    drawn = screen.getvalue()
    assert "5,000 applications" in drawn and "/?" not in drawn
    assert "10/5,000" in drawn


def test_a_short_run_draws_nothing() -> None:
    console, screen = terminal()
    run_stages(Progress(enabled=True, delay=60, console=console))
    assert screen.getvalue() == ""


def test_a_disabled_bar_draws_nothing() -> None:
    console, screen = terminal()
    run_stages(Progress(enabled=False, delay=0, console=console))
    assert screen.getvalue() == ""


def test_quiet_runs_print_nothing_on_stderr(tmp_path: Path) -> None:
    sample = str(REPO / "samples" / "portfolio.yaml")
    runner = CliRunner()
    for args in (["assess", sample, "-f", "json", "-o", str(tmp_path / "out.json"), "--quiet"],
                 ["report", sample, "-o", str(tmp_path / "out.md"), "-q"],
                 ["validate", sample, "-q"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
    assert (tmp_path / "out.json").is_file() and (tmp_path / "out.md").is_file()


def test_output_written_while_the_bar_shows_goes_to_stdout_not_the_terminal(
        capsys: pytest.CaptureFixture[str]) -> None:
    # `checklist assess big.json -f json > out.json` on a terminal: the bar is on
    # stderr, and every byte of the result must still reach the redirected stdout.
    console, screen = terminal()
    with Progress(enabled=True, delay=0, console=console) as progress:
        progress.stage("Assessing", 1)(1)
        emit(progress.track(['{"applications":', "[]}\n"], "Writing", 2), None)
    assert capsys.readouterr().out == '{"applications":[]}\n'
    assert "applications" not in screen.getvalue()

"""Shared fixtures: the default catalog (loaded once), a file writer bound to tmp_path, and
the input limits put back after every test."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import write_file

from checklist.core.model import Catalog
from checklist.io.catalog import load_catalog
from checklist.io.source import DEFAULT_LIMITS, LIMITS

Writer = Callable[..., Path]


@pytest.fixture(scope="session")
def default_catalog() -> Catalog:
    """The catalog shipped in rules/, loaded once per test session."""
    return load_catalog()


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """``write("inv.yaml", text)``: dedented text (or raw bytes) under tmp_path; returns the path."""

    def _write(name: str, content: str | bytes) -> Path:
        return write_file(tmp_path / name, content)

    return _write


@pytest.fixture(autouse=True)
def default_limits() -> Iterator[None]:
    """A CLI run in the test process (`checklist --max-input-mb 1 …`) sets the limits every
    later read uses; each test starts from the defaults."""
    yield
    for field in dataclasses.fields(LIMITS):
        setattr(LIMITS, field.name, getattr(DEFAULT_LIMITS, field.name))

"""Shared fixtures: the default catalog (loaded once) and a file writer bound to tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_file

from checklist.core.model import Catalog
from checklist.io.catalog import load_catalog

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

"""Small helpers the test modules share (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from checklist.core.errors import ChecklistError, Problem

REPO = Path(__file__).resolve().parents[1]


def write_file(path: Path, content: str | bytes) -> Path:
    """Write `content` to `path` (text is dedented; parents are created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return path


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the `occurrence`-th `needle` in `text`."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def problems_of(error: ChecklistError) -> list[Problem]:
    return list(error.problems)


def same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def render(problems: Iterable[Problem]) -> str:
    """All problems as the CLI prints them, for assertion messages."""
    return "\n".join(str(p) for p in problems)


# Answer sets an expert would give; shared by the engine and CLI tests.
GOOD_ORG: dict[str, Any] = {
    "business_case": "documented_with_metrics",
    "executive_sponsor": True,
    "velocity_dip_planned": True,
    "container_skills": "platform_team",
    "portfolio_inventory": "complete_with_dependencies",
    "pilot_selected": True,
    "container_registry": "in_place",
    "ci_cd_containers": "automated",
    "image_scanning": "automated_in_pipeline",
    "orchestrator": "orchestrated",
    "observability_platform": "container_aware",
    "secrets_manager": True,
    "windows_container_hosts": False,
}

# A stateless twelve-factor Linux service: everything the checklist asks for is in place.
TWELVE_FACTOR: dict[str, Any] = {
    "os_family": "linux",
    "kernel_dependencies": ["none"],
    "hardware_dependencies": ["none"],
    "desktop_gui": False,
    "runtime": "go",
    "architecture": "microservices",
    "process_model": "single_process",
    "scheduled_jobs": "none",
    "state_location": ["stateless"],
    "session_state": "none",
    "persistent_data": "none",
    "clustering": "none",
    "config_source": ["environment"],
    "secrets_source": "secrets_manager",
    "logging_target": "stdout",
    "metrics": "prometheus_or_otel",
    "health_endpoint": True,
    "startup_seconds": 2,
    "graceful_shutdown": True,
    "horizontal_scaling": True,
    "service_discovery": "dns",
    "network_needs": ["none"],
    "runs_as_root": False,
    "privileged_access": "none",
    "isolation_requirement": "standard",
    "licensing_model": "open_source_or_inhouse",
    "vendor_container_support": "not_applicable",
    "build_automation": "ci_pipeline",
    "dependency_pinning": True,
    "containerization_status": "images_in_ci",
    "deployment_method": "ci_cd",
    "test_automation": "comprehensive",
    "team_knowledge": "active_development",
    "rollback_plan": True,
}

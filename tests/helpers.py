"""Small helpers the test modules share (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import random
import textwrap
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from checklist.core.answers import known_answers
from checklist.core.engine import evaluate
from checklist.core.errors import ChecklistError, Problem
from checklist.core.model import Application, Catalog, Inventory, Organization
from checklist.render.json import INDENT_UP_TO

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


def random_answers(catalog: Catalog, rng: random.Random, scope: str) -> dict[str, Any]:
    """A plausible answer set: each fact answered, unknown or missing, valid values only."""
    answers: dict[str, Any] = {}
    for fact in catalog.facts_for(scope):
        roll = rng.random()
        if roll < 0.15:
            continue
        if roll < 0.2:
            answers[fact.id] = "unknown"
        elif fact.type == "choice":
            answers[fact.id] = rng.choice(sorted(fact.values))
        elif fact.type == "multi":
            plain = sorted(fact.values - set(fact.exclusive))
            answers[fact.id] = rng.sample(plain, rng.randint(1, min(3, len(plain))))
        elif fact.type == "bool":
            answers[fact.id] = rng.random() < 0.5
        else:
            answers[fact.id] = rng.choice([0, 1, 5, 30, 120, 999, 1000, 5000])
    return answers


def random_inventory(catalog: Catalog, rng: random.Random, count: int) -> Inventory:
    """An organisation and `count` applications with `random_answers`."""
    org_answers = random_answers(catalog, rng, "organization")
    org = Organization("Org", org_answers, known_answers(org_answers, catalog.facts))
    apps = []
    for i in range(count):
        answers = random_answers(catalog, rng, "application")
        apps.append(Application(f"app-{i}", f"App {i}", answers, known_answers(answers, catalog.facts)))
    return Inventory(org, tuple(apps))


def tenths(catalog: Catalog) -> Catalog:
    """The catalog with weights in tenths (1.3, 0.7…), which floats do not add exactly."""
    return replace(catalog, rules=tuple(replace(r, weight=round(r.weight * 1.3 + 0.1 * (i % 7), 1))
                                        for i, r in enumerate(catalog.rules)))


NAMES = ["Billing \"API\"", "a|b <script>", "Ünïcødé ✓", "tab\there", "line\nbreak", "back\\slash"]


def large_assessment(catalog: Catalog, count: int = INDENT_UP_TO + 50) -> Any:
    """A random portfolio, larger than a JSON result is indented up to, with names to escape."""
    rng = random.Random(11)
    org_answers = random_answers(catalog, rng, "organization")
    apps = []
    for i in range(count):
        answers = random_answers(catalog, rng, "application")
        apps.append(Application(f"app-{i}", NAMES[i % len(NAMES)] + str(i), answers,
                                known_answers(answers, catalog.facts), owner=f"team-{i % 7}" if i % 3 else None,
                                criticality=rng.choice(["", "low", "high"])))
    org = Organization("Org ✓", org_answers, known_answers(org_answers, catalog.facts))
    return evaluate(catalog, Inventory(org, tuple(apps)))

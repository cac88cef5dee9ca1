"""An expert's portfolio: what a VM-to-container consultant would sign, app by app.

tests/data/expert/expected.yaml was written from the fact contract and the
judgement ladder before the engine ever ran on these inventories; the engine
is judged against it, never the other way round. Each application is its own
test so that a disagreement names the application, the expectation and why.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import REPO

from checklist.core.engine import AppResult, evaluate
from checklist.core.model import Catalog
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory

DATA = REPO / "tests" / "data" / "expert"
PORTFOLIOS = ("portfolio.yaml", "portfolio-platform.yaml")
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))


def _ids(name: str) -> list[str]:
    document = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return [app["id"] for app in document["applications"]]


CASES = [(name, app_id) for name in PORTFOLIOS for app_id in _ids(name)]

_results: dict[str, dict[str, AppResult]] = {}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _assessed(catalog: Catalog, name: str) -> dict[str, AppResult]:
    """Each portfolio is loaded with the package's loaders and evaluated once per module."""
    if name not in _results:
        inventory = load_inventory([str(DATA / name)], catalog)
        assessment = evaluate(catalog, inventory)
        _results[name] = {r.application.id: r for r in assessment.applications}
    return _results[name]


def test_every_application_has_an_expectation_and_every_expectation_an_application() -> None:
    ids = [app_id for _, app_id in CASES]
    assert len(ids) == len(set(ids)), "application ids must be unique across the expert portfolios"
    assert sorted(ids) == sorted(EXPECTED)
    assert len(_ids("portfolio.yaml")) >= 34


def test_expectations_use_the_contract_vocabulary() -> None:
    verdicts = {"ready", "ready_with_changes", "needs_refactoring", "needs_platform",
                "not_suitable", "insufficient_data"}
    strategies = {"containerize", "replatform", "refactor", "retain_on_vm", "rewrite",
                  "windows_containers", "sandboxed_runtime", "complete_assessment", "retain",
                  "repurchase", "retire", "managed_service", "dedicated_nodes"}
    for app_id, expected in EXPECTED.items():
        assert expected["verdict"] in verdicts, app_id
        wanted = expected["strategy"] if isinstance(expected["strategy"], list) else [expected["strategy"]]
        assert set(wanted) <= strategies, app_id
        assert expected.get("decided_by", "band") in {"blocker", "insufficient_data", "cap", "band"}, app_id
        assert expected["why"].strip(), app_id


def _describe(result: AppResult) -> str:
    blockers = ", ".join(f.rule.id for f in result.blockers) or "none"
    return (f"got {result.verdict}/{result.strategy} by {result.reason.decided_by} (score {result.score.value}, "
            f"confidence {result.score.confidence:.2f}, blockers: {blockers})")


@pytest.mark.parametrize(("portfolio", "app_id"), CASES, ids=[app_id for _, app_id in CASES])
def test_verdict_and_strategy_are_what_an_expert_would_sign(catalog: Catalog, portfolio: str, app_id: str) -> None:
    expected = EXPECTED[app_id]
    result = _assessed(catalog, portfolio)[app_id]
    wanted = expected["strategy"] if isinstance(expected["strategy"], list) else [expected["strategy"]]
    why = f"{app_id}: expected {expected['verdict']}/{'|'.join(wanted)} because {expected['why']} — {_describe(result)}"
    assert result.verdict == expected["verdict"], why
    assert result.strategy in wanted, why


DECIDED = [(name, app_id) for name, app_id in CASES if "decided_by" in EXPECTED[app_id]]


@pytest.mark.parametrize(("portfolio", "app_id"), DECIDED, ids=[app_id for _, app_id in DECIDED])
def test_the_expected_step_of_the_ladder_decides(catalog: Catalog, portfolio: str, app_id: str) -> None:
    result = _assessed(catalog, portfolio)[app_id]
    assert result.reason.decided_by == EXPECTED[app_id]["decided_by"], f"{app_id}: {_describe(result)}"

"""Data-driven tests over the default catalog: every rule, every example, and the catalog's contract.

Each rule must be able to pass and to fail, and carry a passing, a failing
and an unknown example; every example must give the result it states. The
catalog as a whole must cover DESIGN.md: the 19 steps, the statefulness and
isolation checks, and the public fact table.
"""

from __future__ import annotations

import re

import pytest
from helpers import render

from checklist.core.answers import check_answer, known_answers
from checklist.core.engine import check_examples, evaluate_rule
from checklist.core.errors import ChecklistError
from checklist.core.model import Catalog, Example, Rule
from checklist.io.catalog import load_catalog


def _load() -> tuple[Catalog | None, str]:
    try:
        return load_catalog(), ""
    except ChecklistError as exc:
        return None, render(exc.problems)


CATALOG, LOAD_ERROR = _load()

# A catalog that does not load must fail loudly, not leave empty (skipped) parameter sets.
RULES = (
    [pytest.param(rule, id=rule.id) for rule in CATALOG.rules]
    if CATALOG
    else [pytest.param(None, id="catalog-does-not-load")]
)
EXAMPLES = (
    [
        pytest.param(rule, example, id=f"{rule.id}[{i}]-{example.result}")
        for rule in CATALOG.rules
        for i, example in enumerate(rule.examples)
    ]
    if CATALOG
    else [pytest.param(None, None, id="catalog-does-not-load")]
)

# DESIGN.md, "The 19 transition steps": step -> scope.
DESIGN_STEP_SCOPES: dict[int, set[str]] = {
    1: {"org"}, 2: {"org"}, 3: {"org"}, 4: {"org", "app"}, 5: {"org"},
    6: {"app"}, 7: {"app"}, 8: {"app"}, 9: {"app"}, 10: {"app"}, 11: {"app"},
    12: {"org", "app"}, 13: {"app"}, 14: {"app"}, 15: {"org", "app"}, 16: {"app"},
    17: {"org", "app"}, 18: {"org", "app"}, 19: {"org", "app"},
}

# DESIGN.md, "Facts: the questions (public contract)": id -> (scope, type, values).
ORG, APP = "organization", "application"
DESIGN_FACTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "business_case": (ORG, "choice", ("none", "informal", "documented_with_metrics")),
    "executive_sponsor": (ORG, "bool", ()),
    "velocity_dip_planned": (ORG, "bool", ()),
    "container_skills": (ORG, "choice", ("none", "few_individuals", "most_engineers", "platform_team")),
    "portfolio_inventory": (ORG, "choice", ("none", "partial", "complete_with_dependencies")),
    "pilot_selected": (ORG, "bool", ()),
    "container_registry": (ORG, "choice", ("none", "planned", "in_place")),
    "ci_cd_containers": (ORG, "choice", ("none", "partial", "automated")),
    "image_scanning": (ORG, "choice", ("none", "manual", "automated_in_pipeline")),
    "orchestrator": (ORG, "choice", ("none", "evaluating", "single_host", "orchestrated")),
    "observability_platform": (ORG, "choice", ("none", "host_based", "container_aware")),
    "secrets_manager": (ORG, "bool", ()),
    "windows_container_hosts": (ORG, "bool", ()),
    "os_family": (APP, "choice", ("linux", "windows", "other_unix", "mainframe")),
    "kernel_dependencies": (APP, "multi", ("none", "sysctl_tuning", "kernel_modules",
                                          "specific_kernel_version")),
    "hardware_dependencies": (APP, "multi", ("none", "gpu", "usb_or_serial_device", "license_dongle",
                                            "hsm_or_smartcard", "specialised_card")),
    "desktop_gui": (APP, "bool", ()),
    "runtime": (APP, "choice", ("java", "dotnet_framework", "dotnet", "python", "nodejs", "go", "php",
                                "ruby", "native", "cobol", "other")),
    "architecture": (APP, "choice", ("monolith", "n_tier", "modular", "microservices", "batch")),
    "process_model": (APP, "choice", ("single_process", "few_cooperating", "supervisor_managed")),
    "scheduled_jobs": (APP, "choice", ("none", "in_app_scheduler", "host_cron")),
    "state_location": (APP, "multi", ("stateless", "external_services", "local_disk", "shared_filesystem",
                                     "embedded_database")),
    "session_state": (APP, "choice", ("none", "in_memory", "sticky_sessions", "external_store")),
    "persistent_data": (APP, "choice", ("none", "managed_database", "self_hosted_database",
                                        "files_on_disk")),
    "data_size_gb": (APP, "number", ()),
    "clustering": (APP, "choice", ("none", "app_managed", "platform_managed")),
    "config_source": (APP, "multi", ("environment", "config_files", "config_service", "hardcoded",
                                    "windows_registry")),
    "secrets_source": (APP, "choice", ("secrets_manager", "environment", "config_files", "hardcoded")),
    "logging_target": (APP, "choice", ("stdout", "local_files", "syslog", "windows_event_log")),
    "metrics": (APP, "choice", ("none", "basic", "prometheus_or_otel")),
    "health_endpoint": (APP, "bool", ()),
    "startup_seconds": (APP, "number", ()),
    "graceful_shutdown": (APP, "bool", ()),
    "horizontal_scaling": (APP, "bool", ()),
    "service_discovery": (APP, "choice", ("hardcoded_ips", "config", "dns", "service_registry")),
    "network_needs": (APP, "multi", ("none", "multicast", "host_network", "fixed_ip", "privileged_ports")),
    "runs_as_root": (APP, "bool", ()),
    "privileged_access": (APP, "choice", ("none", "capabilities", "privileged", "host_namespaces")),
    "isolation_requirement": (APP, "choice", ("standard", "regulated", "untrusted_multitenant")),
    "licensing_model": (APP, "choice", ("open_source_or_inhouse", "per_user", "per_core_or_host",
                                        "hardware_locked")),
    "vendor_container_support": (APP, "choice", ("not_applicable", "supported", "unsupported")),
    "build_automation": (APP, "choice", ("none", "scripted", "ci_pipeline")),
    "dependency_pinning": (APP, "bool", ()),
    "containerization_status": (APP, "choice", ("none", "dockerfile_in_dev", "images_in_ci",
                                                "running_in_production")),
    "deployment_method": (APP, "choice", ("manual", "scripts", "config_management", "ci_cd")),
    "test_automation": (APP, "choice", ("none", "partial", "comprehensive")),
    "team_knowledge": (APP, "choice", ("active_development", "maintenance_with_sme", "no_sme")),
    "rollback_plan": (APP, "bool", ()),
}
DESIGN_OPTIONAL_FACTS = {"data_size_gb"}

STRATEGIES = {"containerize", "replatform", "refactor", "retain_on_vm", "rewrite", "windows_containers",
              "sandboxed_runtime", "complete_assessment",  # v1
              "retain", "repurchase", "retire", "managed_service", "dedicated_nodes"}  # v2 (DESIGN.md)
CATEGORIES = {"statefulness", "isolation", "platform", "delivery", "operations", "organisation"}


def loaded() -> Catalog:
    assert CATALOG is not None, f"the default catalog does not load:\n{LOAD_ERROR}"
    return CATALOG


# ---------------------------------------------------------------- per rule


@pytest.mark.parametrize("rule", RULES)
def test_rule_has_pass_fail_and_unknown_examples(rule: Rule | None) -> None:
    loaded()
    assert rule is not None
    given = {example.result for example in rule.examples}
    can_give = {outcome.result for outcome in rule.outcomes}
    assert {"pass", "fail"} <= can_give, f"{rule.id} ({rule.origin}) has outcomes {sorted(can_give)} only"
    missing = {"pass", "fail", "unknown"} - given
    assert not missing, f"{rule.id} ({rule.origin}) has no example with result {sorted(missing)}"


@pytest.mark.parametrize("rule", RULES)
def test_rule_examples_cover_every_outcome_and_not_applicable(rule: Rule | None) -> None:
    loaded()
    assert rule is not None
    given = {example.result for example in rule.examples}
    can_give = {outcome.result for outcome in rule.outcomes}
    if rule.applies_when is not None:
        can_give.add("not_applicable")
    assert can_give <= given, f"{rule.id} ({rule.origin}): no example for {sorted(can_give - given)}"


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example_gives_its_stated_result(rule: Rule | None, example: Example | None) -> None:
    catalog = loaded()
    assert rule is not None
    assert example is not None
    where = f"{example.origin.file}:{example.origin.line}"
    for fact_id, value in example.answers.items():
        fact = catalog.facts.get(fact_id)
        assert fact is not None, f"{where}: example answers unknown fact {fact_id!r}"
        assert check_answer(fact, value) is None, f"{where}: {fact_id}: {check_answer(fact, value)}"
    result, message = evaluate_rule(rule, known_answers(example.answers, catalog.facts))
    assert result == example.result, f"{where}: {rule.id} gives {result!r} ({message})"
    assert message.strip()


@pytest.mark.parametrize("rule", RULES)
def test_rule_is_well_formed(rule: Rule | None) -> None:
    catalog = loaded()
    assert rule is not None
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id), "rule ids are kebab-case"
    assert rule.category in CATEGORIES
    assert rule.severity in {"blocker", "major", "minor"}
    assert rule.effort in {"small", "medium", "large"}
    assert rule.weight > 0
    assert rule.rationale.strip()
    assert rule.remediation.strip()
    assert rule.facts, "a rule must read at least one fact"
    design_scope = "org" if rule.scope == "organization" else "app"
    assert design_scope in DESIGN_STEP_SCOPES[rule.step], (
        f"{rule.id}: step {rule.step} has no {rule.scope} scope in DESIGN.md"
    )
    if rule.scope == "organization":
        assert all(catalog.facts[f].scope == "organization" for f in rule.facts)


# ---------------------------------------------------------------- the catalog as a whole


def test_default_catalog_loads_and_its_examples_check() -> None:
    problems = check_examples(load_catalog())
    if problems:
        pytest.fail(render(problems))


def test_catalog_identity() -> None:
    catalog = loaded()
    assert catalog.name.strip()
    assert catalog.version.strip()


def test_at_least_fifty_rules_with_unique_ids() -> None:
    catalog = loaded()
    ids = [rule.id for rule in catalog.rules]
    assert len(ids) >= 50
    assert len(set(ids)) == len(ids)


def test_the_nineteen_steps_match_design_and_each_has_a_rule() -> None:
    catalog = loaded()
    assert [step.number for step in catalog.steps] == list(range(1, 20))
    for step in catalog.steps:
        assert set(step.scope) == DESIGN_STEP_SCOPES[step.number], f"step {step.number} scope"
    covered = {rule.step for rule in catalog.rules}
    assert set(range(1, 20)) <= covered, f"steps without a rule: {sorted(set(range(1, 20)) - covered)}"


@pytest.mark.parametrize("category", ["statefulness", "isolation"])
def test_at_least_eight_statefulness_and_isolation_rules(category: str) -> None:
    catalog = loaded()
    assert sum(rule.category == category for rule in catalog.rules) >= 8


def test_every_blocker_names_a_strategy() -> None:
    catalog = loaded()
    blockers = [rule for rule in catalog.rules if rule.severity == "blocker"]
    assert blockers
    for rule in blockers:
        assert rule.strategy in STRATEGIES, f"{rule.id}: strategy {rule.strategy!r}"


def test_scoring_strategies_are_design_strategies() -> None:
    scoring = loaded().scoring
    assert set(scoring.strategy_by_verdict.values()) <= STRATEGIES
    assert set(scoring.strategy_priority) <= STRATEGIES


@pytest.mark.parametrize("fact_id", list(DESIGN_FACTS))
def test_design_fact_exists_with_at_least_its_values(fact_id: str) -> None:
    catalog = loaded()
    scope, kind, values = DESIGN_FACTS[fact_id]
    fact = catalog.facts.get(fact_id)
    assert fact is not None, f"DESIGN.md fact {fact_id!r} is missing"
    assert fact.scope == scope
    assert fact.type == kind
    assert set(values) <= fact.values, f"missing values {sorted(set(values) - fact.values)}"
    if fact_id in DESIGN_OPTIONAL_FACTS:
        assert fact.optional


@pytest.mark.parametrize("fact_id", list(CATALOG.facts) if CATALOG else ["catalog-does-not-load"])
def test_every_fact_explains_why_it_matters(fact_id: str) -> None:
    fact = loaded().facts[fact_id]
    assert fact.help.strip(), f"{fact_id} has no help"
    assert fact.text.strip()
    assert all(choice.label.strip() for choice in fact.choices)


def test_every_rule_names_its_failure_as_a_problem_and_its_fix_as_an_action() -> None:
    for rule in loaded().rules:
        assert rule.problem and rule.action, rule.id
        assert rule.problem != rule.title, f"{rule.id}: the problem is the failure, not the pass condition"
        assert not rule.caps or rule.caps_reason, rule.id


def test_every_fact_says_who_can_change_it_and_who_knows() -> None:
    for fact in loaded().facts.values():
        assert fact.changed_by in ("team", "organisation", "vendor", "nobody"), fact.id
        assert fact.answered_by, fact.id
    facts = loaded().facts
    # facts of the world and vendors' decisions are never "fixed" by a plan
    assert {facts[f].changed_by for f in ("os_family", "data_size_gb", "isolation_requirement")} == {"nobody"}
    assert facts["vendor_container_support"].changed_by == "vendor"


def test_platform_blockers_name_the_capability_and_yield_once_it_exists() -> None:
    catalog = loaded()
    for rule in catalog.rules:
        if rule.severity == "blocker" and rule.strategy in ("windows_containers", "sandboxed_runtime",
                                                             "dedicated_nodes"):
            assert rule.requires, rule.id
            failing = [e for e in rule.examples if e.result == "fail"]
            assert failing, rule.id
            for example in failing:  # the same answers with the capability in place no longer fail
                answers = known_answers({**example.answers, rule.requires: True}, catalog.facts)
                assert evaluate_rule(rule, answers)[0] != "fail", (rule.id, example.answers)

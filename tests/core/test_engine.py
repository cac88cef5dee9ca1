"""The engine: scores, confidence, verdicts, strategies, step statuses, remediations, portfolio.

The arithmetic is checked on a tiny catalog whose weights make every number
easy to compute by hand: application rules a (40) and b (20) in step 1;
c (19.9), d (0.1) and e (20) in step 2; blockers k1 (10, retain_on_vm),
k2 (10, rewrite) and k3 (10, windows_containers: a platform capability) in
step 2; m (10, caps at ready_with_changes) in step 2; organisation rules x (5)
and y (3) in step 1.
Every rule reads its own fact: ``good`` passes, ``half`` is partial, ``bad``
fails, ``absent`` makes the rule not applicable, and no answer leaves it
unknown. With a..e known the known weight is 100, so the score is Σ earned.

Then expert expectations on the default catalog, with full answer sets.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from helpers import GOOD_ORG, TWELVE_FACTOR, random_inventory, tenths, write_file

from checklist.core.answers import known_answers
from checklist.core.engine import (
    AppResult,
    Assessment,
    evaluate,
    evaluate_application,
    evaluate_rule,
    score_findings,
    step_statuses,
)
from checklist.core.model import Application, Catalog, Inventory, Organization
from checklist.core.vocabulary import SEVERITIES
from checklist.io.catalog import load_catalog

CATALOG_YAML = """\
catalog: {name: tiny, version: "1"}
scoring:
  credit: {pass: 1, partial: 0.5, fail: 0}
  confidence_floor: 0.5
  thresholds: {ready: 80, ready_with_changes: 60, needs_refactoring: 40}
  strategy_by_verdict:
    ready: containerize
    ready_with_changes: replatform
    needs_refactoring: refactor
    insufficient_data: complete_assessment
    not_suitable: retain_on_vm
  # deliberately neither catalog order nor alphabetical: rewrite beats retain_on_vm here
  strategy_priority: [rewrite, retain_on_vm, windows_containers, sandboxed_runtime]
  strategy_when:
    - when: {fact: f_b, equals: half}
      verdicts: [ready, ready_with_changes]
      strategy: managed_service
      reason: b is half done.
steps:
  - {number: 1, phase: Decide, title: Step one, scope: [org, app], description: The first step.}
  - {number: 2, phase: Fit, title: Step two, scope: [app], description: The second step.}
"""

# rule id -> (scope, step, weight, severity, strategy)
RULES: dict[str, tuple[str, int, float, str, str | None]] = {
    "a": ("application", 1, 40, "major", None),
    "b": ("application", 1, 20, "minor", None),
    "c": ("application", 2, 19.9, "major", None),
    "d": ("application", 2, 0.1, "major", None),
    "e": ("application", 2, 20, "major", None),
    "k1": ("application", 2, 10, "blocker", "retain_on_vm"),
    "k2": ("application", 2, 10, "blocker", "rewrite"),
    "k3": ("application", 2, 10, "blocker", "windows_containers"),
    "m": ("application", 2, 10, "major", None),
    "x": ("organization", 1, 5, "major", None),
    "y": ("organization", 1, 3, "major", None),
}
APP_RULES = [rid for rid, spec in RULES.items() if spec[0] == "application"]
ANSWER = {"pass": "good", "partial": "half", "fail": "bad", "n/a": "absent"}


def _facts_yaml() -> str:
    out = ["facts:"]
    for rid, (scope, step, *_) in RULES.items():
        out.append(f"""\
  - id: f_{rid}
    scope: {scope}
    type: choice
    step: {step}
    text: How is {rid}?
    help: It decides rule {rid}.
    choices:
      - {{value: good, label: Good}}
      - {{value: half, label: Half}}
      - {{value: bad, label: Bad}}
      - {{value: absent, label: Does not apply}}""")
    return "\n".join(out) + "\n"


def _rules_yaml() -> str:
    out = ["rules:"]
    for rid, (scope, step, weight, severity, strategy) in RULES.items():
        out.append(f"""\
  - id: rule-{rid}
    title: Rule {rid}
    step: {step}
    scope: {scope}
    category: {"organisation" if scope == "organization" else "operations"}
    severity: {severity}
    weight: {weight}
    effort: small
    rationale: Why {rid} matters.
    remediation: Fix {rid}.""" + (f"\n    strategy: {strategy}" if strategy else "") + (
            "\n    caps: ready_with_changes\n    caps_reason: m must change before production." if rid == "m" else ""
        ) + f"""
    applies_when: {{not: {{fact: f_{rid}, equals: absent}}}}
    outcomes:
      - when: {{fact: f_{rid}, equals: good}}
        result: pass
        message: {rid} is good.
      - when: {{fact: f_{rid}, equals: half}}
        result: partial
        message: {rid} is half done.
      - result: fail
        message: {rid} is bad.""")
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    directory = tmp_path_factory.mktemp("tiny-catalog")
    write_file(directory / "catalog.yaml", CATALOG_YAML)
    write_file(directory / "facts.yaml", _facts_yaml())
    write_file(directory / "rules.yaml", _rules_yaml())
    return load_catalog([directory])


def answers_for(results: dict[str, str]) -> dict[str, Any]:
    """Answers giving each named rule its result; rules not named are n/a; 'unknown' leaves it unanswered."""
    chosen = {rid: "n/a" for rid in RULES} | results
    return {f"f_{rid}": ANSWER[result] for rid, result in chosen.items() if result != "unknown"}


def app(catalog: Catalog, results: dict[str, str], app_id: str = "app") -> Application:
    raw = {k: v for k, v in answers_for(results).items() if catalog.facts[k].scope == "application"}
    return Application(id=app_id, name=app_id, answers=raw, known=known_answers(raw, catalog.facts))


def assess(catalog: Catalog, results: dict[str, str]) -> AppResult:
    return evaluate_application(catalog, app(catalog, results), Organization())


def parse_results(spec: str) -> dict[str, str]:
    """``"a=pass b=fail"`` -> {"a": "pass", "b": "fail"}."""
    return dict(item.split("=") for item in spec.split())


# ---------------------------------------------------------------- the tiny catalog loads as written


def test_tiny_catalog_replaces_the_default(tiny: Catalog) -> None:
    assert tiny.name == "tiny"
    assert [r.id for r in tiny.rules] == ["rule-a", "rule-b", "rule-x", "rule-y", "rule-c", "rule-d",
                                         "rule-e", "rule-k1", "rule-k2", "rule-k3", "rule-m"]


# ---------------------------------------------------------------- score and confidence

SCORES = [
    # results (unnamed rules are n/a)        score   confidence
    ("a=pass b=fail",                         66.7,   1.0),
    ("a=pass b=partial",                      83.3,   1.0),
    ("a=fail b=pass",                         33.3,   1.0),
    ("a=pass b=pass c=pass d=pass e=pass",    100.0,  1.0),
    ("a=partial b=partial c=partial d=partial e=partial", 50.0, 1.0),
    # unknown: out of the score, in the confidence denominator
    ("a=pass b=unknown",                      100.0,  40 / 60),
    ("a=fail b=unknown e=pass",               33.3,   60 / 80),
    ("a=partial b=unknown c=unknown",         50.0,   40 / 79.9),
    # n/a: out of both
    ("a=pass b=n/a e=fail",                   66.7,   1.0),
    ("a=pass k1=fail",                        80.0,   1.0),
    # nothing known: 0 and no confidence
    ("a=unknown b=unknown",                   0.0,    0.0),
    ("",                                      0.0,    0.0),
]


@pytest.mark.parametrize(("spec", "score", "confidence"), SCORES)
def test_score_and_confidence(tiny: Catalog, spec: str, score: float, confidence: float) -> None:
    result = assess(tiny, parse_results(spec))
    assert result.score.value == score
    assert result.score.confidence == pytest.approx(confidence)


def test_score_terms_are_the_sums_explain_shows(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=partial c=unknown e=fail"))
    assert result.score.earned == pytest.approx(40 + 10)
    assert result.score.known_weight == pytest.approx(40 + 20 + 20)
    assert result.score.applicable_weight == pytest.approx(40 + 20 + 19.9 + 20)
    assert [f.result for f in result.findings] == ["pass", "partial", "unknown", "not_applicable", "fail",
                                                   "not_applicable", "not_applicable", "not_applicable",
                                                   "not_applicable"]


# ---------------------------------------------------------------- verdicts and strategies

VERDICTS = [
    # results                                     score  verdict               strategy
    ("a=pass b=pass c=pass d=pass e=fail",         80.0, "ready",              "containerize"),
    ("a=pass b=pass c=pass d=fail e=fail",         79.9, "ready_with_changes", "replatform"),
    ("a=pass b=pass c=fail d=fail e=fail",         60.0, "ready_with_changes", "replatform"),
    ("a=pass b=fail c=pass d=fail e=fail",         59.9, "needs_refactoring",  "refactor"),
    ("a=pass b=fail c=fail d=fail e=fail",         40.0, "needs_refactoring",  "refactor"),
    # a low score is work, never a "no": only a blocker makes an application not suitable
    ("a=fail b=fail c=pass d=fail e=pass",         39.9, "needs_refactoring",  "refactor"),
    ("a=fail b=fail c=fail d=fail e=fail",          0.0, "needs_refactoring",  "refactor"),
]


@pytest.mark.parametrize(("spec", "score", "verdict", "strategy"), VERDICTS)
def test_verdict_bands_at_and_just_below_each_threshold(
    tiny: Catalog, spec: str, score: float, verdict: str, strategy: str
) -> None:
    result = assess(tiny, parse_results(spec))
    assert result.score.value == score
    assert result.blockers == ()
    assert (result.verdict, result.strategy) == (verdict, strategy)


def test_confidence_exactly_at_the_floor_is_enough(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=unknown e=unknown"))  # 40 / 80
    assert result.score.confidence == 0.5
    assert (result.verdict, result.strategy) == ("ready", "containerize")


def test_confidence_just_below_the_floor_is_insufficient_data(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=unknown d=unknown e=unknown"))  # 40 / 80.1
    assert result.score.confidence < 0.5
    assert (result.verdict, result.strategy) == ("insufficient_data", "complete_assessment")


def test_failing_blocker_makes_a_high_score_not_suitable(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=pass c=pass d=pass e=pass k1=fail"))
    assert result.score.value == 90.9  # 100 / 110
    assert (result.verdict, result.strategy) == ("not_suitable", "retain_on_vm")
    assert [b.rule.id for b in result.blockers] == ["rule-k1"]


def test_two_failing_blockers_take_the_strategy_first_in_strategy_priority(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=pass c=pass d=pass e=pass k1=fail k2=fail"))
    assert [b.rule.id for b in result.blockers] == ["rule-k1", "rule-k2"]
    assert (result.verdict, result.strategy) == ("not_suitable", "rewrite")


@pytest.mark.parametrize("blocker", ["partial", "unknown", "pass", "n/a"])
def test_a_blocker_that_does_not_fail_does_not_block(tiny: Catalog, blocker: str) -> None:
    result = assess(tiny, parse_results(f"a=pass b=pass c=pass d=pass e=pass k1={blocker}"))
    assert result.blockers == ()
    assert result.verdict == "ready"


def test_a_failing_blocker_decides_at_any_confidence(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=unknown b=unknown e=unknown k1=fail"))  # 10 / 90
    assert result.score.confidence < 0.5
    assert (result.verdict, result.strategy) == ("not_suitable", "retain_on_vm")
    assert (result.reason.decided_by, result.reason.rules) == ("blocker", ("rule-k1",))
    assert result.scored


def test_too_few_answers_and_no_failing_blocker_is_not_scored(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=unknown b=unknown e=unknown k1=pass"))
    assert (result.verdict, result.strategy) == ("insufficient_data", "complete_assessment")
    assert result.reason.decided_by == "insufficient_data" and not result.scored


def test_a_platform_blocker_needs_the_platform_and_names_its_strategy(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=pass c=pass d=pass e=pass k3=fail"))
    assert (result.verdict, result.strategy) == ("needs_platform", "windows_containers")
    assert result.reason.decided_by == "blocker"


def test_a_blocker_that_keeps_the_app_where_it_is_outranks_a_platform_blocker(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=pass c=pass d=pass e=pass k1=fail k3=fail"))
    assert (result.verdict, result.strategy) == ("not_suitable", "retain_on_vm")
    assert result.reason.rules == ("rule-k1",)


@pytest.mark.parametrize(("spec", "verdict", "decided_by"), [
    ("a=pass b=pass c=pass d=pass e=pass m=fail", "ready_with_changes", "cap"),  # 100/110 = 90.9, held back
    ("a=pass b=pass c=pass d=pass e=pass m=partial", "ready", "band"),  # only a failure caps
    ("a=pass b=fail c=fail d=fail e=fail m=fail", "needs_refactoring", "band"),  # below the cap already
])
def test_a_failing_capped_rule_holds_the_verdict_at_its_band(tiny: Catalog, spec: str, verdict: str,
                                                              decided_by: str) -> None:
    result = assess(tiny, parse_results(spec))
    assert (result.verdict, result.reason.decided_by) == (verdict, decided_by)
    assert result.reason.rules == (("rule-m",) if decided_by == "cap" else ())


def test_what_an_application_is_can_choose_its_strategy(tiny: Catalog) -> None:
    assert assess(tiny, parse_results("a=pass b=partial c=pass d=pass e=pass")).strategy == "managed_service"
    # ...only for the verdicts it names
    assert assess(tiny, parse_results("a=fail b=partial c=fail d=fail e=fail")).strategy == "refactor"


# ---------------------------------------------------------------- remediations


def test_remediation_gain_is_the_rescore_with_that_rule_passing(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=pass b=fail e=partial"))
    assert result.score.value == 62.5  # 50 / 80
    ranked = [(r.rule.id, r.result, r.gain) for r in result.remediations]
    # b passing: 70 / 80 = 87.5 (+25.0); e passing: 60 / 80 = 75.0 (+12.5); a already passes.
    assert ranked == [("rule-b", "fail", 25.0), ("rule-e", "partial", 12.5)]
    assert result.remediations[0].text == "Fix b."
    assert result.remediations[0].rule.effort == "small"


def test_remediations_rank_by_gain_not_catalog_order(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("a=fail b=fail c=pass d=fail e=pass"))  # 39.9
    gains = [(r.rule.id, r.gain) for r in result.remediations]
    # a: 79.9 (+40.0), b: 59.9 (+20.0), d: 40.0 (+0.1)
    assert gains == [("rule-a", 40.0), ("rule-b", 20.0), ("rule-d", 0.1)]


def test_nothing_to_remediate_when_everything_passes(tiny: Catalog) -> None:
    assert assess(tiny, parse_results("a=pass b=pass k1=unknown")).remediations == ()


# ---------------------------------------------------------------- step statuses

STEPS = [
    # a        b          step 1 status     (step 2: all n/a)
    ("pass",    "pass",    "done"),
    ("pass",    "n/a",     "done"),
    ("pass",    "fail",    "partly"),
    ("partial", "pass",    "partly"),
    ("partial", "partial", "partly"),
    ("fail",    "fail",    "not_started"),
    ("fail",    "n/a",     "not_started"),
    ("unknown", "unknown", "unknown"),
    ("unknown", "n/a",     "unknown"),
    ("n/a",     "n/a",     "not_applicable"),
]


@pytest.mark.parametrize(("a", "b", "status"), STEPS)
def test_step_status(tiny: Catalog, a: str, b: str, status: str) -> None:
    result = assess(tiny, {"a": a, "b": b})
    assert [(s.step, s.status) for s in result.steps] == [(1, status), (2, "not_applicable")]


def test_step_two_status_combines_all_its_rules(tiny: Catalog) -> None:
    result = assess(tiny, parse_results("c=pass d=pass e=pass k1=pass k2=fail"))
    assert [(s.step, s.status) for s in result.steps] == [(1, "not_applicable"), (2, "partly")]


# ---------------------------------------------------------------- organisation and portfolio


@pytest.mark.parametrize(
    ("x", "y", "score", "confidence", "status"),
    [
        ("pass", "fail", 62.5, 1.0, "partly"),  # 5 / 8
        ("pass", "unknown", 100.0, 5 / 8, "partly"),
        ("pass", "pass", 100.0, 1.0, "done"),
        ("unknown", "unknown", 0.0, 0.0, "unknown"),
    ],
)
def test_organisation_readiness(tiny: Catalog, x: str, y: str, score: float, confidence: float,
                                status: str) -> None:
    raw = {k: v for k, v in answers_for({"x": x, "y": y}).items() if tiny.facts[k].scope == "organization"}
    org = Organization(name="Acme", answers=raw, known=known_answers(raw, tiny.facts))
    assessment = evaluate(tiny, Inventory(org, ()))
    assert [f.rule.id for f in assessment.organization.findings] == ["rule-x", "rule-y"]
    assert assessment.organization.score.value == score
    assert assessment.organization.score.confidence == pytest.approx(confidence)
    assert [(s.step, s.status) for s in assessment.organization.steps] == [(1, status)]


def portfolio_assessment(tiny: Catalog) -> Assessment:
    apps = (
        app(tiny, parse_results("a=pass b=pass c=pass d=pass e=fail"), "eighty"),     # 80.0 ready
        app(tiny, parse_results("a=pass b=pass c=fail d=fail e=fail"), "sixty"),      # 60.0 ready_with_changes
        app(tiny, parse_results("a=pass b=fail c=fail d=fail e=fail"), "forty"),      # 40.0 needs_refactoring
        app(tiny, parse_results("a=pass"), "hundred"),                                # 100.0 ready
        app(tiny, parse_results("a=pass b=pass k1=fail"), "blocked"),                 # 60/70 = 85.7 not_suitable
        app(tiny, parse_results("a=unknown b=unknown e=pass"), "unknown"),            # 20/80: insufficient data
    )
    return evaluate(tiny, Inventory(Organization(), apps))


def test_portfolio_counts_verdicts_and_averages_scores(tiny: Catalog) -> None:
    portfolio = portfolio_assessment(tiny).portfolio
    assert portfolio.applications == 6
    # only the applications that can move: (80 + 60 + 40 + 100) / 4, not the blocked 85.7 nor the unknown 100
    assert (portfolio.average_score, portfolio.averaged) == (70.0, 4)
    assert dict(portfolio.by_verdict) == {"ready": 2, "ready_with_changes": 1, "needs_refactoring": 1,
                                          "needs_platform": 0, "not_suitable": 1, "insufficient_data": 1}
    assert portfolio.by_strategy["retain_on_vm"] == 1
    assert portfolio.by_strategy["containerize"] == 2


def test_evaluate_only_one_application(tiny: Catalog) -> None:
    full = portfolio_assessment(tiny)
    inventory = Inventory(Organization(), tuple(r.application for r in full.applications))
    only = evaluate(tiny, inventory, only="forty")
    assert [r.application.id for r in only.applications] == ["forty"]
    assert only.portfolio.applications == 1
    assert only.portfolio.average_score == 40.0


# ---------------------------------------------------------------- expert expectations, default catalog

def expert(catalog: Catalog, app_answers: dict[str, Any], org_answers: dict[str, Any] | None = None
           ) -> AppResult:
    org_raw = GOOD_ORG if org_answers is None else org_answers
    org = Organization(name="Acme", answers=org_raw, known=known_answers(org_raw, catalog.facts))
    application = Application(id="app", name="App", answers=app_answers,
                              known=known_answers(app_answers, catalog.facts))
    (result,) = evaluate(catalog, Inventory(org, (application,))).applications
    return result


def blocker_ids(result: AppResult) -> list[str]:
    return [b.rule.id for b in result.blockers]


def test_stateless_twelve_factor_linux_service_is_ready(default_catalog: Catalog) -> None:
    result = expert(default_catalog, TWELVE_FACTOR)
    failing = [f.rule.id for f in result.findings if f.result in ("fail", "partial")]
    assert (result.verdict, result.strategy) == ("ready", "containerize"), failing
    assert result.blockers == ()
    assert result.score.confidence >= 0.9


def test_windows_app_without_windows_hosts_needs_windows_containers(default_catalog: Catalog) -> None:
    windows = TWELVE_FACTOR | {"os_family": "windows", "runtime": "dotnet_framework"}
    result = expert(default_catalog, windows, GOOD_ORG | {"windows_container_hosts": False})
    assert (result.verdict, result.strategy) == ("needs_platform", "windows_containers")
    assert "platform-windows" in blocker_ids(result)
    assert result.prerequisites == ("windows_container_hosts",)


def test_windows_app_with_windows_hosts_is_not_blocked_by_platform(default_catalog: Catalog) -> None:
    windows = TWELVE_FACTOR | {"os_family": "windows", "runtime": "dotnet_framework"}
    result = expert(default_catalog, windows, GOOD_ORG | {"windows_container_hosts": True})
    assert "platform-windows" not in blocker_ids(result)
    assert result.verdict != "not_suitable", blocker_ids(result)


@pytest.mark.parametrize(
    ("change", "strategies"),
    [
        pytest.param({"hardware_dependencies": ["license_dongle"]}, {"retain_on_vm", "rewrite"},
                     id="license-dongle"),
        pytest.param({"licensing_model": "per_core_or_host", "vendor_container_support": "unsupported"},
                     {"retain_on_vm"}, id="per-core-licence-vendor-unsupported"),
        pytest.param({"os_family": "mainframe", "runtime": "cobol"}, {"retain"}, id="mainframe"),
        pytest.param({"os_family": "other_unix"}, {"retain", "rewrite"}, id="other-unix"),
        pytest.param({"desktop_gui": True}, {"retain_on_vm", "rewrite"}, id="desktop-gui"),
    ],
)
def test_apps_that_cannot_share_a_linux_host_are_not_suitable(
    default_catalog: Catalog, change: dict[str, Any], strategies: set[str]
) -> None:
    result = expert(default_catalog, TWELVE_FACTOR | change)
    assert result.verdict == "not_suitable"
    assert result.blockers
    assert result.strategy in strategies


@pytest.mark.parametrize(("change", "cap"), [
    ({"privileged_access": "privileged"}, "ready_with_changes"),
    ({"runs_as_root": True}, "ready_with_changes"),
    ({"graceful_shutdown": False}, "ready_with_changes"),
    ({"logging_target": "local_files"}, "ready_with_changes"),
    ({"state_location": ["local_disk"], "local_disk_data": "durable"}, "ready_with_changes"),
    ({"privileged_access": "host_namespaces"}, "needs_refactoring"),  # code that drives the Docker socket
    ({"runtime_supported": False}, "needs_refactoring"),  # the runtime is upgraded under the code first
])
def test_what_must_change_before_production_is_never_ready(default_catalog: Catalog, change: dict[str, Any],
                                                           cap: str) -> None:
    """An otherwise ideal app is held back (a cap), not refused: it is work, not a "no"."""
    result = expert(default_catalog, TWELVE_FACTOR | change)
    assert result.blockers == ()
    assert (result.verdict, result.reason.decided_by) == (cap, "cap")
    near_miss = expert(default_catalog, TWELVE_FACTOR)
    assert (near_miss.verdict, near_miss.reason.decided_by) == ("ready", "band")


def test_an_app_with_three_answers_needs_a_complete_assessment(default_catalog: Catalog) -> None:
    result = expert(default_catalog, {"os_family": "linux", "runtime": "python", "startup_seconds": 5})
    assert (result.verdict, result.strategy) == ("insufficient_data", "complete_assessment")


@pytest.mark.parametrize(("change", "capability"), [
    ({"hardware_dependencies": ["gpu"]}, "gpu_nodes"),
    ({"kernel_dependencies": ["kernel_modules"]}, "dedicated_node_pools"),
    ({"kernel_dependencies": ["host_sysctl_tuning"]}, "dedicated_node_pools"),
])
def test_a_host_need_waits_for_the_node_pool_that_provides_it(default_catalog: Catalog, change: dict[str, Any],
                                                              capability: str) -> None:
    waiting = expert(default_catalog, TWELVE_FACTOR | change, GOOD_ORG | {capability: False})
    assert (waiting.verdict, waiting.strategy) == ("needs_platform", "dedicated_nodes")
    assert waiting.prerequisites == (capability,)
    provided = expert(default_catalog, TWELVE_FACTOR | change, GOOD_ORG | {capability: True})
    assert provided.blockers == () and provided.verdict in ("ready", "ready_with_changes")


@pytest.mark.parametrize(
    "base",
    [
        pytest.param(TWELVE_FACTOR, id="otherwise-ideal"),
        pytest.param(TWELVE_FACTOR | {"state_location": ["external_services"],
                                      "persistent_data": "managed_database"}, id="with-managed-db"),
    ],
)
def test_untrusted_multitenant_needs_a_sandboxed_runtime_and_is_never_ready(
    default_catalog: Catalog, base: dict[str, Any]
) -> None:
    result = expert(default_catalog, base | {"isolation_requirement": "untrusted_multitenant"})
    assert result.strategy == "sandboxed_runtime"
    assert result.verdict not in ("ready", "ready_with_changes")


def test_windows_hosts_answer_of_the_organisation_reaches_application_rules(default_catalog: Catalog) -> None:
    windows = TWELVE_FACTOR | {"os_family": "windows", "runtime": "dotnet"}
    without = expert(default_catalog, windows, GOOD_ORG | {"windows_container_hosts": False})
    with_hosts = expert(default_catalog, windows, GOOD_ORG | {"windows_container_hosts": True})
    assert with_hosts.score.value > without.score.value


def test_unknown_answers_never_count_as_answers(default_catalog: Catalog) -> None:
    all_unknown = {fact: "unknown" for fact in TWELVE_FACTOR}
    result = expert(default_catalog, all_unknown, {})
    assert all(f.result in ("unknown", "not_applicable") for f in result.findings)
    assert result.verdict == "insufficient_data"


def _shipped(catalog: Catalog) -> Catalog:
    return catalog


def _shuffled(catalog: Catalog) -> Catalog:
    """The catalog with its rules out of step order, each step's rules scattered."""
    return replace(catalog, rules=tuple(random.Random(3).sample(catalog.rules, len(catalog.rules))))


@pytest.mark.parametrize("variant", [_shipped, tenths, _shuffled], ids=["shipped", "tenths", "shuffled"])
def test_shared_findings_give_what_each_application_alone_gives(
        default_catalog: Catalog, variant: Callable[[Catalog], Catalog]) -> None:
    """`evaluate` shares findings, step statuses and remediations between applications that
    give the same answers; every result must still be what the definitions give for that
    application alone - also with weights that floats do not add exactly and with a step's
    rules scattered through the catalog."""
    catalog = variant(default_catalog)
    inventory = random_inventory(catalog, random.Random(7), 400)
    org = inventory.organization
    assessment = evaluate(catalog, inventory)
    app_rules = [r for r in catalog.rules if r.scope == "application"]
    numbers = [s.number for s in catalog.steps]
    credit = catalog.scoring.credit
    rank = {r.id: SEVERITIES.index(r.severity) for r in app_rules}  # a tie in gain: the more severe first
    verdicts = set()
    for result in assessment.applications:
        assert result == evaluate_application(catalog, result.application, org)
        answers = {**org.known, **result.application.known}
        expected = [evaluate_rule(rule, answers) for rule in app_rules]
        assert [(f.result, f.message) for f in result.findings] == expected
        assert all(f.facts == {k: (list(answers[k]) if isinstance(answers.get(k), tuple) else answers.get(k))
                               for k in f.rule.facts} for f in result.findings)
        score = score_findings(result.findings, catalog.scoring)
        assert result.score == score
        assert result.score.value == score.value
        assert result.steps == step_statuses(result.findings, numbers)
        # a remediation's gain: the score with that rule passing, less the score
        lifted = {f.rule.id: replace(score, earned=score.earned + f.rule.weight * (credit["pass"] - credit[f.result]))
                  for f in result.findings if f.result in ("fail", "partial")}
        gains = {rule: round(s.value - score.value, 1) for rule, s in lifted.items()}
        assert [(r.rule.id, r.gain) for r in result.remediations] == sorted(
            gains.items(), key=lambda item: (-item[1], rank[item[0]]))
        assert [b.rule.id for b in result.blockers] == [
            f.rule.id for f in result.findings if f.rule.severity == "blocker" and f.result == "fail"]
        assert result.unknowns == tuple(dict.fromkeys(
            k for f in result.findings if f.result == "unknown" for k in f.rule.facts if k not in answers))
        verdicts.add(result.verdict)
    assert len(verdicts) >= 3  # the random answers reach several verdicts, so the check means something

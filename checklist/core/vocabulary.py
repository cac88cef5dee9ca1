"""The words of the result contract, once: verdicts, strategies, statuses, results, severities.

Every other module takes these from here; the catalog schema lists the same
values (a test checks that the two agree). Labels people read live in the
catalog (`rules/`), not here.
"""

from __future__ import annotations

# Verdicts, readiest first. The first three are bands of the score; the rest come
# from a blocker (needs_platform, not_suitable) or from too few answers.
VERDICTS = ("ready", "ready_with_changes", "needs_refactoring", "needs_platform", "not_suitable",
            "insufficient_data")
BANDS = ("ready", "ready_with_changes", "needs_refactoring")  # the verdicts a score can give
MOVABLE = BANDS  # the applications that can move now, and whose scores an average may hold

# Strategies a failing blocker names, by the kind of "no" they are.
STAYS = ("retain", "retain_on_vm", "rewrite", "repurchase", "retire")  # not_suitable
NEEDS_PLATFORM = ("windows_containers", "sandboxed_runtime", "dedicated_nodes")  # needs_platform
STRATEGIES = ("containerize", "replatform", "refactor", "retain_on_vm", "rewrite", "windows_containers",
              "sandboxed_runtime", "complete_assessment", "retain", "repurchase", "retire", "managed_service",
              "dedicated_nodes")

RESULTS = ("pass", "partial", "fail", "unknown", "not_applicable")
KNOWN = ("pass", "partial", "fail")
STEP_STATUSES = ("done", "partly", "not_started", "unknown", "not_applicable")
SEVERITIES = ("blocker", "major", "minor")
SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(SEVERITIES)}
CATEGORIES = ("statefulness", "isolation", "platform", "delivery", "operations", "organisation")
DECIDED_BY = ("blocker", "insufficient_data", "cap", "band")
UNKNOWN = "unknown"


# The verdicts on one ladder, least ready first; insufficient_data is outside it.
LADDER = ("not_suitable", "needs_platform", "needs_refactoring", "ready_with_changes", "ready")


def rung(verdict: str) -> int | None:
    """Position of a verdict on the ladder (higher is readier); None for insufficient_data."""
    return LADDER.index(verdict) if verdict in LADDER else None


def verdict_of_blocker(strategy: str | None) -> str:
    """The verdict a failing blocker with this strategy gives: a platform gap or a plain no."""
    return "needs_platform" if strategy in NEEDS_PLATFORM else "not_suitable"


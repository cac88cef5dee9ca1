"""Konveyor's arithmetic, as tackle2-hub's ``assessment`` package does it:

- risk: N kept questions, an unanswered one counting as unknown; red when
  red/N ≥ thresholds.red/100, else yellow, else unknown by the same test,
  else green; N = 0 is unknown;
- confidence: Pathfinder's formula (see `confidence`);
- over several questionnaires: any red → red, else any unknown → unknown,
  else any yellow → yellow, else green; confidence is the integer mean.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checklist.interop.konveyor.model import Thresholds

# Pathfinder's confidence constants, as tackle2-hub's assessment package has them.
ADJUSTER = {"red": 0.5, "yellow": 0.98}
MULTIPLIER = {"red": 0.6, "yellow": 0.95}
WEIGHT = {"red": 1, "yellow": 80, "green": 100, "unknown": 70}


@dataclass(frozen=True)
class Counts:
    red: int = 0
    yellow: int = 0
    green: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green + self.unknown

    @classmethod
    def of(cls, risks: Iterable[str]) -> Counts:
        counted = Counter(risks)
        return cls(counted["red"], counted["yellow"], counted["green"], counted["unknown"])


def risk(counts: Counts, thresholds: Thresholds) -> str:
    """A questionnaire's risk from its kept questions' risks (tackle2-hub ``Assessment.Risk``)."""
    total = counts.total
    if total == 0:
        return "unknown"
    # Floats, compared as the hub compares them; for shares of whole counts this
    # agrees with exact fractions.
    if counts.red / total >= thresholds.red / 100:
        return "red"
    if counts.yellow / total >= thresholds.yellow / 100:
        return "yellow"
    if counts.unknown / total >= thresholds.unknown / 100:
        return "unknown"
    return "green"


def confidence(counts: Counts) -> int:
    """Pathfinder's confidence, 0–100 (tackle2-hub ``Assessment.Confidence``).

    adj = 0.5^R (if R > 0) × 0.98^Y (if Y > 0); c = 0; R times c = 0.6·c + 1·adj;
    Y times c = 0.95·c + 80·adj; c += 100·G·adj + 70·U·adj; floor(100·c / (100·N)).
    """
    total = counts.total
    if total == 0:
        return 0
    adjuster = 1.0
    if counts.red > 0:
        adjuster *= math.pow(ADJUSTER["red"], counts.red)
    if counts.yellow > 0:
        adjuster *= math.pow(ADJUSTER["yellow"], counts.yellow)
    value = 0.0
    for _ in range(counts.red):
        value = value * MULTIPLIER["red"] + WEIGHT["red"] * adjuster
    for _ in range(counts.yellow):
        value = value * MULTIPLIER["yellow"] + WEIGHT["yellow"] * adjuster
    value += counts.green * WEIGHT["green"] * adjuster
    value += counts.unknown * WEIGHT["unknown"] * adjuster
    return int(value / float(WEIGHT["green"] * total) * 100)  # Go's int(): truncation, i.e. floor here


def aggregate_risk(risks: Sequence[str]) -> str:
    """The risk over several questionnaires (tackle2-hub ``assessment.Risk``)."""
    if not risks:
        return "unknown"
    for level in ("red", "unknown", "yellow"):
        if level in risks:
            return level
    return "green"


def aggregate_confidence(values: Sequence[int]) -> int:
    """The confidence over several questionnaires: the integer mean (sum // count)."""
    return sum(values) // len(values) if values else 0


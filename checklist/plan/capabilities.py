"""Which platform capabilities (node pools) each application needs, and what the
organisation's programme must build before anything moves.

A capability is the organisation fact a rule ``requires`` (GPU nodes, Windows
hosts, a sandboxed pool, dedicated pools). An application needs it when one of
those rules fails without it: the engine's prerequisites for an application that
waits for it, and, where the organisation already has it, the rule asked again
as if it had not. The programme sizes every organisation answer that is not yet
where a move needs it (rules/planning.yaml ``platform``), and the pools only when
a moving application needs one the organisation does not have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from checklist.core.engine import AppResult, evaluate_rule
from checklist.core.model import Organization, Planning, Work, answer_key


def needed_capabilities(result: AppResult, organization: Organization) -> tuple[str, ...]:
    """The capabilities (organisation fact ids) this application needs, in catalog order."""
    needs = list(result.prerequisites)
    answers: dict[str, object] | None = None
    for finding in result.findings:
        fact = finding.rule.requires
        if fact is None or fact in needs or organization.known.get(fact) is not True:
            continue
        if finding.result not in ("pass", "partial"):
            continue
        if answers is None:
            answers = {**organization.known, **result.application.known}
        if evaluate_rule(finding.rule, {**answers, fact: False})[0] == "fail":
            needs.append(fact)
    return tuple(needs)


@dataclass(frozen=True)
class Item:
    """One item of the programme: where the organisation is (its answer) and what it takes from there."""

    work: Work
    answer: str  # the organisation's answer, as the table keys it
    days: float
    weeks: float
    assumed: bool = False  # unanswered: counted as its most expensive answer
    needed_by: tuple[str, ...] = ()  # a pool: the moving applications that need it

    @property
    def pool(self) -> bool:
        return bool(self.needed_by)


@dataclass(frozen=True)
class Programme:
    """The organisation's share of the move, counted once."""

    items: tuple[Item, ...]  # only those with work to do
    in_place: tuple[str, ...]  # capabilities moving applications need that the organisation has

    @property
    def days(self) -> float:
        return sum(i.days for i in self.items)

    @property
    def weeks(self) -> float:
        """Calendar weeks of the platform wave: its longest item."""
        return max((i.weeks for i in self.items), default=0.0)

    @property
    def pools(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.pool)


def programme(planning: Planning, organization: Organization, moving: Iterable[str],
              needs: Mapping[str, tuple[str, ...]]) -> Programme:
    """What the organisation builds before the pilots: every programme item whose answer still
    costs something (none when nothing moves), and every pool a moving application needs that
    the organisation does not have. `needs`: application id -> capabilities it needs."""
    moving = list(moving)
    if not moving:
        return Programme((), ())
    items: list[Item] = []
    for work in planning.work:
        item = _item(work, organization)
        if item is not None:
            items.append(item)
    in_place: list[str] = []
    for work in planning.pools:
        users = tuple(a for a in moving if work.fact in needs.get(a, ()))
        if not users:
            continue
        if organization.known.get(work.fact) is True:
            in_place.append(work.fact)
            continue
        item = _item(work, organization)
        if item is not None:
            items.append(Item(item.work, item.answer, item.days, item.weeks, item.assumed, users))
    return Programme(tuple(items), tuple(in_place))


def _item(work: Work, organization: Organization) -> Item | None:
    known = organization.known.get(work.fact)
    assumed = known is None
    answer = work.worst() if assumed else answer_key(known)
    days = work.days.get(answer, 0.0)
    weeks = work.weeks.get(answer, 0.0)
    if not days and not weeks:
        return None
    return Item(work, answer, days, weeks, assumed)

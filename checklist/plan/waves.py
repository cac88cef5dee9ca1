"""Migration waves: the order in which applications move, and where containers and VMs call
each other on the way.

Wave 0 builds the platform: the organisation's programme and every node pool a
moving application needs (capabilities). Wave 1 holds the pilots: several
applications of low criticality, well tested and stateless, that need no special
pool and depend on nothing still to move (rules/planning.yaml ``pilots``). Later
waves take the least risky first (criticality, then readiness), the least coupled
first among equals; an application never moves before an application it depends on
that also moves (earlier or in the same wave), and a dependency cycle moves as one
group. Applications that stay (not suitable) and those with too few answers are
never in a wave; every dependency that crosses between a container and a VM is
listed, for good or until both sides have moved.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checklist.core.engine import AppResult, Assessment
from checklist.core.model import Planning
from checklist.core.vocabulary import rung
from checklist.plan.effort import moves

CRITICALITY = {"low": 0, "medium": 1, "high": 2, "mission_critical": 3}  # none given counts as medium


@dataclass(frozen=True)
class Wave:
    number: int
    name: str
    applications: tuple[str, ...]
    kind: str = "wave"  # platform | pilot | wave
    provides: tuple[str, ...] = ()  # the platform wave: the capabilities (organisation facts) it builds


@dataclass(frozen=True)
class Boundary:
    """An application that stays on VMs, the containerised applications that call it, and those it calls."""

    application: str
    strategy: str
    called_by: tuple[str, ...]
    calls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Crossing:
    """A dependency between an application in a container and one on a VM."""

    caller: str
    callee: str
    direction: str  # container_to_vm | vm_to_container
    since: int  # the wave from which it crosses
    until: int | None  # the wave in which the VM side moves too; None: it crosses for good


@dataclass(frozen=True)
class Waves:
    waves: tuple[Wave, ...]
    move_groups: tuple[tuple[str, ...], ...]  # dependency cycles: they move together
    retained: tuple[Boundary, ...]  # not suitable: they stay where they are
    unassessed: tuple[str, ...]  # insufficient data: assess them before planning them
    crossings: tuple[Crossing, ...] = ()
    pilot_candidates: int = 0  # applications that qualify as pilots (the pilot wave holds at most --pilots)

    @property
    def pilots(self) -> tuple[str, ...]:
        return next((w.applications for w in self.waves if w.kind == "pilot"), ())

    def wave_of(self, app_id: str) -> int | None:
        for wave in self.waves:
            if app_id in wave.applications:
                return wave.number
        return None


def _components(nodes: Sequence[str], edges: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """Strongly connected components (Tarjan, iterative), each in `nodes` order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[tuple[str, ...]] = []
    order = {n: i for i, n in enumerate(nodes)}
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                out.append(tuple(sorted(group, key=order.__getitem__)))
    return out


def _risk(result: AppResult) -> tuple[float, ...]:
    """Smaller is less risky: criticality, then readiness, then score."""
    return (CRITICALITY.get(result.application.criticality, 1), -(rung(result.verdict) or 0), -result.score.value)


def pilot_candidate(result: AppResult, planning: Planning, capabilities: Sequence[str]) -> bool:
    """Whether an application qualifies as a pilot (its dependencies aside)."""
    rule = planning.pilots
    return (result.verdict in rule.verdicts and result.application.criticality in rule.criticality
            and not capabilities and (rule.when is None or rule.when.evaluate(result.application.known) is True))


def plan_waves(assessment: Assessment, wave_size: int, pilots: int,
               capabilities: Mapping[str, tuple[str, ...]] | None = None,
               provides: Sequence[str] = ()) -> Waves:
    """The platform wave (0, building the capabilities in `provides`), the pilot wave (1: at
    most `pilots`), then waves of at most `wave_size` applications, least risky first. An
    application never moves before the applications it depends on that also move (earlier
    or in the same wave); a dependency cycle is one move group, kept in one wave even if
    that wave then holds more than `wave_size`. `capabilities`: application id -> the
    capabilities it needs (it is never a pilot)."""
    planning = assessment.catalog.planning
    assert planning is not None
    capabilities = capabilities or {}
    results = {r.application.id: r for r in assessment.applications}
    order = list(results)
    position = {app_id: i for i, app_id in enumerate(order)}
    moving = [i for i in order if moves(results[i])]
    moving_set = set(moving)
    deps = {i: [d for d in results[i].application.depends_on if d in moving_set] for i in moving}
    groups = _components(moving, deps)
    group_of = {member: g for g in groups for member in g}
    needs = {g: {group_of[d] for m in g for d in deps[m]} - {g} for g in groups}
    needed_by: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for g in groups:
        for need in needs[g]:
            needed_by.setdefault(need, []).append(g)
    # A group is as risky as its riskiest member; among equals the less coupled moves first.
    rank = {g: (max(_risk(results[m]) for m in g), len(needs[g]) + len(needed_by.get(g, ())), position[g[0]])
            for g in groups}

    placed: dict[tuple[str, ...], int] = {}
    candidates = [g for g in groups if len(g) == 1 and not needs[g]
                  and pilot_candidate(results[g[0]], planning, capabilities.get(g[0], ()))]
    candidates.sort(key=lambda g: (-results[g[0]].score.value, position[g[0]]))
    pilot = [g[0] for g in candidates[:pilots]]
    for app_id in pilot:
        placed[(app_id,)] = 1
    waves: list[list[str]] = [[], pilot]
    # Each wave takes, again and again, the best-ranked group whose needs have moved (in an
    # earlier wave or this one) and that still fits; a group that does not fit waits for the
    # next wave, as the wave only fills up.
    waiting_for = {g: len(needs[g] - placed.keys()) for g in groups if g not in placed}
    movable = [(rank[g], g) for g, count in waiting_for.items() if not count]
    heapq.heapify(movable)
    while movable:
        number = len(waves)
        wave: list[str] = []
        later = []
        while movable and len(wave) < wave_size:
            item = heapq.heappop(movable)
            g = item[1]
            if wave and len(wave) + len(g) > wave_size:
                later.append(item)
                continue
            wave.extend(g)
            placed[g] = number
            for waiting in needed_by.get(g, ()):
                if waiting in waiting_for:
                    waiting_for[waiting] -= 1
                    if not waiting_for[waiting]:
                        heapq.heappush(movable, (rank[waiting], waiting))
        waves.append(wave)
        for item in later:
            heapq.heappush(movable, item)
    wave_of = {m: n for g, n in placed.items() for m in g}
    callers: dict[str, list[str]] = {}
    called: dict[str, list[str]] = {}
    crossings: list[Crossing] = []
    for app_id in order:
        for dep in results[app_id].application.depends_on:
            if dep not in results:
                continue
            mine, theirs = wave_of.get(app_id), wave_of.get(dep)
            if mine is not None and theirs is None:
                callers.setdefault(dep, []).append(app_id)
                crossings.append(Crossing(app_id, dep, "container_to_vm", mine, None))
            elif mine is None and theirs is not None:
                called.setdefault(app_id, []).append(dep)
                crossings.append(Crossing(app_id, dep, "vm_to_container", theirs, None))
            elif mine is not None and theirs is not None and theirs < mine:
                crossings.append(Crossing(app_id, dep, "vm_to_container", theirs, mine))
    say = planning.say
    names = [say("wave_platform"), say("wave_pilot")]
    return Waves(
        waves=tuple(Wave(n, names[n] if n < 2 else say("wave_number", number=n), tuple(w),
                         ("platform", "pilot")[n] if n < 2 else "wave", tuple(provides) if n == 0 else ())
                    for n, w in enumerate(waves)),
        move_groups=tuple(g for g in groups if len(g) > 1),
        retained=tuple(Boundary(i, results[i].strategy, tuple(callers.get(i, ())), tuple(called.get(i, ())))
                       for i in order if results[i].verdict == "not_suitable"),
        unassessed=tuple(i for i in order if results[i].verdict == "insufficient_data"),
        crossings=tuple(crossings),
        pilot_candidates=len(candidates),
    )

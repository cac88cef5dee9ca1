"""Migration waves: the order in which applications move, dependencies first, and the
applications that stay on VMs with the containerised applications that call them."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checklist.core.engine import (
    AppResult,
    Assessment,
)
from checklist.core.vocabulary import STAYS, rung

# Strategies that keep an application on VMs: it is listed apart, not planned in a wave.
RETAINED = STAYS
PILOT_CRITICALITIES = ("low", "medium")


@dataclass(frozen=True)
class Wave:
    number: int
    name: str
    applications: tuple[str, ...]


@dataclass(frozen=True)
class Boundary:
    """An application that stays on VMs, and the containerised applications that call it."""

    application: str
    strategy: str
    called_by: tuple[str, ...]


@dataclass(frozen=True)
class Waves:
    waves: tuple[Wave, ...]
    move_groups: tuple[tuple[str, ...], ...]  # dependency cycles: they move together
    retained: tuple[Boundary, ...]
    unassessed: tuple[str, ...]  # insufficient data: assess them before planning them

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


def _readiness(result: AppResult) -> tuple[int, float]:
    return (rung(result.verdict) or 0, result.score.value)


def plan_waves(assessment: Assessment, wave_size: int, pilots: int) -> Waves:
    """Pilot wave (number 0), then waves of at most `wave_size` applications, readiest
    first. An application never moves before the applications it depends on that also
    move (earlier or in the same wave); a dependency cycle is one move group, kept in one
    wave even if that wave then holds more than `wave_size`."""
    results = {r.application.id: r for r in assessment.applications}
    order = list(results)
    position = {app_id: i for i, app_id in enumerate(order)}
    moving = [i for i in order if results[i].strategy not in RETAINED and results[i].verdict != "insufficient_data"]
    moving_set = set(moving)
    deps = {i: [d for d in results[i].application.depends_on if d in moving_set] for i in moving}
    groups = _components(moving, deps)
    group_of = {member: g for g in groups for member in g}
    needs = {g: {group_of[d] for m in g for d in deps[m]} - {g} for g in groups}
    # A dependency inherits the readiness of the readiest application waiting for it. The
    # components come dependencies first, so walking them backwards passes each priority on
    # after everything waiting for that group has passed on its own.
    own = {g: max(_readiness(results[m]) for m in g) for g in groups}
    priority = dict(own)
    for g in reversed(groups):
        for need in needs[g]:
            priority[need] = max(priority[need], priority[g])

    placed: dict[tuple[str, ...], int] = {}
    waves: list[list[str]] = []
    # Pilots: ready, low or medium criticality, no cycle, and nothing that must move first.
    pilot: list[str] = []
    candidates = sorted((g for g in groups if len(g) == 1 and not needs[g]),
                        key=lambda g: (-own[g][1], position[g[0]]))
    for g in candidates:
        result = results[g[0]]
        if len(pilot) < pilots and result.verdict == "ready" and result.application.criticality in PILOT_CRITICALITIES:
            pilot.append(g[0])
            placed[g] = 0
    waves.append(pilot)
    # Each wave takes, again and again, the best-ranked group whose needs have moved (in an
    # earlier wave or this one) and that still fits; a group that does not fit waits for the
    # next wave, as the wave only fills up.
    rank = {g: (tuple(-x for x in priority[g]), tuple(-x for x in own[g]), position[g[0]]) for g in groups}
    waiting_for = {g: len(needs[g] - placed.keys()) for g in groups if g not in placed}
    needed_by: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for g in waiting_for:
        for need in needs[g]:
            needed_by.setdefault(need, []).append(g)
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
                waiting_for[waiting] -= 1
                if not waiting_for[waiting]:
                    heapq.heappush(movable, (rank[waiting], waiting))
        waves.append(wave)
        for item in later:
            heapq.heappush(movable, item)
    callers: dict[str, list[str]] = {}
    for i in moving:
        for dep in results[i].application.depends_on:
            callers.setdefault(dep, []).append(i)
    retained = tuple(Boundary(i, results[i].strategy, tuple(callers.get(i, ()))) for i in order
                     if results[i].strategy in RETAINED)
    return Waves(
        waves=tuple(Wave(n, "pilot" if n == 0 else f"wave {n}", tuple(w)) for n, w in enumerate(waves)),
        move_groups=tuple(g for g in groups if len(g) > 1),
        retained=retained,
        unassessed=tuple(i for i in order if results[i].verdict == "insufficient_data"),
    )

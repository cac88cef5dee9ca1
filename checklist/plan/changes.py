"""Simulated remediations: the answers a rule's action leaves behind, limited to facts
the team or the organisation controls; merging several such changes; applying them to
a copy of an application or of the organisation. Nothing here scores.

A rule's ``fix`` names those answers (jobs moved into a Kubernetes CronJob are
``scheduled_jobs: platform_scheduled``, not "no scheduled jobs"); a rule without one
is simulated with its passing examples, and a rule whose ``fix`` is empty is never
simulated: no answer describes what its action leaves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from checklist.core.answers import known_answers
from checklist.core.engine import evaluate_rule
from checklist.core.model import Application, Catalog, Fact, Organization, Rule


def _mentioned(source: Any, fact: str) -> set[str]:
    """Values of `fact` that a condition's source names (``in`` and ``contains``)."""
    found: set[str] = set()
    if isinstance(source, Mapping):
        if source.get("fact") == fact:
            for op in ("in", "contains", "equals"):
                value = source.get(op)
                if isinstance(value, str):
                    found.add(value)
                elif isinstance(value, list):
                    found.update(v for v in value if isinstance(v, str))
        for key in ("all", "any"):
            for part in source.get(key, ()):
                found |= _mentioned(part, fact)
        if "not" in source:
            found |= _mentioned(source["not"], fact)
    return found


def _rule_mentions(rule: Rule, fact: str) -> set[str]:
    found = _mentioned(rule.applies_when.source, fact) if rule.applies_when else set()
    for outcome in rule.outcomes:
        if outcome.when is not None:
            found |= _mentioned(outcome.when.source, fact)
    return found


def _candidates(rule: Rule, current: Mapping[str, Any], facts: Mapping[str, Fact], scope: str) -> list[dict[str, Any]]:
    """Answers that might make `rule` pass: its `fix`, or else its passing examples in the
    order the catalog lists them (only facts of `scope`); for a multi-value fact the
    smallest edit comes first: drop the values the rule objects to and keep the rest."""
    out: list[dict[str, Any]] = []
    passing = [rule.fix] if rule.fix is not None else [e.answers for e in rule.examples if e.result == "pass"]
    for answers in passing:
        change = {k: v for k, v in answers.items() if k in facts and facts[k].scope == scope}
        if not change or not _controllable(change, current, facts):
            continue
        minimal = dict(change)
        for fid, value in change.items():
            fact = facts[fid]
            have = current.get(fid)
            if fact.type != "multi" or not isinstance(value, list) or not isinstance(have, tuple):
                continue
            objected = _rule_mentions(rule, fid) - set(value)
            kept = [v for v in have if v not in objected and v not in fact.exclusive]
            minimal[fid] = kept or ([fact.exclusive[0]] if fact.exclusive else list(value))
        for candidate in (minimal, change):
            if candidate not in out:
                out.append(candidate)
    return out


def _controllable(change: Mapping[str, Any], current: Mapping[str, Any], facts: Mapping[str, Fact]) -> bool:
    """Whether `change` alters only answers the team or the organisation can change: a vendor's
    decision or a fact of the world (the OS a mainframe runs, the data's size) is never "fixed"."""
    return all(facts[k].controllable or _same(v, current.get(k)) for k, v in change.items())


def _same(value: Any, have: Any) -> bool:
    return bool((tuple(value) if isinstance(value, list) else value) == have)


def merge_answers(changes: Iterable[Mapping[str, Any]], current: Mapping[str, Any],
                  facts: Mapping[str, Fact]) -> dict[str, Any]:
    """Several remediations' answers as one: multi values combine their removals and
    additions relative to `current` (normalised answers); other facts, the last wins."""
    merged: dict[str, Any] = {}
    removed: dict[str, set[str]] = {}
    added: dict[str, list[str]] = {}
    for change in changes:
        for fid, value in change.items():
            fact = facts[fid]
            if fact.type == "multi" and isinstance(value, list):
                have = list(current.get(fid) or ())
                removed.setdefault(fid, set()).update(v for v in have if v not in value)
                bucket = added.setdefault(fid, [])
                bucket.extend(v for v in value if v not in have and v not in bucket)
            else:
                merged[fid] = value
    for fid in dict.fromkeys([*removed, *added]):  # in the order the changes name them, not a set's
        fact = facts[fid]
        values = [v for v in (current.get(fid) or ()) if v not in removed.get(fid, set())]
        values += [v for v in added.get(fid, []) if v not in values]
        if len(values) > 1:
            values = [v for v in values if v not in fact.exclusive] or values[:1]
        if not values:
            values = [fact.exclusive[0]] if fact.exclusive else added.get(fid, [])[:1]
        merged[fid] = values
    return merged



def passing_change(catalog: Catalog, rule: Rule, answers: Mapping[str, Any], scope: str) -> dict[str, Any] | None:
    """The first candidate answers (facts of `scope` only) that make `rule` pass given
    `answers`, or None when none of the rule's passing examples does."""
    for candidate in _candidates(rule, answers, catalog.facts, scope):
        if evaluate_rule(rule, {**answers, **known_answers(candidate, catalog.facts)})[0] == "pass":
            return candidate
    return None


def with_answers(app: Application, change: Mapping[str, Any], catalog: Catalog) -> Application:
    """`app` with some answers replaced (values as an inventory writes them)."""
    answers = {**app.answers, **change}
    return replace(app, answers=answers, known=known_answers(answers, catalog.facts))


def with_org_answers(org: Organization, change: Mapping[str, Any], catalog: Catalog) -> Organization:
    answers = {**org.answers, **change}
    return replace(org, answers=answers, known=known_answers(answers, catalog.facts))

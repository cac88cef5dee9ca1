"""What a report says, computed once for every template: plain data from an assessment.

Templates (ours, or a user's via --template-dir) receive the dictionary
built by `build`; its keys are documented on `build`. Nothing here formats
for a particular output, except the small symbols that carry a status in
text as well as in colour (so a grey-scale print still reads).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from checklist.core.text import answer_text
from checklist.core.vocabulary import MOVABLE, NEEDS_PLATFORM, STAYS, VERDICTS

if TYPE_CHECKING:
    from checklist.core.engine import AppResult, Assessment, Finding
    from checklist.core.model import Catalog, Labels, Rule
    from checklist.diff import Diff
    from checklist.plan import Plan
    from checklist.render.extras import Extras

STATUS_SYMBOL = {"done": "✓", "partly": "◐", "not_started": "✗", "unknown": "?", "not_applicable": "–"}
STATUS_LABEL = {"done": "done", "partly": "partly", "not_started": "not started", "unknown": "unknown",
                "not_applicable": "n/a"}
RESULT_SYMBOL = {"pass": "✓", "partial": "◐", "fail": "✗", "unknown": "?", "not_applicable": "–"}
CATEGORY_ORDER = ("statefulness", "isolation", "platform", "delivery", "operations", "organisation")
CATEGORY_LABEL = {c: c.capitalize() for c in CATEGORY_ORDER}
EFFORT_ORDER = {"small": 0, "medium": 1, "large": 2}

# The portfolio headline's groups of verdicts, and how a sentence says each.
# The headline's groups (their words: the texts group_<key> in rules/labels.yaml)
HEADLINE_GROUPS = (("move", MOVABLE), ("platform", ("needs_platform",)), ("stay", ("not_suitable",)),
                   ("unassessed", ("insufficient_data",)))


def problem_of(rule: Rule, result: str = "fail") -> str:
    """How a failure is named in tables: the rule's problem; a rule that has none yet says that its
    title (a pass condition) is not met, or only partly, rather than reading as the problem."""
    if rule.problem:
        return rule.problem
    return f"{'Partly met' if result == 'partial' else 'Not met'}: {rule.title.rstrip('.')}"


def _problem_phrase(rule: Rule) -> str:
    """The same inside a sentence."""
    return rule.problem.rstrip(".") if rule.problem else f"“{rule.title.rstrip('.')}” is not met"


def _finding(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {"rule": rule.id, "title": rule.title, "problem": problem_of(rule, finding.result),
            "action": rule.action_text, "step": rule.step, "category": rule.category,
            "severity": rule.severity, "weight": rule.weight, "result": finding.result,
            "symbol": RESULT_SYMBOL[finding.result], "message": finding.message}


def capability(key: str, catalog: Catalog) -> str:
    """A platform capability in words: by its organisation fact, or by a platform strategy."""
    if key in catalog.labels.capabilities:
        return catalog.labels.capabilities[key]
    fact = catalog.facts.get(key)
    return fact.text if fact is not None else key.replace("_", " ")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _why(result: AppResult, catalog: Catalog) -> str:
    """What decided the verdict, in a sentence or two a board member reads (plain text)."""
    reason, labels, scoring = result.reason, catalog.labels, catalog.scoring
    say = labels.say
    by_id = {f.rule.id: f.rule for f in result.findings}
    deciding = [by_id[r] for r in reason.rules if r in by_id]
    named = "; ".join(f"{_problem_phrase(r)} ({r.id})" for r in deciding)
    if reason.decided_by == "blocker":
        if result.verdict == "needs_platform":
            needs = [capability(f, catalog) for f in result.prerequisites] or [
                capability(r.strategy or "", catalog) for r in deciding if r.strategy]
            tail = (say("why_platform", needs=_and(list(dict.fromkeys(needs)))) if needs
                    else say("why_platform_unnamed"))
        else:
            tail = labels.stays.get(result.strategy) or say("why_stays", strategy=labels.strategy(result.strategy))
        return say("why_blocker", named=named, tail=tail)
    if reason.decided_by == "insufficient_data":
        return say("why_insufficient", confidence=f"{result.score.confidence:.0%}",
                   floor=f"{scoring.confidence_floor:.0%}", missing=len(result.unknowns))
    score = result.score.value
    figures = {"score": f"{score:.1f}", "ready": f"{scoring.thresholds.get('ready', 80):g}",
               "changes": f"{scoring.thresholds.get('ready_with_changes', 60):g}"}
    ready, changes = scoring.thresholds.get("ready", 80), scoring.thresholds.get("ready_with_changes", 60)
    if reason.decided_by == "cap":
        band = "ready" if score >= ready else "ready_with_changes" if score >= changes else "needs_refactoring"
        reasons = " ".join(r.caps_reason for r in deciding if r.caps_reason)
        return (say("why_cap", named=named, verdict=labels.verdict(result.verdict).lower())
                + (f": {reasons}" if reasons else ".")
                + (say("why_cap_alone", band=labels.verdict(band).lower(), **figures) if band != result.verdict
                   else say("why_cap_too", **figures)))
    key = {"ready": "why_ready", "ready_with_changes": "why_changes"}.get(result.verdict, "why_refactoring")
    return say(key, **figures)


def _application(result: AppResult, catalog: Catalog, remediations: int, extras: Extras | None) -> dict[str, Any]:
    app = result.application
    catalog_facts, labels = catalog.facts, catalog.labels
    groups = []
    for category in CATEGORY_ORDER:
        found = [f for f in result.findings if f.rule.category == category and f.result != "not_applicable"]
        if not found:
            continue
        counts = Counter(f.result for f in found)
        groups.append({
            "category": category,
            "label": CATEGORY_LABEL[category],
            "counts": {r: counts.get(r, 0) for r in ("pass", "partial", "fail", "unknown")},
            # What needs attention, worst first; passes are counted, not listed.
            "findings": [_finding(f) for f in sorted(
                (f for f in found if f.result in ("fail", "partial")),
                key=lambda f: (f.result != "fail", -f.rule.weight))],
        })
    return {
        "id": app.id,
        "name": app.name,
        "owner": app.owner,
        "criticality": app.criticality,
        "score": result.score.value,
        "confidence": result.score.confidence,
        "verdict": result.verdict,
        "verdict_label": labels.verdict(result.verdict),
        "strategy": result.strategy,
        "strategy_label": labels.strategy(result.strategy),
        "scored": result.scored,
        "decided_by": result.reason.decided_by,
        "decided_by_label": labels.reason(result.reason.decided_by),
        "deciding_rules": list(result.reason.rules),
        "why": _why(result, catalog),
        "prerequisites": [capability(f, catalog) for f in result.prerequisites],
        "prerequisite_facts": list(result.prerequisites),
        "caps": [{"rule": f.rule.id, "problem": problem_of(f.rule), "action": f.rule.action,
                  "reason": f.rule.caps_reason, "caps": f.rule.caps}
                 for f in result.findings if f.rule.id in result.reason.rules and result.reason.decided_by == "cap"],
        # `action` only when the catalog gives one: the title again would say nothing new
        "blockers": [{"rule": b.rule.id, "title": b.rule.title, "problem": problem_of(b.rule),
                      "action": b.rule.action, "message": b.message, "deciding": b.rule.id in result.reason.rules,
                      "strategy_label": labels.strategy(b.rule.strategy or "")} for b in result.blockers],
        "groups": groups,
        "remediations": [
            {"rule": r.rule.id, "title": r.rule.title, "action": r.rule.action_text,
             "problem": problem_of(r.rule, r.result), "gain": r.gain, "effort": r.rule.effort,
             "severity": r.rule.severity, "text": r.text}
            for r in result.remediations[:remediations]
        ],
        "more_remediations": max(0, len(result.remediations) - remediations),
        "unknowns": [{"fact": f, "question": catalog_facts[f].text} for f in result.unknowns if f in catalog_facts],
        "discovered": _discovered(result, catalog),
        "steps": {s.step: s.status for s in result.steps},
        "konveyor": None,  # the templates test it; `extras` (Konveyor's, with --questionnaire) set it
        "register_note": _register_note(result, catalog),
    } | ({extras.name: extra.section if (extra := extras.apps.get(app.id)) else None} if extras else {})


def _discovered(result: AppResult, catalog: Catalog) -> dict[str, Any] | None:
    """The answers that come from a scan and no person has confirmed, with their first evidence."""
    app = result.application
    facts = [f for f in catalog.facts if f in app.discovered and app.is_discovered(f)]
    if not facts:
        return None
    labels = catalog.labels
    items = []
    for fact in facts:
        found = app.discovered[fact]
        first = found.evidence[0] if found.evidence else None
        where = labels.say("discovered_from", place=first.place, text=first.text).rstrip(" —") if first else ""
        items.append({"fact": fact, "question": catalog.facts[fact].text, "answer": answer_text(found.value),
                      "where": where})
    return {"heading": labels.say("discovered_heading"), "items": items}


def _register_note(result: AppResult, catalog: Catalog) -> str:
    """The register's line for an application: what decides its verdict, or the first thing to fix."""
    say = catalog.labels.say
    deciding = [b for b in result.blockers if b.rule.id in result.reason.rules] or list(result.blockers)
    if deciding:
        return say("register_blocker", problem=problem_of(deciding[0].rule).rstrip("."))
    if result.verdict == "insufficient_data":
        return say("register_unassessed", len(result.unknowns))
    caps = [f.rule for f in result.findings if f.rule.id in result.reason.rules and f.rule.caps]
    if caps:
        return say("register_cap", problem=problem_of(caps[0]).rstrip("."))
    if result.remediations:
        return say("register_fix", action=result.remediations[0].rule.action_text.rstrip("."))
    return say("register_nothing")


def _names(results: list[AppResult], catalog: Catalog, limit: int = 4) -> str:
    names = ", ".join(r.application.name for r in results[:limit])
    return catalog.labels.say("and_more", names=names, more=len(results) - limit) if len(results) > limit else names


def _next_actions(assessment: Assessment, apps: list[dict[str, Any]], plan: Plan | None = None) -> list[str]:
    """Three to six actions that follow from the data, most useful first, in words (no command lines)."""
    actions: list[str] = []
    catalog = assessment.catalog
    say = catalog.labels.say
    results = list(assessment.applications)
    if plan is not None:
        # The plan's pilots: they also respect dependencies.
        chosen = set(plan.waves.pilots)
        pilots = [r for r in results if r.application.id in chosen]
    else:
        pilots = [r for r in results if r.verdict == "ready" and r.application.criticality in ("low", "medium", "")]
        pilots = pilots or [r for r in results if r.verdict == "ready"]
    pilots.sort(key=lambda r: -r.score.value)
    if pilots:
        actions.append(say("pilots", min(3, len(pilots)), names=", ".join(r.application.name for r in pilots[:3])))
    waiting: dict[str, list[AppResult]] = {}
    for r in results:
        if r.verdict == "needs_platform":
            keys = list(r.prerequisites) or [b.rule.strategy for b in r.blockers if b.rule.strategy in NEEDS_PLATFORM]
            for need in dict.fromkeys(capability(k or "", catalog) for k in keys or [""]):
                waiting.setdefault(need, []).append(r)
    if waiting:
        parts = [say("platform_need", need=need or say("platform_need_unnamed"), names=_names(rs, catalog, 3))
                 for need, rs in waiting.items()]
        count = sum(1 for r in results if r.verdict == "needs_platform")
        actions.append(say("platform_waits", count, needs="; ".join(parts)))
    org_gaps = sorted((f for f in assessment.organization.findings if f.result in ("fail", "partial")),
                      key=lambda f: (f.result != "fail", -f.rule.weight))
    if org_gaps:
        # the rule's action, else its step's title, which is an imperative too
        step_title = {step.number: step.title for step in catalog.steps}
        fixes = dict.fromkeys(say("org_gap", step=f.rule.step,
                                  fix=(f.rule.action or step_title.get(f.rule.step, f.rule.title)).rstrip("."))
                              for f in org_gaps)
        actions.append(say("org_gaps", gaps="; ".join(list(fixes)[:2])))
    if assessment.portfolio.top_failing:
        rule, count = assessment.portfolio.top_failing[0]
        fix = f": {rule.action.rstrip('.')}" if rule.action else ""  # the title again says nothing new
        named = f"“{rule.problem.rstrip('.')}”" if rule.problem else say("not_met", title=rule.title.rstrip("."))
        actions.append(say("common_problem", named=named, count=count, total=len(results), step=rule.step, fix=fix))
    unknown = [r for r in results if r.verdict == "insufficient_data"]
    if unknown:
        actions.append(say("complete_interviews", len(unknown), names=_names(unknown, catalog)))
    retained = [r for r in results if r.verdict == "not_suitable" and r.strategy in STAYS]
    if retained:
        kinds = Counter(r.strategy for r in retained)
        how = ", ".join(f"{catalog.labels.strategy(s)}: {n}" for s, n in kinds.most_common())
        actions.append(say("keep_where", len(retained), how=how, names=_names(retained, catalog, 3)))
    return actions[:6]


def build(assessment: Assessment, *, title: str = "", date: dt.date | None = None,
          paper: str = "a4", remediations: int = 5, plan: Plan | None = None,
          progress: Diff | None = None, extras: Extras | None = None) -> dict[str, Any]:
    """The report's data. Keys: `meta` (title, organization, date, catalog, applications,
    paper), `summary` (headline: the portfolio by what can move, with its sentence;
    average_score over the `averaged` applications that can move; verdicts with their
    footprint; org_score, org_confidence, top_blockers, actions), `steps` (the 19 steps
    with the organisation's status and the share of applications done), `applications`
    (one entry per app: score, and `scored` (False: show no number), verdict, `why` it was
    decided, strategy, prerequisites, blockers and findings with their problem,
    remediations with their action, unknowns, steps, and the `extras` section under its name:
    `konveyor`, None without --questionnaire),
    `method` (scoring parameters), `plan` (roadmap, quick wins, effort, business case:
    see `checklist.render.plan.plan_data`; None without a plan) and `progress` (the
    comparison with --baseline: see `checklist.render.diff.progress_data`; or None)."""
    catalog = assessment.catalog
    results = assessment.applications
    count = len(results)
    labels = catalog.labels
    apps = [_application(r, catalog, remediations, extras) for r in results]
    verdicts = [{"verdict": v, "label": labels.verdict(v), "meaning": labels.meaning(v),
                 "count": h.applications, "vms": h.vms, "vcpu": h.vcpu, "footprinted": h.footprinted}
                for v, h in zip(VERDICTS, assessment.portfolio.headline, strict=True)]
    blockers: Counter[str] = Counter()
    blocker_rules: dict[str, Any] = {}
    for result in results:
        for blocker in result.blockers:
            blockers[blocker.rule.id] += 1
            blocker_rules[blocker.rule.id] = blocker.rule
    org_status = {s.step: s.status for s in assessment.organization.steps}
    steps = []
    for step in catalog.steps:
        statuses = [a["steps"].get(step.number) for a in apps]
        relevant = [s for s in statuses if s and s != "not_applicable"]
        done = sum(1 for s in relevant if s == "done")
        status = org_status.get(step.number)
        steps.append({
            "number": step.number, "phase": step.phase, "title": step.title, "scope": list(step.scope),
            "org_status": status, "org_symbol": STATUS_SYMBOL.get(status or "", ""),
            "org_label": STATUS_LABEL.get(status or "", ""),
            "apps_done": done, "apps_relevant": len(relevant),
            "apps_done_share": done / len(relevant) if relevant else None,
        })
    ready = assessment.portfolio.by_verdict.get("ready", 0) + assessment.portfolio.by_verdict.get(
        "ready_with_changes", 0)
    headline = _headline(verdicts, count, catalog.labels)
    scoring = catalog.scoring
    org = assessment.organization
    return {
        "meta": {
            "title": title or "Container readiness",
            "organization": org.organization.name,
            "date": (date or dt.date.today()).isoformat(),
            "catalog": {"name": catalog.name, "version": catalog.version, "title": catalog.title},
            "applications": count,
            "paper": paper,
            "single": None,
        },
        "summary": {
            "headline": headline,
            "average_score": assessment.portfolio.average_score,
            "averaged": assessment.portfolio.averaged,
            "movable": [v for v in verdicts if v["verdict"] in MOVABLE],
            "ready": ready,
            "ready_share": ready / count if count else 0.0,
            "verdicts": verdicts,
            "org_score": org.score.value,
            "org_confidence": org.score.confidence,
            "steps_done": sum(1 for s in steps if s["org_status"] == "done"),
            "org_steps": sum(1 for s in steps if s["org_status"]),
            "top_blockers": [
                {"rule": rid, "title": blocker_rules[rid].title, "problem": problem_of(blocker_rules[rid]),
                 "action": blocker_rules[rid].action, "count": n,
                 "strategy_label": labels.strategy(blocker_rules[rid].strategy or "")}
                for rid, n in blockers.most_common(5)
            ],
            "actions": _next_actions(assessment, apps, plan),
        },
        "steps": steps,
        "applications": apps,
        "register": [{"verdict": v, "label": labels.verdict(v),
                      "applications": sorted(members, key=lambda a: (not a["scored"], -a["score"]))}
                     for v in VERDICTS if (members := [a for a in apps if a["verdict"] == v])],
        "method": {
            "credit": dict(scoring.credit),
            "thresholds": dict(scoring.thresholds),
            "confidence_floor": scoring.confidence_floor,
            "strategy_priority": [labels.strategy(s) for s in scoring.strategy_priority],
            "rules": len(catalog.rules),
            "weights": {sev: sorted({r.weight for r in catalog.rules if r.severity == sev})
                        for sev in ("blocker", "major", "minor")},
        },
        "symbols": {"status": STATUS_SYMBOL, "result": RESULT_SYMBOL},
        "plan": _plan(plan),
        "progress": _progress(progress),
    }


def _headline(verdicts: list[dict[str, Any]], count: int, labels: Labels) -> dict[str, Any]:
    """The portfolio by what can happen to it (move, wait for the platform, stay, not assessed),
    with VMs and vCPU where the footprint is known, and the sentence that leads the summary."""
    by_verdict = {v["verdict"]: v for v in verdicts}
    total_vms = sum(v["vms"] for v in verdicts)
    total_vcpu = sum(v["vcpu"] for v in verdicts)
    footprinted = sum(v["footprinted"] for v in verdicts)
    groups = []
    say = labels.say
    for key, members in HEADLINE_GROUPS:
        rows = [by_verdict[v] for v in members if v in by_verdict]
        apps = sum(v["count"] for v in rows)
        groups.append({
            "key": key, "verdicts": list(members), "count": apps, "words": say(f"group_{key}", apps),
            "vms": sum(v["vms"] for v in rows), "vcpu": sum(v["vcpu"] for v in rows),
            "footprinted": sum(v["footprinted"] for v in rows),
            "by_verdict": [{"verdict": v["verdict"], "count": v["count"],
                            "words": say(f"move_{v['verdict']}") if v["verdict"] in MOVABLE else ""}
                           for v in rows if v["count"]],
        })

    def vms(group: dict[str, Any], whole: bool = False) -> str:
        if not footprinted or not group["footprinted"]:
            return ""
        of = say("vm_of", total=_qty(total_vms)) if whole else ""
        return say("vm_count", 2 if whole else group["vms"], vms=_qty(group["vms"]), of=of)

    move = groups[0]
    if move["count"]:
        lead = say("can_move_lead", move["count"], total=count, applications=say("applications", count),
                   vms=vms(move, True))
        if len(move["by_verdict"]) > 1 or move["by_verdict"][0]["verdict"] != "ready":
            lead += " (" + ", ".join(f"{b['count']} {b['words']}" for b in move["by_verdict"]) + ")"
        else:
            lead += say("as_is", move["count"])
    else:
        lead = say("none_can_move", total=count, applications=say("applications", count))
    rest = [f"{g['count']}{vms(g)} {g['words']}" for g in groups[1:] if g["count"]]
    sentence = "; ".join([lead, *rest]) + "."
    note = ""
    if footprinted and footprinted < count:
        note = say("footprint_note", footprinted=footprinted, count=count)
    return {"groups": groups, "sentence": sentence, "note": note, "applications": count,
            "vms": total_vms, "vcpu": total_vcpu, "footprinted": footprinted}


def _qty(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _plan(plan: Plan | None) -> dict[str, Any] | None:
    from checklist.render.plan import plan_data

    return plan_data(plan) if plan is not None else None


def _progress(progress: Diff | None) -> dict[str, Any] | None:
    from checklist.render.diff import progress_data

    return progress_data(progress) if progress is not None else None

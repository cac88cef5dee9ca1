"""The plan as JSON (a public shape, see README), as a terminal view, and as template data.

`plan_data` is what the Markdown/HTML templates receive under ``plan``; the
executive report includes the same sub-templates (roadmap, quick wins,
business case) that `checklist plan --format md` renders on its own.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checklist.core.text import answer_text, clean

if TYPE_CHECKING:
    from checklist.plan import Estimate, Plan, QuickWin
    from checklist.render import RenderOptions

SCHEMA_VERSION = 1
ESTIMATE_FIELDS = ("applications", "vms_retired", "container_hosts", "net_vms_retired", "vcpu_before",
                   "vcpu_after", "vcpu_reclaimed", "memory_reclaimed_gb", "storage_saved_gb",
                   "start_seconds_before", "start_seconds_after")
ESTIMATE_LABEL = {
    "applications": "Applications estimated",
    "vms_retired": "VMs retired",
    "container_hosts": "Container hosts needed",
    "net_vms_retired": "Net VMs retired (after the hosts)",
    "vcpu_before": "vCPU today",
    "vcpu_after": "vCPU needed after consolidation",
    "vcpu_reclaimed": "vCPU reclaimed",
    "memory_reclaimed_gb": "Memory no longer spent on guest OSes (GB)",
    "storage_saved_gb": "Storage no longer spent on guest OSes (GB)",
    "start_seconds_before": "Time to add an instance today (s, mean)",
    "start_seconds_after": "Time to add an instance in a container (s, mean)",
}


def _estimate(estimate: Estimate) -> dict[str, Any]:
    return {name: getattr(estimate, name) for name in ESTIMATE_FIELDS}


def _quick_win(win: QuickWin) -> dict[str, Any]:
    return {
        "remediations": [r.id for r in win.rules],
        "score_after": win.score_after,
        "verdict_after": win.verdict_after,
        "strategy_after": win.strategy_after,
        "score_before": win.score_before,
        "verdict_before": win.verdict_before,
        "target": win.target,
        "effort_days": win.days,
        "answers": dict(win.answers),
        "proven_cheapest": win.proven_cheapest,
        "note": win.note,
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain data: the shape `checklist plan --format json` prints."""
    catalog = plan.assessment.catalog
    effort = plan.effort
    case = plan.business_case
    return {
        "schema_version": SCHEMA_VERSION,
        "catalog": {"name": catalog.name, "version": catalog.version},
        "waves": [{"number": w.number, "name": w.name, "applications": list(w.applications)}
                  for w in plan.waves.waves],
        "move_groups": [list(g) for g in plan.waves.move_groups],
        "retained": [b.application for b in plan.waves.retained],
        "boundary": [{"application": b.application, "strategy": b.strategy, "called_by": list(b.called_by)}
                     for b in plan.waves.retained],
        "unassessed": list(plan.waves.unassessed),
        "effort": {
            "person_days": dict(plan.planning.person_days),
            "note": plan.planning.effort_note,
            "total_days": effort.total_days,
            "applications_days": effort.applications_days,
            "organization": {"days": effort.organization_days, "rules": [r.id for r in effort.organization_rules]},
            "applications": {app_id: {"days": e.days, "size": e.size, "rules": [r.id for r in e.rules]}
                             for app_id, e in effort.applications.items()},
            "by_verdict": dict(effort.by_verdict),
            "by_step": [{"step": step, "days": days} for step, days in effort.by_step.items()],
        },
        "quick_wins": {
            "applications": {w.application: _quick_win(w) for w in plan.quick_wins},
            "portfolio": [
                {"kind": w.kind, "step": w.step, "rules": [r.id for r in w.rules],
                 "applications_lifted": list(w.lifted), "applications_improved": w.improved,
                 "applied_in": w.applications, "effort_days": w.days,
                 "organization_score_gain": w.organization_gain}
                for w in plan.portfolio_wins
            ],
        },
        "business_case": {
            "assumptions": {
                a.id: {"text": a.text, "unit": a.unit, "default": a.default, "low": a.conservative,
                       "high": a.optimistic, "reason": a.reason}
                for a in case.assumptions.values()
            },
            "low": _estimate(case.low),
            "expected": _estimate(case.expected),
            "high": _estimate(case.high),
            "estimated": list(case.estimated),
            "not_estimated": list(case.not_estimated),
            "measured_utilization": case.measured_utilization,
            "note": case.note,
        },
        "what_if": [
            {"application": w.application, "changes": dict(w.changes),
             "before": {"score": w.before.score, "verdict": w.before.verdict, "strategy": w.before.strategy},
             "after": {"score": w.after.score, "verdict": w.after.verdict, "strategy": w.after.strategy}}
            for w in plan.what_if
        ],
    }


def plan_data(plan: Plan) -> dict[str, Any]:
    """What the templates show: names and titles resolved, rows ready to print."""
    results = {r.application.id: r for r in plan.assessment.applications}
    catalog = plan.assessment.catalog
    labels = catalog.labels

    def name(app_id: str) -> str:
        return results[app_id].application.name

    def app(app_id: str) -> dict[str, Any]:
        r = results[app_id]
        return {"id": app_id, "name": r.application.name, "score": r.score.value, "verdict": r.verdict,
                "verdict_label": labels.verdict(r.verdict), "criticality": r.application.criticality,
                "size": plan.effort.applications[app_id].size, "days": plan.effort.applications[app_id].days}

    in_group = {m: i + 1 for i, g in enumerate(plan.waves.move_groups) for m in g}
    waves = [{"number": w.number, "name": w.name.capitalize(), "applications": [
        {**app(a), "group": in_group.get(a)} for a in w.applications]} for w in plan.waves.waves]
    quick = []
    # Cheapest lifts first, then the largest gain; applications without a quick win last.
    ranked = sorted(plan.quick_wins, key=lambda w: (not w.found, w.days, -((w.score_after or 0) - w.score_before)))
    for win in ranked:
        quick.append({
            "id": win.application, "name": name(win.application),
            "before": labels.verdict(win.verdict_before), "score_before": win.score_before,
            "target": (labels.verdict(win.target) if win.target else ""),
            "after": (labels.verdict(win.verdict_after) if win.verdict_after else ""), "score_after": win.score_after,
            "rules": [{"id": r.id, "title": r.title, "action": r.action_text, "effort": r.effort} for r in win.rules],
            "scored_before": results[win.application].scored,
            "days": win.days, "proven": win.proven_cheapest, "note": win.note,
        })
    portfolio = []
    for w in plan.portfolio_wins:
        step = catalog.step(w.step)
        portfolio.append({
            "kind": w.kind, "step": w.step, "step_title": step.title,
            "what": "; ".join(r.action_text for r in w.rules), "rules": [r.id for r in w.rules],
            "lifted": [name(a) for a in w.lifted], "improved": w.improved, "applied_in": w.applications,
            "days": w.days, "organization_gain": w.organization_gain,
        })
    case = plan.business_case
    estimates = [{"label": ESTIMATE_LABEL[f], "low": getattr(case.low, f), "expected": getattr(case.expected, f),
                  "high": getattr(case.high, f)} for f in ESTIMATE_FIELDS]
    effort = plan.effort
    return {
        "waves": waves,
        "move_groups": [[name(a) for a in g] for g in plan.waves.move_groups],
        "retained_counts": [{"label": labels.strategy(s), "count": n} for s, n in
                            Counter(b.strategy for b in plan.waves.retained).items()],
        "retained_alone": [name(b.application) for b in plan.waves.retained if not b.called_by],
        "retained": [{"name": name(b.application), "id": b.application,
                      "strategy_label": labels.strategy(b.strategy),
                      "called_by": [name(a) for a in b.called_by], "called_by_ids": list(b.called_by)}
                     for b in plan.waves.retained],
        "unassessed": [name(a) for a in plan.waves.unassessed],
        "quick_wins": quick,
        "portfolio_wins": portfolio,
        "effort": {
            "total_days": effort.total_days, "applications_days": effort.applications_days,
            "organization_days": effort.organization_days,
            "person_days": dict(plan.planning.person_days), "note": plan.planning.effort_note,
            "by_verdict": [{"label": labels.verdict(v), "days": d} for v, d in effort.by_verdict.items() if d],
            "by_step": [{"step": s, "title": catalog.step(s).title, "days": d} for s, d in effort.by_step.items()],
        },
        "business_case": {
            "note": case.note, "estimates": estimates, "estimated": len(case.estimated),
            "not_estimated": [name(a) for a in case.not_estimated],
            "measured_utilization": case.measured_utilization,
            "assumptions": [{"id": a.id, "text": a.text, "unit": a.unit, "default": a.default,
                             "low": a.conservative, "high": a.optimistic, "reason": a.reason}
                            for a in case.assumptions.values()],
        },
        "what_if": [{"id": w.application, "name": name(w.application),
                     "changes": ", ".join(f"{k} = {answer_text(v)}" for k, v in w.changes.items()),
                     "before": w.before, "after": w.after,
                     "before_label": labels.verdict(w.before.verdict), "after_label": labels.verdict(w.after.verdict),
                     "before_strategy": labels.strategy(w.before.strategy),
                     "after_strategy": labels.strategy(w.after.strategy)}
                    for w in plan.what_if],
    }


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# -- renderers ------------------------------------------------------------------------------


def render_json(plan: Plan, options: RenderOptions) -> str:
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False) + "\n"


def render_md(plan: Plan, options: RenderOptions) -> str:
    from checklist.render.templating import environment

    env = environment(options.template_dir, markdown=True)
    org = plan.assessment.organization.organization.name
    return env.get_template("plan.md.j2").render(plan=plan_data(plan), standalone=True, organization=org,
                                                 level="##")


def render_table(plan: Plan, options: RenderOptions) -> str:
    from checklist.render.table import console_for, words

    console = console_for(options)
    data = plan_data(plan)
    for item in data["what_if"]:
        console.print(Text(f"What if {clean(item['id'])}: {clean(item['changes'])}", style="bold"))
        console.print(f"  score {item['before'].score:.1f} → {item['after'].score:.1f}; "
                      f"{words(item['before'].verdict)} → {words(item['after'].verdict)}; "
                      f"{words(item['before'].strategy)} → {words(item['after'].strategy)}")
    if data["what_if"]:
        console.print("")
    _waves(console, data)
    _effort(console, data)
    _quick_wins(console, data)
    _business_case(console, data)
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


def _waves(console: Console, data: dict[str, Any]) -> None:
    table = Table(title="Migration waves (dependencies move first or together)", box=box.SIMPLE_HEAD,
                  title_justify="left")
    table.add_column("Wave")
    table.add_column("Application", overflow="fold")
    table.add_column("Verdict")
    table.add_column("Score", justify="right")
    table.add_column("Effort", justify="right")
    for wave in data["waves"]:
        if not wave["applications"]:
            table.add_row(wave["name"], Text("no candidate: pilots are ready, low or medium criticality, "
                                             "and depend on nothing that still has to move", style="dim"),
                          "", "", "")
        for i, a in enumerate(wave["applications"]):
            group = f" (move group {a['group']})" if a["group"] else ""
            table.add_row(wave["name"] if i == 0 else "", clean(a["id"]) + group, a["verdict_label"],
                          f"{a['score']:.1f}", f"{_num(a['days'])} d {a['size']}")
    console.print(table)
    for b in data["retained"]:
        callers = ", ".join(clean(c) for c in b["called_by_ids"]) or "no containerised application"
        console.print(f"  Stays on VMs: {clean(b['id'])} ({b['strategy_label']}) — called by {callers}")
    if data["unassessed"]:
        console.print(f"  Not planned, too few answers: {', '.join(clean(n) for n in data['unassessed'])}")
    console.print("")


def _effort(console: Console, data: dict[str, Any]) -> None:
    effort = data["effort"]
    days = ", ".join(f"{k} {_num(v)}" for k, v in effort["person_days"].items())
    console.print(Text(f"Effort: {_num(effort['total_days'])} person-days "
                       f"({_num(effort['applications_days'])} in applications, "
                       f"{_num(effort['organization_days'])} for the organisation; per fix: {days})", style="bold"))
    if effort["by_verdict"]:
        console.print("  by verdict: " + ", ".join(f"{v['label'].lower()} {_num(v['days'])}"
                                                   for v in effort["by_verdict"]))
    if effort["by_step"]:
        console.print("  by step: " + ", ".join(f"{s['step']}: {_num(s['days'])}" for s in effort["by_step"]))
    console.print("")


def _quick_wins(console: Console, data: dict[str, Any]) -> None:
    table = Table(title="Quick wins: the cheapest fixes that lift each application a band (re-scored)",
                  box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Application", overflow="fold")
    table.add_column("Now")
    table.add_column("After")
    table.add_column("Fix", overflow="fold", ratio=1)
    table.add_column("Days", justify="right")
    for q in data["quick_wins"]:
        now = f"{q['before']} {q['score_before']:.1f}" if q["scored_before"] else f"{q['before']}, not scored"
        if not q["rules"]:
            table.add_row(clean(q["id"]), now, "—", Text(q["note"], style="dim"), "")
            continue
        mark = "" if q["proven"] else " (greedy)"
        table.add_row(clean(q["id"]), now, f"{q['after']} {q['score_after']:.1f}",
                      Text("\n".join(f"{r['action']} ({r['id']})" for r in q["rules"]) + mark), _num(q["days"]))
    console.print(table)
    table = Table(title="Across the portfolio", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Step", justify="right")
    table.add_column("Change", overflow="fold", ratio=1)
    table.add_column("Lifts", justify="right")
    table.add_column("Raises", justify="right")
    table.add_column("Days", justify="right")
    for w in data["portfolio_wins"]:
        what = ("organisation: " if w["kind"] == "organisation_step" else "") + ", ".join(w["rules"])
        if w["organization_gain"]:
            what += f" (organisation readiness +{w['organization_gain']:.1f})"
        table.add_row(str(w["step"]), what, str(len(w["lifted"])), str(w["improved"]), _num(w["days"]))
    console.print(table)


def _business_case(console: Console, data: dict[str, Any]) -> None:
    case = data["business_case"]
    table = Table(title=f"Business case: {case['estimated']} application(s) estimated", box=box.SIMPLE_HEAD,
                  title_justify="left")
    for column in ("Estimate", "Low", "Expected", "High"):
        table.add_column(column, justify="left" if column == "Estimate" else "right")
    for row in case["estimates"]:
        table.add_row(row["label"], _num(row["low"]), _num(row["expected"]), _num(row["high"]))
    console.print(table)
    if case["not_estimated"]:
        console.print(f"  Not estimated (no footprint): {', '.join(clean(n) for n in case['not_estimated'])}")
    table = Table(title="Assumptions (rules/planning.yaml)", box=box.SIMPLE_HEAD, title_justify="left")
    for column in ("Assumption", "Default", "Low", "High", "Why"):
        table.add_column(column, overflow="fold", ratio=2 if column == "Why" else None)
    for a in case["assumptions"]:
        table.add_row(f"{a['text']} ({a['unit']})", _num(a["default"]), _num(a["low"]), _num(a["high"]), a["reason"])
    console.print(table)


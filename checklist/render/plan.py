"""The plan as JSON (a public shape, see README), as a terminal view, and as template data.

`plan_data` is what the Markdown/HTML templates receive under ``plan``; the
executive report includes the same sub-templates (roadmap, quick wins,
business case) that `checklist plan --format md` renders on its own.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checklist.core.text import answer_text, clean
from checklist.plan.business_case import USES

if TYPE_CHECKING:
    from checklist.core.model import Planning
    from checklist.plan import AppEffort, Estimate, Plan, QuickWin
    from checklist.plan.capabilities import Item
    from checklist.render import RenderOptions

SCHEMA_VERSION = 1
ESTIMATE_FIELDS = ("applications", "vms_retired", "container_hosts", "net_vms_retired", "vcpu_before",
                   "vcpu_after", "vcpu_reclaimed", "memory_reclaimed_gb", "storage_saved_gb",
                   "start_seconds_before", "start_seconds_after", "start_seconds_new_node", "vm_cost_month",
                   "platform_cost_month", "licence_cost_month", "saving_month", "programme_cost", "payback_months")
# The business case's rows, in the order people read them.
ROWS = (("capacity", ("applications", "vms_retired", "container_hosts", "net_vms_retired", "vcpu_before",
                      "vcpu_after", "vcpu_reclaimed", "memory_reclaimed_gb", "storage_saved_gb")),
        ("money", ("vm_cost_month", "platform_cost_month", "licence_cost_month", "saving_month", "programme_cost",
                   "payback_months")),
        ("start", ("start_seconds_before", "start_seconds_after", "start_seconds_new_node")))


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


def _app_effort(e: AppEffort) -> dict[str, Any]:
    return {"days": e.days, "size": e.size, "rules": [r.id for r in e.rules], "plan": e.plan,
            "baseline_days": e.baseline_days, "remediation_days": e.remediation_days, "baseline": dict(e.baseline),
            "vendor": [r.id for r in e.vendor], "pool_rules": [r.id for r in e.pool_rules],
            "strategy": e.strategy or None, "estimated": e.estimated}


def _item(item: Item) -> dict[str, Any]:
    return {"id": item.work.id, "fact": item.work.fact, "answer": item.answer, "assumed": item.assumed,
            "text": item.work.text, "days": item.days, "weeks": item.weeks, "needed_by": list(item.needed_by),
            "reason": item.work.reason, "source": item.work.source or None}


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain data: the shape `checklist plan --format json` prints."""
    catalog = plan.assessment.catalog
    effort = plan.effort
    case = plan.business_case
    planning = plan.planning
    return {
        "schema_version": SCHEMA_VERSION,
        "catalog": {"name": catalog.name, "version": catalog.version},
        "waves": [{"number": w.number, "name": w.name, "applications": list(w.applications), "kind": w.kind,
                   "provides": list(w.provides)}
                  for w in plan.waves.waves],
        "move_groups": [list(g) for g in plan.waves.move_groups],
        "retained": [b.application for b in plan.waves.retained],
        "boundary": [{"application": b.application, "strategy": b.strategy, "called_by": list(b.called_by),
                      "calls": list(b.calls)}
                     for b in plan.waves.retained],
        "unassessed": list(plan.waves.unassessed),
        "crossings": [{"caller": c.caller, "callee": c.callee, "direction": c.direction, "since_wave": c.since,
                       "until_wave": c.until} for c in plan.waves.crossings],
        "pilots": {"candidates": plan.waves.pilot_candidates, "minimum": planning.pilots.minimum,
                   "note": planning.pilots.note},
        "capabilities": {app_id: list(needs) for app_id, needs in plan.capabilities.items() if needs},
        "programme": {"note": planning.platform_note, "days": plan.programme.days, "weeks": plan.programme.weeks,
                      "items": [_item(i) for i in plan.programme.items], "in_place": list(plan.programme.in_place)},
        "effort": {
            "person_days": dict(planning.person_days),
            "note": planning.effort_note,
            "total_days": effort.total_days,
            "applications_days": effort.applications_days,
            "baseline_days": effort.baseline_days,
            "remediation_days": effort.remediation_days,
            "stays_days": effort.stays_days,
            "vendor_weeks": effort.vendor_weeks,
            "baseline": {"note": planning.baseline.note, "activities": dict(planning.baseline.activities)},
            "organization": {"days": effort.organization_days, "rules": [r.id for r in effort.organization_rules]},
            "applications": {app_id: _app_effort(e) for app_id, e in effort.applications.items()},
            "by_verdict": dict(effort.by_verdict),
            "by_step": [{"step": step, "days": days} for step, days in effort.by_step.items()],
            "by_activity": dict(effort.by_activity),
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
            "currency": case.currency,
            "assumptions": {
                a.id: {"text": a.text, "unit": a.unit, "default": a.default, "low": a.low, "high": a.high,
                       "conservative": a.conservative, "optimistic": a.optimistic, "reason": a.reason,
                       "source": a.source or None}
                for a in case.assumptions.values()
            },
            "low": _estimate(case.low),
            "expected": _estimate(case.expected),
            "high": _estimate(case.high),
            "uses": {f: list(USES.get(f, ())) for f in ESTIMATE_FIELDS},
            "pools": [{"pool": p.key, "applications": list(p.applications),
                       "nodes": dict(zip(("low", "expected", "high"), p.nodes, strict=True))} for p in case.pools],
            "programme_days": case.programme_days,
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


def _value(value: float) -> str:
    """An assumption's value with the digits it was written with (0.13, not 0.1)."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"


def _numbers(numbers: list[int]) -> str:
    """Assumption numbers as people cite them: A1, A4–A9."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"A{r[0]}–A{r[-1]}" if len(r) > 2 else ", ".join(f"A{n}" for n in r) for r in runs)


def _figure(field: str, value: float | None, planning: Planning) -> str:
    """One business-case figure as people read it."""
    if value is None:
        return planning.say("never" if field == "payback_months" else "not_estimated")
    return _num(value)


def _case_data(plan: Plan, name: Callable[[str], str]) -> dict[str, Any]:
    case, planning, labels = plan.business_case, plan.planning, plan.assessment.catalog.labels
    number = {a: i + 1 for i, a in enumerate(case.assumptions)}
    groups = []
    for group, names in ROWS:
        rows = []
        for f in names:
            low, expected, high = (getattr(case.low, f), getattr(case.expected, f), getattr(case.high, f))
            rows.append({"id": f, "label": planning.say(f"row_{f}", currency=case.currency,
                                                        days=_num(case.programme_days)),
                         "low": _figure(f, low, planning), "expected": _figure(f, expected, planning),
                         "high": _figure(f, high, planning),
                         "uses": _numbers(sorted(number[a] for a in USES.get(f, ()) if a in number))})
        groups.append({"group": group, "title": planning.say(f"group_{group}", currency=case.currency),
                       "rows": rows})
    e = case.expected
    if not case.estimated:
        verdict = planning.say("case_nothing")
    elif e.saving_month is not None and e.saving_month > 0:
        verdict = planning.say("case_pays", currency=case.currency, saving=_num(e.saving_month),
                               cost=_num(e.programme_cost), months=_figure("payback_months", e.payback_months,
                                                                             planning))
    else:
        verdict = planning.say("case_no_saving", currency=case.currency, saving=_num(-(e.saving_month or 0)),
                               cost=_num(e.programme_cost))

    def pool_label(key: str) -> str:
        if key == "standard":
            return planning.say("pool_standard")
        if key.startswith("dedicated:"):
            return planning.say("pool_dedicated", name=name(key.partition(":")[2]))
        return " + ".join(labels.capabilities.get(k, k) for k in key.split("+"))

    return {
        "note": case.note, "currency": case.currency, "groups": groups, "verdict": verdict,
        "estimates": [r for g in groups for r in g["rows"]],
        "estimated": len(case.estimated), "not_estimated": [name(a) for a in case.not_estimated],
        "measured_utilization": case.measured_utilization,
        "programme_days": case.programme_days,
        "pools": [{"label": pool_label(p.key), "applications": [name(a) for a in p.applications],
                   "nodes": p.nodes[1], "range": f"{p.nodes[0]}–{p.nodes[2]}"} for p in case.pools],
        "assumptions": [{"number": number[a.id], "id": a.id, "text": a.text, "label": a.label or a.text,
                         "unit": a.unit, "default": _value(a.default), "low": _value(a.low), "high": _value(a.high),
                         "reason": a.reason, "source": a.source}
                        for a in case.assumptions.values()],
    }


def plan_data(plan: Plan) -> dict[str, Any]:
    """What the templates show: names and titles resolved, rows ready to print."""
    results = {r.application.id: r for r in plan.assessment.applications}
    catalog = plan.assessment.catalog
    labels = catalog.labels
    planning = plan.planning
    say = planning.say

    def name(app_id: str) -> str:
        return results[app_id].application.name

    def need(fact: str) -> str:
        return labels.capabilities.get(fact) or catalog.facts[fact].text

    def app(app_id: str) -> dict[str, Any]:
        r = results[app_id]
        e = plan.effort.applications[app_id]
        return {"id": app_id, "name": r.application.name, "score": r.score.value, "verdict": r.verdict,
                "verdict_label": labels.verdict(r.verdict), "criticality": r.application.criticality,
                "size": e.size, "days": e.days, "baseline_days": e.baseline_days,
                "remediation_days": e.remediation_days,
                "needs": [need(c) for c in plan.capabilities.get(app_id, ())]}

    in_group = {m: i + 1 for i, g in enumerate(plan.waves.move_groups) for m in g}
    built = {i.work.fact: i for i in plan.programme.items}
    waves = []
    for wave in plan.waves.waves:
        entry: dict[str, Any] = {"number": wave.number, "name": wave.name.capitalize(), "kind": wave.kind,
                                 "applications": [{**app(a), "group": in_group.get(a)} for a in wave.applications],
                                 "days": sum(plan.effort.applications[a].days for a in wave.applications)}
        if wave.kind == "platform":
            entry["days"] = plan.programme.days
            entry["weeks"] = plan.programme.weeks
            entry["work"] = [{"text": built[f].work.text, "name": built[f].work.text.split(" (")[0],
                              "days": built[f].days, "weeks": built[f].weeks,
                               "pool": built[f].pool, "assumed": built[f].assumed,
                               "needed_by": [name(a) for a in built[f].needed_by]}
                              for f in wave.provides if f in built]
        waves.append(entry)
    pilots = plan.waves.waves[1].applications if len(plan.waves.waves) > 1 else ()
    pilot_note = ""
    if not pilots:
        pilot_note = say("no_pilots_at_all")
    elif len(pilots) < planning.pilots.minimum:
        pilot_note = say("pilots_short", len(pilots), minimum=planning.pilots.minimum,
                         names=", ".join(name(a) for a in pilots))
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
    effort = plan.effort
    stays = []
    for app_id, e in effort.applications.items():
        if e.plan != "stay":
            continue
        stay = planning.stays.get(e.strategy)
        stays.append({"id": app_id, "name": name(app_id), "strategy_label": labels.strategy(e.strategy),
                      "text": stay.text if stay else "", "days": e.days if e.estimated else None,
                      "vendor": [r.id for r in e.vendor],
                      "vendor_note": say("vendor_wait", weeks=f"{effort.vendor_weeks:g}", text=planning.vendor_text)
                      if e.vendor else ""})
    vendor_moving = [{"name": name(a), "rules": [r.id for r in e.vendor]}
                     for a, e in effort.applications.items() if e.plan == "move" and e.vendor]
    crossings = []
    for c in plan.waves.crossings:
        when = (say("crossing_until", since=c.since, until=c.until) if c.until is not None
                else say("crossing_for_good", since=c.since))
        crossings.append({"caller": name(c.caller), "callee": name(c.callee), "direction": c.direction,
                          "caller_id": c.caller, "callee_id": c.callee, "when": when,
                          "sentence": f"{say(f'crossing_{c.direction}', caller=name(c.caller), callee=name(c.callee))}"
                                      f" {when}",
                          "short": f"{say(f'crossing_{c.direction}', caller=c.caller, callee=c.callee)} {when}"})
    return {
        "waves": waves,
        "platform_empty": say("platform_wave_empty"),
        "no_pilot": say("no_pilot"),
        "pilot_note": pilot_note,
        "pilots_rule": planning.pilots.note,
        "move_groups": [[name(a) for a in g] for g in plan.waves.move_groups],
        "retained_counts": [{"label": labels.strategy(s), "count": n} for s, n in
                            Counter(b.strategy for b in plan.waves.retained).items()],
        "retained_alone": [name(b.application) for b in plan.waves.retained if not b.called_by and not b.calls],
        "retained": [{"name": name(b.application), "id": b.application,
                      "strategy_label": labels.strategy(b.strategy),
                      "called_by": [name(a) for a in b.called_by], "called_by_ids": list(b.called_by),
                      "calls": [name(a) for a in b.calls], "calls_ids": list(b.calls)}
                     for b in plan.waves.retained],
        "crossings": crossings,
        "unassessed": [name(a) for a in plan.waves.unassessed],
        "quick_wins": quick,
        "portfolio_wins": portfolio,
        "effort": {
            "total_days": effort.total_days, "applications_days": effort.applications_days,
            "organization_days": effort.organization_days, "baseline_days": effort.baseline_days,
            "remediation_days": effort.remediation_days, "stays_days": effort.stays_days,
            "platform_weeks": plan.programme.weeks,
            "person_days": dict(planning.person_days), "note": planning.effort_note,
            "baseline_note": planning.baseline.note, "platform_note": planning.platform_note,
            "by_verdict": [{"label": labels.verdict(v), "days": d} for v, d in effort.by_verdict.items() if d],
            "by_step": [{"step": s, "title": catalog.step(s).title, "days": d} for s, d in effort.by_step.items()],
            "by_activity": [{"label": planning.baseline.activities[a], "days": d}
                            for a, d in effort.by_activity.items() if d],
            "stays": stays,
            "vendor_moving": vendor_moving,
            "vendor_weeks": effort.vendor_weeks, "vendor_reason": planning.vendor_reason,
            "summary": say("effort_summary", total=_num(effort.total_days), platform=_num(effort.organization_days),
                           weeks=_num(plan.programme.weeks), baseline=_num(effort.baseline_days),
                           fixes=_num(effort.remediation_days),
                           moving=sum(1 for e in effort.applications.values() if e.plan == "move")),
        },
        "business_case": _case_data(plan, name),
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
    from checklist.render.document import render_file

    org = plan.assessment.organization.organization.name
    return render_file(options, "plan.md.j2", markdown=True, applications=len(plan.assessment.applications),
                       data={"plan": plan_data(plan), "standalone": True, "organization": org, "level": "##"})


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
    table = Table(title="Migration waves (the platform first, then pilots; dependencies move first or together)",
                  box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Wave")
    table.add_column("Application", overflow="fold")
    table.add_column("Verdict")
    table.add_column("Score", justify="right")
    table.add_column("Effort", justify="right")
    for wave in data["waves"]:
        if wave["kind"] == "platform":
            items = wave["work"]
            if not items:
                table.add_row(wave["name"], Text(data["platform_empty"], style="dim"), "", "", "")
            for i, item in enumerate(items):
                needed = f" (for {', '.join(clean(n) for n in item['needed_by'])})" if item["needed_by"] else ""
                table.add_row(wave["name"] if i == 0 else "", clean(item["text"]) + needed, "", "",
                              f"{_num(item['days'])} d, {_num(item['weeks'])} wk")
            continue
        if not wave["applications"]:
            table.add_row(wave["name"], Text(data["no_pilot"], style="dim"), "", "", "")
        for i, a in enumerate(wave["applications"]):
            group = f" (move group {a['group']})" if a["group"] else ""
            needs = f" [{', '.join(a['needs'])}]" if a["needs"] else ""
            table.add_row(wave["name"] if i == 0 else "", clean(a["id"]) + group + needs, a["verdict_label"],
                          f"{a['score']:.1f}", f"{_num(a['days'])} d {a['size']}")
    console.print(table)
    if data["pilot_note"]:
        console.print(f"  {data['pilot_note']}")
    for b in data["retained"]:
        callers = ", ".join(clean(c) for c in b["called_by_ids"]) or "no containerised application"
        calls = f"; calls {', '.join(clean(c) for c in b['calls_ids'])} in containers" if b["calls_ids"] else ""
        console.print(f"  Stays where it is: {clean(b['id'])} ({b['strategy_label']}) — called by {callers}{calls}")
    if data["unassessed"]:
        console.print(f"  Not planned, too few answers: {', '.join(clean(n) for n in data['unassessed'])}")
    for c in data["crossings"]:
        console.print(f"  Crossing: {clean(c['short'])}")
    console.print("")


def _effort(console: Console, data: dict[str, Any]) -> None:
    effort = data["effort"]
    console.print(Text(f"Effort: {effort['summary']}", style="bold"))
    if effort["by_activity"]:
        console.print("  the moves: " + ", ".join(f"{a['label'].split(' (')[0].lower()} {_num(a['days'])}"
                                                 for a in effort["by_activity"]))
    if effort["by_verdict"]:
        console.print("  by verdict: " + ", ".join(f"{v['label'].lower()} {_num(v['days'])}"
                                                   for v in effort["by_verdict"]))
    if effort["by_step"]:
        console.print("  fixes and platform by step: " + ", ".join(f"{s['step']}: {_num(s['days'])}"
                                                                  for s in effort["by_step"]))
    for s in effort["stays"]:
        cost = f" ({_num(s['days'])} person-days)" if s["days"] else ""
        vendor = f"; {s['vendor_note']}" if s["vendor_note"] else ""
        console.print(f"  Stays: {clean(s['id'])} ({s['strategy_label']}): {s['text']}{cost}{vendor}")
    for v in effort["vendor_moving"]:
        console.print(f"  Vendor lead time ({_num(effort['vendor_weeks'])} weeks): {clean(v['name'])}: "
                      f"{', '.join(v['rules'])}")
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
    console.print(Text(case["verdict"], style="bold"))
    table = Table(title=f"Business case: {case['estimated']} application(s) estimated", box=box.SIMPLE_HEAD,
                  title_justify="left")
    for column in ("Estimate", "Low", "Expected", "High", "From"):
        table.add_column(column, justify="left" if column in ("Estimate", "From") else "right")
    for group in case["groups"]:
        table.add_row(Text(group["title"], style="bold"), "", "", "", "")
        for row in group["rows"]:
            table.add_row(row["label"], row["low"], row["expected"], row["high"], row["uses"])
    console.print(table)
    if case["pools"]:
        console.print("  Node pools (expected nodes, spare included; low–high): " + "; ".join(
            f"{p['label']}: {p['nodes']} ({p['range']})" for p in case["pools"]))
    if case["not_estimated"]:
        console.print(f"  Not estimated (no footprint): {', '.join(clean(n) for n in case['not_estimated'])}")
    table = Table(title="Assumptions (rules/planning.yaml)", box=box.SIMPLE_HEAD, title_justify="left")
    for column in ("", "Assumption", "Default", "Low", "High", "Why"):
        table.add_column(column, overflow="fold", ratio=2 if column == "Why" else None)
    for a in case["assumptions"]:
        why = a["reason"] + (f" Source: {a['source']}" if a["source"] else "")
        table.add_row(f"A{a['number']}", f"{a['text']} ({a['unit']})", a["default"], a["low"], a["high"], why)
    console.print(table)


"""Load a catalog directory: the steps, the questions (facts) and the rules.

A catalog is every ``*.yaml`` file of a directory, validated against the
shipped JSON Schema, merged, and cross-checked: fact and rule ids are
unique, every fact and value a condition names exists, every step has a
rule, blockers name a strategy. Conditions are compiled here, once.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from checklist.core.answers import check_answer
from checklist.core.conditions import compile_condition, did_you_mean
from checklist.core.errors import ChecklistError, DocPath, Problem
from checklist.core.model import (
    Assumption,
    Baseline,
    Catalog,
    Choice,
    Consistency,
    Example,
    Fact,
    Labels,
    Outcome,
    Pilots,
    Planning,
    Rule,
    Scoring,
    Stay,
    Step,
    StrategyWhen,
    Work,
)
from checklist.core.text import strip_escapes
from checklist.core.vocabulary import UNKNOWN
from checklist.io.schemas import load_schema, schema_problems, validator_for
from checklist.io.source import DEFAULT_LIMITS, Limits, Source, load_file

DETECTORS = "detectors"  # the catalog's subdirectory of scan detectors


def default_catalog_dir() -> Path:
    """The catalog shipped with the package (or the repository's ``rules/``)."""
    here = Path(__file__).resolve().parent.parent  # the package
    packaged = here / "_data" / "rules"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"


def _catalog_files(directory: Path, display: str) -> list[Path]:
    if not directory.exists():
        raise ChecklistError(Problem(display, "catalog directory not found"))
    if not directory.is_dir():
        raise ChecklistError(Problem(display, "expected a directory of catalog YAML files"))
    # detectors/ holds what `checklist scan` looks for, a format of its own (checklist.discover)
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                   and DETECTORS not in p.relative_to(directory).parts[:-1])
    if not files:
        raise ChecklistError(Problem(display, "no .yaml files in this catalog directory"))
    return files


def load_catalog(extra: Sequence[Path] = (), limits: Limits = DEFAULT_LIMITS) -> Catalog:
    """Load the default catalog, replaced or extended by each directory in `extra`, whose
    files are read within `limits` (the shipped files within at least the default ones).

    A directory whose files declare ``catalog:`` (name and version) replaces
    the default catalog; one without adds its facts and rules to it.
    Raises ChecklistError with every problem found.
    """
    sources: list[Source] = []
    problems: list[Problem] = []
    directories: list[Path] = []
    loaded: list[tuple[Path, list[Source]]] = []
    shipped = default_catalog_dir()
    for directory in [shipped, *extra]:
        group: list[Source] = []
        for path in _catalog_files(directory, str(directory)):
            try:
                source = load_file(path, _display(path), limits.at_least_defaults() if directory == shipped else limits)
            except ChecklistError as exc:
                problems.extend(exc.problems)
                continue
            if source.data is None:
                problems.append(Problem(source.name, "empty catalog file", 1, 1))
                continue
            group.append(source)
        if directory != shipped:  # the shipped catalog is validated by the test suite
            group = _schema_valid(group, problems)
        loaded.append((directory, group))
    # A directory that declares its own catalog replaces everything before it.
    for directory, group in loaded:
        if any("catalog" in s.data for s in group):
            sources, directories = [], []
        sources.extend(group)
        directories.append(directory)
    if problems:
        raise ChecklistError(problems)
    shipped_texts = next((_texts(s.data["labels"]) for s in loaded[0][1] if "labels" in s.data), {})
    shipped_planning = next((_texts(s.data["planning"]) for s in loaded[0][1] if "planning" in s.data), {})
    return _build(sources, tuple(str(d) for d in directories), problems, shipped_texts, shipped_planning)


def _texts(section: Mapping[str, Any]) -> dict[str, str | dict[str, str]]:
    """A section's `texts` (labels or planning), escapes stripped."""
    return {k: strip_escapes(v) if isinstance(v, str) else {n: strip_escapes(w) for n, w in v.items()}
            for k, v in section.get("texts", {}).items()}


def _fields(text: str | Mapping[str, str]) -> set[str]:
    forms = [text] if isinstance(text, str) else list(text.values())
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def _own_texts(source: Source, labels: Mapping[str, Any], shipped: Mapping[str, Any],
               problems: list[Problem]) -> dict[str, Any]:
    """A catalog's own texts over the shipped ones: each names a shipped text and uses only its fields."""
    texts = dict(shipped)
    for key, text in _texts(labels).items():
        where = ("labels", "texts", key)
        if key not in shipped:
            problems.append(source.problem(where, f"unknown text {key!r}{did_you_mean(key, shipped)}", key=True))
        elif extra := _fields(text) - _fields(shipped[key]) - {"count"}:
            allowed = ", ".join(sorted(_fields(shipped[key]))) or "none"
            problems.append(source.problem(where, f"unknown field {{{sorted(extra)[0]}}}; this text has: {allowed}"))
        else:
            texts[key] = text
    return texts


def _schema_valid(sources: list[Source], problems: list[Problem]) -> list[Source]:
    """The sources that pass the catalog schema; the problems of the others go to `problems`."""
    validator = validator_for(load_schema("catalog"))
    valid = []
    for source in sources:
        found = schema_problems(validator, source.data, source)
        problems.extend(found)
        if not found:
            valid.append(source)
    return valid


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _single(sources: list[Source], key: str, problems: list[Problem]) -> tuple[Source, Any] | None:
    found = [s for s in sources if key in s.data]
    if not found:
        return None
    for extra in found[1:]:
        problems.append(extra.problem((key,), f"'{key}' is already defined in {found[0].name}", key=True))
    return found[0], found[0].data[key]


def _build(sources: list[Source], directories: tuple[str, ...], problems: list[Problem],
           shipped_texts: Mapping[str, Any], shipped_planning_texts: Mapping[str, Any]) -> Catalog:
    meta = _single(sources, "catalog", problems)
    scoring_raw = _single(sources, "scoring", problems)
    steps_raw = _single(sources, "steps", problems)
    for key, value in (("catalog", meta), ("scoring", scoring_raw), ("steps", steps_raw)):
        if value is None:
            problems.append(Problem(directories[0], f"no catalog file defines '{key}'"))
    if meta is None or scoring_raw is None or steps_raw is None:
        raise ChecklistError(problems)

    steps_source, steps_data = steps_raw
    steps: list[Step] = []
    step_index: dict[int, int] = {}  # step number -> its position in the file, for messages
    for i, raw in enumerate(steps_data):
        if any(s.number == raw["number"] for s in steps):
            problems.append(steps_source.problem(("steps", i, "number"), f"step {raw['number']} is defined twice"))
            continue
        steps.append(Step(raw["number"], raw["phase"], strip_escapes(raw["title"]), tuple(raw["scope"]),
                          strip_escapes(raw["description"])))
        step_index[raw["number"]] = i
    steps.sort(key=lambda s: s.number)
    step_numbers = {s.number for s in steps}

    facts = _build_facts(sources, step_numbers, problems)
    rules = _build_rules(sources, facts, step_numbers, problems)

    covered = {r.step for r in rules}
    for step in steps:
        if step.number not in covered:
            problems.append(
                steps_source.problem(("steps", step_index[step.number]), f"step {step.number} has no rule")
            )
    scoring = _build_scoring(*scoring_raw, facts, problems)
    consistency = tuple(
        Consistency(raw["id"], compile_condition(raw["when"], facts, _locator(source), ("consistency", i, "when"),
                                                 problems),
                    strip_escapes(" ".join(raw["message"].split())), raw.get("level", "warning"))
        for source in sources for i, raw in enumerate(source.data.get("consistency", []))
    )
    planning_raw = _single(sources, "planning", problems)
    planning = _build_planning(*planning_raw, facts, shipped_planning_texts, problems) if planning_raw else None
    labels_raw = _single(sources, "labels", problems)
    labels = Labels(texts=dict(shipped_texts)) if labels_raw is None else Labels(
        verdicts={k: (strip_escapes(v["label"]), strip_escapes(" ".join(v["meaning"].split())))
                  for k, v in labels_raw[1]["verdicts"].items()},
        strategies={k: strip_escapes(v) for k, v in labels_raw[1]["strategies"].items()},
        decided_by={k: strip_escapes(v) for k, v in labels_raw[1]["decided_by"].items()},
        answered_by={k: strip_escapes(v) for k, v in labels_raw[1].get("answered_by", {}).items()},
        capabilities={k: strip_escapes(v) for k, v in labels_raw[1].get("capabilities", {}).items()},
        stays={k: strip_escapes(v) for k, v in labels_raw[1].get("stays", {}).items()},
        texts=_own_texts(*labels_raw, shipped_texts, problems),
    )
    if problems:
        raise ChecklistError(problems)
    _, meta_data = meta
    return Catalog(
        name=meta_data["name"],
        version=str(meta_data["version"]),
        title=meta_data.get("title", meta_data["name"]),
        scoring=scoring,
        steps=tuple(steps),
        facts=facts,
        rules=tuple(rules),
        directories=directories,
        planning=planning,
        consistency=consistency,
        labels=labels,
        _by_id={r.id: r for r in rules},
    )


def _build_scoring(source: Source, raw: Mapping[str, Any], facts: Mapping[str, Fact],
                   problems: list[Problem]) -> Scoring:
    thresholds = raw["thresholds"]
    if not thresholds["ready"] >= thresholds["ready_with_changes"] >= thresholds.get("needs_refactoring", 0):
        problems.append(source.problem(("scoring", "thresholds"),
                                       "thresholds must not increase: ready ≥ ready_with_changes ≥ needs_refactoring"))
    strategy_when = tuple(
        StrategyWhen(compile_condition(item["when"], facts, _locator(source), ("scoring", "strategy_when", i, "when"),
                                       problems),
                     frozenset(item["verdicts"]), item["strategy"], " ".join(item["reason"].split()))
        for i, item in enumerate(raw.get("strategy_when", ()))
    )
    return Scoring(
        credit=dict(raw["credit"]),
        confidence_floor=float(raw["confidence_floor"]),
        thresholds=dict(thresholds),
        strategy_by_verdict={"not_suitable": "refactor", **raw["strategy_by_verdict"]},
        strategy_priority=tuple(raw["strategy_priority"]),
        strategy_when=strategy_when,
    )


# Assumptions that are shares of a whole (the schema already keeps every value ≥ 0), those
# that must stay below 1 (a node reserved whole has nothing left), and those that divide.
_SHARES = ("current_cpu_utilization", "cluster_cpu_utilization", "memory_request_share")
_BELOW_ONE = ("reserved_cpu_share", "reserved_memory_share")
_DIVISORS = ("cluster_cpu_utilization", "container_host_vcpu", "container_host_memory_gb")


def _build_planning(source: Source, raw: Mapping[str, Any], facts: Mapping[str, Fact],
                    shipped_texts: Mapping[str, Any], problems: list[Problem]) -> Planning:
    sizes_raw = raw["effort"]["sizes"]
    sizes: list[tuple[str, float | None]] = []
    for i, item in enumerate(sizes_raw):
        where = ("planning", "effort", "sizes", i)
        limit = item.get("up_to_days")
        last = i == len(sizes_raw) - 1
        if last and limit is not None:
            problems.append(source.problem((*where, "up_to_days"), "the last size takes no 'up_to_days': "
                                           "it holds everything larger"))
        elif not last and limit is None:
            problems.append(source.problem(where, "every size but the last needs 'up_to_days'"))
        elif sizes and limit is not None and sizes[-1][1] is not None and limit <= sizes[-1][1]:
            problems.append(source.problem((*where, "up_to_days"), "sizes go from smallest to largest: "
                                           f"{limit:g} is not above {sizes[-1][1]:g}"))
        sizes.append((item["size"], limit))
    case = raw["business_case"]
    currency = case["currency"]
    assumptions: dict[str, Assumption] = {}
    for key, item in case["assumptions"].items():
        where = ("planning", "business_case", "assumptions", key)
        for name in ("default", "conservative", "optimistic"):
            if key in _SHARES and item[name] > 1:
                problems.append(source.problem((*where, name), f"a utilisation is a share from 0 to 1, "
                                               f"got {item[name]!r}"))
            if key in _BELOW_ONE and item[name] >= 1:
                problems.append(source.problem((*where, name), f"expected a share below 1, got {item[name]!r}"))
            if key in _DIVISORS and item[name] <= 0:
                problems.append(source.problem((*where, name), f"expected a number above 0, got {item[name]!r}"))
        if not min(item["conservative"], item["optimistic"]) <= item["default"] <= max(item["conservative"],
                                                                                       item["optimistic"]):
            problems.append(source.problem((*where, "default"), f"the default {item['default']!r} is not between "
                                           f"the conservative and optimistic values"))
        assumptions[key] = Assumption(key, _words(item["text"]), item["unit"].replace("{currency}", currency),
                                      float(item["default"]), float(item["conservative"]),
                                      float(item["optimistic"]), _words(item["reason"]), item.get("source", ""),
                                      _words(item.get("label", item["text"])))
    baseline = raw["baseline"]
    activities = {k: _words(v) for k, v in baseline["activities"].items()}
    kinds = facts["workload_kind"].values if "workload_kind" in facts else frozenset()
    for kind, table in baseline["by_kind"].items():
        where = ("planning", "baseline", "by_kind", kind)
        if kind != "other" and kind not in kinds:
            problems.append(source.problem(where, f"{kind!r} is not a workload_kind{did_you_mean(kind, kinds)}",
                                           key=True))
        if missing := [a for a in activities if a not in table]:
            problems.append(source.problem(where, f"no person-days for {missing[0]!r}"))
        for activity in table:
            if activity not in activities:
                problems.append(source.problem((*where, activity), f"unknown activity {activity!r}"
                                               f"{did_you_mean(activity, activities)}", key=True))
    for i, activity in enumerate(baseline["scaled"]):
        if activity not in activities:
            problems.append(source.problem(("planning", "baseline", "scaled", i), f"unknown activity {activity!r}"
                                           f"{did_you_mean(activity, activities)}"))
    pilots = raw["pilots"]
    when = (compile_condition(pilots["when"], facts, _locator(source), ("planning", "pilots", "when"), problems)
            if "when" in pilots else None)
    texts = dict(shipped_texts)
    for key, text in _texts(raw).items():
        if shipped_texts and key not in shipped_texts:
            problems.append(source.problem(("planning", "texts", key), f"unknown text {key!r}"
                                           f"{did_you_mean(key, shipped_texts)}", key=True))
        texts[key] = text
    return Planning(
        person_days={k: float(v) for k, v in raw["effort"]["person_days"].items()},
        sizes=tuple(sizes),
        effort_note=_words(raw["effort"]["note"]),
        assumptions=assumptions,
        business_case_note=_words(case["note"]),
        baseline=Baseline(_words(baseline["note"]), activities,
                          {k: {a: float(d) for a, d in v.items()} for k, v in baseline["by_kind"].items()},
                          {k: float(v) for k, v in baseline["criticality"].items()}, tuple(baseline["scaled"])),
        platform_note=_words(raw["platform"]["note"]),
        work=_work(source, raw["platform"]["work"], "work", facts, problems),
        pools=_work(source, raw["platform"]["pools"], "pools", facts, problems),
        stays={k: Stay(v.get("days"), _words(v["text"])) for k, v in raw["stays"].items()},
        vendor_weeks=float(raw["vendor"]["weeks"]),
        vendor_text=_words(raw["vendor"]["text"]),
        vendor_reason=_words(raw["vendor"]["reason"]),
        pilots=Pilots(_words(pilots["note"]), tuple(pilots["criticality"]), tuple(pilots["verdicts"]), when,
                      int(pilots["minimum"])),
        currency=currency,
        per_core_licence=(compile_condition(case["per_core_licence"], facts, _locator(source),
                                            ("planning", "business_case", "per_core_licence"), problems)
                          if "per_core_licence" in case else None),
        texts=texts,
    )


def _words(text: str) -> str:
    return strip_escapes(" ".join(text.split()))


def _work(source: Source, items: Sequence[Mapping[str, Any]], section: str, facts: Mapping[str, Fact],
          problems: list[Problem]) -> tuple[Work, ...]:
    """The programme's items, each checked: an organisation fact, and only its answers as keys."""
    out = []
    for i, item in enumerate(items):
        where: DocPath = ("planning", "platform", section, i)
        fact = facts.get(item["fact"])
        if fact is None or fact.scope != "organization":
            problems.append(source.problem((*where, "fact"), f"{item['fact']!r} is not an organisation fact"
                                           f"{did_you_mean(item['fact'], facts)}"))
            continue
        answers = {"true", "false"} if fact.type == "bool" else set(fact.values)
        for table in ("days", "weeks"):
            for key in item[table]:
                if key not in answers:
                    problems.append(source.problem((*where, table, key), f"{key!r} is not an answer to "
                                                   f"{fact.id}{did_you_mean(key, answers)}", key=True))
        out.append(Work(item["id"], fact.id, _words(item["text"]), {k: float(v) for k, v in item["days"].items()},
                        {k: float(v) for k, v in item["weeks"].items()}, _words(item["reason"]),
                        item.get("source", ""), item.get("gpus", 0), item.get("per_application", False)))
    return tuple(out)


def _locator(source: Source) -> Any:
    def locate(path: DocPath, message: str) -> Problem:
        return source.problem(path, message)

    return locate


def _build_facts(sources: list[Source], steps: set[int], problems: list[Problem]) -> dict[str, Fact]:
    raw_facts: list[tuple[Source, int, dict[str, Any]]] = [
        (source, i, raw) for source in sources for i, raw in enumerate(source.data.get("facts", []))
    ]
    facts: dict[str, Fact] = {}
    first_seen: dict[str, str] = {}
    for source, i, raw in raw_facts:
        fid = raw["id"]
        where = ("facts", i)
        if fid in facts:
            problems.append(source.problem((*where, "id"), f"fact {fid!r} is already defined at {first_seen[fid]}"))
            continue
        kind = raw["type"]
        choices = tuple(Choice(c["value"], strip_escapes(c["label"])) for c in raw.get("choices", []))
        if kind in ("choice", "multi") and not choices:
            problems.append(source.problem(where, f"a {kind} fact needs 'choices'"))
        if kind in ("bool", "number") and choices:
            problems.append(source.problem((*where, "choices"), f"a {kind} fact takes no 'choices'"))
        values = [c.value for c in choices]
        if len(set(values)) != len(values):
            problems.append(source.problem((*where, "choices"), "choice values must be unique"))
        if UNKNOWN in values:
            problems.append(source.problem((*where, "choices"),
                                           "'unknown' is reserved for \"nobody knows\"; do not list it"))
        for value in raw.get("exclusive", []):
            if value not in values:
                problems.append(source.problem((*where, "exclusive"), f"{value!r} is not one of the choices"))
        if raw["step"] not in steps:
            problems.append(source.problem((*where, "step"), f"step {raw['step']} does not exist"))
        line, _ = source.locate(where)
        first_seen[fid] = f"{source.name}:{line}"
        facts[fid] = Fact(
            id=fid, scope=raw["scope"], type=kind, step=raw["step"], text=strip_escapes(raw["text"]),
            help=strip_escapes(raw["help"]),
            choices=choices, exclusive=tuple(raw.get("exclusive", ())), unit=raw.get("unit", ""),
            minimum=raw.get("minimum"), maximum=raw.get("maximum"), optional=raw.get("optional", False),
            changed_by=raw.get("changed_by", "team"), answered_by=tuple(raw.get("answered_by", ())),
        )
    # ask_when may name any fact, so compile once all facts are known.
    for source, i, raw in raw_facts:
        if "ask_when" in raw and raw["id"] in facts:
            cond = compile_condition(raw["ask_when"], facts, _locator(source), ("facts", i, "ask_when"), problems)
            fact = facts[raw["id"]]
            facts[raw["id"]] = Fact(**{**fact.__dict__, "ask_when": cond})
    return facts


def _build_rules(
    sources: list[Source], facts: Mapping[str, Fact], steps: set[int], problems: list[Problem]
) -> list[Rule]:
    rules: list[tuple[int, int, Rule]] = []
    seen: dict[str, str] = {}
    order = 0
    for source in sources:
        locate = _locator(source)
        for i, raw in enumerate(source.data.get("rules", [])):
            order += 1
            where: DocPath = ("rules", i)
            rid = raw["id"]
            line, _ = source.locate(where)
            if rid in seen:
                problems.append(source.problem((*where, "id"), f"rule {rid!r} is already defined at {seen[rid]}"))
                continue
            seen[rid] = f"{source.name}:{line}"
            if raw["step"] not in steps:
                problems.append(source.problem((*where, "step"), f"step {raw['step']} does not exist"))
            if raw["severity"] == "blocker" and "strategy" not in raw:
                problems.append(source.problem(where, "a blocker must name the 'strategy' its failure implies"))
            requires = raw.get("requires")
            if requires is not None and (requires not in facts or facts[requires].scope != "organization"
                                         or facts[requires].type != "bool"):
                problems.append(source.problem((*where, "requires"), f"{requires!r} is not a yes/no organisation "
                                               "fact" + did_you_mean(requires, facts)))
            applies = (
                compile_condition(raw["applies_when"], facts, locate, (*where, "applies_when"), problems)
                if "applies_when" in raw else None
            )
            outcomes: list[Outcome] = []
            read: list[str] = list(applies.facts) if applies else []
            for j, out in enumerate(raw["outcomes"]):
                last = j == len(raw["outcomes"]) - 1
                when = None
                if "when" in out:
                    when = compile_condition(out["when"], facts, locate, (*where, "outcomes", j, "when"), problems)
                    read.extend(when.facts)
                    if last:
                        problems.append(source.problem((*where, "outcomes", j),
                                                       "the last outcome must have no 'when': it is the fallback"))
                elif not last:
                    problems.append(source.problem((*where, "outcomes", j),
                                                   "an outcome without 'when' must come last; later ones never apply"))
                outcomes.append(Outcome(when, out["result"], strip_escapes(" ".join(out["message"].split()))))
            used = tuple(dict.fromkeys(read))
            if raw["scope"] == "organization":
                for fid in used:
                    if fid in facts and facts[fid].scope != "organization":
                        problems.append(source.problem((*where, "scope"),
                                                       f"an organisation rule cannot read the application "
                                                       f"fact {fid!r}"))
            fix = raw.get("fix")
            for fid, value in (fix or {}).items():
                fact = facts.get(fid)
                if fact is None:
                    problems.append(source.problem((*where, "fix", fid), f"unknown fact {fid!r}"
                                                   f"{did_you_mean(fid, facts)}", key=True))
                elif not fact.controllable:
                    problems.append(source.problem((*where, "fix", fid), f"a fix changes only what the team or the "
                                                   f"organisation controls; {fid} is changed by {fact.changed_by}",
                                                   key=True))
                elif error := check_answer(fact, value):
                    problems.append(source.problem((*where, "fix", fid), error))
            examples = tuple(
                Example(ex["result"], ex["answers"], source.problem((*where, "examples", k), ""))
                for k, ex in enumerate(raw.get("examples", []))
            )
            rule = Rule(
                id=rid, title=strip_escapes(raw["title"]), step=raw["step"], scope=raw["scope"],
                category=raw["category"],
                severity=raw["severity"], weight=float(raw["weight"]), effort=raw["effort"],
                rationale=strip_escapes(" ".join(raw["rationale"].split())),
                remediation=strip_escapes(" ".join(raw["remediation"].split())),
                outcomes=tuple(outcomes), facts=used, strategy=raw.get("strategy"), applies_when=applies,
                examples=examples, origin=f"{source.name}:{line}",
                problem=strip_escapes(" ".join(raw.get("problem", "").split())),
                action=strip_escapes(" ".join(raw.get("action", "").split())),
                caps=raw.get("caps"), caps_reason=strip_escapes(" ".join(raw.get("caps_reason", "").split())),
                requires=requires, fix=fix,
            )
            rules.append((raw["step"], order, rule))
    rules.sort(key=lambda item: (item[0], item[1]))
    return [rule for _, _, rule in rules]

"""Loading catalogs: every mistake a catalog author can make is reported at its file, line and column.

Each broken catalog is the default one copied into tmp_path with one file
added or changed, loaded as ``load_catalog([copy])``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from helpers import position, render, same_file, write_file

from checklist.core.engine import check_examples as run_examples
from checklist.core.errors import ChecklistError, Problem
from checklist.core.model import Catalog
from checklist.io.catalog import default_catalog_dir, load_catalog

# One valid application rule; each case below changes one thing in it.
RULE = """\
rules:
  - id: extra-check
    title: An extra check
    step: 6
    scope: application
    category: platform
    severity: major
    weight: 3
    effort: small
    rationale: Why it matters.
    remediation: What to do.
    outcomes:
      - when: {fact: os_family, equals: linux}
        result: pass
        message: Runs on Linux.
      - result: fail
        message: Does not run on Linux.
"""


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the default catalog directory that a test may break."""
    target = tmp_path / "rules"
    shutil.copytree(default_catalog_dir(), target)
    return target


def load_problems(directory: Path, *, check_examples: bool = False) -> list[Problem]:
    try:
        catalog = load_catalog([directory])
    except ChecklistError as caught:
        return list(caught.problems)
    found = run_examples(catalog) if check_examples else []
    assert found, "the catalog loads without a problem"
    return found


def only_problem(problems: list[Problem], file: Path) -> Problem:
    mine = [p for p in problems if same_file(p.file, file)]
    assert len(mine) == 1, render(problems)
    return mine[0]


def where_defined(directory: Path, rule_id: str) -> tuple[Path, int]:
    """The file and line where `rule_id` starts (its ``- id:`` line) in a catalog directory."""
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        needle = f"- id: {rule_id}\n"
        if needle in text:
            return path, position(text, needle)[0]
    raise AssertionError(f"{rule_id} not found in {directory}")


# ---------------------------------------------------------------- one broken rule

BROKEN_RULES = [
    # case id, (old, new) edit of RULE, text the problem points at, path, words in the message
    pytest.param(
        ("{fact: os_family,", "{fact: os_famly,"), "os_famly", "rules[0].outcomes[0].when.fact",
        ["unknown fact 'os_famly'", "did you mean 'os_family'?"], id="missing-fact",
    ),
    pytest.param(
        ("equals: linux", "equals: solaris"), "solaris", "rules[0].outcomes[0].when.equals",
        ["'solaris' is not a value of 'os_family'", "linux", "windows"], id="value-not-a-choice",
    ),
    pytest.param(
        ("step: 6", "step: 42"), "42", "rules[0].step",
        ["step 42 does not exist"], id="missing-step",
    ),
    pytest.param(
        ("severity: major", "severity: blocker"), "id: extra-check", "rules[0]",
        ["a blocker must name the 'strategy'"], id="blocker-without-strategy",
    ),
    pytest.param(
        ("severity: major", "severity: critical"), "critical", "rules[0].severity",
        ["'critical' is not allowed", "expected one of: blocker, major, minor"], id="schema-enum",
    ),
    pytest.param(
        ("    weight: 3\n", "    weight: 3\n    wieght: 4\n"), "wieght", "rules[0].wieght",
        ["unknown field 'wieght'", "did you mean 'weight'?"], id="schema-unknown-field",
    ),
    pytest.param(
        ("    weight: 3\n", "    weight: lots\n"), "lots", "rules[0].weight",
        ["expected a number", "'lots'"], id="schema-type",
    ),
    pytest.param(
        ("    effort: small\n", ""), "id: extra-check", "rules[0]",
        ["missing required field 'effort'"], id="schema-required",
    ),
]


@pytest.mark.parametrize(("edit", "at", "path", "words"), BROKEN_RULES)
def test_broken_rule_is_located(
    rules_copy: Path, edit: tuple[str, str], at: str, path: str, words: list[str]
) -> None:
    old, new = edit
    assert old in RULE
    text = RULE.replace(old, new, 1)
    extra = write_file(rules_copy / "zz_extra.yaml", text)
    problem = only_problem(load_problems(rules_copy), extra)
    assert (problem.line, problem.column) == position(text, at)
    assert problem.path == path
    for word in words:
        assert word in problem.message, problem.message


def test_fallback_outcome_not_last_is_reported_for_both_outcomes(rules_copy: Path) -> None:
    text = RULE.replace(
        "      - when: {fact: os_family, equals: linux}\n        result: pass\n        message: Runs on Linux.\n"
        "      - result: fail\n        message: Does not run on Linux.\n",
        "      - result: fail\n        message: Does not run on Linux.\n"
        "      - when: {fact: os_family, equals: linux}\n        result: pass\n        message: Runs on Linux.\n",
    )
    assert text != RULE
    extra = write_file(rules_copy / "zz_extra.yaml", text)
    problems = [p for p in load_problems(rules_copy) if same_file(p.file, extra)]
    found = {(p.path, p.line): p.message for p in problems}
    first_line = position(text, "- result: fail")[0]
    last_line = position(text, "- when:")[0]
    assert set(found) == {("rules[0].outcomes[0]", first_line), ("rules[0].outcomes[1]", last_line)}
    assert "must come last" in found[("rules[0].outcomes[0]", first_line)]
    assert "fallback" in found[("rules[0].outcomes[1]", last_line)]


def test_duplicate_yaml_key_points_at_the_second_key(rules_copy: Path) -> None:
    text = RULE.replace("    weight: 3\n", "    weight: 3\n    title: The same check again\n")
    extra = write_file(rules_copy / "zz_extra.yaml", text)
    problem = only_problem(load_problems(rules_copy), extra)
    assert (problem.line, problem.column) == position(text, "title:", 2)
    assert "duplicate key 'title'" in problem.message
    assert f"line {position(text, 'title:')[0]}" in problem.message


def test_duplicate_rule_id_in_another_added_file_names_the_first(rules_copy: Path) -> None:
    first = write_file(rules_copy / "aa_extra.yaml", RULE)
    second = write_file(rules_copy / "zz_extra.yaml", "# the same rule again\n" + RULE)
    problem = only_problem(load_problems(rules_copy), second)
    text = second.read_text(encoding="utf-8")
    assert (problem.line, problem.column) == position(text, "extra-check")
    assert problem.path == "rules[0].id"
    assert "rule 'extra-check' is already defined at" in problem.message
    assert f"{first.name}:{position(RULE, 'id: extra-check')[0]}" in problem.message


def test_duplicate_of_a_default_rule_names_where_the_default_is(rules_copy: Path) -> None:
    original, line = where_defined(rules_copy, "state-local-disk")
    text = RULE.replace("id: extra-check", "id: state-local-disk")
    extra = write_file(rules_copy / "zz_extra.yaml", text)
    problem = only_problem(load_problems(rules_copy), extra)
    assert problem.line == position(text, "state-local-disk")[0]
    assert "'state-local-disk' is already defined at" in problem.message
    assert f"{original.name}:{line}" in problem.message


def _insert_step(catalog_file: Path, where: str) -> tuple[str, int]:
    """Add step 20 (with no rule) first or last in the steps list; return the text and its index."""
    text = catalog_file.read_text(encoding="utf-8")
    root = yaml.compose(text)
    assert isinstance(root, yaml.MappingNode)
    steps = next(value for key, value in root.value if key.value == "steps")
    assert isinstance(steps, yaml.SequenceNode)
    first_item = steps.value[0]
    indent = " " * (first_item.start_mark.column - 2)
    block = (f"{indent}- number: 20\n{indent}  phase: Run\n{indent}  title: A step nobody checks\n"
             f"{indent}  scope: [app]\n{indent}  description: No rule covers this step.\n")
    lines = text.splitlines(keepends=True)
    if where == "first":
        at = first_item.start_mark.line
        index = 0
    else:
        end = steps.value[-1].end_mark
        at = end.line + (1 if end.column else 0)
        index = len(steps.value)
    if at > len(lines):
        lines.append("\n")
    lines.insert(at, block)
    return "".join(lines), index


@pytest.mark.parametrize("where", ["last", "first"])
def test_step_without_rules_is_located_at_the_step(rules_copy: Path, where: str) -> None:
    catalog_file = next(p for p in rules_copy.glob("*.yaml") if "steps" in (yaml.safe_load(p.read_text()) or {}))
    text, index = _insert_step(catalog_file, where)
    write_file(catalog_file, text)
    problem = only_problem(load_problems(rules_copy), catalog_file)
    assert problem.message == "step 20 has no rule"
    assert problem.path == f"steps[{index}]"
    assert (problem.line, problem.column) == position(text, "number: 20")


def test_wrong_example_is_reported_only_when_examples_are_checked(rules_copy: Path) -> None:
    text = RULE + "    examples:\n      - result: fail\n        answers: {os_family: linux}\n"
    extra = write_file(rules_copy / "zz_extra.yaml", text)
    catalog = load_catalog([rules_copy])  # examples are not evaluated by default
    assert catalog.rule("extra-check") is not None
    problem = only_problem(load_problems(rules_copy, check_examples=True), extra)
    assert (problem.line, problem.column) == position(text, "result: fail", 2)
    assert problem.path == "rules[0].examples[0]"
    assert "'extra-check' gives 'pass'" in problem.message
    assert "expects 'fail'" in problem.message


def test_example_with_an_invalid_answer_is_reported(rules_copy: Path) -> None:
    text = RULE + "    examples:\n      - result: pass\n        answers: {os_family: linx}\n"
    extra = write_file(rules_copy / "zz_extra.yaml", text)
    problem = only_problem(load_problems(rules_copy, check_examples=True), extra)
    assert problem.path == "rules[0].examples[0]"
    assert "os_family" in problem.message
    assert "'linx'" in problem.message


def test_every_problem_is_reported_in_one_run(rules_copy: Path) -> None:
    text = RULE.replace("step: 6", "step: 42").replace("equals: linux", "equals: solaris")
    extra = write_file(rules_copy / "zz_extra.yaml", text)
    paths = {p.path for p in load_problems(rules_copy) if same_file(p.file, extra)}
    assert paths == {"rules[0].step", "rules[0].outcomes[0].when.equals"}


# ---------------------------------------------------------------- adding to or replacing the default


def test_rules_dir_without_catalog_key_adds_to_the_default(tmp_path: Path, default_catalog: Catalog) -> None:
    extra = tmp_path / "mine"
    write_file(extra / "extra.yaml", RULE)
    catalog = load_catalog([extra])
    assert catalog.name == default_catalog.name
    assert catalog.version == default_catalog.version
    ids = [rule.id for rule in catalog.rules]
    assert set(ids) == {rule.id for rule in default_catalog.rules} | {"extra-check"}
    assert [rule.step for rule in catalog.rules] == sorted(rule.step for rule in catalog.rules)
    assert catalog.facts.keys() == default_catalog.facts.keys()


TINY_CATALOG = """\
catalog: {name: tiny, version: "0.1"}
scoring:
  credit: {pass: 1, partial: 0.5, fail: 0}
  confidence_floor: 0.5
  thresholds: {ready: 80, ready_with_changes: 60, needs_refactoring: 40}
  strategy_by_verdict: {ready: containerize, ready_with_changes: replatform,
                        needs_refactoring: refactor, insufficient_data: complete_assessment}
  strategy_priority: [retain_on_vm, rewrite]
steps:
  - {number: 1, phase: Fit, title: The only step, scope: [app], description: Just one.}
facts:
  - id: answer
    scope: application
    type: bool
    step: 1
    text: Is it so?
    help: Because it matters.
rules:
  - id: tiny-rule
    title: It is so
    step: 1
    scope: application
    category: platform
    severity: major
    weight: 1
    effort: small
    rationale: Why.
    remediation: What.
    outcomes:
      - when: {fact: answer, equals: true}
        result: pass
        message: It is so.
      - result: fail
        message: It is not so.
"""


def test_rules_dir_with_catalog_key_replaces_the_default(tmp_path: Path) -> None:
    write_file(tmp_path / "tiny" / "catalog.yaml", TINY_CATALOG)
    catalog = load_catalog([tmp_path / "tiny"])
    assert (catalog.name, catalog.version) == ("tiny", "0.1")
    assert [rule.id for rule in catalog.rules] == ["tiny-rule"]
    assert list(catalog.facts) == ["answer"]
    assert [step.number for step in catalog.steps] == [1]
    assert catalog.rule("state-local-disk") is None


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        pytest.param("missing", "catalog directory not found", id="missing-dir"),
        pytest.param("empty", "no .yaml files", id="empty-dir"),
        pytest.param("file", "expected a directory", id="a-file"),
    ],
)
def test_rules_option_that_is_not_a_catalog_directory(tmp_path: Path, setup: str, words: str) -> None:
    target = tmp_path / "rules"
    if setup == "empty":
        target.mkdir()
    elif setup == "file":
        write_file(target, "rules: []\n")
    with pytest.raises(ChecklistError) as caught:
        load_catalog([target])
    assert words in str(caught.value)


def test_the_shipped_catalog_is_schema_valid() -> None:
    """Loading trusts the shipped catalog (no schema pass on every command); this test is that pass."""
    from checklist.io.catalog import _catalog_files, _schema_valid
    from checklist.io.source import load_file

    directory = default_catalog_dir()
    sources = [load_file(path, str(path)) for path in _catalog_files(directory, str(directory))]
    problems: list[Problem] = []
    assert _schema_valid(sources, problems) == sources and problems == []


def test_a_catalog_rewords_a_report_sentence_with_the_same_fields(rules_copy: Path) -> None:
    labels = rules_copy / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace('org_gaps: "Close the organisation\'s biggest gaps: {gaps}."',
                                   'org_gaps: "First close: {gaps}."'), encoding="utf-8")
    catalog = load_catalog([rules_copy])
    assert catalog.labels.say("org_gaps", gaps="a registry") == "First close: a registry."
    # the shipped text is what a catalog without its own texts says
    assert load_catalog().labels.say("org_gaps", gaps="x") == "Close the organisation's biggest gaps: x."


@pytest.mark.parametrize(("line", "message"), [
    ('    pilotz: "Start with {names}."', "unknown text 'pilotz' (did you mean 'pilots'?)"),
    ('    org_gaps: "Close: {gapz}."', "unknown field {gapz}; this text has: gaps"),
])
def test_a_catalog_text_that_the_reports_cannot_fill_is_refused_at_its_line(
        rules_copy: Path, line: str, message: str) -> None:
    labels = rules_copy / "labels.yaml"
    shipped = "    org_gaps: \"Close the organisation's biggest gaps: {gaps}.\"\n"
    text = labels.read_text(encoding="utf-8").replace(shipped, "")
    labels.write_text(text.replace("  texts:\n", "  texts:\n" + line + "\n", 1), encoding="utf-8")
    problems = load_problems(rules_copy)
    assert [p.message for p in problems] == [message]
    assert problems[0].file.endswith("labels.yaml") and problems[0].line > 1

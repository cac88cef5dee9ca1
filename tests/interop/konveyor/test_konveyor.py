"""Konveyor interoperability: its questionnaires scored as the hub scores them, export, CSV import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO, position, write_file
from typer.testing import CliRunner, Result

from checklist.cli import app
from checklist.commands.export import export_texts
from checklist.core.errors import ChecklistError
from checklist.core.model import Catalog
from checklist.interop.konveyor.application_csv import read_application_csv, slug
from checklist.interop.konveyor.assessment import assess_questionnaire, auto_answer, kept
from checklist.interop.konveyor.export import export_answers, export_questionnaire
from checklist.interop.konveyor.loader import load_questionnaires
from checklist.interop.konveyor.model import Answer, Question, Tag, Thresholds
from checklist.interop.konveyor.scoring import Counts, aggregate_confidence, aggregate_risk, confidence, risk

SAMPLE = REPO / "tests" / "data" / "konveyor" / "cloud-native.yaml"
runner = CliRunner()


def cli(*args: object) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def tags(*texts: str) -> frozenset[Tag]:
    return frozenset(Tag(*t.split("/", 1)) for t in texts)


# --------------------------------------------------------------------------- risk at every threshold boundary

T = Thresholds(red=10, yellow=30, unknown=20)


@pytest.mark.parametrize(("counts", "expected"), [
    (Counts(), "unknown"),                                    # N = 0
    (Counts(red=1, green=9), "red"),                          # 1/10 = 10% ≥ 10%: exactly at the red threshold
    (Counts(red=1, green=10), "green"),                       # 1/11 < 10%, and nothing else reaches its threshold
    (Counts(yellow=3, green=7), "yellow"),                    # 30% ≥ 30%
    (Counts(yellow=2, green=8), "green"),                     # 20% < 30%, no unknowns
    (Counts(yellow=2, unknown=2, green=6), "unknown"),        # yellow 20% < 30%, unknown 20% ≥ 20%
    (Counts(unknown=1, green=9), "green"),                    # unknown 10% < 20%
    (Counts(red=1, yellow=5, unknown=4), "red"),              # red is tested first
    (Counts(yellow=3, unknown=7), "yellow"),                  # then yellow, before unknown
])
def test_risk_at_each_threshold(counts: Counts, expected: str) -> None:
    assert risk(counts, T) == expected


def test_risk_thresholds_that_do_not_divide_evenly() -> None:
    one_in_three = Counts(red=1, green=2)
    assert risk(one_in_three, Thresholds(red=33, yellow=100, unknown=100)) == "red"  # 33.3% ≥ 33%
    assert risk(one_in_three, Thresholds(red=34, yellow=100, unknown=100)) == "green"  # 33.3% < 34%


def test_a_zero_threshold_is_always_reached_as_in_konveyor() -> None:
    assert risk(Counts(green=5), Thresholds(red=0, yellow=0, unknown=0)) == "red"
    assert risk(Counts(green=5), Thresholds(red=100, yellow=0, unknown=0)) == "yellow"
    assert risk(Counts(red=4, green=1), Thresholds(red=100, yellow=100, unknown=100)) == "green"
    assert risk(Counts(red=5), Thresholds(red=100, yellow=100, unknown=100)) == "red"


# --------------------------------------------------------------------------- confidence, computed by hand


@pytest.mark.parametrize(("counts", "expected"), [
    (Counts(), 0),
    (Counts(green=4), 100),
    (Counts(unknown=3), 70),
    (Counts(red=1), 0),                           # adj 0.5; c = 0.5; 0.5 %
    (Counts(yellow=1), 78),                       # adj 0.98; c = 78.4
    (Counts(yellow=1, green=1), 88),              # (78.4 + 98) / 200 = 88.2 %
    (Counts(yellow=2, green=2), 85),              # adj 0.9604; c = 149.8224 + 192.08 → 85.48 %
    (Counts(red=1, yellow=1, green=1, unknown=1), 30),  # adj 0.49; c = 39.6655 + 49 + 34.3 → 30.74 %
    (Counts(red=2, yellow=2, unknown=2), 11),     # adj 0.2401; c = 37.8023 + 33.614 → 11.90 %
    (Counts(red=1, green=1), 25),                 # adj 0.5; c = 0.5 + 50 → 25.25 %
])
def test_confidence_as_pathfinder_computes_it(counts: Counts, expected: int) -> None:
    assert confidence(counts) == expected


@pytest.mark.parametrize(("risks", "expected"), [
    ([], "unknown"),
    (["green", "green"], "green"),
    (["green", "yellow"], "yellow"),
    (["yellow", "unknown"], "unknown"),
    (["green", "unknown", "red"], "red"),
])
def test_risk_over_several_questionnaires(risks: list[str], expected: str) -> None:
    assert aggregate_risk(risks) == expected


def test_confidence_over_several_questionnaires_is_the_integer_mean() -> None:
    assert aggregate_confidence([85, 70]) == 77
    assert aggregate_confidence([100, 11, 40]) == 50
    assert aggregate_confidence([]) == 0


# --------------------------------------------------------------------------- include, exclude, auto-answer

A = Answer(1, "A", "green", auto_answer_for=(Tag("Lang", "Java"),))
B = Answer(2, "B", "red", auto_answer_for=(Tag("Lang", "Java"), Tag("Lang", "Go")))


def test_include_for_keeps_a_question_only_for_those_tags_and_wins_over_exclude_for() -> None:
    question = Question(1, 1, "Q", "", (A,), include_for=(Tag("Runtime", "Java EE"),),
                        exclude_for=(Tag("Runtime", "Java EE"),))
    assert kept(question, tags("Runtime/Java EE"))
    assert not kept(question, tags("Runtime/Quarkus"))
    assert not kept(question, frozenset())


def test_exclude_for_drops_a_question_for_those_tags() -> None:
    question = Question(1, 1, "Q", "", (A,), exclude_for=(Tag("Runtime", "Quarkus"),))
    assert not kept(question, tags("Runtime/Quarkus"))
    assert kept(question, tags("Runtime/quarkus"))  # tags match exactly, as the hub's resolver does
    assert kept(question, frozenset())


def test_auto_answer_is_the_first_matching_answer_in_list_order_and_explicit_answers_win() -> None:
    question = Question(1, 1, "Q", "", (B, A))
    assert auto_answer(question, tags("Lang/Java")) == B
    assert auto_answer(Question(1, 1, "Q", "", (A, B)), tags("Lang/Java")) == A
    assert auto_answer(question, tags("Lang/Go")) == B
    assert auto_answer(question, tags("Lang/Rust")) is None
    [questionnaire] = load_questionnaires([SAMPLE])
    first = questionnaire.question("1.0")
    assert first is not None
    java_ee = first.find("java ee")
    quarkus = first.find(1)
    assert java_ee is not None and quarkus is not None
    chosen = assess_questionnaire(questionnaire, tags("Runtime/Java EE"), {"1.0": quarkus})
    by_key = {r.question.key: r for r in chosen.questions}
    assert (by_key["1.0"].answer, by_key["1.0"].auto) == (quarkus, False)
    assert (by_key["2.0"].answer, by_key["2.0"].auto) == (java_ee, True)


def test_the_sample_for_a_spring_boot_app() -> None:
    [questionnaire] = load_questionnaires([SAMPLE])
    result = assess_questionnaire(questionnaire, tags("Runtime/Spring Boot"), {})
    # Java EE version (includeFor Java EE) and JAX-WS (excludeFor Spring Boot) are dropped in both sections.
    assert [r.question.key for r in result.questions] == ["1.0", "1.2", "2.0", "2.2"]
    assert [r.answer.text if r.answer else None for r in result.questions] == ["Spring Boot", None, "Spring Boot", None]
    assert result.counts == Counts(green=2, unknown=2)
    assert result.risk == "unknown"  # 50% unknown ≥ 15%
    assert result.confidence == 85  # (200 + 140) / 400
    assert [str(t) for t in result.derived_tags] == ["Runtime/Spring Boot"]
    assert result.message == "More information about the application is required"


def test_the_sample_for_a_j2ee_app_with_a_cache() -> None:
    [questionnaire] = load_questionnaires([SAMPLE])
    result = assess_questionnaire(questionnaire, tags("Runtime/J2EE", "Caching/Coherence"), {})
    assert [r.question.key for r in result.questions] == ["1.0", "1.2", "1.3", "2.0", "2.2", "2.3"]
    assert result.counts == Counts(red=2, yellow=2, unknown=2)
    assert (result.risk, result.confidence) == ("red", 11)
    assert result.message == "Application requires deep changes in architecture or lifecycle"


# --------------------------------------------------------------------------- reading questionnaires


def test_both_shapes_read_the_same(tmp_path: Path) -> None:
    single = yaml.safe_load(SAMPLE.read_text())
    other = {**single, "name": "Cloud Native (copy)"}
    seed = write_file(tmp_path / "seed.yaml", yaml.safe_dump({"kind": "Questionnaire", "version": 1,
                                                               "items": [single, other]}, sort_keys=False))
    [from_single] = load_questionnaires([SAMPLE])
    first, second = load_questionnaires([seed])
    assert (first.sections, first.thresholds, first.risk_messages) == (
        from_single.sections, from_single.thresholds, from_single.risk_messages)
    assert second.name == "Cloud Native (copy)"
    as_json = write_file(tmp_path / "q.json", json.dumps(single))
    assert load_questionnaires([as_json])[0].sections == from_single.sections


BROKEN = """\
    name: Broken
    sections:
      - order: 1
        questions:
          - order: 1
            text: Which runtime?
            answers:
              - {order: 1, text: Java, risk: green, autoAnswersFor: []}
              - {order: 2, text: java, risk: purple}
    thresholds: {red: 1, yellow: 30, unknown: 15}
"""


def test_malformed_questionnaires_give_located_errors(tmp_path: Path) -> None:
    path = write_file(tmp_path / "q.yaml", BROKEN)
    text = path.read_text()
    with pytest.raises(ChecklistError) as caught:
        load_questionnaires([path])
    found = [(p.line, p.column, p.path, p.message) for p in caught.value.problems]
    assert found[0][:3] == (*position(text, "autoAnswersFor"), "sections[0].questions[0].answers[0].autoAnswersFor")
    assert "did you mean 'autoAnswerFor'" in found[0][3]
    assert found[1][:3] == (*position(text, "purple"), "sections[0].questions[0].answers[1].risk")
    assert "green, yellow, red, unknown" in found[1][3]


@pytest.mark.parametrize(("text", "needle", "message"), [
    ("kind: ruleset\nitems: []\n", "ruleset", "expected kind 'questionnaire'"),
    ("name: X\nsections: []\nthresholds: {red: 1, yellow: 2, unknown: 3}\n", "[]", "must not be empty"),
    ("name: X\nsections:\n  - order: 1\n    questions:\n      - order: 1\n        text: Q\n        answers:\n"
     "          - {order: 1, text: A, risk: red}\n  - order: 1\n    questions: []\n"
     "thresholds: {red: 1, yellow: 2, unknown: 3}\n", "[]", "must not be empty"),
    ("name: X\nsections:\n  - order: 1\n    questions:\n      - order: 1\n        text: Q\n"
     "        includeFor: [{category: A, tag: B}]\n        excludeFor: [{category: A, tag: C}]\n"
     "        answers: [{order: 1, text: A, risk: red}]\nthresholds: {red: 1, yellow: 2, unknown: 3}\n",
     "excludeFor", "includeFor or excludeFor, not both"),
    ("name: X\nsections:\n  - order: 1\n    questions:\n      - order: 1\n        text: Q\n"
     "        answers: [{order: 1, text: A, risk: red}]\n      - order: 1\n        text: R\n"
     "        answers: [{order: 1, text: A, risk: red}]\nthresholds: {red: 1, yellow: 2, unknown: 3}\n",
     "order: 1\n        text: R", "question order 1 is also used"),
    ("name: X\nsections:\n  - order: 1\n    questions:\n      - order: 1\n        text: Q\n"
     "        answers: [{order: 1, text: A, risk: red}]\nthresholds: {red: 1, yellow: 200, unknown: 3}\n",
     "200", "at most 100"),
    ("name: X\nname: Y\n", "name: Y", "duplicate key 'name'"),
])
def test_each_mistake_in_a_questionnaire_is_named_and_located(tmp_path: Path, text: str, needle: str,
                                                              message: str) -> None:
    path = write_file(tmp_path / "q.yaml", text)
    with pytest.raises(ChecklistError) as caught:
        load_questionnaires([path])
    problem = caught.value.problems[0]
    line = position(text, needle)[0]
    assert (problem.line, message in problem.message) == (line, True), str(problem)
    assert problem.file == str(path)


# --------------------------------------------------------------------------- the sample end to end through the CLI

INVENTORY = """\
    version: 1
    applications:
      - id: shop
        name: Shop
        tags: ["Runtime/Spring Boot"]
        questionnaires:
          - name: Cloud Native
            answers: {"1.2": "no", "2.2": 1}
        answers: {os_family: linux}
      - id: legacy
        tags: ["Runtime/J2EE", "Caching/Coherence", "team-a"]
        answers: {}
"""


def test_assess_with_the_sample_questionnaire_adds_konveyor_fields(tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inv.yaml", INVENTORY)
    plain = cli("assess", inventory, "-f", "json")
    assert plain.exit_code == 0
    assert "konveyor" not in plain.stdout and "questionnaires" not in plain.stdout
    result = cli("assess", inventory, "-f", "json", "--questionnaire", SAMPLE)
    assert result.exit_code == 0, result.output
    apps = {a["id"]: a for a in json.loads(result.stdout)["applications"]}
    shop, legacy = apps["shop"], apps["legacy"]
    assert (shop["konveyor_risk"], shop["konveyor_confidence"]) == ("green", 100)
    [cloud] = shop["questionnaires"]
    assert (cloud["name"], cloud["risk"], cloud["confidence"], cloud["answered"]) == ("Cloud Native", "green", 100, 4)
    assert [(q["key"], q["answer"], q["risk"], q["auto"]) for q in cloud["questions"]] == [
        ("1.0", "Spring Boot", "green", True), ("1.2", "No", "green", False),
        ("2.0", "Spring Boot", "green", True), ("2.2", "No", "green", False)]
    assert cloud["message"] == "Application is Cloud Native"
    assert shop["konveyor_derived_tags"] == ["Runtime/Spring Boot"]
    assert (legacy["konveyor_risk"], legacy["konveyor_confidence"]) == ("red", 11)
    # Everything the plain run printed is still there, unchanged.
    before = {a["id"]: a for a in json.loads(plain.stdout)["applications"]}
    for app_id, document in before.items():
        assert {k: v for k, v in apps[app_id].items() if k in document} == document


def test_two_questionnaires_aggregate(tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inv.yaml", INVENTORY)
    copy = yaml.safe_load(SAMPLE.read_text()) | {"name": "Strict"}
    copy["thresholds"] = {"red": 0, "yellow": 0, "unknown": 0}
    strict = write_file(tmp_path / "strict.yaml", yaml.safe_dump(copy))
    result = cli("assess", inventory, "-f", "json", "--questionnaire", SAMPLE, "--questionnaire", strict)
    assert result.exit_code == 0, result.output
    shop = next(a for a in json.loads(result.stdout)["applications"] if a["id"] == "shop")
    assert [(q["name"], q["risk"], q["confidence"]) for q in shop["questionnaires"]] == [
        ("Cloud Native", "green", 100), ("Strict", "red", 85)]  # Strict: no answers given for it
    assert (shop["konveyor_risk"], shop["konveyor_confidence"]) == ("red", 92)


def test_csv_and_jsonl_outputs_carry_the_konveyor_risk(tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inv.yaml", INVENTORY)
    rows = cli("assess", inventory, "-f", "csv", "--questionnaire", SAMPLE).stdout.splitlines()
    assert rows[0].endswith(",konveyor_risk,konveyor_confidence")
    assert rows[1].endswith(",green,100") and rows[2].endswith(",red,11")
    assert "konveyor" not in cli("assess", inventory, "-f", "csv").stdout
    lines = cli("assess", inventory, "-f", "jsonl", "--questionnaire", SAMPLE).stdout.splitlines()
    assert [json.loads(line)["konveyor_risk"] for line in lines] == ["green", "red"]
    whole = json.loads(cli("assess", inventory, "-f", "json", "--questionnaire", SAMPLE).stdout)
    assert [json.loads(line) for line in lines] == whole["applications"]  # the compact encoder adds the same fields


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_table_and_documents_show_the_konveyor_risk(tmp_path: Path, fmt: str) -> None:
    inventory = write_file(tmp_path / "inv.yaml", INVENTORY)
    result = cli("assess", inventory, "-f", fmt, "--questionnaire", SAMPLE)
    assert result.exit_code == 0, result.output
    assert "Konveyor" in result.stdout
    assert ("conf. 11" if fmt == "table" else "confidence 11") in result.stdout and "red" in result.stdout
    if fmt != "table":
        assert "tags from the answers: Runtime/J2EE" in result.stdout
    without = cli("assess", inventory, "-f", fmt)
    assert "Konveyor" not in without.stdout


def test_the_pdf_report_shows_the_konveyor_risk(tmp_path: Path) -> None:
    from pypdf import PdfReader

    inventory = write_file(tmp_path / "inv.yaml", INVENTORY)
    out = tmp_path / "report.pdf"
    result = cli("report", inventory, "-o", out, "--questionnaire", SAMPLE, "--app", "legacy")
    assert result.exit_code == 0, result.output
    text = " ".join((page.extract_text() or "") for page in PdfReader(out).pages)
    assert "Konveyor risk red" in " ".join(text.split())
    assert "Application requires deep changes" in " ".join(text.split())


@pytest.mark.parametrize(("answers", "needle", "message"), [
    ('{"1.2": maybe}', "maybe", "'maybe' is not an answer to 'Does your application use any caching mechanism?'"),
    ('{"1.9": "yes"}', '"1.9"', "no question '1.9' in questionnaire 'Cloud Native'"),
    ('{1.2: "yes"}', "1.2", "write the question key in quotes"),
    ('{"1.2": 7}', "7", "expected a text or an order: 'Yes' (0), 'No' (1), 'Unknown' (2)"),
    ('{"1.3": on}', "on}", "true (YAML reads an unquoted yes, no, on or off as true or false: quote the answer) "
                          "is not an answer to 'What implementation of JAX-WS"),
])
def test_bad_answers_in_the_inventory_are_located(tmp_path: Path, answers: str, needle: str, message: str) -> None:
    text = INVENTORY.replace('{"1.2": "no", "2.2": 1}', answers)
    inventory = write_file(tmp_path / "inv.yaml", text)
    result = cli("assess", inventory, "--questionnaire", SAMPLE)
    assert result.exit_code == 2
    line, column = position(Path(inventory).read_text(), needle, 1)
    assert f"{inventory}:{line}:{column}:" in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_questionnaire_answered_twice_by_one_application_is_an_error(tmp_path: Path) -> None:
    # Two entries could disagree, and the interview saves into the first while the
    # second would win: which answer counts must not depend on that.
    text = INVENTORY.replace('answers: {"1.2": "no", "2.2": 1}', 'answers: {"1.2": "no", "2.2": 1}\n'
                             '          - name: Cloud Native\n            answers: {"1.2": "yes"}')
    inventory = write_file(tmp_path / "inv.yaml", text)
    result = cli("assess", inventory, "--questionnaire", SAMPLE)
    assert result.exit_code == 2
    line, column = position(Path(inventory).read_text(), "Cloud Native", 2)
    assert result.stderr.startswith(f"{inventory}:{line}:{column}: applications[0].questionnaires[1].name: ")
    assert "questionnaires[0]" in result.stderr and "Traceback" not in result.output


def test_answers_by_text_ignore_case_and_by_order() -> None:
    [questionnaire] = load_questionnaires([SAMPLE])
    question = questionnaire.question("1.1")
    assert question is not None
    assert question.find("5 OR 6") == question.find(1) == question.find("1")
    assert question.find(2) is not None and question.find(2) == question.find("7")  # order 2 is the answer "7"
    caching = questionnaire.question("1.2")
    assert caching is not None and caching.find(True) == caching.find("Yes")  # YAML's unquoted yes


# --------------------------------------------------------------------------- export, and reading it back


def test_export_reads_back_with_the_same_questions_and_risks(tmp_path: Path, default_catalog: Catalog) -> None:
    out = tmp_path / "checklist.yaml"
    result = cli("export", "konveyor", "-o", out)
    assert result.exit_code == 0, result.output
    [questionnaire] = load_questionnaires([out])
    questions = {q.text.removeprefix("(Organisation) "): q for q in questionnaire.questions}
    assert len(questions) == len(default_catalog.facts)
    for fact in default_catalog.facts.values():
        question = questions[fact.text]
        expected = [(a.text, a.risk) for a in export_answers(default_catalog, fact)] + [("Unknown", "unknown")]
        assert [(a.text, a.risk) for a in question.answers] == expected, fact.id
        assert question.explanation == fact.help
        assert question.section == fact.step
    assert questionnaire.thresholds == Thresholds(red=5, yellow=25, unknown=20)
    assert set(questionnaire.risk_messages) == {"red", "yellow", "green", "unknown"}


def answer(default_catalog: Catalog, fact_id: str, text: str) -> Any:
    return next(a for a in export_answers(default_catalog, default_catalog.facts[fact_id]) if a.text == text)


def test_export_risks_follow_the_rules(default_catalog: Catalog) -> None:
    facts = default_catalog.facts
    assert answer(default_catalog, "os_family", facts["os_family"].label("windows")).risk == "red"  # a blocker
    assert answer(default_catalog, "os_family", facts["os_family"].label("linux")).risk == "green"
    dongle = answer(default_catalog, "hardware_dependencies", facts["hardware_dependencies"].label("license_dongle"))
    assert dongle.risk == "red" and dongle.rule is not None and dongle.rule.severity == "blocker"
    assert answer(default_catalog, "graceful_shutdown", "No").risk == "yellow"  # a major rule fails
    assert answer(default_catalog, "graceful_shutdown", "Yes").risk == "green"
    # Only an exemption: any architecture but batch needs a health check, which is not the architecture's fault.
    assert {a.risk for a in export_answers(default_catalog, facts["architecture"])} == {"green"}
    # Numbers become the bands our rules compare with.
    sizes = [(a.text, a.risk) for a in export_answers(default_catalog, facts["data_size_gb"])]
    # a terabyte is effort and a managed-service route, not a knock-out (judgement v2)
    assert sizes == [("Less than 50 GB", "green"), ("50 to less than 1000 GB", "green"), ("1000 GB or more", "yellow")]


def test_exported_answers_carry_rationale_and_mitigation_from_the_rules(default_catalog: Catalog) -> None:
    document = export_questionnaire(default_catalog, export_texts())
    windows = next(a for s in document["sections"] for q in s["questions"] for a in q["answers"]
                   if q["text"] == default_catalog.facts["os_family"].text and a["text"] == "Windows")
    rule = default_catalog.rule("platform-windows")
    assert rule is not None
    assert windows["mitigation"] == rule.remediation
    assert "(rule platform-windows)" in windows["rationale"]
    assert all(q["answers"][-1]["risk"] == "unknown" for s in document["sections"] for q in s["questions"])


def test_export_never_writes_into_the_catalog_it_reads(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    before = (rules / "fit.yaml").read_text()
    for target in (rules / "fit.yaml", rules / "konveyor.yaml"):  # overwritten, or read as a rule file next time
        result = cli("export", "konveyor", "--rules", rules, "-o", target)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"{target}: is inside the catalog directory {rules}")
    assert (rules / "fit.yaml").read_text() == before and not (rules / "konveyor.yaml").exists()


def test_the_exported_catalog_scores_an_inventory(tmp_path: Path) -> None:
    out = tmp_path / "checklist.json"
    assert cli("export", "konveyor", "-o", out).exit_code == 0
    inventory = write_file(tmp_path / "inv.yaml", """\
        version: 1
        applications:
          - id: win
            questionnaires:
              - name: Docker transition checklist
                answers: {"6.2": windows}
            answers: {}
    """)
    result = cli("assess", inventory, "-f", "json", "--questionnaire", out)
    assert result.exit_code == 0, result.output
    [win] = json.loads(result.stdout)["applications"]
    [checklist] = win["questionnaires"]
    assert checklist["answered"] == 1
    assert [q["risk"] for q in checklist["questions"] if q["key"] == "6.2"] == ["red"]
    # One red answer in 50 questions is 2%, under the 5% red threshold; 49 unknown answers make it unknown.
    # Confidence: adj 0.5; c = 0.5 + 70 × 49 × 0.5 = 1715.5; 1715.5 / 5000 → 34.31 %.
    assert (win["konveyor_risk"], win["konveyor_confidence"]) == ("unknown", 34)


# --------------------------------------------------------------------------- importing Konveyor's application CSV

HEADER = ("Record Type 1,Application Name,Description,Comments,Business Service,Dependency,Dependency Direction,"
          "Binary Group,Binary Artifact,Binary Version,Binary Packaging,Repository Type,Repository URL,"
          "Repository Branch,Repository Path,Owner,Contributors,"
          + ",".join(f"Tag Category {i},Tag {i}" for i in range(1, 21)))
CSV = HEADER + """
1,Customers,Legacy customers,,Retail,,,corp.acme,customers,0.0.1,war,git,https://git/c.git,,,\
Jane Doe <jane@acme.com>,,Runtime,Tomcat,Language,Java
1,Gateway,API gateway,,Retail,Customers,southbound,,,,,,,,,,,Runtime,Spring Boot
1,gateway!,Same slug,,,,,,,,,,,,,,,
2,Inventory,,,,Gateway,NORTHBOUND
1,Inventory,Inventory service,,,,,,,,,,,,,,,Runtime,Quarkus,,,Database,PostgreSQL
"""


def test_konveyor_csv_becomes_an_inventory(tmp_path: Path) -> None:
    source = write_file(tmp_path / "apps.csv", CSV)
    out = tmp_path / "inventory.yaml"
    result = cli("import", "konveyor-csv", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert "'gateway!' would be 'gateway', which is taken: its id is 'gateway-2'" in result.output
    assert "4 applications, 2 dependencies" in result.output
    apps = {a["id"]: a for a in yaml.safe_load(out.read_text())["applications"]}
    assert list(apps) == ["customers", "gateway", "gateway-2", "inventory"]
    assert apps["customers"] == {"id": "customers", "name": "Customers", "owner": "Jane Doe",
                                 "tags": ["Runtime/Tomcat", "Language/Java"], "answers": {}}
    # southbound: Gateway calls Customers; northbound: Inventory is called by Gateway.
    assert apps["gateway"]["depends_on"] == ["customers", "inventory"]
    assert apps["inventory"]["tags"] == ["Runtime/Quarkus", "Database/PostgreSQL"]
    assert cli("validate", out).exit_code == 0
    scored = cli("assess", out, "-f", "json", "--questionnaire", SAMPLE)
    assert scored.exit_code == 0, scored.output
    gateway = next(a for a in json.loads(scored.stdout)["applications"] if a["id"] == "gateway")
    assert gateway["questionnaires"][0]["questions"][0]["answer"] == "Spring Boot"


@pytest.mark.parametrize("breaker", ["\n", "\r", "\u2028", "\x85"])
def test_a_line_break_in_the_csv_name_stays_out_of_the_inventory(tmp_path: Path, breaker: str) -> None:
    source = write_file(tmp_path / f"apps{breaker}applications: []{breaker}.csv", CSV)
    out = tmp_path / "inventory.yaml"
    result = cli("import", "konveyor-csv", source, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert len(yaml.safe_load(text)["applications"]) == 4
    # one comment line: the name's line break would have ended the comment
    assert text.startswith("# Imported from Konveyor's application CSV apps applications: [] .csv by")


def test_many_renamed_applications_are_summed_up_after_the_first_twenty(tmp_path: Path) -> None:
    # names in another script all slug to 'app': one line each would bury the summary
    rows = "".join(f"1,应用{chr(0x4E00 + i)},,,,,,,,,,,,,,,,\n" for i in range(25))
    source = write_file(tmp_path / "apps.csv", HEADER + "\n" + rows)
    result = cli("import", "konveyor-csv", source, "-o", tmp_path / "inventory.yaml")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len([line for line in lines if "which is taken" in line]) == 20
    assert "checklist: and 4 more applications whose id was taken got a number ('-2', '-3', …); " \
           "their names are kept" in lines
    assert lines[-1] == f"wrote {tmp_path / 'inventory.yaml'} (25 applications, 0 dependencies)"


def test_the_older_csv_layout_without_owner_columns() -> None:
    text = ("Record Type 1,Application Name,Description,Comments,Business Service,Dependency,Dependency Direction,"
            "Binary Group,Binary Artifact,Binary Version,Binary Packaging,Repository Type,Repository URL,"
            "Repository Branch,Repository Path,Tag Category 1,Tag 1\n"
            "1,Customers,,,,,,,,,,git,,,,Operating System,RHEL 8\n")
    imported = read_application_csv(text, "old.csv")
    assert imported.inventory["applications"][0]["tags"] == ["Operating System/RHEL 8"]


@pytest.mark.parametrize(("row", "column", "message"), [
    ("3,Odd", 1, "record type '3'"),
    ("2,Gateway,,,,Nowhere,southbound", 6, "no application 'Nowhere' in this file"),
    ("2,Gateway,,,,Customers,sideways", 7, "direction 'sideways'"),
    ("1,Customers,again,,,,,,,,,,,,,,", 2, "application 'Customers' is already defined on line 2"),
    ("1,Lonely,,,,,,,,,,,,,,,,,Spring Boot", 18, "tag 'Spring Boot' has no tag category"),
])
def test_csv_mistakes_name_their_line_and_column(tmp_path: Path, row: str, column: int, message: str) -> None:
    source = write_file(tmp_path / "apps.csv", HEADER + "\n1,Customers,,,,,,,,,,,,,,,\n1,Gateway,,,,,,,,,,,,,,,\n"
                        + row + "\n")
    result = cli("import", "konveyor-csv", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 2
    assert f"{source}:4:{column}:" in result.output, result.output
    assert message in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_csv_lines_count_the_lines_inside_quoted_cells(tmp_path: Path) -> None:
    # Konveyor descriptions and comments may span lines: the message names the line in the file.
    source = write_file(tmp_path / "apps.csv", HEADER + '\n1,Customers,"Serves\ncustomers\nand orders",,,,,,,,,,,,,,\n'
                        "1,Gateway,,,,Nowhere,southbound,,,,,,,,,,\n")
    result = cli("import", "konveyor-csv", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{source}:5:6: "), result.stderr


def test_a_csv_the_csv_module_cannot_read_is_one_located_error(tmp_path: Path) -> None:
    source = write_file(tmp_path / "apps.csv", HEADER + '\n1,Customers,"' + "x" * 200_000 + '",,,,,,,,,,,,,,\n')
    result = cli("import", "konveyor-csv", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{source}:2:1: invalid CSV: field larger than field limit"), result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_import_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    source = write_file(tmp_path / "apps.csv", CSV)
    out = write_file(tmp_path / "inventory.yaml", "version: 1\n")
    assert cli("import", "konveyor-csv", source, "-o", out).exit_code == 2
    assert out.read_text() == "version: 1\n"
    assert cli("import", "konveyor-csv", source, "-o", out, "--force").exit_code == 0


@pytest.mark.parametrize(("name", "expected"), [
    ("Customers", "customers"), ("API Gateway (v2)", "api-gateway-v2"), ("  --  ", "app"),
    ("Ünïcode", "unicode"), ("Zahlungsverkehr Über Ämter", "zahlungsverkehr-uber-amter"), ("日本語", "app"),
])
def test_slugs(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_validate_lists_every_problem_in_questionnaires_and_answers(tmp_path: Path) -> None:
    broken = write_file(tmp_path / "q.yaml", BROKEN)
    text = INVENTORY.replace('{"1.2": "no", "2.2": 1}', '{"1.2": maybe, "1.9": "no"}')
    inventory = write_file(tmp_path / "inv.yaml", text)
    result = cli("validate", inventory, "--questionnaire", SAMPLE, "--questionnaire", broken)
    assert result.exit_code == 2
    assert "autoAnswersFor" in result.output and "purple" in result.output
    fine = cli("validate", inventory, "--questionnaire", SAMPLE)
    assert fine.exit_code == 2
    assert "'maybe' is not an answer" in fine.output and "no question '1.9'" in fine.output
    assert "2 problems found" in fine.output
    ok = cli("validate", write_file(tmp_path / "ok.yaml", INVENTORY), "--questionnaire", SAMPLE)
    assert ok.exit_code == 0, ok.output
    assert "ok (Konveyor questionnaire 'Cloud Native')" in ok.output


def test_validate_does_not_call_an_inventory_ok_whose_answers_it_could_not_check(tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inv.yaml", INVENTORY.replace('"1.2": "no"', '"1.2": maybe'))
    result = cli("validate", inventory, "--questionnaire", write_file(tmp_path / "q.yaml", BROKEN))
    assert result.exit_code == 2
    assert "ok" not in result.stdout


def test_a_questionnaire_name_is_used_once(tmp_path: Path) -> None:
    copy = write_file(tmp_path / "copy.yaml", SAMPLE.read_text())
    with pytest.raises(ChecklistError) as caught:
        load_questionnaires([SAMPLE, copy])
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (str(copy), 1, "name")
    assert f"'Cloud Native' is already defined at {SAMPLE}:1" in problem.message


def test_the_table_with_konveyor_keeps_ids_blockers_and_its_column_whole(tmp_path: Path) -> None:
    """With the Konveyor column the table is wider; ids of up to 24 characters (what
    `explain --app` takes), the blocker ids and the Konveyor column itself must all fit."""
    sample = yaml.safe_load((REPO / "samples" / "portfolio.yaml").read_text(encoding="utf-8"))
    renamed = {"code-runner": "customer-code-runner-v2x", "label-gateway": "warehouse-label-gateway-eu-west"}
    for entry in sample["applications"]:
        entry["id"] = renamed.get(entry["id"], entry["id"])
        entry.pop("depends_on", None)
    inventory = write_file(tmp_path / "long-ids.yaml", yaml.safe_dump(sample, sort_keys=False))
    result = cli("assess", inventory, "--questionnaire", SAMPLE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.split()[-1:] == ["Konveyor"] for line in lines)  # the header, whole
    first_cells = {line.split()[0] for line in lines if line.strip()}
    assert {e["id"] for e in sample["applications"] if len(e["id"]) <= 24} <= first_cells
    words = set(result.stdout.split())
    assert {"iso-untrusted-multitenant", "platform-license-dongle", "platform-vendor-support"} <= words
    assert sum("conf. " in line for line in lines) == len(sample["applications"])


def test_text_fields_keep_yes_and_no_as_konveyor_reads_them(tmp_path: Path) -> None:
    from checklist.interop.konveyor.loader import load_questionnaires

    path = tmp_path / "real.yaml"
    path.write_text("""\
name: Real
description: written by hand, answers unquoted
sections:
  - order: 1
    name: Application details
    questions:
      - order: 1
        text: Does the application run on Linux?
        explanation: Yes  # a comment stays out
        answers:
          - {order: 1, text: Yes, risk: green}
          - order: 2
            text: No
            risk: red
          - order: 3
            text: 1.5
            risk: yellow
thresholds: {red: 5, yellow: 10, unknown: 15}
riskMessages: {red: "", yellow: "", green: "", unknown: ""}
""")
    (questionnaire,) = load_questionnaires([path])
    (question,) = questionnaire.sections[0].questions
    assert [a.text for a in question.answers] == ["Yes", "No", "1.5"]  # as written, not true/false/1.5 as a number
    assert question.explanation == "Yes"
    assert questionnaire.thresholds.red == 5  # numbers where Konveyor has numbers

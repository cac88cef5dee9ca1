"""`checklist scan`: what a user sees from a source tree, the inventory it writes into, and a
tree that tries to hurt it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import write_file
from typer.testing import CliRunner

from checklist.cli import app
from checklist.core.model import Catalog
from checklist.discover import scan_paths
from checklist.discover.detectors import load_detectors
from checklist.io.inventory import load_inventory
from checklist.io.tree import TreeLimits

POM = """\
<project>
  <dependencies>
    <!-- <dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId></dependency> -->
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
  </dependencies>
</project>
"""


def tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        write_file(root / name, content)
    return root


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def scan_json(*args: str) -> dict[str, Any]:
    result = run("scan", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document["applications"][0]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return tree(tmp_path / "shop", {
        "pom.xml": POM,
        "src/main/resources/logback.xml": '<configuration>\n  <appender name="F" '
                                          'class="ch.qos.logback.core.FileAppender"/>\n</configuration>\n',
        "src/main/java/Jobs.java": "class Jobs {\n  @Scheduled(cron = \"0 0 * * * *\")\n  void run() {}\n}\n",
        "Dockerfile": "FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
    })


def test_answers_come_with_the_file_and_line_that_show_them(shop: Path) -> None:
    found = scan_json(str(shop))
    assert found["id"] == "shop"
    assert found["answers"]["runtime"] == "java"
    assert found["answers"]["scheduled_jobs"] == "in_app_scheduler"
    assert found["answers"]["logging_target"] == "local_files"
    assert found["answers"]["runs_as_root"] is True
    jobs = found["evidence"]["scheduled_jobs"][0]
    assert (jobs["file"], jobs["line"], jobs["text"]) == ("src/main/java/Jobs.java", 2,
                                                          '@Scheduled(cron = "0 0 * * * *")')
    # the H2 dependency is commented out: no embedded database
    assert found["answers"]["state_location"] == ["external_services"]


def test_no_evidence_means_no_answer(tmp_path: Path) -> None:
    found = scan_json(str(tree(tmp_path / "empty", {"README.md": "A Java app using Quartz and Redis.\n"})))
    assert found["answers"] == {} and found["evidence"] == {}
    assert "no evidence found" in run("scan", str(tmp_path / "empty")).stdout


def test_evidence_that_disagrees_leaves_the_answer_unknown_and_says_so(tmp_path: Path) -> None:
    root = tree(tmp_path / "two", {"pom.xml": "<project/>", "go.mod": "module x\n"})
    found = scan_json(str(root))
    assert "runtime" not in found["answers"] and found["undecided"] == ["runtime"]
    assert {e["value"] for e in found["evidence"]["runtime"]} == {"java", "go"}
    table = run("scan", str(root), "--app", "two").stdout
    assert "undecided" in table and "also found" in table


def test_stronger_evidence_wins_and_the_weaker_is_shown(shop: Path) -> None:
    # Spring Boot logs to the console by default (weak); the file appender is strong
    write_file(shop / "pom.xml", POM.replace("</dependencies>", "<dependency><groupId>org.springframework.boot"
                                                               "</groupId><artifactId>spring-boot-starter"
                                                               "</artifactId></dependency></dependencies>"))
    found = scan_json(str(shop))
    assert found["answers"]["logging_target"] == "local_files"
    assert [e["value"] for e in found["evidence"]["logging_target"]] == ["local_files", "stdout"]


def test_tests_vendored_code_and_ignored_files_are_not_evidence(tmp_path: Path) -> None:
    root = tree(tmp_path / "app", {
        "package.json": '{"dependencies": {"express": "4"}}',
        "src/test/java/ReportTest.java": "class T { @Scheduled(cron = \"x\") void t() {} }\n",
        "node_modules/prom-client/package.json": '{"name": "prom-client"}',
        "vendor/lib/app.py": "import tkinter\n",
        "generated/Jobs.java": "class J { @Scheduled(cron = \"x\") void t() {} }\n",
        ".gitignore": "generated/\n",
    })
    found = scan_json(str(root))
    assert "scheduled_jobs" not in found["answers"]  # a test, and a directory .gitignore names
    assert "metrics" not in found["answers"]  # node_modules
    assert found["answers"]["desktop_gui"] is False  # express says so; vendored tkinter is not the app
    assert found["files"]["ignored"] >= 3


def test_nothing_in_the_tree_is_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    root = tree(tmp_path / "evil", {
        "setup.py": f"open({str(marker)!r}, 'w').write('x')\ninstall_requires = ['flask']\n",
        "build.gradle": f"new File('{marker}').text = 'x'\n",
        ".git/config": f"[core]\n\tfsmonitor = touch {marker}\n",
    })
    assert run("scan", str(root)).exit_code == 0
    assert not marker.exists()


def test_links_never_lead_out_of_the_tree(tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"pom.xml": "<project/>", "go.mod": "module secret\n"})
    root = tree(tmp_path / "app", {"package.json": "{}"})
    os.symlink(outside / "go.mod", root / "go.mod")
    os.symlink(outside, root / "linked")
    os.symlink(root, root / "loop")
    found = scan_json(str(root))
    assert found["answers"]["runtime"] == "nodejs"
    assert all(e["file"] == "package.json" for e in found["evidence"]["runtime"])
    assert found["files"]["links_out"] == 3  # the file out of the tree, and both links to directories


def test_large_binary_and_oddly_encoded_files(tmp_path: Path) -> None:
    root = tree(tmp_path / "app", {
        "big/Jobs.java": "@Scheduled(cron = \"x\")\n" + "//" + "x" * 2_000_000 + "\n",
        "Logo.java": b"\x00\x01@Scheduled(cron = \"x\")",
        "Program.cs": "using System.Windows.Forms;\n".encode("utf-16"),
        "Latin.java": "// caf\xe9\nclass L { String s = System.getenv(\"X\"); }\n".encode("latin-1"),
    })
    found = scan_json(str(root))
    assert "scheduled_jobs" not in found["answers"]  # over the size limit, and binary
    assert found["answers"]["desktop_gui"] is True  # UTF-16 with a BOM is read
    assert found["answers"]["config_source"] == ["environment"]  # bad bytes are replaced, not fatal
    assert found["files"]["too_big"] == 1


def test_hostile_file_names_are_shown_cleaned(tmp_path: Path) -> None:
    root = tmp_path / "app"
    root.mkdir()
    name = b"evil\x1b[2Jname\xff"  # an escape sequence and a byte that is not UTF-8
    (Path(os.fsdecode(bytes(root) + b"/" + name))).mkdir()
    (Path(os.fsdecode(bytes(root) + b"/" + name)) / "crontab").write_text("0 2 * * * /bin/true\n")
    result = run("scan", str(root))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "host_cron" in result.stdout


def test_a_path_that_is_not_a_directory_is_one_clear_line(tmp_path: Path) -> None:
    write_file(tmp_path / "file.txt", "x")
    result = run("scan", str(tmp_path / "file.txt"))
    assert result.exit_code == 2 and "expected a directory" in result.output
    result = run("scan", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "not found" in result.output
    result = run("scan", str(tmp_path), str(tmp_path), "--app", "x")
    assert result.exit_code == 2 and "one PATH" in result.output


def test_yaml_output_is_an_inventory(shop: Path, tmp_path: Path, default_catalog: Catalog) -> None:
    out = tmp_path / "found.yaml"
    assert run("scan", str(shop), "--app", "shop", "-f", "yaml", "-o", str(out)).exit_code == 0
    inventory = load_inventory([str(out)], default_catalog)
    shop_app = inventory.application("shop")
    assert shop_app is not None and shop_app.known["runtime"] == "java" and shop_app.is_discovered("runtime")
    assessed = json.loads(run("assess", str(out), "-f", "json").stdout)["applications"][0]
    assert assessed["discovered"]["runtime"]["evidence"][0]["file"] == "pom.xml"


INVENTORY = """\
# Our portfolio (kept as written)
version: 1
organization:
  name: Acme
applications:
  - id: shop   # the web shop
    answers:
      logging_target: stdout   # we checked
  - id: other
    answers: {}
"""


def test_into_keeps_a_persons_answers_and_comments(shop: Path, tmp_path: Path, default_catalog: Catalog) -> None:
    inventory = write_file(tmp_path / "inventory.yaml", INVENTORY)
    result = run("scan", str(shop), "--app", "shop", "--into", str(inventory))
    assert result.exit_code == 0, result.output
    text = inventory.read_text()
    assert text.startswith("# Our portfolio (kept as written)") and "# the web shop" in text and "# we checked" in text
    data = yaml.safe_load(text)
    entry = data["applications"][0]
    assert entry["answers"] == {"logging_target": "stdout"}
    assert entry["discovered"]["logging_target"]["value"] == "local_files"
    assert entry["discovered"]["runtime"]["evidence"][0]["detector"] == "runtime-java-build"
    assert "logging_target is answered stdout by a person; the scan found local_files" in result.stderr
    app_ = load_inventory([str(inventory)], default_catalog).application("shop")
    assert app_ is not None
    assert app_.known["logging_target"] == "stdout" and not app_.is_discovered("logging_target")
    assert app_.known["runtime"] == "java" and app_.is_discovered("runtime")


def test_a_rescan_updates_only_discovered_answers(shop: Path, tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inventory.yaml", INVENTORY)
    run("scan", str(shop), "--app", "shop", "--into", str(inventory))
    once = inventory.read_text()
    assert run("scan", str(shop), "--app", "shop", "--into", str(inventory)).exit_code == 0
    assert inventory.read_text() == once
    (shop / "src/main/java/Jobs.java").unlink()
    run("scan", str(shop), "--app", "shop", "--into", str(inventory))
    entry = yaml.safe_load(inventory.read_text())["applications"][0]
    assert "scheduled_jobs" not in entry["discovered"] and entry["answers"] == {"logging_target": "stdout"}


def test_into_adds_a_missing_application_and_refuses_a_broken_inventory(shop: Path, tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inventory.yaml", INVENTORY)
    assert run("scan", str(shop), "--app", "new-shop", "--into", str(inventory)).exit_code == 0
    assert [a["id"] for a in yaml.safe_load(inventory.read_text())["applications"]] == ["shop", "other", "new-shop"]
    broken = write_file(tmp_path / "broken.yaml", "applications:\n  - id: x\n    answers: {runtime: cobolt}\n")
    before = broken.read_text()
    result = run("scan", str(shop), "--app", "x", "--into", str(broken))
    assert result.exit_code == 2 and "broken.yaml:3" in result.output and broken.read_text() == before


def test_output_never_overwrites_the_inventory(shop: Path, tmp_path: Path) -> None:
    inventory = write_file(tmp_path / "inventory.yaml", INVENTORY)
    result = run("scan", str(shop), "--into", str(inventory), "-o", str(inventory), "-f", "yaml")
    assert result.exit_code == 2 and "input" in result.output
    assert inventory.read_text() == INVENTORY


def test_a_scan_of_many_trees_names_each_after_its_directory(tmp_path: Path, default_catalog: Catalog) -> None:
    one = tree(tmp_path / "Billing API", {"go.mod": "module billing\n"})
    two = tree(tmp_path / "orders", {"Gemfile": "gem 'rails'\n"})
    scans = scan_paths([("billing-api", one), ("orders", two)], load_detectors(default_catalog), default_catalog,
                       TreeLimits())
    assert [s.answers()["runtime"] for s in scans] == ["go", "ruby"]
    result = json.loads(run("scan", str(one), str(two), "-f", "json").stdout)
    assert [a["id"] for a in result["applications"]] == ["billing-api", "orders"]


def test_the_interview_offers_what_a_scan_found_and_a_confirmation_makes_it_a_persons(
        shop: Path, tmp_path: Path) -> None:
    from prompt_toolkit.input import create_pipe_input
    from scripted import Scripted

    from checklist.commands import interview

    inventory = write_file(tmp_path / "inventory.yaml", INVENTORY)
    run("scan", str(shop), "--app", "shop", "--into", str(inventory))
    with create_pipe_input() as pipe:
        prompter = Scripted(pipe)
        defaults: dict[str, Any] = {}
        ask = prompter.ask_fact

        def remember(fact: Any, default: Any, progress: str) -> Any:
            defaults[fact.id] = default
            return ask(fact, default, progress)

        prompter.ask_fact = remember  # type: ignore[method-assign]
        assert interview.run(interview.Options(str(inventory), "shop", only_missing=True), prompter=prompter) == 0
    shown = prompter.out.getvalue()
    assert defaults["runtime"] == "java" and defaults["scheduled_jobs"] == "in_app_scheduler"
    assert "found in src/main/java/Jobs.java:2" in shown
    assert "logging_target" not in prompter.asked  # a person's answer is not asked again
    entry = yaml.safe_load(inventory.read_text())["applications"][0]
    assert entry["answers"]["runtime"] == "java" and entry["answers"]["logging_target"] == "stdout"


def test_into_a_new_file_starts_an_inventory(shop: Path, tmp_path: Path, default_catalog: Catalog) -> None:
    inventory = tmp_path / "new.yaml"
    assert run("scan", str(shop), "--app", "shop", "--into", str(inventory)).exit_code == 0
    app_ = load_inventory([str(inventory)], default_catalog).application("shop")
    assert app_ is not None and app_.answers == {} and app_.known["runtime"] == "java"


def test_the_quality_benchmark_counts_multi_answers_value_by_value_and_absences_against_precision() -> None:
    import importlib.util

    from helpers import REPO

    spec = importlib.util.spec_from_file_location("scan_quality", REPO / "bench" / "scan_quality.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    apps = [{"id": "a", "expected": {"runtime": "java", "state_location": ["local_disk", "external_services"]},
             "absent": {"scheduled_jobs": "none"}}]
    found = {"a": {"runtime": "java", "state_location": ["local_disk", "embedded_database"],
                   "scheduled_jobs": "host_cron", "metrics": "basic"}}
    per_fact, mistakes = bench.score(apps, found)
    assert (per_fact["runtime"]["right"], per_fact["runtime"]["answered"]) == (1, 1)
    assert dict(per_fact["state_location"]) == {"answered": 2, "right": 1, "expected": 2, "found": 1}
    assert (per_fact["scheduled_jobs"]["answered"], per_fact["scheduled_jobs"]["right"]) == (1, 0)
    assert "metrics" not in per_fact  # not labelled: not scored
    assert len(mistakes) == 2


MONOREPO = {
    "src/cart/go.mod": "module cart\n\ngo 1.22\n",
    "src/cart/Dockerfile": "FROM golang:1.22 AS build\nRUN go build -o /cart .\nFROM debian:12-slim\n"
                           "COPY --from=build /cart /cart\nENTRYPOINT [\"/cart\"]\n",
    "deploy/cart.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n"
                        "    spec:\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n"
                        "      containers:\n      - name: server\n        image: registry.example.com/shop/cart:1.4\n"
                        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  sessionAffinity: None\n",
    # another service's object in the same repository says nothing about the cart
    "deploy/admin.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: admin\nspec:\n  template:\n"
                         "    spec:\n      securityContext:\n        runAsUser: 0\n      containers:\n"
                         "      - name: admin\n        image: registry.example.com/shop/admin:2.0\n        env:\n"
                         "        - name: CART_URL\n          value: http://cart:8080\n",
}


def test_a_service_in_a_checkout_is_read_with_the_deployment_files_at_its_top(tmp_path: Path) -> None:
    repo = tree(tmp_path / "shop", MONOREPO)
    (repo / ".git").mkdir()
    found = scan_json(str(repo / "src/cart"), "--app", "cart")
    assert found["answers"]["runs_as_root"] is False, "the Deployment runs the cart as user 1000"
    first = found["evidence"]["runs_as_root"][0]
    assert (first["file"], first["line"]) == ("../../deploy/cart.yaml", 9)
    assert [e.get("value") for e in found["evidence"]["runs_as_root"]][-1] is True, "the Dockerfile's root is shown"
    assert not any("admin" in e["file"] for facts in found["evidence"].values() for e in facts)


def test_a_compose_service_built_from_the_tree_describes_it_whatever_its_name(tmp_path: Path) -> None:
    repo = tree(tmp_path / "shop", {**MONOREPO, "deploy/cart.yaml": "",
                                    "compose.yaml": "services:\n  basket:\n    build: ./src/cart\n    user: \"1000\"\n"
                                                    "  admin:\n    build: ./src/admin\n    user: root\n"})
    (repo / ".git").mkdir()
    found = scan_json(str(repo / "src/cart"), "--app", "cart")
    assert found["answers"]["runs_as_root"] is False
    assert found["evidence"]["runs_as_root"][0]["file"] == "../../compose.yaml"


def test_the_tree_s_own_manifests_are_read_once(tmp_path: Path) -> None:
    repo = tree(tmp_path / "shop", {**MONOREPO, "src/cart/k8s/cart.yaml": MONOREPO["deploy/cart.yaml"]})
    (repo / ".git").mkdir()
    places = [(e["file"], e.get("line")) for e in scan_json(str(repo / "src/cart"), "--app", "cart")["evidence"]
              ["runs_as_root"]]
    assert len(places) == len(set(places)) and ("k8s/cart.yaml", 9) in places


def test_without_a_checkout_around_it_a_tree_is_read_alone(tmp_path: Path) -> None:
    repo = tree(tmp_path / "shop", MONOREPO)
    found = scan_json(str(repo / "src/cart"), "--app", "cart")
    assert found["answers"]["runs_as_root"] is True, "the image sets no USER and nothing else is known"
    assert all(not e["file"].startswith("..") for facts in found["evidence"].values() for e in facts)


def test_on_a_narrow_terminal_each_answer_has_its_evidence_on_the_line_under_it(
        shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("checklist.cli._width", lambda: 80)  # a terminal of 80 columns
    result = run("scan", str(shop), "--app", "shop")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    at = lines.index("  scheduled_jobs = in_app_scheduler  strong")
    assert lines[at + 1] == '      src/main/java/Jobs.java:2 — @Scheduled(cron = "0 0 * * * *")'
    monkeypatch.setattr("checklist.cli._width", lambda: 120)
    wide = run("scan", str(shop), "--app", "shop").output
    assert "Question" in wide and "scheduled_jobs = " not in wide, "a wide terminal keeps the table"

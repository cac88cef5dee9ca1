"""`checklist scan ARCHIVE`: the archives of `checklist collect` (hand-made from five
distributions, and one collected for real on this machine) turned into proposed answers with
their evidence, compared with what a person (or the test itself) reads in them."""

from __future__ import annotations

import io
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO
from typer.testing import CliRunner

from checklist.cli import app
from checklist.io import archive as archive_module

COLLECT = REPO / "tests" / "data" / "collect"
SYSTEMS = sorted(p.name for p in COLLECT.iterdir() if p.is_dir())


def scan(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["scan", *args])
    return result.exit_code, result.output


def scan_json(*args: str) -> dict[str, Any]:
    code, output = scan(*args, "--format", "json", "--quiet")
    assert code == 0, output
    document: dict[str, Any] = json.loads(output)["applications"][0]
    return document


def pack(directory: Path, into: Path) -> Path:
    """The directory as the script writes it: one .tar.gz of one directory."""
    out = into / f"{directory.name}.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(directory, arcname=f"checklist-collect-{directory.name}")
    return out


def test_there_are_five_systems_with_their_expected_answers() -> None:
    assert len(SYSTEMS) >= 5
    assert all((COLLECT / name / "expected.yaml").is_file() for name in SYSTEMS)


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_expected_answer_is_found_and_nothing_contradicts_it(system: str) -> None:
    expected = yaml.safe_load((COLLECT / system / "expected.yaml").read_text(encoding="utf-8"))
    found = scan_json(str(COLLECT / system), "--app", "app", "--footprint")
    answers = found["answers"]
    for fact, value in expected["answers"].items():
        assert fact in answers, f"{system}: {fact} not found"
        if isinstance(value, list):
            assert set(value) <= set(answers[fact]), (system, fact, answers[fact])
        else:
            assert answers[fact] == value, (system, fact, found["evidence"][fact])
    for fact, why in expected.get("unknown", {}).items():
        assert fact not in answers, f"{system}: {fact} proposed although {why}: {found['evidence'][fact]}"
    assert found["undecided"] == []
    for fact, value in expected.get("footprint", {}).items():
        assert found["footprint"][fact] == value
    # evidence is `command: line`, each line as the archive holds it
    for entries in found["evidence"].values():
        for entry in entries:
            assert entry["file"] and entry["text"]


def test_the_packed_archive_gives_what_the_directory_gives(tmp_path: Path) -> None:
    directory = COLLECT / "rhel7-billing"
    packed = pack(directory, tmp_path)
    assert scan_json(str(packed), "--app", "billing") | {"path": ""} == \
        scan_json(str(directory), "--app", "billing") | {"path": ""}


def test_the_evidence_names_the_command_and_its_line() -> None:
    found = scan_json(str(COLLECT / "rhel7-billing"), "--app", "billing")
    cron = found["evidence"]["scheduled_jobs"][0]
    assert (cron["file"], cron["text"]) == (
        "cat /var/spool/cron/billing",
        "30 1 * * * /opt/billing/bin/run-invoices.sh >> /var/log/billing/invoices-cron.log 2>&1")
    root = found["evidence"]["runs_as_root"][0]
    assert root["file"] == "netstat -lntup" and root["text"].endswith("2231/java (user root)")
    code, table = scan(str(COLLECT / "rhel7-billing"), "--app", "billing")
    assert code == 0 and "cat /var/spool/cron/billing — 30 1 * * *" in table


def test_a_source_tree_and_an_archive_make_one_application_and_show_where_they_disagree(tmp_path: Path) -> None:
    source = tmp_path / "billing"
    source.mkdir()
    (source / "Dockerfile").write_text('FROM eclipse-temurin:8-jre\nUSER billing\nCMD ["java", "-jar", "app.jar"]\n')
    found = scan_json(str(source), str(COLLECT / "rhel7-billing"), "--app", "billing")
    assert found["id"] == "billing"
    assert found["answers"]["runs_as_root"] is True  # the VM shows java as root on 443
    sides = {(e["file"], e["value"]) for e in found["evidence"]["runs_as_root"]}
    assert ("Dockerfile", False) in sides
    assert ("netstat -lntup", True) in sides
    code, table = scan(str(source), str(COLLECT / "rhel7-billing"), "--app", "billing")
    assert code == 0 and "also found: false" in table


def test_into_stores_the_answers_and_the_measured_footprint_keeping_a_persons(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text("version: 1\napplications:\n  - id: paygw\n    # three of them behind the balancer\n"
                         "    footprint: {vm_count: 3, vcpu: 2}\n    answers:\n      runtime: java\n"
                         "      runs_as_root: true\n", encoding="utf-8")
    code, output = scan(str(COLLECT / "sles15-cluster-smartcard"), "--app", "paygw", "--into", str(inventory),
                        "--footprint", "--quiet")
    assert code == 0, output
    text = inventory.read_text(encoding="utf-8")
    data = yaml.safe_load(text)["applications"][0]
    assert data["footprint"] == {"vm_count": 3, "vcpu": 8, "memory_gb": 15.6, "disk_gb": 40.5}
    assert data["answers"] == {"runtime": "java", "runs_as_root": True}, "a person's answers are kept"
    assert data["discovered"]["network_needs"]["value"] == ["multicast"]
    assert data["discovered"]["network_needs"]["evidence"][0]["file"] == "ip maddr"
    assert "# three of them behind the balancer" in text
    assert "runs_as_root is answered true by a person; the scan found false" in output


def test_without_app_each_archive_is_the_application_named_after_its_host(tmp_path: Path) -> None:
    code, output = scan(str(pack(COLLECT / "rhel7-billing", tmp_path)), str(COLLECT / "sles15-cluster-smartcard"),
                        "--format", "json", "--quiet")
    assert code == 0, output
    found = {a["id"]: a["answers"]["runtime"] for a in json.loads(output)["applications"]}
    assert found == {"billing-app01": "java", "pay-gw-1": "java"}


def test_several_vms_of_one_application_are_one_answer_and_the_largest_vm(tmp_path: Path) -> None:
    found = scan_json(str(COLLECT / "rhel7-billing"), str(pack(COLLECT / "sles15-cluster-smartcard", tmp_path)),
                      "--app", "billing", "--footprint")
    assert found["footprint"] == {"vcpu": 8, "memory_gb": 15.6, "disk_gb": 150.9}  # per VM, as the inventory's is
    assert found["answers"]["network_needs"] == ["multicast", "privileged_ports"]
    assert found["answers"]["runs_as_root"] is True and found["evidence"]["runs_as_root"][-1]["value"] is False
    code, output = scan(str(COLLECT / "rhel7-billing"), "--app", "billing", "--footprint", "--format", "yaml")
    assert code == 0 and yaml.safe_load(output)["applications"][0]["footprint"]["vcpu"] == 4


def test_what_the_script_could_not_read_is_said() -> None:
    found = scan_json(str(COLLECT / "sles15-cluster-smartcard"), "--app", "paygw")
    assert found["not_readable_on_host"] == ["/var/spool/cron/lastrun", "/var/spool/cron/tabs"]
    code, table = scan(str(COLLECT / "sles15-cluster-smartcard"), "--app", "paygw")
    assert code == 0
    assert "not readable on the VM, so not known: /var/spool/cron/lastrun, /var/spool/cron/tabs" in table


def test_footprint_needs_an_archive(tmp_path: Path) -> None:
    code, output = scan(str(tmp_path), "--footprint")
    assert code == 2 and "--footprint" in output


def _tar(tmp_path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            info.size = len(data) if info.isfile() else 0
            tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return path


def _file(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


MANIFEST = b"# checklist collect 1\nhost: x\n"


@pytest.mark.parametrize(("members", "message"), [
    ([(_file("c/manifest.txt"), MANIFEST), (_file("c/../../../tmp/evil.txt"), b"x")], "outside the archive"),
    ([(_file("/etc/cron.d/evil.txt"), b"x")], "outside the archive"),
    ([(_file("c/manifest.txt"), MANIFEST), (tarfile.TarInfo("c/link.txt"), b"")], "a link or device"),
    ([(_file("c/system.txt"), b"# command: uname -srm\nLinux\n")], "not an archive of `checklist collect`"),
])
def test_a_hostile_or_foreign_archive_is_refused_with_a_located_line(tmp_path: Path, members: list[Any],
                                                                    message: str) -> None:
    for info, _ in members:
        if info.name == "c/link.txt":
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/shadow"
    path = _tar(tmp_path, members)
    code, output = scan(str(path), "--app", "x")
    assert code == 2
    assert output.startswith(str(path)) and message in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_a_source_tree_with_a_manifest_of_its_own_is_still_a_source_tree(tmp_path: Path) -> None:
    tree = tmp_path / "shop"
    tree.mkdir()
    (tree / "manifest.txt").write_text("files shipped in the release\n")
    (tree / "Dockerfile").write_text("FROM node:20\nUSER node\n")
    assert scan_json(str(tree))["answers"]["runs_as_root"] is False


def test_escape_sequences_in_an_archive_never_reach_the_terminal(tmp_path: Path) -> None:
    directory = tmp_path / "extracted"
    directory.mkdir()
    (directory / "manifest.txt").write_bytes(MANIFEST)
    (directory / "cron.txt").write_text("# command: cat_files /var/spool/cron/app\n# file: /var/spool/cron/app\n"
                                        "30 1 * * * /opt/app/run.sh \x1b]0;owned\x07\x1b[2J\n")
    code, output = scan(str(directory), "--app", "x")
    assert code == 0 and "\x1b" not in output and "\x07" not in output
    assert "/opt/app/run.sh" in output


def test_a_broken_archive_is_one_located_line(tmp_path: Path) -> None:
    whole = pack(COLLECT / "debian12-php-drbd", tmp_path).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    code, output = scan(str(cut), "--app", "x")
    assert code == 2 and output.startswith(f"{cut}: not a readable .tar.gz archive")


def test_an_oversized_member_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_module, "MAX_FILE", 1000)
    path = _tar(tmp_path, [(_file("c/manifest.txt"), MANIFEST), (_file("c/processes.txt"), b"root 1 0 init\n" * 100)])
    code, output = scan(str(path), "--app", "x")
    assert code == 2 and "c/processes.txt: over the size limit" in output


def test_a_link_in_an_extracted_archive_is_not_followed(tmp_path: Path) -> None:
    directory = tmp_path / "extracted"
    directory.mkdir()
    (directory / "manifest.txt").write_bytes(MANIFEST)
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("# command: ps -eo user=,pid=,ppid=,comm=\nroot 1 0 java\n")
    (directory / "processes.txt").symlink_to(secret)
    found = scan_json(str(directory), "--app", "x")
    assert found["answers"] == {}


# ---------------------------------------------------------------- on this machine, for real


def _privileged_port() -> tuple[socket.socket, int] | None:
    for port in range(900, 1000):
        sock = socket.socket()
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            sock.close()
            continue
        return sock, port
    return None


def test_this_machine_scanned_as_the_test_reads_it(tmp_path: Path) -> None:
    """The real script on this machine, with crontabs planted in a spool through the path
    override (the rest of the root points at the real /proc, /sys and /dev), and a listener the
    test opens itself; the proposals are checked against what the test reads independently."""
    script = tmp_path / "collect.sh"
    assert CliRunner().invoke(app, ["collect", "--script", "-o", str(script)]).exit_code == 0
    root = tmp_path / "root"
    for name in ("proc", "sys", "dev"):
        root.mkdir(exist_ok=True)
        (root / name).symlink_to(f"/{name}")
    (root / "etc").mkdir()
    if Path("/etc/os-release").exists():
        (root / "etc/os-release").write_text(Path("/etc/os-release").read_text())
    (root / "var/spool/cron/crontabs").mkdir(parents=True)
    planted = "15 2 * * * /opt/billing/bin/nightly-invoices"
    (root / "var/spool/cron/crontabs/billing").write_text(f"# invoices\n{planted}\n")
    (root / "etc/cron.d").mkdir()
    (root / "etc/cron.d/0hourly").write_text("01 * * * * root run-parts /etc/cron.hourly\n")

    as_root = os.geteuid() == 0
    held = _privileged_port() if as_root else None
    assert held is not None or not as_root, "as root, a port below 1024 is free to bind"
    if held:
        held[0].close()  # free again for the listener
    # a program of its own listens: python, run by this test (as root when the test is)
    listener = subprocess.Popen([sys.executable, "-c", "import socket,sys,time\ns=socket.socket()\n"
                                 "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                                 "s.bind(('0.0.0.0', int(sys.argv[1])))\ns.listen()\nprint('up', flush=True)\n"
                                 "time.sleep(120)", str(held[1] if held else 0)], stdout=subprocess.PIPE, text=True)
    try:
        assert listener.stdout is not None and listener.stdout.readline().strip() == "up"
        out = tmp_path / "out"
        out.mkdir()
        done = subprocess.run(["sh", str(script), "-o", str(out)], capture_output=True, text=True, timeout=180,
                              env={**os.environ, "CHECKLIST_COLLECT_ROOT": str(root)})
        assert done.returncode == 0, done.stderr
    finally:
        listener.kill()
        listener.wait()
    archive = Path(done.stdout.strip())
    found = scan_json(str(archive), "--app", "this-vm", "--footprint")
    answers, evidence = found["answers"], found["evidence"]

    # the kernel
    uname = platform.uname()
    assert answers["os_family"] == "linux"
    assert evidence["os_family"][0]["text"] == f"{uname.system} {uname.release} {uname.machine}"
    # the modules: proposed exactly when /proc/modules shows one built outside the kernel
    modules = Path("/proc/modules").read_text().splitlines() if Path("/proc/modules").exists() else []
    outside = {line.split()[0] for line in modules if re.search(r"\([A-Z]*O[A-Z]*\)\s*$", line)}
    module_evidence = {e["text"].split()[0] for e in evidence.get("kernel_dependencies", [])
                       if e["detector"] == "host-kernel-module-out-of-tree"}
    assert ("kernel_modules" in answers.get("kernel_dependencies", [])) == bool(outside)
    assert module_evidence <= outside
    # the planted crontab, and not the distribution's run-parts line
    assert answers["scheduled_jobs"] == "host_cron"
    cron = [(e["file"], e["text"]) for e in evidence["scheduled_jobs"]]
    assert ("cat /var/spool/cron/crontabs/billing", planted) in cron
    assert not any("run-parts" in text for _, text in cron)
    # the listener the test opened
    if held:
        port = held[1]
        ports = [e["text"] for e in evidence["network_needs"] if e["detector"] == "host-privileged-port"]
        assert any(f":{port} " in text for text in ports), ports
        assert answers["runs_as_root"] is True
        assert any(f":{port} " in e["text"] and e["text"].endswith("(user root)") for e in evidence["runs_as_root"])
    else:
        assert "privileged_ports" not in answers.get("network_needs", [])
    # as root, nothing was closed to it: not even the spool directories its globs match
    assert "not_readable_on_host" not in found
    # the footprint, read independently
    assert found["footprint"]["vcpu"] in (os.cpu_count(), len(os.sched_getaffinity(0)))
    meminfo = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    assert meminfo and found["footprint"]["memory_gb"] == round(int(meminfo.group(1)) / 2**20, 1)


def test_garbled_outputs_never_break_the_reading() -> None:
    """Lines of every archive cut, shuffled and mixed with odd characters: records are read or
    left out, never an exception."""
    import random

    from checklist.discover.host import footprint, records

    rng = random.Random(24)
    pieces = [line for system in SYSTEMS for f in (COLLECT / system).glob("*.txt")
              for line in f.read_text(encoding="utf-8").splitlines()]
    odd = ["²", "٣", ":", "::", "0A", "/dev/", "users:((\"", "pid=", "ffff", "# file: ", "# command: ", "\x00", "é"]
    names = sorted({f.name for system in SYSTEMS for f in (COLLECT / system).glob("*.txt")})
    for _ in range(300):
        files = {}
        for name in names:
            lines = []
            for _ in range(rng.randint(0, 12)):
                words = rng.choice(pieces).split(" ")
                rng.shuffle(words)
                words.insert(rng.randint(0, len(words)), rng.choice(odd))
                lines.append(" ".join(words)[: rng.randint(0, 200)])
            files[name] = "\n".join(lines)
        records(files)
        footprint(files)

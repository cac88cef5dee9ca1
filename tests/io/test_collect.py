"""`checklist collect --script`: the read-only script run for real on this machine, under
strace (it writes nothing outside its output directory), under busybox alone (no `ss`, no
GNU tools), and checked against what the test reads independently."""

from __future__ import annotations

import os
import platform
import re
import shutil
import socket
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checklist.cli import app
from checklist.commands.collect import script

SECRET = "hunter2-do-not-leak"


@pytest.fixture(scope="module")
def script_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("script") / "collect.sh"
    result = CliRunner().invoke(app, ["collect", "--script", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run_collect(script_file: Path, out: Path, env: dict[str, str] | None = None,
                prefix: tuple[str, ...] = ("sh",)) -> dict[str, str]:
    """Run the script, return the archive's files by name."""
    out.mkdir(exist_ok=True)
    done = subprocess.run([*prefix, str(script_file), "-o", str(out)], capture_output=True, text=True, timeout=120,
                          env=env if env is not None else os.environ.copy())
    assert done.returncode == 0, done.stderr
    archive = Path(done.stdout.strip())
    assert archive.parent == out and archive.name.endswith(".tar.gz")
    assert [p.name for p in out.iterdir()] == [archive.name], "nothing else is left in the output directory"
    with tarfile.open(archive) as tar:
        return {Path(m.name).name: tar.extractfile(m).read().decode("utf-8", "replace")  # type: ignore[union-attr]
                for m in tar.getmembers() if m.isfile()}


def test_the_script_passes_shellcheck(script_file: Path) -> None:
    done = subprocess.run(["shellcheck", "-s", "sh", str(script_file)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_the_header_lists_every_command_it_runs() -> None:
    text = script()
    header = text.split("\nset -u\n")[0]
    body = text.split("\nset -u\n")[1]
    run = set(re.findall(r"record \w+ ([a-z][\w.-]*)", body)) - {"cat_files", "list_names", "cpu_count", "mem_total",
                                                                  "pci_devices", "open_logs", "env_names",
                                                                  "container_tools", "netstat_listening", "runtimes"}
    run |= {"java", "dotnet", "go", "tar"} & set(re.findall(r"\b[a-z]+\b", body))
    missing = [tool for tool in sorted(run) if not re.search(rf"\b{re.escape(tool)}\b", header)]
    assert missing == [], f"run but not named in the header: {missing}"


def test_on_this_machine_it_collects_what_the_test_reads_itself(script_file: Path, tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    log = tmp_path / "app.log"
    with log.open("a") as written:  # a log file the holder keeps open, as a running application does
        holder = subprocess.Popen(["sh", "-c", "sleep 60", SECRET], env={**os.environ, "CHECKLIST_TEST_TOKEN": SECRET},
                                  stdout=written)
    try:
        files = run_collect(script_file, tmp_path / "out")
    finally:
        holder.kill()
        listener.close()
    uname = platform.uname()
    assert f"{uname.system} {uname.release} {uname.machine}" in files["system.txt"]
    modules = Path("/proc/modules").read_text().split("\n") if Path("/proc/modules").exists() else []
    for line in modules[:5]:
        if line:
            assert line.split()[0] in files["modules.txt"]
    assert f"127.0.0.1:{port}" in files["listening.txt"]
    assert re.search(r"^\S+\s+\d+\s+\d+\s+sleep$", files["processes.txt"], re.M), "processes by program name"
    assert "CHECKLIST_TEST_TOKEN" in files["environment.txt"], "environment variables by name"
    assert str(log) in files["logs.txt"].splitlines(), "log files held open by a process"
    everything = "\n".join(files.values())
    assert SECRET not in everything, "no values of variables, no arguments of processes"
    assert files["manifest.txt"].startswith("# checklist collect 1\n")


def test_crontabs_in_a_spool_are_collected_through_the_path_override(script_file: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "var/spool/cron/crontabs").mkdir(parents=True)
    (root / "var/spool/cron/crontabs/billing").write_text("15 2 * * * /opt/billing/bin/nightly-invoices\n")
    (root / "etc/cron.d").mkdir(parents=True)
    (root / "etc/cron.d/reports").write_text("0 6 * * 1 reports /opt/reports/weekly.sh\n")
    (root / "etc/os-release").write_text('ID=rhel\nVERSION_ID="7.9"\n')
    files = run_collect(script_file, tmp_path / "out", env={**os.environ, "CHECKLIST_COLLECT_ROOT": str(root)})
    assert "# file: /var/spool/cron/crontabs/billing\n15 2 * * * /opt/billing/bin/nightly-invoices" in files["cron.txt"]
    assert "# file: /etc/cron.d/reports\n0 6 * * 1 reports /opt/reports/weekly.sh" in files["cron.txt"]
    assert "ID=rhel" in files["system.txt"]


def test_it_writes_nothing_outside_its_output_directory(script_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    trace = tmp_path / "trace"
    done = subprocess.run(["strace", "--seccomp-bpf", "-f", "-qq", "-y", "-o", str(trace), "-e",
                           "trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,"
                           "truncate,chmod,fchmodat,chown,fchownat,link,linkat,symlink,symlinkat",
                           "sh", str(script_file), "-o", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    writes = []
    for line in trace.read_text().splitlines():
        call = re.search(r"(\w+)\((.*)\) += (-?\d+)", line)
        if not call or call.group(3).startswith("-"):
            continue  # a failed call changed nothing
        name, args = call.group(1), call.group(2)
        if name in ("open", "openat") and not re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC", args):
            continue
        # a path relative to a directory descriptor is shown by -y as <directory> then "name"
        paths = re.findall(r'<(/[^>]*)>, "([^"]*)"|(?:AT_FDCWD, |^)"([^"]*)"', args)
        for directory, name_in, absolute in paths:
            path = absolute or (name_in if name_in.startswith("/") else f"{directory}/{name_in}")
            # /dev/null for discarded output; /proc/self/coredump_filter: the JVM of `java -version` sets its own
            if not path.startswith((str(out), "/dev/null", "/dev/tty", "/proc/self/")):
                writes.append(f"{name}: {path}")
    assert writes == []


def test_with_busybox_alone_it_still_collects(script_file: Path, tmp_path: Path) -> None:
    busybox = shutil.which("busybox")
    assert busybox, "busybox is installed by .ci/run"
    tools = tmp_path / "bin"
    tools.mkdir()
    applets = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout.split()
    for applet in applets:
        (tools / applet).symlink_to(busybox)
    assert "ss" not in applets  # as on an old RHEL: netstat, or /proc/net, instead
    files = run_collect(script_file, tmp_path / "out", env={"PATH": str(tools)}, prefix=(str(tools / "sh"),))
    assert "# command: netstat_listening" in files["listening.txt"]
    assert "# file: /proc/net/tcp" in files["listening.txt"]
    assert platform.uname().release in files["system.txt"]


def test_collect_without_script_says_how_to_use_it() -> None:
    result = CliRunner().invoke(app, ["collect"])
    assert result.exit_code == 2
    assert "checklist collect --script > collect.sh" in result.output


def test_as_another_user_it_still_works_and_says_what_it_could_not_read(script_file: Path) -> None:
    # The tests run as root; the script is run here as `nobody`, as a user without sudo runs it,
    # in a directory that user may enter (pytest's own temporary directories are root's alone).
    with tempfile.TemporaryDirectory(dir="/tmp") as scratch:
        base = Path(scratch)
        base.chmod(0o755)
        root = base / "root"
        spool = root / "var/spool/cron/crontabs"
        spool.mkdir(parents=True)
        (spool / "billing").write_text("15 2 * * * /opt/billing/bin/nightly-invoices\n")
        (root / "etc/cron.d").mkdir(parents=True)
        (root / "etc/cron.d/reports").write_text("0 6 * * 1 reports /opt/reports/weekly.sh\n")
        for folder in (root, *root.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o755)
        spool.chmod(0o700)  # root's alone, as on a real host
        out = base / "out"
        out.mkdir()
        out.chmod(0o777)
        script = base / "collect.sh"
        script.write_bytes(script_file.read_bytes())
        script.chmod(0o755)
        nobody = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh")
        files = run_collect(script, out, env={"PATH": os.environ["PATH"], "CHECKLIST_COLLECT_ROOT": str(root)},
                            prefix=nobody)
    assert "user: 65534" in files["manifest.txt"]
    assert "# file: /var/spool/cron/crontabs\n# not readable" in files["cron.txt"]  # said, not silently empty
    assert "# file: /etc/cron.d/reports\n0 6 * * 1 reports /opt/reports/weekly.sh" in files["cron.txt"]
    assert "nightly-invoices" not in files["cron.txt"]
    assert files["system.txt"].strip(), "what every user may read is still collected"

"""Host facts from a collected archive (`checklist collect --script`), for host detectors.

The archive's files are the raw outputs of commands that differ between systems
(`ss` or `netstat` or /proc/net/tcp, `lsmod` or /proc/modules, `lspci` or /sys).
`records` turns them into one line per thing seen, in one documented form per
kind (the schema's `host.record`), which the detectors' regular expressions
match; each record keeps the command and the original line, its evidence.

    os ID VERSION                       kernel SYSTEM RELEASE MACHINE
    module NAME loaded [out-of-tree] [proprietary]   module NAME boot FILE
    sysctl KEY = VALUE in FILE          cron FILE: ENTRY    timer UNIT
    service UNIT                        listener PROTO ADDRESS port=N [privileged] [loopback] program=P user=U
    process PROGRAM user=U parent=P     mount TYPE SOURCE on TARGET
    device pci [CLASS] TEXT [VENDOR:DEVICE]   device usb VENDOR:PRODUCT TEXT   device node PATH
    runtime NAME VERSION                multicast GROUP DEVICE
    log PATH (written|open)             environment NAME    container PATH
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checklist.core.text import clean
from checklist.discover.detectors import Detector, HostMatch
from checklist.discover.scanner import EVIDENCE_PER_DETECTOR, TEXT_WIDTH, Finding

RECORDS = ("os", "kernel", "module", "sysctl", "cron", "timer", "service", "listener", "process", "mount",
           "disk", "device", "runtime", "multicast", "log", "environment", "container")

# what a helper of the script stands for, as the command a reviewer knows
_COMMANDS = {
    "netstat_listening": "netstat -lntup", "pci_devices": "cat /sys/bus/pci/devices/*/class",
    "open_logs": "ls -l /proc/*/fd", "env_names": "cat /proc/*/environ (names only)",
    "container_tools": "command -v docker podman containerd crictl kubelet",
    "cpu_count": "grep processor /proc/cpuinfo", "mem_total": "grep MemTotal /proc/meminfo",
    "find": "find /var/log -type f -mmin -60",
}


@dataclass(frozen=True)
class Record:
    """One thing the host showed: its kind, its normalised text, and where it was read."""

    kind: str
    text: str
    command: str
    line: str
    note: str = ""  # what the line does not say itself (the user of a listening process)


@dataclass(frozen=True)
class Section:
    """The output of one command (or one file a `cat_files` printed)."""

    command: str
    lines: tuple[str, ...]


def sections(text: str) -> Iterator[Section]:
    """The outputs in one archive file: each starts with '# command: …' (and each file a
    `cat_files` printed with '# file: …'); '# exit:' lines are left out."""
    command = ""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("# command: ") or line.startswith("# file: "):
            if command:
                yield Section(command, tuple(lines))
            lines = []
            if line.startswith("# command: "):
                raw = line[len("# command: "):].strip()
                head = raw.split(" ", 1)[0]
                command = _COMMANDS.get(head, raw)
                if head in ("cat_files", "list_names"):
                    command = "ls" if head == "list_names" else ""
            else:
                command = "cat " + line[len("# file: "):].strip()
            continue
        if line.startswith("# exit:") or line == "# not readable":
            continue
        lines.append(line)
    if command:
        yield Section(command, tuple(lines))


def _named(files: Mapping[str, str], name: str) -> Iterator[Section]:
    yield from (s for s in sections(files.get(f"{name}.txt", "")) if s.command)


PRIVILEGED = 1024


def records(files: Mapping[str, str]) -> list[Record]:
    """Every record of one archive (files by name), in a stable order."""
    out: list[Record] = []
    processes = _processes(files)
    for section in _named(files, "system"):
        if section.command.startswith("uname"):
            out.extend(Record("kernel", f"kernel {line.strip()}", section.command, line)
                       for line in section.lines if line.strip())
        elif section.command == "cat /etc/os-release":
            values = dict(_assignment(line) for line in section.lines if "=" in line)
            shown = next((line for line in section.lines if line.startswith("PRETTY_NAME=")), "")
            out.append(Record("os", f"os {values.get('ID', '')} {values.get('VERSION_ID', '')}".rstrip(),
                              section.command, shown))
    out.extend(_modules(files))
    out.extend(_sysctls(files))
    out.extend(_crons(files))
    for section in _named(files, "systemd"):
        for line in section.lines:
            if "list-timers" in section.command:
                unit = next((w for w in line.split() if w.endswith(".timer")), None)
                if unit:
                    out.append(Record("timer", f"timer {unit}", section.command, line))
            elif line.split():
                out.append(Record("service", f"service {line.split()[0]}", section.command, line))
    out.extend(_listeners(files, processes))
    for user, ppid, program, line in processes.values():
        parent = processes.get(ppid, ("", "", "-", ""))[2]
        out.append(Record("process", f"process {program} user={user} parent={parent}",
                          "ps -eo user=,pid=,ppid=,comm=", line))
    for section in _named(files, "mounts"):
        for line in section.lines:
            parts = line.split()
            if len(parts) >= 3:
                out.append(Record("mount", f"mount {parts[2]} {parts[0]} on {parts[1]}", section.command, line))
    for section in _named(files, "disk"):
        for line in section.lines:
            parts = line.split()
            if len(parts) == 2 and _digits(parts[0]):
                out.append(Record("disk", f"disk {parts[1]} {parts[0]}", section.command, line))
    out.extend(_devices(files))
    out.extend(_runtimes(files))
    out.extend(_multicast(files))
    for section in _named(files, "logs"):
        state = "open" if "/proc/*/fd" in section.command else "written"
        for line in section.lines:
            path = line.split()[-1] if line.split() else ""
            if path.startswith("/"):
                out.append(Record("log", f"log {path} {state}", section.command, line))
    for section in _named(files, "environment"):
        out.extend(Record("environment", f"environment {line.strip()}", section.command, line)
                   for line in section.lines if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", line.strip()))
    for section in _named(files, "containers"):
        out.extend(Record("container", f"container {line.strip()}", section.command, line)
                   for line in section.lines if line.startswith("/"))
    return out


def _digits(text: str) -> bool:
    """Whether `text` is a number int() reads (str.isdigit also takes '²')."""
    return text.isascii() and text.isdigit()


def _assignment(line: str) -> tuple[str, str]:
    key, _, value = line.partition("=")
    return key.strip(), value.strip().strip('"').strip("'")


def _modules(files: Mapping[str, str]) -> Iterator[Record]:
    for section in _named(files, "modules"):
        loaded = section.command in ("cat /proc/modules", "lsmod")
        for line in section.lines:
            parts = line.split()
            if not parts or line.lstrip().startswith("#") or parts[0] == "Module":
                continue
            if loaded:
                taint = parts[-1] if parts[-1].startswith("(") else ""
                flags = " out-of-tree" if "O" in taint else ""
                flags += " proprietary" if "P" in taint else ""
                yield Record("module", f"module {parts[0]} loaded{flags}", section.command, line)
            else:
                yield Record("module", f"module {parts[0]} boot {section.command[4:]}", section.command, line)


_SYSCTL = re.compile(r"^\s*-?([A-Za-z0-9_][A-Za-z0-9_.*/-]*)\s*=\s*(.*?)\s*$")


def _sysctls(files: Mapping[str, str]) -> Iterator[Record]:
    for section in _named(files, "sysctl"):
        for line in section.lines:
            found = _SYSCTL.match(line)
            if found and not line.lstrip().startswith(("#", ";")):
                yield Record("sysctl", f"sysctl {found.group(1)} = {found.group(2)} in {section.command[4:]}",
                             section.command, line)


_CRON_VARIABLE = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=")


def _crons(files: Mapping[str, str]) -> Iterator[Record]:
    for section in _named(files, "cron"):
        for line in section.lines:
            if not line.strip() or line.lstrip().startswith("#") or _CRON_VARIABLE.match(line):
                continue
            if section.command == "ls":
                yield Record("cron", f"cron {line.strip()}", section.command, line)
            else:
                yield Record("cron", f"cron {section.command[4:]}: {' '.join(line.split())}", section.command, line)


_PS = re.compile(r"^\s*(\S+)\s+(\d+)\s+(\d+)\s+(.+?)\s*$")


def _processes(files: Mapping[str, str]) -> dict[str, tuple[str, str, str, str]]:
    """pid: (user, ppid, program, line)."""
    out: dict[str, tuple[str, str, str, str]] = {}
    for section in _named(files, "processes"):
        for line in section.lines:
            found = _PS.match(line)
            if found:
                out[found.group(2)] = (found.group(1), found.group(3), found.group(4), line)
    return out


_SS_USERS = re.compile(r'\("([^"]*)",pid=(\d+)')
_NETSTAT_PROGRAM = re.compile(r"\b(\d+)/(\S+)\s*$")


def _listener(proto: str, address: str, port: int, program: str, user: str, command: str, line: str) -> Record:
    flags = " privileged" if 0 < port < PRIVILEGED else ""
    host = address.split("%")[0].strip("[]")
    try:
        if ipaddress.ip_address(host).is_loopback:
            flags += " loopback"
    except ValueError:
        pass
    return Record("listener", f"listener {proto} {address}:{port} port={port}{flags} program={program} user={user}",
                  command, line, f"user {user}" if user != "-" else "")


def _listeners(files: Mapping[str, str], processes: Mapping[str, tuple[str, str, str, str]]) -> Iterator[Record]:
    shown: list[tuple[str, str, int, list[tuple[str, str]], str, str]] = []
    from_proc: list[tuple[str, str, int, str, str, str]] = []
    for section in _named(files, "listening"):
        for line in section.lines:
            parts = line.split()
            if section.command.startswith("cat /proc/net/"):
                entry = _proc_net(section.command, parts)
                if entry is not None:
                    from_proc.append((*entry, section.command, line))
                continue
            if len(parts) < 4 or parts[0] in ("Netid", "Proto", "Active"):
                continue
            if section.command.startswith("ss"):
                proto, local = parts[0], parts[4] if len(parts) > 4 else ""
                pids = _SS_USERS.findall(line)
            else:
                proto, local = parts[0], parts[3]
                found = _NETSTAT_PROGRAM.search(line)
                pids = [(found.group(2), found.group(1))] if found else []
            address, _, port_text = local.rpartition(":")
            if _digits(port_text):
                shown.append((proto.rstrip("6"), address, int(port_text), pids, section.command, line))
    # the owner's uid from /proc/net: for netstat without -p, ss that may not see processes, or neither
    owners = {(proto, port): uid for proto, _, port, uid, _, _ in from_proc}
    seen: set[tuple[str, int]] = set()
    for proto, address, port, pids, command, line in shown:
        # the user of the process that listens: the parent's when several share the socket
        users = [processes[pid][0] for _, pid in pids if pid in processes]
        user = "root" if "root" in users else (users[0] if users else _uid_user(owners.get((proto, port))))
        seen.add((proto, port))
        yield _listener(proto, address, port, pids[0][0] if pids else "-", user, command, line)
    for proto, address, port, uid, command, line in from_proc:
        if (proto, port) not in seen:
            seen.add((proto, port))
            yield _listener(proto, address, port, "-", _uid_user(uid), command, line)


def _uid_user(uid: str | None) -> str:
    return "-" if uid is None else "root" if uid == "0" else f"uid:{uid}"


def _proc_net(command: str, parts: list[str]) -> tuple[str, str, int, str] | None:
    """(proto, address, port, uid) of a listening TCP socket or a bound UDP one in /proc/net/*."""
    if len(parts) < 8 or not parts[0].endswith(":"):
        return None
    proto = "udp" if "udp" in command else "tcp"
    if proto == "tcp" and parts[3] != "0A":  # 0A: LISTEN
        return None
    if proto == "udp" and parts[3] != "07":
        return None
    local, _, port = parts[1].partition(":")
    try:
        raw = bytes.fromhex(local)
        # each 32-bit word is in the host's (little-endian) order
        words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
        address = str(ipaddress.ip_address(words))
        return proto, address, int(port, 16), parts[7]
    except ValueError:
        return None


_LSPCI = re.compile(r"\[([0-9a-f]{4})\]:.*\[([0-9a-f]{4}:[0-9a-f]{4})\]", re.IGNORECASE)
_LSUSB = re.compile(r"ID ([0-9a-f]{4}:[0-9a-f]{4})\s*(.*)$", re.IGNORECASE)


def _devices(files: Mapping[str, str]) -> Iterator[Record]:
    for section in _named(files, "devices"):
        for line in section.lines:
            text = line.strip()
            if not text:
                continue
            if section.command.startswith("lspci"):
                found = _LSPCI.search(text)
                pci = f"{found.group(1)} {text} {found.group(2)}" if found else text
                yield Record("device", f"device pci {pci}", section.command, line)
            elif section.command.startswith("cat /sys/bus/pci"):
                parts = text.split()
                if len(parts) == 3:
                    yield Record("device", f"device pci {parts[1][2:6]} {parts[2][2:]}:", section.command, line)
            elif section.command.startswith("lsusb"):
                found = _LSUSB.search(text)
                if found:
                    yield Record("device", f"device usb {found.group(1)} {found.group(2)}", section.command, line)
            elif section.command.startswith("cat /sys/bus/usb"):
                yield Record("device", f"device usb - {text}", section.command, line)
            elif text.startswith("/dev/"):
                yield Record("device", f"device node {text}", section.command, line)


_VERSION = re.compile(r"(\d+(?:\.\d+)+(?:[._-]\w+)?)")
_QUOTED_VERSION = re.compile(r'version "(\d[^"\s]*)"')
_RUNTIME_COMMANDS = {"java": "java", "dotnet": "dotnet", "python3": "python", "python": "python", "node": "node",
                     "php": "php", "ruby": "ruby", "go": "go"}


def _runtimes(files: Mapping[str, str]) -> Iterator[Record]:
    for section in _named(files, "runtimes"):
        tool = section.command.split()[0]
        if tool == "env":
            tool = "dotnet"
        name = _RUNTIME_COMMANDS.get(tool)
        first = next((line for line in section.lines if line.strip()), "")
        found = _QUOTED_VERSION.search(first) or _VERSION.search(first)  # java: version "21"
        if name and found and "not found" not in first:
            yield Record("runtime", f"runtime {name} {found.group(1)}", section.command, first)


def _multicast(files: Mapping[str, str]) -> Iterator[Record]:
    for section in _named(files, "multicast"):
        device = ""
        for line in section.lines:
            parts = line.split()
            if not parts:
                continue
            if section.command.startswith("ip"):
                if parts[0].endswith(":") and _digits(parts[0][:-1]) and len(parts) > 1:
                    device = parts[1]
                elif parts[0] in ("inet", "inet6") and len(parts) > 1:
                    yield Record("multicast", f"multicast {parts[1]} {device}", section.command, line)
            elif section.command == "cat /proc/net/igmp":
                if _digits(parts[0]) and len(parts) > 1:
                    device = parts[1]
                elif re.fullmatch(r"[0-9A-Fa-f]{8}", parts[0]):
                    group = str(ipaddress.IPv4Address(bytes.fromhex(parts[0])[::-1]))
                    yield Record("multicast", f"multicast {group} {device}", section.command, line)
            elif len(parts) > 2 and re.fullmatch(r"[0-9a-f]{32}", parts[2]):
                yield Record("multicast", f"multicast {ipaddress.IPv6Address(bytes.fromhex(parts[2]))} {parts[1]}",
                             section.command, line)


def scan_records(found: Sequence[Record], detectors: Sequence[Detector]) -> list[Finding]:
    """The findings of `detectors` among the records: evidence `command: line`."""
    out: list[Finding] = []
    for detector in detectors:
        count = 0
        for matcher in detector.matchers:
            if not isinstance(matcher, HostMatch):
                continue
            for record in found:
                if count >= EVIDENCE_PER_DETECTOR:
                    break
                if record.kind == matcher.record and matcher.regex.search(record.text) \
                        and (matcher.unless is None or not matcher.unless.search(record.text)):
                    # an archive is input like any other: no escape sequence reaches a terminal
                    text = clean(" ".join(record.line.split()) + (f" ({record.note})" if record.note else ""))
                    if len(text) > TEXT_WIDTH:
                        text = text[: TEXT_WIDTH - 1] + "…"
                    out.append(Finding(detector, clean(record.command), 0, text))
                    count += 1
    return out


def unread(files: Mapping[str, str]) -> list[str]:
    """What the script could not read on the VM (a spool closed to a user who is not root)."""
    out: list[str] = []
    for name in sorted(files):
        current = ""
        for line in files[name].splitlines():
            if line.startswith("# file: "):
                current = line[len("# file: "):].strip()
            elif line == "# not readable" and current and clean(current) not in out:
                out.append(clean(current))
    return out


def footprint(files: Mapping[str, str]) -> dict[str, Any]:
    """vCPU, memory (GB, one decimal) and disk (GB of the local filesystems' size) of the host."""
    out: dict[str, Any] = {}
    for section in _named(files, "system"):
        line = next((line.strip() for line in section.lines if line.strip()), "")
        if section.command in ("nproc", _COMMANDS["cpu_count"]) and _digits(line) and "vcpu" not in out:
            out["vcpu"] = int(line)
        elif section.command == _COMMANDS["mem_total"]:
            found = re.search(r"(\d+)\s*kB", line)
            if found:
                out["memory_gb"] = round(int(found.group(1)) / 2**20, 1)
        elif section.command.startswith("df"):
            sizes = {}  # by device: btrfs shows one device at several mount points
            for row in section.lines:
                parts = row.split()
                if len(parts) >= 6 and parts[0].startswith("/dev/") and _digits(parts[1]):
                    sizes[parts[0]] = int(parts[1])
            if sizes:
                out["disk_gb"] = round(sum(sizes.values()) / 2**20, 1)
    return out

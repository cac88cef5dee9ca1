#!/bin/sh
# checklist collect: what a VM says about moving its application to containers.
#
# READ-ONLY. This script changes nothing on this host: it starts no service,
# installs nothing, writes nothing outside its own output directory, and sends
# nothing anywhere. It needs no Python. Run it as root to see everything; as
# another user it still works and records what it could not read.
#
#   sh collect.sh [-o DIRECTORY]
#
# It writes one archive, DIRECTORY/checklist-collect-HOST-DATE.tar.gz (default
# DIRECTORY: the current directory), of plain-text files. Each file starts with
# "# command: ..." naming what produced it. Give the archive to
# `checklist scan ARCHIVE --app ID`.
#
# No secrets leave the VM: environment variables by NAME only, never values;
# processes by user and program name, never their arguments; no file contents
# except the configuration files named below.
#
# Every command it runs (each only if present; a missing tool is skipped):
#   cat /etc/os-release; uname -srm; id -u; hostname; nproc; df -Pk
#   cat /proc/meminfo (MemTotal only), /proc/cpuinfo (processor count)
#   cat /proc/modules or lsmod; cat /etc/modules, /etc/modules-load.d/*.conf
#   cat /etc/sysctl.conf, /etc/sysctl.d/*.conf
#   cat /etc/crontab, /etc/cron.d/*, /etc/crontabs/*, the users' crontab spools;
#   ls /etc/cron.{hourly,daily,weekly,monthly}/*, /etc/periodic/*/*
#   systemctl list-timers --all; systemctl list-unit-files --state=enabled
#   ss -lntup, or netstat -lntup (or -lntu), and cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6
#   ps -eo user=,pid=,ppid=,comm=  (program names, never arguments)
#   cat /proc/mounts; du -sk of /var/lib/*, /srv/*, /opt/*, /home (one level, this filesystem only)
#   lspci or ls /sys/bus/pci/devices/*/{vendor,class}; lsusb or cat /sys/bus/usb/devices/*/product;
#   ls /dev/ttyS* /dev/ttyUSB* /dev/ttyACM* /dev/nvidia* /dev/dri/*
#   java -XX:-UsePerfData -version; env DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet --list-runtimes;
#   python3 --version; python --version; node --version;
#   php --version; ruby --version; go version
#   ip maddr, or cat /proc/net/igmp /proc/net/igmp6
#   find /var/log -type f -mmin -60 (names and sizes only); ls -l /proc/*/fd (names of open log files)
#   the names (not values) of the variables in /proc/*/environ
#   command -v docker podman containerd crictl kubelet; ls /var/run/docker.sock /run/containerd
#
# For tests, CHECKLIST_COLLECT_ROOT prefixes every file path read (default: none).
set -u

ROOT=${CHECKLIST_COLLECT_ROOT:-}
OUT_PARENT=.
while [ $# -gt 0 ]; do
    case $1 in
        -o) [ $# -ge 2 ] || { echo "collect.sh: -o needs a directory" >&2; exit 2; }; OUT_PARENT=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "collect.sh: unknown argument: $1 (usage: sh collect.sh [-o DIRECTORY])" >&2; exit 2 ;;
    esac
done
if ! [ -d "$OUT_PARENT" ] || ! [ -w "$OUT_PARENT" ]; then
    echo "collect.sh: cannot write to $OUT_PARENT" >&2
    exit 2
fi

HOST=$(hostname 2>/dev/null || cat "$ROOT/etc/hostname" 2>/dev/null || echo host)
HOST=$(printf '%s' "$HOST" | tr -c 'A-Za-z0-9._-' '_')
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
NAME="checklist-collect-$HOST-$STAMP"
WORK=$(mktemp -d "$OUT_PARENT/.$NAME.XXXXXX") || { echo "collect.sh: cannot create a directory in $OUT_PARENT" >&2; exit 2; }
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
DIR=$WORK/$NAME
mkdir "$DIR" || exit 2
umask 077

has() { command -v "$1" >/dev/null 2>&1; }

# record NAME COMMAND...: run a read-only command, its output into NAME.txt under a header.
record() {
    file=$DIR/$1.txt
    shift
    {
        echo "# command: $*"
        "$@" 2>&1
        echo "# exit: $?"
    } >>"$file"
}

# cat_files FILE...: the contents of configuration files, each under its own header.
cat_files() {
    for f in "$@"; do
        [ -e "$f" ] || continue
        # a directory a glob matched is said only when it cannot be read (a spool closed to this user)
        if [ -d "$f" ] && [ -r "$f" ] && [ -x "$f" ]; then continue; fi
        echo "# file: ${f#"$ROOT"}"
        if [ -r "$f" ] && [ -f "$f" ]; then cat "$f"; else echo "# not readable"; fi
    done
}

# list_names FILE...: names only.
list_names() {
    for f in "$@"; do
        [ -e "$f" ] && echo "${f#"$ROOT"}"
    done
    return 0
}

cpu_count() { grep -c '^processor' "$ROOT/proc/cpuinfo"; }
mem_total() { grep '^MemTotal' "$ROOT/proc/meminfo"; }
pci_devices() {
    for d in "$ROOT"/sys/bus/pci/devices/*; do
        [ -r "$d/class" ] && echo "${d##*/} $(cat "$d/class") $(cat "$d/vendor")"
    done
    return 0
}
# One ls for the descriptors of every process, not one program per descriptor (a busy host has
# thousands): ls -l is the portable way to print where links point (busybox has no find -printf).
open_logs() {
    # shellcheck disable=SC2012
    ls -l "$ROOT"/proc/[0-9]*/fd/ 2>/dev/null | sed -n 's/^l.* -> //p' | grep -E '\.log$|\.log\.|/log/' | sort -u
    return 0
}
env_names() {
    cat "$ROOT"/proc/[0-9]*/environ 2>/dev/null | tr '\000' '\n' | sed -n 's/=.*//p' | sort -u
    return 0
}
netstat_listening() { netstat -lntup 2>/dev/null || netstat -lntu; }
container_tools() {
    for t in docker podman containerd crictl kubelet; do command -v "$t"; done
    return 0
}

record system cat_files "$ROOT/etc/os-release"
record system uname -srm
record system id -u
record system hostname
has nproc && record system nproc
record system cpu_count
record system mem_total
record system df -Pk

if [ -r "$ROOT/proc/modules" ]; then record modules cat_files "$ROOT/proc/modules"
elif has lsmod; then record modules lsmod
fi
record modules cat_files "$ROOT/etc/modules" "$ROOT"/etc/modules-load.d/*.conf

record sysctl cat_files "$ROOT/etc/sysctl.conf" "$ROOT"/etc/sysctl.d/*.conf

record cron cat_files "$ROOT/etc/crontab" "$ROOT"/etc/cron.d/* "$ROOT"/etc/crontabs/* "$ROOT"/var/spool/cron/* \
    "$ROOT"/var/spool/cron/crontabs/* "$ROOT"/var/spool/cron/tabs/*
record cron list_names "$ROOT"/etc/cron.hourly/* "$ROOT"/etc/cron.daily/* "$ROOT"/etc/cron.weekly/* \
    "$ROOT"/etc/cron.monthly/* "$ROOT"/etc/periodic/*/*
if has systemctl && [ -z "$ROOT" ]; then
    record systemd systemctl list-timers --all --no-pager --no-legend
    record systemd systemctl list-unit-files --state=enabled --no-pager --no-legend
fi

if has ss; then record listening ss -lntup
elif has netstat; then record listening netstat_listening
fi
record listening cat_files "$ROOT/proc/net/tcp" "$ROOT/proc/net/tcp6" "$ROOT/proc/net/udp" "$ROOT/proc/net/udp6"

if has ps; then record processes ps -eo user=,pid=,ppid=,comm=; fi

record mounts cat_files "$ROOT/proc/mounts"
if has du; then
    for d in "$ROOT"/var/lib/* "$ROOT"/srv/* "$ROOT"/opt/* "$ROOT/home"; do
        [ -d "$d" ] && record disk du -skx "$d"
    done
fi

if has lspci; then record devices lspci -nn
else record devices pci_devices
fi
if has lsusb; then record devices lsusb
else record devices cat_files "$ROOT"/sys/bus/usb/devices/*/product
fi
record devices list_names "$ROOT"/dev/ttyS* "$ROOT"/dev/ttyUSB* "$ROOT"/dev/ttyACM* "$ROOT"/dev/nvidia* "$ROOT"/dev/dri/*

for tool in java dotnet python3 python node php ruby go; do
    has "$tool" || continue
    case $tool in
        java) record runtimes java -XX:-UsePerfData -version ;;
        dotnet) record runtimes env DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet --list-runtimes ;;
        go) record runtimes go version ;;
        *) record runtimes "$tool" --version ;;
    esac
done

if has ip; then record multicast ip maddr
else record multicast cat_files "$ROOT/proc/net/igmp" "$ROOT/proc/net/igmp6"
fi

if has find; then record logs find "$ROOT/var/log" -xdev -type f -mmin -60 -size +0 -exec ls -ln {} +; fi
record logs open_logs

record environment env_names

record containers container_tools
record containers list_names "$ROOT/var/run/docker.sock" "$ROOT/run/containerd" "$ROOT/run/podman"

{
    echo "# checklist collect 1"
    echo "host: $HOST"
    echo "date: $STAMP"
    echo "user: $(id -u 2>/dev/null)"
} >"$DIR/manifest.txt"

tar -czf "$WORK/$NAME.tar.gz" -C "$WORK" "$NAME" || { echo "collect.sh: tar failed" >&2; exit 1; }
mv "$WORK/$NAME.tar.gz" "$OUT_PARENT/$NAME.tar.gz" || exit 1
echo "$OUT_PARENT/$NAME.tar.gz"

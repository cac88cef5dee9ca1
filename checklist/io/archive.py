"""The archive `checklist collect --script` writes, read without trusting it.

An archive is a .tar.gz of one directory of plain-text files (system.txt,
listening.txt, ...), or that directory once extracted. Nothing is extracted to
disk: members are read into memory, only regular files directly inside the
archive's one directory, each within a size limit, so that a hostile archive
cannot write anywhere, climb out with '..' or a link, or exhaust memory. A
broken archive is one located error (exit 2).
"""

from __future__ import annotations

import tarfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from checklist.core.errors import ChecklistError, Problem

MANIFEST = "manifest.txt"
HEADER = "# checklist collect"
MAX_FILE = 16 * 1024 * 1024  # one output (a big process list is a few hundred kB)
MAX_TOTAL = 64 * 1024 * 1024
MAX_MEMBERS = 200


@dataclass(frozen=True)
class Archive:
    """The text files of one collected archive, by name (system.txt, ...)."""

    path: str
    files: Mapping[str, str]

    @property
    def host(self) -> str:
        for line in self.files.get(MANIFEST, "").splitlines():
            if line.startswith("host:"):
                return line.split(":", 1)[1].strip()
        return ""


def is_archive(path: Path) -> bool:
    """Whether `path` is a collected archive (a .tar.gz, or a directory holding its manifest)."""
    name = path.name.lower()
    if path.is_file():
        return name.endswith((".tar.gz", ".tgz"))
    manifest = path / MANIFEST  # a source tree may have a manifest.txt of its own
    try:
        with manifest.open("rb") as handle:
            return not manifest.is_symlink() and handle.read(len(HEADER)) == HEADER.encode()
    except OSError:
        return False


def read_archive(path: Path) -> Archive:
    """The archive at `path`; raises ChecklistError with a located problem when it is broken."""
    shown = str(path)
    files = _read_directory(path, shown) if path.is_dir() else _read_tar(path, shown)
    manifest = files.get(MANIFEST)
    if manifest is None or not manifest.startswith(HEADER):
        raise ChecklistError(Problem(shown, f"not an archive of `checklist collect`: no {MANIFEST} starting "
                                            f"{HEADER!r}"))
    return Archive(shown, files)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").replace("\x00", "")


def _read_directory(path: Path, shown: str) -> dict[str, str]:
    files: dict[str, str] = {}
    total = 0
    for entry in sorted(path.iterdir()):
        if not entry.name.endswith(".txt") or entry.is_symlink() or not entry.is_file():
            continue  # a link could lead anywhere: only the script's own files count
        if len(files) >= MAX_MEMBERS:
            raise ChecklistError(Problem(shown, f"more than {MAX_MEMBERS} files; not an archive of checklist collect"))
        size = entry.stat().st_size
        total += size
        if size > MAX_FILE or total > MAX_TOTAL:
            raise ChecklistError(Problem(str(entry), f"over the size limit ({MAX_FILE // 2**20} MB a file, "
                                                     f"{MAX_TOTAL // 2**20} MB in all)"))
        try:
            files[entry.name] = _text(entry.read_bytes())
        except OSError as exc:
            raise ChecklistError(Problem(str(entry), f"cannot read: {exc.strerror}")) from None
    return files


def _read_tar(path: Path, shown: str) -> dict[str, str]:
    files: dict[str, str] = {}
    total = 0
    try:
        with tarfile.open(path, "r:*") as tar:
            for count, member in enumerate(tar, 1):
                where = f"{shown}: {member.name}"
                if count > MAX_MEMBERS:
                    raise ChecklistError(Problem(shown, f"more than {MAX_MEMBERS} members; not an archive of "
                                                        "checklist collect"))
                parts = PurePosixPath(member.name).parts
                if member.name.startswith("/") or ".." in parts or len(parts) > 2:
                    raise ChecklistError(Problem(where, "a member outside the archive's one directory; refused"))
                if member.isdir():
                    continue
                if not member.isfile():
                    raise ChecklistError(Problem(where, "a link or device in the archive; refused"))
                total += member.size  # every member counts: skipping a huge one still decompresses it
                if member.size > MAX_FILE or total > MAX_TOTAL:
                    raise ChecklistError(Problem(where, f"over the size limit ({MAX_FILE // 2**20} MB a file, "
                                                        f"{MAX_TOTAL // 2**20} MB in all)"))
                name = parts[-1]
                if not name.endswith(".txt"):
                    continue
                handle = tar.extractfile(member)
                if handle is not None:
                    files[name] = _text(handle.read(MAX_FILE + 1)[:MAX_FILE])
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise ChecklistError(Problem(shown, f"not a readable .tar.gz archive: {reason}")) from None
    return files

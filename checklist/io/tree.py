"""Reading a source tree for `checklist scan`, safely: nothing in it is executed or imported.

The walk honours `.gitignore` files (read by pathspec, never by running git, whose
configuration in a hostile checkout could run commands), skips dependency,
vendored and build-output directories and binaries, never follows a symbolic
link out of the tree (links to directories are not followed at all, so a loop
costs nothing), and reads each file within a size limit. Paths are given
relative to the tree, with '/' separators; a name that is not valid UTF-8 keeps
its bytes as surrogate escapes and is shown cleaned.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Directories that hold other people's code, downloaded dependencies or build output.
SKIPPED_DIRECTORIES = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "jspm_packages", "vendor", "third_party",
    "third-party", "thirdparty", "target", "build", "dist", "out", "bin", "obj", "__pycache__", ".venv", "venv",
    ".tox", ".nox", ".gradle", ".mvn", ".idea", ".vs", ".vscode", ".nuget", "Pods", ".next", ".nuxt",
    "coverage", ".cache", ".terraform", ".bundle", "site-packages", ".pytest_cache", ".mypy_cache", "tmp",
})

# Files that are never text worth reading.
BINARY_SUFFIXES = frozenset((
    ".jar", ".war", ".ear", ".class", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".png", ".jpg",
    ".jpeg", ".gif", ".ico", ".bmp", ".webp", ".svgz", ".pdf", ".so", ".dll", ".exe", ".dylib", ".a", ".o", ".obj",
    ".lib", ".pyc", ".pyo", ".whl", ".egg", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".mov", ".avi",
    ".wav", ".ogg", ".db", ".sqlite", ".sqlite3", ".mdb", ".bin", ".dat", ".iso", ".img", ".psd", ".nupkg", ".snk",
    ".pfx", ".p12", ".keystore", ".jks", ".map",
))


@dataclass(frozen=True)
class TreeLimits:
    """How much of a tree is read: files over `max_file_bytes` are skipped (and counted)."""

    max_file_bytes: int = 1024 * 1024
    max_files: int = 2_000_000


@dataclass
class TreeStats:
    """What the walk left out, so that a report can say so."""

    files: int = 0
    ignored: int = 0  # by .gitignore or a skipped directory
    too_big: int = 0
    binary: int = 0
    links_out: int = 0  # symbolic links that lead out of the tree or to a directory
    unreadable: int = 0
    big_examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TreeFile:
    path: str  # relative to the tree's root, '/'-separated
    full: str  # the path to open
    size: int

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def _gitignore(directory: str) -> object | None:
    """The compiled .gitignore of `directory`, or None."""
    target = os.path.join(directory, ".gitignore")
    try:
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 1024 * 1024:
            return None
        with open(target, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def walk_tree(root: Path, limits: TreeLimits, stats: TreeStats, skip: str = "") -> Iterator[TreeFile]:
    """Every file of the tree worth reading, in a stable (sorted) order; `skip` is a directory
    (relative, ending in "/") not entered."""
    top = os.path.realpath(root)
    inside = top.rstrip(os.sep) + os.sep
    # (directory, relative prefix, the .gitignore specs that apply: (their relative dir, spec))
    pending: list[tuple[str, str, tuple[tuple[str, object], ...]]] = [(top, "", ())]
    while pending:
        directory, prefix, specs = pending.pop()
        spec = _gitignore(directory)
        if spec is not None:
            specs = (*specs, (prefix, spec))
        try:
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            stats.unreadable += 1
            continue
        subdirectories = []
        for entry in listed:
            name = entry.name
            relative = f"{prefix}{name}"
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                stats.unreadable += 1
                continue
            if is_dir:
                if name in SKIPPED_DIRECTORIES or relative + "/" == skip or _ignored(specs, relative + "/"):
                    stats.ignored += 1
                else:
                    subdirectories.append((entry.path, relative + "/", specs))
                continue
            if _ignored(specs, relative):
                stats.ignored += 1
                continue
            full = entry.path
            try:
                if is_link:
                    target = os.path.realpath(full)
                    if not target.startswith(inside) or not os.path.isfile(target):
                        stats.links_out += 1
                        continue
                    full = target
                info = os.stat(full) if is_link else entry.stat(follow_symlinks=False)
            except OSError:
                stats.unreadable += 1
                continue
            if not stat.S_ISREG(info.st_mode):  # fifos, sockets, devices: reading one could block forever
                continue
            lower = name.lower()
            dot = lower.rfind(".")
            if dot > 0 and (lower[dot:] in BINARY_SUFFIXES or lower.endswith(".min.js")):
                stats.binary += 1
                continue
            if info.st_size > limits.max_file_bytes:
                stats.too_big += 1
                if len(stats.big_examples) < 3:
                    stats.big_examples.append(relative)
                continue
            stats.files += 1
            if stats.files > limits.max_files:
                return
            yield TreeFile(relative, full, info.st_size)
        pending.extend(reversed(subdirectories))


def _ignored(specs: tuple[tuple[str, object], ...], relative: str) -> bool:
    """Whether the .gitignore files above `relative` ignore it (the deepest one that speaks decides)."""
    for base, spec in reversed(specs):
        if base and not relative.startswith(base):
            continue
        result = spec.check_file(relative[len(base):])  # type: ignore[attr-defined]
        if result.include is not None:
            return bool(result.include)
    return False


def read_source(file: TreeFile, limits: TreeLimits, stats: TreeStats) -> str | None:
    """The text of `file`, or None for a binary or unreadable one. UTF-8 (with or without a
    BOM) and UTF-16 with a BOM are read as such; any other bytes are replaced, never fatal."""
    try:
        with open(file.full, "rb") as handle:
            raw = handle.read(limits.max_file_bytes + 1)
    except OSError:
        stats.unreadable += 1
        return None
    if len(raw) > limits.max_file_bytes:  # it grew since the walk
        stats.too_big += 1
        return None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    if b"\x00" in raw[:8192]:
        stats.binary += 1
        return None
    return raw.decode("utf-8-sig", errors="replace")

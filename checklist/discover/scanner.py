"""Running detectors over one source tree: every piece of evidence, with its place.

The tree is walked once (checklist.io.tree). A file is read only when some
detector looks at it: a manifest, a Dockerfile, a configuration file a
detector names, or source code in a language some pattern is written for.
Test code, examples, documentation and vendored code are left out (a code
pattern may ask for tests). Patterns are plain regular expressions, each
searched over the whole text; the comments and strings of a file are worked
out only when a pattern matched in it (bench/RESULTS.md: scan speed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from checklist.core.text import clean
from checklist.discover.configs import entries
from checklist.discover.detectors import (
    CodeMatch,
    ConfigMatch,
    DependencyMatch,
    Detector,
    DockerfileMatch,
    FileMatch,
)
from checklist.discover.lexers import Regions, language_of, line_at
from checklist.discover.manifests import Dependency, reader_for
from checklist.io.tree import TreeFile, TreeLimits, TreeStats, read_source, walk_tree

EVIDENCE_PER_DETECTOR = 3  # places kept per detector and tree: enough to check, not a flood
TEXT_WIDTH = 160

# Paths that are not the application itself: tests, examples, documentation, vendored code.
NOT_THE_APP = re.compile(
    r"(?:^|/)(?:tests?|__tests__|__mocks__|spec|specs|testing|testdata|test-data|test_data|fixtures?|e2e|"
    r"integration-tests?|it|examples?|samples?|demos?|docs?|documentation|benchmarks?|mocks?|third_party|vagrant|"
    r"thirdparty|wwwroot/lib|static/vendor|assets/vendor|public/vendor|lib/vendor)/"
    r"|(?:^|/)[^/]*\.(?:tests?|unittests?|integrationtests?|specs?|functionaltests?)/"
    r"|(?:^|/)Vagrantfile$|_test\.go$|(?:^|/)test_[^/]*\.py$|_tests?\.py$|(?:^|/)conftest\.py$|_spec\.rb$|_test\.rb$"
    r"|(?:Tests?|IT|Spec)\.(?:java|kt|groovy|scala|cs|vb)$|\.(?:test|spec)\.[cm]?[jt]sx?$|Test\.php$",
    re.IGNORECASE,
)
_HIDDEN = re.compile(r"(?:^|/)\.[^/]+/")
_DOCKERFILE = re.compile(r"(?:^|/)(?:(?:docker|container)file(?:\.[^/]*)?|[^/]*\.dockerfile)$", re.IGNORECASE)


def glob_regex(glob: str) -> str:
    """A path glob as a regular expression: '**/' any directories, '*' within one name. A glob
    matches below any directory but a hidden one (.github, .devcontainer: tooling, not the
    application), unless it starts with '/' (the tree's root only); a glob that names a hidden
    directory itself (.github/workflows/*.yml) matches there."""
    if glob.startswith("/"):
        out, glob = "", glob[1:]
    else:
        out = "(?:[^./][^/]*/)*"
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif glob.startswith("**", i):
            out += ".*"
            i += 2
        elif glob[i] == "*":
            out += "[^/]*"
            i += 1
        elif glob[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(glob[i])
            i += 1
    return out


def _globs(globs: Iterable[str]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(glob_regex(g) for g in globs) + r")\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One piece of evidence: a detector fired at a place."""

    detector: Detector
    file: str
    line: int
    text: str


@dataclass
class _Plan:
    """The detectors, arranged by what they look at."""

    files: list[tuple[Detector, re.Pattern[str]]] = field(default_factory=list)
    dependencies: list[tuple[Detector, DependencyMatch, re.Pattern[str]]] = field(default_factory=list)
    dockerfiles: list[tuple[Detector, DockerfileMatch]] = field(default_factory=list)
    configs: list[tuple[Detector, ConfigMatch, re.Pattern[str]]] = field(default_factory=list)
    code: dict[str, list[tuple[Detector, CodeMatch, re.Pattern[str] | None]]] = field(default_factory=dict)
    named: re.Pattern[str] | None = None  # any glob a file or config matcher names


def plan(detectors: Sequence[Detector]) -> _Plan:
    """Arrange `detectors` for scanning (done once for many trees)."""
    arranged = _Plan()
    globs: list[str] = []
    for detector in detectors:
        for matcher in detector.matchers:
            if isinstance(matcher, FileMatch):
                arranged.files.append((detector, _globs(matcher.globs)))
                globs.extend(matcher.globs)
            elif isinstance(matcher, DependencyMatch):
                names = "|".join(_name_regex(n) for n in matcher.names)
                arranged.dependencies.append((detector, matcher, re.compile(f"(?:{names})\\Z", re.IGNORECASE)))
            elif isinstance(matcher, DockerfileMatch):
                arranged.dockerfiles.append((detector, matcher))
            elif isinstance(matcher, ConfigMatch):
                arranged.configs.append((detector, matcher, _globs(matcher.globs)))
                globs.extend(matcher.globs)
            else:
                where = _globs(matcher.globs) if matcher.globs else None
                for language in matcher.languages:
                    arranged.code.setdefault(language, []).append((detector, matcher, where))
    if globs:
        arranged.named = _globs(globs)
    return arranged


def _name_regex(name: str) -> str:
    return ".*".join(re.escape(part) for part in name.split("*"))


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._count: dict[str, int] = {}

    def add(self, detector: Detector, file: str, line: int, text: str) -> None:
        seen = self._count.get(detector.id, 0)
        if seen >= EVIDENCE_PER_DETECTOR:
            return
        self._count[detector.id] = seen + 1
        shown = detector.note if detector.secret else clean(text.strip())
        if len(shown) > TEXT_WIDTH:
            shown = shown[: TEXT_WIDTH - 1] + "…"
        # a name that is not UTF-8 keeps its bytes as surrogates: shown with U+FFFD instead
        shown_file = clean(os.fsencode(file).decode("utf-8", "replace"))
        self.findings.append(Finding(detector, shown_file, line, shown))


def scan_tree(root: Path, detectors: Sequence[Detector] | _Plan, limits: TreeLimits | None = None,
              stats: TreeStats | None = None, tick: Callable[[int], None] | None = None) -> list[Finding]:
    """Every finding of `detectors` in the tree at `root`, in file order."""
    arranged = detectors if isinstance(detectors, _Plan) else plan(detectors)
    limits = limits or TreeLimits()
    stats = stats if stats is not None else TreeStats()
    found = _Collector()
    for file in walk_tree(root, limits, stats):
        _scan_file(file, arranged, limits, stats, found)
        if tick is not None:
            tick(1)
    return found.findings


def _scan_file(file: TreeFile, arranged: _Plan, limits: TreeLimits, stats: TreeStats, found: _Collector) -> None:
    path = file.path
    test = NOT_THE_APP.search(path) is not None
    named = arranged.named is not None and arranged.named.match(path) is not None
    lower = file.name.lower()
    reader = reader_for(lower if "/requirements/" not in f"/{path.lower()}" else f"requirements/{lower}")
    dockerfile = _DOCKERFILE.search(path) is not None and _HIDDEN.search(path) is None
    language = "dockerfile" if dockerfile else language_of(file.name)
    hidden = _HIDDEN.search(path) is not None  # in .github, .devcontainer...: only where a glob says so
    code = [(d, m, w) for d, m, w in arranged.code.get(language or "", ())
            if (m.tests or not test) and (w.match(path) if w is not None else not hidden)]
    if test:
        reader, dockerfile, named = None, False, False
    if not (named or reader or dockerfile or code):
        return
    configs = []
    if named:
        for detector, where in arranged.files:
            if where.match(path):
                found.add(detector, path, 0, "")
        configs = [(d, c) for d, c, where in arranged.configs if where.match(path)]
    if not (reader or dockerfile or code or configs):
        return
    text = read_source(file, limits, stats)
    if text is None:
        return
    if reader is not None:
        _dependencies(path, list(reader(text)), arranged, found)
    if dockerfile:
        _dockerfile(path, text, arranged, found)
    if configs:
        listed = list(entries(path, text))
        for detector, config in configs:
            for key, value, line in listed:
                if config.key.fullmatch(key) and (config.value is None or config.value.search(value)):
                    found.add(detector, path, line, f"{key}={value}" if value else key)
                    break
    regions: Regions | None = None
    for detector, matcher, _ in code:
        for match in matcher.regex.finditer(text):
            if regions is None:
                regions = Regions(text, language or "text")
            if regions.allows(match.start(), matcher.where):
                line, shown = line_at(text, match.start())
                found.add(detector, path, line, shown)
                break


def _dependencies(path: str, dependencies: list[Dependency], arranged: _Plan, found: _Collector) -> None:
    for detector, matcher, names in arranged.dependencies:
        for dependency in dependencies:
            if dependency.ecosystem == matcher.ecosystem and (matcher.dev or not dependency.dev) \
                    and names.match(dependency.name):
                found.add(detector, path, dependency.line, dependency.name)
                break


_INSTRUCTION = re.compile(r"^[ \t]*([A-Za-z]+)[ \t]+(.*)$")


def instructions(text: str) -> list[tuple[str, str, int]]:
    """A Dockerfile's instructions: (NAME, arguments with continuations joined, line)."""
    out: list[tuple[str, str, int]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        start = i
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.rstrip().endswith("\\") and i < len(lines):
            following = lines[i]
            i += 1
            if following.lstrip().startswith("#"):
                continue
            line = line.rstrip()[:-1] + " " + following.strip()
        found = _INSTRUCTION.match(line)
        if found:
            out.append((found.group(1).upper(), found.group(2).strip(), start + 1))
    return out


_STAGE = re.compile(r"^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE)


def _resolve_stages(steps: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """The steps with each `FROM stage` naming an earlier stage replaced by what that stage is
    built FROM, so that image matchers see the real base image."""
    bases: dict[str, str] = {}
    out = []
    for name, args, line in steps:
        if name == "FROM":
            found = _STAGE.match(args)
            if found:
                image, alias = found.group(1), found.group(2)
                if image.lower() in bases:
                    args = bases[image.lower()] + (f" AS {alias}" if alias else "")
                if alias:
                    bases[alias.lower()] = bases.get(image.lower(), image)
        out.append((name, args, line))
    return out


def _dockerfile(path: str, text: str, arranged: _Plan, found: _Collector) -> None:
    steps = _resolve_stages(instructions(text))
    final_from = max((i for i, step in enumerate(steps) if step[0] == "FROM"), default=None)
    for detector, matcher in arranged.dockerfiles:
        if matcher.missing:
            if final_from is None:
                continue
            final = steps[final_from:]
            if not any(name == matcher.instruction for name, _, _ in final):
                name, args, line = steps[final_from]
                if matcher.args is None or matcher.args.search(args):
                    found.add(detector, path, line, f"{name} {args}")
            continue
        candidates = steps
        if matcher.last:
            last = [step for step in steps[final_from or 0:] if step[0] == matcher.instruction][-1:]
            candidates = last
        for name, args, line in candidates:
            if name == matcher.instruction and (matcher.args is None or matcher.args.search(args)):
                found.add(detector, path, line, f"{name} {args}")
                break

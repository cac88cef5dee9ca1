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

import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from checklist.core.text import clean
from checklist.discover.configs import Entry, entries, yaml_documents
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
from checklist.io.workers import cores, running_workers

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
# The package directories of JVM source (com/example/demo is Spring Initializr's default) are
# names, not tests or examples: they are left out before NOT_THE_APP looks at a path.
_PACKAGES = re.compile(r"((?:^|/)src/main/(?:java|kotlin|scala|groovy)/).*/")
_HIDDEN = re.compile(r"(?:^|/)\.[^/]+/")
_DOCKERFILE = re.compile(r"(?:^|/)(?:(?:docker|container)file(?:\.[^/]*)?|[^/]*\.dockerfile)$", re.IGNORECASE)
# A Dockerfile for development, tests or CI: it exists (the file matchers see it), but its
# USER, CMD and base image say nothing about the image that runs in production.
_DEVELOPMENT_DOCKERFILE = re.compile(
    r"(?:^|/)(?:dev|devel|development|local|test|tests|ci|debug)[./-][^/]*$"
    r"|(?:^|/)(?:docker|container)file[.-](?:dev|devel|development|local|test|tests|ci|debug|e2e)\b[^/]*$"
    r"|(?:^|/)(?:dev|development|local|ci|debug)/[^/]*$", re.IGNORECASE)
# A final stage that starts a development server or a file watcher is a development image.
_DEVELOPMENT_COMMAND = re.compile(
    r"\brunserver\b|\bflask\W+run\b|--reload\b|\bnodemon\b|\bnpm\W+run\W+dev\b|\byarn\W+dev\b|\bbin/dev\b"
    r"|\bdotnet\W+watch\b|\bair\b|\bspring-boot:run\b|\bbootRun\b|\bphp\W+artisan\W+serve\b"
    r"|\bsleep\W+infinity\b|\btail\W+-f\W+/dev/null\b")


def _glob_body(glob: str) -> str:
    """A glob as a regular expression: '**/' any directories, '**' anything, '*' within one name."""
    out = ""
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


def _either(bodies: list[str], head: str = "") -> re.Pattern[str] | None:
    return re.compile(head + "(?:" + "|".join(bodies) + r")\Z", re.IGNORECASE) if bodies else None


class Globs:
    """Path globs, matched below any directory but a hidden one (.github, .devcontainer: tooling,
    not the application); a glob that names a hidden directory (.github/workflows/*.yml) matches
    there, and one that starts with '/' only at the tree's root. A name alone is matched against
    the file's name, which is shorter and faster than its path."""

    def __init__(self, globs: Iterable[str]) -> None:
        globs = list(globs)
        self._names = _either([_glob_body(g) for g in globs if "/" not in g])
        self._rooted = _either([_glob_body(g[1:]) for g in globs if g.startswith("/")])
        self._paths = _either([_glob_body(g) for g in globs if "/" in g and not g.startswith("/")], "(?:^|/)")

    def match(self, path: str, name: str, hidden: bool) -> bool:
        if self._names is not None and not hidden and self._names.match(name):
            return True
        if self._rooted is not None and self._rooted.match(path):
            return True
        if self._paths is not None:
            found = self._paths.search(path)
            if found and _HIDDEN.search(path, 0, found.start() + 1) is None:
                return True
        return False


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

    files: list[tuple[Detector, Globs]] = field(default_factory=list)
    dependencies: list[tuple[Detector, DependencyMatch, re.Pattern[str]]] = field(default_factory=list)
    dockerfiles: list[tuple[Detector, DockerfileMatch]] = field(default_factory=list)
    configs: list[tuple[Detector, ConfigMatch, Globs]] = field(default_factory=list)
    code: dict[str, list[tuple[Detector, CodeMatch, Globs | None]]] = field(default_factory=dict)
    named: Globs | None = None  # any glob a file or config matcher names
    by_id: dict[str, Detector] = field(default_factory=dict)
    # per language: the distinct literals of its patterns (as written, and in lower case)
    literals: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)


def plan(detectors: Sequence[Detector]) -> _Plan:
    """Arrange `detectors` for scanning (done once for many trees)."""
    arranged = _Plan()
    globs: list[str] = []
    for detector in detectors:
        arranged.by_id[detector.id] = detector
        for matcher in detector.matchers:
            if isinstance(matcher, FileMatch):
                arranged.files.append((detector, Globs(matcher.globs)))
                globs.extend(matcher.globs)
            elif isinstance(matcher, DependencyMatch):
                names = "|".join(_name_regex(n) for n in matcher.names)
                arranged.dependencies.append((detector, matcher, re.compile(f"(?:{names})\\Z", re.IGNORECASE)))
            elif isinstance(matcher, DockerfileMatch):
                arranged.dockerfiles.append((detector, matcher))
            elif isinstance(matcher, ConfigMatch):
                arranged.configs.append((detector, matcher, Globs(matcher.globs)))
                globs.extend(matcher.globs)
            elif isinstance(matcher, CodeMatch):
                where = Globs(matcher.globs) if matcher.globs else None
                for language in matcher.languages:
                    arranged.code.setdefault(language, []).append((detector, matcher, where))
    if globs:
        arranged.named = Globs(globs)
    for language, patterns in arranged.code.items():
        exact = {t for _, m, _ in patterns if m.literals and not m.ignorecase for t in m.literals}
        folded = {t for _, m, _ in patterns if m.literals and m.ignorecase for t in m.literals}
        arranged.literals[language] = (tuple(sorted(exact)), tuple(sorted(folded)))
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

    def merge(self, found: list[Finding]) -> None:
        for finding in found:  # already cleaned and cut
            seen = self._count.get(finding.detector.id, 0)
            if seen < EVIDENCE_PER_DETECTOR:
                self._count[finding.detector.id] = seen + 1
                self.findings.append(finding)


# A tree of more files than this is scanned by one worker process per core, in chunks: reading
# and matching are CPU-bound, and a fork costs less than this many files (bench/RESULTS.md).
PARALLEL_FROM = 2000
CHUNK = 250
_WORK: tuple[_Plan, TreeLimits] | None = None  # what a worker scans with, set before it forks


def _scan_chunk(files: list[TreeFile]) -> tuple[list[tuple[str, str, int, str]], tuple[int, int, int]]:
    """In a worker: the findings of `files` as (detector id, file, line, text), and what it left out."""
    assert _WORK is not None
    arranged, limits = _WORK
    stats = TreeStats()
    found = _Collector()
    for file in files:
        _scan_file(file, arranged, limits, stats, found)
    return ([(f.detector.id, f.file, f.line, f.text) for f in found.findings],
            (stats.too_big, stats.binary, stats.unreadable))


def _chunks(first: list[TreeFile], rest: Iterator[TreeFile]) -> Iterator[list[TreeFile]]:
    files = itertools.chain(first, rest)
    while chunk := list(itertools.islice(files, CHUNK)):
        yield chunk


def scan_tree(root: Path, detectors: Sequence[Detector] | _Plan, limits: TreeLimits | None = None,
              stats: TreeStats | None = None, tick: Callable[[int], None] | None = None) -> list[Finding]:
    """Every finding of `detectors` in the tree at `root`, in file order (the same whether the
    tree is scanned here or by worker processes)."""
    global _WORK
    arranged = detectors if isinstance(detectors, _Plan) else plan(detectors)
    limits = limits or TreeLimits()
    stats = stats if stats is not None else TreeStats()
    found = _Collector()
    walk = walk_tree(root, limits, stats)
    first = list(itertools.islice(walk, PARALLEL_FROM))
    workers = cores()
    if len(first) < PARALLEL_FROM or workers < 2 or not hasattr(os, "fork"):
        for file in itertools.chain(first, walk):
            _scan_file(file, arranged, limits, stats, found)
            if tick is not None:
                tick(1)
        return found.findings
    _WORK = (arranged, limits)
    try:
        with running_workers(workers) as pool:
            for findings, (too_big, binary, unreadable) in pool.imap(_scan_chunk, _chunks(first, walk)):
                found.merge([Finding(arranged.by_id[d], f, line, text) for d, f, line, text in findings])
                stats.too_big += too_big
                stats.binary += binary
                stats.unreadable += unreadable
                if tick is not None:
                    tick(CHUNK)
    finally:
        _WORK = None
    return found.findings


def _scan_file(file: TreeFile, arranged: _Plan, limits: TreeLimits, stats: TreeStats, found: _Collector) -> None:
    path, name = file.path, file.name
    test = NOT_THE_APP.search(_PACKAGES.sub(r"\1", path)) is not None
    hidden = _HIDDEN.search(path) is not None  # in .github, .devcontainer...: only where a glob says so
    named = arranged.named is not None and arranged.named.match(path, name, hidden)
    lower = name.lower()
    reader = reader_for(lower if "/requirements/" not in f"/{path.lower()}" else f"requirements/{lower}")
    dockerfile = not hidden and _DOCKERFILE.search(path) is not None
    language = "dockerfile" if dockerfile else language_of(file.name)
    if dockerfile and _DEVELOPMENT_DOCKERFILE.search(path):
        dockerfile, language = False, None
    code = [(d, m, w) for d, m, w in arranged.code.get(language or "", ())
            if (m.tests or not test) and (w.match(path, name, hidden) if w is not None else not hidden)]
    if test:
        reader, dockerfile, named = None, False, False
    if not (named or reader or dockerfile or code):
        return
    configs = []
    if named:
        for detector, where in arranged.files:
            if where.match(path, name, hidden):
                found.add(detector, path, 0, "")
        configs = [(d, c) for d, c, where in arranged.configs if where.match(path, name, hidden)]
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
        lines = text.splitlines() if language == "xml" else None  # XML evidence is the line as written
        for detector, config in configs:
            for key, value, line in listed:
                if config.key.fullmatch(key) and (config.value is None or config.value.search(value)):
                    shown = lines[line - 1] if lines and line <= len(lines) else f"{key}={value}" if value else key
                    found.add(detector, path, line, shown)
                    break
    regions: Regions | None = None
    # Search a pattern only in a file that holds text every match must (checklist.discover.literals):
    # each distinct literal of the language is looked for once.
    literals = arranged.literals.get(language or "")
    present: set[str] = set()
    if literals is not None and code:
        present = {literal for literal in literals[0] if literal in text}
        if literals[1]:
            lowered = text.lower()
            present.update(literal for literal in literals[1] if literal in lowered)
    for detector, matcher, _ in code:
        if matcher.literals is not None and present.isdisjoint(matcher.literals):
            continue
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
            if dependency.ecosystem == matcher.ecosystem and names.match(dependency.name) \
                    and (matcher.dev or not dependency.dev or (matcher.lockfile and not dependency.dev_known)) \
                    and (dependency.locked or not matcher.lockfile):
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
    if any(name in ("CMD", "ENTRYPOINT") and _DEVELOPMENT_COMMAND.search(args)
           for name, args, _ in steps[final_from or 0:]):
        return  # a development image: how it runs is not how production runs
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


DEPLOYMENT_WALK = 50_000  # files: past this, the "repository" is not a service's (a home directory under git, say)


def repository_of(tree: Path) -> Path | None:
    """The top of the git checkout `tree` is a part of (`tree` itself, or a directory above it
    when it is a service of a monorepo), or None."""
    top = tree.resolve()
    return next((directory for directory in (top, *top.parents) if (directory / ".git").exists()), None)


def scan_deployment(repository: Path, tree: Path, names: Iterable[str], detectors: Sequence[Detector] | _Plan,
                    limits: TreeLimits | None = None) -> list[Finding]:
    """The findings of the configuration detectors in the documents of `repository`'s
    deployment files, outside `tree`, that describe the service `tree` holds: a Kubernetes
    object named after it (or running an image of its name), or its service in a Compose file
    (by name, or built from `tree`). Their paths are shown relative to `tree`."""
    arranged = detectors if isinstance(detectors, _Plan) else plan(detectors)
    limits = limits or TreeLimits()
    top, where = repository.resolve(), tree.resolve()
    inside = os.path.relpath(where, top).replace(os.sep, "/")
    wanted = {name.lower() for name in names}
    found = _Collector()
    untold = TreeStats()  # what this walk leaves out is not the application's to report
    for file in itertools.islice(walk_tree(top, limits, untold, skip=inside + "/"), DEPLOYMENT_WALK):
        path = file.path
        if not file.name.lower().endswith((".yml", ".yaml")) or NOT_THE_APP.search(path) or _HIDDEN.search(path):
            continue
        configs = [(d, c) for d, c, globs in arranged.configs if globs.match(path, file.name, False)]
        text = read_source(file, limits, untold) if configs else None
        if text is None or ("kind:" not in text and "services:" not in text):
            continue
        shown = os.path.relpath(os.path.join(top, path), where).replace(os.sep, "/")
        base = os.path.dirname(path)
        for document in yaml_documents(text):
            mine = _describing(document, wanted, inside, base)
            for detector, config in configs:
                for key, value, line in mine:
                    if config.key.fullmatch(key) and (config.value is None or config.value.search(value)):
                        found.add(detector, shown, line, f"{key}={value}" if value else key)
                        break
    return found.findings


_OBJECT_NAME = re.compile(r"metadata\.name|.*\.containers\.(?:name|image)")


def _describing(document: list[Entry], names: set[str], inside: str, base: str) -> list[Entry]:
    """The entries of a deployment document that are about the service: a whole Kubernetes
    object, or one service of a Compose file."""
    if any(key == "kind" for key, _, _ in document):
        for key, value, _ in document:
            if _OBJECT_NAME.fullmatch(key) and re.split(r"[:@]", value.rsplit("/", 1)[-1])[0].lower() in names:
                return document
        return []
    services = {key.split(".")[1] for key, _, _ in document if key.startswith("services.")}
    built = {key.split(".")[1] for key, value, _ in document
             if re.fullmatch(r"services\.[^.]+\.build(?:\.context)?", key) and value
             and os.path.normpath(os.path.join(base, value)).replace(os.sep, "/") == inside}
    mine = {service for service in services if service.lower() in names} | built
    return [entry for entry in document if entry[0].startswith("services.") and entry[0].split(".")[1] in mine]

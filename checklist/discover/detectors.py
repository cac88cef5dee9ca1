"""Detectors: what `checklist scan` looks for, as data (rules/detectors/*.yaml).

Each detector names the fact and value its evidence implies, how strong the
evidence is, where to look (matchers) and examples the tests run. Loading
checks them against the JSON Schema and then against the catalog: the fact
exists for applications, the value is one of its choices, every regular
expression compiles, ids are unique.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checklist.core.errors import ChecklistError, DocPath, Problem
from checklist.core.model import Catalog
from checklist.discover.literals import required_literals
from checklist.io.catalog import DETECTORS, default_catalog_dir
from checklist.io.schemas import load_schema, schema_problems, validator_for
from checklist.io.source import DEFAULT_LIMITS, Limits, Source, load_file

STRENGTH = {"strong": 3, "medium": 2, "weak": 1}


@dataclass(frozen=True)
class FileMatch:
    """A file whose path matches one of the globs exists."""

    globs: tuple[str, ...]


@dataclass(frozen=True)
class DependencyMatch:
    """A dependency of one of these names (globs, case-insensitive) in the ecosystem's manifests."""

    ecosystem: str
    names: tuple[str, ...]
    dev: bool = False
    lockfile: bool = False  # only what a lockfile pins (development ones only where it cannot tell them)


@dataclass(frozen=True)
class DockerfileMatch:
    """A Dockerfile instruction whose arguments match `args`; with `missing`, a final build stage
    without that instruction."""

    instruction: str
    args: re.Pattern[str] | None = None
    missing: bool = False
    last: bool = False  # only the final stage's last such instruction counts


@dataclass(frozen=True)
class ConfigMatch:
    """A key (dotted, as properties files write it) in configuration files, with a value matching `value`."""

    globs: tuple[str, ...]
    key: re.Pattern[str]
    value: re.Pattern[str] | None = None


@dataclass(frozen=True)
class CodeMatch:
    """A pattern in source files of these languages, starting in code, in a string, or anywhere
    but a comment; never in test or vendored code unless `tests`."""

    languages: tuple[str, ...]
    regex: re.Pattern[str]
    where: str = "code"  # code | string | any
    globs: tuple[str, ...] = ()
    tests: bool = False
    # text every match contains one of (lower case when the pattern ignores case); None: always search
    literals: tuple[str, ...] | None = None
    ignorecase: bool = False


@dataclass(frozen=True)
class HostMatch:
    """A record of a collected archive (checklist.discover.host) of this kind whose text matches
    `regex` and not `unless`."""

    record: str
    regex: re.Pattern[str]
    unless: re.Pattern[str] | None = None


Matcher = FileMatch | DependencyMatch | DockerfileMatch | ConfigMatch | CodeMatch | HostMatch


@dataclass(frozen=True)
class DetectorExample:
    files: Mapping[str, str]
    proposes: bool
    origin: Problem  # where it is written


@dataclass(frozen=True)
class Detector:
    id: str
    fact: str
    value: Any
    strength: str
    matchers: tuple[Matcher, ...]
    examples: tuple[DetectorExample, ...] = ()
    note: str = ""
    secret: bool = False  # evidence keeps the place, never the matched text
    origin: str = ""

    @property
    def rank(self) -> int:
        return STRENGTH[self.strength]

    @property
    def host(self) -> bool:
        """Whether it reads a collected archive rather than a source tree."""
        return any(isinstance(m, HostMatch) for m in self.matchers)


def default_detector_dir() -> Path:
    return default_catalog_dir() / DETECTORS


def load_detectors(catalog: Catalog, extra: Sequence[Path] = (), limits: Limits = DEFAULT_LIMITS,
                   ) -> tuple[Detector, ...]:
    """The shipped detectors and those in each `extra` directory's detectors/ (or the directory
    itself when it holds detector files), read within `limits` but at least the default ones,
    like the catalog's; raises ChecklistError with every problem found."""
    files: list[Path] = sorted(default_detector_dir().glob("*.yaml"))
    for directory in extra:
        own = directory / DETECTORS if (directory / DETECTORS).is_dir() else directory
        files.extend(sorted(p for p in own.glob("*.yaml") if p.is_file() and _is_detector_file(p)))
    validator = validator_for(load_schema("detectors"))
    problems: list[Problem] = []
    detectors: list[Detector] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            source = load_file(path, str(path), limits.at_least_defaults())
        except ChecklistError as exc:
            problems.extend(exc.problems)
            continue
        found = schema_problems(validator, source.data, source)
        if found:
            problems.extend(found)
            continue
        for i, raw in enumerate(source.data["detectors"]):
            where: DocPath = ("detectors", i)
            detector = _detector(raw, source, where, catalog, problems)
            if detector is None:
                continue
            if detector.id in seen:
                problems.append(source.problem((*where, "id"), f"detector id {detector.id!r} is already used at "
                                                              f"{seen[detector.id]}"))
                continue
            seen[detector.id] = detector.origin
            detectors.append(detector)
    if problems:
        raise ChecklistError(problems)
    return tuple(detectors)


def _is_detector_file(path: Path) -> bool:
    """A YAML file in a catalog of one's own is a detector file when it starts a `detectors:` list."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:65536]
    except OSError:
        return False
    return re.search(r"(?m)^detectors:", head) is not None


def _detector(raw: Mapping[str, Any], source: Source, where: DocPath, catalog: Catalog,
              problems: list[Problem]) -> Detector | None:
    before = len(problems)
    fact = catalog.facts.get(raw["fact"])
    if fact is None or fact.scope != "application":
        problems.append(source.problem((*where, "fact"), f"{raw['fact']!r} is not an application fact"))
    elif not _valid_value(fact.type, fact.values, raw["value"]):
        allowed = "true or false" if fact.type == "bool" else ", ".join(sorted(fact.values)) or "a number"
        problems.append(source.problem((*where, "value"), f"{raw['value']!r} is not an answer to {fact.id}; "
                                                           f"expected one of: {allowed}"))
    matchers = [_matcher(m, source, (*where, "match", j), problems) for j, m in enumerate(raw["match"])]
    examples = tuple(
        DetectorExample(dict(e["files"]), e.get("proposes", True), source.problem((*where, "examples", j), ""))
        for j, e in enumerate(raw["examples"])
    )
    if not any(e.proposes for e in examples) or all(e.proposes for e in examples):
        problems.append(source.problem((*where, "examples"), "needs an example that proposes and one that "
                                                              "does not (proposes: false)"))
    if any(isinstance(m, HostMatch) for m in matchers) and not all(isinstance(m, HostMatch) for m in matchers):
        problems.append(source.problem((*where, "match"), "host matchers read a collected archive, the others a "
                                                           "source tree: write them as two detectors"))
    if len(problems) > before:
        return None
    return Detector(
        id=raw["id"], fact=raw["fact"], value=raw["value"], strength=raw["strength"],
        matchers=tuple(m for m in matchers if m is not None), examples=examples, note=raw.get("note", ""),
        secret=raw.get("secret", False), origin=f"{source.name}:{source.problem(where, '').line}",
    )


def _valid_value(kind: str, values: frozenset[str], value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("choice", "multi"):
        return isinstance(value, str) and value in values
    return False  # numbers are measured, not detected


def _globs(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _regex(text: str, source: Source, where: DocPath, problems: list[Problem],
           flags: int = 0) -> re.Pattern[str] | None:
    try:
        return re.compile(text, flags)
    except re.error as exc:
        problems.append(source.problem(where, f"not a regular expression: {exc}"))
        return None


def _matcher(raw: Mapping[str, Any], source: Source, where: DocPath, problems: list[Problem]) -> Matcher | None:
    if len(raw) != 1:
        problems.append(source.problem(where, f"one matcher per entry, got {', '.join(raw)}; "
                                              "list them as separate entries"))
        return None
    kind, spec = next(iter(raw.items()))
    if kind == "file":
        return FileMatch(_globs(spec))
    if kind == "dependency":
        return DependencyMatch(spec["ecosystem"], tuple(spec["names"]), spec.get("dev", False),
                               spec.get("lockfile", False))
    if kind == "dockerfile":
        args = _regex(spec["args"], source, (*where, kind, "args"), problems) if "args" in spec else None
        return DockerfileMatch(spec["instruction"], args, spec.get("missing", False), spec.get("last", False))
    if kind == "host":
        regex = _regex(spec["regex"], source, (*where, kind, "regex"), problems)
        unless = _regex(spec["unless"], source, (*where, kind, "unless"), problems) if "unless" in spec else None
        return HostMatch(spec["record"], regex, unless) if regex is not None else None
    if kind == "config":
        key = _regex(spec["key"], source, (*where, kind, "key"), problems)
        value = _regex(spec["value"], source, (*where, kind, "value"), problems) if "value" in spec else None
        return ConfigMatch(_globs(spec["files"]), key, value) if key is not None else None
    regex = _regex(spec["regex"], source, (*where, kind, "regex"), problems, re.MULTILINE)
    if regex is None:
        return None
    return CodeMatch(tuple(spec["languages"]), regex, spec.get("in", "code"), _globs(spec.get("files", ())),
                     spec.get("tests", False), required_literals(regex), bool(regex.flags & re.IGNORECASE))

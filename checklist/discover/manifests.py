"""Dependencies declared in manifests and lockfiles, read as text (a build file is never run).

Each reader returns the dependency's name as its ecosystem writes it (Maven
`group:artifact`, npm, PyPI, Go module path, NuGet id, Composer `vendor/name`,
gem), the line that declares it, and whether it is for development or tests
only (Maven test scope, Gradle test configurations, npm devDependencies,
requirements-dev files, Composer require-dev, Gemfile test groups).

Lockfiles (package-lock.json, yarn.lock, pnpm-lock.yaml, poetry.lock, Pipfile.lock,
go.sum, composer.lock, Gemfile.lock, NuGet's packages.lock.json) list what was resolved,
transitive dependencies too; their entries are `locked`. Where a lockfile cannot tell
development dependencies from the others (yarn.lock, pnpm-lock.yaml, go.sum), its
entries count as development ones: a build tool's dependency is not the application's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dependency:
    ecosystem: str
    name: str
    line: int
    text: str
    dev: bool = False
    locked: bool = False  # read from a lockfile
    dev_known: bool = True  # False: a lockfile that cannot tell (yarn, pnpm, go.sum), so `dev` is a guess


def _line(text: str, position: int) -> tuple[int, str]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text.count("\n", 0, position) + 1, text[start: end if end >= 0 else len(text)].strip()


_XML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    """A comment replaced by blanks of the same length, lines kept, so positions stay."""
    return re.sub(r"[^\n]", " ", match.group())


_MAVEN_BLOCK = re.compile(r"<(dependency|parent|plugin)>(.*?)</\1>", re.DOTALL)
_MAVEN_FIELD = re.compile(r"<(groupId|artifactId|scope)>\s*([^<\s]+)\s*</\1>")


def maven(text: str) -> Iterator[Dependency]:
    text = _XML_COMMENT.sub(_blank, text)
    for block in _MAVEN_BLOCK.finditer(text):
        fields = {m.group(1): (m.group(2), m.start()) for m in _MAVEN_FIELD.finditer(block.group(2))}
        if "artifactId" not in fields:
            continue
        artifact, at = fields["artifactId"]
        group = fields.get("groupId", ("", 0))[0]
        line, shown = _line(text, block.start(2) + at)
        scope = fields.get("scope", ("", 0))[0]
        yield Dependency("maven", f"{group}:{artifact}", line, shown, scope == "test")


_GRADLE = re.compile(r"""^[ \t]*(\w+)[ \t(]*['"]([\w.\-]+):([\w.\-]+)(?::[^'"]*)?['"]""", re.MULTILINE)
_GRADLE_MAP = re.compile(r"""^[ \t]*(\w+)[ \t(]*group\s*[:=]\s*['"]([\w.\-]+)['"]\s*,\s*name\s*[:=]\s*['"]([\w.\-]+)""",
                         re.MULTILINE)
_GRADLE_PLUGIN = re.compile(r"""^[ \t]*id[ \t(]*['"]([\w.\-]+)['"]""", re.MULTILINE)
_GRADLE_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)


def gradle(text: str) -> Iterator[Dependency]:
    text = _GRADLE_COMMENT.sub(_blank, text)
    for found in (*_GRADLE.finditer(text), *_GRADLE_MAP.finditer(text)):
        configuration = found.group(1)
        line, shown = _line(text, found.start(2))
        yield Dependency("maven", f"{found.group(2)}:{found.group(3)}", line, shown,
                         configuration.lower().startswith("test") or "test" in configuration.lower())
    for found in _GRADLE_PLUGIN.finditer(text):
        line, shown = _line(text, found.start(1))
        yield Dependency("maven", f"plugin:{found.group(1)}", line, shown)


def _json_keys(text: str, sections: dict[str, bool], ecosystem: str) -> Iterator[Dependency]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    for section, dev in sections.items():
        names = data.get(section)
        if not isinstance(names, dict):
            continue
        anchor = text.find(f'"{section}"')
        for name in names:
            at = text.find(f'"{name}"', max(anchor, 0))
            line, shown = _line(text, at) if at >= 0 else (0, name)
            yield Dependency(ecosystem, str(name), line, shown, dev)


def npm(text: str) -> Iterator[Dependency]:
    return _json_keys(text, {"dependencies": False, "optionalDependencies": False, "peerDependencies": False,
                             "devDependencies": True}, "npm")


def composer(text: str) -> Iterator[Dependency]:
    return _json_keys(text, {"require": False, "require-dev": True}, "composer")


_REQUIREMENT = re.compile(r"^[ \t]*([A-Za-z0-9][A-Za-z0-9._\-]*)(\[[^\]]*\])?[ \t]*(?:[=<>!~;@ \t]|$)", re.MULTILINE)


def requirements(text: str, dev: bool = False) -> Iterator[Dependency]:
    for found in _REQUIREMENT.finditer(text):
        line, shown = _line(text, found.start(1))
        if shown.startswith(("#", "-")):
            continue
        yield Dependency("pypi", found.group(1), line, shown, dev)


_TOML_SECTION = re.compile(r"^[ \t]*\[([^\]\n]+)\][ \t]*$", re.MULTILINE)
_TOML_KEY = re.compile(r"""^[ \t]*["']?([A-Za-z0-9][A-Za-z0-9._\-]*)["']?[ \t]*=""", re.MULTILINE)
_TOML_STRING = re.compile(r"""["']([A-Za-z0-9][A-Za-z0-9._\-]*)(?:\[[^\]]*\])?[ \t]*(?:[=<>!~;@ ]|["'])""")
# a list's items may hold extras in brackets: "fastapi[standard]>=0.1"
_TOML_LIST = re.compile(r"""^[ \t]*([\w\-]+)[ \t]*=[ \t]*\[((?:[^\[\]]|\[[^\]]*\])*)\]""", re.MULTILINE)


def pyproject(text: str) -> Iterator[Dependency]:
    """pyproject.toml (PEP 621 lists, Poetry and PDM tables) and Pipfile."""
    text = re.sub(r"#[^\n]*", _blank, text)
    sections = [(m.group(1).strip(), m.end()) for m in _TOML_SECTION.finditer(text)]
    for i, (section, start) in enumerate(sections):
        end = sections[i + 1][1] if i + 1 < len(sections) else len(text)
        body = text[start:end]
        lowered = section.lower()
        dev = any(word in lowered for word in ("dev", "test", "lint", "doc"))
        if lowered in ("packages", "dev-packages") or lowered.endswith("dependencies"):
            for found in _TOML_KEY.finditer(body):
                if found.group(1).lower() == "python":
                    continue
                line, shown = _line(text, start + found.start(1))
                yield Dependency("pypi", found.group(1), line, shown, dev or lowered == "dev-packages")
        for listed in _TOML_LIST.finditer(body):
            if lowered == "build-system":
                continue
            key = listed.group(1).lower()
            if lowered not in ("project", "project.optional-dependencies", "dependency-groups") \
                    and key != "dependencies":
                continue
            list_dev = dev or any(word in key for word in ("dev", "test", "lint", "doc"))
            for item in _TOML_STRING.finditer(listed.group(2)):
                line, shown = _line(text, start + listed.start(2) + item.start(1))
                yield Dependency("pypi", item.group(1), line, shown, list_dev)


_LOCK_NAME = re.compile(r'^name = "([^"]+)"', re.MULTILINE)
_LOCK_DEV = re.compile(r'^category = "dev"', re.MULTILINE)


def poetry_lock(text: str) -> Iterator[Dependency]:
    """poetry.lock: each [[package]] (older versions mark development ones `category = "dev"`)."""
    found = list(_LOCK_NAME.finditer(text))
    for i, name in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        line, shown = _line(text, name.start(1))
        yield Dependency("pypi", name.group(1), line, shown, _LOCK_DEV.search(text, name.end(), end) is not None, True)


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _located(text: str, ecosystem: str, name: str, quoted: str, dev: bool) -> Dependency:
    at = text.find(quoted)
    line, shown = _line(text, at) if at >= 0 else (0, name)
    return Dependency(ecosystem, name, line, shown, dev, True)


def package_lock(text: str) -> Iterator[Dependency]:
    """package-lock.json / npm-shrinkwrap.json, lockfile versions 1 to 3."""
    data = _json(text)
    packages = data.get("packages")
    if isinstance(packages, dict):
        for key, entry in packages.items():
            if isinstance(key, str) and "node_modules/" in key and isinstance(entry, dict):
                name = key.rsplit("node_modules/", 1)[1]
                yield _located(text, "npm", name, f'"{key}"', bool(entry.get("dev") or entry.get("devOptional")))
        return
    dependencies = data.get("dependencies")
    if isinstance(dependencies, dict):
        for name, entry in dependencies.items():
            yield _located(text, "npm", str(name), f'"{name}"', isinstance(entry, dict) and bool(entry.get("dev")))


_YARN_ENTRY = re.compile(r'^"?(@?[^@\s"#][^@\s"]*)@', re.MULTILINE)


def yarn_lock(text: str) -> Iterator[Dependency]:
    for found in _YARN_ENTRY.finditer(text):
        if found.group(1) != "__metadata":
            line, shown = _line(text, found.start(1))
            yield Dependency("npm", found.group(1), line, shown, True, True, False)


_PNPM_ENTRY = re.compile(r"""^  ['"]?/?(@?[\w.\-]+(?:/[\w.\-]+)?)[@/]\d""", re.MULTILINE)


def pnpm_lock(text: str) -> Iterator[Dependency]:
    for found in _PNPM_ENTRY.finditer(text):
        line, shown = _line(text, found.start(1))
        yield Dependency("npm", found.group(1), line, shown, True, True, False)


def pipfile_lock(text: str) -> Iterator[Dependency]:
    data = _json(text)
    for section, dev in (("default", False), ("develop", True)):
        names = data.get(section)
        if isinstance(names, dict):
            anchor = text.find(f'"{section}"')
            for name in names:
                at = text.find(f'"{name}"', max(anchor, 0))
                line, shown = _line(text, at) if at >= 0 else (0, name)
                yield Dependency("pypi", str(name), line, shown, dev, True)


_GO_SUM = re.compile(r"^(\S+) v\S+? h1:", re.MULTILINE)


def go_sum(text: str) -> Iterator[Dependency]:
    seen: set[str] = set()
    for found in _GO_SUM.finditer(text):
        if found.group(1) not in seen:
            seen.add(found.group(1))
            line, shown = _line(text, found.start(1))
            yield Dependency("go", found.group(1), line, shown, True, True, False)


def nuget_lock(text: str) -> Iterator[Dependency]:
    """NuGet's packages.lock.json: per target framework, each package and whether it is Direct."""
    frameworks = _json(text).get("dependencies")
    if not isinstance(frameworks, dict):
        return
    for packages in frameworks.values():
        if isinstance(packages, dict):
            for name in packages:
                yield _located(text, "nuget", str(name), f'"{name}"', False)


_SETUP = re.compile(r"""["']([A-Za-z0-9][A-Za-z0-9._\-]*)(?:\[[^\]]*\])?[ \t]*(?:[=<>!~;]|["'])""")


def setup_py(text: str) -> Iterator[Dependency]:
    found = re.search(r"install_requires\s*=\s*\[(.*?)\]", text, re.DOTALL)
    if found is None:
        return
    for item in _SETUP.finditer(found.group(1)):
        line, shown = _line(text, found.start(1) + item.start(1))
        yield Dependency("pypi", item.group(1), line, shown)


_GO_REQUIRE = re.compile(r"^(?:require[ \t]+|[ \t]+)([\w.\-]+\.[\w.\-/~]+)[ \t]+v[\w.\-+]+", re.MULTILINE)


def go_mod(text: str) -> Iterator[Dependency]:
    for found in _GO_REQUIRE.finditer(text):
        line, shown = _line(text, found.start(1))
        yield Dependency("go", found.group(1), line, shown, "// indirect" in shown)


_NUGET = re.compile(r"""<PackageReference\s[^>]*?Include\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_PACKAGES_CONFIG = re.compile(r"""<package\s[^>]*?id\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def csproj(text: str) -> Iterator[Dependency]:
    text = _XML_COMMENT.sub(_blank, text)
    for found in (*_NUGET.finditer(text), *_PACKAGES_CONFIG.finditer(text)):
        line, shown = _line(text, found.start(1))
        yield Dependency("nuget", found.group(1), line, shown)


_GEM = re.compile(r"""^[ \t]*gem[ \t(]+["']([\w.\-]+)["']""", re.MULTILINE)
_GEM_GROUP = re.compile(r"^([ \t]*)group\b([^\n]*)\bdo\b.*?^\1end\b", re.MULTILINE | re.DOTALL)


def gemfile(text: str) -> Iterator[Dependency]:
    text = re.sub(r"(?m)#[^\n]*", _blank, text)
    test_groups = [(g.start(), g.end()) for g in _GEM_GROUP.finditer(text)
                   if re.search(r":(test|development)\b", g.group(2)) and ":production" not in g.group(2)]
    for found in _GEM.finditer(text):
        line, shown = _line(text, found.start(1))
        dev = any(start <= found.start() < end for start, end in test_groups) or \
            bool(re.search(r"group:\s*\[?:(test|development)\b", shown))
        yield Dependency("rubygems", found.group(1), line, shown, dev)


_GEM_LOCK = re.compile(r"^    ([\w.\-]+) \(", re.MULTILINE)


def gemfile_lock(text: str) -> Iterator[Dependency]:
    for found in _GEM_LOCK.finditer(text):
        line, shown = _line(text, found.start(1))
        yield Dependency("rubygems", found.group(1), line, shown, False, True)


def composer_lock(text: str) -> Iterator[Dependency]:
    data = _json(text)
    for section, dev in (("packages", False), ("packages-dev", True)):
        for entry in data.get(section) or ():
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                yield _located(text, "composer", entry["name"], f'"name": "{entry["name"]}"', dev)


def reader_for(name: str) -> Callable[[str], Iterator[Dependency]] | None:
    """The manifest reader for a file name (lower case), or None."""
    if name in READERS:
        return READERS[name]
    if name.endswith((".csproj", ".vbproj", ".fsproj")):
        return csproj
    if (name.startswith("requirements") or name.startswith("requirements/")) and name.endswith((".txt", ".in")):
        dev = any(word in name for word in ("dev", "test", "lint", "doc", "ci"))
        return lambda text: requirements(text, dev)
    return None


READERS: dict[str, Callable[[str], Iterator[Dependency]]] = {
    "pom.xml": maven, "build.gradle": gradle, "build.gradle.kts": gradle, "package.json": npm,
    "composer.json": composer, "composer.lock": composer_lock, "pyproject.toml": pyproject, "pipfile": pyproject,
    "poetry.lock": poetry_lock, "setup.py": setup_py, "go.mod": go_mod, "packages.config": csproj,
    "directory.packages.props": csproj, "gemfile": gemfile, "gemfile.lock": gemfile_lock,
    "package-lock.json": package_lock, "npm-shrinkwrap.json": package_lock, "yarn.lock": yarn_lock,
    "pnpm-lock.yaml": pnpm_lock, "pipfile.lock": pipfile_lock, "go.sum": go_sum, "packages.lock.json": nuget_lock,
}

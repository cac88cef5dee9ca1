"""Konveyor's application import CSV (record types 1 and 2) read as our inventory:
ids from names, owners, ``Category/Tag`` tags and dependencies; located problems."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from checklist.core.conditions import Suggestions
from checklist.core.errors import ChecklistError, Problem

# Columns of a record type 1 row, by position, as tackle2-hub's importer reads them.
APP_COLUMNS = ("record type", "application name", "description", "comments", "business service", "dependency",
               "dependency direction", "binary group", "binary artifact", "binary version", "binary packaging",
               "repository kind", "repository url", "repository branch", "repository path", "owner", "contributors")
TAG_PAIRS = 20
DIRECTIONS = ("northbound", "southbound")


def slug(name: str) -> str:
    """An application id from a name: lowercase letters and digits joined by '-'.
    Accented letters keep their base letter (``Über`` → ``uber``), not a gap."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text or "app"


@dataclass(frozen=True)
class CsvImport:
    """Konveyor's application CSV as our inventory, and what the reader should know."""

    inventory: dict[str, Any]
    renamed: tuple[tuple[str, str, str], ...]  # (name, plain slug, id given) for every collision
    dependencies: int


def _owner(text: str) -> str:
    """Konveyor writes stakeholders as ``Name <email>``; our owner is the name."""
    match = re.match(r"\s*(.+?)\s*<[^>]*>\s*$", text)
    return match.group(1) if match else text.strip()


def read_application_csv(text: str, display: str) -> CsvImport:
    """Parse Konveyor's application import CSV (record types 1 and 2) into an inventory.

    Columns are positional, as the hub reads them; the first row is a header.
    A header whose 16th column names a tag category (the older layout without
    owner and contributors) moves the tag pairs to start there.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []  # (the line the row starts on, its cells)
    start = 1
    try:
        for cells in reader:  # a quoted cell may hold line breaks, so rows and lines differ
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ChecklistError(Problem(display, f"invalid CSV: {exc}", start, 1)) from None
    problems: list[Problem] = []
    if not rows:
        raise ChecklistError(Problem(display, "empty file; expected Konveyor's application CSV", 1, 1))
    header = [cell.strip().lower() for cell in rows[0][1]]
    tags_from = 15 if len(header) > 15 and header[15].startswith("tag") else len(APP_COLUMNS)
    apps: list[dict[str, Any]] = []
    by_name: dict[str, tuple[dict[str, Any], int]] = {}
    links: list[tuple[int, int, str, str, str]] = []  # (line, column, app name, dependency name, direction)
    used: set[str] = set()
    suffixes: dict[str, int] = {}  # the last number given to each slug that was taken
    renamed: list[tuple[str, str, str]] = []
    for line, row in rows[1:]:
        row = [cell.strip() for cell in row]
        if not any(row):
            continue
        kind = row[0]
        if kind not in ("1", "2"):
            problems.append(Problem(display, f"record type {kind!r}: expected 1 (an application) or 2 (a dependency)",
                                    line, 1, "record type"))
            continue
        if len(row) < 7:
            problems.append(Problem(display, f"a record type {kind} row needs at least 7 columns, this one has "
                                             f"{len(row)}", line, 1))
            continue
        name = row[1]
        if not name:
            problems.append(Problem(display, "the application name is empty", line, 2, "application name"))
            continue
        if row[5] or row[6]:
            links.append((line, 6, name, row[5], row[6]))
        if kind == "2":
            continue
        folded = name.casefold()
        if folded in by_name:
            problems.append(Problem(display, f"application {name!r} is already defined on line {by_name[folded][1]}",
                                    line, 2, "application name"))
            continue
        base = slug(name)
        app_id, n = base, suffixes.get(base, 1)  # the numbers below n were taken when last tried
        while app_id in used:
            n += 1
            app_id = f"{base}-{n}"
        suffixes[base] = n
        if app_id != base:
            renamed.append((name, base, app_id))
        used.add(app_id)
        app: dict[str, Any] = {"id": app_id, "name": name}
        owner = _owner(row[15]) if tags_from > 15 and len(row) > 15 else ""
        if owner:
            app["owner"] = owner
        tags: list[str] = []
        for pair in range(TAG_PAIRS):
            at = tags_from + 2 * pair
            if at >= len(row):
                break
            category, tag = row[at] if at < len(row) else "", row[at + 1] if at + 1 < len(row) else ""
            if not tag:
                continue
            if not category:
                problems.append(Problem(display, f"tag {tag!r} has no tag category", line, at + 1))
                continue
            if "/" in category:
                problems.append(Problem(display, f"tag category {category!r} contains '/', which separates category "
                                                 "and tag in an inventory", line, at + 1))
                continue
            text_tag = f"{category}/{tag}"
            if text_tag not in tags:
                tags.append(text_tag)
        if tags:
            app["tags"] = tags
        app["answers"] = {}
        apps.append(app)
        by_name[folded] = (app, line)
    dependencies = 0
    names = Suggestions([a["name"] for a in apps])
    for line, column, name, other, direction in links:
        if not other or not direction:
            missing = "dependency" if not other else "dependency direction"
            problems.append(Problem(display, f"the {missing} is empty", line, column if not other else column + 1,
                                    missing))
            continue
        if direction.lower() not in DIRECTIONS:
            problems.append(Problem(display, f"direction {direction!r}: expected northbound or southbound",
                                    line, column + 1, "dependency direction"))
            continue
        ends = []
        for end, col in ((name, 2), (other, column)):
            found = by_name.get(end.casefold())
            if found is None:
                hint = names(end)
                problems.append(Problem(display, f"no application {end!r} in this file{hint}", line, col))
            ends.append(found[0] if found else None)
        app_entry, dep_entry = ends
        if app_entry is None or dep_entry is None:
            continue
        if app_entry is dep_entry:
            problems.append(Problem(display, "an application cannot depend on itself", line, column))
            continue
        # southbound: the application calls the dependency; northbound: the dependency calls it.
        source, target = (app_entry, dep_entry) if direction.lower() == "southbound" else (dep_entry, app_entry)
        depends = source.setdefault("depends_on", [])
        if target["id"] not in depends:
            depends.append(target["id"])
            dependencies += 1
    if problems:
        raise ChecklistError(problems)
    for app in apps:  # our key order: metadata, then answers last
        if "depends_on" in app:
            app["answers"] = app.pop("answers")
    return CsvImport({"version": 1, "applications": apps}, tuple(renamed), dependencies)

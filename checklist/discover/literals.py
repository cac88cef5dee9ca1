"""The literal text a regular expression cannot match without, so that a pattern is searched
only in files that contain it.

`str.__contains__` scans a file at memory speed, while most patterns (an alternation behind
`\\b`, a lookbehind) make Python's regex engine try every position: on the generated tree of
bench/scan_speed.py the patterns alone took 60 s for 113 MB, and 7.5 s behind this check
(bench/RESULTS.md). The literals are read from the pattern's parse tree, so a detector's
author writes only the pattern.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind `re` (Python 3.11 moved it)
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p

SHORTEST = 3  # a literal shorter than this is in nearly every file: it would select nothing


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals of which every match contains at least one (lower case when the pattern
    ignores case), or None when none can be told (then the pattern is always searched)."""
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except (re.error, RecursionError):  # pragma: no cover - it compiled already
        return None
    found = _sequence(list(parsed))
    if not found:
        return None
    if pattern.flags & re.IGNORECASE:
        return tuple(sorted({literal.lower() for literal in found}))
    return tuple(sorted(found))


def _leading(items: list[tuple[Any, Any]]) -> str:
    """The literal text every match of `items` starts with."""
    out = []
    for op, arg in items:
        if op is _c.LITERAL:
            out.append(chr(arg))
        elif op is _c.SUBPATTERN and not out:
            return _leading(list(arg[-1]))
        else:
            break
    return "".join(out)


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The best set of alternative literals one of which a match of `items` must contain."""
    candidates: list[set[str]] = []
    run: set[str] = {""}  # the literal text just before: a set, as [pousr] gives five

    def flush() -> None:
        if min(map(len, run)) >= SHORTEST:
            candidates.append(set(run))
        run.clear()
        run.add("")

    for op, arg in items:
        if op is _c.LITERAL:
            run_ = {text + chr(arg) for text in run}
            run.clear()
            run.update(run_)
            continue
        if op is _c.IN and all(kind is _c.LITERAL for kind, _ in arg) and len(arg) * len(run) <= 32:
            run_ = {text + chr(char) for text in run for _, char in arg}
            run.clear()
            run.update(run_)
            continue
        if op is _c.BRANCH and run != {""}:
            # the parser moves a prefix the alternatives share in front of them: put it back
            options = []
            for branch in arg[1]:
                leads = {text + _leading(list(branch)) for text in run}
                options.append(leads if min(map(len, leads)) >= SHORTEST else _sequence(list(branch)))
            if all(options):
                candidates.append(set().union(*options))  # type: ignore[arg-type]
        flush()
        if op is _c.SUBPATTERN:
            inner = _sequence(list(arg[-1]))
            if inner:
                candidates.append(inner)
        elif op is _c.BRANCH:
            branches = [_sequence(list(branch)) for branch in arg[1]]
            if all(branches):
                candidates.append(set().union(*branches))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[0] >= 1:
            inner = _sequence(list(arg[2]))
            if inner:
                candidates.append(inner)
    flush()
    if not candidates:
        return None
    # the most selective: the set whose shortest literal is longest, then the smallest set
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))

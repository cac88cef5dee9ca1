"""Jinja2 for the documents: our templates, optionally overridden from a directory.

Templates always render in Jinja2's sandbox (a template from another team
cannot reach Python internals). HTML autoescapes; Markdown escapes every
``{{ … }}`` for Markdown unless it is marked safe, so user text (an
application called ``a|b <script>``) cannot break a table or inject HTML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from checklist.report import charts

# Characters that start Markdown constructs anywhere in a line. Parentheses and
# "!" only matter after "]", which is escaped, so plain text keeps them readable.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")
_MD_LINE_START = re.compile(r"^([-+=])")


def default_templates_dir() -> Path:
    """The templates shipped with the package (or the repository's ``templates/``)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_data" / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def md_escape(value: Any) -> str:
    """`value` as literal Markdown text on one line: CommonMark punctuation escaped,
    line breaks flattened, list and heading markers at the start neutralised."""
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\\\1", text)


_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def md_prose(value: Any) -> Markup:
    """Catalog prose for Markdown: `code spans` kept (only a pipe is escaped inside
    them, as GFM tables require), everything else escaped like `md_escape`."""
    parts = _CODE_SPAN.split(" ".join(str(value).split()))
    out = [part.replace("|", "\\|") if _CODE_SPAN.fullmatch(part) else _MD_SPECIAL.sub(r"\\\1", part)
           for part in parts]
    return Markup(_MD_LINE_START.sub(r"\\\1", "".join(out)))


def html_prose(value: Any) -> Markup:
    """Catalog prose for HTML: escaped, with `code spans` as <code>."""
    parts = _CODE_SPAN.split(" ".join(str(value).split()))
    return Markup("".join(
        Markup("<code>{}</code>").format(part[1:-1]) if _CODE_SPAN.fullmatch(part) else escape(part)
        for part in parts))


def css_string(value: Any) -> Markup:
    """Text for inside a CSS "string": quotes, backslashes and angle brackets escaped,
    so it can neither end the string nor the <style> element."""
    out = []
    for char in " ".join(str(value).split()):
        out.append(f"\\{ord(char):x} " if char in '\\"<>&' else char)
    return Markup("".join(out))


def _md_finalize(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return md_escape(value)


def _num(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _qty(value: float | None) -> str:
    """A quantity: whole numbers without decimals, others with one; nothing is a dash."""
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _listing(values: list[Any], limit: int | None = None) -> str:
    """Names joined with commas; beyond `limit`, "and N more"."""
    items = [str(v) for v in values]
    if limit is None or len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit} more"


def _weights(values: list[float]) -> str:
    if not values:
        return "–"
    low, high = min(values), max(values)
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


def environment(template_dir: Path | None, *, markdown: bool) -> SandboxedEnvironment:
    """The sandboxed environment for one output kind; `template_dir` templates win."""
    loaders = [FileSystemLoader(str(template_dir))] if template_dir else []
    loaders.append(FileSystemLoader(str(default_templates_dir())))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=not markdown,
        finalize=_md_finalize if markdown else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=_num, pct=_pct, qty=_qty, listing=_listing, md=md_escape, weights=_weights,
                       prose=md_prose if markdown else html_prose, css=css_string)
    env.globals.update(
        verdict_bars=lambda verdicts: Markup(charts.verdict_bars(verdicts)),
        gauge=lambda score, verdict, label: Markup(charts.gauge(score, verdict, label)),
        share_bar=lambda done, total: Markup(charts.share_bar(done, total)),
        verdict_colour=charts.VERDICT_COLOUR,
    )
    return env

"""Jinja2 for the documents: our templates, optionally overridden from a directory.

Templates always render in Jinja2's sandbox (a template from another team
cannot reach Python internals). HTML autoescapes; Markdown escapes every
``{{ … }}`` for Markdown unless it is marked safe, so user text (an
application called ``a|b <script>``) cannot break a table or inject HTML.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from checklist.render import charts

# Characters that start Markdown constructs anywhere in a line. Parentheses and
# "!" only matter after "]", which is escaped, so plain text keeps them readable.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&@])")
_MD_LINE_START = re.compile(r"^([-+=])")
# GitHub turns bare URLs (http://…, www.…) and e-mail addresses (escaped by "@" above)
# into links; an escape inside the trigger keeps the text as it reads, but unlinked.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)")


def _unlink(text: str) -> str:
    return _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)


def default_templates_dir() -> Path:
    """The templates shipped with the package (or the repository's ``templates/``)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_data" / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def md_escape(value: Any) -> str:
    """`value` as literal Markdown text on one line: CommonMark punctuation escaped,
    line breaks flattened, list and heading markers at the start neutralised, and
    bare URLs and e-mail addresses kept from becoming links."""
    text = " ".join(str(value).split())
    text = _unlink(_MD_SPECIAL.sub(r"\\\1", text))
    return _MD_LINE_START.sub(r"\\\1", text)


_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def md_prose(value: Any) -> Markup:
    """Catalog prose for Markdown: `code spans` kept (only a pipe is escaped inside
    them, as GFM tables require), everything else escaped like `md_escape`."""
    parts = _CODE_SPAN.split(" ".join(str(value).split()))
    out = [part.replace("|", "\\|") if _CODE_SPAN.fullmatch(part) else _unlink(_MD_SPECIAL.sub(r"\\\1", part))
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


def _first_upper(value: Any) -> str:
    """The text with its first letter capitalised, the rest untouched (unlike `capitalize`)."""
    text = str(value)
    return text[:1].upper() + text[1:]


def _weights(values: list[float]) -> str:
    if not values:
        return "–"
    low, high = min(values), max(values)
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


# The largest text or list a template may build with `*` (the sandbox limits range() alone).
MAX_REPEAT = 10_000_000


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, also refusing `*` and `**` that would build gigabytes or take hours
    (``{{ "x" * 10**9 }}``): a template from another team must not exhaust the machine."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise SecurityError(f"a repetition of {len(seq) * times:,} items is too big for a report")
        elif (operator == "**" and isinstance(left, int | float) and isinstance(right, int | float)
              and abs(left) > 1 and right * math.log2(abs(left)) > 1024):
            raise SecurityError("a power that large is too big for a report")
        return super().call_binop(context, operator, left, right)


def environment(template_dir: Path | None, *, markdown: bool) -> SandboxedEnvironment:
    """The sandboxed environment for one output kind; `template_dir` templates win."""
    loaders = [FileSystemLoader(str(template_dir))] if template_dir else []
    loaders.append(FileSystemLoader(str(default_templates_dir())))
    env = Sandbox(
        loader=ChoiceLoader(loaders),
        autoescape=not markdown,
        finalize=_md_finalize if markdown else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=_num, pct=_pct, qty=_qty, listing=_listing, md=md_escape, weights=_weights,
                       first_upper=_first_upper,
                       prose=md_prose if markdown else html_prose, css=css_string)
    env.globals.update(
        verdict_bars=lambda verdicts: Markup(charts.verdict_bars(verdicts)),
        gauge=lambda score, verdict, label, scored=True: Markup(charts.gauge(score, verdict, label, scored=scored)),
        share_bar=lambda done, total: Markup(charts.share_bar(done, total)),
        stripes=charts.stripes,
        status_colour=charts.STATUS_COLOUR,
        verdict_colour=charts.VERDICT_COLOUR,
    )
    return env

"""Jinja2 for the documents: our templates, optionally overridden from a directory.

Templates always render in Jinja2's sandbox (a template from another team
cannot reach Python internals). HTML autoescapes; Markdown escapes every
``{{ … }}`` for Markdown unless it is marked safe, so user text (an
application called ``a|b <script>``) cannot break a table or inject HTML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import do_format, sync_do_join
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from checklist.core.text import strip_escapes
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


# The largest text or list a template may build in one step, and the size of a report per
# application beyond a fixed allowance (the sandbox itself limits only range()).
MAX_REPEAT = 10_000_000
OUTPUT_BASE, OUTPUT_PER_APPLICATION = 64 << 20, 64 << 10
# str methods that take a width or a count and so can build a text of any size.
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
# A width or precision in a %-format or str.format spec (`%0300000000d`, `{:>999999999}`).
_FORMAT_WIDTH = re.compile(r"\d{8,}")


def _too_big(size: int) -> None:
    if size > MAX_REPEAT:
        raise SecurityError(f"a text or list of {size:,} items is too big for a report")


def _too_big_text(text: str) -> str:
    _too_big(len(text))
    return text


def _check_format(spec: str) -> None:
    if _FORMAT_WIDTH.search(spec):
        raise SecurityError("a format width that large is too big for a report")


class _Generator(CodeGenerator):
    """Compiles `a ~ b` into a join whose result is checked, like the sandbox's `+` and `*`."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, also refusing what would build gigabytes or take hours: a template from
    another team must not exhaust the machine. `*`, `**`, `+`, `%`, `~`, the padding methods and
    the format filter are bounded; so is the whole output (`render`)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _Generator

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    _too_big(len(seq) * times)
        elif operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            _too_big(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        elif (operator == "**" and isinstance(left, int | float) and isinstance(right, int | float)
              and abs(left) > 1 and right * math.log2(abs(left)) > 1024):
            raise SecurityError("a power that large is too big for a report")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _WIDTH_METHODS and args and isinstance(args[0], int):
                _too_big(args[0])
            elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
                _too_big(len(owner) + owner.count(args[0]) * max(0, len(args[1]) - len(args[0])) if args[0]
                         else len(owner) * (len(args[1]) + 1))
            elif name == "join" and args:
                items = list(args[0])
                _too_big(sum(len(str(i)) for i in items) + len(owner) * len(items))
                args = (items, *args[1:])
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` and `format_map`, which the sandbox wraps when read, bounded like `%`."""
        if isinstance(getattr(value, "__self__", None), str) and getattr(value, "__name__", "") in (
                "format", "format_map"):
            _check_format(value.__self__)
        return super().wrap_str_format(value)

    checked = staticmethod(_too_big_text)

    def render(self, template: Any, data: dict[str, Any], applications: int) -> str:
        """`template` rendered with `data`, refused once it outgrows what `applications` need."""
        limit, size, parts = OUTPUT_BASE + OUTPUT_PER_APPLICATION * applications, 0, []
        for part in template.generate(data):
            size += len(part)
            if size > limit:
                raise SecurityError(f"the template writes more than {limit >> 20:,} MB for "
                                    f"{applications:,} applications")
            parts.append(part)
        return strip_escapes("".join(parts))  # user text in any output cannot drive a terminal


@pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    """The `join` filter, bounded like the sandbox's `+`."""
    items = list(value)
    if attribute is None:
        _too_big(sum(len(str(i)) for i in items) + len(d) * len(items))
    return _too_big_text(sync_do_join(eval_ctx, items, d, attribute))


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    """The `format` filter (printf-style), bounded like the sandbox's `%`."""
    _check_format(str(value))
    return do_format(value, *args, **kwargs)


class _Confined(FileSystemLoader):
    """A template directory's loader that reads nothing outside it, not even through a link."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for root in self.searchpath:
            path = Path(root, *pieces)
            if path.is_file():  # the one FileSystemLoader reads: refused before a byte is read
                if not path.resolve().is_relative_to(Path(root).resolve()):
                    raise SecurityError(f"template {template!r} leads outside its directory through a link")
                break
        return super().get_source(environment, template)


def environment(template_dir: Path | None, *, markdown: bool) -> Sandbox:
    """The sandboxed environment for one output kind; `template_dir` templates win."""
    loaders = [_Confined(str(template_dir))] if template_dir else []
    loaders.append(_Confined(str(default_templates_dir())))
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
                       first_upper=_first_upper, format=_format, join=_join,
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

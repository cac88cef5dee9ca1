"""Markdown and HTML reports rendered from Jinja2 templates (PDF renders the HTML)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklist.core.errors import ChecklistError, Problem, UsageError
from checklist.render.model import build

if TYPE_CHECKING:
    from checklist.core.engine import Assessment
    from checklist.render import RenderOptions


def report_date(options: RenderOptions) -> dt.date:
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if options.date is not None:
        return options.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            raise UsageError(f"SOURCE_DATE_EPOCH: expected seconds since 1970 that fall before the year "
                             f"10000, got {epoch[:24]}") from None
    return dt.date.today()


def render_template(assessment: Assessment, options: RenderOptions, name: str, *, markdown: bool,
                    extra: dict[str, Any] | None = None) -> str:
    """Render template `name` with the report data; errors in --template-dir templates are the user's to fix."""
    plan = None
    if options.plan is not False and options.single is None:
        from checklist.plan import plan_of

        plan = plan_of(assessment)
    data = build(assessment, title=options.title, date=report_date(options), paper=options.paper, plan=plan,
                 progress=options.progress, extras=options.extras)
    if options.single is not None:
        data["meta"]["single"] = options.single
    data["meta"]["details"] = options.details or options.single is not None
    return render_file(options, name, markdown=markdown, applications=len(assessment.applications),
                       data={**data, **(extra or {})})


def render_file(options: RenderOptions, name: str, *, markdown: bool, applications: int,
                data: dict[str, Any]) -> str:
    """Template `name` (from --template-dir or ours) rendered with `data` in the bounded sandbox;
    a failure of a --template-dir template is the user's to fix, one located line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    from checklist.render.templating import environment

    if options.template_dir is not None:
        check_template_dir(options.template_dir)
    env = environment(options.template_dir, markdown=markdown)
    try:
        return env.render(env.get_template(name), data, applications)
    except TemplateSyntaxError as exc:
        raise ChecklistError(Problem(exc.filename or name, f"template error: {exc.message}", exc.lineno or 1, 1)) \
            from None
    except TemplateNotFound as exc:
        file, line = _template_frame(exc) or (name, 1)
        raise ChecklistError(Problem(file, f"template error: no template {exc.name!r} in --template-dir or the "
                                           "built-in templates (templates read no other file)", line, 1)) from None
    except Exception as exc:
        # A user's template failing at run time (sandbox refusals, undefined names, runaway
        # recursion) is bad input; the same in a built-in template is a bug and propagates.
        if options.template_dir is None:
            raise
        where = _template_frame(exc)
        if where is None and isinstance(exc, SecurityError):  # refused before any template line ran
            where = (str(options.template_dir / name), 1)
        if where is None or not _inside(where[0], options.template_dir):
            raise
        raise ChecklistError(Problem(where[0], _template_message(exc), where[1], 1)) from None


def check_template_dir(directory: Path) -> None:
    """Every template of a template directory is UTF-8 text within the size limit and inside the
    directory (else a located error); other files there, such as a logo, are left alone."""
    from checklist.io.source import read_text

    root = directory.resolve()
    for path in sorted(directory.rglob("*")):
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
            if not path.resolve().is_relative_to(root):  # not a byte read: a link to a secret stays unread
                raise ChecklistError(Problem(str(path), "template refused: it leads outside --template-dir "
                                                        "through a link", 1, 1))
            read_text(path, str(path))


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame of a rendering error: Jinja2 rewrites
    tracebacks so that template code appears with the template's own file and line."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIXES):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


TEMPLATE_SUFFIXES = (".j2", ".jinja", ".html", ".md", ".css")


def _inside(file: str, directory: Path) -> bool:
    return Path(file).resolve().is_relative_to(directory.resolve())


def _template_message(exc: BaseException) -> str:
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, SecurityError):
        return f"template refused by the sandbox: {exc}"
    if isinstance(exc, RecursionError):
        return "template error: endless recursion (a macro or include that calls itself?)"
    text = " ".join(str(getattr(exc, "message", None) or exc).split())
    if isinstance(exc, TemplateError):
        return f"template error: {text}"
    return f"template error: {type(exc).__name__}: {text}"


def render_markdown(assessment: Assessment, options: RenderOptions) -> str:
    """The Markdown report: GitHub and GitLab flavoured, valid pipe tables, no raw HTML."""
    return render_template(assessment, options, "report.md.j2", markdown=True)


def render_html(assessment: Assessment, options: RenderOptions, *, pdf: bool = False) -> str:
    """The HTML report: one self-contained file (inline CSS and SVG, no scripts, fonts or links)."""
    return render_template(assessment, options, "report.html.j2", markdown=False, extra={"pdf": pdf})

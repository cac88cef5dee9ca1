"""Markdown and HTML reports rendered from Jinja2 templates (PDF renders the HTML)."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from checklist.errors import ChecklistError, Problem
from checklist.report.model import build

if TYPE_CHECKING:
    from checklist.engine import Assessment
    from checklist.report import RenderOptions


def report_date(options: RenderOptions) -> dt.date:
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if options.date is not None:
        return options.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def render_template(assessment: Assessment, options: RenderOptions, name: str, *, markdown: bool,
                    extra: dict[str, Any] | None = None) -> str:
    """Render template `name` with the report data; template errors are the user's to fix."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    from checklist.report.templating import environment

    plan = None
    if options.plan and options.single is None and assessment.catalog.planning is not None \
            and assessment.applications:
        from checklist.inventory import Inventory
        from checklist.planning import make_plan

        inventory = Inventory(assessment.organization.organization,
                              tuple(r.application for r in assessment.applications))
        plan = make_plan(assessment.catalog, inventory, assessment=assessment)
    data = build(assessment, title=options.title, date=report_date(options), paper=options.paper, plan=plan,
                 progress=options.progress)
    if options.single is not None:
        data["meta"]["single"] = options.single
    env = environment(options.template_dir, markdown=markdown)
    try:
        return env.get_template(name).render(**data, **(extra or {}))
    except TemplateSyntaxError as exc:
        raise ChecklistError(Problem(exc.filename or name, f"template error: {exc.message}", exc.lineno or 0, 1)) \
            from None
    except SecurityError as exc:
        raise ChecklistError(Problem(name, f"template refused by the sandbox: {exc}")) from None
    except TemplateError as exc:
        raise ChecklistError(Problem(name, f"template error: {exc.message or exc}")) from None


def render_markdown(assessment: Assessment, options: RenderOptions) -> str:
    return render_template(assessment, options, "report.md.j2", markdown=True)


def render_html(assessment: Assessment, options: RenderOptions, *, pdf: bool = False) -> str:
    return render_template(assessment, options, "report.html.j2", markdown=False, extra={"pdf": pdf})

"""The governors' report as one self-contained HTML page (inline CSS and SVG, no script)."""

from __future__ import annotations

from markupsafe import Markup

from safeaudit.checklists import templates_dir
from safeaudit.report._jinja import html_environment
from safeaudit.report.cells import Cells, cells_by_id
from safeaudit.report.options import ReportOptions
from safeaudit.report.svg import bar_chart, percent_text, radar_chart
from safeaudit.report.view import Row, context
from safeaudit.scoring import AuditResult

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"


def _chart_desc(ctx_areas: list[object]) -> str:
    parts = [
        f"{a.number}. {a.title}: {percent_text(a.percent)}"  # type: ignore[attr-defined]
        for a in ctx_areas
    ]
    return "; ".join(parts) + "."


def render(result: AuditResult, options: ReportOptions | None = None) -> str:
    """The whole report as HTML text; everything from files is escaped by the template."""
    options = options or ReportOptions()
    ctx = context(result, options)
    desc = _chart_desc(ctx["areas"])
    css = (templates_dir() / STYLESHEET).read_text(encoding="utf-8")
    # The stylesheet and the charts are made by safeaudit itself, with every label escaped
    # in svg.py, so they are marked safe; nothing read from a checklist or answer file is.
    ctx["css"] = Markup(css.replace("</", "<\\/"))
    ctx["bar_svg"] = Markup(bar_chart(ctx["bars"], title="Score for each area", desc=desc))
    ctx["radar_svg"] = Markup(radar_chart(ctx["bars"], title="Radar of area scores", desc=desc))
    # Every row the other sections show is one of the areas' rows (view.context).
    cells = cells_by_id(r for a in ctx["areas"] for r in a.rows)

    def with_cells(rows: list[Row]) -> list[tuple[Row, Cells]]:
        """Each row with its cells, for `{% for r, c in with_cells(plan) %}`: the loop unpacks
        the pair, cheaper than looking the cells up for every row in the template (issue 17)."""
        return [(r, cells[r.id]) for r in rows]

    ctx["with_cells"] = with_cells
    return html_environment().get_template(TEMPLATE).render(ctx)

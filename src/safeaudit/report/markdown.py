"""The governors' report in Markdown, for board papers (every value escaped as plain text)."""

from __future__ import annotations

from safeaudit.report._jinja import markdown_environment
from safeaudit.report.options import ReportOptions
from safeaudit.report.view import context
from safeaudit.scoring import AuditResult

TEMPLATE = "report.md.j2"


def render(result: AuditResult, options: ReportOptions | None = None) -> str:
    text = (
        markdown_environment()
        .get_template(TEMPLATE)
        .render(context(result, options or ReportOptions()))
    )
    # Templates leave runs of blank lines where optional parts are missing.
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"

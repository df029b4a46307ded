"""The registry of report formats: the one place that lists them and their modules."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from safeaudit.report.options import ReportOptions
from safeaudit.scoring import AuditResult

Renderer = Callable[[AuditResult, ReportOptions], str]


@dataclass(frozen=True)
class Format:
    """One output format: its name (also the command-line option), module and description."""

    name: str
    module: str
    description: str


#: In the order the CLI lists them; each module has `render(result, options) -> str`.
FORMATS: dict[str, Format] = {
    "html": Format(
        "html", "safeaudit.report.html", "the governors' report as one self-contained web page"
    ),
    "md": Format("md", "safeaudit.report.markdown", "the report in Markdown, for papers"),
    "json": Format(
        "json", "safeaudit.report.json", "the full result for other programs (docs/json-output.md)"
    ),
    "csv": Format("csv", "safeaudit.report.csv", "the action plan as a spreadsheet"),
}


def renderer(name: str) -> Renderer:
    """The `render` function of a format, imported only when it is needed."""
    module = importlib.import_module(FORMATS[name].module)
    render: Renderer = module.render
    return render


def render(name: str, result: AuditResult, options: ReportOptions | None = None) -> str:
    return renderer(name)(result, options or ReportOptions())

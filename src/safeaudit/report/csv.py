"""The action plan as CSV: one row per gap, most urgent first, safe to open in Excel."""

from __future__ import annotations

import csv
import io

from safeaudit.report.options import ReportOptions
from safeaudit.report.view import action_plan
from safeaudit.scoring import AuditResult

COLUMNS = (
    "priority",
    "severity",
    "area",
    "question id",
    "question",
    "answer",
    "owner",
    "action due",
    "action overdue",
    "review date",
    "action",
    "evidence",
)

#: A cell starting with one of these could run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Excel reads UTF-8 correctly only when the file starts with a byte order mark.
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    """A cell as text; a leading apostrophe stops spreadsheets treating it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(result: AuditResult, options: ReportOptions | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in action_plan(result, options or ReportOptions()):
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    r.priority,
                    r.severity,
                    r.area,
                    r.id,
                    r.text,
                    r.answer,
                    r.owner,
                    r.due_iso,
                    r.overdue_text if r.overdue else "no",
                    r.review_text,
                    r.action,
                    r.evidence,
                )
            ]
        )
    return BOM + buffer.getvalue()

"""The action plan as CSV: one row per gap, most urgent first, safe to open in Excel."""

from __future__ import annotations

import csv
import io

from safeaudit.display import formula_safe
from safeaudit.report.local import local_changes, question_marks
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
    "local change",
)

#: Excel reads UTF-8 correctly only when the file starts with a byte order mark.
BOM = "\ufeff"


#: The one formula guard, shared with `rollup --csv` and kept here under its old name.
safe_cell = formula_safe


def render(result: AuditResult, options: ReportOptions | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    marks = question_marks(local_changes(result.checklist))
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
                    marks.get(r.id, ""),
                )
            ]
        )
    return BOM + buffer.getvalue()

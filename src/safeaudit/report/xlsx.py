"""Excel workbooks (.xlsx) for local authority returns: answers, action plan and area scores.

openpyxl is an optional extra (`pip install 'safeaudit[xlsx]'`) and is imported only here,
when a workbook is asked for. Renderers return bytes; the CLI writes them atomically.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from safeaudit.display import looks_like_formula
from safeaudit.errors import XlsxUnavailable
from safeaudit.model import NOT_APPLICABLE, Checklist
from safeaudit.report.local import ADDED, LocalChanges, amended_notes, local_changes, question_marks
from safeaudit.report.options import ReportOptions
from safeaudit.report.view import SEVERITY_LABELS, review_text, shown_answer
from safeaudit.scoring import STATUS_LABELS, VERDICT_LABELS, AuditResult, QuestionResult

if TYPE_CHECKING:
    from safeaudit.rollup import Rollup

#: openpyxl ships without type information, so its objects are typed loosely here.
Worksheet = Any

MISSING = (
    "writing a spreadsheet needs the openpyxl package; install it with "
    "`pip install 'safeaudit[xlsx]'`"
)

#: Red/Amber/Green for each status, with the cell fill used beside the word.
RAG = {"met": "Green", "partial": "Amber", "not-met": "Red", "unanswered": "Red"}
_FILLS = {"Green": "C6EFCE", "Amber": "FFEB9C", "Red": "FFC7CE"}
_HEADER_FILL = "DDEBF7"

#: Control characters that XML (and so .xlsx) cannot hold.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Cell = str | int | float | dt.date | None


def _openpyxl(module: str = "openpyxl") -> Any:
    """openpyxl (or one of its modules), imported only when a workbook is made."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise XlsxUnavailable(MISSING) from None


def _sheet(
    book: Any,
    title: str,
    headers: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[Cell]],
    *,
    first: bool = False,
    wrap: Sequence[int] = (),
) -> Worksheet:
    """A sheet with a bold, frozen, filtered header row and readable column widths."""
    styles, utils = _openpyxl("openpyxl.styles"), _openpyxl("openpyxl.utils")
    Alignment, Font, PatternFill = styles.Alignment, styles.Font, styles.PatternFill
    get_column_letter = utils.get_column_letter

    sheet: Worksheet = book.active if first else book.create_sheet()
    sheet.title = _safe_text(title)
    _append(sheet, [name for name, _ in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for values in rows:
        _append(sheet, values)
        row = sheet.max_row
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", wrap_text=column in wrap)
    for column, (_, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    return sheet


def _append(sheet: Worksheet, values: Sequence[Cell]) -> None:
    """Add a row; every cell of every workbook is written here, through the formula guard.

    Text is stored as text, never as a formula (openpyxl would store `=HYPERLINK(...)` as a
    live formula), and text a spreadsheet would run if typed gets Excel's quote prefix, so it
    stays text when someone edits the cell.
    """
    sheet.append([_safe(value) for value in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True


def _safe(value: Cell) -> Cell:
    """Text cleaned of characters .xlsx cannot hold (formulas are dealt with by `_append`)."""
    return _safe_text(value) if isinstance(value, str) else value


def _safe_text(text: str) -> str:
    return _ILLEGAL.sub("", text)


def _colour(sheet: Worksheet, column: int) -> None:
    """Fill each Red/Amber/Green cell in a column, beside the word (never colour alone)."""
    fill = _openpyxl("openpyxl.styles").PatternFill

    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        colour = _FILLS.get(str(cell.value))
        if colour:
            cell.fill = fill("solid", fgColor=colour)


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _answer_rows(
    result: AuditResult, options: ReportOptions, marks: dict[str, str]
) -> list[list[Cell]]:
    clean = options.clean
    rows: list[list[Cell]] = []
    for r in result.questions:
        answer = r.answer
        # The setting's own "does not apply" stays, with its reason, for governors to see;
        # questions that never apply to this kind of setting are left out, as they are noise.
        if r.status == "not-applicable" and (answer is None or answer.value != NOT_APPLICABLE):
            continue
        rows.append(
            [
                r.area.title,
                r.question.id,
                r.question.text,
                SEVERITY_LABELS[r.question.severity],
                shown_answer(r, options),
                RAG.get(r.status, ""),
                STATUS_LABELS[r.status],
                options.free_text(answer.evidence) if answer else "",
                clean(answer.owner) if answer else "",
                answer.due if answer and answer.due else None,
                options.free_text(answer.note) if answer else "",
                marks.get(r.question.id, ""),
            ]
        )
    return rows


def _plan_rows(
    result: AuditResult, options: ReportOptions, marks: dict[str, str]
) -> list[list[Cell]]:
    clean = options.clean
    rows: list[list[Cell]] = []
    for priority, r in enumerate(result.gaps, start=1):
        answer = r.answer
        rows.append(
            [
                priority,
                r.area.title,
                r.question.id,
                r.question.text,
                SEVERITY_LABELS[r.question.severity],
                RAG.get(r.status, ""),
                shown_answer(r, options),
                r.action_text,
                clean(answer.owner) if answer else "",
                answer.due if answer and answer.due else None,
                _overdue(r),
                review_text(r),
                marks.get(r.question.id, ""),
            ]
        )
    return rows


def _overdue(result: QuestionResult) -> str:
    """How long an action is past the due date set for it ("" if it is not)."""
    if result.days_overdue is None:
        return ""
    days = result.days_overdue
    return f"{days} day{'s' * (days != 1)}"


def render_workbook(result: AuditResult, options: ReportOptions | None = None) -> bytes:
    """The audit as an .xlsx workbook: Answers, Action plan and Area scores sheets, and a
    Local changes sheet when the checklist was made from an overlay."""
    openpyxl = _openpyxl()
    options = options or ReportOptions()
    book = openpyxl.Workbook()
    local = local_changes(result.checklist)
    marks = question_marks(local)
    answers = _sheet(
        book,
        "Answers",
        [
            ("Area", 28),
            ("Question id", 30),
            ("Question", 60),
            ("Severity", 12),
            ("Answer", 28),
            ("RAG", 8),
            ("Status", 14),
            ("Evidence", 50),
            ("Owner", 20),
            ("Due date", 12),
            ("Note", 40),
            ("Local change", 40),
        ],
        _answer_rows(result, options, marks),
        first=True,
        wrap=(1, 3, 5, 8, 11, 12),
    )
    _colour(answers, 6)
    plan = _sheet(
        book,
        "Action plan",
        [
            ("Priority", 9),
            ("Area", 28),
            ("Question id", 30),
            ("Question", 60),
            ("Severity", 12),
            ("RAG", 8),
            ("Answer", 24),
            ("Action", 60),
            ("Owner", 20),
            ("Action due", 12),
            ("Action overdue by", 12),
            ("Review date", 30),
            ("Local change", 40),
        ],
        _plan_rows(result, options, marks),
        wrap=(2, 4, 7, 8, 12, 13),
    )
    _colour(plan, 6)
    area_rows: list[list[Cell]] = [
        [
            a.area.title,
            a.percent,
            a.count("met"),
            a.count("partial"),
            a.count("not-met"),
            a.count("unanswered"),
            a.count("not-applicable"),
        ]
        for a in result.areas
    ]
    area_rows.append(
        [
            "Overall",
            result.percent,
            result.count("met"),
            result.count("partial"),
            result.count("not-met"),
            result.count("unanswered"),
            result.count("not-applicable"),
        ]
    )
    scores = _sheet(
        book,
        "Area scores",
        [
            ("Area", 40),
            ("Score (%)", 10),
            ("Met", 8),
            ("Partly met", 11),
            ("Not met", 9),
            ("Unanswered", 12),
            ("Does not apply", 15),
        ],
        area_rows,
        wrap=(1,),
    )
    bold = _openpyxl("openpyxl.styles").Font(bold=True)
    for cell in scores[scores.max_row]:
        cell.font = bold
    if local is not None:
        _local_sheet(book, result.checklist, local)
    _properties(book, f"{result.answers.setting.name}: safeguarding self-audit", options)
    return _save(book)


def _local_sheet(book: Any, checklist: Checklist, local: LocalChanges) -> None:
    """What the overlay changed, as the HTML report's "Local changes to the checklist" shows it.

    Governors who read only the workbook see which questions were left out, by whom and why,
    and which carry local guidance or a local weight, or were added locally.
    """
    origin = checklist.origin
    if origin is None:  # pragma: no cover - `local` comes from an origin
        return
    found = {q.id: (area.title, q.text) for area, q in checklist.questions()}

    def row(change: str, question: str, by: str, words: str) -> list[Cell]:
        area, text = found.get(question, ("", ""))
        return [change, question, text, area, by, words]

    rows: list[list[Cell]] = [
        [
            "Builds on",
            local.base_id,
            f"{local.base_title}, version {local.base_version}",
            "",
            local.by_text,
            local.summary,
        ]
    ]
    rows += [["Left out", q.question, q.text, q.area, q.by, q.reason] for q in local.left_out]
    for q in origin.added:
        rows.append(row(ADDED, q.question, q.by, f"Not in {local.base_title}"))
    for item in origin.amended:
        rows += [row(n.label, item.question, item.by, n.text) for n in amended_notes(item)]
    _sheet(
        book,
        "Local changes",
        [
            ("Change", 16),
            ("Question id", 30),
            ("Question", 60),
            ("Area", 28),
            ("Made by", 28),
            ("Reason or local words", 60),
        ],
        rows,
        wrap=(3, 4, 5, 6),
    )


def _properties(book: Any, title: str, options: ReportOptions) -> None:
    book.properties.title = _safe_text(title)
    book.properties.creator = options.generator or "safeaudit"


def rollup_workbook(result: Rollup, options: ReportOptions | None = None) -> bytes:
    """A roll-up as an .xlsx workbook: one row per setting, one sheet per checklist version.

    Usable by `safeaudit rollup --xlsx FILE`: write `rollup_workbook(result)` with
    `store.atomic_write_bytes`.
    """
    openpyxl = _openpyxl()
    options = options or ReportOptions()
    book = openpyxl.Workbook()
    verdicts = VERDICT_LABELS
    verdict_rag = {
        "Not met": "Red",
        "Incomplete": "Amber",
        "Met, with actions to complete": "Amber",
        "Met": "Green",
    }
    used: set[str] = set()
    if not result.groups:
        _sheet(book, "Settings", [("Setting", 40)], [], first=True)
    for number, group in enumerate(result.groups):
        title = _sheet_title(f"{group.checklist.id} {group.checklist.version}", used)
        headers = [
            ("Setting", 36),
            ("URN", 10),
            ("Type", 12),
            ("Audit date", 12),
            ("Verdict", 12),
            ("RAG", 8),
            ("Score (%)", 10),
            ("Statutory gaps", 10),
            ("Gaps", 8),
            ("Unanswered", 11),
            ("Reviews out of date", 11),
            ("Actions past due date", 11),
        ]
        headers += [(area.title, 14) for area in group.checklist.areas]
        rows: list[list[Cell]] = []
        for row in sorted(group.rows, key=lambda r: r.urgency):
            verdict = verdicts.get(row.verdict, row.verdict)
            rows.append(
                [
                    row.name,
                    row.urn or "",
                    row.setting_type,
                    _date(row.audit_date),
                    verdict,
                    verdict_rag.get(verdict, ""),
                    row.percent,
                    row.statutory_gaps,
                    row.gaps,
                    row.unanswered,
                    row.reviews_out_of_date,
                    row.actions_overdue,
                    *row.areas,
                ]
            )
        sheet = _sheet(book, title, headers, rows, first=number == 0, wrap=(1,))
        _colour(sheet, 6)
    _properties(book, "Online safety audits: roll-up", options)
    return _save(book)


def _date(text: str | None) -> dt.date | str | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def _sheet_title(text: str, used: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, and unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31]
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name

"""The terminal view of a scored audit, drawn with Rich."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from safeaudit.cli._console import safe_console
from safeaudit.display import long_date, percent_text
from safeaudit.report.local import local_changes
from safeaudit.scoring import SELF_ASSESSMENT, AreaResult, AuditResult, Status
from safeaudit.settings import setting_label

VERDICT_STYLE = {
    "met": "bold green",
    "met-with-actions": "bold green",
    "not-met": "bold red",
    "incomplete": "bold yellow",
}


def _pct(value: float | None) -> str:
    return percent_text(value)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


_COLUMNS: tuple[Status, ...] = ("met", "partial", "not-met", "unanswered", "not-applicable")


def _counts(totals: AreaResult | AuditResult) -> list[str]:
    return [str(totals.count(status)) for status in _COLUMNS]


def print_result(result: AuditResult, *, top: int, colour: bool) -> None:
    console = safe_console(no_color=not colour, highlight=False)
    answers = result.answers
    console.print(
        f"{answers.setting.name} ({setting_label(result.setting_type)})", style="bold", markup=False
    )
    console.print(
        f"{result.checklist.title}, version {result.checklist.version}; "
        f"review dates judged as at {long_date(result.as_of)}",
        markup=False,
    )
    console.print()
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("Area", overflow="fold")
    table.add_column("Score", justify="right")
    for name in ("Met", "Partly", "Not met", "Unanswered", "N/A"):
        table.add_column(name, justify="right")
    for area in result.areas:
        table.add_row(Text(area.area.title), _pct(area.percent), *_counts(area))
    table.add_row("Overall", _pct(result.percent), *_counts(result), style="bold")
    console.print(table)
    console.print()
    console.print(
        f"Verdict: {result.verdict_label}", style=VERDICT_STYLE[result.verdict], markup=False
    )
    console.print(result.verdict_explanation, markup=False)
    console.print(SELF_ASSESSMENT, style="dim", markup=False)
    console.print(
        f"{result.answered} of {result.applicable} questions answered; "
        f"{len(result.gaps)} gap{'s' * (len(result.gaps) != 1)} "
        f"({len(result.statutory_gaps)} statutory); "
        f"{_n(len(result.overdue_reviews), 'review')} out of date; "
        f"{_n(len(result.overdue_actions), 'action')} overdue.",
        markup=False,
    )
    na = result.count("not-applicable")
    if na:
        console.print(
            f"{na} question{' does' if na == 1 else 's do'} not apply to this setting "
            "and " + ("is" if na == 1 else "are") + " left out of the score.",
            markup=False,
        )
    local = local_changes(result.checklist)
    if local is not None:
        console.print(f"Local checklist: {local.summary}", markup=False)
        for item in local.left_out:
            console.print(Text(f"  Left out: {item.text} [{item.question}] Reason: {item.reason}"))
    if result.gaps and top:
        console.print()
        shown = min(top, len(result.gaps))
        console.print(f"Most urgent gaps ({shown} of {len(result.gaps)}):", style="bold")
        gaps = Table(box=None, pad_edge=False, show_edge=False, expand=True)
        gaps.add_column("Severity")
        gaps.add_column("Question", overflow="fold", ratio=5)
        gaps.add_column("Review date", overflow="fold", ratio=2)
        gaps.add_column("Owner and action due", overflow="fold", ratio=2)
        for gap in result.gaps[:shown]:
            who = []
            if gap.answer and gap.answer.owner:
                who.append(gap.answer.owner)
            if gap.answer and gap.answer.due:
                late = " (action overdue)" if gap.action_overdue else ""
                who.append(f"due {long_date(gap.answer.due)}{late}")
            text = f"{gap.question.text} [{gap.question.id}]"
            if gap.reason and not gap.review_out_of_date:
                text += f" ({gap.reason})"
            review = "–"
            if gap.review_out_of_date and gap.review_due is not None:
                review = f"out of date since {long_date(gap.review_due)}"
            severity = gap.question.severity + (", critical" if gap.question.critical else "")
            gaps.add_row(severity, Text(text), Text(review), Text("; ".join(who) or "–"))
        console.print(gaps)
    if result.unanswered:
        console.print()
        console.print(
            f"{len(result.unanswered)} question{'s' * (len(result.unanswered) != 1)} "
            "still to answer.",
            markup=False,
        )

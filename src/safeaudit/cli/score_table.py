"""The terminal view of a scored audit, drawn with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from safeaudit.scoring import AreaResult, AuditResult, Status, long_date
from safeaudit.settings import setting_label

_VERDICT_STYLE = {"met": "bold green", "not-met": "bold red", "incomplete": "bold yellow"}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


_COLUMNS: tuple[Status, ...] = ("met", "partial", "not-met", "unanswered", "not-applicable")


def _counts(totals: AreaResult | AuditResult) -> list[str]:
    return [str(totals.count(status)) for status in _COLUMNS]


def print_result(result: AuditResult, *, top: int, colour: bool) -> None:
    console = Console(no_color=not colour, highlight=False)
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
        f"Verdict: {result.verdict_label}", style=_VERDICT_STYLE[result.verdict], markup=False
    )
    na = result.count("not-applicable")
    if na:
        console.print(
            f"{na} question{' does' if na == 1 else 's do'} not apply to this setting "
            "and " + ("is" if na == 1 else "are") + " left out of the score.",
            markup=False,
        )
    if result.gaps and top:
        console.print()
        shown = min(top, len(result.gaps))
        console.print(f"Most urgent gaps ({shown} of {len(result.gaps)}):", style="bold")
        gaps = Table(box=None, pad_edge=False, show_edge=False)
        gaps.add_column("Severity")
        gaps.add_column("Question", overflow="fold", ratio=3)
        gaps.add_column("Owner and due date", overflow="fold", ratio=1)
        for gap in result.gaps[:shown]:
            who = []
            if gap.answer and gap.answer.owner:
                who.append(gap.answer.owner)
            if gap.answer and gap.answer.due:
                late = " (overdue)" if gap.answer.due < result.as_of else ""
                who.append(f"due {gap.answer.due:%d %b %Y}{late}")
            text = f"{gap.question.text} [{gap.question.id}]"
            if gap.reason:
                text += f" ({gap.reason})"
            gaps.add_row(gap.question.severity, Text(text), Text("; ".join(who) or "–"))
        console.print(gaps)
    if result.unanswered:
        console.print()
        console.print(
            f"{len(result.unanswered)} question{'s' * (len(result.unanswered) != 1)} "
            "still to answer.",
            markup=False,
        )

"""The terminal view of a scored audit, drawn with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from safeaudit.scoring import AuditResult
from safeaudit.settings import setting_label

_VERDICT_STYLE = {"met": "bold green", "not-met": "bold red", "incomplete": "bold yellow"}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def print_result(result: AuditResult, *, top: int, colour: bool) -> None:
    console = Console(no_color=not colour, highlight=False)
    answers = result.answers
    console.print(
        f"{answers.setting.name} ({setting_label(result.setting_type)})", style="bold", markup=False
    )
    console.print(
        f"{result.checklist.title}, version {result.checklist.version}; "
        f"review dates judged as at {result.as_of:%d %B %Y}",
        markup=False,
    )
    console.print()
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("Area", overflow="fold")
    table.add_column("Score", justify="right")
    for name in ("Met", "Partly", "Not met", "Unanswered", "N/A"):
        table.add_column(name, justify="right")
    for area in result.areas:
        table.add_row(
            area.area.title,
            _pct(area.percent),
            str(area.count("met")),
            str(area.count("partial")),
            str(area.count("not-met")),
            str(area.count("unanswered")),
            str(area.count("not-applicable")),
        )
    table.add_row(
        "Overall",
        _pct(result.percent),
        str(result.count("met")),
        str(result.count("partial")),
        str(result.count("not-met")),
        str(result.count("unanswered")),
        str(result.count("not-applicable")),
        style="bold",
    )
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
        console.print(
            f"Most urgent gaps ({min(top, len(result.gaps))} of {len(result.gaps)}):", style="bold"
        )
        for gap in result.gaps[:top]:
            extra = []
            if gap.answer and gap.answer.owner:
                extra.append(f"owner: {gap.answer.owner}")
            if gap.answer and gap.answer.due:
                late = " (overdue)" if gap.answer.due < result.as_of else ""
                extra.append(f"due {gap.answer.due:%d %b %Y}{late}")
            if gap.reason:
                extra.append(gap.reason)
            tail = f" ({'; '.join(extra)})" if extra else ""
            console.print(
                f"  [{gap.question.severity}] {gap.question.id}: {gap.question.text}{tail}",
                markup=False,
            )
    if result.unanswered:
        console.print()
        console.print(
            f"{len(result.unanswered)} question{'s' * (len(result.unanswered) != 1)} "
            "still to answer.",
            markup=False,
        )

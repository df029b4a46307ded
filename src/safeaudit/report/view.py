"""What the HTML and Markdown reports show, as plain data built once from an AuditResult."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from safeaudit.display import long_date, percent_text
from safeaudit.frozen import Frozen
from safeaudit.outline import reference_text
from safeaudit.report.options import ReportOptions
from safeaudit.report.privacy import privacy_statement
from safeaudit.report.svg import Bar, band
from safeaudit.scoring import (
    SELF_ASSESSMENT,
    STATUS_LABELS,
    VERDICT_EXPLANATIONS,
    VERDICT_LABELS,
    AuditResult,
    QuestionResult,
    superseded_warning,
)
from safeaudit.settings import setting_label

if TYPE_CHECKING:  # only named in annotations: a report without --compare never imports it
    from safeaudit.model import Checklist
    from safeaudit.report.compare import Comparison
    from safeaudit.report.local import LocalChanges

SEVERITY_LABELS = {"statutory": "Statutory", "expected": "Expected", "recommended": "Recommended"}

#: A short sign beside each status label, so status never rests on colour alone.
STATUS_SIGNS = {
    "met": "✓",
    "partial": "◐",
    "not-met": "✗",
    "unanswered": "?",
    "not-applicable": "–",
    "recorded": "•",
}

_YPN_TEXT = {"yes": "Yes", "partial": "Partly", "no": "No"}


def day_text(day: dt.date | None) -> str:
    """A date as governors write it: 2 November 2026 (portable, no %-d)."""
    return "" if day is None else long_date(day)


def percent_or_dash(percent: float | None) -> str:
    return percent_text(percent)


def days_text(days: int) -> str:
    return f"{days} day{'s' * (days != 1)}"


def points_text(change: float | None, incomplete: bool = False) -> str:
    """A change in percentage points with its sign spelled out."""
    if incomplete:
        return "not compared: unanswered questions"
    if change is None:
        return "not comparable"
    if change == 0:
        return "no change"
    return f"{'up' if change > 0 else 'down'} {abs(change):.1f} points"


def _reason(result: QuestionResult, options: ReportOptions) -> str:
    """Why an answer falls short (a date question), or on n/a the setting's own words, masked
    as the report masks free text."""
    reason = result.reason.replace("`", "")
    if result.answer is not None and result.status == "not-applicable":
        return options.free_text(reason)
    return reason


def shown_answer(result: QuestionResult, options: ReportOptions) -> str:
    """The answer in words as every report shows it: the setting's own words (a written answer,
    the reason a question does not apply) go through the report's masking."""
    if result.status == "not-applicable":
        reason = _reason(result, options)
        if reason.startswith("does not apply"):
            return "D" + reason[1:]
        return "Does not apply" + (f": {reason}" if reason else "")
    shown = answer_text(result)
    return options.free_text(shown) if result.question.kind == "text" else shown


def answer_text(result: QuestionResult) -> str:
    """The answer in words: "Partly", "Level 3 of 5", a choice's label, a date."""
    value = result.value
    question = result.question
    if result.status == "unanswered" or value is None:
        return "Not answered"
    if result.status == "not-applicable":
        return "Does not apply" + (f": {result.reason}" if result.reason else "")
    if result.not_known:
        return f"Don't know: ask {question.dont_know}"
    kind = question.kind
    if kind == "yes-partial-no":
        return _YPN_TEXT.get(str(value), str(value))
    if kind == "level":
        description = (question.levels or {}).get(int(value))  # type: ignore[arg-type]
        return f"Level {value} of 5" + (f": {description}" if description else "")
    if kind == "choice":
        option = next((o for o in question.options or [] if o.value == value), None)
        return option.label if option else str(value)
    if isinstance(value, dt.date):
        return day_text(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def review_text(result: QuestionResult) -> str:
    """A dated review in words: out of date since when, or in date and next due by when."""
    if result.review_out_of_date and result.review_due is not None:
        return (
            f"Out of date since {long_date(result.review_due)} "
            f"({days_text(result.days_out_of_date or 0)})"
        )
    if result.next_due is not None:
        return f"In date; next due by {long_date(result.next_due)}"
    return ""


# Row is a named tuple, not a frozen dataclass (defining one of 26 fields takes a few
# milliseconds) nor a Frozen record like AreaView: a report makes a row for every question, and
# a named tuple of 26 fields is made in about a third of the instructions (issue 17). It is made
# by calling NamedTuple with the fields' types, not as a class with annotations: with postponed
# annotations each field's type would be text that typing compiles when the class is defined
# (about 2 ms for Row), again on every report.

#: One question as every report section shows it (free text already cleaned).
Row = NamedTuple(  # noqa: UP014 (class syntax compiles each type at import; see above)
    "Row",
    [
        ("id", str),
        ("area", str),
        ("area_id", str),
        ("text", str),
        ("severity", str),
        ("severity_label", str),
        ("status", str),
        ("status_label", str),
        ("status_sign", str),
        ("answer", str),
        ("evidence", str),
        ("note", str),
        ("owner", str),
        ("due", str),
        ("due_iso", str),
        # The action's due date has passed (a gap only); never about review dates.
        ("overdue", bool),
        ("overdue_text", str),
        ("reason", str),
        # The reason as each question in detail shows it under "Why": empty where the answer or
        # the review date already explains it (a question that does not apply, a review out of
        # date, or "don't know", whose answer says whom to ask).
        ("why", str),
        # Date questions: the first day the recorded date is out of date.
        ("review_due", str),
        # Date questions: "Out of date since 1 September 2026 (61 days)" or "In date; next due
        # by 31 August 2027"; empty for other questions.
        ("review_text", str),
        ("review_out_of_date", bool),
        ("critical", bool),
        ("action", str),
        ("references", list[str]),
        # A gap's place in the action plan, from 1; 0 for a question not in it.
        ("priority", int),
    ],
)


def row(
    result: QuestionResult, audit: AuditResult, options: ReportOptions, priority: int = 0
) -> Row:
    question = result.question
    answer = result.answer
    if answer is None:
        due = None
        evidence = note = owner = ""
    else:
        due = answer.due
        free_text = options.free_text
        evidence = free_text(answer.evidence)
        note = free_text(answer.note)
        owner = options.clean(answer.owner)
    overdue = result.action_overdue
    overdue_text = f"Action overdue by {days_text(result.days_overdue or 0)}" if overdue else ""
    status = result.status
    reason = _reason(result, options)
    review_out_of_date = result.review_out_of_date
    shows_why = reason and status != "not-applicable" and not review_out_of_date
    return Row(
        id=question.id,
        area=result.area.title,
        area_id=result.area.id,
        text=question.text,
        severity=question.severity,
        severity_label=SEVERITY_LABELS[question.severity],
        status=status,
        status_label=STATUS_LABELS[status],
        status_sign=STATUS_SIGNS[status],
        answer=shown_answer(result, options),
        evidence=evidence,
        note=note,
        owner=owner,
        due=day_text(due),
        due_iso=due.isoformat() if due else "",
        overdue=overdue,
        overdue_text=overdue_text,
        reason=reason,
        why=reason if shows_why and not result.not_known else "",
        review_due=day_text(result.review_due),
        review_text=review_text(result),
        review_out_of_date=review_out_of_date,
        critical=question.critical,
        action=result.action_text,
        references=[reference_text(ref, audit.checklist) for ref in question.references],
        priority=priority,
    )


def action_plan(result: AuditResult, options: ReportOptions) -> list[Row]:
    """Every gap, most urgent first, numbered from 1."""
    return [row(r, result, options, i) for i, r in enumerate(result.gaps, start=1)]


class AreaView(Frozen):
    """One area as the reports show it, with its questions' rows (a plain record: quicker to
    define at import than a named tuple; issue 17)."""

    __slots__ = _fields = (
        "number",
        "id",
        "title",
        "description",
        "percent",
        "percent_text",
        "band",
        "counts",
        "rows",
    )

    number: int
    id: str
    title: str
    description: str
    percent: float | None
    percent_text: str
    band: str
    counts: dict[str, int]
    rows: list[Row]

    def __init__(
        self,
        number: int,
        id: str,
        title: str,
        description: str,
        percent: float | None,
        percent_text: str,
        band: str,
        counts: dict[str, int],
        rows: list[Row],
    ) -> None:
        self._assign(number, id, title, description, percent, percent_text, band, counts, rows)


def context(result: AuditResult, options: ReportOptions) -> dict[str, Any]:
    """Everything the templates show, as data (never as template source)."""
    answers = result.answers
    # Each question's row is made once: the action plan, reviews and unanswered sections show
    # the same rows as the areas (their results are among the areas' own, as scoring makes
    # them), found by the result they were made from. A gap's row carries its plan place.
    priorities = {id(r): i for i, r in enumerate(result.gaps, start=1)}
    made = {id(r): row(r, result, options, priorities.get(id(r), 0)) for r in result.questions}

    areas = []
    for i, a in enumerate(result.areas, start=1):
        percent = a.percent
        areas.append(
            AreaView(
                number=i,
                id=a.area.id,
                title=a.area.title,
                description=a.area.description,
                percent=percent,
                percent_text=percent_text(percent, "no score"),
                band=band(percent),
                counts=a.counts(),
                rows=[made[id(r)] for r in a.questions],
            )
        )
    plan = [made[id(r)] for r in result.gaps]
    statutory = [r for r in plan if r.severity == "statutory"]
    comparison: Comparison | None = options.comparison
    overall = result.percent
    counts = result.counts()
    return {
        "setting": {
            "name": answers.setting.name,
            "type_label": setting_label(result.setting_type),
            "provision": " and ".join(answers.setting.provision),
            "urn": answers.setting.urn or "",
        },
        "completed_by": options.clean(answers.completed_by),
        "audit_date": day_text(answers.audit_date),
        "as_of": day_text(result.as_of),
        "as_of_iso": result.as_of.isoformat(),
        "checklist": {
            "id": result.checklist.id,
            "title": result.checklist.title,
            "version": result.checklist.version,
            "effective": day_text(result.checklist.effective),
            "superseded_by": result.checklist.superseded_by or "",
            "source": result.checklist.source,
        },
        "verdict": result.verdict,
        "verdict_label": result.verdict_label,
        "verdict_explanation": result.verdict_explanation,
        "self_assessment": SELF_ASSESSMENT,
        "superseded": superseded_warning(result.checklist, result.as_of) or "",
        "percent_text": percent_or_dash(overall),
        "band": band(overall),
        "answered": result.answered,
        "applicable": result.applicable,
        "not_applicable": counts["not-applicable"],
        "counts": counts,
        "status_labels": STATUS_LABELS,
        "status_signs": STATUS_SIGNS,
        "areas": areas,
        "bars": [Bar(a.number, a.title, a.percent) for a in areas],
        "statutory_gaps": statutory,
        "plan": plan,
        "overdue_actions": sum(1 for r in plan if r.overdue),
        "critical_gaps": [r for r in plan if r.critical],
        "verdict_gaps": [r for r in plan if r.critical or r.severity == "statutory"],
        "overdue_reviews": [made[id(r)] for r in result.overdue_reviews],
        "unanswered": [made[id(r)] for r in result.unanswered],
        "comparison": comparison,
        "comparison_audit_date": (
            day_text(dt.date.fromisoformat(comparison.previous_audit_date))
            if comparison is not None and comparison.previous_audit_date
            else ""
        ),
        "comparison_date": (
            day_text(dt.date.fromisoformat(comparison.previous_date))
            if comparison is not None and comparison.previous_date
            else ""
        ),
        "verdict_labels": VERDICT_LABELS,
        "verdict_explanations": VERDICT_EXPLANATIONS,
        "points_text": points_text,
        "percent_or_dash": percent_or_dash,
        "redacted": privacy_statement(result, options),
        "generator": options.generator,
        "signoff": signoff_view(result, options),
        "local": _local_changes(result.checklist),
    }


def _local_changes(checklist: Checklist) -> LocalChanges | None:
    """What an overlay changed, or None for a plain checklist, without importing report.local
    (and defining its classes) for the reports that have no overlay (issue 17)."""
    if checklist.origin is None:
        return None
    from safeaudit.report.local import local_changes

    return local_changes(checklist)


def signoff_view(result: AuditResult, options: ReportOptions) -> dict[str, Any] | None:
    """The latest sign-off and the questions changed since it, or None if never signed off."""
    if not result.answers.signoffs:
        return None  # without importing signoff, which most reports do not need (issue 17)
    from safeaudit.signoff import status

    found = status(result.answers)
    if found is None:
        return None
    latest = found.latest
    return {
        "name": options.clean(latest.name),
        "role": options.clean(latest.role),
        "date": day_text(latest.date),
        "date_iso": latest.date.isoformat(),
        "earlier": len(found.earlier),
        "modified": found.modified,
        "changed": found.changed,
    }

"""What each page shows, worked out from the checklist, the answers and the score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from safeaudit.answers import DONT_KNOW, NEVER
from safeaudit.display import percent_text
from safeaudit.model import NOT_APPLICABLE, Answers, Checklist, Question
from safeaudit.outline import reference_text
from safeaudit.questionnaire.prompts import SEVERITY_LABELS, max_age_text, value_text
from safeaudit.scoring import (
    STATUS_LABELS,
    AreaResult,
    AuditResult,
    QuestionResult,
    score,
)
from safeaudit.serve.forms import RADIO_KINDS


@dataclass(frozen=True)
class Option:
    """One radio button: the value sent, its label, and whether it is chosen."""

    value: str
    label: str
    checked: bool


@dataclass
class QuestionView:
    """One question on an area page, with its form filled in."""

    id: str
    number: int
    question: Question
    severity: str
    status: str
    status_label: str
    answered: bool
    shown_answer: str
    note: str
    options: list[Option]
    fields: dict[str, str]
    never: bool
    na_allowed: bool
    na_checked: bool
    #: Answered "don't know" (offered only by questions with `dont_know`).
    dk_checked: bool
    age_text: str
    references: list[str]
    error_field: str = ""
    error: str = ""
    autofocus: bool = False

    @property
    def radio(self) -> bool:
        return self.question.kind in RADIO_KINDS


@dataclass(frozen=True)
class AreaProgress:
    """How far one area has got, for the list of areas."""

    id: str
    number: int
    title: str
    answered: int
    total: int
    percent: str
    first_open: str | None

    @property
    def done(self) -> bool:
        return self.answered == self.total


@dataclass
class Progress:
    """How far the whole audit has got."""

    areas: list[AreaProgress]
    answered: int
    total: int
    percent: str
    verdict: str
    verdict_label: str
    result: AuditResult = field(repr=False)

    @property
    def next_open(self) -> tuple[str, str | None] | None:
        """The area and question to carry on with, or None when every question is answered."""
        for area in self.areas:
            if area.first_open is not None:
                return area.id, area.first_open
        return None


def shown(result: QuestionResult) -> bool:
    """A question is on the page if it applies, or was answered "does not apply"."""
    return result.status != "not-applicable" or result.value == NOT_APPLICABLE


def answered(result: QuestionResult) -> bool:
    return result.answer is not None and result.answer.value is not None


#: The last result, reused while the same answers are shown again (a save, then its page).
_last: list[tuple[Checklist, Answers, dt.date, AuditResult]] = []


def scored(checklist: Checklist, answers: Answers) -> AuditResult:
    """The score exactly as `safeaudit score` gives it (dates as at the audit date, else today)."""
    today = dt.date.today()
    for known_checklist, known_answers, day, result in _last:
        if known_checklist is checklist and known_answers is answers and day == today:
            return result
    result = score(checklist, answers)
    _last[:] = [(checklist, answers, today, result)]
    return result


def progress(result: AuditResult) -> Progress:
    areas = []
    for number, area in enumerate(result.areas, 1):
        items = [r for r in area.questions if shown(r)]
        open_ids = [r.question.id for r in items if not answered(r)]
        areas.append(
            AreaProgress(
                area.area.id,
                number,
                area.area.title,
                len(items) - len(open_ids),
                len(items),
                percent_text(area.percent),
                open_ids[0] if open_ids else None,
            )
        )
    return Progress(
        areas,
        sum(a.answered for a in areas),
        sum(a.total for a in areas),
        percent_text(result.percent),
        result.verdict,
        result.verdict_label,
        result,
    )


def _options(question: Question, current: str) -> list[Option]:
    if question.kind == "yes-partial-no":
        pairs = [("yes", "Yes"), ("partial", "Partly"), ("no", "No")]
    elif question.kind == "level":
        pairs = [(str(n), f"{n}: {text}") for n, text in sorted((question.levels or {}).items())]
    else:
        pairs = [(str(n), option.label) for n, option in enumerate(question.options or [], 1)]
    return [Option(value, label, value == current) for value, label in pairs]


def _current_value(question: Question, value: object) -> str:
    """The value as the form sends it (a choice by its number, a date as YYYY-MM-DD)."""
    if value is None or value in (NOT_APPLICABLE, DONT_KNOW):
        return ""
    if question.kind == "choice":
        for n, option in enumerate(question.options or [], 1):
            if option.value == str(value):
                return str(n)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value == NEVER else str(value)


def question_view(
    result: QuestionResult,
    number: int,
    checklist: Checklist,
    today: dt.date,
    submitted: Mapping[str, str] | None = None,
) -> QuestionView:
    question, answer = result.question, result.answer
    value = answer.value if answer is not None else None
    fields = {
        "value": _current_value(question, value),
        "reason": answer.reason if answer else "",
        "evidence": answer.evidence if answer else "",
        "note": answer.note if answer else "",
        "owner": answer.owner if answer else "",
        "due": answer.due.isoformat() if answer and answer.due else "",
    }
    never = value == NEVER
    na_checked = value == NOT_APPLICABLE
    dk_checked = value == DONT_KNOW
    if submitted is not None:  # a form with a problem: show what was typed, not what is saved
        fields = {name: str(submitted.get(name, "")) for name in fields}
        never = bool(submitted.get("never"))
        na_checked = bool(submitted.get("na")) or fields["value"] == NOT_APPLICABLE
        dk_checked = bool(submitted.get("dont_know")) or fields["value"] == DONT_KNOW
        if fields["value"] in (NOT_APPLICABLE, DONT_KNOW):
            fields["value"] = ""
    note = ""
    if result.status in ("unanswered", "partial", "not-met") and result.reason:
        note = result.reason[0].upper() + result.reason[1:] + "."
    status = result.status if answered(result) else "unanswered"
    return QuestionView(
        id=question.id,
        number=number,
        question=question,
        severity=SEVERITY_LABELS[question.severity],
        status=status,
        status_label=STATUS_LABELS[status] if question.scored or status != "recorded" else "",
        answered=answered(result),
        shown_answer=value_text(question, value) if value is not None else "",
        note=note,
        options=_options(question, fields["value"]) if question.kind in RADIO_KINDS else [],
        fields=fields,
        never=never,
        na_allowed=question.na_allowed,
        na_checked=na_checked,
        dk_checked=dk_checked,
        age_text=max_age_text(question, today) if question.kind == "date" else "",
        references=[reference_text(ref, checklist) for ref in question.references],
    )


def area_questions(
    area: AreaResult, checklist: Checklist, today: dt.date
) -> tuple[list[QuestionView], int]:
    """The questions on an area's page, and how many others do not apply to this setting."""
    items = [r for r in area.questions if shown(r)]
    views = [question_view(r, n, checklist, today) for n, r in enumerate(items, 1)]
    return views, len(area.questions) - len(items)

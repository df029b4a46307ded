"""Scoring: a pure function of (checklist, answers, setting type, date) to an AuditResult.

Every rule here is written down, with worked examples, in docs/scoring.md; the tests compute the
same examples. One function (`fraction_for`) gives the fraction of a question's weight earned and
every status and percentage is derived from it, so a score and its fraction cannot disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from safeaudit.answers import NEVER, Value, interpret
from safeaudit.model import (
    NOT_APPLICABLE,
    SEVERITY_ORDER,
    Answer,
    Answers,
    Area,
    Checklist,
    Question,
)
from safeaudit.settings import setting_label

Status = Literal["met", "partial", "not-met", "unanswered", "not-applicable", "recorded"]
Verdict = Literal["met", "not-met", "incomplete"]

#: Every status, in the order reports list them.
STATUSES: tuple[Status, ...] = (
    "met",
    "partial",
    "not-met",
    "unanswered",
    "not-applicable",
    "recorded",
)

#: An answer is "met" when it earns at least this fraction of its weight.
MET_THRESHOLD = 0.75

VERDICT_LABELS: dict[str, str] = {
    "met": "Statutory requirements met",
    "not-met": "Statutory requirements not met",
    "incomplete": "Incomplete: statutory questions unanswered",
}

STATUS_LABELS: dict[str, str] = {
    "met": "Met",
    "partial": "Partly met",
    "not-met": "Not met",
    "unanswered": "Unanswered",
    "not-applicable": "Does not apply",
    "recorded": "Recorded",
}

_YPN = {"yes": 1.0, "partial": 0.5, "no": 0.0}


@dataclass(frozen=True)
class QuestionResult:
    """How one question came out for this setting."""

    area: Area
    question: Question
    status: Status
    fraction: float | None = None
    answer: Answer | None = None
    value: Value | None = None
    #: Why the question does not apply, or why a date fell short.
    reason: str = ""
    #: Date questions: the first day the recorded date counts as out of date.
    review_due: dt.date | None = None
    #: Days since it fell due: a review past its maximum age, or an action past its due date.
    days_overdue: int | None = None
    #: Position in the checklist, for stable ordering.
    order: int = 0

    @property
    def weight(self) -> float:
        return self.question.weight

    @property
    def counted(self) -> bool:
        """Whether this question is in the score's total (answered or not)."""
        return self.question.scored and self.status in ("met", "partial", "not-met", "unanswered")

    @property
    def earned(self) -> float:
        return self.weight * (self.fraction or 0.0) if self.counted else 0.0

    @property
    def possible(self) -> float:
        return self.weight if self.counted else 0.0

    @property
    def is_gap(self) -> bool:
        return self.status in ("partial", "not-met")


@dataclass(frozen=True)
class AreaResult:
    """Totals for one area."""

    area: Area
    questions: list[QuestionResult]
    earned: float
    possible: float

    @property
    def percent(self) -> float | None:
        return percentage(self.earned, self.possible)

    def count(self, status: Status) -> int:
        return sum(1 for result in self.questions if result.status == status)

    def counts(self) -> dict[str, int]:
        """How many questions have each status."""
        return {status: self.count(status) for status in STATUSES}


@dataclass(frozen=True)
class AuditResult:
    """Everything a report needs about one audit."""

    checklist: Checklist
    answers: Answers
    setting_type: str
    as_of: dt.date
    areas: list[AreaResult]
    earned: float
    possible: float
    verdict: Verdict
    gaps: list[QuestionResult] = field(default_factory=list)
    unanswered: list[QuestionResult] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return percentage(self.earned, self.possible)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def questions(self) -> list[QuestionResult]:
        return [result for area in self.areas for result in area.questions]

    @property
    def statutory_gaps(self) -> list[QuestionResult]:
        return [r for r in self.gaps if r.question.severity == "statutory"]

    @property
    def overdue_reviews(self) -> list[QuestionResult]:
        """Date questions whose date is older than their maximum age."""
        return [
            r for r in self.questions if r.review_due is not None and r.review_due <= self.as_of
        ]

    def count(self, status: Status) -> int:
        return sum(area.count(status) for area in self.areas)

    def counts(self) -> dict[str, int]:
        """How many questions have each status."""
        return {status: self.count(status) for status in STATUSES}


def percentage(earned: float, possible: float) -> float | None:
    """Weighted percentage to one decimal place, halves rounded up; None when nothing counts."""
    if possible <= 0:
        return None
    exact = Decimal(earned) * 100 / Decimal(possible)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def long_date(day: dt.date) -> str:
    """A date as people write it: 2 October 2026."""
    return f"{day.day} {day:%B %Y}"


def status_for(fraction: float) -> Status:
    """Met at three quarters of the weight or more; not met at nothing; partly met between."""
    if fraction >= MET_THRESHOLD:
        return "met"
    return "not-met" if fraction <= 0 else "partial"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def academic_year_start(today: dt.date) -> dt.date:
    """1 September of the academic year `today` falls in."""
    return dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def date_due(question: Question, last: dt.date, today: dt.date) -> dt.date | None:
    """The first day a dated review is out of date, or None if the question has no maximum age."""
    if question.max_age == "academic-year":
        start = academic_year_start(today)
        return start if last < start else academic_year_start(add_months(start, 12))
    if isinstance(question.max_age, int):
        return add_months(last, question.max_age) + dt.timedelta(days=1)
    return None


def fraction_for(question: Question, value: Value, today: dt.date) -> tuple[float, str]:
    """The fraction of the weight an answer earns, and a reason when it falls short."""
    kind = question.kind
    if kind == "yes-partial-no":
        return _YPN[str(value)], ""
    if kind == "level":
        return (int(value) - 1) / 4, ""  # type: ignore[arg-type]
    if kind == "choice":
        option = next(o for o in question.options or [] if o.value == value)
        return option.score, ""
    if kind == "date":
        if value == NEVER:
            return 0.0, "never done"
        assert isinstance(value, dt.date)
        if value > today:
            return 0.0, "the date is in the future: record when it last happened"
        due = date_due(question, value, today)
        if due is not None and today >= due:
            return 0.0, f"out of date since {long_date(due)}"
        return 1.0, ""
    if kind == "number":
        target = question.target or 0
        return (min(float(value) / target, 1.0) if target > 0 else 1.0), ""  # type: ignore[arg-type]
    raise ValueError(f"{kind} questions are not scored")


def score(
    checklist: Checklist,
    answers: Answers,
    setting_type: str | None = None,
    today: dt.date | None = None,
) -> AuditResult:
    """Score `answers` against `checklist` for a setting type as at `today`.

    `setting_type` defaults to the answer file's setting; `today` to the audit date, or the
    current date when the file has none. Answers must already be checked with
    `answers.check_answers`.
    """
    setting = setting_type or answers.setting.type
    as_of = today or answers.audit_date or dt.date.today()
    by_id: dict[str, QuestionResult] = {}
    area_results: list[AreaResult] = []
    order = 0
    for area in checklist.areas:
        results = []
        for question in area.questions:
            result = _score_question(
                checklist, area, question, answers, setting, as_of, by_id, order
            )
            by_id[question.id] = result
            results.append(result)
            order += 1
        area_results.append(
            AreaResult(
                area, results, sum(r.earned for r in results), sum(r.possible for r in results)
            )
        )
    everything = [r for area in area_results for r in area.questions]
    return AuditResult(
        checklist=checklist,
        answers=answers,
        setting_type=setting,
        as_of=as_of,
        areas=area_results,
        earned=sum(area.earned for area in area_results),
        possible=sum(area.possible for area in area_results),
        verdict=verdict_for(everything),
        gaps=rank([r for r in everything if r.is_gap]),
        unanswered=rank([r for r in everything if r.status == "unanswered"]),
    )


def verdict_for(results: Sequence[QuestionResult]) -> Verdict:
    """Any statutory gap: not met. Otherwise any statutory question unanswered: incomplete."""
    statutory = [r for r in results if r.question.severity == "statutory"]
    if any(r.is_gap for r in statutory):
        return "not-met"
    if any(r.status == "unanswered" for r in statutory):
        return "incomplete"
    return "met"


def rank(results: Sequence[QuestionResult]) -> list[QuestionResult]:
    """Most urgent first: severity, then weight, then days overdue (longest first), then order."""
    return sorted(
        results,
        key=lambda r: (
            SEVERITY_ORDER[r.question.severity],
            -r.weight,
            -(r.days_overdue if r.days_overdue is not None else -1),
            r.order,
        ),
    )


def _score_question(
    checklist: Checklist,
    area: Area,
    question: Question,
    answers: Answers,
    setting: str,
    today: dt.date,
    earlier: dict[str, QuestionResult],
    order: int,
) -> QuestionResult:
    answer = answers.answers.get(question.id)

    def result(status: Status, **extra: object) -> QuestionResult:
        return QuestionResult(area, question, status, answer=answer, order=order, **extra)  # type: ignore[arg-type]

    if not question.applies_to_setting(setting, checklist.settings):
        return result(
            "not-applicable", reason=f"does not apply to {setting_label(setting).lower()}s"
        )
    if question.when is not None:
        controlling = earlier.get(question.when.question)
        earlier_id = question.when.question
        if controlling is None or controlling.status == "not-applicable":
            return result("not-applicable", reason=f"only asked when question {earlier_id} applies")
        if controlling.status == "unanswered":
            return result("unanswered", reason=f"answer question {earlier_id} first")
        if str(controlling.value) not in question.when.values:
            wanted = " or ".join(question.when.values)
            return result(
                "not-applicable", reason=f"only asked when the answer to {earlier_id} is {wanted}"
            )
    if answer is None or answer.value is None:
        return result("unanswered")
    value = interpret(question, answer.value)
    if value == NOT_APPLICABLE:
        return result("not-applicable", value=value, reason=answer.reason)
    if not question.scored:
        return result("recorded", value=value)
    fraction, reason = fraction_for(question, value, today)
    status = status_for(fraction)
    review_due = None
    if isinstance(value, dt.date) and value <= today:
        review_due = date_due(question, value, today)
    # How long a gap has been outstanding: a review since it fell due, else an action since its
    # owner's due date.
    days_overdue = None
    if status != "met":
        if review_due is not None and review_due <= today:
            days_overdue = (today - review_due).days
        elif answer.due is not None and answer.due < today:
            days_overdue = (today - answer.due).days
    return result(
        status,
        fraction=fraction,
        value=value,
        reason=reason,
        review_due=review_due,
        days_overdue=days_overdue,
    )

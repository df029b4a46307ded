"""The one evaluator: which questions apply, what each answer earns, statuses, scores and verdict.

Every rule here is written down, with worked examples, in docs/scoring.md; the tests compute the
same examples. `score`, the questionnaire (`run`), the reports, `rollup` and `--compare` all get
their answers from this module, so they cannot disagree: one function (`evaluate`) decides for
each question whether it applies and what it earns, `verdict_for` gives the verdict and
`percentage` is the one rounding rule.
"""

# No `from __future__ import annotations` here: typing compiles every text annotation of a named
# tuple (Outcome, QuestionResult) into a ForwardRef when the class is defined, on every report
# (issue 17); real annotations cost nothing to keep.

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from safeaudit.answers import DONT_KNOW, NEVER, Value, interpret
from safeaudit.display import long_date
from safeaudit.frozen import Frozen
from safeaudit.model import (
    NOT_APPLICABLE,
    SEVERITY_ORDER,
    Answer,
    Answers,
    Area,
    Checklist,
    Condition,
    Question,
    superseded_before,
)
from safeaudit.settings import setting_label

Status = Literal["met", "partial", "not-met", "unanswered", "not-applicable", "recorded"]
Verdict = Literal["not-met", "incomplete", "met-with-actions", "met"]

#: Every status, in the order reports list them.
STATUSES: tuple[Status, ...] = (
    "met",
    "partial",
    "not-met",
    "unanswered",
    "not-applicable",
    "recorded",
)

#: Statuses of a gap: something answered that falls short.
GAP_STATUSES: tuple[Status, ...] = ("partial", "not-met")

#: An answer is "met" when it earns at least this fraction of its weight.
MET_THRESHOLD = 0.75

VERDICT_LABELS: dict[str, str] = {
    "not-met": "Not met",
    "incomplete": "Incomplete",
    "met-with-actions": "Met, with actions to complete",
    "met": "Met",
}

#: What each verdict means, in one sentence for the headline of a report.
VERDICT_EXPLANATIONS: dict[str, str] = {
    "not-met": (
        "At least one statutory or critical requirement is not met, or a critical one is only "
        "partly met."
    ),
    "incomplete": (
        "Some statutory or critical questions are unanswered, so the audit cannot say yet "
        "whether requirements are met."
    ),
    "met-with-actions": (
        "No statutory or critical requirement is unmet, but some statutory requirements are "
        "only partly met and have actions to complete."
    ),
    "met": "Every statutory and critical requirement that applies is fully met.",
}

#: Most urgent verdict first (roll-ups sort by it).
VERDICT_ORDER: dict[str, int] = {"not-met": 0, "incomplete": 1, "met-with-actions": 2, "met": 3}

#: Said wherever a verdict is shown: what it is, and what it is not.
SELF_ASSESSMENT = (
    "This is the setting's own self-assessment against the checklist, not an Ofsted judgement."
)

STATUS_LABELS: dict[str, str] = {
    "met": "Met",
    "partial": "Partly met",
    "not-met": "Not met",
    "unanswered": "Unanswered",
    "not-applicable": "Does not apply",
    "recorded": "Recorded",
}

PROVISION_LABELS: dict[str, str] = {
    "early-years": "early-years",
    "sixth-form": "sixth-form",
    "boarding": "boarding",
}

_YPN = {"yes": 1.0, "partial": 0.5, "no": 0.0}


# --------------------------------------------------------------------------- small rules


def percentage(earned: float, possible: float) -> float | None:
    """Weighted percentage to one decimal place, halves rounded up; None when nothing counts."""
    if possible <= 0:
        return None
    exact = Decimal(earned) * 100 / Decimal(possible)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


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


def academic_year_start(day: dt.date) -> dt.date:
    """1 September of the academic year `day` falls in."""
    return dt.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def next_due(question: Question, last: dt.date) -> dt.date | None:
    """The last day a dated review done on `last` is in date (None without a maximum age).

    `academic-year`: until 31 August of the academic year after the one `last` falls in (a
    review in July 2026 is in date until 31 August 2027). A number of months: up to and
    including the same day that many months later.
    """
    if question.max_age == "academic-year":
        return dt.date(academic_year_start(last).year + 2, 8, 31)
    if isinstance(question.max_age, int):
        return add_months(last, question.max_age)
    return None


def judging_date(answers: Answers, as_of: dt.date | None = None) -> dt.date:
    """The date an audit is judged at: `as_of` if given, else its latest day, else today.

    The latest day is the later of the audit date and the day of the latest answer, so an
    audit answered over several days is judged as at its last answer and nothing typed on
    that day counts as "in the future".
    """
    if as_of is not None:
        return as_of
    days = [a.answered_at.date() for a in answers.answers.values() if a.answered_at is not None]
    if answers.audit_date is not None:
        days.append(answers.audit_date)
    return max(days) if days else dt.date.today()


def fraction_for(question: Question, value: Value, today: dt.date) -> tuple[float, str]:
    """The fraction of the weight an answer earns, and a reason when it falls short."""
    if value == DONT_KNOW:
        return 0.0, f"not known: ask {question.dont_know}"
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
        return _date_fraction(next_due(question, value), today)
    if kind == "number":
        target = question.target or 0
        return (min(float(value) / target, 1.0) if target > 0 else 1.0), ""  # type: ignore[arg-type]
    raise ValueError(f"{kind} questions are not scored")


def _date_fraction(last_day: dt.date | None, today: dt.date) -> tuple[float, str]:
    """A date on or before `today` that is in date until `last_day` (None: no maximum age)."""
    if last_day is not None and today > last_day:
        return 0.0, f"out of date since {long_date(last_day + dt.timedelta(days=1))}"
    return 1.0, ""


def applies_reason(
    question: Question, checklist: Checklist, setting_type: str, provision: Iterable[str] = ()
) -> str | None:
    """None when `question` applies to the setting; otherwise why it does not, in words.

    A question applies to the setting types in its `applies_to` (all the checklist's types if
    it has none), and also to any setting that has one of the kinds of provision it names in
    `provision`, whatever the setting's type.
    """
    if question.applies_to_setting(setting_type, checklist.settings):
        return None
    if question.provision and any(kind in question.provision for kind in provision):
        return None
    reason = f"does not apply to {setting_label(setting_type).lower()}s"
    if question.provision:
        kinds = " or ".join(PROVISION_LABELS.get(p, p) for p in question.provision)
        reason += f" without {kinds} provision"
    return reason


_COUNTED = frozenset(("met", "partial", "not-met", "unanswered"))


def counted(question: Question, status: Status) -> bool:
    """Whether a question with this status is in the score's total: it applies and is scored
    (unanswered ones count and earn nothing)."""
    return status in _COUNTED and question.scored


def points(question: Question, status: Status, fraction: float | None) -> tuple[float, float]:
    """What a question with this status and fraction earns toward the score, and what it could
    earn: its weight times the fraction, and its weight, when it is counted; else nothing."""
    if counted(question, status):
        return question.weight * (fraction or 0.0), question.weight
    return 0.0, 0.0


def verdict_for(items: Iterable[tuple[Question, Status]]) -> Verdict:
    """The verdict from each question's status (docs/scoring.md, "The verdict").

    Not met: a statutory or critical question not met, or a critical one only partly met.
    Incomplete: otherwise, a statutory or critical question unanswered. Met, with actions to
    complete: otherwise, a statutory question only partly met. Met: none of these.
    """
    unanswered = partly = False
    for question, status in items:
        if not (question.critical or question.severity == "statutory"):
            continue
        if status == "not-met" or (status == "partial" and question.critical):
            return "not-met"
        if status == "unanswered":
            unanswered = True
        elif status == "partial":
            partly = True
    if unanswered:
        return "incomplete"
    return "met-with-actions" if partly else "met"


# --------------------------------------------------------------------------- the evaluator


class BadAnswer(ValueError):
    """An answer that does not fit its question (answer files are normally checked first)."""

    def __init__(self, question_id: str, message: str) -> None:
        super().__init__(message)
        self.question_id = question_id


class Outcome(NamedTuple):
    """How one question came out: the evaluator's answer, before any report dresses it up.

    A named tuple, not a dataclass: roll-ups make one per question per file, so it must be cheap.
    """

    status: Status
    fraction: float | None = None
    value: Value | None = None
    #: Why the question does not apply, or why an answer fell short.
    reason: str = ""
    #: Date questions: the last day the recorded date is in date.
    next_due: dt.date | None = None
    #: Set when the question waits on an earlier question that is still unanswered.
    waiting: bool = False


_UNANSWERED = Outcome("unanswered")


class Plan:
    """A checklist prepared for evaluating many answer files (roll-ups keep one per checklist)."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        areas: list[int] = []
        questions: list[Question] = []
        for n, area in enumerate(checklist.areas):
            areas += [n] * len(area.questions)
            questions += area.questions
        #: Per question, in checklist order: the index of its area, and the question.
        self.areas: tuple[int, ...] = tuple(areas)
        self.questions: tuple[Question, ...] = tuple(questions)
        #: Questions that another question's `when` depends on.
        self.controllers = frozenset(q.when.question for q in self.questions if q.when)
        #: Per question: id, condition, whether others depend on it, and the question.
        self.rows: tuple[tuple[str, Condition | None, bool, Question], ...] = tuple(
            (q.id, q.when, q.id in self.controllers, q) for q in self.questions
        )
        self._excluded: dict[tuple[str, tuple[str, ...]], dict[str, Outcome]] = {}

    def excluded(self, setting_type: str, provision: Iterable[str] = ()) -> dict[str, Outcome]:
        """Questions that do not apply to this kind of setting, each with its outcome (saying
        why), worked out once per kind of setting."""
        key = (setting_type, tuple(sorted(provision)))
        found = self._excluded.get(key)
        if found is None:
            found = {}
            for question in self.questions:
                reason = applies_reason(question, self.checklist, setting_type, key[1])
                if reason is not None:
                    found[question.id] = Outcome("not-applicable", reason=reason)
            self._excluded[key] = found
        return found


def evaluate(plan: Plan, answers: Answers, setting_type: str, as_of: dt.date) -> list[Outcome]:
    """The outcome of every question of `plan`'s checklist, in checklist order.

    Raises BadAnswer for an answer that does not fit its question.
    """
    excluded = plan.excluded(setting_type, answers.setting.provision)
    given = answers.answers
    earlier: dict[str, Outcome] = {}
    outcomes: list[Outcome] = []
    # The loop is written out (not a call per question) because roll-ups run it per file.
    for qid, when, controls, question in plan.rows:
        outcome = excluded.get(qid)
        if outcome is None and when is not None:
            outcome = _condition(when, earlier)
        if outcome is None:
            answer = given.get(qid)
            if answer is None or answer.value is None:
                outcome = _UNANSWERED
            else:
                outcome = _answered(question, answer, as_of)
        if controls:
            earlier[qid] = outcome
        outcomes.append(outcome)
    return outcomes


def _condition(when: Condition, earlier: dict[str, Outcome]) -> Outcome | None:
    """None when the `when` condition holds; otherwise the outcome it gives its question."""
    controlling = earlier.get(when.question)
    if controlling is None or controlling.status == "not-applicable":
        return Outcome("not-applicable", reason=f"only asked when question {when.question} applies")
    if controlling.status == "unanswered":
        return Outcome("unanswered", reason=f"answer question {when.question} first", waiting=True)
    if str(controlling.value) not in when.values:
        wanted = " or ".join(when.values)
        return Outcome(
            "not-applicable", reason=f"only asked when the answer to {when.question} is {wanted}"
        )
    return None


def _answered(question: Question, answer: Answer, as_of: dt.date) -> Outcome:
    """The outcome of a question that applies and has an answer."""
    qid = question.id
    try:
        value = interpret(question, answer.value)
    except ValueError as exc:
        raise BadAnswer(qid, str(exc)) from None
    if value == NOT_APPLICABLE:
        return Outcome("not-applicable", value=value, reason=answer.reason)
    if not question.scored:
        return Outcome("recorded", value=value)
    if isinstance(value, dt.date) and value <= as_of:
        last_day = next_due(question, value)
        fraction, why = _date_fraction(last_day, as_of)
        return Outcome(status_for(fraction), fraction, value, why, last_day)
    fraction, why = fraction_for(question, value, as_of)
    return Outcome(status_for(fraction), fraction, value, why)


# --------------------------------------------------------------------------- results


class QuestionResult(NamedTuple):
    """How one question came out for this setting.

    A named tuple, like Outcome: as immutable as a frozen dataclass, cheaper to make (a roll-up
    makes one per question per file) and to define at import, which every report pays (issue 17).
    """

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
    #: Date questions: the last day the recorded date is in date ("next due by").
    next_due: dt.date | None = None
    #: A review out of date: days since it fell out of date (None when it is in date).
    days_out_of_date: int | None = None
    #: An action overdue: days since the owner's due date passed, for a gap (else None).
    days_overdue: int | None = None
    #: Position in the checklist, for stable ordering.
    order: int = 0

    @property
    def weight(self) -> float:
        return self.question.weight

    @property
    def applies(self) -> bool:
        """Whether the question applies to this setting (it may still be unanswered)."""
        return self.status != "not-applicable"

    @property
    def counted(self) -> bool:
        """Whether this question is in the score's total (answered or not)."""
        return counted(self.question, self.status)

    @property
    def earned(self) -> float:
        return points(self.question, self.status, self.fraction)[0]

    @property
    def possible(self) -> float:
        return points(self.question, self.status, self.fraction)[1]

    @property
    def is_gap(self) -> bool:
        return self.status in GAP_STATUSES

    @property
    def review_out_of_date(self) -> bool:
        return self.days_out_of_date is not None

    @property
    def not_known(self) -> bool:
        """Answered "don't know": not met, and the first action is to find out."""
        return self.value == DONT_KNOW

    @property
    def action_text(self) -> str:
        """What to do: the question's action, after finding out when the answer is not known."""
        if self.not_known:
            action = self.question.action
            if action[:2].istitle():  # "Ask the provider" reads on as "ask the provider"
                action = action[0].lower() + action[1:]
            return (
                f"Find out from {self.question.dont_know} whether this is in place and record "
                f"the answer. If it is not, {action}"
            )
        return self.question.action

    @property
    def action_overdue(self) -> bool:
        return self.days_overdue is not None

    @property
    def days_outstanding(self) -> int | None:
        """How long the gap has been outstanding: out of date, else overdue (for ranking)."""
        return self.days_out_of_date if self.days_out_of_date is not None else self.days_overdue


class _Totals(Frozen):
    """Counts shared by an area and a whole audit, which are immutable records (`Frozen`):
    equal when every field is, shown with their fields, and never changed once made."""

    __slots__ = ()

    def _results(self) -> list[QuestionResult]:  # pragma: no cover - overridden
        raise NotImplementedError

    def count(self, status: Status) -> int:
        return sum(1 for result in self._results() if result.status == status)

    def counts(self) -> dict[str, int]:
        """How many questions have each status (one pass over the results, not one a status)."""
        statuses = [result.status for result in self._results()]
        return {status: statuses.count(status) for status in STATUSES}

    @property
    def applicable(self) -> int:
        """Questions that apply (answered or not); the "of N" everywhere."""
        return sum(1 for result in self._results() if result.applies)

    @property
    def answered(self) -> int:
        """Questions that apply and have an answer."""
        return sum(1 for r in self._results() if r.applies and r.status != "unanswered")


class AreaResult(_Totals):
    """Totals for one area."""

    __slots__ = _fields = ("area", "questions", "earned", "possible")

    area: Area
    questions: list[QuestionResult]
    earned: float
    possible: float

    def __init__(
        self, area: Area, questions: list[QuestionResult], earned: float, possible: float
    ) -> None:
        self._assign(area, questions, earned, possible)

    def _results(self) -> list[QuestionResult]:
        return self.questions

    @property
    def percent(self) -> float | None:
        return percentage(self.earned, self.possible)

    @property
    def complete(self) -> bool:
        """No question that applies is unanswered."""
        return self.count("unanswered") == 0


class AuditResult(_Totals):
    """Everything a report needs about one audit."""

    __slots__ = _fields = (
        "checklist",
        "answers",
        "setting_type",
        "as_of",
        "areas",
        "earned",
        "possible",
        "verdict",
        "gaps",
        "unanswered",
    )

    checklist: Checklist
    answers: Answers
    setting_type: str
    as_of: dt.date
    areas: list[AreaResult]
    earned: float
    possible: float
    verdict: Verdict
    gaps: list[QuestionResult]
    unanswered: list[QuestionResult]

    def __init__(
        self,
        checklist: Checklist,
        answers: Answers,
        setting_type: str,
        as_of: dt.date,
        areas: list[AreaResult],
        earned: float,
        possible: float,
        verdict: Verdict,
        gaps: list[QuestionResult] | None = None,
        unanswered: list[QuestionResult] | None = None,
    ) -> None:
        self._assign(
            checklist,
            answers,
            setting_type,
            as_of,
            areas,
            earned,
            possible,
            verdict,
            [] if gaps is None else gaps,
            [] if unanswered is None else unanswered,
        )

    def _results(self) -> list[QuestionResult]:
        return self.questions

    @property
    def percent(self) -> float | None:
        return percentage(self.earned, self.possible)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def verdict_explanation(self) -> str:
        return VERDICT_EXPLANATIONS[self.verdict]

    @property
    def questions(self) -> list[QuestionResult]:
        return [result for area in self.areas for result in area.questions]

    @property
    def statutory_gaps(self) -> list[QuestionResult]:
        return [r for r in self.gaps if r.question.severity == "statutory"]

    @property
    def critical_gaps(self) -> list[QuestionResult]:
        return [r for r in self.gaps if r.question.critical]

    @property
    def overdue_reviews(self) -> list[QuestionResult]:
        """Date questions whose date is older than their maximum age (reviews out of date)."""
        return [r for r in self.questions if r.review_out_of_date]

    @property
    def overdue_actions(self) -> list[QuestionResult]:
        """Gaps whose owner's due date has passed, most urgent first."""
        return [r for r in self.gaps if r.action_overdue]

    @property
    def superseded(self) -> bool:
        """Whether the checklist was superseded on or before the date the audit is judged at."""
        return superseded_before(self.checklist, self.as_of)


def superseded_warning(checklist: Checklist, day: dt.date) -> str | None:
    """A plain warning when an audit judged at `day` uses a superseded checklist, else None."""
    if not superseded_before(checklist, day):
        return None
    since = f" from {long_date(checklist.superseded_from)}" if checklist.superseded_from else ""
    return (
        f"the checklist {checklist.id} was replaced by {checklist.superseded_by}{since}; this "
        f"audit is judged as at {long_date(day)}, so answer {checklist.superseded_by} for a "
        "current self-assessment"
    )


def score(
    checklist: Checklist,
    answers: Answers,
    setting_type: str | None = None,
    today: dt.date | None = None,
    plan: Plan | None = None,
) -> AuditResult:
    """Score `answers` against `checklist` for a setting type as at `today`.

    `setting_type` defaults to the answer file's setting; `today` to the audit's judging date
    (`judging_date`). Answers must already be checked with `answers.check_answers`.
    """
    setting = setting_type or answers.setting.type
    as_of = judging_date(answers, today)
    plan = plan if plan is not None else Plan(checklist)
    outcomes = iter(evaluate(plan, answers, setting, as_of))
    given = answers.answers
    area_results: list[AreaResult] = []
    order = 0
    for area in checklist.areas:
        results = []
        earned: list[float] = []
        possible: list[float] = []
        for question in area.questions:
            outcome = next(outcomes)
            results.append(_result(area, question, outcome, given.get(question.id), as_of, order))
            gained, could = points(question, outcome.status, outcome.fraction)
            earned.append(gained)
            possible.append(could)
            order += 1
        area_results.append(AreaResult(area, results, sum(earned), sum(possible)))
    everything = [r for area in area_results for r in area.questions]
    return AuditResult(
        checklist=checklist,
        answers=answers,
        setting_type=setting,
        as_of=as_of,
        areas=area_results,
        earned=sum(area.earned for area in area_results),
        possible=sum(area.possible for area in area_results),
        verdict=verdict_for((r.question, r.status) for r in everything),
        gaps=rank([r for r in everything if r.status in GAP_STATUSES]),
        unanswered=rank([r for r in everything if r.status == "unanswered"]),
    )


def _result(
    area: Area,
    question: Question,
    outcome: Outcome,
    answer: Answer | None,
    as_of: dt.date,
    order: int,
) -> QuestionResult:
    review_due = days_out = days_overdue = None
    if outcome.next_due is not None:
        review_due = outcome.next_due + dt.timedelta(days=1)
        if review_due <= as_of:
            days_out = (as_of - review_due).days
    due = answer.due if answer is not None else None
    if outcome.status in GAP_STATUSES and due is not None and due < as_of:
        days_overdue = (as_of - due).days
    # Every field by position, in QuestionResult's order (keywords cost a roll-up twice as much).
    return QuestionResult(
        area,
        question,
        outcome.status,
        outcome.fraction,
        answer,
        outcome.value,
        outcome.reason,
        review_due,
        outcome.next_due,
        days_out,
        days_overdue,
        order,
    )


def rank(results: Sequence[QuestionResult]) -> list[QuestionResult]:
    """Most urgent first: critical, then severity, then weight, then longest outstanding."""
    return sorted(results, key=_urgency)


def _urgency(result: QuestionResult) -> tuple[bool, int, float, int, int]:
    """The key `rank` sorts by: most urgent first."""
    question = result.question
    outstanding = result.days_outstanding
    return (
        not question.critical,
        SEVERITY_ORDER[question.severity],
        -question.weight,
        -(outstanding if outstanding is not None else -1),
        result.order,
    )

"""The interactive questionnaire as a state machine, independent of any terminal library."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from safeaudit.answers import NEVER, Value, interpret
from safeaudit.display import long_date
from safeaudit.errors import NotFound, SafeauditError, WrongChecklist
from safeaudit.model import (
    NOT_APPLICABLE,
    Answer,
    Answers,
    Area,
    Checklist,
    ChecklistRef,
    Question,
    Setting,
    is_current,
)
from safeaudit.outline import reference_text
from safeaudit.scoring import (
    AuditResult,
    Plan,
    academic_year_start,
    evaluate,
    fraction_for,
    next_due,
    score,
    status_for,
)
from safeaudit.settings import SETTING_TYPES, setting_label
from safeaudit.store import now

#: What the session is waiting for: the answer itself, or one of the questions that follow it.
Stage = Literal["value", "reason", "evidence", "owner", "due"]

#: What a response did, so a user interface knows what to show next.
Event = Literal[
    "answered", "follow-up", "kept", "noted", "help", "back", "at-start", "skip", "quit"
]

#: Keys that work at every prompt.
KEY_HELP, KEY_BACK, KEY_SKIP, KEY_QUIT, KEY_CLEAR = "?", "b", "s", "q", "-"

SEVERITY_LABELS = {
    "statutory": "Statutory requirement",
    "expected": "Expected by inspectors",
    "recommended": "Recommended good practice",
}

_YPN_KEYS = {"y": "yes", "yes": "yes", "p": "partial", "partial": "partial", "n": "no", "no": "no"}
_NA_WORDS = ("n/a", "na", "n.a.", "not applicable")
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class InputProblem(ValueError):
    """Something typed that cannot be used; the message says, in plain words, what to type."""


# --------------------------------------------------------------------------- helpers


def parse_user_date(raw: str, today: dt.date) -> dt.date:
    """A date typed by a person: YYYY-MM-DD, DD/MM/YYYY or "today"."""
    text = raw.strip().lower()
    if text == "today":
        return today
    match = _UK_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
            year, month, day = (int(part) for part in text.split("-"))
            return dt.date(year, month, day)
    except ValueError:
        raise InputProblem(f"{raw.strip()} is not a real date; check the day and month.") from None
    raise InputProblem(
        "Write the date as DD/MM/YYYY (for example 14/09/2025), as YYYY-MM-DD, or type today."
    )


def max_age_text(question: Question, today: dt.date) -> str:
    """How old a date may be before it counts as out of date, in plain words."""
    if question.max_age == "academic-year":
        earliest = dt.date(academic_year_start(today).year - 1, 9, 1)
        return (
            "It must be done at least once every school year: a date stays in date until 31 "
            f"August of the school year after the one it falls in, so today any date on or "
            f"after {long_date(earliest)} is in date."
        )
    if isinstance(question.max_age, int):
        months = question.max_age
        span = (
            f"{months // 12} years"
            if months >= 24 and months % 12 == 0
            else f"{months} month{'s' * (months != 1)}"
        )
        return f"A date more than {span} ago counts as out of date."
    return ""


def value_text(question: Question, value: Value | None) -> str:
    """An answer as a person would say it (the option's label for a choice)."""
    if value is None:
        return ""
    if value == NOT_APPLICABLE:
        return "n/a (does not apply)"
    if question.kind == "choice":
        for option in question.options or []:
            if option.value == str(value):
                return option.label
    if question.kind == "level":
        return f"level {value}"
    if value == "partial":
        return "partly"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_lines(question: Question, today: dt.date) -> list[str]:
    """What can be typed for a question, one line each (levels and options numbered)."""
    lines: list[str] = []
    if question.kind == "yes-partial-no":
        lines.append("Type y for yes, p for partly, n for no.")
    elif question.kind == "level":
        lines.append("Type the level, 1 to 5, that fits best:")
        lines += [f"  {level}  {text}" for level, text in sorted((question.levels or {}).items())]
    elif question.kind == "choice":
        lines.append("Type the number of the answer that fits best:")
        lines += [f"  {n}  {option.label}" for n, option in enumerate(question.options or [], 1)]
    elif question.kind == "date":
        lines.append("Type the date it last happened: DD/MM/YYYY, YYYY-MM-DD, today or never.")
        age = max_age_text(question, today)
        if age:
            lines.append(age)
    elif question.kind == "number":
        target = f" ({question.target:g} or more earns full marks)" if question.target else ""
        lines.append(f"Type a number{target}.")
    else:
        lines.append("Type your answer on one line.")
    if question.severity != "statutory":
        lines.append("Type n/a if this does not apply to your setting (you will be asked why).")
    return lines


def help_lines(question: Question, checklist: Checklist) -> list[str]:
    """The help for a question: explanation, expected evidence, action and where it comes from."""
    lines: list[str] = []
    if question.help:
        lines += [question.help, ""]
    lines += [f"What an inspector would expect to see: {question.evidence}", ""]
    lines += [f"What to do if it is not fully in place: {question.action}", ""]
    lines.append("Where this comes from:")
    lines += [f"  - {reference_text(ref, checklist)}" for ref in question.references]
    lines += [
        "",
        "Keys: ? help · b back one question · s skip · q save and stop"
        + (" · n/a does not apply" if question.severity != "statutory" else ""),
    ]
    return lines


def applicable_ids(
    checklist: Checklist, answers: Answers, setting: str, today: dt.date | None = None
) -> list[str]:
    """Questions the walk can ask now, in order: those that apply to the setting (its type and
    provision) and whose `when` condition holds, as the evaluator (scoring) decides.

    A question waiting on an earlier question that is still unanswered is left out until that
    one is answered; the score counts it as unanswered meanwhile.
    """
    outcomes = evaluate(Plan(checklist), answers, setting, today or dt.date.today())
    return [
        question.id
        for (_area, question), outcome in zip(checklist.questions(), outcomes, strict=True)
        if not outcome.waiting
        and (outcome.status != "not-applicable" or outcome.value == NOT_APPLICABLE)
    ]


def offer_order(checklist: Checklist) -> tuple[int, int, str]:
    """How checklists are offered: newest first, then the broadest (most areas), then by id."""
    return (-checklist.effective.toordinal(), -len(checklist.areas), checklist.id)


def current_checklists(setting_type: str, today: dt.date) -> list[Checklist]:
    """Checklists in force and not superseded on `today` for a setting type: newest first, then
    the broadest (most areas), so Enter takes the whole-school self-review, not a narrower one.

    Checklists that cannot be loaded are left out (`safeaudit checklists` reports them).
    """
    from safeaudit.checklists import available, load_checklist_file

    found: list[Checklist] = []
    for entry in available():
        try:
            checklist = load_checklist_file(entry.path)
        except SafeauditError:
            continue
        if is_current(checklist, setting_type, today):
            found.append(checklist)
    return sorted(found, key=offer_order)


def parse_checklist_choice(raw: str, choices: Sequence[Checklist]) -> Checklist:
    """The checklist picked by number (Enter: the first) or by id from `current_checklists`."""
    text = raw.strip()
    if not text:
        return choices[0]
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1]
    for checklist in choices:
        if text == checklist.id:
            return checklist
    raise InputProblem(f"Press Enter for the first, or type a number from 1 to {len(choices)}.")


def setting_choices(checklist: Checklist | None = None) -> list[tuple[str, str]]:
    """(type, plain-English name) for each setting type the checklist covers (every type when
    no checklist is chosen yet), in order."""
    kinds = checklist.settings if checklist is not None else list(SETTING_TYPES)
    return [(kind, setting_label(kind)) for kind in kinds]


def parse_setting_choice(raw: str, choices: Sequence[tuple[str, str]]) -> str:
    """The setting type picked by number (or typed by id) from `setting_choices`."""
    text = raw.strip().lower()
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1][0]
    for kind, _label in choices:
        if text == kind:
            return kind
    raise InputProblem(f"Type a number from 1 to {len(choices)}.")


#: Kinds of provision beside the main type, as offered to users, in order.
PROVISION_CHOICES: tuple[tuple[str, str], ...] = (
    ("early-years", "Early years provision (a nursery or Reception class)"),
    ("sixth-form", "A sixth form"),
    ("boarding", "Boarding"),
)


def asks_provision(checklist: Checklist) -> bool:
    """Whether any question depends on the setting's provision (so `run` should ask about it)."""
    return any(q.provision for _a, q in checklist.questions())


def parse_provision_choice(raw: str) -> list[str]:
    """Provision picked by numbers separated by spaces or commas (Enter for none)."""
    picked: list[str] = []
    for part in raw.replace(",", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= len(PROVISION_CHOICES):
            raise InputProblem(
                f"Type numbers from 1 to {len(PROVISION_CHOICES)} separated by spaces, or press "
                "Enter for none."
            )
        kind = PROVISION_CHOICES[int(part) - 1][0]
        if kind not in picked:
            picked.append(kind)
    return picked


def new_answers(
    checklist: Checklist,
    name: str,
    setting_type: str,
    urn: str | None,
    today: dt.date,
    provision: Sequence[str] = (),
) -> Answers:
    """A fresh answer file for one setting, with no answers yet."""
    if not name.strip():
        raise InputProblem("Type the name of your school, college or setting.")
    clean_urn = (urn or "").strip() or None
    if clean_urn is not None and not re.fullmatch(r"\d{6,8}", clean_urn):
        raise InputProblem(
            "A URN is the 6-digit number the DfE gives your setting (press Enter "
            "if you do not know it)."
        )
    return Answers(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        setting=Setting.model_validate(
            {
                "name": name.strip(),
                "type": setting_type,
                "urn": clean_urn,
                "provision": list(provision),
            }
        ),
        audit_date=today,
    )


def check_same_checklist(checklist: Checklist, answers: Answers, path: object) -> None:
    """Raise WrongChecklist if `answers` were made for another checklist or version."""
    ref = answers.checklist
    if ref.id != checklist.id:
        raise WrongChecklist(
            f"{path} holds answers to the checklist {ref.id} (version {ref.version}), not "
            f"{checklist.id} (version {checklist.version}); give another file with -o, or run "
            f"`safeaudit run {ref.id} -o {path}` to carry on with it"
        )
    if ref.version != checklist.version:
        raise WrongChecklist(
            f"{path} holds answers to {ref.id} version {ref.version}, but this checklist is "
            f"version {checklist.version}; give another file with -o to start afresh (your "
            "file is unchanged)"
        )


def check_area(checklist: Checklist, area: str | None) -> None:
    """Raise NotFound, listing the area ids, if `area` is not one of the checklist's areas."""
    area_ids = [item.id for item in checklist.areas]
    if area is not None and area not in area_ids:
        raise NotFound(f"no area `{area}` in {checklist.id}; the areas are: {', '.join(area_ids)}")


def parse_answer(question: Question, text: str, today: dt.date) -> Value:
    """An answer typed by a person (y/p/n, a level, an option's number, a date...) as a value.

    Raises InputProblem saying what to type; used by `run` and by `serve`'s forms alike.
    """
    kind = question.kind
    value: Value
    if kind == "yes-partial-no":
        if text.lower() not in _YPN_KEYS:
            raise InputProblem("Type y (yes), p (partly) or n (no); ? shows help.")
        value = _YPN_KEYS[text.lower()]
    elif kind == "level":
        if text not in ("1", "2", "3", "4", "5"):
            raise InputProblem("Type a level from 1 to 5.")
        value = int(text)
    elif kind == "choice":
        options = question.options or []
        if text.isdigit() and 1 <= int(text) <= len(options):
            value = options[int(text) - 1].value
        elif text in [option.value for option in options]:
            value = text
        else:
            raise InputProblem(f"Type a number from 1 to {len(options)}.")
    elif kind == "date" and text.lower() == NEVER:
        value = NEVER  # never done: a gap, not a blank
    elif kind == "date":
        value = parse_user_date(text, today)
        if value > today:
            raise InputProblem("That date is in the future: give the date it last happened.")
    elif kind == "number":
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise InputProblem("Type a number, for example 12.") from None
        if number < 0 or number != number or number in (float("inf"), float("-inf")):
            raise InputProblem("Type a number of 0 or more.")
        value = int(number) if number.is_integer() else number
    else:
        value = text
    try:
        return interpret(question, value)
    except ValueError as exc:  # pragma: no cover - the checks above should catch it first
        raise InputProblem(f"The answer {exc}.") from None


def parse_due(text: str, today: dt.date) -> dt.date:
    """A due date typed by a person: today or later."""
    day = parse_user_date(text, today)
    if day < today:
        raise InputProblem("A due date should be today or later.")
    return day


# --------------------------------------------------------------------------- the session


@dataclass(frozen=True)
class Step:
    """The question being asked and where it sits in the walk."""

    area: Area
    question: Question
    answer: Answer | None
    area_position: int
    area_total: int
    position: int
    total: int

    @property
    def position_text(self) -> str:
        """For example "Filtering · 4/9 · 37 of 112 overall"."""
        return (
            f"{self.area.title} · {self.area_position}/{self.area_total} · "
            f"{self.position} of {self.total} overall"
        )


@dataclass(frozen=True)
class Summary:
    """How far the audit has got, for the end of a session."""

    answered_now: int
    skipped_now: int
    #: Questions that apply and have an answer, and those still unanswered (as `score` counts).
    answered: int
    to_answer: int
    result: AuditResult

    @property
    def total(self) -> int:
        """Questions that apply: answered plus still to answer."""
        return self.result.applicable

    @property
    def not_applicable(self) -> int:
        return self.result.count("not-applicable")


@dataclass
class _Draft:
    """Follow-up questions still to ask about the answer just given."""

    stages: list[Stage]
    value: Value | None = None


@dataclass
class Session:
    """Walks a checklist question by question; every change is handed to `save` at once.

    Drive it with `respond(raw)` (which understands the keys ? b s q) or with `answer`,
    `follow_up`, `back` and `skip`; `current()` is None when the walk is over.
    """

    checklist: Checklist
    answers: Answers
    review: bool = False
    area: str | None = None
    save: Callable[[Answers], None] | None = None
    clock: Callable[[], dt.datetime] = now
    today: dt.date = field(default_factory=dt.date.today)
    answered_now: set[str] = field(default_factory=set)
    skipped_now: set[str] = field(default_factory=set)
    #: Why the last answer falls short (a review date that is out of date), for the user.
    last_note: str = ""

    def __post_init__(self) -> None:
        check_area(self.checklist, self.area)
        ordered = [q.id for _a, q in self.checklist.questions()]
        if self.review:
            # Answers that `safeaudit migrate` marked for review are asked first.
            marked = [qid for qid in ordered if (a := self.answers.answers.get(qid)) and a.review]
            ordered = marked + [qid for qid in ordered if qid not in set(marked)]
        self._order = {qid: n for n, qid in enumerate(ordered)}
        self._areas = {q.id: a for a, q in self.checklist.questions()}
        self._index = self.checklist.question_index()
        self._seen: set[str] = set()
        self._draft: _Draft | None = None
        #: The answer replaced by the last one given, so `b` at its follow-ups can undo it.
        self._undo: tuple[str, Answer | None] | None = None
        self._current = self._next_after(None)
        if self._current is not None:
            self._seen.add(self._current)

    # ----------------------------------------------------------------- reading

    @property
    def stage(self) -> Stage:
        return self._draft.stages[0] if self._draft and self._draft.stages else "value"

    @property
    def finished(self) -> bool:
        return self._current is None

    def walk(self) -> list[str]:
        """Ids of the questions this session covers now (answers can change it)."""
        ids = applicable_ids(self.checklist, self.answers, self.answers.setting.type, self.today)
        if self.area is not None:
            ids = [qid for qid in ids if self._areas[qid].id == self.area]
        return ids

    def current(self) -> Step | None:
        """The question being asked, or None when there is nothing left to ask."""
        if self._current is None:
            return None
        qid = self._current
        walk = self.walk()
        area = self._areas[qid]
        in_area = [q for q in walk if self._areas[q].id == area.id]
        position = walk.index(qid) + 1 if qid in walk else len(walk)
        area_position = in_area.index(qid) + 1 if qid in in_area else len(in_area)
        return Step(
            area,
            self._index[qid],
            self.answers.answers.get(qid),
            area_position,
            len(in_area),
            position,
            len(walk),
        )

    def default(self) -> str:
        """What pressing Enter keeps at the current prompt ("" when there is nothing)."""
        step = self.current()
        if step is None:
            return ""
        answer = step.answer
        stage = self.stage
        if stage == "value":
            return value_text(step.question, answer.value) if answer else ""
        if answer is None:
            return ""
        if stage == "due":
            return answer.due.strftime("%d/%m/%Y") if answer.due else ""
        if stage == "reason":
            return answer.reason
        return answer.evidence if stage == "evidence" else answer.owner

    def summary(self) -> Summary:
        """Counts and scores for the end of a session: the same figures as `score` and the report."""
        # Judged as `score` and the report judge it: as at the audit's latest answer.
        result = score(self.checklist, self.answers)
        return Summary(
            len(self.answered_now),
            len(self.skipped_now - self.answered_now),
            result.answered,
            len(result.unanswered),
            result,
        )

    # ----------------------------------------------------------------- acting

    def respond(self, raw: str) -> Event:
        """Handle one line typed at the current prompt."""
        key = raw.strip()
        low = key.lower()
        if low == KEY_HELP:
            return "help"
        if low == KEY_QUIT:
            return "quit"
        if low == KEY_BACK:
            return "back" if self.back() else "at-start"
        if low == KEY_SKIP:
            self.skip()
            return "skip"
        if self.stage == "value":
            return self.answer(key)
        return self.follow_up(key)

    def answer(self, raw: str) -> Event:
        """Record the answer to the current question (Enter keeps an existing one)."""
        step = self._require()
        question, old = step.question, step.answer
        text = raw.strip()
        if not text:
            if old is not None and old.value is not None:
                if old.review:  # confirmed: no longer needs review
                    self._store(question.id, old.model_copy(update={"review": False}))
                self._advance()
                return "kept"
            raise InputProblem(
                answer_lines(question, self.today)[0] + " Or type s to skip, ? for help."
            )
        if text.lower() in _NA_WORDS:
            if question.severity == "statutory":
                raise InputProblem(
                    "This is a statutory requirement, so it cannot be marked as "
                    "not applying: answer it, or type s to skip for now."
                )
            self._draft = _Draft(["reason"], NOT_APPLICABLE)
            return "follow-up"
        value = self._parse(question, text)
        notes: list[str] = []
        met = self._met(question, value)
        if question.kind == "date":
            _fraction, reason = fraction_for(question, value, self.today)
            if reason:
                notes.append(f"Recorded, but {reason}.")
            elif isinstance(value, dt.date) and (last_day := next_due(question, value)):
                notes.append(f"In date; next due by {long_date(last_day)}.")
        keep = old or Answer()
        owner, due = keep.owner, keep.due
        if met and (owner or due):
            # A met answer has no action left: its owner and due date go (b brings them back).
            cleared = " and ".join(
                part
                for part in (f"owner ({owner})" if owner else "", "due date" if due else "")
                if part
            )
            notes.append(
                f"Now met, so the {cleared} for the action {'were' if owner and due else 'was'} "
                "cleared; type b to undo this answer and keep them."
            )
            owner, due = "", None
        self.last_note = " ".join(notes)
        self._undo = (question.id, old)
        self._store(
            question.id,
            Answer(
                value=value,
                evidence=keep.evidence,
                note=keep.note,
                owner=owner,
                due=due,
                answered_at=self.clock(),
                answered_by=keep.answered_by,
            ),
        )
        stages = self._follow_ups(question, value)
        if stages:
            self._draft = _Draft(stages, value)
            return "follow-up"
        self._advance()
        return "answered"

    def follow_up(self, raw: str) -> Event:
        """Record the reason, evidence, owner or due date asked for after an answer."""
        step = self._require()
        if self._draft is None or not self._draft.stages:
            return self.answer(raw)
        stage = self._draft.stages[0]
        text = raw.strip()
        old = step.answer or Answer()
        if stage == "reason":
            if not text:
                raise InputProblem(
                    "A reason is needed: say briefly why this does not apply to "
                    "your setting (or type b to give a different answer)."
                )
            self._store(
                step.question.id,
                Answer(
                    value=NOT_APPLICABLE,
                    reason=text,
                    note=old.note,
                    answered_at=self.clock(),
                    answered_by=old.answered_by,
                ),
            )
        elif text:
            update: dict[str, object] = {}
            if stage == "due":
                update["due"] = None if text == KEY_CLEAR else self._parse_due(text)
            else:
                update[stage] = "" if text == KEY_CLEAR else text
            self._store(step.question.id, old.model_copy(update=update))
        self._draft.stages.pop(0)
        if not self._draft.stages:
            self._advance()
        return "noted"

    def back(self) -> bool:
        """Go back: from a follow-up to its question, else to the previous question.

        From a follow-up, the answer just given is undone: the question's earlier answer (with
        its owner and due date) is put back, and the question is asked again.
        """
        if self._draft is not None:
            self._draft = None
            undo, self._undo = self._undo, None
            if undo is not None and undo[0] == self._current:
                self._restore(*undo)
            return True
        self._undo = None
        if self._current is None:
            return False
        # The question before this one in the walk, even if it was answered in an earlier
        # session: after a resume, b still reaches the answers already given.
        here = self._order[self._current]
        earlier = sorted(
            (qid for qid in self.walk() if self._order[qid] < here), key=self._order.__getitem__
        )
        if not earlier:
            return False
        self._current = earlier[-1]
        self._seen.add(self._current)
        return True

    def skip(self) -> None:
        """Move on, leaving the current question as it is (unanswered if it was)."""
        step = self._require()
        if step.answer is None or step.answer.value is None:
            self.skipped_now.add(step.question.id)
        self._advance()

    # ----------------------------------------------------------------- internals

    def _require(self) -> Step:
        step = self.current()
        if step is None:
            raise InputProblem("There are no more questions.")
        return step

    def _should_ask(self, qid: str) -> bool:
        answer = self.answers.answers.get(qid)
        return self.review or qid in self._seen or answer is None or answer.value is None

    def _next_after(self, qid: str | None) -> str | None:
        start = -1 if qid is None else self._order[qid]
        for candidate in sorted(self.walk(), key=self._order.__getitem__):
            if self._order[candidate] > start and self._should_ask(candidate):
                return candidate
        return None

    def _advance(self) -> None:
        self._draft = None
        self._undo = None
        if self._current is None:
            return
        self._current = self._next_after(self._current)
        if self._current is not None:
            self._seen.add(self._current)

    def _store(self, qid: str, answer: Answer) -> None:
        answers = dict(self.answers.answers)
        answers[qid] = answer
        self.answers = self.answers.model_copy(update={"answers": answers})
        if answer.value is not None:
            self.answered_now.add(qid)
        if self.save is not None:
            self.save(self.answers)

    def _parse(self, question: Question, text: str) -> Value:
        return parse_answer(question, text, self.today)

    def _parse_due(self, text: str) -> dt.date:
        return parse_due(text, self.today)

    def _met(self, question: Question, value: Value) -> bool:
        if not question.scored or value == NOT_APPLICABLE:
            return False
        return status_for(fraction_for(question, value, self.today)[0]) == "met"

    def _follow_ups(self, question: Question, value: Value) -> list[Stage]:
        if not question.scored:
            return []
        if self._met(question, value):
            return ["evidence"]
        if value == NEVER:
            return ["owner", "due"]  # nothing was ever done, so there is no evidence to name
        return ["evidence", "owner", "due"]

    def _restore(self, qid: str, old: Answer | None) -> None:
        answers = dict(self.answers.answers)
        if old is None:
            answers.pop(qid, None)
            self.answered_now.discard(qid)
        else:
            answers[qid] = old
        self.answers = self.answers.model_copy(update={"answers": answers})
        self.last_note = ""
        if self.save is not None:
            self.save(self.answers)

"""The questionnaire's state machine: which question is asked now, back, skip, and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from safeaudit.answers import Value
from safeaudit.model import NOT_APPLICABLE, Answer, Answers, Area, Checklist, Question
from safeaudit.questionnaire.parsing import (
    KEY_BACK,
    KEY_HELP,
    KEY_NOTE,
    KEY_QUIT,
    KEY_SKIP,
    InputProblem,
    parse_answer,
    says_not_applicable,
)
from safeaudit.questionnaire.prompts import answer_lines, value_text
from safeaudit.questionnaire.recording import Stage, record_follow_up, record_value
from safeaudit.questionnaire.starting import check_area
from safeaudit.scoring import AuditResult, Plan, evaluate, score
from safeaudit.store import now

#: What a response did, so a user interface knows what to show next.
Event = Literal[
    "answered", "follow-up", "kept", "noted", "note", "help", "back", "at-start", "skip", "quit"
]


def applicable_ids(
    checklist: Checklist, answers: Answers, setting: str, today: dt.date | None = None
) -> list[str]:
    """Questions the walk can ask now, in order: those that apply to the setting (its type and
    provision) and whose `when` condition holds, as the evaluator (scoring) decides.

    A question waiting on an earlier question that is still unanswered is left out until that
    one is answered; the score counts it as unanswered meanwhile.
    """
    return _walk_and_waiting(checklist, answers, setting, today)[0]


def _walk_and_waiting(
    checklist: Checklist, answers: Answers, setting: str, today: dt.date | None = None
) -> tuple[list[str], list[str]]:
    """The questions the walk can ask now (`applicable_ids`), and those waiting on an earlier
    question still unanswered, which may yet apply: `score` counts both, and so does the
    "of N" the walk shows."""
    outcomes = evaluate(Plan(checklist), answers, setting, today or dt.date.today())
    walk: list[str] = []
    waiting: list[str] = []
    for (_area, question), outcome in zip(checklist.questions(), outcomes, strict=True):
        if outcome.waiting:
            waiting.append(question.id)
        elif outcome.status != "not-applicable" or outcome.value == NOT_APPLICABLE:
            walk.append(question.id)
    return walk, waiting


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
    #: Asked from the answer prompt (`note`): when done, the question is asked again.
    then_ask_again: bool = False


@dataclass
class Session:
    """Walks a checklist question by question; every change is handed to `save` at once.

    Drive it with `respond(raw)` (which understands the keys ? b s q and `note`) or with
    `answer`, `follow_up`, `note`, `back` and `skip`; `current()` is None when the walk is over.
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
        return self._walk_and_waiting()[0]

    def _walk_and_waiting(self) -> tuple[list[str], list[str]]:
        walk, waiting = _walk_and_waiting(
            self.checklist, self.answers, self.answers.setting.type, self.today
        )
        if self.area is not None:
            walk = [qid for qid in walk if self._areas[qid].id == self.area]
            waiting = [qid for qid in waiting if self._areas[qid].id == self.area]
        return walk, waiting

    def current(self) -> Step | None:
        """The question being asked, or None when there is nothing left to ask."""
        if self._current is None:
            return None
        qid = self._current
        walk, waiting = self._walk_and_waiting()
        area = self._areas[qid]
        in_area = [q for q in walk if self._areas[q].id == area.id]
        position = walk.index(qid) + 1 if qid in walk else len(walk)
        area_position = in_area.index(qid) + 1 if qid in in_area else len(in_area)
        # The "of N" counts questions that wait on an earlier answer, as `score` does: they may
        # yet apply, and leave the count if that answer rules them out.
        area_waiting = sum(1 for q in waiting if self._areas[q].id == area.id)
        return Step(
            area,
            self._index[qid],
            self.answers.answers.get(qid),
            area_position,
            len(in_area) + area_waiting,
            position,
            len(walk) + len(waiting),
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
        return {"evidence": answer.evidence, "owner": answer.owner, "note": answer.note}[stage]

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
        if low == KEY_NOTE and self.stage != "note":
            self.note()
            return "note"
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
        if says_not_applicable(question, text):
            self._draft = _Draft(["reason"], NOT_APPLICABLE)
            return "follow-up"
        value = parse_answer(question, text, self.today)
        recorded = record_value(question, value, old, self.today, self.clock())
        self.last_note = recorded.note
        self._undo = (question.id, old)
        self._store(question.id, recorded.answer)
        if recorded.follow_ups:
            self._draft = _Draft(recorded.follow_ups, value)
            return "follow-up"
        self._advance()
        return "answered"

    def follow_up(self, raw: str) -> Event:
        """Record the reason, evidence, owner or due date asked for after an answer."""
        step = self._require()
        if self._draft is None or not self._draft.stages:
            return self.answer(raw)
        updated = record_follow_up(
            self._draft.stages[0], raw.strip(), step.answer, self.today, self.clock
        )
        if updated is not None:
            self._store(step.question.id, updated)
        self._draft.stages.pop(0)
        if not self._draft.stages:
            if self._draft.then_ask_again:
                self._draft = None  # the note was written from the answer prompt: ask again
            else:
                self._advance()
        return "noted"

    def note(self) -> None:
        """Ask for notes now, then carry on where the walk was: at the same follow-up, or with
        the question itself when asked from its answer prompt.

        Notes are asked after an answer that falls short; this is how a met answer (or an
        unanswered question) gets one. A later notes prompt is not asked again.
        """
        self._require()
        if self._draft is None:
            self._draft = _Draft(["note"], then_ask_again=True)
        else:
            self._draft.stages = ["note", *(s for s in self._draft.stages if s != "note")]

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

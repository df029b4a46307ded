"""An answer given at the questionnaire, as the record it becomes, and the follow-ups it needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from safeaudit.answers import DONT_KNOW, NEVER, Value
from safeaudit.display import long_date
from safeaudit.model import NOT_APPLICABLE, Answer, Question
from safeaudit.questionnaire.parsing import KEY_CLEAR, InputProblem, parse_due
from safeaudit.scoring import fraction_for, next_due, status_for

#: What the questionnaire is waiting for: the answer itself, or one of the questions after it.
Stage = Literal["value", "reason", "evidence", "owner", "due", "note"]

#: Answers that say nothing is in place, so there is no evidence to name: "no", "never" (a date
#: question) and "don't know" (which is to be found out).
NOTHING_IN_PLACE = ("no", NEVER, DONT_KNOW)


@dataclass(frozen=True)
class Recorded:
    """The record an answer becomes, what to tell the user about it, and what to ask next."""

    answer: Answer
    #: Why the answer falls short (a review date out of date), or what it cleared; "" if nothing.
    note: str
    follow_ups: list[Stage]


def is_met(question: Question, value: Value | None, today: dt.date) -> bool:
    """Whether `value` fully meets a scored question (as the evaluator judges it on `today`)."""
    if value is None or not question.scored or value == NOT_APPLICABLE:
        return False
    return status_for(fraction_for(question, value, today)[0]) == "met"


def follow_ups(question: Question, value: Value, today: dt.date) -> list[Stage]:
    """What to ask after an answer: evidence when met; else evidence, owner, due date and notes
    (what is missing, or why). Evidence is not asked after an answer that says nothing is in
    place. A note can be added to any answer by typing `note` (parsing.KEY_NOTE)."""
    if not question.scored:
        return []
    if is_met(question, value, today):
        return ["evidence"]
    if value in NOTHING_IN_PLACE:
        return ["owner", "due", "note"]  # nothing was done, so there is no evidence to name
    return ["evidence", "owner", "due", "note"]


def record_value(
    question: Question, value: Value, old: Answer | None, today: dt.date, at: dt.datetime
) -> Recorded:
    """A new answer to `question`, keeping the evidence and notes of the `old` one.

    A met answer has no action left, so the old owner and due date go (the note says so).
    """
    notes: list[str] = []
    met = is_met(question, value, today)
    if value == DONT_KNOW:
        notes.append(
            f"Recorded as not known: it counts as not met until you ask {question.dont_know}. "
            "Say who will find out, and by when."
        )
    if question.kind == "date":
        _fraction, reason = fraction_for(question, value, today)
        if reason:
            notes.append(f"Recorded, but {reason}.")
        elif isinstance(value, dt.date) and (last_day := next_due(question, value)):
            notes.append(f"In date; next due by {long_date(last_day)}.")
    keep = old or Answer()
    owner, due = keep.owner, keep.due
    if met and (owner or due):
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
    answer = Answer(
        value=value,
        evidence=keep.evidence,
        note=keep.note,
        owner=owner,
        due=due,
        answered_at=at,
        answered_by=keep.answered_by,
    )
    return Recorded(answer, " ".join(notes), follow_ups(question, value, today))


def record_follow_up(
    stage: Stage,
    text: str,
    old: Answer | None,
    today: dt.date,
    clock: Callable[[], dt.datetime],
) -> Answer | None:
    """The answer with a follow-up added: the reason it does not apply (needed), or its evidence,
    owner, due date or notes (`-` clears one). None when nothing was typed and nothing changes."""
    keep = old or Answer()
    if stage == "reason":
        if not text:
            raise InputProblem(
                "A reason is needed: say briefly why this does not apply to "
                "your setting (or type b to give a different answer)."
            )
        return Answer(
            value=NOT_APPLICABLE,
            reason=text,
            note=keep.note,
            answered_at=clock(),
            answered_by=keep.answered_by,
        )
    if not text:
        return None
    update: dict[str, object] = {}
    if stage == "due":
        update["due"] = None if text == KEY_CLEAR else parse_due(text, today)
    else:
        update[stage] = "" if text == KEY_CLEAR else text
    return keep.model_copy(update=update)

"""Turning what was submitted in the browser into answers, with the questionnaire's own parsing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from safeaudit.answers import DONT_KNOW, NEVER, Value
from safeaudit.model import NOT_APPLICABLE, Answer, Answers, Checklist, Question
from safeaudit.questionnaire.parsing import InputProblem, parse_answer, parse_due
from safeaudit.questionnaire.recording import is_met
from safeaudit.questionnaire.starting import PROVISION_CHOICES, new_answers

#: Free text longer than this is refused (a page of text is plenty for evidence or a note).
MAX_TEXT = 4000

#: The kinds answered with radio buttons (the others have a box to type in).
RADIO_KINDS = ("yes-partial-no", "level", "choice")

#: Provision beside the setting's type, as `run` offers it.
PROVISIONS: dict[str, str] = dict(PROVISION_CHOICES)


@dataclass(frozen=True)
class FormProblem(Exception):
    """Something in a form that cannot be saved: which field, and what to do, in plain words."""

    field: str
    message: str


def text_field(form: Mapping[str, str], name: str) -> str:
    """A text field, trimmed; refused when far too long."""
    value = str(form.get(name, "")).strip()
    if len(value) > MAX_TEXT:
        raise FormProblem(name, f"This is too long: keep it under {MAX_TEXT} characters.")
    return value


def _value_text(question: Question, form: Mapping[str, str]) -> str:
    """The answer as the questionnaire would have it typed (choices by their number)."""
    if question.kind == "date" and form.get("never"):
        return NEVER
    return text_field(form, "value")


def answer_from_form(
    question: Question,
    old: Answer | None,
    form: Mapping[str, str],
    today: dt.date,
    clock: Callable[[], dt.datetime],
) -> Answer | None:
    """The answer a question's form describes (None: nothing recorded), or FormProblem."""
    keep = old or Answer()
    raw = _value_text(question, form)
    not_applicable = raw == NOT_APPLICABLE or bool(form.get("na"))
    dont_know = raw == DONT_KNOW or bool(form.get("dont_know"))
    reason = text_field(form, "reason")
    evidence = text_field(form, "evidence")
    note = text_field(form, "note")
    owner = text_field(form, "owner")
    value: Value | None
    if not_applicable:
        if not question.na_allowed:
            why = "statutory" if question.severity == "statutory" else "critical"
            raise FormProblem(
                "value",
                f"This is a {why} requirement, so it cannot be marked as not applying; "
                "choose an answer instead.",
            )
        if not reason:
            raise FormProblem(
                "reason", "Say briefly why this does not apply to your setting, then save again."
            )
        value = NOT_APPLICABLE
    elif dont_know:
        if question.dont_know is None:
            raise FormProblem("value", "This question needs an answer; choose one of the answers.")
        value = DONT_KNOW
    elif raw:
        try:
            value = parse_answer(question, raw, today)
        except InputProblem as exc:
            raise FormProblem("value", _for_forms(str(exc))) from None
    else:
        value = None
    due_text = text_field(form, "due")
    due: dt.date | None
    if not due_text:
        due = None
    elif keep.due is not None and due_text == keep.due.isoformat():
        due = keep.due  # an overdue date kept as it was is not a new date in the past
    else:
        try:
            due = parse_due(due_text, today)
        except InputProblem as exc:
            raise FormProblem("due", str(exc)) from None
    if value is None and not (evidence or note or owner or due):
        if old is None:
            raise FormProblem("value", "Choose or type an answer first, then save.")
        return None
    same_value = value is not None and str(value) == str(keep.value)
    if not same_value and is_met(question, value, today) and (owner, due) == (keep.owner, keep.due):
        # Newly met: the action it carried is done, so its owner and due date go, as in `run`.
        owner, due = "", None
    answered_at = keep.answered_at if same_value and keep.answered_at else None
    if value is not None and answered_at is None:
        answered_at = clock()
    return Answer(
        value=value,
        reason=reason if not_applicable else "",
        evidence=evidence,
        note=note,
        owner=owner,
        due=due,
        answered_at=answered_at,
        answered_by=keep.answered_by,
    )


def _for_forms(message: str) -> str:
    """The questionnaire's advice, less the keys that only work in the terminal."""
    return message.replace("; ? shows help.", ".").replace(" Or type s to skip, ? for help.", "")


def with_answer(answers: Answers, question_id: str, answer: Answer | None) -> Answers:
    """The answers with one answer replaced (or removed when None)."""
    updated = dict(answers.answers)
    if answer is None:
        updated.pop(question_id, None)
    else:
        updated[question_id] = answer
    return answers.model_copy(update={"answers": updated})


def setting_from_form(
    checklist: Checklist, answers: Answers, form: Mapping[str, str], provisions: list[str]
) -> Answers:
    """The answers with the setting's details from the form (checked as `run` checks them)."""
    kind = text_field(form, "type")
    if kind not in checklist.settings:
        raise FormProblem("type", "Choose the kind of setting from the list.")
    try:
        fresh = new_answers(
            checklist,
            text_field(form, "name"),
            kind,
            text_field(form, "urn"),
            dt.date.today(),
            [p for p in PROVISIONS if p in provisions],
        )
    except InputProblem as exc:
        field = "name" if "name" in str(exc) else "urn"
        raise FormProblem(field, str(exc)) from None
    audit_text = text_field(form, "audit_date")
    audit_date = answers.audit_date
    if audit_text:
        try:
            audit_date = dt.date.fromisoformat(audit_text)
        except ValueError:
            raise FormProblem("audit_date", "Give the audit date as a real date.") from None
    return answers.model_copy(
        update={
            "setting": fresh.setting,
            "completed_by": text_field(form, "completed_by"),
            "audit_date": audit_date,
        }
    )

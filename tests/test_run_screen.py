"""What `run` prints above a question: its severity and, for a critical one, what that means."""

from __future__ import annotations

import datetime as dt

import pytest

from safeaudit.checklists import load_checklist
from safeaudit.cli.run_ui import Screen, _walk
from safeaudit.model import Answers
from safeaudit.questionnaire.navigation import Session
from safeaudit.questionnaire.starting import new_answers

TODAY = dt.date(2026, 11, 30)


def _first_screen(question_id: str, capsys: pytest.CaptureFixture[str]) -> str:
    checklist = load_checklist("kcsie-2026-online-safety")
    answers = new_answers(checklist, "Oak Lane", "primary", "123456", TODAY)
    saved: list[Answers] = []
    session = Session(checklist, answers, save=saved.append, today=TODAY)
    while (step := session.current()) is not None and step.question.id != question_id:
        session.respond("s")  # skip to the question
    assert step is not None
    Screen(colour=False).show_step(step, session)
    return " ".join(capsys.readouterr().out.split())  # as words: the screen wraps lines


def test_a_critical_question_says_so_and_what_it_means(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _first_screen("leadership.cp-policy-online", capsys)
    assert (
        "Statutory requirement · Critical: unless this is fully in place, the verdict is Not met"
        in shown
    )


def test_other_questions_show_only_their_severity(capsys: pytest.CaptureFixture[str]) -> None:
    checklist = load_checklist("kcsie-2026-online-safety")
    plain = next(q for _a, q in checklist.questions() if not q.critical and q.applies_to is None)
    shown = _first_screen(plain.id, capsys)
    assert "Critical" not in shown


@pytest.mark.parametrize(
    ("typed", "said", "note"),
    [
        ("Checked with the provider", "Note saved.", "Checked with the provider"),
        ("", "No note.", ""),
    ],
)
def test_a_note_from_the_answer_prompt_then_asks_the_question_again(
    typed: str, said: str, note: str, capsys: pytest.CaptureFixture[str]
) -> None:
    checklist = load_checklist("kcsie-2026-online-safety")
    answers = new_answers(checklist, "Oak Lane", "primary", "123456", TODAY)
    session = Session(checklist, answers, today=TODAY)
    first = session.current()
    assert first is not None
    lines = iter(["note", typed, "q"])
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(lines)

    _walk(Screen(colour=False, read=read), session)
    shown = " ".join(capsys.readouterr().out.split())
    assert prompts == ["Answer: ", "Notes: anything else to record? (Enter to skip) ", "Answer: "]
    assert f"{said} Now the answer: {first.question.text}" in shown
    kept = session.answers.answers.get(first.question.id)
    assert (kept.note if kept else "") == note

"""run's questionnaire: "don't know" where the checklist offers it, never n/a for a critical
question, notes after a gap or when asked for, no evidence after "no" or "never", and the same count of
questions as `score`."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT
from safeaudit.answers import DONT_KNOW
from safeaudit.checklists import load_checklist_file
from safeaudit.model import Answers
from safeaudit.questionnaire.navigation import Session
from safeaudit.questionnaire.parsing import InputProblem
from safeaudit.questionnaire.prompts import answer_lines, help_lines, value_text
from safeaudit.questionnaire.starting import new_answers

CHECKLIST = load_checklist_file(ROOT / "checklists" / "kcsie-2026-online-safety.yaml")
QUESTIONS = CHECKLIST.question_index()
TODAY = dt.date(2026, 11, 2)


def _session(area: str) -> Session:
    answers: Answers = new_answers(CHECKLIST, "Oak Lane", "primary", "123456", TODAY)
    return Session(
        CHECKLIST,
        answers,
        save=lambda _a: None,
        clock=lambda: dt.datetime(2026, 11, 2, 9, 0),
        today=TODAY,
        area=area,
    )


def _walk_to(s: Session, qid: str) -> None:
    while (step := s.current()) is not None and step.question.id != qid:
        s.respond("s")
    assert s.current() is not None


def test_dk_is_offered_and_becomes_an_action_with_an_owner() -> None:
    question = QUESTIONS["filtering.safe-search"]
    assert any(line.startswith("Type dk") for line in answer_lines(question, TODAY))
    assert "dk don't know" in help_lines(question, CHECKLIST)[-1]
    s = _session("filtering")
    _walk_to(s, "filtering.safe-search")
    assert s.respond("dk") == "follow-up"
    assert "until you ask your IT support or filtering provider" in s.last_note
    assert s.stage == "owner"  # nothing to evidence yet: who finds out, by when, then notes
    s.respond("DSL")
    s.respond("")
    assert str(s.stage) == "note"
    s.respond("Provider's account manager is on leave until Friday")
    answer = s.answers.answers["filtering.safe-search"]
    assert answer.value == DONT_KNOW and answer.owner == "DSL"
    assert answer.note == "Provider's account manager is on leave until Friday"
    assert value_text(question, DONT_KNOW) == "don't know"


def test_dk_is_refused_where_the_checklist_does_not_offer_it() -> None:
    s = _session("filtering")
    _walk_to(s, "filtering.unblock-route")
    assert QUESTIONS["filtering.unblock-route"].dont_know is None
    with pytest.raises(InputProblem, match="needs an answer from you"):
        s.respond("don't know")
    assert not any(
        line.startswith("Type dk") for line in answer_lines(QUESTIONS["dsl.appointed"], TODAY)
    )


def test_critical_questions_cannot_be_na_in_run() -> None:
    question = QUESTIONS["filtering.coverage"]
    assert question.critical and question.severity != "statutory"
    assert not any(line.startswith("Type n/a") for line in answer_lines(question, TODAY))
    s = _session("filtering")
    _walk_to(s, "filtering.coverage")
    with pytest.raises(InputProblem, match="critical requirement"):
        s.respond("n/a")


def test_no_evidence_after_no_and_notes_only_after_a_gap_or_when_asked_for() -> None:
    s = _session("filtering")
    _walk_to(s, "filtering.circumvention")
    s.respond("n")
    assert s.stage == "owner"
    s.respond("Network manager")
    s.respond("")
    assert str(s.stage) == "note"  # a gap: what is missing, or why
    s = _session("filtering")
    _walk_to(s, "filtering.circumvention")
    s.respond("y")
    assert s.stage == "evidence"
    s.respond("Checked with the test site")
    assert s.current().question.id != "filtering.circumvention"  # type: ignore[union-attr]  # met: evidence, and no notes prompt
    # `note` at the answer prompt: the note, then the question again.
    s = _session("filtering")
    _walk_to(s, "filtering.circumvention")
    assert s.respond("note") == "note"
    assert str(s.stage) == "note"
    s.respond("Checked by the trust's IT team in October")
    assert s.stage == "value"
    assert s.current().question.id == "filtering.circumvention"  # type: ignore[union-attr]
    s.respond("y")
    s.respond("")
    answer = s.answers.answers["filtering.circumvention"]
    assert (answer.value, answer.note) == ("yes", "Checked by the trust's IT team in October")


@pytest.mark.parametrize("setting", ["primary", "secondary", "early-years", "nursery-school"])
def test_a_blank_audit_counts_the_same_questions_in_run_and_score(setting: str) -> None:
    """Questions that wait on an earlier answer (`when`) are in run's "of N", as in score's."""
    from safeaudit.scoring import score

    answers = new_answers(CHECKLIST, "Oak Lane", setting, None, TODAY)
    s = Session(CHECKLIST, answers, save=lambda _a: None, today=TODAY)
    step = s.current()
    assert step is not None
    result = score(CHECKLIST, answers, today=TODAY)
    assert step.total == result.applicable == len(result.unanswered)
    assert len(s.walk()) < step.total  # some wait on an earlier answer

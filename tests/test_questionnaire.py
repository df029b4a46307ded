"""The questionnaire state machine, driven by scripted input without a terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from safeaudit.answers import check_answers, load_answers
from safeaudit.checklists import load_checklist
from safeaudit.errors import NotFound, WrongChecklist
from safeaudit.model import Answer, Answers, Checklist
from safeaudit.questionnaire.navigation import Session
from safeaudit.questionnaire.parsing import (
    InputProblem,
    example_date,
    parse_due,
    parse_user_date,
)
from safeaudit.questionnaire.starting import (
    check_same_checklist,
    new_answers,
    parse_setting_choice,
    setting_choices,
)
from safeaudit.store import save_answers

SMALL = Path(__file__).parent / "fixtures" / "run" / "small.yaml"
TODAY = dt.date(2026, 1, 15)
CLOCK = dt.datetime(2026, 1, 15, 10, 0)


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(str(SMALL))


def fresh(checklist: Checklist, setting: str = "primary") -> Answers:
    return new_answers(checklist, "Oak Lane", setting, "123456", TODAY)


def session(checklist: Checklist, answers: Answers | None = None, **kw: Any) -> Session:
    saved: list[Answers] = []
    result = Session(
        checklist,
        answers or fresh(checklist),
        save=saved.append,
        clock=lambda: CLOCK,
        today=TODAY,
        **kw,
    )
    result.saved = saved  # type: ignore[attr-defined]
    return result


def qid(s: Session) -> str | None:
    step = s.current()
    return None if step is None else step.question.id


def script(s: Session, *lines: str) -> list[str]:
    return [s.respond(line) for line in lines]


def test_walks_applicable_questions_in_order_and_saves_every_answer(checklist: Checklist) -> None:
    s = session(checklist)
    step = s.current()
    assert step is not None
    assert step.position_text == "Policy · 1/3 · 1 of 8 overall"  # filtering.checked may apply
    script(s, "y", "The policy, 2025")  # yes, then evidence (no notes unless asked for)
    assert qid(s) == "policy.reviewed"
    script(s, "01/09/2025", "")  # a date within 12 months is met: evidence
    assert qid(s) == "policy.school-only"
    script(s, "n", "Head", "today", "")  # no: owner, due and notes, but nothing to evidence
    assert qid(s) == "filtering.access"
    answers = s.answers.answers
    assert answers["policy.written"].value == "yes"
    assert answers["policy.written"].evidence == "The policy, 2025"
    assert answers["policy.written"].answered_at == CLOCK
    assert answers["policy.reviewed"].value == dt.date(2025, 9, 1)
    assert answers["policy.school-only"].owner == "Head"
    assert answers["policy.school-only"].due == TODAY
    # One save per answer and per follow-up that changed something.
    assert len(s.saved) == 6  # type: ignore[attr-defined]
    assert s.saved[-1] == s.answers  # type: ignore[attr-defined]


def test_setting_type_limits_the_walk(checklist: Checklist) -> None:
    s = session(checklist, fresh(checklist, "early-years"))
    script(s, "y", "", "s")  # yes and its evidence, then skip the date
    assert qid(s) == "filtering.access"  # policy.school-only is for schools only
    assert s.current().total == 7  # type: ignore[union-attr]


def test_when_condition_uses_answers_given_so_far(checklist: Checklist) -> None:
    s = session(checklist, area="filtering")
    script(s, "1", "")  # "none": nobody gets online (met: evidence)
    assert qid(s) == "filtering.maturity"
    assert s.back()
    script(s, "2", "")  # "filtered": now the check applies
    assert qid(s) == "filtering.checked"
    assert s.current().total == 5  # type: ignore[union-attr]


def test_skipped_controller_leaves_dependent_out(checklist: Checklist) -> None:
    s = session(checklist, area="filtering")
    script(s, "s")
    assert qid(s) == "filtering.maturity"
    assert s.summary().skipped_now == 1


def test_level_number_text_and_follow_ups(checklist: Checklist) -> None:
    s = session(checklist, area="filtering")
    with pytest.raises(InputProblem, match="1 to 3"):
        s.respond("4")
    script(s, "1", "")
    with pytest.raises(InputProblem, match="1 to 5"):
        s.respond("6")
    assert script(s, "5") == ["follow-up"]  # level 5 is met: evidence, and no notes prompt
    assert s.stage == "evidence"
    assert s.respond("note") == "note"  # unless asked for: notes now, then the evidence
    assert str(s.stage) == "note"  # a property: mypy would keep "evidence"
    script(s, "Asked at the January staff meeting")
    assert str(s.stage) == "evidence"
    script(s, "survey")
    assert s.answers.answers["filtering.maturity"].note == "Asked at the January staff meeting"
    assert s.answers.answers["filtering.maturity"].evidence == "survey"
    assert qid(s) == "filtering.devices"
    with pytest.raises(InputProblem):
        s.respond("lots")
    script(s, "4", "list", "IT", "", "")  # 4 of 10: partly met
    assert s.answers.answers["filtering.devices"].value == 4
    assert s.answers.answers["filtering.devices"].owner == "IT"
    assert script(s, "Nothing more to add") == ["answered"]  # text: no follow-ups
    assert s.finished and s.current() is None


def test_back_returns_to_previous_question_with_answer_as_default(checklist: Checklist) -> None:
    s = session(checklist)
    assert s.respond("b") == "at-start"
    script(s, "p", "", "", "", "")
    assert qid(s) == "policy.reviewed"
    assert s.respond("b") == "back"
    assert qid(s) == "policy.written"
    assert s.default() == "partly"
    assert s.respond("") == "kept"  # Enter keeps it and moves on
    assert qid(s) == "policy.reviewed"


def test_back_from_a_follow_up_asks_the_question_again(checklist: Checklist) -> None:
    s = session(checklist)
    script(s, "n")
    stages = [s.stage]
    script(s, "b")
    stages.append(s.stage)
    assert stages == ["owner", "value"] and qid(s) == "policy.written"  # no evidence after "no"
    script(s, "y", "")
    assert s.answers.answers["policy.written"].value == "yes"


def test_not_applicable_needs_a_reason_and_is_refused_for_statutory(checklist: Checklist) -> None:
    s = session(checklist)
    with pytest.raises(InputProblem, match="statutory"):
        s.respond("n/a")
    script(s, "y", "", "s")
    assert qid(s) == "policy.school-only"
    assert s.respond("n/a") == "follow-up"
    with pytest.raises(InputProblem, match="reason"):
        s.respond("")
    script(s, "Pupils do not use devices")
    answer = s.answers.answers["policy.school-only"]
    assert answer.value == "n/a" and answer.reason == "Pupils do not use devices"


def test_dates(checklist: Checklist) -> None:
    assert parse_user_date("14/09/2025", TODAY) == dt.date(2025, 9, 14)
    assert parse_user_date("2025-09-14", TODAY) == dt.date(2025, 9, 14)
    assert parse_user_date("Today", TODAY) == TODAY
    with pytest.raises(InputProblem, match="not a real date"):
        parse_user_date("30/02/2025", TODAY)
    with pytest.raises(InputProblem, match="DD/MM/YYYY"):
        parse_user_date("last week", TODAY)
    s = session(checklist)
    script(s, "y", "")
    with pytest.raises(InputProblem, match="future"):
        s.respond("01/01/2027")
    script(s, "01/01/2020")  # out of date: partly/not met follow-ups
    assert s.last_note == "Recorded, but out of date since 2 January 2021."
    script(s, "")
    assert s.stage == "owner"
    script(s, "Head")
    with pytest.raises(InputProblem, match="today or later"):
        s.respond("01/01/2020")


def test_date_hints_give_a_believable_example() -> None:
    """A due date's example is to come, a "last happened" date's example is past; both from
    the day the questionnaire is told is today, never the clock."""
    assert example_date(dt.date(2026, 11, 30), future=True) == "14/01/2027"
    assert example_date(dt.date(2026, 11, 30), future=False) == "14/09/2026"
    assert example_date(dt.date(2026, 1, 15), future=False) == "14/11/2025"
    assert example_date(dt.date(2026, 1, 14), future=True) == "14/03/2026"
    for day in (dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2027, 2, 14)):
        assert parse_user_date(example_date(day, future=True), day) > day
        assert parse_user_date(example_date(day, future=False), day) < day
    with pytest.raises(InputProblem, match=r"for example 14/03/2026\)") as due:
        parse_due("next week", TODAY)
    assert "never" not in str(due.value)


def test_a_date_question_hint_is_in_the_past_and_offers_never(checklist: Checklist) -> None:
    s = session(checklist)
    script(s, "y", "")
    assert qid(s) == "policy.reviewed"
    with pytest.raises(InputProblem) as problem:
        s.respond("last spring")
    assert str(problem.value) == (
        "Write the date as DD/MM/YYYY (for example 14/11/2025), as YYYY-MM-DD, "
        "or type today or never."
    )


def test_keeps_answers_outside_the_walk_and_resumes_at_first_unanswered(
    checklist: Checklist,
) -> None:
    answers = fresh(checklist).model_copy(
        update={
            "answers": {
                "policy.written": Answer(value="yes"),
                "filtering.notes": Answer(value="kept as it was"),
            }
        }
    )
    s = session(checklist, answers)
    assert qid(s) == "policy.reviewed"
    script(s, "q")
    s2 = session(checklist, answers, area="policy")
    script(s2, "s", "y", "")
    assert s2.finished
    assert s2.answers.answers["filtering.notes"].value == "kept as it was"


def test_review_walks_answered_questions_too(checklist: Checklist) -> None:
    answers = fresh(checklist).model_copy(
        update={
            "answers": {
                "policy.written": Answer(value="yes", evidence="policy"),
            }
        }
    )
    s = session(checklist, answers, review=True)
    assert qid(s) == "policy.written"
    assert s.default() == "yes"
    script(s, "")
    assert qid(s) == "policy.reviewed"
    assert s.answers.answers["policy.written"].evidence == "policy"


def test_area_filter_and_unknown_area(checklist: Checklist) -> None:
    s = session(checklist, area="filtering")
    step = s.current()
    assert step is not None and step.position_text == "Filtering · 1/5 · 1 of 5 overall"
    with pytest.raises(NotFound, match="the areas are: policy, filtering"):
        session(checklist, area="nope")


def test_follow_ups_keep_and_clear_existing_values(checklist: Checklist) -> None:
    answers = fresh(checklist).model_copy(
        update={
            "answers": {
                "policy.written": Answer(value="no", evidence="old", owner="Head"),
            }
        }
    )
    s = session(checklist, answers, review=True)
    script(s, "p")
    assert s.default() == "old"
    script(s, "", "-", "")
    answer = s.answers.answers["policy.written"]
    assert (answer.value, answer.evidence, answer.owner) == ("partial", "old", "")


def test_summary_counts(checklist: Checklist) -> None:
    s = session(checklist)
    script(s, "y", "", "s", "n", "", "", "")
    summary = s.summary()
    assert (summary.answered_now, summary.skipped_now, summary.answered) == (2, 1, 2)
    # Scoring counts filtering.checked as unanswered while its controlling question is.
    assert summary.to_answer == 6
    assert summary.result.verdict == "incomplete"


def test_setup_helpers(checklist: Checklist) -> None:
    choices = setting_choices(checklist)
    assert parse_setting_choice("2", choices) == "primary"
    assert parse_setting_choice("college", choices) == "college"
    with pytest.raises(InputProblem, match="1 to 6"):
        parse_setting_choice("9", choices)
    with pytest.raises(InputProblem, match="URN"):
        new_answers(checklist, "Oak", "primary", "12", TODAY)
    with pytest.raises(InputProblem, match="name"):
        new_answers(checklist, " ", "primary", None, TODAY)


def test_saved_file_reloads_and_checks_clean(checklist: Checklist, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    s = Session(checklist, fresh(checklist), save=lambda a: save_answers(path, a), today=TODAY)
    script(s, "p", "evidence", "owner", "31/12/2026", "", "01/09/2025", "", "n/a", "no pupils")
    answers, doc = load_answers(path)
    assert check_answers(checklist, answers, doc) == []
    assert answers.answers["policy.written"].due == dt.date(2026, 12, 31)
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_wrong_checklist_or_version(checklist: Checklist) -> None:
    answers = fresh(checklist)
    check_same_checklist(checklist, answers, "a.yaml")
    other = answers.model_copy(
        update={"checklist": answers.checklist.model_copy(update={"version": "0.9"})}
    )
    with pytest.raises(WrongChecklist, match=r"version 0\.9.*version 1\.0"):
        check_same_checklist(checklist, other, "a.yaml")
    other = answers.model_copy(
        update={"checklist": answers.checklist.model_copy(update={"id": "kcsie"})}
    )
    with pytest.raises(WrongChecklist, match=r"kcsie.*run-small"):
        check_same_checklist(checklist, other, "a.yaml")


def test_back_after_resume_reaches_answers_from_an_earlier_session(checklist: Checklist) -> None:
    answers = fresh(checklist).model_copy(
        update={
            "answers": {
                "policy.written": Answer(value="yes"),
                "policy.reviewed": Answer(value=dt.date(2025, 9, 1)),
            }
        }
    )
    s = session(checklist, answers)
    assert qid(s) == "policy.school-only"
    script(s, "b", "b")
    assert qid(s) == "policy.written"
    assert s.respond("b") == "at-start"
    script(s, "", "")  # keep both and carry on
    assert qid(s) == "policy.school-only"


def test_never_done_is_recorded_as_a_gap(checklist: Checklist) -> None:
    s = session(checklist)
    script(s, "y", "")
    script(s, "never")
    assert s.last_note == "Recorded, but never done."
    assert s.answers.answers["policy.reviewed"].value == "never"
    assert s.stage == "owner"  # a gap: who acts and by when, but no evidence of what never was


def test_becoming_met_clears_owner_and_due_and_b_restores_them(checklist: Checklist) -> None:
    before = Answer(value="no", evidence="old", owner="Head", due=dt.date(2026, 2, 28))
    answers = fresh(checklist).model_copy(update={"answers": {"policy.written": before}})
    s = session(checklist, answers, review=True)
    assert s.respond("y") == "follow-up"
    now = s.answers.answers["policy.written"]
    assert (now.value, now.owner, now.due, now.evidence) == ("yes", "", None, "old")
    assert "owner (Head) and due date for the action were cleared" in s.last_note
    assert "type b" in s.last_note
    assert s.saved[-1].answers["policy.written"].owner == ""  # type: ignore[attr-defined]
    # b at the follow-up undoes the answer: the old one comes back with its owner and due date.
    assert s.respond("b") == "back"
    assert s.answers.answers["policy.written"] == before
    assert s.saved[-1].answers["policy.written"] == before  # type: ignore[attr-defined]
    assert qid(s) == "policy.written" and s.stage == "value"


def test_partly_met_keeps_owner_and_due(checklist: Checklist) -> None:
    before = Answer(value="no", owner="Head", due=dt.date(2026, 2, 28))
    answers = fresh(checklist).model_copy(update={"answers": {"policy.written": before}})
    s = session(checklist, answers, review=True)
    s.respond("p")
    now = s.answers.answers["policy.written"]
    assert (now.owner, now.due) == ("Head", dt.date(2026, 2, 28))
    assert "cleared" not in s.last_note


def test_summary_counts_match_score_and_report(checklist: Checklist) -> None:
    from safeaudit.report.options import ReportOptions
    from safeaudit.report.view import context

    s = session(checklist)
    script(s, "y", "", "s", "n", "", "", "")
    summary = s.summary()
    view = context(summary.result, ReportOptions())
    assert (summary.answered, summary.total) == (view["answered"], view["applicable"])
    assert summary.answered + summary.to_answer == summary.total

"""The one evaluator: verdict degrees, critical questions, provision, dates, and agreement of
every caller (score, rollup's fast path, the questionnaire) on generated audits."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from safeaudit.audit import load_audit
from safeaudit.checklists import load_checklist_file
from safeaudit.display import percent_text
from safeaudit.model import Answers
from safeaudit.questionnaire.navigation import Session, applicable_ids
from safeaudit.report.formats import render
from safeaudit.report.options import ReportOptions
from safeaudit.report.rollup import render_text
from safeaudit.rollup import rollup
from safeaudit.rollup.scorer import Plans, score_row
from safeaudit.scoring import judging_date, score, superseded_warning

CHECKLIST = load_checklist_file(
    Path(__file__).resolve().parent / "fixtures" / "evaluator" / "checklist.yaml"
)
QUESTIONS = CHECKLIST.question_index()
TODAY = dt.date(2026, 11, 1)

ALL_MET: dict[str, object] = {
    "filtering.illegal": "yes",
    "filtering.overblocking": "yes",
    "filtering.review": "2026-07-10",
    "filtering.byod": "some",
    "filtering.byod-filtered": "yes",
    "people.training": "2026-01-15",
    "people.culture": 5,
    "people.trained-count": 4,
    "people.notes": "nothing",
}


def _answers(
    values: dict[str, object],
    setting: str = "primary",
    provision: list[str] | None = None,
    **extra: object,
) -> Answers:
    return Answers.model_validate(
        {
            "checklist": {"id": CHECKLIST.id, "version": CHECKLIST.version},
            "setting": {"name": "Test", "type": setting, "provision": provision or []},
            "answers": values,
            **extra,
        }
    )


def _by_id(values: dict[str, object], **kw: Any) -> dict[str, Any]:
    result = score(CHECKLIST, _answers(values, **kw), today=TODAY)
    return {r.question.id: r for r in result.questions}


# --------------------------------------------------------------------------- the verdict


def test_all_met_is_met() -> None:
    result = score(CHECKLIST, _answers(ALL_MET), today=TODAY)
    assert result.percent == 100.0
    assert result.verdict == "met"
    assert result.verdict_label == "Met"


def test_critical_no_is_not_met_whatever_the_score() -> None:
    result = score(CHECKLIST, _answers({**ALL_MET, "filtering.byod-filtered": "no"}), today=TODAY)
    assert result.percent is not None and result.percent > 90
    assert result.verdict == "not-met"


def test_critical_partly_met_is_not_met() -> None:
    result = score(CHECKLIST, _answers({**ALL_MET, "filtering.illegal": "partial"}), today=TODAY)
    assert result.verdict == "not-met"
    assert [r.question.id for r in result.critical_gaps] == ["filtering.illegal"]


def test_one_partly_met_statutory_item_is_met_with_actions() -> None:
    values = {**ALL_MET, "filtering.overblocking": "partial"}
    result = score(CHECKLIST, _answers(values), today=TODAY)
    assert result.percent == 95.5
    assert result.verdict == "met-with-actions"
    assert result.verdict_label == "Met, with actions to complete"


def test_statutory_no_is_not_met() -> None:
    result = score(CHECKLIST, _answers({**ALL_MET, "filtering.overblocking": "no"}), today=TODAY)
    assert result.verdict == "not-met"


def test_unanswered_critical_is_incomplete_even_when_not_statutory() -> None:
    values = {k: v for k, v in ALL_MET.items() if k != "filtering.byod-filtered"}
    result = score(CHECKLIST, _answers(values), today=TODAY)
    assert result.verdict == "incomplete"


def test_unanswered_beats_partly_met() -> None:
    values = {k: v for k, v in ALL_MET.items() if k != "filtering.review"}
    values["filtering.overblocking"] = "partial"
    assert score(CHECKLIST, _answers(values), today=TODAY).verdict == "incomplete"


def test_critical_gaps_rank_first() -> None:
    values = {**ALL_MET, "filtering.overblocking": "no", "filtering.byod-filtered": "partial"}
    result = score(CHECKLIST, _answers(values), today=TODAY)
    assert [r.question.id for r in result.gaps] == [
        "filtering.byod-filtered",
        "filtering.overblocking",
    ]


# --------------------------------------------------------------------------- applicability


def test_provision_brings_in_questions_for_other_setting_types() -> None:
    plain = _by_id(ALL_MET)
    assert plain["eyfs.cameras"].status == "not-applicable"
    assert plain["eyfs.cameras"].reason == (
        "does not apply to primary schools without early-years provision"
    )
    with_nursery = _by_id(ALL_MET, provision=["early-years"])
    assert with_nursery["eyfs.cameras"].status == "unanswered"
    sixth_form = _by_id(ALL_MET, provision=["sixth-form"])
    assert sixth_form["eyfs.cameras"].status == "not-applicable"


def test_questionnaire_walks_what_the_evaluator_counts() -> None:
    answers = _answers({"filtering.byod": "none"}, provision=["early-years"])
    ids = applicable_ids(CHECKLIST, answers, "primary", TODAY)
    assert "filtering.byod-filtered" not in ids
    assert "eyfs.cameras" in ids
    result = score(CHECKLIST, answers, today=TODAY)
    assert ids == [r.question.id for r in result.questions if r.applies]


# --------------------------------------------------------------------------- dates


def test_academic_year_review_in_july_is_in_date_in_november() -> None:
    review = _by_id({**ALL_MET, "filtering.review": "2026-07-10"})["filtering.review"]
    assert review.status == "met"
    assert review.next_due == dt.date(2027, 8, 31)
    assert review.days_out_of_date is None


def test_academic_year_boundary() -> None:
    kept = score(CHECKLIST, _answers({**ALL_MET, "filtering.review": "2025-09-01"}), today=TODAY)
    assert next(r for r in kept.questions if r.question.id == "filtering.review").status == "met"
    old = _by_id({**ALL_MET, "filtering.review": "2025-08-31"})["filtering.review"]
    assert old.status == "not-met"
    assert old.review_due == dt.date(2026, 9, 1)
    assert old.days_out_of_date == 61
    assert old.reason == "out of date since 1 September 2026"


def test_reviews_and_actions_are_told_apart() -> None:
    values: dict[str, object] = {
        **ALL_MET,
        "filtering.review": {"value": "2024-07-01", "owner": "DSL", "due": "2026-12-31"},
        "filtering.overblocking": {"value": "partial", "owner": "IT", "due": "2026-10-01"},
    }
    result = score(CHECKLIST, _answers(values), today=TODAY)
    assert [r.question.id for r in result.overdue_reviews] == ["filtering.review"]
    assert [r.question.id for r in result.overdue_actions] == ["filtering.overblocking"]
    review = next(r for r in result.questions if r.question.id == "filtering.review")
    assert review.days_overdue is None  # its action is due in the future


def test_met_answer_with_an_old_due_date_is_not_an_overdue_action() -> None:
    values = {**ALL_MET, "filtering.illegal": {"value": "yes", "due": "2026-01-01"}}
    assert score(CHECKLIST, _answers(values), today=TODAY).overdue_actions == []


def test_audit_over_several_days_is_judged_at_its_latest_answer() -> None:
    values: dict[str, object] = {
        **ALL_MET,
        "filtering.review": {"value": "2026-11-04", "answered_at": "2026-11-04T10:00:00"},
    }
    answers = _answers(values, audit_date="2026-11-01")
    assert judging_date(answers) == dt.date(2026, 11, 4)
    result = score(CHECKLIST, answers)
    review = next(r for r in result.questions if r.question.id == "filtering.review")
    assert review.status == "met"
    assert "future" not in review.reason


def test_superseded_warning_only_from_the_date() -> None:
    assert superseded_warning(CHECKLIST, dt.date(2026, 8, 31)) is None
    warning = superseded_warning(CHECKLIST, dt.date(2026, 9, 1))
    assert warning is not None
    assert "replaced by evaluator-test-next from 1 September 2026" in warning


# --------------------------------------------------------------------------- agreement


def _value(qid: str) -> st.SearchStrategy[object]:
    question = QUESTIONS[qid]
    kind = question.kind
    if kind == "yes-partial-no":
        return st.sampled_from(["yes", "partial", "no"])
    if kind == "level":
        return st.integers(1, 5)
    if kind == "choice":
        return st.sampled_from([o.value for o in question.options or []])
    if kind == "date":
        return st.one_of(
            st.dates(dt.date(2023, 1, 1), dt.date(2027, 1, 1)).map(dt.date.isoformat),
            st.just("never"),
        )
    if kind == "number":
        return st.integers(0, 8)
    return st.text(max_size=10)


@st.composite
def audits(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(sorted(QUESTIONS)), unique=True))
    answers: dict[str, Any] = {}
    for qid in chosen:
        question = QUESTIONS[qid]
        na = question.na_allowed and draw(st.integers(0, 4)) == 0
        item: dict[str, Any] = {"value": "n/a", "reason": "not here"} if na else {}
        if not na:
            item["value"] = draw(_value(qid))
        if draw(st.booleans()):
            item["due"] = draw(st.dates(dt.date(2026, 1, 1), dt.date(2027, 6, 1))).isoformat()
        if draw(st.booleans()):
            day = draw(st.dates(dt.date(2026, 10, 1), dt.date(2026, 12, 1)))
            item["answered_at"] = f"{day.isoformat()}T09:00:00"
        answers[qid] = item
    return {
        "checklist": {"id": CHECKLIST.id, "version": CHECKLIST.version},
        "setting": {
            "name": "Generated",
            "type": draw(st.sampled_from(CHECKLIST.settings)),
            "provision": draw(
                st.lists(st.sampled_from(["early-years", "sixth-form", "boarding"]), unique=True)
            ),
        },
        "audit_date": draw(
            st.none() | st.dates(dt.date(2026, 9, 1), dt.date(2026, 12, 1)).map(dt.date.isoformat)
        ),
        "answers": answers,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(audits())
def test_rollup_row_agrees_with_score(data: dict[str, Any]) -> None:
    plans = Plans()
    plans.add(CHECKLIST)
    scored = score_row(Path("generated.yaml"), data, plans)
    row, gap_ids = scored.row, scored.gap_ids
    result = score(CHECKLIST, Answers.model_validate(data))
    assert row.percent == result.percent
    assert row.areas == tuple(area.percent for area in result.areas)
    assert row.verdict == result.verdict
    assert row.statutory_gaps == len(result.statutory_gaps)
    assert row.gaps == len(result.gaps)
    assert sorted(gap_ids) == sorted(r.question.id for r in result.gaps)
    assert row.unanswered == len(result.unanswered)
    assert row.reviews_out_of_date == len(result.overdue_reviews)
    assert row.actions_overdue == len(result.overdue_actions)


# --------------------------------------------------------------------------- every output


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_same_figures_in_run_score_report_and_rollup(cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    audit = load_audit(path)
    result = audit.score()
    summary = Session(audit.checklist, audit.answers, today=result.as_of).summary()
    data = json.loads(render("json", result, ReportOptions()))
    rolled = rollup([path])
    (row,) = rolled.groups[0].rows
    assert summary.result.percent == result.percent == data["percent"] == row.percent
    assert [a.percent for a in summary.result.areas] == [a["percent"] for a in data["areas"]]
    assert list(row.areas) == [a["percent"] for a in data["areas"]]
    assert summary.result.verdict == result.verdict == data["verdict"] == row.verdict
    assert (summary.answered, summary.total, summary.to_answer) == (
        data["answered"],
        data["applicable"],
        len(data["unanswered"]),
    )
    assert row.unanswered == summary.to_answer
    assert row.gaps == len(data["gaps"])
    shown = percent_text(result.percent)
    assert f"Overall score {shown}" in render("md", result, ReportOptions())
    assert f"{summary.answered} of {summary.total} questions answered" in render(
        "md", result, ReportOptions()
    )
    score_out = cli("score", path).out
    assert re.search(rf"^Overall\s+{re.escape(shown)}\s", score_out, re.M)
    assert f" {shown} " in render_text(rolled)


# --------------------------------------------------------------------------- the issue's cases


def _best(question: Any, today: dt.date) -> object:
    if question.kind == "yes-partial-no":
        return "yes"
    if question.kind == "level":
        return 5
    if question.kind == "choice":
        return max(question.options, key=lambda o: o.score).value
    if question.kind == "date":
        return today.isoformat()
    if question.kind == "number":
        return question.target or 1
    return "notes"


#: The questions the content marks critical in the DfE filtering and monitoring checklist.
FM_CRITICAL = ("filtering.illegal-content", "filtering.coverage", "monitoring.strategy")


def _filtering_checklist() -> Any:
    from safeaudit.checklists import load_checklist
    from safeaudit.model import Checklist

    data = load_checklist("dfe-filtering-monitoring").model_dump(by_alias=True)
    for area in data["areas"]:
        for question in area["questions"]:
            if question["id"] in FM_CRITICAL:
                question["critical"] = True
    return Checklist.model_validate(data)


def test_filtering_scenario_from_the_issue_is_not_met() -> None:
    checklist = _filtering_checklist()
    values = {q.id: _best(q, TODAY) for _a, q in checklist.questions()}
    values.update(
        {
            "filtering.illegal-content": "no",
            "filtering.coverage": "no",
            "review.last-review": "never",
            "monitoring.strategy": "no",
        }
    )
    answers = Answers.model_validate(
        {
            "checklist": {"id": checklist.id, "version": checklist.version},
            "setting": {"name": "Scenario", "type": "secondary"},
            "answers": values,
        }
    )
    result = score(checklist, answers, today=TODAY)
    assert result.percent is not None and result.percent > 75
    assert result.verdict == "not-met"


def test_one_partly_met_minor_statutory_item_in_a_99_percent_audit() -> None:
    checklist = _filtering_checklist()
    values = {q.id: _best(q, TODAY) for _a, q in checklist.questions()}
    minor = min(
        (q for _a, q in checklist.questions() if q.severity == "statutory" and not q.critical),
        key=lambda q: q.weight,
    )
    values[minor.id] = "partial"
    answers = Answers.model_validate(
        {
            "checklist": {"id": checklist.id, "version": checklist.version},
            "setting": {"name": "Nearly there", "type": "secondary"},
            "answers": values,
        }
    )
    result = score(checklist, answers, today=TODAY)
    assert result.percent is not None and result.percent >= 98
    assert result.verdict == "met-with-actions"


def test_report_shows_provision_and_critical_gaps() -> None:
    values = {**ALL_MET, "filtering.byod-filtered": "partial", "eyfs.cameras": "yes"}
    answers = _answers(values, provision=["early-years"])
    text = render("md", score(CHECKLIST, answers, today=TODAY), ReportOptions())
    assert "- **Setting:** Primary school, with early-years provision" in text
    assert "**Verdict: Not met.**" in text
    section = text.split("## Statutory and critical gaps", 1)[1].split("## Action plan", 1)[0]
    assert "(filtering.byod-filtered) **Critical**" in section
    assert "0 statutory gaps, 1 critical" in text

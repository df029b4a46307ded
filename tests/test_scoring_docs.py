"""The worked examples in docs/scoring.md, computed."""

from __future__ import annotations

import datetime as dt

import pytest

from safeaudit.model import Answers, Checklist
from safeaudit.scoring import AuditResult, score

TODAY = dt.date(2026, 11, 23)


def _q(qid: str, severity: str, weight: float, **extra: object) -> dict[str, object]:
    return {
        "id": qid,
        "text": f"Question {qid}?",
        "severity": severity,
        "weight": weight,
        "evidence": "Something to see.",
        "action": "Something to do.",
        "references": [{"source": "s", "para": "1"}],
        **extra,
    }


CHECKLIST = Checklist.model_validate(
    {
        "id": "docs-example",
        "title": "Docs example",
        "version": "1",
        "effective": "2025-09-01",
        "sources": {"s": {"title": "Source", "legal_status": "statutory"}},
        "areas": [
            {
                "id": "policy",
                "title": "Policy",
                "questions": [
                    _q("policy.cp-policy", "statutory", 3),
                    _q("policy.aup", "expected", 1),
                    _q("policy.parents", "recommended", 2),
                    _q("policy.review", "statutory", 2, kind="date", max_age=12),
                ],
            },
            {
                "id": "devices",
                "title": "Devices",
                "questions": [
                    _q("devices.phones", "expected", 2, applies_to=["secondary"]),
                    _q(
                        "devices.culture",
                        "recommended",
                        1,
                        kind="level",
                        levels={1: "a", 2: "b", 3: "c", 4: "d", 5: "e"},
                    ),
                    _q("devices.notes", "recommended", 1, kind="text"),
                ],
            },
        ],
    }
)

EXAMPLE_1 = {
    "policy.cp-policy": "yes",
    "policy.aup": "partial",
    "policy.parents": "no",
    "policy.review": "2026-03-01",
    "devices.culture": 4,
    "devices.notes": "phones kept in the office",
}


def _answers(values: dict[str, object], setting: str = "primary") -> Answers:
    return Answers.model_validate(
        {
            "checklist": {"id": "docs-example", "version": "1"},
            "setting": {"name": "Example", "type": setting},
            "answers": values,
        }
    )


def _area(result: AuditResult, area_id: str) -> float | None:
    return next(a.percent for a in result.areas if a.area.id == area_id)


def test_example_1_partial_and_no() -> None:
    result = score(CHECKLIST, _answers(EXAMPLE_1), today=TODAY)
    by_id = {r.question.id: r for r in result.questions}
    assert by_id["devices.phones"].status == "not-applicable"
    assert by_id["devices.notes"].status == "recorded"
    assert by_id["devices.culture"].status == "met"
    assert _area(result, "policy") == 68.8
    assert _area(result, "devices") == 75.0
    assert result.percent == 69.4
    assert result.verdict == "met"
    assert [g.question.id for g in result.gaps] == ["policy.aup", "policy.parents"]


def test_example_2_out_of_date_review() -> None:
    result = score(CHECKLIST, _answers({**EXAMPLE_1, "policy.review": "2025-10-01"}), today=TODAY)
    review = next(r for r in result.questions if r.question.id == "policy.review")
    assert review.status == "not-met"
    assert review.days_out_of_date == 52
    assert review.days_overdue is None
    assert review.review_due == dt.date(2026, 10, 2)
    assert _area(result, "policy") == 43.8
    assert result.percent == 47.2
    assert result.verdict == "not-met"
    assert [g.question.id for g in result.gaps] == ["policy.review", "policy.aup", "policy.parents"]
    assert [r.question.id for r in result.overdue_reviews] == ["policy.review"]


def test_example_3_unanswered_statutory() -> None:
    values = {k: v for k, v in EXAMPLE_1.items() if k != "policy.cp-policy"}
    result = score(CHECKLIST, _answers(values), today=TODAY)
    assert _area(result, "policy") == 31.3
    assert result.percent == 36.1
    assert result.verdict == "incomplete"
    assert [r.question.id for r in result.unanswered] == ["policy.cp-policy"]


def test_example_4_secondary() -> None:
    result = score(CHECKLIST, _answers(EXAMPLE_1, "secondary"), today=TODAY)
    assert _area(result, "devices") == 25.0
    assert result.percent == 56.8
    assert result.verdict == "met"
    assert [r.question.id for r in result.unanswered] == ["devices.phones"]


@pytest.mark.parametrize(
    ("last", "in_date"),
    [
        ("2025-11-23", True),  # exactly twelve months ago: still in date
        ("2025-11-22", False),  # a day older: out of date
    ],
)
def test_max_age_boundary(last: str, in_date: bool) -> None:
    result = score(CHECKLIST, _answers({**EXAMPLE_1, "policy.review": last}), today=TODAY)
    review = next(r for r in result.questions if r.question.id == "policy.review")
    assert (review.status == "met") is in_date


def test_future_date_is_not_met() -> None:
    result = score(CHECKLIST, _answers({**EXAMPLE_1, "policy.review": "2027-01-01"}), today=TODAY)
    review = next(r for r in result.questions if r.question.id == "policy.review")
    assert review.status == "not-met"
    assert "future" in review.reason


def test_never_done_is_a_gap_not_a_blank() -> None:
    result = score(CHECKLIST, _answers({**EXAMPLE_1, "policy.review": "never"}), today=TODAY)
    review = next(r for r in result.questions if r.question.id == "policy.review")
    assert review.status == "not-met"
    assert review.reason == "never done"
    assert result.verdict == "not-met"


def test_unanswered_text_question_is_not_in_the_total() -> None:
    values = {k: v for k, v in EXAMPLE_1.items() if k != "devices.notes"}
    result = score(CHECKLIST, _answers(values), today=TODAY)
    assert _area(result, "devices") == 75.0
    assert result.percent == 69.4


def test_example_5_statutory_partly_met() -> None:
    result = score(CHECKLIST, _answers({**EXAMPLE_1, "policy.cp-policy": "partial"}), today=TODAY)
    assert _area(result, "policy") == 50.0
    assert result.percent == 52.8
    assert result.verdict == "met-with-actions"
    assert result.verdict_label == "Met, with actions to complete"


CHECKLIST_6 = Checklist.model_validate(
    {
        **CHECKLIST.model_dump(by_alias=True, exclude_defaults=True),
        "areas": [
            CHECKLIST.areas[0].model_dump(exclude_defaults=True),
            {
                **CHECKLIST.areas[1].model_dump(exclude_defaults=True),
                "questions": [
                    *[q.model_dump(exclude_defaults=True) for q in CHECKLIST.areas[1].questions],
                    _q("devices.illegal", "expected", 1, critical=True),
                    _q(
                        "devices.filter-review", "expected", 1, kind="date", max_age="academic-year"
                    ),
                ],
            },
        ],
    }
)
EXAMPLE_6 = {**EXAMPLE_1, "devices.filter-review": "2026-07-10", "devices.illegal": "partial"}


def test_example_6_critical() -> None:
    result = score(CHECKLIST_6, _answers(EXAMPLE_6), today=TODAY)
    assert _area(result, "devices") == 75.0
    assert result.percent == 70.5
    assert result.verdict == "not-met"
    assert result.gaps[0].question.id == "devices.illegal"
    met = score(CHECKLIST_6, _answers({**EXAMPLE_6, "devices.illegal": "yes"}), today=TODAY)
    assert (_area(met, "devices"), met.percent, met.verdict) == (91.7, 75.0, "met")
    blank = {k: v for k, v in EXAMPLE_6.items() if k != "devices.illegal"}
    assert score(CHECKLIST_6, _answers(blank), today=TODAY).verdict == "incomplete"


def test_example_7_review_dates() -> None:
    values: dict[str, object] = {**EXAMPLE_6, "devices.illegal": "yes"}
    result = score(CHECKLIST_6, _answers(values), today=TODAY)
    review = next(r for r in result.questions if r.question.id == "devices.filter-review")
    assert review.status == "met"
    assert review.next_due == dt.date(2027, 8, 31)
    values["devices.filter-review"] = {"value": "2025-08-31", "due": "2026-12-15"}
    values["policy.aup"] = {"value": "partial", "due": "2026-10-31"}
    result = score(CHECKLIST_6, _answers(values), today=TODAY)
    review = next(r for r in result.questions if r.question.id == "devices.filter-review")
    assert review.status == "not-met"
    assert review.review_due == dt.date(2026, 9, 1)
    assert review.days_out_of_date == 83
    assert review.days_overdue is None
    assert [r.question.id for r in result.overdue_reviews] == ["devices.filter-review"]
    assert [r.question.id for r in result.overdue_actions] == ["policy.aup"]
    assert result.overdue_actions[0].days_overdue == 23

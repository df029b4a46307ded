"""`safeaudit show` says which questions are critical and which come with a kind of provision."""

from __future__ import annotations

from typing import Any


def _block(out: str, qid: str) -> str:
    start = out.index(f"  {qid}  [")
    return " ".join(out[start : out.index("]", start)].split())


def test_show_marks_critical_questions_and_explains_the_mark(cli: Any) -> None:
    out = cli("show", "kcsie-2026-online-safety").out
    assert 'CRITICAL marks a question whose answer alone can stop a "met" verdict' in " ".join(
        out.split()
    )
    assert "CRITICAL" in _block(out, "filtering.coverage")
    assert "CRITICAL" not in _block(out, "filtering.circumvention")


def test_show_names_the_provision_that_brings_a_question_in(cli: Any) -> None:
    out = cli("show", "kcsie-2026-online-safety", "--setting", "primary").out
    # Not a primary school question in itself, but a primary school with a Reception class has it.
    assert "for any setting with early-years provision" in _block(out, "training.ey-training")
    assert "for any setting with sixth-form provision" in _block(out, "reporting.over-18s")
    assert "for any setting with" not in _block(out, "filtering.coverage")


def test_show_offers_maintained_nursery_schools(cli: Any) -> None:
    out = cli("show", "kcsie-2026-online-safety", "--setting", "nursery-school").out
    assert "Showing questions for: Maintained nursery school" in out
    assert "leadership.mns-kcsie" in out and "devices.mns-phone-guidance" in out
    assert "searching.policy" not in out

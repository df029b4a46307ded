"""Change between two audits, matched by area and question id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeaudit.audit import load_audit
from safeaudit.report.compare import AreaChange, compare

GOLDEN = Path(__file__).resolve().parent / "golden" / "report"
CHECKLIST = str(GOLDEN / "checklist.yaml")


def _comparison():  # type: ignore[no-untyped-def]
    current = load_audit(GOLDEN / "answers.yaml", CHECKLIST).score(as_of=dt.date(2026, 11, 2))
    previous = load_audit(GOLDEN / "previous.yaml", CHECKLIST).score()
    return current, previous, compare(current, previous)


def test_area_changes_in_points() -> None:
    current, previous, comparison = _comparison()
    assert [a.id for a in comparison.areas] == ["filtering", "policies", "curriculum"]
    filtering = comparison.areas[0]
    assert (filtering.before, filtering.now, filtering.change) == (25.0, 50.0, 25.0)
    assert comparison.change == round((current.percent or 0) - (previous.percent or 0), 1)
    assert comparison.same_checklist
    assert comparison.previous_date == "2025-10-01"


def test_gaps_new_closed_and_open() -> None:
    _, _, comparison = _comparison()
    assert [g.id for g in comparison.new_gaps] == ["filtering.provider", "policies.review-date"]
    assert [g.id for g in comparison.closed_gaps] == [
        "policies.staff-trained",
        "policies.parents",
        "policies.notes",
    ]
    assert [g.id for g in comparison.still_open] == [
        "filtering.blocklists",
        "filtering.checks",
        "policies.devices",
        "curriculum.taught",
    ]
    blocklists = comparison.still_open[0]
    assert (blocklists.before, blocklists.now) == ("not-met", "partial")
    assert comparison.no_longer_asked == []


def test_missing_scores_are_not_compared() -> None:
    assert AreaChange("a", "A", None, 50.0).change is None
    assert AreaChange("a", "A", 40.0, None).change is None
    assert AreaChange("a", "A", 40.0, 32.5).change == -7.5


def test_cli_compare(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.md"
    result = cli(
        "report",
        GOLDEN / "answers.yaml",
        "-c",
        CHECKLIST,
        "--md",
        out,
        "--compare",
        GOLDEN / "previous.yaml",
        "--as-of",
        "2026-11-02",
    )
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "## Change since the previous audit" in text
    assert "| Filtering \\& monitoring | 25% | 50% | up 25 points |" in text

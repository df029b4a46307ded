"""Change between two audits, matched by area and question id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeaudit.audit import load_audit
from safeaudit.errors import OtherSetting
from safeaudit.model import Answer
from safeaudit.report.compare import AreaChange, Comparison, compare
from safeaudit.scoring import AuditResult, score

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report"
CHECKLIST = str(FIXTURE / "checklists" / "report-fixture.yaml")


def _comparison() -> tuple[AuditResult, AuditResult, Comparison]:
    current = load_audit(FIXTURE / "answers.yaml", CHECKLIST).score(as_of=dt.date(2026, 11, 2))
    previous = load_audit(FIXTURE / "previous.yaml", CHECKLIST).score()
    return current, previous, compare(current, previous)


def test_area_changes_in_points() -> None:
    current, previous, comparison = _comparison()
    assert [a.id for a in comparison.areas] == ["filtering", "policies", "curriculum"]
    filtering = comparison.areas[0]
    assert (filtering.before, filtering.now, filtering.change) == (15.0, 54.5, 39.5)
    # Both audits have unanswered questions in these areas: no rise or fall is worked out.
    policies, curriculum = comparison.areas[1:]
    assert policies.incomplete and policies.change is None
    assert curriculum.incomplete and curriculum.change is None
    assert comparison.incomplete and comparison.change is None
    assert (comparison.before, comparison.now) == (previous.percent, current.percent)
    assert comparison.same_checklist
    assert comparison.previous_date == "2025-10-01"
    assert comparison.previous_setting == 'Hollow Lane Primary "Test" School'
    assert comparison.previous_urn == "100001"
    assert comparison.previous_checklist_title == "Report fixture checklist"


def test_gaps_new_closed_and_open() -> None:
    _, _, comparison = _comparison()
    # A gap is partly met or not met; a question unanswered before and partly met now is new.
    assert [g.id for g in comparison.new_gaps] == [
        "filtering.provider",
        "filtering.other-checked",
        "policies.review-date",
        "policies.devices",
    ]
    # Unanswered before and "does not apply" or recorded now closes nothing: only real gaps close.
    assert [g.id for g in comparison.closed_gaps] == ["filtering.illegal", "policies.staff-trained"]
    assert [g.id for g in comparison.still_open] == [
        "filtering.blocklists",
        "filtering.https",  # no before, don't know now: still a gap
        "filtering.checks",
    ]
    blocklists = comparison.still_open[0]
    assert (blocklists.before, blocklists.now) == ("not-met", "partial")
    # Not met before, unanswered now: neither closed nor still open, listed on its own.
    assert [g.id for g in comparison.not_answered_now] == ["curriculum.taught"]
    assert comparison.no_longer_asked == []


def test_half_finished_audit_shows_no_new_gaps_and_no_falls() -> None:
    previous = load_audit(FIXTURE / "answers.yaml", CHECKLIST).score(as_of=dt.date(2026, 11, 2))
    half = previous.answers.model_copy(
        update={"answers": dict(list(previous.answers.answers.items())[:2])}
    )
    current = score(previous.checklist, half, today=dt.date(2027, 11, 2))
    comparison = compare(current, previous)
    assert comparison.new_gaps == []
    assert all(a.change is None or a.change >= 0 for a in comparison.areas)
    assert comparison.change is None
    unfinished = [a for a in comparison.areas if a.incomplete]
    assert [a.id for a in unfinished] == ["filtering", "policies", "curriculum"]


def test_not_applicable_now_is_not_a_gap_closed() -> None:
    previous = load_audit(FIXTURE / "answers.yaml", CHECKLIST).score(as_of=dt.date(2026, 11, 2))
    answers = dict(previous.answers.answers)
    answers["policies.devices"] = Answer(value="n/a", reason="no staff devices now")
    current = score(
        previous.checklist,
        previous.answers.model_copy(update={"answers": answers}),
        today=dt.date(2026, 11, 2),
    )
    comparison = compare(current, previous)
    assert "policies.devices" not in [g.id for g in comparison.closed_gaps]
    assert [g.id for g in comparison.no_longer_applies] == ["policies.devices"]


def test_other_setting_needs_permission() -> None:
    current = load_audit(FIXTURE / "answers.yaml", CHECKLIST).score(as_of=dt.date(2026, 11, 2))
    other = current.answers.model_copy(
        update={"setting": current.answers.setting.model_copy(update={"urn": "100002"})}
    )
    previous = score(current.checklist, other, today=dt.date(2025, 11, 2))
    with pytest.raises(OtherSetting, match="URN 100002"):
        compare(current, previous)
    assert compare(current, previous, allow_other_setting=True).previous_urn == "100002"


def test_missing_scores_are_not_compared() -> None:
    assert AreaChange("a", "A", None, 50.0).change is None
    assert AreaChange("a", "A", 40.0, None).change is None
    assert AreaChange("a", "A", 40.0, 32.5).change == -7.5


def test_cli_compare(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.md"
    result = cli(
        "report",
        FIXTURE / "answers.yaml",
        "-c",
        CHECKLIST,
        "--md",
        out,
        "--compare",
        FIXTURE / "previous.yaml",
        "--as-of",
        "2026-11-02",
    )
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "## Change since the previous audit" in text
    assert "| Filtering \\& monitoring | 15.0% | 54.5% | up 39.5 points |" in text
    assert "| Policies | 40.0% | 67.5% | not compared: unanswered questions |" in text
    assert 'Compared with the audit of **Hollow Lane Primary "Test" School** (URN 100001)' in text


def test_cli_compare_with_another_setting(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.yaml"
    text = (FIXTURE / "previous.yaml").read_text(encoding="utf-8")
    other.write_text(text.replace('urn: "100001"', 'urn: "100009"'), encoding="utf-8")
    args = ["report", FIXTURE / "answers.yaml", "-c", CHECKLIST, "--md", tmp_path / "r.md"]
    refused = cli(*args, "--compare", other)
    assert refused.code == 2
    assert "--allow-other-setting" in refused.err
    assert "URN 100009" in refused.err
    allowed = cli(*args, "--compare", other, "--allow-other-setting")
    assert allowed.code == 0, allowed.err
    report = (tmp_path / "r.md").read_text("utf-8")
    assert "**That audit is of another setting:" in report
    assert "(URN 100009)" in report
    assert "URN 100009" in allowed.err

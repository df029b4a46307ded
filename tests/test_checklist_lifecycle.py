"""Checklists with a life cycle: in force from, replaced by, warnings and the current choice."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from safeaudit.checklists import load_checklist_file
from safeaudit.model import is_current
from safeaudit.questionnaire.parsing import InputProblem
from safeaudit.questionnaire.starting import current_checklists, parse_checklist_choice

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evaluator" / "checklist.yaml"

ANSWERS = """\
checklist: {id: evaluator-test, version: "1"}
setting: {name: Test School, type: primary}
audit_date: AUDIT_DATE
answers:
  filtering.illegal: "yes"
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local checklist folder with the replaced fixture and the checklist that replaces it."""
    local = tmp_path / "local"
    local.mkdir()
    shutil.copy(FIXTURE, local / "evaluator-test.yaml")
    text = FIXTURE.read_text(encoding="utf-8")
    newer = (
        text.replace("id: evaluator-test\n", "id: evaluator-test-next\n")
        .replace("effective: 2025-09-01", "effective: 2026-09-01")
        .replace("superseded_by: evaluator-test-next\nsuperseded_from: 2026-09-01\n", "")
    )
    (local / "evaluator-test-next.yaml").write_text(newer, encoding="utf-8")
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(local))
    return local


def _answers(tmp_path: Path, audit_date: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS.replace("AUDIT_DATE", audit_date), encoding="utf-8")
    return path


def test_current_depends_on_the_date() -> None:
    checklist = load_checklist_file(FIXTURE)
    assert is_current(checklist, "primary", dt.date(2026, 8, 31))
    assert not is_current(checklist, "primary", dt.date(2026, 9, 1))
    assert not is_current(checklist, "special", dt.date(2026, 1, 1))  # not covered
    assert not is_current(checklist, None, dt.date(2025, 8, 31))  # not yet in force


def test_run_offers_the_current_checklist_first(folder: Path) -> None:
    ids = [c.id for c in current_checklists("primary", dt.date(2026, 11, 1))]
    assert "evaluator-test-next" in ids and "evaluator-test" not in ids
    earlier = [c.id for c in current_checklists("primary", dt.date(2026, 1, 1))]
    assert "evaluator-test" in earlier and "evaluator-test-next" not in earlier
    choices = current_checklists("primary", dt.date(2026, 11, 1))
    assert parse_checklist_choice("", choices) is choices[0]
    assert parse_checklist_choice("evaluator-test-next", choices).id == "evaluator-test-next"
    with pytest.raises(InputProblem):
        parse_checklist_choice("99", choices)


def test_checklists_shows_dates_and_replacements(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("checklists")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    old = next(i for i, line in enumerate(lines) if "evaluator-test " in line + " ")
    assert "replaced by" in " ".join(lines[old : old + 3])
    assert "1 September 2025" in lines[old]
    new = next(line for line in lines if line.split()[1:2] == ["evaluator-test-next"])
    assert new.startswith("*") and "current" in new
    assert not lines[old].startswith("*")


def test_score_and_report_warn_when_replaced_before_the_audit(  # type: ignore[no-untyped-def]
    cli, folder: Path, tmp_path: Path
) -> None:
    late = _answers(tmp_path, "2026-10-01")
    scored = cli("score", late)
    assert "warning" in scored.err and "replaced by evaluator-test-next" in scored.err
    report = tmp_path / "r.md"
    written = cli("report", late, "--md", report)
    assert "replaced by evaluator-test-next" in written.err
    assert "**Checklist replaced:**" in report.read_text(encoding="utf-8")
    early = _answers(tmp_path, "2026-06-01")
    assert "replaced" not in cli("score", early).err


def test_enter_takes_the_whole_school_self_review_among_checklists_of_the_same_date() -> None:
    """Three shipped checklists start on 1 September 2026; the broadest is offered first."""
    choices = current_checklists("primary", dt.date(2026, 11, 30))
    same_day = [c for c in choices if c.effective == dt.date(2026, 9, 1)]
    assert len(same_day) >= 2
    assert choices[0].id == "kcsie-2026-online-safety"

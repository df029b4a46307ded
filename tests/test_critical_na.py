"""A critical question cannot be waved away with `n/a`, any more than a statutory one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT
from safeaudit.answers import interpret
from safeaudit.checklists import load_checklist_file
from safeaudit.model import NOT_APPLICABLE
from safeaudit.template import allowed_text

KCSIE_2026 = load_checklist_file(ROOT / "checklists" / "kcsie-2026-online-safety.yaml")
QUESTIONS = KCSIE_2026.question_index()


def test_the_shipped_checklist_has_a_critical_question_that_is_not_statutory() -> None:
    coverage = QUESTIONS["filtering.coverage"]
    assert coverage.critical and coverage.severity == "expected"
    assert not coverage.na_allowed


def test_interpret_refuses_na_for_a_critical_question() -> None:
    with pytest.raises(ValueError, match="critical requirement"):
        interpret(QUESTIONS["filtering.coverage"], NOT_APPLICABLE)
    ordinary = QUESTIONS["filtering.age-appropriate"]
    assert not ordinary.critical and ordinary.severity != "statutory"
    assert interpret(ordinary, NOT_APPLICABLE) == NOT_APPLICABLE


def test_the_template_does_not_offer_na_for_a_critical_question() -> None:
    assert "n/a" not in " ".join(allowed_text(QUESTIONS["filtering.coverage"]))
    assert "n/a" in " ".join(allowed_text(QUESTIONS["filtering.age-appropriate"]))


def test_score_names_the_file_and_the_question(cli: Any, tmp_path: Path) -> None:
    text = (EXAMPLES / "secondary-kcsie-2026.yaml").read_text(encoding="utf-8")
    old = '  filtering.coverage: "yes"\n'
    assert old in text
    new = "  filtering.coverage:\n    value: n/a\n    reason: Not needed.\n"
    answers = tmp_path / "answers.yaml"
    answers.write_text(text.replace(old, new), encoding="utf-8")
    result = cli("score", answers)
    assert result.code != 0
    assert "filtering.coverage" in result.err and "critical" in result.err
    assert "Traceback" not in result.err

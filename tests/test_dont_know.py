"""A "don't know" answer on technical questions: not met, and an action to find out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT
from safeaudit.answers import DONT_KNOW, interpret
from safeaudit.audit import load_audit
from safeaudit.checklists import load_checklist_file
from safeaudit.template import allowed_text

KCSIE_2026 = load_checklist_file(ROOT / "checklists" / "kcsie-2026-online-safety.yaml")
QUESTIONS = KCSIE_2026.question_index()
EXAMPLE = EXAMPLES / "secondary-kcsie-2026.yaml"


def _with(tmp_path: Path, qid: str, value: str) -> Path:
    """The secondary example with one answer replaced."""
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {qid}:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    lines[start:end] = [f"  {qid}:", f"    value: {value}", "    owner: DSL", "    due: 2026-12-18"]
    path = tmp_path / "answers.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_only_questions_that_offer_it_accept_dont_know() -> None:
    assert QUESTIONS["filtering.safe-search"].dont_know
    assert interpret(QUESTIONS["filtering.safe-search"], DONT_KNOW) == DONT_KNOW
    assert QUESTIONS["dsl.appointed"].dont_know is None
    with pytest.raises(ValueError, match="cannot be `dont-know`"):
        interpret(QUESTIONS["dsl.appointed"], DONT_KNOW)


def test_policy_and_people_questions_never_offer_it() -> None:
    offered = {q.id for _area, q in KCSIE_2026.questions() if q.dont_know}
    assert offered, "the technical questions offer don't know"
    assert all(qid.split(".")[0] in {"filtering", "monitoring", "cyber-data"} for qid in offered)


def test_dont_know_is_not_met_and_an_action_to_find_out(tmp_path: Path) -> None:
    audit = load_audit(_with(tmp_path, "filtering.safe-search", DONT_KNOW))
    result = audit.score()
    real_time = next(r for r in result.questions if r.question.id == "filtering.safe-search")
    assert real_time.status == "not-met" and real_time.fraction == 0.0
    assert real_time.not_known and real_time.is_gap
    assert real_time.reason == f"not known: ask {real_time.question.dont_know}"
    assert real_time.action_text.startswith(
        f"Find out from {real_time.question.dont_know} whether this is in place"
    )
    assert real_time in result.gaps


def test_dont_know_on_a_critical_question_keeps_the_verdict_from_met(tmp_path: Path) -> None:
    audit = load_audit(_with(tmp_path, "filtering.illegal-content", DONT_KNOW))
    assert QUESTIONS["filtering.illegal-content"].critical
    assert audit.score().verdict == "not-met"


def test_reports_show_it(cli: Any, tmp_path: Path) -> None:
    answers = _with(tmp_path, "filtering.safe-search", DONT_KNOW)
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    assert cli("report", answers, "--md", md, "--json", js).code == 0
    text = md.read_text(encoding="utf-8")
    assert "Don't know: ask your IT support or filtering provider" in text
    assert "Find out from your IT support or filtering provider whether this is in place" in text
    data = json.loads(js.read_text(encoding="utf-8"))
    question = next(q for q in data["questions"] if q["id"] == "filtering.safe-search")
    assert question["value"] == "dont-know" and question["not_known"] is True
    assert question["status"] == "not-met"
    plan = next(p for p in data["action_plan"] if p["id"] == "filtering.safe-search")
    assert plan["not_known"] is True and plan["action"].startswith("Find out from")
    others = [q for q in data["questions"] if q["id"] != "filtering.safe-search"]
    assert not any(q["not_known"] for q in others)


def test_score_refuses_dont_know_where_it_is_not_offered(cli: Any, tmp_path: Path) -> None:
    result = cli("score", _with(tmp_path, "dsl.job-description", DONT_KNOW))
    assert result.code != 0
    assert "dsl.job-description" in result.err and "dont-know" in result.err
    assert "Traceback" not in result.err


def test_the_template_offers_it_only_where_the_checklist_does() -> None:
    assert any("dont-know" in line for line in allowed_text(QUESTIONS["filtering.safe-search"]))
    assert not any("dont-know" in line for line in allowed_text(QUESTIONS["dsl.appointed"]))

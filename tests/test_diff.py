"""Tests for `safeaudit diff`: each kind of change, renames, splits, merges, exit codes, JSON."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from conftest import FIXTURES
from safeaudit.checklists import load_checklist
from safeaudit.diff import ChecklistDiff, diff_checklists
from safeaudit.report.diff import render_markdown, render_text

LIFECYCLE = FIXTURES / "lifecycle"
OLD = LIFECYCLE / "old.yaml"
NEW = LIFECYCLE / "new.yaml"


@pytest.fixture(scope="module")
def result() -> ChecklistDiff:
    return diff_checklists(load_checklist(str(OLD)), load_checklist(str(NEW)))


def _change(result: ChecklistDiff, new_id: str) -> Any:
    return next(q for q in result.questions if new_id in q.new_ids)


@pytest.mark.parametrize(
    ("question", "category", "field"),
    [
        ("filtering.reword", "reworded", "text"),
        ("filtering.weighty", "re-weighted", "weight"),
        ("training.severity", "re-classified", "severity"),
        ("training.scope", "re-scoped", "applies_to"),
        ("training.refs", "re-referenced", "references"),
        ("filtering.level", "answer-format", "kind"),
    ],
)
def test_each_kind_of_change(
    result: ChecklistDiff, question: str, category: str, field: str
) -> None:
    change = _change(result, question)
    assert change.status == "changed"
    assert change.categories == [category]
    assert field in [c.field for c in change.changes]


def test_unchanged_questions_are_not_listed(result: ChecklistDiff) -> None:
    listed = {qid for q in result.questions for qid in (*q.old_ids, *q.new_ids)}
    assert "filtering.same" not in listed
    assert "training.induction" not in listed


def test_added_and_removed(result: ChecklistDiff) -> None:
    assert [q.new_ids for q in result.by_status("added")] == [("filtering.ai",)]
    assert [q.old_ids for q in result.by_status("removed")] == [("training.gone",)]


def test_rename_split_and_merge(result: ChecklistDiff) -> None:
    renamed = result.by_status("renamed")
    assert [(q.old_ids, q.new_ids) for q in renamed] == [
        (("filtering.old-name",), ("filtering.new-name",))
    ]
    assert renamed[0].changes == ()
    split = result.by_status("split")
    assert [(q.old_ids, q.new_ids) for q in split] == [
        (("filtering.broad",), ("filtering.review", "filtering.test"))
    ]
    merged = result.by_status("merged")
    assert [(q.old_ids, q.new_ids) for q in merged] == [
        (("legacy.one", "legacy.two"), ("current.both",))
    ]


def test_area_changes(result: ChecklistDiff) -> None:
    assert [(a.status, a.id) for a in result.areas] == [
        ("retitled", "filtering"),
        ("added", "current"),
        ("removed", "legacy"),
    ]


def test_text_fits_80_columns(result: ChecklistDiff) -> None:
    text = render_text(result)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Renamed questions" in text
    assert "filtering.broad → filtering.review, filtering.test" in text


def test_markdown_escapes_table_cells(result: ChecklistDiff) -> None:
    page = render_markdown(result)
    assert page.startswith("# What changed: Lifecycle demo checklist")
    assert "| `filtering.ai` Does filtering cover generative AI tools? |" in page


def test_every_format_uses_the_same_words_and_dates(cli: Any) -> None:
    """Text and Markdown say "changed" (never "rewritten") and write dates as people do;
    JSON keeps ISO dates for programs."""
    args = ("diff", "kcsie-2025-online-safety", "kcsie-2026-online-safety")
    text, page = cli(*args).out, cli(*args, "--format", "md").out
    data = json.loads(cli(*args, "--format", "json").out)
    for shown in (text, page):
        assert "in effect from 1 September 2026" in " ".join(shown.split())
        assert "2026-09-01" not in shown
        assert "rewritten" not in shown
        assert "help, evidence or action changed" in shown
        # A date question's maximum age in words, not the file's `academic-year`.
        assert "maximum age: 12 months → once every school year" in shown
        assert "academic-year" not in shown
        # The checklist's own changes are in both.
        assert "Sources added: boarding-nms-2022" in shown
    assert data["new"]["effective"] == "2026-09-01"
    assert data["old"]["effective"] == "2025-09-01"


def test_text_bullets_wrap_under_their_text(cli: Any) -> None:
    text = cli("diff", "kcsie-2025-online-safety", "kcsie-2026-online-safety").out
    lines = text.splitlines()
    for before, after in itertools.pairwise(lines):
        if before.startswith("    - ") and after.startswith("    -"):
            raise AssertionError(f"a wrapped bullet repeats its dash: {after!r}")
    assert "    - who or when it applies changed, kind of answer changed, references\n" in text
    assert "\n      changed, help, evidence or action changed\n" in text


def test_cli_exit_1_when_changed_and_json_shape(cli: Any) -> None:
    run = cli("diff", OLD, NEW, "--format", "json")
    assert run.code == 1
    data = json.loads(run.out)
    assert set(data) == {
        "schema_version",
        "old",
        "new",
        "changed",
        "counts",
        "checklist",
        "areas",
        "questions",
    }
    assert data["old"]["version"] == "1.0" and data["new"]["version"] == "2.0"
    assert data["changed"] is True
    assert data["counts"]["split"] == 1 and data["counts"]["renamed"] == 1
    question = data["questions"][0]
    assert set(question) == {
        "status",
        "old_ids",
        "new_ids",
        "area",
        "text",
        "categories",
        "changes",
    }


def test_cli_exit_0_when_nothing_changed(cli: Any) -> None:
    run = cli("diff", OLD, OLD)
    assert run.code == 0
    assert "No changes." in run.out


def test_cli_exit_2_for_unusable_input(cli: Any, tmp_path: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    run = cli("diff", OLD, bad)
    assert run.code == 2
    assert "bad.yaml" in run.err
    assert cli("diff", OLD, "no-such-checklist").code == 2


def test_kcsie_2025_to_2026(cli: Any) -> None:
    run = cli("diff", "kcsie-2025-online-safety", "kcsie-2026-online-safety")
    assert run.code == 1
    assert max(len(line) for line in run.out.splitlines()) <= 80

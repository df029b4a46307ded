"""Tests for `safeaudit migrate` and for `run --review` asking migrated answers first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from safeaudit.answers import load_answers
from safeaudit.checklists import load_checklist
from safeaudit.migrate import Migration, migrate_answers
from safeaudit.questionnaire.navigation import Session

LIFECYCLE = FIXTURES / "lifecycle"
OLD = LIFECYCLE / "old.yaml"
NEW = LIFECYCLE / "new.yaml"
ANSWERS = LIFECYCLE / "answers-old.yaml"


@pytest.fixture(scope="module")
def migration() -> Migration:
    answers, _doc = load_answers(ANSWERS)
    return migrate_answers(answers, load_checklist(str(OLD)), load_checklist(str(NEW)))


def test_unchanged_answers_are_kept_identical(migration: Migration) -> None:
    before, _doc = load_answers(ANSWERS)
    after = migration.answers.answers
    for qid in ("filtering.same", "filtering.weighty", "training.induction", "training.refs"):
        assert after[qid] == before.answers[qid]
        assert after[qid].review is False


def test_new_file_records_new_checklist(migration: Migration) -> None:
    assert migration.answers.checklist.id == "lifecycle-demo"
    assert migration.answers.checklist.version == "2.0"
    assert migration.answers.setting.name == "Test Primary School"


def test_changed_meaning_is_marked_for_review(migration: Migration) -> None:
    after = migration.answers.answers
    assert after["filtering.reword"].review  # reworded
    assert after["training.severity"].review  # severity changed
    assert after["filtering.review"].review and after["filtering.test"].review  # split
    assert after["filtering.review"].value == "no"
    assert after["current.both"].review  # merged
    assert not after["training.scope"].review  # re-scoped only


def test_rename_carries_without_review(migration: Migration) -> None:
    after = migration.answers.answers
    assert after["filtering.new-name"].value == "yes"
    assert not after["filtering.new-name"].review
    assert "filtering.old-name" not in after


def test_removed_and_no_longer_fitting_answers_are_listed(migration: Migration) -> None:
    dropped = {d.old_id: d.kind for d in migration.dropped}
    assert dropped["training.gone"] == "removed"
    assert dropped["filtering.level"] == "no-longer-fits"  # level 4 for a yes/no question
    assert "filtering.level" not in migration.answers.answers


def _migrate(cli: Any, out: Path, *extra: str) -> Any:
    return cli("migrate", ANSWERS, "--from", OLD, "--to", NEW, "-o", out, *extra)


def test_cli_writes_file_and_leaves_original_untouched(cli: Any, tmp_path: Path) -> None:
    original = ANSWERS.read_bytes()
    out = tmp_path / "new.yaml"
    run = _migrate(cli, out)
    assert run.code == 1  # some answers were dropped
    assert ANSWERS.read_bytes() == original
    assert "carried 11 answers (6 as they were, 5 marked for review), dropped 3" in run.err
    assert "training.gone: the question was removed" in run.err
    assert run.out == ""
    assert cli("score", out, "--checklist", NEW).code in (0, 1)
    migrated, _doc = load_answers(out)
    assert migrated.checklist.version == "2.0"


def test_cli_refuses_to_overwrite(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "new.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    run = _migrate(cli, out)
    assert run.code == 2
    assert "already exists" in run.err and "--force" in run.err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert _migrate(cli, out, "--force").code == 1
    assert "lifecycle-demo" in out.read_text(encoding="utf-8")


def test_cli_refuses_to_write_over_the_original(cli: Any, tmp_path: Path) -> None:
    copy = tmp_path / "answers.yaml"
    copy.write_bytes(ANSWERS.read_bytes())
    run = cli("migrate", copy, "--from", OLD, "--to", NEW, "-o", copy, "--force")
    assert run.code == 2
    assert copy.read_bytes() == ANSWERS.read_bytes()


def test_review_walks_marked_answers_first(migration: Migration) -> None:
    saved: list[Any] = []
    session = Session(
        load_checklist(str(NEW)),
        migration.answers,
        review=True,
        save=saved.append,
        today=dt.date(2026, 9, 10),
    )
    asked = []
    while not session.finished:
        step = session.current()
        assert step is not None
        asked.append(step.question.id)
        if step.answer is not None and step.answer.value is not None:
            session.answer("")  # confirm: keep the answer as it is
        else:
            session.skip()
    marked = [q for q, a in migration.answers.answers.items() if a.review]
    assert asked[: len(marked)] == marked
    assert set(asked) > set(marked)
    # Confirming an answer clears its mark.
    assert not any(a.review for a in session.answers.answers.values())

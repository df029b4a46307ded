"""`safeaudit signoff`: who reviewed the audit, and the report's "changes since sign-off"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from safeaudit.answers import load_answers
from safeaudit.signoff import checksums, fingerprint, sign, status

SOURCE = EXAMPLES / "secondary-kcsie-2025.yaml"


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    target = tmp_path / "answers.yaml"
    shutil.copy(SOURCE, target)
    return target


def test_fingerprint_ignores_bookkeeping_but_not_content() -> None:
    answers, _ = load_answers(SOURCE)
    first = answers.answers["dsl.deputies"]
    touched = answers.model_copy(
        update={
            "answers": {
                **answers.answers,
                "dsl.deputies": first.model_copy(update={"answered_by": "someone"}),
            }
        }
    )
    assert fingerprint(touched) == fingerprint(answers)
    changed = answers.model_copy(
        update={
            "answers": {**answers.answers, "dsl.deputies": first.model_copy(update={"value": "no"})}
        }
    )
    assert fingerprint(changed) != fingerprint(answers)
    signed, record = sign(
        answers, "A. Patel", "Chair of governors", __import__("datetime").date(2026, 11, 20)
    )
    assert record.questions == checksums(answers)
    moved = signed.model_copy(update={"answers": changed.answers})
    found = status(moved)
    assert found is not None and found.modified and found.changed == ["dsl.deputies"]


def test_signoff_then_change_then_report(cli, answers_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    original = answers_file.read_text(encoding="utf-8")
    result = cli(
        "signoff",
        answers_file,
        "--name",
        "A. Patel",
        "--role",
        "Chair of governors",
        "--date",
        "2026-11-20",
    )
    assert result.code == 0, result.err
    assert "signed off by A. Patel (Chair of governors) on 2026-11-20" in result.err
    text = answers_file.read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n")), "comments and layout are kept"
    assert (answers_file.stat().st_mode & 0o777) == 0o600
    answers, _ = load_answers(answers_file)
    (record,) = answers.signoffs
    assert (record.name, record.role, record.date.isoformat()) == (
        "A. Patel",
        "Chair of governors",
        "2026-11-20",
    )
    assert record.fingerprint == fingerprint(answers)

    md = tmp_path / "report.md"
    assert cli("report", answers_file, "--md", md).code == 0
    report = md.read_text(encoding="utf-8")
    assert "**Signed off by:** A. Patel, Chair of governors, on 20 November 2026" in report
    assert "Changes since sign-off" not in report

    # A second sign-off is kept alongside the first.
    assert (
        cli(
            "signoff",
            answers_file,
            "--name",
            "B. Jones",
            "--role",
            "Vice chair",
            "--date",
            "2026-11-21",
        ).code
        == 0
    )
    answers, _ = load_answers(answers_file)
    assert [s.name for s in answers.signoffs] == ["A. Patel", "B. Jones"]

    # Change two answers after sign-off: the report says so and names them.
    changed = answers_file.read_text(encoding="utf-8")
    changed = changed.replace('  dsl.job-description: "yes"', '  dsl.job-description: "partial"')
    changed = changed.replace("  dsl.training: 2024-05-13", "  dsl.training: 2025-01-13")
    answers_file.write_text(changed, encoding="utf-8")
    html = tmp_path / "report.html"
    assert cli("report", answers_file, "--html", html, "--md", md).code == 0
    page = html.read_text(encoding="utf-8")
    assert "B. Jones, Vice chair, on" in page and "1 earlier sign-off" in page
    assert "Changes since sign-off:" in page
    assert "<code>dsl.job-description</code>, <code>dsl.training</code>" in page
    assert "dsl.job-description, dsl.training." in md.read_text(encoding="utf-8")


def test_signoff_refuses_bad_input(cli, answers_file: Path) -> None:  # type: ignore[no-untyped-def]
    before = answers_file.read_text(encoding="utf-8")
    bad_date = cli(
        "signoff", answers_file, "--name", "A", "--role", "Chair", "--date", "20/11/2026"
    )
    assert bad_date.code == 2
    future = cli("signoff", answers_file, "--name", "A", "--role", "Chair", "--date", "2999-01-01")
    assert future.code == 2 and "in the future" in future.err
    blank = cli("signoff", answers_file, "--name", " ", "--role", "Chair")
    assert blank.code == 2
    assert answers_file.read_text(encoding="utf-8") == before


def test_json_report_carries_the_signoff(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    from conftest import EXAMPLES

    answers = tmp_path / "answers.yaml"
    shutil.copy(EXAMPLES / "secondary-kcsie-2025.yaml", answers)
    signed = cli(
        "signoff",
        answers,
        "--name",
        "A. Governor",
        "--role",
        "Chair of governors",
        "--date",
        "2026-11-20",
    )
    assert signed.code == 0, signed.err
    data = json.loads(cli("report", answers, "--json", "-").out)
    assert data["signoff"]["name"] == "A. Governor"
    assert data["signoff"]["date"] == "2026-11-20"
    assert data["signoff"]["changed_since"] is False

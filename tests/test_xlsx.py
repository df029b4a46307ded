"""`report --xlsx`: the workbook opens, has one row per applicable question, and is safe."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from conftest import EXAMPLES
from safeaudit.audit import load_audit

SOURCE = EXAMPLES / "secondary-kcsie-2025.yaml"


def _listed(path: Path) -> list[str]:
    """The questions the Answers sheet lists: those that apply, and the setting's own n/a."""
    return [
        r.question.id
        for r in load_audit(path).score().questions
        if r.status != "not-applicable" or (r.answer is not None and r.answer.value == "n/a")
    ]


def _applicable(path: Path) -> int:
    return len(_listed(path))


@pytest.fixture
def workbook(cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "return.xlsx"
    result = cli("report", SOURCE, "--xlsx", target)
    assert result.code == 0, result.err
    assert (target.stat().st_mode & 0o777) == 0o600
    return target


def test_workbook_has_one_row_per_applicable_question(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Answers", "Action plan", "Area scores"]
    answers = book["Answers"]
    header = [c.value for c in answers[1]]
    assert header[:7] == ["Area", "Question id", "Question", "Severity", "Answer", "RAG", "Status"]
    assert answers.max_row - 1 == _applicable(SOURCE)
    result = load_audit(SOURCE).score()
    assert book["Action plan"].max_row - 1 == len(result.gaps)
    assert book["Area scores"].max_row - 1 == len(result.areas) + 1
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    rags = {row[5].value: row[5].fill.fgColor.rgb for row in answers.iter_rows(min_row=2)}
    assert {"Green", "Amber", "Red"} <= set(rags)
    assert rags["Red"].endswith("FFC7CE") and rags["Green"].endswith("C6EFCE")
    assert answers.column_dimensions["C"].width >= 40
    assert answers["C2"].alignment.wrap_text


def test_dates_text_and_formulas(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = SOURCE.read_text(encoding="utf-8")
    planted = (
        "  dsl.job-description:\n"
        '    value: "partial"\n'
        '    evidence: "=HYPERLINK(\\"http://evil.example\\", \\"click\\")"\n'
        '    owner: "@SUM(1+1) Zoë Ångström-Łukasz"\n'
        '    note: "+44 is a dialling code; -5 is not a formula"\n'
        "    due: 2027-01-31\n"
    )
    text = text.replace('  dsl.job-description: "yes"\n', planted, 1)
    source = tmp_path / "answers.yaml"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "return.xlsx"
    assert cli("report", source, "--xlsx", target).code == 0
    sheet = openpyxl.load_workbook(target)["Answers"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "dsl.job-description")
    evidence, owner, due, note = row[7], row[8], row[9], row[10]
    assert evidence.value == '=HYPERLINK("http://evil.example", "click")'
    assert evidence.data_type == "s" and owner.data_type == "s" and note.data_type == "s"
    assert owner.value == "@SUM(1+1) Zoë Ångström-Łukasz"
    assert isinstance(due.value, dt.datetime) and due.value.date() == dt.date(2027, 1, 31)
    assert row[5].value == "Amber"


def test_missing_openpyxl_is_one_clear_sentence(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    target = tmp_path / "return.xlsx"
    result = cli("report", SOURCE, "--xlsx", target)
    assert result.code == 2
    assert "pip install 'safeaudit[xlsx]'" in result.err
    assert "Traceback" not in result.err and not target.exists()


def test_rollup_workbook() -> None:
    from safeaudit.report.xlsx import rollup_workbook
    from safeaudit.rollup import rollup

    paths = sorted(EXAMPLES.glob("*.yaml"))
    result = rollup(paths)
    book = openpyxl.load_workbook(io.BytesIO(rollup_workbook(result)))
    rows = sum(sheet.max_row - 1 for sheet in book)
    assert rows == result.rows == len(paths)
    names = {row[0].value for sheet in book for row in sheet.iter_rows(min_row=2)}
    assert "Northgate Fields Academy" in names


def test_libreoffice_reads_it(workbook: Path, tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc)")
    profile = tmp_path / "profile"
    try:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "csv",
                "--outdir",
                str(tmp_path / "out"),
                str(workbook),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
        pytest.skip(f"LibreOffice could not run here: {exc}")
    converted = tmp_path / "out" / "return.csv"
    with converted.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["Area", "Question id"]
    assert len(rows) - 1 == _applicable(SOURCE)
    assert {row[1] for row in rows[1:]} == set(_listed(SOURCE))


def test_action_plan_keeps_overdue_actions_and_out_of_date_reviews_apart(
    cli: Any,
    tmp_path: Path,
) -> None:
    source = EXAMPLES / "primary-kcsie-2025.yaml"
    target = tmp_path / "plan.xlsx"
    assert cli("report", source, "--xlsx", target, "--as-of", "2025-11-02").code == 0
    plan = openpyxl.load_workbook(target)["Action plan"]
    header = [c.value for c in plan[1]]
    assert header[-4:] == ["Action due", "Action overdue by", "Review date", "Local change"]
    rows = {r[2].value: r for r in plan.iter_rows(min_row=2)}
    review = rows["fm-review.last-review"]
    assert str(review[-2].value).startswith("Out of date since")
    assert review[-3].value in ("", None)  # its action is not yet due

"""Tests for `safeaudit rollup`: agreement with scoring, ordering, grouping, skips and outputs."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES
from safeaudit.audit import load_audit
from safeaudit.rollup import Row, csv_cell, expand_paths, render_csv, render_html, rollup

KCSIE = sorted(EXAMPLES.glob("*kcsie-2025.yaml"))


@pytest.fixture
def audits(tmp_path: Path) -> Path:
    """A folder of example audits, in a nested folder too."""
    folder = tmp_path / "audits"
    (folder / "north").mkdir(parents=True)
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, folder / "north" / path.name)
    return folder


def _files(folder: Path) -> list[Path]:
    return expand_paths([str(folder)])[0]


def _copy_with(source: Path, target: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_rows_agree_with_scoring(path: Path) -> None:
    expected = load_audit(path).score()
    (row,) = rollup([path]).groups[0].rows
    assert row.percent == expected.percent
    assert row.areas == tuple(area.percent for area in expected.areas)
    assert row.verdict == expected.verdict
    assert row.statutory_gaps == len(expected.statutory_gaps)
    assert row.gaps == len(expected.gaps)
    assert row.unanswered == len(expected.unanswered)


def test_ordering_most_urgent_first() -> None:
    def row(verdict: str, stat: int, percent: float | None) -> Row:
        return Row("f", "n", None, "primary", ("c", "1"), None, percent, (), verdict, stat, 0, 0)

    rows = [
        row("met", 0, 40.0),
        row("incomplete", 0, 90.0),
        row("not-met", 1, 10.0),
        row("not-met", 3, 80.0),
        row("not-met", 3, 60.0),
    ]
    ordered = sorted(rows, key=lambda r: r.urgency)
    assert [(r.verdict, r.statutory_gaps, r.percent) for r in ordered] == [
        ("not-met", 3, 60.0),
        ("not-met", 3, 80.0),
        ("not-met", 1, 10.0),
        ("incomplete", 0, 90.0),
        ("met", 0, 40.0),
    ]


def test_groups_by_checklist_and_sorts_rows(audits: Path) -> None:
    result = rollup(_files(audits))
    keys = [group.key for group in result.groups]
    assert keys == [
        ("kcsie-2025-online-safety", "2025.1"),
        ("kcsie-2026-online-safety", "2026.3"),
        ("ofsted-2016-online-safety", "2016.1"),
    ]
    kcsie = result.groups[0]
    assert len(kcsie.rows) == 3
    assert [r.urgency for r in kcsie.rows] == sorted(r.urgency for r in kcsie.rows)
    assert kcsie.rows[0].verdict == "not-met"
    assert all(len(r.areas) == len(kcsie.checklist.areas) for r in kcsie.rows)
    assert kcsie.common_gaps()[0][1] >= kcsie.common_gaps()[-1][1]


def test_workers_give_the_same_result(audits: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import safeaudit.rollup as module

    serial = rollup(_files(audits), workers=1)
    monkeypatch.setattr(module, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(module, "CHUNK", 1)
    parallel = rollup(_files(audits), workers=2)
    assert [g.rows for g in parallel.groups] == [g.rows for g in serial.groups]


def test_corrupt_file_is_named_and_skipped(cli: Any, audits: Path) -> None:
    (audits / "broken.yaml").write_text("checklist: {id: [unclosed\n", encoding="utf-8")
    _copy_with(KCSIE[0], audits / "wrong-value.yaml", "setting: {name:", "setting: {name: X")
    bad_value = audits / "bad-answer.yaml"
    text = KCSIE[0].read_text(encoding="utf-8")
    bad_value.write_text(text.replace('value: "yes"', 'value: "perhaps"', 1), encoding="utf-8")
    run = cli("rollup", audits)
    assert run.code == 1
    skipped = [line for line in run.err.splitlines() if line.startswith("safeaudit: skipped")]
    assert len(skipped) == 2
    assert any("broken.yaml: line 2: is not valid YAML" in line for line in skipped)
    assert any(
        "bad-answer.yaml: line " in line and "yes, partial or no" in line for line in skipped
    )
    assert "Rolled up 8 settings" in run.err
    assert "Northgate Fields Academy" in run.out


def test_nothing_usable_exits_2(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- just a list\n", encoding="utf-8")
    run = cli("rollup", tmp_path)
    assert run.code == 2
    assert "a.yaml" in run.err
    assert cli("rollup", tmp_path / "missing").code == 2


def test_globs_are_expanded_by_the_tool(audits: Path) -> None:
    files, missing = expand_paths([str(audits / "**" / "*kcsie*.yaml"), str(audits / "x*.yaml")])
    assert len(files) == 6
    assert [m.reason for m in missing] == ["no files match this pattern"]


def test_setting_filter(cli: Any, audits: Path) -> None:
    result = rollup(_files(audits), setting="secondary")
    assert {r.setting_type for g in result.groups for r in g.rows} == {"secondary"}
    assert result.filtered_out == 4
    run = cli("rollup", audits, "--setting", "primary")
    assert run.code == 0
    assert "Fernhollow" in run.out and "Northgate" not in run.out
    assert cli("rollup", audits, "--setting", "castle").code == 2


def test_csv_is_excel_friendly_and_formula_safe(cli: Any, tmp_path: Path) -> None:
    evil = (
        _copy_with(
            KCSIE[0],
            tmp_path / "evil.yaml",
            "name: Puddleduck Lane Day Nursery",
            'name: "=HYPERLINK(\\"http://x\\")"',
        )
        if "Puddleduck" in KCSIE[0].read_text(encoding="utf-8")
        else None
    )
    assert evil is not None
    out = tmp_path / "rollup.csv"
    assert cli("rollup", evil, "--csv", out).code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["checklist", "version", "setting"]
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(prefix + "1") == "'" + prefix + "1"
    assert csv_cell("Plain") == "Plain" and csv_cell(None) == ""


def test_html_escapes_and_stands_alone(cli: Any, tmp_path: Path) -> None:
    source = KCSIE[0]
    text = source.read_text(encoding="utf-8")
    name = text.split("setting: {name: ", 1)[1].split(",", 1)[0]
    evil = _copy_with(source, tmp_path / "evil.yaml", name, '"<script>alert(1)</script>"')
    out = tmp_path / "rollup.html"
    assert cli("rollup", evil, *[str(p) for p in KCSIE[1:]], "--html", out).code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "http://" not in page and "https://" not in page
    assert "✗" in page  # the verdict has a sign as well as a colour
    assert render_csv(rollup([evil])).count("\r\n") == 2
    assert "Most common gaps" in render_html(rollup(KCSIE))


def test_rollup_writes_a_workbook(cli: Any, audits: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "rollup.xlsx"
    run = cli("rollup", audits, "--xlsx", out)
    assert run.code == 0, run.err
    assert run.out == ""  # the table goes to the workbook, not the screen
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    book = openpyxl.load_workbook(out)
    names = [str(row[0].value) for sheet in book.worksheets for row in sheet.iter_rows(min_row=2)]
    assert "Northgate Fields Academy" in names

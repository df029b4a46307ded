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
from safeaudit.report.rollup import csv_cell, render_csv, render_html, render_text
from safeaudit.rollup import Row, expand_paths, index_file, rollup

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
    assert row.reviews_out_of_date == len(expected.overdue_reviews)
    assert row.actions_overdue == len(expected.overdue_actions)


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


def test_text_columns_line_up_for_every_setting_type(audits: Path) -> None:
    """The longest setting type (nursery-school) does not push its row's columns out."""
    lines = render_text(rollup(_files(audits))).splitlines()
    heads = [n for n, line in enumerate(lines) if line.startswith("Setting ")]
    assert heads
    for n in heads:
        column = lines[n].index("Verdict")
        rows = []
        for line in lines[n + 1 :]:
            if not line:
                break
            rows.append(line)
        assert rows
        # Every verdict starts where its heading does, after a space.
        assert all(row[column - 1] == " " and row[column] != " " for row in rows), rows
    assert any("nursery-school " in line for line in lines)


def test_workers_give_the_same_result(audits: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import safeaudit.rollup.scorer as module

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
    assert "Rolled up 9 settings" in run.err
    assert "Northgate Fields Academy" in run.out


def test_nothing_usable_exits_2(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- just a list\n", encoding="utf-8")
    run = cli("rollup", tmp_path)
    assert run.code == 2
    assert "a.yaml" in run.err
    assert cli("rollup", tmp_path / "missing").code == 2


def test_globs_are_expanded_by_the_tool(audits: Path) -> None:
    files, missing = expand_paths([str(audits / "**" / "*kcsie*.yaml"), str(audits / "x*.yaml")])
    assert len(files) == 7
    assert [m.reason for m in missing] == ["no files match this pattern"]


def test_setting_filter(cli: Any, audits: Path) -> None:
    result = rollup(_files(audits), setting="secondary")
    assert {r.setting_type for g in result.groups for r in g.rows} == {"secondary"}
    assert result.filtered_out == 5
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


# --------------------------------------------------------------------------- incremental roll-up


def _generated(folder: Path, count: int) -> Path:
    """A small generated tree, as a trust keeps it (benchmarks/generate.py)."""
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder, count, seed=7)
    return folder


def _outputs(result: Any) -> tuple[str, str, list[Any], int, int]:
    return (
        render_text(result),
        render_csv(result),
        [(g.key, g.rows, sorted(g.gap_counts.items())) for g in result.groups],
        result.filtered_out,
        result.other_version,
    )


def _age(folder: Path) -> None:
    """Make every file look written a minute ago, so its size and time can be trusted."""
    import os
    import time

    past = time.time() - 60
    for path in folder.rglob("*.yaml"):
        os.utime(path, (past, past))


def test_incremental_rollup_is_the_same_as_a_full_run(tmp_path: Path) -> None:
    folder = _generated(tmp_path / "trust", 24)
    (folder / "broken.yaml").write_text("setting: [unclosed\n", encoding="utf-8")
    _age(folder)
    index = index_file([str(folder)])
    first = rollup(_files(folder), index_path=index)
    assert (first.rescored, first.reused) == (25, 0)
    assert oct(index.stat().st_mode & 0o777) == "0o600"
    assert oct(index.parent.stat().st_mode & 0o777) == "0o700"

    files = sorted(folder.rglob("setting-*.yaml"))
    edited = files[0]
    text = edited.read_text(encoding="utf-8")
    assert "value: 'yes'" in text
    edited.write_text(text.replace("value: 'yes'", "value: 'no'", 3), encoding="utf-8")
    files[1].rename(folder / "renamed.yaml")
    files[2].unlink()
    files[3].touch()  # a new time, the same text
    shutil.copy(files[4], folder / "batch-000" / "copy.yaml")
    text = files[5].read_text(encoding="utf-8")
    at = text.index("  name: ") + len("  name: ")
    same_size = text[:at] + ("Z" if text[at] != "Z" else "Y") + text[at + 1 :]
    files[5].write_text(same_size, encoding="utf-8")  # same size, new text, written just now
    (folder / "broken.yaml").write_text("setting: [still unclosed\n", encoding="utf-8")

    again = rollup(_files(folder), index_path=index)
    full = rollup(_files(folder))
    assert _outputs(again) == _outputs(full)
    assert [s.reason for s in again.skipped] == [s.reason for s in full.skipped]
    # The edited, the same-size edit and the broken file are read again; the renamed, touched
    # and copied files are recognised by their text.
    assert again.rescored == 3
    assert again.reused == len(_files(folder)) - 3
    third = rollup(_files(folder), index_path=index, setting="primary")
    assert _outputs(third) == _outputs(rollup(_files(folder), setting="primary"))
    assert third.rescored == 1  # only the broken file: it is never kept in the index


def _edit_index(index: Path, *statements: str) -> None:
    """Change an index as a damaged disk or another version might have left it."""
    import sqlite3

    db = sqlite3.connect(index)
    try:
        for statement in statements:
            db.execute(statement)
        db.commit()
    finally:
        db.close()


def test_index_left_behind_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    shutil.copytree(EXAMPLES, folder)
    _age(folder)
    index = index_file([str(folder)])
    full = rollup(_files(folder), index_path=index)
    assert index.suffix == ".sqlite"
    saved = index.read_bytes()

    index.chmod(0o666)  # anyone could have changed it: not trusted
    assert rollup(_files(folder), index_path=index).reused == 0
    assert oct(index.stat().st_mode & 0o777) == "0o600"  # written again, owner-only

    for damage in (b"{not an index", saved[: len(saved) // 2], saved[:100] + b"\0" * 4096):
        index.write_bytes(damage)
        damaged = rollup(_files(folder), index_path=index)
        assert damaged.reused == 0 and "damaged" in damaged.index_note
        assert _outputs(damaged) == _outputs(full)

    _edit_index(index, "UPDATE meta SET value = '0.0.1' WHERE key = 'safeaudit'")
    other = rollup(_files(folder), index_path=index)
    assert other.reused == 0 and other.index_note == ""  # another version: silently again
    assert rollup(_files(folder), index_path=index).reused == full.rows

    # A changed checklist, or a row judged as at another day, is scored again.
    _edit_index(index, "UPDATE checklists SET fingerprint = 'another checklist'")
    assert rollup(_files(folder), index_path=index).reused == 0
    _edit_index(index, "UPDATE files SET today = '2000-01-01', percent = 1.0")
    yesterday = rollup(_files(folder), index_path=index)
    assert yesterday.reused == 0 and _outputs(yesterday) == _outputs(full)

    # A damaged entry is scored again, the rest reused.
    paths = [row[0] for row in _index_paths(index)]
    _edit_index(
        index,
        f"UPDATE files SET verdict = 'splendid' WHERE rowid = {paths[0]}",
        f"UPDATE files SET gap_positions = '[9999]' WHERE rowid = {paths[1]}",  # no such question
        f'UPDATE files SET areas = \'{{"not": "a list"}}\' WHERE rowid = {paths[2]}',
        f"UPDATE files SET size = 'big' WHERE rowid = {paths[3]}",
        f"UPDATE files SET name = x'ff' WHERE rowid = {paths[4]}",  # not UTF-8
    )
    mixed = rollup(_files(folder), index_path=index)
    assert (mixed.reused, _outputs(mixed)) == (full.rows - 5, _outputs(full))


def _index_paths(index: Path) -> list[tuple[int]]:
    import sqlite3

    db = sqlite3.connect(index)
    try:
        return db.execute(
            "SELECT rowid FROM files WHERE size IS NOT NULL ORDER BY rowid"
        ).fetchall()
    finally:
        db.close()


def test_rows_are_sorted_on_disk_as_in_memory(tmp_path: Path, cli: Any) -> None:
    """The store sorts rows by the same key as Python would: most urgent, then the name
    ignoring case (in any script), then the file name (even one that is not UTF-8)."""
    import contextlib
    import os

    folder = tmp_path / "audits"
    folder.mkdir()
    names = ["apple", "Apple", "Äpfel", "zebra", "Zoë", "straße", "STRASSE", "émile", "Émile",
             "日本", "ǅemal", "a", "", "🙂 Smile", "apple "]  # fmt: skip
    source = KCSIE[0].read_text(encoding="utf-8")
    current = source.split("setting: {name: ", 1)[1].split(",", 1)[0]
    for number, name in enumerate(names):
        text = source.replace(current, f'"{name}"', 1)
        (folder / f"s{number % 3}-{number}.yaml").write_text(text, encoding="utf-8")
    odd = folder / os.fsdecode(b"\xff-odd.yaml")  # a file name that is not UTF-8
    with contextlib.suppress(OSError, UnicodeEncodeError):  # not on every file system
        odd.write_text(source.replace(current, '"apple"', 1), encoding="utf-8")
    files = _files(folder)
    with rollup(files) as result:
        (group,) = result.groups
        rows = list(group.rows)
        assert len(rows) == len(files)
        assert rows == sorted(rows, key=lambda r: (*r.urgency, r.name.casefold(), r.path))
        assert group.rows == rows and group.rows[-1] == rows[-1]
        expected = render_csv(result).encode("utf-8")
    out = tmp_path / "rollup.csv"
    assert cli("rollup", folder, "--csv", out).code == 0
    assert out.read_bytes() == expected
    assert odd.exists() == ("\ufffd-odd.yaml" in expected.decode("utf-8"))  # shown, not a crash


def test_cli_reuses_rows_and_no_cache_scores_all(cli: Any, audits: Path) -> None:
    _age(audits)
    first = cli("rollup", audits)
    assert "files scored" not in first.err
    second = cli("rollup", audits)
    assert second.out == first.out
    assert "0 files scored, 8 unchanged since the last run" in second.err
    fresh = cli("rollup", audits, "--no-cache")
    assert fresh.out == first.out
    assert "unchanged" not in fresh.err


def test_index_that_cannot_be_saved_is_a_note(
    cli: Any, audits: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SAFEAUDIT_CACHE_DIR", str(blocker))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    run = cli("rollup", audits)
    assert run.code == 0
    assert "Note: the roll-up index could not be saved" in run.err
    assert "Northgate Fields Academy" in run.out
    assert list(scratch.iterdir()) == []  # the rows were sorted in a temporary folder, now gone


def test_outputs_are_written_whole_or_not_at_all(
    cli: Any, audits: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outputs are written in pieces beside their targets and put in place together at the end:
    a failure part way leaves the old files and no temporary ones."""
    import safeaudit.report.rollup as drawing

    html, table = tmp_path / "rollup.html", tmp_path / "rollup.csv"
    html.write_text("old page", encoding="utf-8")
    table.write_text("old table", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> Any:
        yield "\ufeffchecklist,"
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(drawing, "csv_chunks", broken)
        run = cli("rollup", audits, "--html", html, "--csv", table)
    assert run.code == 2 and "No space left on device" in run.err
    assert html.read_text(encoding="utf-8") == "old page"
    assert table.read_text(encoding="utf-8") == "old table"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audits", "rollup.csv", "rollup.html"]
    assert cli("rollup", audits, "--html", html, "--csv", "-").code == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert oct(html.stat().st_mode & 0o777) == "0o600"


def test_html_tables_can_be_scrolled_with_the_keyboard(audits: Path) -> None:
    import re

    page = render_html(rollup(_files(audits)))
    wrappers = re.findall(r'<div class="table-wrap"[^>]*>', page)
    assert len(wrappers) >= 6  # a table and its common gaps per checklist version
    for wrapper in wrappers:
        assert 'tabindex="0"' in wrapper and 'role="region"' in wrapper
        assert re.search(r'aria-label="[^"]+"', wrapper)
    assert "Reviews out of date" in page and "Actions past due date" in page


def test_a_file_changed_just_before_a_run_is_read_again(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "audits"
    folder.mkdir()
    target = folder / "a.yaml"
    shutil.copy(KCSIE[0], target)  # written just now: its time is not yet to be trusted
    index = index_file([str(folder)])
    first = rollup([target], index_path=index)
    info = target.stat()
    text = target.read_text(encoding="utf-8")
    at = text.index("name: ") + len("name: ")
    target.write_text(text[:at] + ("Z" if text[at] != "Z" else "Y") + text[at + 1 :], "utf-8")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # same size, same time
    again = rollup([target], index_path=index)
    assert again.rescored == 1
    assert again.groups[0].rows[0].name != first.groups[0].rows[0].name

"""Golden files: every report, lint and diff format for small purpose-made fixtures.

The fixtures (tests/fixtures/report, tests/fixtures/lint, tests/fixtures/lifecycle) are not
shipped content, so an edit
to a shipped checklist never changes a golden file. The outputs come from the command line, run
from tests/fixtures so every file name in them is short and the same on every machine.

After an intended change, regenerate with `SAFEAUDIT_UPDATE_GOLDEN=1 pytest tests/test_golden.py`
and review the diff like any other change. The shipped examples are checked only to render
(the smoke tests at the end), not compared byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from conftest import EXAMPLES, FIXTURES

GOLDEN = Path(__file__).resolve().parent / "golden"
REPORT = FIXTURES / "report"
UPDATE = bool(os.environ.get("SAFEAUDIT_UPDATE_GOLDEN"))
AS_OF = "2026-11-02"
TEXT_FORMATS = ("html", "md", "json", "csv")


def check_golden(text: str, name: str) -> None:
    """Compare byte for byte (the CSV keeps its CRLF line endings and byte-order mark)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run with SAFEAUDIT_UPDATE_GOLDEN=1 to create it")
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, (
        f"{name} differs from the golden file (SAFEAUDIT_UPDATE_GOLDEN=1 to update)"
    )


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from tests/fixtures, with the fixture checklists (and the overlay's base) findable."""
    monkeypatch.chdir(FIXTURES)
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", "report/checklists")


#: Each variant: the answer file and the extra options of `safeaudit report`.
VARIANTS: dict[str, list[str]] = {
    "plain": ["report/answers.yaml"],
    "compare-redact": ["report/answers.yaml", "--compare", "report/previous.yaml", "--redact"],
    "overlay": ["report/answers-overlay.yaml"],
}


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("variant", ["plain", "compare-redact"])
def test_report_golden(variant: str, fmt: str, cli: Any, in_fixtures: None) -> None:
    result = cli("report", *VARIANTS[variant], "--as-of", AS_OF, f"--{fmt}", "-")
    assert result.code == 0, result.err
    check_golden(result.out, f"report/{variant}.{fmt}")


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv"])
def test_overlay_report_golden(fmt: str, cli: Any, in_fixtures: None) -> None:
    """The overlay's local changes: a question left out (with who and why), local guidance and
    a local weight, in every format that shows them."""
    result = cli("report", *VARIANTS["overlay"], "--as-of", AS_OF, f"--{fmt}", "-")
    assert result.code == 0, result.err
    check_golden(result.out, f"report/overlay.{fmt}")


def workbook_text(path: Path) -> str:
    """Every non-empty cell of a workbook, one a line: sheet, cell, type, value and whether
    the cell is stored as text with Excel's quote prefix (the formula guard)."""
    book = openpyxl.load_workbook(path)
    lines = []
    for sheet in book:
        lines.append(f"== {sheet.title}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                guard = " (quote prefix)" if cell.quotePrefix else ""
                lines.append(f"{cell.coordinate} {cell.data_type} {cell.value!r}{guard}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("variant", ["plain", "compare-redact", "overlay"])
def test_xlsx_golden(variant: str, cli: Any, in_fixtures: None, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = cli("report", *VARIANTS[variant], "--as-of", AS_OF, "--xlsx", out)
    assert result.code == 0, result.err
    check_golden(workbook_text(out), f"report/{variant}.xlsx.txt")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_lint_golden(fmt: str, cli: Any, in_fixtures: None) -> None:
    result = cli("lint", "lint/problems.yaml", "report/checklists", "--format", fmt)
    assert result.code == 1, result.err
    check_golden(result.out + result.err, f"lint/problems.{fmt}")


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_diff_golden(fmt: str, cli: Any, in_fixtures: None) -> None:
    """Two versions of a small checklist with one of each kind of change (tests/fixtures/lifecycle)."""
    result = cli("diff", "lifecycle/old.yaml", "lifecycle/new.yaml", "--format", fmt)
    assert result.code == 1, result.err
    check_golden(result.out, f"diff/lifecycle.{fmt}")


# --------------------------------------------------------------------------- the HTML report


@pytest.fixture(scope="module")
def html() -> str:
    return (GOLDEN / "report" / "compare-redact.html").read_text(encoding="utf-8")


def test_html_renders_every_section_in_order(html: str) -> None:
    headings = [
        "Scores by area",
        "Statutory and critical gaps",
        "Action plan",
        "Reviews out of date",
        "Change since the previous audit",
        "Each area in detail",
        "Unanswered questions",
        "How the scores are worked out",
    ]
    positions = [html.index(f">{h}</h2>") for h in headings]
    assert positions == sorted(positions)
    assert html.index("Met, with actions to complete") < positions[0]
    assert html.index("not an Ofsted judgement") < positions[0]
    plain = (GOLDEN / "report" / "plain.html").read_text(encoding="utf-8")
    assert "Change since the previous audit</h2>" not in plain


def test_html_is_self_contained(html: str) -> None:
    assert "<script" not in html.lower()
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
    ) in html
    assert '<meta name="viewport"' in html
    assert "<link" not in html.lower()
    assert "@page { size: A4" in html
    assert html.count('role="img"') == 2
    for label in ("Met", "Partly met", "Not met", "Unanswered"):
        assert f"{label}</span>" in html


# --------------------------------------------------------------------------- shipped examples

#: The example README's first command reports on.
EXAMPLE = EXAMPLES / "primary-kcsie-2026.yaml"


@pytest.fixture(scope="module")
def example_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped example rendered in every format by one `safeaudit report` run."""
    from safeaudit.cli import main

    folder = tmp_path_factory.mktemp("example")
    outputs = {fmt: folder / f"report.{fmt}" for fmt in (*TEXT_FORMATS, "xlsx")}
    args = ["report", str(EXAMPLE), "--as-of", AS_OF]
    for fmt, path in outputs.items():
        args += [f"--{fmt}", str(path)]
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code in (0, None)
    return outputs


@pytest.mark.parametrize("fmt", [*TEXT_FORMATS, "xlsx"])
def test_shipped_example_renders(fmt: str, example_outputs: dict[str, Path]) -> None:
    path = example_outputs[fmt]
    if fmt == "xlsx":  # answers, action plan and area scores
        cells = workbook_text(path)
        assert "== Answers" in cells and "dsl.appointed" in cells and "'Overall'" in cells
        return
    text = path.read_text(encoding="utf-8")
    if fmt == "csv":  # the action plan: a header and at least one action
        assert text.startswith("\ufeffpriority,severity,area,question id")
        assert len(text.splitlines()) > 1
        return
    assert "kcsie-2026-online-safety" in text
    assert "Fernhollow Primary School" in text

"""The report's per-question cells (status, severity, review, due, owner): markup and escaping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from safeaudit.audit import load_audit
from safeaudit.report import html
from safeaudit.report.cells import Cells, cells_by_id
from safeaudit.report.options import ReportOptions
from safeaudit.report.view import Row, context
from safeaudit.scoring import AuditResult

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report"
CHECKLIST = str(FIXTURE / "checklists" / "report-fixture.yaml")
AS_OF = dt.date(2026, 11, 2)
NASTY = "<script>alert(1)</script> & \"q\" 'x'"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34; &#39;x&#39;"


def _result(path: Path) -> AuditResult:
    return load_audit(path, CHECKLIST).score(as_of=AS_OF)


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    ctx = context(_result(FIXTURE / "answers.yaml"), ReportOptions())
    return [r for a in ctx["areas"] for r in a.rows]


def _cells(r: Row) -> Cells:
    return cells_by_id([r])[r.id]


def test_cells_markup(rows: list[Row]) -> None:
    first = next(r for r in rows if r.id == "filtering.blocklists")
    cells = _cells(first)
    assert cells.status == '<span class="status s-partial">◐ Partly met</span>'
    assert cells.owner == "=HYPERLINK(&#34;http://evil.example&#34;)"
    assert cells.due == (
        '<time datetime="2026-09-15">15 September 2026</time>'
        '<br><span class="overdue">⚠ Action overdue by 48 days</span>'
    )
    nothing = first._replace(owner="", due="", due_iso="", overdue=False, review_text="")
    assert _cells(nothing).owner == '<span class="muted">none named</span>'
    assert _cells(nothing).due == '<span class="muted">none set</span>'
    assert _cells(nothing).review == '<span class="muted">–</span>'
    critical = first._replace(severity="statutory", severity_label="Statutory", critical=True)
    assert _cells(critical).severity == (
        '<span class="sev sev-statutory">Statutory</span> '
        '<span class="sev sev-critical">Critical</span>'
    )
    assert _cells(critical).status_and_severity == (
        '<span class="status s-partial">◐ Partly met</span> · '
        '<span class="sev sev-statutory">Statutory</span> '
        '<span class="sev sev-critical">Critical</span>'
    )


def test_cells_escape_every_value(rows: list[Row]) -> None:
    """Every value in a cell is escaped as the template's autoescape would."""
    nasty = rows[0]._replace(
        status=NASTY,
        status_sign=NASTY,
        status_label=NASTY,
        severity=NASTY,
        severity_label=NASTY,
        owner=NASTY,
        due=NASTY,
        due_iso=NASTY,
        overdue=True,
        overdue_text=NASTY,
        review_text=NASTY,
    )
    for out_of_date in (True, False):
        cells = _cells(nasty._replace(review_out_of_date=out_of_date))
        shown = (cells.status, cells.severity, cells.status_and_severity, cells.review)
        for cell in (*shown, cells.due, cells.owner):
            assert "<script>" not in cell and '"q"' not in cell and "'x'" not in cell
            assert ESCAPED in cell


def test_cells_made_once_per_question(rows: list[Row]) -> None:
    made = cells_by_id(rows + rows)
    assert list(made) == [r.id for r in rows]
    for r in rows:  # shared status and severity cells are the ones each row needs
        assert made[r.id].status == _cells(r).status
        assert made[r.id].severity == _cells(r).severity
        assert made[r.id].status_and_severity == f"{_cells(r).status} · {_cells(r).severity}"


def test_report_escapes_owner_and_review(tmp_path: Path) -> None:
    """An owner with markup in it comes out as text wherever the report shows it."""
    answers = yaml.safe_load((FIXTURE / "answers.yaml").read_text(encoding="utf-8"))
    for answer in answers["answers"].values():
        if isinstance(answer, dict) and "owner" in answer:
            answer["owner"] = NASTY
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    page = html.render(_result(path))
    assert "<script>" not in page
    assert page.count(ESCAPED) >= 5  # plan, statutory gaps and each area in detail

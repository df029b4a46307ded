"""Text from answer files is inert in every format: no markup, no template, no formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from safeaudit.audit import load_audit
from safeaudit.display import md_escape
from safeaudit.report.csv import BOM, safe_cell
from safeaudit.report.formats import REPORT, render
from safeaudit.report.options import ReportOptions
from safeaudit.scoring import AuditResult

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report"
EVIDENCE = (
    "Provider says yes <script>alert(1)</script> {{ 7*7 }} [click](javascript:alert(1)) "
    "\"quoted\" 'single' & more"
)


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return load_audit(
        FIXTURE / "answers.yaml", str(FIXTURE / "checklists" / "report-fixture.yaml")
    ).score(as_of=dt.date(2026, 11, 2))


def test_registry_lists_every_format() -> None:
    assert REPORT.names(binary=False) == ["html", "md", "json", "csv"]
    assert REPORT.names(binary=True) == ["xlsx"]


def test_html_escapes_evidence(result: AuditResult) -> None:
    html = render("html", result)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and ">49<" not in html  # shown, never evaluated
    assert "&#34;quoted&#34;" in html and "&#39;single&#39;" in html
    assert not re.search(r"href=[\"']?\s*javascript:", html, re.IGNORECASE)
    assert "[click](javascript:alert(1))" in html  # as plain text
    # Checklist text is escaped too.
    assert "&lt;IWF&gt;" in html and "<IWF>" not in html
    # The setting name has quotes in it: escaped in the title and headings.
    assert "Hollow Lane Primary &#34;Test&#34; School" in html


def test_markdown_escapes_evidence(result: AuditResult) -> None:
    md = render("md", result)
    line = next(x for x in md.splitlines() if x.startswith("- Evidence: Provider says yes"))
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\>" in line
    assert r"{{ 7\*7 }}" in line
    assert r"\[click\](javascript:alert(1))" in line
    assert r"\& more" in line
    assert r"Does the filter block the \<IWF\> list" in md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", r"a\|b"),
        ("*bold* _it_", r"\*bold\* \_it\_"),
        ("# heading", r"\# heading"),
        ("- item", r"\- item"),
        ("1. first", r"1\. first"),
        ("66.7%", "66.7%"),
        ("line one\n\n# two", "line one # two"),
        ("+ x", r"\+ x"),
        ("2) b", r"2\) b"),
        ("`code`", r"\`code\`"),
        (None, ""),
        ("back\\slash", r"back\\slash"),
    ],
)
def test_md_escape(raw: str | None, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_json_keeps_text_exact(result: AuditResult) -> None:
    data = json.loads(render("json", result))
    question = next(q for q in data["questions"] if q["id"] == "filtering.blocklists")
    assert question["evidence"] == EVIDENCE


def test_csv_keeps_text_and_neutralises_formulas(result: AuditResult) -> None:
    text = render("csv", result)
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM) :])))
    assert [r["priority"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    first = rows[0]
    assert first["question id"] == "filtering.blocklists"
    assert first["evidence"] == EVIDENCE
    assert first["owner"] == '\'=HYPERLINK("http://evil.example")'
    assert first["action overdue"] == "Action overdue by 48 days"
    assert first["review date"] == ""
    review = next(r for r in rows if r["question id"] == "policies.review-date")
    assert review["review date"] == "Out of date since 1 July 2026 (124 days)"
    assert review["action overdue"] == "no"
    assert review["evidence"].startswith("'@SUM")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (3, "3"),
        (None, ""),
    ],
)
def test_safe_cell(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_csv_columns(result: AuditResult) -> None:
    header = render("csv", result, ReportOptions()).splitlines()[0]
    assert header == (
        BOM + "priority,severity,area,question id,question,answer,owner,action due,"
        "action overdue,review date,action,evidence,local change"
    )

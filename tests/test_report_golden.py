"""Golden files: the Markdown and JSON reports of fixed audits, compared byte for byte.

After an intended change, regenerate with `SAFEAUDIT_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py`
and review the diff like any other change.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from safeaudit.audit import load_audit
from safeaudit.report.compare import compare
from safeaudit.report.formats import render
from safeaudit.report.options import ReportOptions

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden" / "report"
FIXTURE_CHECKLIST = GOLDEN / "checklist.yaml"
AS_OF = dt.date(2026, 11, 2)
UPDATE = bool(os.environ.get("SAFEAUDIT_UPDATE_GOLDEN"))


def check_golden(text: str, name: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="\n")
    if not path.exists():
        pytest.fail(f"{path} is missing: run with SAFEAUDIT_UPDATE_GOLDEN=1 to create it")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{name} differs from the golden file (SAFEAUDIT_UPDATE_GOLDEN=1 to update)"
    )


def fixture_options(redact: bool = False, with_compare: bool = False) -> ReportOptions:
    comparison = None
    if with_compare:
        current = load_audit(GOLDEN / "answers.yaml", str(FIXTURE_CHECKLIST)).score(as_of=AS_OF)
        previous = load_audit(GOLDEN / "previous.yaml", str(FIXTURE_CHECKLIST)).score()
        comparison = compare(current, previous)
    return ReportOptions(redact=redact, comparison=comparison)


@pytest.mark.parametrize("fmt", ["md", "json"])
@pytest.mark.parametrize("variant", ["plain", "compare-redact"])
def test_fixture_golden(fmt: str, variant: str) -> None:
    result = load_audit(GOLDEN / "answers.yaml", str(FIXTURE_CHECKLIST)).score(as_of=AS_OF)
    options = fixture_options(redact=variant != "plain", with_compare=variant != "plain")
    check_golden(render(fmt, result, options), f"fixture-{variant}.{fmt}")


EXAMPLES = sorted(
    p.name
    for p in (ROOT / "examples").glob("*.yaml")
    if p.name == "secondary-ofsted-2016.yaml" or p.name.endswith("-kcsie-2025.yaml")
)


@pytest.mark.parametrize("fmt", ["md", "json"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_golden(example: str, fmt: str) -> None:
    result = load_audit(ROOT / "examples" / example).score(as_of=AS_OF)
    check_golden(render(fmt, result, ReportOptions()), f"{Path(example).stem}.{fmt}")


def test_html_renders_every_section_in_order() -> None:
    result = load_audit(GOLDEN / "answers.yaml", str(FIXTURE_CHECKLIST)).score(as_of=AS_OF)
    html = render("html", result, fixture_options(with_compare=True))
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
    without = render("html", result, ReportOptions())
    assert "Change since the previous audit</h2>" not in without


def test_html_is_self_contained() -> None:
    result = load_audit(ROOT / "examples" / "secondary-ofsted-2016.yaml").score(as_of=AS_OF)
    html = render("html", result, ReportOptions())
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

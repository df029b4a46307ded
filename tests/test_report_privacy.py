"""Spotting and masking details that could identify people, and the --redact option."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from safeaudit.audit import load_audit
from safeaudit.report.formats import render
from safeaudit.report.options import ReportOptions
from safeaudit.report.privacy import find, redact, scan

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("email jo.bloggs@school.sch.uk today", "email"),
        ("mobile 07700 900123", "phone"),
        ("mobile 07700900123", "phone"),
        ("call +44 7700 900123", "phone"),
        ("office +44 (0)20 7946 0018", "phone"),
        ("office 020 7946 0018", "phone"),
        ("office 01632 960123", "phone"),
        ("office (01632) 960 123", "phone"),
        ("DOB: 01/02/2016", "dob"),
        ("d.o.b. 2016-02-01", "dob"),
        ("date of birth 3rd March 2015", "dob"),
        ("born on 3 March 2015", "dob"),
        ("UPN A123456789012", "pupil-number"),
        ("pupil H801200001001 moved", "pupil-number"),
        ("ULN: 1234567890", "pupil-number"),
        ("NI number AB 12 34 56 C", "ni-number"),
    ],
)
def test_finds(text: str, kind: str) -> None:
    assert [f.kind for f in find(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Reviewed 2025-07-14 by governors in 2026",
        "KCSIE 2025 para 141 and section 3.2",
        "Years 7 and 8, 30 pupils, 12 months",
        "Phones kept in bags; IWF and CTIRU lists",
        "URN 990417",
        "version 2016.1",
    ],
)
def test_leaves_ordinary_text_alone(text: str) -> None:
    assert find(text) == []
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # The curly apostrophe and the en dash have branches of their own in the patterns
        # (privacy._WORD), so each case is pinned here: whole names, never half of one.
        ("Jo Bell\u2019Amy, Year 3", "Jo Bell\u2019Amy, Year 3"),
        ("Liam Neill\u2019s Y5", "Liam Neill\u2019s Y5"),
        ("Amy Lee \u2013 5B", "Amy Lee \u2013 5B"),
        ("Mrs Dell\u2019Arco", "Mrs Dell\u2019Arco"),
    ],
)
def test_apostrophes_and_dashes(text: str, found: str) -> None:
    assert [f.text for f in find(text)] == [found]


def test_redact_masks_each_kind() -> None:
    text = "Ask jo@x.org or 07700 900123 about pupil A123456789012 (DOB 01/02/2016)."
    assert redact(text) == (
        "Ask [email removed] or [phone number removed] about pupil "
        "[pupil number removed] ([date of birth removed])."
    )


def test_scan_names_questions_and_fields() -> None:
    result = load_audit(
        FIXTURE / "answers.yaml", str(FIXTURE / "checklists" / "report-fixture.yaml")
    ).score()
    found = {w.question_id: w for w in scan(result)}
    assert list(found) == ["filtering.checks", "filtering.provider", "policies.notes"]
    assert found["filtering.checks"].kinds == ("phone", "email")  # in order of appearance
    assert found["filtering.provider"].fields == ("evidence",)
    assert found["policies.notes"].fields == ("value",)


PHONE_OR_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|07700|900123|7946|0018|01/02/2016")


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv"])
def test_redact_leaves_nothing_behind(fmt: str) -> None:
    result = load_audit(
        FIXTURE / "answers.yaml", str(FIXTURE / "checklists" / "report-fixture.yaml")
    ).score(as_of=dt.date(2026, 11, 2))
    plain = render(fmt, result, ReportOptions())
    redacted = render(fmt, result, ReportOptions(redact=True))
    if fmt != "csv":  # the CSV holds only the action plan, where these answers appear too
        assert PHONE_OR_EMAIL.search(plain)
    assert not PHONE_OR_EMAIL.search(redacted), PHONE_OR_EMAIL.search(redacted)
    if fmt == "html":
        assert "[email removed]" in redacted and "[phone number removed]" in redacted
        assert "Masked where safeaudit recognised them" in redacted
        assert "read the report before sharing it" in redacted


def test_cli_warns_and_redacts(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    args = (
        "report",
        FIXTURE / "answers.yaml",
        "-c",
        FIXTURE / "checklists" / "report-fixture.yaml",
        "--html",
        out,
    )
    warned = cli(*args)
    assert warned.code == 0
    assert "may identify people" in warned.err
    assert "filtering.checks, filtering.provider, policies.notes" in warned.err
    assert "--redact" in warned.err
    redacted = cli(*args, "--redact")
    assert redacted.code == 0
    assert "may identify people" not in redacted.err
    assert "masked" in redacted.err
    assert not PHONE_OR_EMAIL.search(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "upn abcdefghij",
        "ULN: ABCDEFGHIJ",
        "Jo Smith (Reception)",
        "Nursery pupil Amy Lee",
        "Class Oak: Tom Jones",
        "Mrs Smith and Dr Patel",
        "Master O'Neill",
        "Jo Bloggs, Y5; mobile 07700 900123; jo@school.sch.uk; SW1A 1AA; AB 12 34 56 C",
        "DOB ٠١/٠٢/٢٠١٦ (Arabic-Indic digits)",
        "d. o. b. 01/02/2016",
        "D O B: 1st March 2015",
        "Date of\tbirth 2016-02-01",
        "born on 3 May 2015",
        "UPN A12345678901B",
        "uln 1234567890",
        "NI AB 12 34 56 C",
        "call 0161 496 0000 or +44 (0) 20 7946 0000",
        "GIR 0AA and B1 1AA",
        "Jo Smith in 10C",
        "Yr 7 boy Sam Hill",
        "Mx Lee",
        "Miss Patel",
        "Reviewed by the governors",
        "",
    ],
)
def test_quick_test_never_skips_a_finding(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """find skips a pattern where its quick test says it cannot match (issue 17); every
    pattern run on every text finds the same."""
    from safeaudit.report import privacy

    quick = find(text)
    monkeypatch.setattr(privacy, "_could_match", lambda kind, text, digit: True)
    assert quick == find(text)


@pytest.mark.parametrize(
    "text",
    [
        "jo@school.sch.uk",
        "DOB 01/02/2016",
        "d. o. b. 01/02/2016",
        "Date of\tbirth 2016-02-01",
        "UPN A12345678901B",
        "uln abcdefghij",
        "NI AB 12 34 56 C",
        "NI\tAB123456C",
        "SW1A 1AA",
        "Jo Smith in 10C",
        "Nursery pupil Amy Lee",
        "Class Oak: Tom Jones",
        "Miss Patel",
        "Dr Patel",
        "call 0161 496 0000",
        "DOB \u0661\u0662/\u0660\u0662/\u0662\u0660\u0661\u0666",
    ],
)
def test_quick_tests_pass_for_an_answers_fields_together(text: str) -> None:
    """scan tests an answer's fields joined with newlines, and skips the answer when no kind
    could match (issue 17): whatever could match in one field could in the fields together."""
    from safeaudit.report.privacy import _possible_kinds

    alone = set(_possible_kinds(text))
    assert alone  # each text holds a detail
    for other in ("", "Reviewed by the governors", "\u03a3\u0391\u03a3 \u0130 12 o b."):
        assert alone <= set(_possible_kinds(f"{other}\n{text}\n{other}"))

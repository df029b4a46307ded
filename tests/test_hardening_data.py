"""Issue 18 (3-7), 12 (2, 7) and 13 (7): formulas, terminal escapes, shadowing, bounded input,
no internal errors, and privacy that does not over-promise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from safeaudit.display import formula_safe, looks_like_formula, terminal_safe
from safeaudit.errors import LoadError
from safeaudit.loading import MAX_EXPANDED_CHARS, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "bad_inputs" / "good"
ANSWERS = GOOD / "answers.yaml"
CHECKLIST = GOOD / "run-small.yaml"
EXAMPLE = ROOT / "examples" / "primary-kcsie-2025.yaml"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: A setting name carrying a colour, a window title, a hidden link (OSC 8) and an 8-bit CSI.
EVIL = r"Evil\e]0;pwned\a\e[31mRed\e]8;;http://example.com\e\\link\e]8;;\e\\\x9b2J\u202eabc"


@pytest.fixture
def small_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))


def _answers(tmp_path: Path, old: str = "", new: str = "", extra: str = "") -> Path:
    text = ANSWERS.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "answers.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


# ------------------------------------------------------------------ display helpers


def test_terminal_safe_escapes_every_control_character() -> None:
    text = "a\x1b[31mb\x07c\x9bd\u202ee\x7ff\tg\nh"
    safe = terminal_safe(text)
    assert safe == "a\\u001b[31mb\\u0007c\\u009bd\\u202ee\\u007ff\tg\nh"
    assert not CONTROL.search(safe)
    assert terminal_safe(safe) == safe  # applying it twice changes nothing


def test_terminal_safe_keeps_json_valid() -> None:
    data = {"name": "x\x1b]0;t\x07\x9b\x7f\u202e"}
    text = terminal_safe(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not CONTROL.search(text)


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "\uff1dHYPERLINK()"]
)
def test_formula_guard(value: str) -> None:
    assert looks_like_formula(value)
    assert formula_safe(value) == "'" + value


def test_formula_guard_leaves_plain_text() -> None:
    assert formula_safe("Plain") == "Plain" and formula_safe(None) == "" and formula_safe(3) == "3"


# ------------------------------------------------------------- formula injection (18.3)

HYPERLINK = '=HYPERLINK("http://example.com","click")'


def _formula_checklist(folder: Path) -> Path:
    folder.mkdir()
    text = CHECKLIST.read_text(encoding="utf-8")
    text = text.replace("    title: Filtering\n", f"    title: '{HYPERLINK}'\n")
    text = text.replace("text: Is there a written online safety policy?", "text: '=1+2 policy?'")
    path = folder / "run-small.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _cells(path: Path) -> list[Any]:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def test_no_workbook_cell_is_a_formula(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _formula_checklist(tmp_path / "checklists").parent
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(folder))
    evil = _answers(tmp_path, "name: Test Primary School", "name: '=cmd|calc'")
    rollup, report = tmp_path / "rollup.xlsx", tmp_path / "report.xlsx"
    assert cli("rollup", evil, "--xlsx", rollup).code == 0
    assert cli("report", evil, "--xlsx", report).code == 0
    for path in (rollup, report):
        cells = _cells(path)
        texts = [c for c in cells if isinstance(c.value, str)]
        assert any(c.value == HYPERLINK for c in texts), path  # the header of the rollup too
        for cell in texts:
            assert cell.data_type == "s", (path, cell.coordinate, cell.value)
            if looks_like_formula(cell.value):
                assert cell.quotePrefix, (path, cell.coordinate, cell.value)


def test_csv_outputs_use_the_one_guard(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    evil = _answers(tmp_path, "owner: DSL", "owner: '=HYPERLINK(1)'").read_text(encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(evil.replace('value: "yes"', "value: partial"), encoding="utf-8")
    out = tmp_path / "plan.csv"
    assert cli("report", path, "--csv", out).code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


# ------------------------------------------------------------- terminal injection (18.4)


def test_score_shows_escapes_escaped(cli: Any, tmp_path: Path, small_path: None) -> None:
    path = _answers(tmp_path, "name: Test Primary School", f'name: "{EVIL}"')
    for args in (("score", path), ("score", path, "--json")):
        result = cli(*args)
        assert result.code == 0, result.err
        assert not CONTROL.search(result.out + result.err), args
    shown = cli("score", path).out
    assert "Evil\\u001b]0;pwned" in shown
    data = json.loads(cli("score", path, "--json").out)
    assert data["setting"]["name"].startswith("Evil\x1b]0;pwned")  # the data is kept


def test_errors_and_lint_show_escapes_escaped(cli: Any, tmp_path: Path, small_path: None) -> None:
    path = _answers(tmp_path, extra='  "filtering.x\\e[2J\\e]0;t\\a": "yes"\n')
    result = cli("score", path)
    assert result.code == 2
    assert "filtering.x\\u001b[2J" in result.err and not CONTROL.search(result.err)
    checklist = tmp_path / "c.yaml"
    checklist.write_text(
        CHECKLIST.read_text(encoding="utf-8").replace(
            "title: Small test checklist", 'title: "Small\\e[31m"\ntitel: x'
        ),
        encoding="utf-8",
    )
    linted = cli("lint", checklist)
    assert linted.code == 1 and not CONTROL.search(linted.out + linted.err)


def test_markdown_report_escapes_control_characters(
    cli: Any, tmp_path: Path, small_path: None
) -> None:
    path = _answers(tmp_path, "name: Test Primary School", f'name: "{EVIL}"')
    result = cli("report", path, "--md", "-")
    assert result.code == 0
    assert not CONTROL.search(result.out)
    assert "Evil\\\\u001b" in result.out  # the backslash itself escaped as Markdown


def test_merge_conflicts_are_escaped(cli: Any, tmp_path: Path, small_path: None) -> None:
    one = _answers(tmp_path, "owner: DSL", 'owner: "DSL\\e]0;one\\a"')
    two = tmp_path / "two.yaml"
    two.write_text(
        ANSWERS.read_text(encoding="utf-8").replace("owner: DSL", 'owner: "Head\\e[31m"'),
        encoding="utf-8",
    )
    result = cli("merge", one, two, "-o", tmp_path / "m.yaml")
    assert result.code == 1
    assert not CONTROL.search(result.out + result.err)


def test_columns_zero_is_not_an_internal_error(
    cli: Any, monkeypatch: pytest.MonkeyPatch, small_path: None
) -> None:
    monkeypatch.setenv("COLUMNS", "0")
    for args in (("show", "run-small"), ("score", ANSWERS), ("checklists",)):
        result = cli(*args)
        assert result.code == 0, (args, result.err)


def test_cp1252_output_is_not_an_internal_error(tmp_path: Path) -> None:
    path = _answers(tmp_path, "name: Test Primary School", "name: Test ✓ School 😀")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "SAFEAUDIT_CHECKLIST_PATH": str(GOOD)}
    for extra in ([], ["--json"]):
        done = subprocess.run(
            [sys.executable, "-m", "safeaudit", "score", str(path), *extra],
            capture_output=True,
            env=env,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        text = done.stdout.decode("cp1252")
        assert "\\u2713" in text
        if extra:
            assert json.loads(text)["setting"]["name"] == "Test ✓ School 😀"


# ------------------------------------------------------------------- shadowing (18.5)


def test_shadowing_a_shipped_checklist_is_announced_and_reported(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "local"
    folder.mkdir()
    shipped = ROOT / "checklists" / "kcsie-2025-online-safety.yaml"
    local = folder / shipped.name
    local.write_text(
        shipped.read_text(encoding="utf-8")
        .replace("severity: statutory", "severity: expected")
        .replace("legal_status: statutory", "legal_status: guidance"),
        encoding="utf-8",
    )
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(folder))
    for args in (
        ("score", EXAMPLE),
        ("show", "kcsie-2025-online-safety"),
        ("report", EXAMPLE, "--json", "-"),
    ):
        result = cli(*args)
        assert result.code in (0, 1), result.err
        assert "warning: the checklist `kcsie-2025-online-safety` is read from" in result.err
        assert str(local) in result.err and "not the one shipped" in result.err
    import hashlib

    digest = hashlib.sha256(local.read_bytes()).hexdigest()
    data = json.loads(cli("report", EXAMPLE, "--json", "-").out)
    assert data["checklist_source"] == {
        "file": shipped.name,
        "sha256": digest,
        "shipped": False,
        "shadows_shipped": True,
    }
    markdown = cli("report", EXAMPLE, "--md", "-").out
    assert f"SHA-256 {digest}" in markdown and "in place of the checklist shipped" in markdown


def test_shipped_checklist_is_named_with_its_hash(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SAFEAUDIT_CHECKLIST_PATH", raising=False)
    result = cli("report", EXAMPLE, "--md", "-")
    assert "warning: the checklist" not in result.err
    import hashlib

    shipped = ROOT / "checklists" / "kcsie-2025-online-safety.yaml"
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert f"(shipped with safeaudit), SHA-256 {digest}" in result.out


# ------------------------------------------------------ bounded size and linear time (18.6)


def test_expanded_text_is_capped() -> None:
    big = "x" * 200_000
    copies = MAX_EXPANDED_CHARS // len(big) + 1
    text = f"a: &big {big}\n" + "".join(f"c{i}: *big\n" for i in range(copies))
    with pytest.raises(LoadError) as caught:
        parse_yaml(text, "bomb.yaml")
    assert caught.value.problem.code == "SA007"
    assert "more than 5,000,000 characters" in caught.value.message
    fewer = f"a: &big {big}\n" + "".join(f"c{i}: *big\n" for i in range(copies - 3))
    assert len(parse_yaml(fewer, "fine.yaml").data) == copies - 2


def test_show_and_diff_refuse_alias_amplification(
    cli: Any, tmp_path: Path, small_path: None
) -> None:
    text = CHECKLIST.read_text(encoding="utf-8")
    text = text.replace("action: Write the policy.", "action: &big " + "x" * 200_000)
    text += "".join(f"x{i}: *big\n" for i in range(30))
    path = tmp_path / "amplified.yaml"
    path.write_text(text, encoding="utf-8")
    for args in (("show", path), ("diff", path, CHECKLIST)):
        result = cli(*args)
        assert result.code == 2 and "SA007" in result.err, result.err
        assert len(result.out) < 10_000


def test_privacy_scan_handles_a_megabyte_note() -> None:
    from safeaudit.report.privacy import find

    note = ("Jane Smith (Y5) spoke to Mrs Jones; call 01234 567890 or a.b@example.org. " * 14_000)[
        :1_000_000
    ]
    found = find(note)
    assert len(found) > 40_000
    assert find("a" * 1_000_000 + "@") == []
    assert find("dob" + " " * 200_000) == []


# ---------------------------------------------------------------- field lengths (12.7)


def test_megabyte_texts_are_a_lint_error_naming_the_field(
    cli: Any, tmp_path: Path, small_path: None
) -> None:
    text = CHECKLIST.read_text(encoding="utf-8").replace(
        "evidence: The policy document.", "evidence: " + "word " * 400_000
    )
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    linted = cli("lint", path)
    assert linted.code == 1
    assert "SA240 `evidence` of question `policy.written` is 1,999,999 characters" in linted.out
    shown = cli("show", path)
    assert shown.code == 2 and "SA240" in shown.err


# ------------------------------------------------------------- no internal errors (18.7)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("audit_date: 2026-03-01", "audit_date: !!timestamp 2026-02-30", "SA006"),
        ("owner: DSL", "owner: !!bool maybe", "SA006"),
        ("filtering.devices: 8", "filtering.devices: !!int abc", "SA006"),
        ("filtering.devices: 8", "filtering.devices: !!float ''", "SA006"),
        ("owner: DSL", "owner: !!map [a]", "SA006"),
        ("owner: DSL", "owner: !!set {a}", "SA006"),
        ("filtering.maturity: 3", "filtering.maturity: 1e999", "SA121"),
        ("filtering.maturity: 3", "filtering.maturity: inf", "SA121"),
        ("filtering.devices: 8", "filtering.devices: nan", "SA121"),
        ("filtering.devices: 8", "filtering.devices: .nan", "SA121"),
        ("filtering.devices: 8", "filtering.devices: !!float nan", "SA104"),
        ("filtering.devices: 8", "filtering.devices: 1e999", "SA121"),
    ],
)
def test_bad_values_are_clear_errors(
    cli: Any, tmp_path: Path, small_path: None, old: str, new: str, code: str
) -> None:
    path = _answers(tmp_path, old, new)
    for args in (("score", path), ("report", path, "--json", "-"), ("lint", path)):
        result = cli(*args)
        assert result.code in (1, 2), (args, result.err)
        assert "internal error" not in result.err
    result = cli("score", path)
    assert f" {code} " in result.err, result.err


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("weight: 2", 'weight: "1e999"', "SA104"),
        ("weight: 2", "weight: 1e999", "SA104"),
        ("weight: 2", "weight: .nan", "SA104"),
        ("weight: 2", "weight: 1000", "SA241"),
        ("max_age: 12", "max_age: 120000", "SA241"),
        ("target: 10", "target: 1e300", "SA241"),
    ],
)
def test_checklist_numbers_out_of_range(
    cli: Any, tmp_path: Path, small_path: None, old: str, new: str, code: str
) -> None:
    text = CHECKLIST.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "c.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    linted = cli("lint", path)
    assert linted.code == 1 and f" {code} " in linted.out, linted.out
    scored = cli("score", ANSWERS, "-c", path)
    assert scored.code == 2 and f" {code} " in scored.err, scored.err
    assert "nan" not in scored.out.lower()


def test_json_is_always_valid_json(cli: Any, small_path: None) -> None:
    for args in (("score", ANSWERS, "--json"), ("report", ANSWERS, "--json", "-")):
        text = cli(*args).out
        json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def test_over_long_path_component(cli: Any, tmp_path: Path, small_path: None) -> None:
    long = tmp_path / ("x" * 300 + ".yaml")
    for args in (
        ("score", long),
        ("lint", long),
        ("show", "x" * 300),
        ("report", ANSWERS, "--html", long.with_suffix(".html")),
    ):
        result = cli(*args)
        assert result.code == 2, (args[0], result.err)
        assert "internal error" not in result.err and "too long" in result.err


# ------------------------------------------------------------------ privacy (13.7)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Disclosure from Jane Smith (Y5), case Oct 2026", "name-year"),
        ("Concern about Tom Baker, Year 10.", "name-year"),
        ("Y5 pupil Jane Smith was upset", "name-year"),
        ("Ali in 5B", "name-year"),
        ("Spoke to Mrs Patel about it", "title-name"),
        ("Dr. A. Khan", "title-name"),
        ("Lives at SW1A 1AA", "postcode"),
        ("UPN A123456789012", "pupil-number"),
        ("DOB: 14/03/2016", "dob"),
    ],
)
def test_privacy_finds_more_than_emails_and_phones(text: str, kind: str) -> None:
    from safeaudit.report.privacy import find

    assert kind in [f.kind for f in find(text)]


def test_child_beside_year_group_is_flagged_and_masked(
    cli: Any, tmp_path: Path, small_path: None
) -> None:
    path = _answers(
        tmp_path,
        "The online safety policy, adopted by governors in January 2026.",
        "Jane Smith (Y5) case Oct 2026; spoke to Mrs Jones",
    )
    warned = cli("report", path, "--md", "-")
    assert "Jane Smith" in warned.out
    assert "name beside a year group or class" in warned.err
    assert "no automatic check finds everything" in warned.err
    masked = cli("report", path, "--md", "-", "--redact")
    assert "Jane Smith" not in masked.out and "Mrs Jones" not in masked.out
    assert "name and class removed" in masked.out
    statement = (
        "Masked where safeaudit recognised them: name beside a year group or class (1), "
        "name with a title (1)."
    )
    assert statement in masked.out
    assert "read the report before sharing it" in masked.out
    assert "have been removed" not in masked.out  # never claims everything is gone


def test_redact_with_nothing_found_does_not_say_clean(
    cli: Any, tmp_path: Path, small_path: None
) -> None:
    result = cli("report", ANSWERS, "--html", tmp_path / "r.html", "--redact")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert result.code == 0
    assert "and found none" in html and "read the report before sharing it" in html


def test_omit_notes_leaves_all_free_text_out(cli: Any, tmp_path: Path, small_path: None) -> None:
    path = _answers(
        tmp_path,
        "filtering.notes: Checked by the IT provider each term.",
        "filtering.notes: Written answer SECRET-ONE",
        extra="",
    )
    text = (
        path.read_text(encoding="utf-8")
        .replace("The online safety policy, adopted by governors in January 2026.", "SECRET-TWO")
        .replace("owner: DSL", "owner: DSL\n    note: SECRET-THREE")
    )
    path.write_text(text, encoding="utf-8")
    outputs = {
        "--md": tmp_path / "r.md",
        "--html": tmp_path / "r.html",
        "--json": tmp_path / "r.json",
        "--csv": tmp_path / "r.csv",
        "--xlsx": tmp_path / "r.xlsx",
    }
    args = [item for pair in outputs.items() for item in pair]
    result = cli("report", path, *args, "--omit-notes")
    assert result.code == 0, result.err
    for option, out in outputs.items():
        if option == "--xlsx":
            content = " ".join(str(c.value) for c in _cells(out))
        else:
            content = out.read_text(encoding="utf-8-sig")
        assert "SECRET" not in content, option
    assert "left out of this report" in outputs["--md"].read_text(encoding="utf-8")
    data = json.loads(outputs["--json"].read_text(encoding="utf-8"))
    assert data["privacy"]["omitted_free_text"] is True
    assert "left out of this report" in data["privacy"]["statement"]

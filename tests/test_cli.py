"""The command line as a user meets it: help, version, checklists, show, schema, score."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest

from conftest import CHECKLISTS, EXAMPLES

EXAMPLE = EXAMPLES / "secondary-ofsted-2016.yaml"


def test_version_and_help(cli) -> None:  # type: ignore[no-untyped-def]
    from safeaudit import __version__

    assert cli("--version").out.strip() == f"safeaudit {__version__}"
    help_text = cli("--help").out
    for command in ("checklists", "show", "schema", "lint", "score", "run", "template", "report"):
        if command in ("run", "template", "report") and f" {command} " not in help_text:
            continue  # registered by their own modules
        assert command in help_text
    assert "Exit codes" in help_text


@pytest.mark.parametrize("args", [["--help"], ["--version"], []])
def test_startup_does_not_import_heavy_libraries(args: list[str]) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['safeaudit', *{args!r}]\n"
        "from safeaudit.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic', 'jinja2'))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in out


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "safeaudit", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and result.stdout.startswith("safeaudit ")


def test_checklists_lists_shipped(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("checklists").out
    for path in CHECKLISTS.glob("*.yaml"):
        assert path.stem in out.replace("\n", "")


def test_show_outline_and_setting_filter(cli) -> None:  # type: ignore[no-untyped-def]
    full = cli("show", "ofsted-2016-online-safety")
    assert full.code == 0
    assert "Online safety in Ofsted" in full.out
    assert "leadership.online-within-safeguarding" in full.out
    early = cli("show", "ofsted-2016-online-safety", "--setting", "early-years").out
    assert early.count("\n  ") < full.out.count("\n  ")
    bad = cli("show", "ofsted-2016-online-safty")
    assert bad.code == 2 and "did you mean `ofsted-2016-online-safety`" in bad.err
    wrong_setting = cli("show", "ofsted-2016-online-safety", "--setting", "nursery")
    assert wrong_setting.code == 2


def test_schema_validates_every_shipped_checklist(cli) -> None:  # type: ignore[no-untyped-def]
    from safeaudit.loading import load_yaml

    schema = json.loads(cli("schema").out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    paths = sorted(CHECKLISTS.glob("*.yaml"))
    assert paths
    for path in paths:
        data = load_yaml(path).data
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path.name}: {errors[0].message}"
    # and the schema rejects what the models reject
    assert list(
        validator.iter_errors(
            {
                "id": "x",
                "title": "t",
                "version": "1",
                "effective": "2025-09-01",
                "sources": {},
                "areas": [],
                "colour": "red",
            }
        )
    )


def test_score_json(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("score", EXAMPLE, "--json")
    data = json.loads(result.out)
    assert data["schema_version"] == 2
    assert data["verdict"] in ("met", "met-with-actions", "not-met", "incomplete")
    assert 0 <= data["percent"] <= 100
    assert result.code == (1 if data["verdict"] == "not-met" else 0)
    assert {a["id"] for a in data["areas"]}


def test_score_table(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("score", EXAMPLE)
    assert "Verdict: Not met" in result.out
    assert "self-assessment against the checklist" in result.out
    assert "Overall" in result.out
    assert "68.6%" in result.out  # one decimal place, as in the report


def _answers(tmp_path: Path, body: str, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        'checklist: {id: ofsted-2016-online-safety, version: "2016.1"}\n'
        "setting: {name: Test School, type: secondary}\n" + body,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            "answers:\n  leadership.online-within-safeguarding: maybe\n",
            4,
            "should be yes, partial or no",
        ),
        (
            "answers:\n  leadership.online-within-safegarding: yes\n",
            4,
            "did you mean `leadership.online-within-safeguarding`",
        ),
        (
            "answers:\n  leadership.online-within-safeguarding: {value: yes, evidnce: x}\n",
            4,
            "unknown key `evidnce`",
        ),
        ("audit_date: 2026-02-30\n", 3, "real date"),
        ("answers:\n\t leadership.online-within-safeguarding: yes\n", 4, "tab character"),
        (
            "answers:\n  leadership.online-within-safeguarding: yes\n  leadership.online-within-safeguarding: no\n",
            5,
            "appears twice",
        ),
    ],
)
def test_score_bad_answers(cli, tmp_path: Path, body: str, line: int, words: str) -> None:  # type: ignore[no-untyped-def]
    path = _answers(tmp_path, body)
    result = cli("score", path)
    assert result.code == 2
    first = result.err.splitlines()[0]
    assert first.startswith(f"safeaudit: {path}:{line}:"), result.err
    assert words in first
    assert "Traceback" not in result.err


def test_score_statutory_question_cannot_be_na(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from safeaudit.checklists import load_checklist

    statutory = next(
        q
        for _, q in load_checklist("ofsted-2016-online-safety").questions()
        if q.severity == "statutory"
    )
    path = _answers(tmp_path, f"answers:\n  {statutory.id}: {{value: n/a, reason: no}}\n")
    result = cli("score", path)
    assert result.code == 2 and "statutory requirement" in result.err


def test_score_non_utf8_and_missing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"setting: {name: Caf\xe9}\n")
    result = cli("score", path)
    assert result.code == 2 and f"{path}:1:" in result.err and "UTF-8" in result.err
    missing = cli("score", tmp_path / "nope.yaml")
    assert missing.code == 2 and "file not found" in missing.err


def test_debug_shows_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: [\n", encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    plain = subprocess.run(
        [sys.executable, "-m", "safeaudit", "score", str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    debug = subprocess.run(
        [sys.executable, "-m", "safeaudit", "--debug", "score", str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert debug.returncode == 2 and "Traceback" in debug.stderr


def test_a_number_is_not_read_as_a_date(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _answers(tmp_path, "audit_date: 0\n")
    result = cli("score", path)
    assert result.code == 2
    assert f"{path}:3:13: SA104 `audit_date`" in result.err
    assert "YYYY-MM-DD" in result.err

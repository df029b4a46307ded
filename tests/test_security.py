"""Security: safe YAML only, no templating of data, inert output, private files, no network."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import safeaudit.loading
from safeaudit.audit import load_audit
from safeaudit.report.csv import BOM
from safeaudit.report.formats import render

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "safeaudit"
GOOD = Path(__file__).resolve().parent / "bad_inputs" / "good"
SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "_Loader", "_BaseLoader"}


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_only_safe_yaml_loading() -> None:
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for bad in (
            "yaml.unsafe_load",
            "yaml.full_load",
            "FullLoader",
            "UnsafeLoader",
            "yaml.Loader",
            "yaml.CLoader",
            "yaml.load_all(",
            "add_constructor",
        ):
            assert bad not in text, f"{path}: {bad}"
        for node in ast.walk(ast.parse(text)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if (
                node.func.attr in ("load", "parse", "compose")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "yaml"
            ):
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                name = getattr(loader, "id", getattr(loader, "attr", None))
                assert name in SAFE_LOADERS, (
                    f"{path}:{node.lineno}: yaml.{node.func.attr} without a safe Loader"
                )


def test_the_loader_is_a_safe_loader() -> None:
    assert issubclass(
        safeaudit.loading._Loader, (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    )
    assert not issubclass(safeaudit.loading._Loader, (yaml.FullLoader, yaml.UnsafeLoader))


def test_no_jinja_templates_from_strings() -> None:
    """Templates come only from report_templates/; no data is ever compiled as a template."""
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        assert "from_string(" not in text, path
        assert "jinja2.Template(" not in text and "Template(" not in re.sub(
            r"[A-Za-z_]+Template\(", "", text
        ), path


def test_html_environment_autoescapes() -> None:
    from safeaudit.report._jinja import html_environment

    assert html_environment().autoescape is True


TRICKY_TEXT = "Is {{ 7*7 }} blocked? {% raw %}x{% endraw %} {# note #} ${7*7} <b>bold</b>"


@pytest.fixture
def tricky_audit(tmp_path: Path) -> Any:
    checklist = (
        (GOOD / "run-small.yaml")
        .read_text(encoding="utf-8")
        .replace("text: Is there a written online safety policy?", f"text: '{TRICKY_TEXT}'")
    )
    (tmp_path / "run-small.yaml").write_text(checklist, encoding="utf-8")
    answers = (
        (GOOD / "answers.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "evidence: The online safety policy, adopted by governors in January 2026.",
            'evidence: "{{ 7*7 }} {{ config }} {% for x in range(3) %}loop{% endfor %}"\n'
            "    note: \"=cmd|' /C calc'!A0\"",
        )
        .replace("owner: DSL", 'owner: "@SUM(1+1)*cmd"')
        .replace('policy.written:\n    value: "yes"', 'policy.written:\n    value: "no"')
    )
    (tmp_path / "answers.yaml").write_text(answers, encoding="utf-8")
    return load_audit(tmp_path / "answers.yaml", str(tmp_path / "run-small.yaml")).score(
        as_of=dt.date(2026, 3, 1)
    )


def test_checklist_and_answer_text_is_never_a_template(tricky_audit: Any) -> None:
    html = render("html", tricky_audit)
    md = render("md", tricky_audit)
    for out in (html, md):
        assert "49" not in re.sub(r"\d{3,}|#[0-9a-f]{6}", "", out).replace("2049", "")
        assert "loop" not in out.replace("{% for x in range(3) %}loop", "")
        assert "{% raw %}" in out or r"{% raw %}" in out.replace("\\", "")
    assert "{{ 7*7 }}" in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert r"{{ 7\*7 }}" in md and r"\<b\>bold\</b\>" in md


def test_csv_neutralises_formulas_in_every_cell(tricky_audit: Any) -> None:
    text = render("csv", tricky_audit)
    rows = list(csv.reader(io.StringIO(text[len(BOM) :])))
    owners = [row[6] for row in rows[1:]]
    assert "'@SUM(1+1)*cmd" in owners
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_rollup_csv_neutralises_formulas(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    answers = (
        (GOOD / "answers.yaml")
        .read_text(encoding="utf-8")
        .replace("name: Test Primary School", "name: \"=HYPERLINK('http://evil.example')\"")
    )
    (tmp_path / "a.yaml").write_text(answers, encoding="utf-8")
    result = cli("rollup", tmp_path / "a.yaml", "--csv", tmp_path / "r.csv")
    assert result.code == 0, result.err
    for row in csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_outputs_and_answer_files_are_private(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    monkeypatch.chdir(tmp_path)
    os.umask(0o022)
    outputs = ["r.html", "r.md", "r.json", "r.csv"]
    result = cli(
        "report",
        GOOD / "answers.yaml",
        "--html",
        "r.html",
        "--md",
        "r.md",
        "--json",
        "r.json",
        "--csv",
        "r.csv",
    )
    assert result.code == 0, result.err
    assert cli("template", "run-small", "--setting", "primary", "-o", "t.yaml").code == 0
    assert cli("migrate", GOOD / "answers.yaml", "--to", "run-small", "-o", "m.yaml").code == 0
    assert cli("rollup", GOOD / "answers.yaml", "--html", "u.html", "--csv", "u.csv").code == 0
    for name in [*outputs, "t.yaml", "m.yaml", "u.html", "u.csv"]:
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name


def test_main_commands_end_to_end_without_network(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The autouse fixture makes any connection fail the test; run everything under it."""
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    answers, checklist = GOOD / "answers.yaml", GOOD / "run-small.yaml"
    runs = [
        ("checklists",),
        ("show", "kcsie-2025-online-safety"),
        ("schema",),
        ("lint",),
        ("lint", checklist),
        ("template", "run-small", "--setting", "primary"),
        ("score", answers),
        ("score", answers, "--json"),
        (
            "report",
            answers,
            "--html",
            tmp_path / "r.html",
            "--md",
            tmp_path / "r.md",
            "--json",
            tmp_path / "r.json",
            "--csv",
            tmp_path / "r.csv",
            "--compare",
            answers,
        ),
        ("diff", checklist, checklist),
        ("migrate", answers, "--to", checklist, "-o", tmp_path / "m.yaml"),
        ("rollup", answers, "--html", tmp_path / "u.html"),
    ]
    for args in runs:
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)


def test_report_in_a_subprocess_that_cannot_connect(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import socket\n"
        "def _refuse(*a, **k):\n"
        "    raise SystemExit('safeaudit tried to open a network connection')\n"
        "socket.socket.connect = _refuse\n"
        "socket.socket.connect_ex = _refuse\n"
        "socket.create_connection = _refuse\n"
        "socket.getaddrinfo = _refuse\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    example = ROOT / "examples" / "secondary-kcsie-2025.yaml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeaudit",
            "report",
            str(example),
            "--html",
            str(tmp_path / "r.html"),
            "--md",
            str(tmp_path / "r.md"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "network" not in done.stderr
    assert (tmp_path / "r.html").stat().st_size > 1000
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(1)"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "network connection" in probe.stderr  # the guard itself works

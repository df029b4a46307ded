"""`safeaudit report`: outputs, standard output, usage errors and warnings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "secondary-ofsted-2016.yaml"


def test_needs_an_output(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", EXAMPLE)
    assert result.code == 2
    assert "give at least one output" in result.err
    assert result.out == ""


def test_only_one_output_on_stdout(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", EXAMPLE, "--md", "-", "--json", "-")
    assert result.code == 2
    assert "standard output" in result.err


def test_same_file_twice(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", EXAMPLE, "--md", tmp_path / "x", "--csv", tmp_path / "x")
    assert result.code == 2
    assert not (tmp_path / "x").exists()


def test_writes_every_format_at_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = {fmt: tmp_path / f"report.{fmt}" for fmt in ("html", "md", "json", "csv")}
    args = [a for fmt, p in paths.items() for a in (f"--{fmt}", p)]
    result = cli("report", EXAMPLE, "--as-of", "2026-11-02", *args)
    assert result.code == 0, result.err
    for path in paths.values():
        assert path.stat().st_size > 100
        if os.name == "posix":
            assert path.stat().st_mode & 0o077 == 0  # private, like answer files
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["schema_version"] == 2
    assert paths["csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_stdout(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", EXAMPLE, "--json", "-")
    assert result.code == 0
    assert json.loads(result.out)["verdict"] == "not-met"


def test_bad_date(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", EXAMPLE, "--as-of", "2nd Nov", "--md", tmp_path / "r.md")
    assert result.code == 2
    assert not (tmp_path / "r.md").exists()


def test_missing_answers(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", tmp_path / "nope.yaml", "--md", tmp_path / "r.md")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_version_mismatch_warns(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["checklist"]["version"] = "2015.9"
    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = cli("report", old, "--md", tmp_path / "r.md")
    assert result.code == 0
    assert "warning" in result.err and "2015.9" in result.err


def test_help_has_examples(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", "--help")
    assert result.code == 0
    assert "--compare" in result.out and "--redact" in result.out
    assert "safeaudit report answers.yaml --html report.html" in result.out

"""Lint output formats, one function each, listed in FORMATS (which feeds `--format`)."""

from __future__ import annotations

import json
from collections.abc import Callable

from safeaudit.lint import LintReport
from safeaudit.problems import Problem


def _text_line(problem: Problem) -> str:
    suffix = " (warning)" if problem.level == "warning" else ""
    return f"{problem}{suffix}"


def text(report: LintReport) -> str:
    return "".join(_text_line(p) + "\n" for p in report.problems)


def as_json(report: LintReport) -> str:
    return (
        json.dumps(
            {
                "files": report.files,
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "column": p.column,
                        "code": p.code,
                        "level": p.level,
                        "message": p.message,
                    }
                    for p in report.problems
                ],
                "unusable": report.unusable,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _escape(value: str, *, prop: bool = False) -> str:
    # GitHub workflow command escaping.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(report: LintReport) -> str:
    lines = []
    for p in report.problems:
        props = [f"file={_escape(p.file, prop=True)}"]
        if p.line:
            props.append(f"line={p.line}")
        if p.column:
            props.append(f"col={p.column}")
        props.append(f"title={_escape(p.code, prop=True)}")
        lines.append(f"::{p.level} {','.join(props)}::{_escape(p.message)}\n")
    return "".join(lines)


FORMATS: dict[str, Callable[[LintReport], str]] = {"text": text, "json": as_json, "github": github}

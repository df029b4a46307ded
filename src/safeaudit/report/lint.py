"""`safeaudit lint`'s findings for people (text), programs (JSON) and GitHub Actions annotations."""

from __future__ import annotations

import json

from safeaudit.lint import LintReport
from safeaudit.problems import Problem
from safeaudit.report.options import ReportOptions


def _text_line(problem: Problem) -> str:
    suffix = " (warning)" if problem.level == "warning" else ""
    return f"{problem}{suffix}"


def text(report: LintReport, options: ReportOptions | None = None) -> str:
    """One line a finding: FILE:LINE:COLUMN: CODE message, warnings marked."""
    return "".join(_text_line(p) + "\n" for p in report.problems)


def as_json(report: LintReport, options: ReportOptions | None = None) -> str:
    """Every file, finding and unusable file, for other programs."""
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


def github(report: LintReport, options: ReportOptions | None = None) -> str:
    """GitHub Actions workflow commands, so findings show on the pull request's lines."""
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

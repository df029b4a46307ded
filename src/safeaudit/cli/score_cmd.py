"""`safeaudit score`: score an answer file in the terminal or as JSON."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeaudit.cli._app import app, err, out, parse_day, use_colour
from safeaudit.errors import EXIT_FINDINGS

if TYPE_CHECKING:
    from safeaudit.audit import Audit
    from safeaudit.scoring import AuditResult


def scored_audit(
    answers: Path, checklist: str | None, as_of: str | None
) -> tuple["Audit", "AuditResult"]:
    """Load and score one answer file, printing the warnings every command shows about it."""
    from safeaudit.audit import load_audit

    day = parse_day(as_of)
    audit = load_audit(answers, checklist)
    for warning in audit.warnings:
        err(f"safeaudit: warning: {warning}")
    result = audit.score(as_of=day)
    for warning in audit.result_warnings(result):
        err(f"safeaudit: warning: {warning}")
    return audit, result


@app.command("score")
def score_command(
    answers: Annotated[
        Path, typer.Argument(metavar="ANSWERS", help="The answer file (YAML).", show_default=False)
    ],
    checklist: Annotated[
        str | None,
        typer.Option(
            "--checklist",
            "-c",
            help="Checklist id or path; default: the one named in the answer file.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge review dates as at this "
            "date (YYYY-MM-DD); default: the audit date in the file, else today.",
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many gaps to list.", min=0)] = 10,
) -> None:
    """Score an answer file: the verdict, the score for each area and the most urgent gaps.

    The verdict is a self-assessment against the checklist, not an Ofsted judgement. Exit 0
    when the audit was scored and the verdict is not "Not met" (an incomplete audit, such as an
    untouched template, and "Met, with actions to complete" also exit 0), 1 when a statutory or
    critical requirement is not met, 2 when a file cannot be used.

    Examples:

      safeaudit score examples/secondary-ofsted-2016.yaml

      safeaudit score answers.yaml --json > result.json
    """
    _audit, result = scored_audit(answers, checklist, as_of)
    if as_json:
        from safeaudit.report.json import render

        out(render(result), nl=False)
    else:
        from safeaudit.cli.score_table import print_result

        print_result(result, top=top, colour=use_colour())
    if result.verdict == "not-met":
        raise typer.Exit(EXIT_FINDINGS)

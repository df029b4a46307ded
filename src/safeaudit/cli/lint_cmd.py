"""`safeaudit lint`: check checklist files for schema and content problems."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeaudit.cli._app import app, chosen_format, err, format_choices, out
from safeaudit.errors import EXIT_FINDINGS, EXIT_UNUSABLE
from safeaudit.report.formats import LINT

# The --format choices, from the registry (made here, so other commands never pay for the
# Enum). Typer needs the Enum itself in the signature; to mypy a choice is the str it is.
if TYPE_CHECKING:
    LintFormat = str
else:
    LintFormat = format_choices(LINT)


@app.command("lint")
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATHS",
            help="Checklist files or folders. Default: ./checklists if it exists, "
            "otherwise the shipped checklists.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        LintFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {LINT.help()}.",
            show_default="text",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List the rules and exit.")
    ] = False,
) -> None:
    """Check checklists for schema errors and content problems.

    Each problem is printed as FILE:LINE:COLUMN: CODE message. Exit 0 when clean, 1 when
    there are findings (warnings count only with --strict), 2 when a file cannot be read.

    Examples:

      safeaudit lint

      safeaudit lint checklists/my-la-checklist.yaml --strict

      safeaudit lint checklists --format json
    """
    from safeaudit.lint import lint_paths
    from safeaudit.rules import rule_docs

    if list_rules:
        for code, name, level, description in rule_docs():
            typer.echo(f"{code}  {name:34} {level:8} {description}")
        return
    chosen = (
        chosen_format(output_format)
        if output_format
        else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    )
    report = lint_paths(paths or _default_paths())
    output = LINT.text(chosen, report)
    if output:
        out(output, nl=not output.endswith("\n"))
    errors, warnings = report.count("error"), report.count("warning")
    _summarise(errors, warnings, len(report.files))
    if report.unusable:
        raise typer.Exit(EXIT_UNUSABLE)
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_FINDINGS)


def _default_paths() -> list[Path]:
    """./checklists if it exists, otherwise the shipped checklists."""
    local = Path("checklists")
    if local.is_dir():
        return [local]
    from safeaudit.checklists import shipped_dir

    return [shipped_dir()]


def _summarise(errors: int, warnings: int, files: int) -> None:
    """The counts on standard error; no files at all is unusable input (exit 2)."""
    if not files:
        err("safeaudit: no YAML files found to lint")
        raise typer.Exit(EXIT_UNUSABLE)
    if errors or warnings:
        err(
            f"{errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} "
            f"in {files} file{'s' * (files != 1)}"
        )
    else:
        err(f"{files} checklist file{'s' * (files != 1)} checked: no problems")

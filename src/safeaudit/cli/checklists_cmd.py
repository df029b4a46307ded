"""`safeaudit checklists`, `show` and `schema`: what checklists there are and what they hold."""

from typing import Annotated

import typer

from safeaudit.cli._app import app, use_colour


@app.command("checklists")
def list_checklists() -> None:
    """List the checklists you can use: the shipped ones and any on SAFEAUDIT_CHECKLIST_PATH.

    Shows when each is in force from and what replaces it, and marks (*) the checklists in
    force today for each kind of setting; use one of those for a current self-assessment.

    Example: safeaudit checklists
    """
    import datetime as dt

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from safeaudit.checklists import available, load_checklist_file, not_files
    from safeaudit.errors import SafeauditError
    from safeaudit.scoring import is_current, long_date

    today = dt.date.today()
    table = Table(box=None, pad_edge=False)
    table.add_column("")
    table.add_column("Checklist", overflow="fold", ratio=3)
    table.add_column("Version")
    table.add_column("In force from", overflow="fold")
    table.add_column("Status", overflow="fold", ratio=2)
    broken = []
    for entry in available():
        try:
            checklist = load_checklist_file(entry.path)
        except SafeauditError as exc:
            broken.append(exc.message)
            continue
        current = [kind for kind in checklist.settings if is_current(checklist, kind, today)]
        if checklist.superseded_by and not current:
            since = checklist.superseded_from
            status = f"replaced by {checklist.superseded_by}" + (
                f" from {long_date(since)}" if since else ""
            )
        elif checklist.effective > today:
            status = "not yet in force"
        else:
            status = "current" + _current_for(current, checklist.settings)
            if checklist.superseded_by and checklist.superseded_from:
                status += (
                    f"; replaced by {checklist.superseded_by} from "
                    f"{long_date(checklist.superseded_from)}"
                )
        where = "" if entry.shipped else f"\n(from {entry.path.parent})"
        name = Text(checklist.id, style="bold")
        name.append(f"\n{checklist.title} ({len(checklist.questions())} questions){where}")
        table.add_row(
            "*" if current else "",
            name,
            checklist.version,
            long_date(checklist.effective),
            status,
        )
    console = Console(no_color=not use_colour(), highlight=False)
    console.print(table)
    console.print(
        f"* current: in force on {long_date(today)} and not replaced. Use a current checklist "
        "for this year's self-assessment; `safeaudit run -o FILE` offers them.",
        markup=False,
    )
    for message in broken:
        typer.echo(f"safeaudit: skipped a broken checklist: {message}", err=True)
    for path in not_files():
        typer.echo(f"safeaudit: skipped {path}: not an ordinary file", err=True)


def _current_for(current: list[str], covered: list[str]) -> str:
    """ "" when current for every setting type the checklist covers, else which ones."""
    if current == covered:
        return ""
    return " for " + ", ".join(current)


@app.command("show")
def show(
    checklist: Annotated[
        str, typer.Argument(help="Checklist id (see `safeaudit checklists`) or path.")
    ],
    setting: Annotated[
        str | None,
        typer.Option("--setting", help="Only questions for this setting type, e.g. primary."),
    ] = None,
) -> None:
    """Show a checklist as a readable outline: areas, questions, severity and references.

    Examples:

      safeaudit show kcsie-2025-online-safety

      safeaudit show kcsie-2025-online-safety --setting early-years
    """
    from rich.console import Console

    from safeaudit.checklists import load_checklist
    from safeaudit.outline import outline_lines
    from safeaudit.settings import SETTING_TYPES

    if setting is not None and setting not in SETTING_TYPES:
        raise typer.BadParameter(f"use one of: {', '.join(SETTING_TYPES)}", param_hint="--setting")
    loaded = load_checklist(checklist)
    console = Console(no_color=not use_colour(), highlight=False, soft_wrap=False)
    for style, line in outline_lines(loaded, setting, width=min(console.width, 100)):
        console.print(line, style=style or None, markup=False)


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of the checklist format (for editors and check-jsonschema).

    Example: safeaudit schema > checklist.schema.json
    """
    import json

    from safeaudit.schema import checklist_schema

    typer.echo(json.dumps(checklist_schema(), indent=2))

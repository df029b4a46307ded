"""`safeaudit checklists`, `show` and `schema`: what checklists there are and what they hold."""

from typing import Annotated

import typer

from safeaudit.cli._app import app, use_colour


@app.command("checklists")
def list_checklists() -> None:
    """List the checklists you can use: the shipped ones and any on SAFEAUDIT_CHECKLIST_PATH.

    Example: safeaudit checklists
    """
    from rich.console import Console
    from rich.table import Table

    from safeaudit.checklists import available, load_checklist_file
    from safeaudit.errors import SafeauditError

    table = Table(box=None, pad_edge=False)
    for column in ("Id", "Version", "Questions", "Title", "From"):
        table.add_column(column, overflow="fold")
    broken = []
    for entry in available():
        try:
            checklist = load_checklist_file(entry.path)
        except SafeauditError as exc:
            broken.append(exc.message)
            continue
        table.add_row(
            checklist.id,
            checklist.version,
            str(len(checklist.questions())),
            checklist.title,
            "shipped" if entry.shipped else str(entry.path.parent),
        )
    Console(no_color=not use_colour(), highlight=False).print(table)
    for message in broken:
        typer.echo(f"safeaudit: skipped a broken checklist: {message}", err=True)


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

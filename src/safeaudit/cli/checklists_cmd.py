"""`safeaudit checklists`, `show` and `schema`: what checklists there are and what they hold."""

import shutil
import textwrap
from typing import TYPE_CHECKING, Annotated

import typer

from safeaudit.cli._app import app, err, out, use_colour

if TYPE_CHECKING:
    import datetime as dt

    from safeaudit.checklists import Listing


@app.command("checklists")
def list_checklists() -> None:
    """List the checklists you can use: the shipped ones and any on SAFEAUDIT_CHECKLIST_PATH.

    Shows when each is in force from and what replaces it, and marks (*) the checklists in
    force today for each kind of setting; use one of those for a current self-assessment.

    Example: safeaudit checklists
    """
    import datetime as dt

    from safeaudit.checklists import not_files
    from safeaudit.display import long_date

    today = dt.date.today()
    rows, broken = _rows(today)
    out(_table(rows), nl=False)
    footer = (
        f"* current: in force on {long_date(today)} and not replaced. Use a current checklist "
        "for this year's self-assessment; `safeaudit run -o FILE` offers them."
    )
    out(textwrap.fill(footer, _width()))
    for message in broken:
        err(f"safeaudit: skipped a checklist that cannot be used: {message}")
    for path in not_files():
        err(f"safeaudit: skipped {path}: not an ordinary file")


def _rows(today: "dt.date") -> tuple[list[tuple[str, str, str, str, str, str]], list[str]]:
    """A row for each checklist (mark, id, version, in force from, status, title), and the
    reasons the broken ones could not be read.

    Only what the listing shows is read from each file (not the questions), and the table is
    laid out by hand (a Rich table takes seconds for thousands of rows), so thousands of local
    checklists list quickly; each is checked in full when it is used.
    """
    from safeaudit.checklists import available, name_mismatch, read_listing
    from safeaudit.display import long_date
    from safeaudit.errors import SafeauditError

    rows: list[tuple[str, str, str, str, str, str]] = []
    broken = []
    for entry in available():
        try:
            checklist = read_listing(entry.path)
        except SafeauditError as exc:
            broken.append(exc.message)
            continue
        if checklist.id != entry.id:  # not found by its id, so not listed as if it were
            broken.append(name_mismatch(entry.path, checklist.id).message)
            continue
        current = [kind for kind in checklist.settings if checklist.is_current(kind, today)]
        where = "" if entry.shipped else f" (from {entry.path.parent})"
        rows.append(
            (
                "*" if current else "",
                entry.id,
                checklist.version,
                long_date(checklist.effective),
                _status(checklist, current, today),
                checklist.title + where,
            )
        )
    return rows, broken


def _width() -> int:
    """The terminal's width less one (at least 39), for lines wrapped by hand."""
    return max(shutil.get_terminal_size().columns, 40) - 1


def _status(checklist: "Listing", current: list[str], today: "dt.date") -> str:
    """In force, not yet, or replaced (and by what, from when), in words."""
    from safeaudit.display import long_date

    if checklist.superseded_by and not current:
        since = checklist.superseded_from
        return f"replaced by {checklist.superseded_by}" + (
            f" from {long_date(since)}" if since else ""
        )
    if checklist.effective > today:
        return "not yet in force"
    status = "current" + _current_for(current, list(checklist.settings))
    if checklist.superseded_by and checklist.superseded_from:
        status += (
            f"; replaced by {checklist.superseded_by} from {long_date(checklist.superseded_from)}"
        )
    return status


def _table(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    """One line per checklist (mark, id, version, in force from, status), its title below."""
    heading = ("", "Checklist", "Version", "In force from", "Status", "")
    width = _width()
    widths = [max(len(row[n]) for row in [heading, *rows]) for n in range(4)]
    lines = []
    for row in [heading, *rows]:
        cells = [f"{cell:<{widths[n]}}" for n, cell in enumerate(row[:4])]
        lines.append("  ".join([*cells, row[4]]).rstrip())
        indent = " " * (widths[0] + 2)
        lines += textwrap.wrap(
            " ".join(row[5].split()), width, initial_indent=indent, subsequent_indent=indent
        )
    return "\n".join(lines) + "\n"


def _current_for(current: list[str], covered: list[str]) -> str:
    """ "" when current for every setting type the checklist covers, else which ones."""
    if current == covered:
        return ""
    return " for " + ", ".join(current)


@app.command("show")
def show(
    checklist: Annotated[
        str,
        typer.Argument(
            metavar="CHECKLIST", help="Checklist id (see `safeaudit checklists`) or path."
        ),
    ],
    setting: Annotated[
        str | None,
        typer.Option("--setting", help="Only questions for this setting type, e.g. primary."),
    ] = None,
) -> None:
    """Show a checklist as a readable outline: areas, questions, severity and references.

    Examples:

      safeaudit show kcsie-2026-online-safety

      safeaudit show kcsie-2026-online-safety --setting early-years
    """
    from safeaudit.checklists import load_checklist
    from safeaudit.cli._console import safe_console
    from safeaudit.outline import outline_lines
    from safeaudit.settings import SETTING_TYPES

    if setting is not None and setting not in SETTING_TYPES:
        raise typer.BadParameter(f"use one of: {', '.join(SETTING_TYPES)}", param_hint="--setting")
    loaded = load_checklist(checklist)
    console = safe_console(no_color=not use_colour(), highlight=False, soft_wrap=False)
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

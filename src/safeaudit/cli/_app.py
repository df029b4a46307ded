"""The Typer application, global options, and the mapping from errors to exit codes."""

import datetime as dt
import os
import sys
from enum import Enum
from typing import Annotated, Any, NoReturn

import typer

from safeaudit import __version__
from safeaudit.errors import EXIT_UNUSABLE
from safeaudit.report.formats import Formats

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 findings (lint problems, merge conflicts); "
    "2 unusable input or wrong usage; 130 interrupted (Ctrl-C); 129 and 143 stopped by SIGHUP "
    "and SIGTERM."
)

app = typer.Typer(
    name="safeaudit",
    help=(
        "Self-audit of online safety and safeguarding for schools, colleges and early-years "
        "settings in England, against checklists built from KCSIE, the DfE standards and "
        "Ofsted's expectations.\n\n"
        "Start with `safeaudit checklists`, then `safeaudit run CHECKLIST -o answers.yaml`.\n\n"
        + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


class _State:
    debug = False


state = _State()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"safeaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback when something goes wrong.")
    ] = False,
) -> None:
    state.debug = debug


def err(message: str) -> None:
    """Write a line to standard error (summaries, warnings, errors), control characters escaped."""
    from safeaudit.display import terminal_safe

    sys.stderr.write(terminal_safe(message) + "\n")
    sys.stderr.flush()


def fail(message: str, code: int = EXIT_UNUSABLE) -> NoReturn:
    err(f"safeaudit: {message}")
    raise typer.Exit(code)


def out(text: str, *, nl: bool = True) -> None:
    """Write text for people to standard output, control characters escaped."""
    from safeaudit.display import terminal_safe

    typer.echo(terminal_safe(text), nl=nl)


def use_colour(stream: object = None) -> bool:
    """Colour only on a terminal and never when NO_COLOR is set."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def format_choices(formats: Formats[Any]) -> Any:
    """A command's formats as Typer choices (an Enum of their names), for `--format` and its
    help. A chosen member's name is the format's name: `chosen_format` gives it."""
    return Enum(f"{formats.command.title()}Format", [(n, n) for n in formats.names()], type=str)


def chosen_format(choice: object) -> str:
    """The format name of a member of `format_choices`."""
    return str(getattr(choice, "value", choice))


def parse_day(value: str | None) -> dt.date | None:
    """A date given as an option (YYYY-MM-DD), or None when it was not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("write the date as YYYY-MM-DD, e.g. 2026-11-23") from None

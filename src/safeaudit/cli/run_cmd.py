"""`safeaudit run` and `template`: the interactive questionnaire and the answers skeleton."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from safeaudit.cli._app import app, err, fail, use_colour


@app.command("run")
def run_command(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The answer file to write; if it exists, carry on where it left off.",
            show_default=False,
        ),
    ],
    checklist: Annotated[
        str | None,
        typer.Argument(
            metavar="CHECKLIST",
            help="Checklist id (see `safeaudit checklists`) or path to a checklist file; "
            "leave it out to carry on with the -o file's checklist, or to be offered the "
            "checklists in force for your kind of setting.",
            show_default=False,
        ),
    ] = None,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="Go through answered questions too, showing each answer (Enter keeps it).",
        ),
    ] = False,
    area: Annotated[
        str | None, typer.Option("--area", metavar="ID", help="Only the questions in this area.")
    ] = None,
) -> None:
    """Answer a checklist question by question; every answer is saved straight away.

    At any prompt: ? help and references, b back one question, s skip, note add a note,
    q save and stop. Notes are asked for after an answer that is not fully met.
    Ctrl-C, closing the terminal window or `kill` also stop it (exit 130, 129, 143), with every
    answer given saved; run the same command again to carry on.

    Examples:

      safeaudit run -o answers.yaml

      safeaudit run kcsie-2026-online-safety -o answers.yaml

      safeaudit run -o answers.yaml --review --area filtering
    """
    if not sys.stdin.isatty():
        fail(
            "`safeaudit run` asks questions and needs a terminal; to fill in answers in a text "
            "editor instead, write a skeleton with `safeaudit template CHECKLIST --setting TYPE "
            "-o answers.yaml`"
        )
    from safeaudit.cli.run_ui import leave_now, run_interactive
    from safeaudit.errors import EXIT_HANGUP, EXIT_SIGBREAK, EXIT_TERMINATED

    code = run_interactive(checklist, output, review=review, area=area, colour=use_colour())
    if code in (EXIT_HANGUP, EXIT_TERMINATED, EXIT_SIGBREAK):
        leave_now(code)  # answers saved and lock removed already
    if code:
        raise typer.Exit(code)


@app.command("template")
def template_command(
    checklist: Annotated[
        str, typer.Argument(metavar="CHECKLIST", help="Checklist id or path.", show_default=False)
    ],
    setting: Annotated[
        str,
        typer.Option(
            "--setting",
            metavar="TYPE",
            help="Setting type: early-years, nursery-school, primary, secondary, special, "
            "independent or college.",
            show_default=False,
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="The setting's name.")] = "",
    provision: Annotated[
        list[str] | None,
        typer.Option(
            "--provision",
            metavar="KIND",
            help="Provision beside the main type, which brings its own questions: early-years "
            "(a nursery or Reception class), sixth-form or boarding. Repeat for more than one.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the -o file if it exists.")
    ] = False,
) -> None:
    """Write a commented answer file with every question left blank, to fill in by hand.

    Examples:

      safeaudit template kcsie-2026-online-safety --setting primary -o answers.yaml

      safeaudit template kcsie-2026-online-safety --setting primary --provision early-years -o answers.yaml

      safeaudit score answers.yaml
    """
    from safeaudit.settings import SETTING_TYPES

    if setting not in SETTING_TYPES:
        fail(f"`{setting}` is not a setting type; use one of: {', '.join(SETTING_TYPES)}")
    from safeaudit.checklists import load_checklist
    from safeaudit.template import render_template

    loaded = load_checklist(checklist)
    if setting not in loaded.settings:
        fail(
            f"the checklist {loaded.id} does not cover that kind of setting; it covers: "
            f"{', '.join(loaded.settings)}"
        )
    kinds = list(dict.fromkeys(provision or []))
    known = ("early-years", "sixth-form", "boarding")
    for kind in kinds:
        if kind not in known:
            fail(f"`{kind}` is not a kind of provision; use one of: {', '.join(known)}")
    text = render_template(loaded, setting, name, kinds)
    from safeaudit.output import STDOUT, check_output, write_file, write_stdout

    if output is None or str(output) == STDOUT:
        write_stdout(text)
        return
    check_output(output, stream_ok=True)
    if output.exists() and not force:
        fail(f"{output} already exists; give another name, or add --force to replace it")
    from safeaudit.lock import AnswerLock

    # With --force it may replace an answer file: never one that a run is writing.
    with AnswerLock(output, command="template", wait=3.0):
        write_file(output, text)
    err(f"Wrote {output}. Fill in the answers, then check it with `safeaudit score {output}`.")

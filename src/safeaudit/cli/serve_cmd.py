"""`safeaudit serve`: the questionnaire and the report as private web pages in the browser."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeaudit.cli._app import app, err, fail
from safeaudit.output import Terminated

if TYPE_CHECKING:
    from safeaudit.serve.workspace import Workspace


@app.command("serve")
def serve_command(
    answers: Annotated[
        Path | None,
        typer.Argument(
            help="The answer file to work on; if it does not exist yet, the start page offers "
            "to create it. Without it, choose or create a file in this folder on the start page.",
            show_default=False,
            metavar="ANSWERS",
        ),
    ] = None,
    checklist: Annotated[
        str | None,
        typer.Option(
            "--checklist",
            "-c",
            metavar="ID|PATH",
            help="Checklist id or path; default: the one named in the answer file (for a new "
            "file, the current one is offered first).",
        ),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the address but do not open a browser.")
    ] = False,
    port: Annotated[
        int,
        typer.Option(
            "--port", min=0, max=65535, metavar="N", help="Port on 127.0.0.1; 0 picks a free one."
        ),
    ] = 0,
) -> None:
    """Answer the questionnaire and read the report in your web browser, on this computer only.

    Starts a private web page on 127.0.0.1 (never reachable from another computer), prints its
    address with a one-off key and opens it in your browser. Every answer is saved to the answer
    file as soon as you give it, in the same way and under the same lock as `safeaudit run`.
    Press Ctrl-C in the terminal to stop.

    Examples:

      safeaudit serve

      safeaudit serve answers.yaml

      safeaudit serve answers.yaml --no-browser

      safeaudit serve new.yaml -c kcsie-2026-online-safety
    """
    from safeaudit.serve.server import serve

    workspace, suggested = _open_workspace(answers, checklist)
    opened = workspace.audit

    def announce(address: str) -> None:
        if opened is not None:
            err(f"Answers are saved to {opened.path} as soon as they are given.")
        err("Only this computer can open it. Press Ctrl-C here to stop.")
        typer.echo(f"safeaudit is ready at {address}")

    stopped = False  # stopped by Ctrl-C or SIGTERM, not by a failure to start
    try:
        serve(
            workspace,
            open_browser=not no_browser,
            announce=announce,
            suggested_name=suggested,
            port=port,
        )
        stopped = True
    except OSError as exc:
        from safeaudit.errors import SafeauditError

        raise SafeauditError(
            f"could not start the web page on 127.0.0.1 port {port} ({exc.strerror or exc}); "
            "try again, or leave out --port to pick a free one"
        ) from None
    except Terminated:
        stopped = True  # SIGTERM or SIGHUP: say where the answers are, then exit 143 or 129
        raise
    finally:
        _close(workspace, say_stopped=stopped)


def _close(workspace: "Workspace", *, say_stopped: bool) -> None:
    """Close the answer file (releasing its lock) and say where every answer is saved."""
    last = workspace.audit
    workspace.close()
    if say_stopped:
        err(f"Stopped. Every answer is saved in {last.path}." if last is not None else "Stopped.")


def _open_workspace(answers: Path | None, checklist: str | None) -> tuple["Workspace", str]:
    """The folder to work in, with the answer file open if it exists; else the name to offer."""
    from safeaudit.serve.workspace import Workspace

    folder = (answers.parent if answers is not None else Path(".")).resolve()
    if not folder.is_dir():
        fail(f"{answers}: the folder {folder} does not exist; create it first or give another path")
    workspace = Workspace(folder, checklist)
    if checklist is not None:
        from safeaudit.checklists import load_checklist

        load_checklist(checklist)  # a wrong id or a broken file stops here, not in the browser
    if answers is not None and answers.exists():
        workspace.open(answers)
        for notice in workspace.notices:
            err(f"safeaudit: note: {notice}")
    elif answers is not None:
        return workspace, workspace.resolve(answers.name).name
    return workspace, ""

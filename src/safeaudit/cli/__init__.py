"""Command-line interface: thin wrappers that parse options, call the core and choose exit codes.

Only this package imports Typer and Rich. Each command module imports the core inside its
functions, so `safeaudit --help` stays fast; `--version` does not even load Typer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]


#: The module that registers each command, so running one command imports only its module.
#: A name missing here, or no longer registered by that module, loads every command instead.
COMMAND_MODULES = {
    "checklists": "checklists_cmd",
    "show": "checklists_cmd",
    "schema": "checklists_cmd",
    "diff": "lifecycle_cmd",
    "migrate": "lifecycle_cmd",
    "rollup": "lifecycle_cmd",
    "lint": "lint_cmd",
    "report": "report_cmd",
    "run": "run_cmd",
    "template": "run_cmd",
    "score": "score_cmd",
    "serve": "serve_cmd",
    "merge": "sharing_cmd",
    "signoff": "sharing_cmd",
}


def load_app(command: str | None = None) -> typer.Typer:
    """The Typer application with `command` registered, or every command (importing a module
    registers its commands); Typer lists commands in the order they are registered."""
    module = COMMAND_MODULES.get(command or "")
    if module is not None:
        import importlib

        from safeaudit.cli._app import app

        importlib.import_module(f"safeaudit.cli.{module}")
        if any(info.name == command for info in app.registered_commands):
            return app
    from safeaudit.cli import (  # noqa: F401
        checklists_cmd,
        lifecycle_cmd,
        lint_cmd,
        report_cmd,
        run_cmd,
        score_cmd,
        serve_cmd,
        sharing_cmd,
    )
    from safeaudit.cli._app import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return load_app()
    raise AttributeError(f"module 'safeaudit.cli' has no attribute {name!r}")


def _escape_unencodable_output() -> None:
    """Write characters the output encoding lacks as \\uXXXX instead of failing.

    Windows redirection (`safeaudit score ... > out`) often writes cp1252, which has no `✓`.
    """
    from safeaudit.display import register_error_handler

    handler = register_error_handler()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change
                reconfigure(errors=handler)


#: Where `safeaudit --help` keeps the text Typer printed, so the next `--help` prints it without
#: importing Typer (importing Typer alone takes about as long as `yamllint --version`).
HELP_KIND = "help"
#: The most a help text can be; anything bigger in the cache is not help.
_HELP_LIMIT = 64 * 1024


def _help_entry(args: list[str]) -> str | None:
    """The cache entry for the main help at this width with this code, or None for other
    commands. The name changes with safeaudit's version, the width Click will wrap to (from
    COLUMNS or the terminal, as `shutil.get_terminal_size` reads them) and the size and time of
    every file the help is made from, so it can never show stale text."""
    if args not in (["--help"], ["-h"]):
        return None
    from zlib import crc32

    from safeaudit import __version__

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    width = max(min(columns or 80, 100) - 2, 50)  # Click: max_content_width 100
    here = os.path.dirname(os.path.abspath(__file__))
    sources = [os.path.join(here, name) for name in sorted(os.listdir(here))]
    for package in ("typer", "click"):
        for folder in sys.path:
            candidate = os.path.join(folder or ".", package, "__init__.py")
            if os.path.isfile(candidate):
                sources.append(candidate)
                break
    stamp = ";".join(
        f"{source}:{info.st_size}:{info.st_mtime_ns}"
        for source in sources
        if source.endswith(".py") and (info := os.stat(source))
    )
    return f"{__version__}-w{width}-{crc32(stamp.encode('utf-8')):08x}.txt"


def _help_checksum(text: bytes) -> bytes:
    from zlib import crc32

    return b"%08x" % crc32(text)


def _print_cached_help(entry: str | None) -> None:
    """Print the kept help text and exit, if there is one for this entry and it is whole: the
    file is a checksum line, then the text."""
    if entry is None:
        return
    from safeaudit import cache

    data = cache.read(HELP_KIND, entry)
    if data is None or len(data) > _HELP_LIMIT:
        return
    checksum, _, body = data.partition(b"\n")
    if checksum != _help_checksum(body) or not body.startswith(b"Usage: safeaudit "):
        return
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return
    sys.stdout.write(text)
    sys.stdout.flush()
    sys.exit(0)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI, turning every error a user can cause into one sentence and an exit code.

    Typer handles usage errors itself (exit 2); our own errors come out of it as exceptions.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from safeaudit import __version__

        print(f"safeaudit {__version__}")
        sys.exit(0)
    # safeaudit uses no pydantic plugins; looking for them scans every installed package.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _escape_unencodable_output()
    help_entry = _help_entry(args)
    _print_cached_help(help_entry)
    # The callback's options (--debug, --help, ...) take no values: the first other word is
    # the command.
    app = load_app(next((arg for arg in args if not arg.startswith("-")), None))
    from safeaudit import errors
    from safeaudit.cli._app import err, state
    from safeaudit.output import Terminated, stop_on_terminate

    errors.listen(lambda message: err(f"safeaudit: warning: {message}"))

    try:
        with stop_on_terminate():
            if help_entry is not None:
                _run_and_keep_help(app, args, help_entry)
            app(args=list(argv) if argv is not None else None, prog_name="safeaudit")
    except KeyboardInterrupt:
        err("safeaudit: interrupted")
        sys.exit(errors.EXIT_INTERRUPTED)
    except Terminated as stop:
        # Locks are released and files finished on the way out; nothing half-written is left.
        err("safeaudit: stopped")
        sys.exit(128 + stop.signum)
    except BrokenPipeError:
        # The reader of our output went away (`safeaudit schema | head`): not an error.
        sys.stderr.close()
        sys.exit(errors.EXIT_OK)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG or state.debug:
            raise
        # A name past the file system's limit (255 bytes a part) fails on any look at the
        # path, wherever in safeaudit that happens; it is the user's path, not a bug.
        err(
            f"safeaudit: {exc.filename}: SA001 a file or folder name in this path is too long "
            "for the file system (over 255 bytes); use a shorter name"
        )
        sys.exit(errors.EXIT_UNUSABLE)
    except Exception as exc:
        if not isinstance(exc, errors.SafeauditError):
            if state.debug:
                raise
            err(
                "safeaudit: internal error (a bug in safeaudit, not in your files); "
                "run the command again with --debug and report what it prints"
            )
            sys.exit(errors.EXIT_INTERNAL)
        if state.debug:
            import traceback

            traceback.print_exc()
        err(f"safeaudit: {exc.message}")
        for problem in exc.problems[1:10]:
            err(f"  {problem}")
        if len(exc.problems) > 10:
            err(f"  ... and {len(exc.problems) - 10} more")
        sys.exit(exc.exit_code)


def _run_and_keep_help(app: typer.Typer, args: list[str], entry: str) -> None:
    """Print the main help through Typer and keep the text for next time (never an error)."""
    import io

    from safeaudit import cache

    captured = io.StringIO()
    code: str | int | None = 0
    with contextlib.redirect_stdout(captured):
        try:
            app(args=args, prog_name="safeaudit")
        except SystemExit as stop:
            code = stop.code
    text = captured.getvalue()
    sys.stdout.write(text)
    sys.stdout.flush()
    if code in (0, None) and text.startswith("Usage: safeaudit ") and len(text) < _HELP_LIMIT:
        body = text.encode("utf-8")
        cache.write(HELP_KIND, entry, _help_checksum(body) + b"\n" + body)
    sys.exit(code)

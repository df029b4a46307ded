"""Every command function stays short enough to read at a glance: it parses options, calls the
core, prints and chooses the exit code; anything longer belongs in a helper or in the core."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[1] / "src" / "safeaudit" / "cli"

#: Lines of a command function's body, its docstring left out.
LONGEST = 40


def _is_command(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr == "command"
        for decorator in function.decorator_list
    )


def _body_lines(function: ast.FunctionDef) -> int:
    body = function.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    end = body[-1].end_lineno or body[-1].lineno
    return end - body[0].lineno + 1


def _commands() -> dict[str, int]:
    found = {}
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and _is_command(node):
                found[f"{path.name}:{node.name}"] = _body_lines(node)
    return found


def test_every_command_is_found() -> None:
    # The measure below means something only if it sees the commands.
    names = {name.split(":")[1] for name in _commands()}
    assert {"report_command", "merge_command", "signoff_command", "lint", "serve_command"} <= names


def test_no_command_function_is_long() -> None:
    long = {name: lines for name, lines in _commands().items() if lines > LONGEST}
    assert not long, f"command functions over {LONGEST} lines: {long}"

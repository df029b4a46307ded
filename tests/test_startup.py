"""Start-up: each command loads only its own module, and the map that says which is complete."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from safeaudit.cli import COMMAND_MODULES, load_app


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    app = load_app()
    registered = {
        info.name: info.callback.__module__.rsplit(".", 1)[-1]
        for info in app.registered_commands
        if info.name and info.callback
    }
    assert registered == COMMAND_MODULES


@pytest.mark.parametrize("command", ["report", "score", "lint"])
def test_a_command_imports_only_its_own_module(command: str) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['safeaudit', {command!r}, '--help']\n"
        "from safeaudit.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.endswith('_cmd')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = ast.literal_eval(out.split("LOADED", 1)[1].strip())
    own = f"safeaudit.cli.{COMMAND_MODULES[command]}"
    assert own in loaded
    others = {f"safeaudit.cli.{m}" for m in COMMAND_MODULES.values()} - {own}
    # `report` uses `score`'s loading code, nothing else
    assert not (set(loaded) & others) - {"safeaudit.cli.score_cmd"}, loaded


def test_an_unknown_command_still_gets_suggestions(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("reprot", "x.yaml")
    assert result.code == 2
    assert "report" in result.err

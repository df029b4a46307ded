"""Shared fixtures: the repository's folders and a way to run the CLI in-process."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKLISTS = ROOT / "checklists"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Never read or write the real user's cache folder (checklists cached by cache.py), here or in
# the commands tests run as subprocesses: one temporary folder for the whole run.
os.environ["SAFEAUDIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="safeaudit-test-cache-")
atexit.register(shutil.rmtree, os.environ["SAFEAUDIT_CACHE_DIR"], ignore_errors=True)


#: Tests that drive a pseudo-terminal, a web server or a browser: under pytest-xdist (the README's
#: `-n auto --dist loadgroup`) they all run on one worker, one after another, so they do not
#: compete with each other for the machine; the rest are shared out between the workers.
SERIAL_MODULES = frozenset(
    {"test_run_pty", "test_serve", "test_serve_browser", "test_report_browser"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in SERIAL_MODULES:
            item.add_marker(pytest.mark.xdist_group("serial"))


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    """Run `safeaudit ARGS...` in-process and return its exit code, stdout and stderr."""
    from safeaudit.cli import main
    from safeaudit.cli._app import state

    def run(*args: str) -> CliResult:
        state.debug = False
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """safeaudit never talks to the network: any attempt to connect fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("safeaudit tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

"""Fuzzing (hypothesis): shipped checklists and examples, mutated, never end in an internal error.

Each example mutates one file a few times (a value replaced by something hostile, a line
dropped, doubled or re-indented) and runs the main commands on it in-process. Whatever the
file has become, every command must end with exit 0, 1 or 2 and no traceback (issue 18).
The number of examples is kept small so the whole module runs in well under a minute.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
CHECKLISTS = sorted((ROOT / "checklists").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

#: Replacement values that have caused trouble somewhere: tags with values they cannot hold,
#: infinities, NaN, escapes, collections where text belongs, and very long text.
HOSTILE = [
    "!!timestamp 2026-02-30",
    "!!bool maybe",
    "!!int abc",
    "!!float ''",
    "!!map [a]",
    "!!set {a}",
    "!!binary aGk=",
    "!thing x",
    "1e999",
    "-1e999",
    "inf",
    ".nan",
    "nan",
    '"1e999"',
    "120000",
    "-5",
    "0",
    "~",
    "''",
    "[]",
    "{}",
    "[a, [b, {c: d}]]",
    "{x: 1, y: [2]}",
    "|\n  block\n  text",
    ">\n  folded",
    "&a x",
    "*a",
    '"\\e[31mred\\e]0;title\\a"',
    '"\\e]8;;http://example.com\\e\\\\link"',
    '=HYPERLINK("http://example.com")',
    "x" * 6000,
    "2026-13-01",
    "yes",
    "n/a",
    "true",
]

LINE = re.compile(r"^(\s*(?:- )?[^:#\n]+:) (.+)$")


@st.composite
def mutated(draw: st.DrawFn, files: list[Path]) -> tuple[str, str]:
    path = draw(st.sampled_from(files))
    lines = path.read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["value", "value", "value", "drop", "double", "indent"]))
        match = LINE.match(lines[index])
        if action == "value" and match:
            lines[index] = f"{match.group(1)} {draw(st.sampled_from(HOSTILE))}"
        elif action == "drop":
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = " " * draw(st.integers(min_value=0, max_value=7)) + lines[index].lstrip()
        if not lines:
            lines = ["x: 1"]
    return path.name, "\n".join(lines) + "\n"


class _Terminal:
    """Standard input that claims to be a terminal and has nothing to read."""

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return ""

    def read(self, *args: object) -> str:
        return ""


def _check(cli: Any, *args: object) -> None:
    result = cli(*args)
    assert result.code in (0, 1, 2), (args[0], result.code, result.err[-2000:])
    assert "Traceback" not in result.err
    assert "internal error" not in result.err


FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(case=mutated(CHECKLISTS))
def test_mutated_checklists(
    case: tuple[str, str], cli: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    name, text = case
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    _check(cli, "lint", path)
    _check(cli, "show", path)
    _check(cli, "diff", ROOT / "checklists" / name, path)


@FUZZ
@given(case=mutated(EXAMPLES))
def test_mutated_answer_files(
    case: tuple[str, str],
    cli: Any,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, text = case
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", _Terminal())
    _check(cli, "score", path)
    _check(cli, "report", path, "--json", "-", "--md", folder / "r.md")
    _check(cli, "rollup", path, "--csv", folder / "r.csv")

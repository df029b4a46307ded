"""The bad-input catalogue (tests/bad_inputs/cases.yaml): the loader on every file, and a small
command matrix.

Every broken file gets one clear message naming the file (and line and column where they
apply), the documented exit code and no traceback; an answer file is never changed.
`test_loader` checks what the loader says about each file, once. `test_command` runs each
command that reads the file on one case per family (the SA code), on every case whose outcome
differs for that command, and on the named pipe and the device; so a change to a loader message
shows as one failing loader test and a few command tests, not one failure per command.
"""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parent / "bad_inputs"
GOOD = HERE / "good"
GOOD_CHECKLIST = GOOD / "run-small.yaml"
GOOD_ANSWERS = GOOD / "answers.yaml"
CASES: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(
    (HERE / "cases.yaml").read_text(encoding="utf-8")
)

Args = Callable[[Path, Path], list[object]]

#: Characters a terminal acts on; none may appear in any output (tab and newline may).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Commands that read an answer file F (T is a scratch folder).
ANSWER_COMMANDS: dict[str, Args] = {
    "score": lambda f, t: ["score", f, "-c", "run-small"],
    "report": lambda f, t: ["report", f, "-c", "run-small", "--json", "-", "--html", t / "r.html"],
    "compare": lambda f, t: [
        "report",
        GOOD_ANSWERS,
        "-c",
        "run-small",
        "--md",
        t / "r.md",
        "--compare",
        f,
    ],
    "run": lambda f, t: ["run", "run-small", "-o", f],
    "migrate": lambda f, t: ["migrate", f, "--to", GOOD_CHECKLIST, "-o", t / "migrated.yaml"],
    "rollup": lambda f, t: ["rollup", f, "--csv", t / "rollup.csv"],
    # Merged with a good file for the same setting: only the broken file can fail.
    "merge": lambda f, t: ["merge", f, GOOD_ANSWERS, "-o", t / "merged.yaml"],
    "signoff": lambda f, t: ["signoff", f, "--name", "A. Governor", "--role", "Chair"],
}

#: Commands that read a checklist file F.
CHECKLIST_COMMANDS: dict[str, Args] = {
    "lint": lambda f, t: ["lint", f],
    "show": lambda f, t: ["show", f],
    "template": lambda f, t: ["template", f, "--setting", "primary", "-o", t / "template.yaml"],
    "score": lambda f, t: ["score", GOOD_ANSWERS, "-c", f],
    "report": lambda f, t: ["report", GOOD_ANSWERS, "-c", f, "--json", "-"],
    "run": lambda f, t: ["run", f, "-o", t / "new.yaml"],
    "diff-old": lambda f, t: ["diff", f, GOOD_CHECKLIST],
    "diff-new": lambda f, t: ["diff", GOOD_CHECKLIST, f],
    "migrate-to": lambda f, t: ["migrate", GOOD_ANSWERS, "--to", f, "-o", t / "m.yaml"],
    "migrate-from": lambda f, t: [
        "migrate",
        GOOD_ANSWERS,
        "--from",
        f,
        "--to",
        GOOD_CHECKLIST,
        "-o",
        t / "m.yaml",
    ],
}

#: The CLI command each entry above runs.
COMMAND_NAMES = {
    "compare": "report",
    "diff-old": "diff",
    "diff-new": "diff",
    "migrate-to": "migrate",
    "migrate-from": "migrate",
}


def _good_text() -> str:
    return GOOD_ANSWERS.read_text(encoding="utf-8")


#: Valid YAML of every shape that is neither a checklist nor an answer file (issue 12.2).
SHAPES = {
    "shape-block-scalars": "literal: |\n  hello\n  there\nfolded: >\n  some\n  text\n",
    "shape-unknown-keys": "foo: 1\nbar: [2, 3]\nbaz: {q: r}\n",
    "shape-number-keys": "1: a\n2: b\n",
    "shape-anchors": "base: &b {x: 1}\nother: *b\n",
    "shape-tagged-map": "!!map {a: 1}\n",
    "shape-empty-mapping": "{}\n",
    "shape-block-document": "--- |\n  only a block of text\n",
    "shape-boolean": "true\n",
    "shape-empty-document": "---\n...\n",
    "shape-list-of-mappings": "- id: x\n  title: y\n",
    "shape-tagged-set": "!!set {a, b}\n",
    "shape-tagged-binary": "data: !!binary aGVsbG8=\n",
    "shape-local-tag": "!thing {a: 1}\n",
    "shape-two-documents": "a: 1\n---\nb: 2\n",
}


def _alias_text_bomb(base: str) -> str:
    """One 200,000-character text aliased 1,000 times: 213 KB that expands to 200 MB."""
    return (
        base
        + "padding: &big "
        + "x" * 200_000
        + "\n"
        + "".join(f"copy{i}: *big\n" for i in range(1000))
    )


def _deep_block(levels: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(levels))


def _generated(name: str, kind: str, folder: Path) -> Path:
    """Make a generated case file in `folder` (or leave it missing) and return its path."""
    base = _good_text() if kind == "answers" else GOOD_CHECKLIST.read_text(encoding="utf-8")
    path = folder / f"{name}.yaml"
    makers: dict[str, Callable[[], bytes]] = {
        "empty": lambda: b"",
        "blank-and-comments": lambda: b"# nothing but a comment\n\n   \n# and another\n",
        "binary": lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "latin-1": lambda: (
            base.replace("Test Primary School", "Caf\u00e9 Primary")
            .replace("Small test checklist", "Caf\u00e9 checklist")
            .encode("latin-1")
        ),
        "utf-16": lambda: base.encode("utf-16"),
        "bom": lambda: b"\xef\xbb\xbf" + base.encode("utf-8"),
        "crlf": lambda: base.replace("\n", "\r\n").encode("utf-8"),
        "bom-crlf": lambda: b"\xef\xbb\xbf" + base.replace("\n", "\r\n").encode("utf-8"),
        "nested-30000": lambda: ("x: " + "[" * 30000 + "]" * 30000 + "\n").encode(),
        "nested-block-1200": lambda: _deep_block(1200).encode(),
        "nested-sequences-600": lambda: ("- " * 600 + "x\n").encode(),
        "long-line": lambda: (base + "long_note: " + "x" * 1_000_000 + "\n").encode(),
        "alias-text-bomb": lambda: _alias_text_bomb(base).encode(),
        "long-question-text": lambda: base.replace(
            "text: Is there a written online safety policy?", "text: " + "x" * 2_000_000
        ).encode(),
        **{name: functools.partial(str.encode, text) for name, text in SHAPES.items()},
    }
    if name == "long-file-name":
        return folder / ("x" * 300 + ".yaml")  # never created: no file system allows it
    if name == "folder":
        path.mkdir()
    elif name == "named-pipe":
        os.mkfifo(path)  # nobody writes to it: a command that opened it would wait for ever
    elif name == "device":
        path.symlink_to(os.devnull)
    elif name == "link-to-nothing":
        path.symlink_to(folder / "deleted" / "answers.yaml")
    elif name == "missing":
        pass
    elif name == "unreadable":
        path.write_text(base, encoding="utf-8")
        path.chmod(0)
    elif name == "fifty-megabytes":
        with path.open("wb") as handle:
            handle.write(b"# padding\n")
            block = b"# " + b"x" * 1021 + b"\n"
            for _ in range(50 * 1024):
                handle.write(block)
    else:
        path.write_bytes(makers[name]())
    return path


def _readable_file(path: Path) -> bool:
    try:
        return path.is_file() and os.access(path, os.R_OK)
    except OSError:  # a name too long for the file system
        return False


@dataclass(frozen=True)
class Case:
    kind: str  # "answers" or "checklists"
    name: str
    command: str  # "" for the loader itself
    spec: dict[str, Any]
    generated: bool


def _specs(kind: str) -> list[tuple[str, dict[str, Any], bool]]:
    """Every case of one kind of file: the committed files, then the generated ones."""
    specs = [(name, spec or {}, False) for name, spec in CASES[kind].items()]
    specs += [
        (name, spec or {}, True)
        for name, spec in CASES["generated"].items()
        if kind in (spec or {}).get("kinds", [kind])
    ]
    return specs


def _overrides(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {**(spec.get(f"{kind}-commands") or {}), **(spec.get("commands") or {})}


#: Files every command must refuse without opening: one that opened the named pipe would wait
#: for ever, and one that read or wrote the device would act on it. Each goes through every
#: command; the other non-files (a folder, a missing file, ...) are one family like the rest.
NOT_FILES = frozenset({"named-pipe", "device"})


def _loader_cases() -> Iterator[Any]:
    for kind in ("answers", "checklists"):
        for name, spec, generated in _specs(kind):
            yield pytest.param(Case(kind, name, "", spec, generated), id=f"{kind}-{name}")


def _command_cases() -> Iterator[Any]:
    """A small matrix: per command, one case of each family (the SA code a file fails with, or
    "accepted"), every case whose outcome differs for that command, and every non-file.

    What the loader says about each file is checked once, by test_loader; these check that each
    command passes the loader's message on as one clear error with the right exit code, writes
    nothing half-done and leaves the answer file as it was.
    """
    for kind, commands in (("answers", ANSWER_COMMANDS), ("checklists", CHECKLIST_COMMANDS)):
        specs = _specs(kind)
        for command in commands:
            families: set[str] = set()
            for name, spec, generated in specs:
                family = str(spec.get("code") or "accepted")
                if (
                    family in families
                    and name not in NOT_FILES
                    and command not in _overrides(kind, spec)
                ):
                    continue
                families.add(family)
                case = Case(kind, name, command, spec, generated)
                yield pytest.param(case, id=f"{kind}-{name}-{command}")


def _expected(case: Case) -> dict[str, Any]:
    spec = dict(case.spec)
    exit_code = spec.get("exit", 2)
    if case.command == "lint" and "lint" in spec:
        exit_code = spec["lint"]
    expected = {
        "exit": exit_code,
        "code": spec.get("code"),
        "at": spec.get("at"),
        "words": spec.get("words", []),
        "file": True,
    }
    if case.command:
        expected.update(_overrides(case.kind, spec).get(case.command) or {})
    return expected


def _make(case: Case, folder: Path) -> Path:
    if case.generated:
        return _generated(case.name, case.kind, folder)
    path = folder / f"{case.name}.yaml"
    path.write_bytes((HERE / case.kind / f"{case.name}.yaml").read_bytes())
    return path


@pytest.mark.parametrize("case", list(_loader_cases()))
def test_loader(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each bad file, loaded once: the error's code, file, line and column, and its words."""
    from safeaudit.audit import load_audit
    from safeaudit.checklists import load_checklist
    from safeaudit.display import terminal_safe
    from safeaudit.errors import SafeauditError

    if case.name == "unreadable" and os.geteuid() == 0:
        pytest.skip("running as root, which can read any file")
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    expected = _expected(case)
    path = _make(case, tmp_path)
    before = path.read_bytes() if _readable_file(path) else None

    def load() -> object:
        if case.kind == "answers":
            return load_audit(path, "run-small")
        return load_checklist(str(path))

    if expected["exit"] == 0:
        load()
        return
    with pytest.raises(SafeauditError) as raised:
        load()
    error = raised.value
    assert error.exit_code == expected["exit"]
    first = terminal_safe(error.message)
    assert not CONTROL.search(first)
    location = str(path) + (f":{expected['at']}" if expected["at"] else "")
    assert first.startswith((location + ":", location + " ")), first
    if expected["code"]:
        assert f" {expected['code']} " in first, first
    text = "\n".join([first, *(terminal_safe(str(p)) for p in error.problems)])
    for words in expected["words"]:
        assert words in text, (words, text)
    if before is not None:
        assert path.read_bytes() == before, "the file was changed"


class _FakeTerminal(io.StringIO):
    """Standard input that claims to be a terminal and has nothing to read (EOF)."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("case", list(_command_cases()))
def test_command(case: Case, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _expected(case)
    if case.name == "unreadable" and os.geteuid() == 0:
        pytest.skip("running as root, which can read any file")
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    monkeypatch.setattr(sys, "stdin", _FakeTerminal())
    cases = tmp_path / "cases"
    cases.mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    path = _make(case, cases)
    before = path.read_bytes() if _readable_file(path) else None
    args = (ANSWER_COMMANDS if case.kind == "answers" else CHECKLIST_COMMANDS)[case.command]
    result = cli(*args(path, scratch))
    output = result.out + result.err
    assert "Traceback" not in output
    # Control characters from a file never reach the terminal (issue 18.4).
    assert not CONTROL.search(output), CONTROL.search(output)
    assert "internal error" not in result.err
    assert result.code == expected["exit"], output
    if before is not None and not (case.command == "signoff" and expected["exit"] == 0):
        assert path.read_bytes() == before, "the file was changed"
    if expected["exit"] in (0, 130):
        return
    # Nothing half-written: no report, template or migrated file, and no temporary file.
    written = {p.name for p in scratch.iterdir()}
    half_written = {"r.html", "r.md", "template.yaml", "m.yaml", "migrated.yaml", "merged.yaml"}
    assert not written & half_written, written
    assert not [p for p in cases.iterdir() if p.name.endswith((".tmp", ".lock"))]
    for words in expected["words"]:
        assert words in output, (words, output)
    if not expected["file"]:
        return
    lines = (result.out if case.command == "lint" else result.err).splitlines()
    if case.command == "lint":  # the cases are about errors; a warning may come first
        lines = [line for line in lines if not line.endswith("(warning)")]
    first = next(line for line in lines if str(path) in line)
    location = str(path) + (f":{expected['at']}" if expected["at"] else "")
    if case.command == "rollup" and expected["at"]:
        # The roll-up lists each skipped file as `FILE: line N: reason`.
        location = f"{path}: line {expected['at'].split(':')[0]}"
    assert location + ":" in first or location + " " in first, first
    if expected["code"] and case.command != "rollup":  # the roll-up lists reasons only
        assert f" {expected['code']} " in first, first
    if case.command != "lint" and case.command != "rollup":
        errors = [line for line in result.err.splitlines() if line.startswith("safeaudit:")]
        assert len(errors) == 1, result.err  # one message (further problems are indented)


def test_every_command_is_in_the_matrix() -> None:
    """Every command that reads an answer or checklist file is run on the catalogue."""
    from safeaudit.cli import app

    built = {command.name for command in app.registered_commands if command.name}
    named = {COMMAND_NAMES.get(c, c) for c in [*ANSWER_COMMANDS, *CHECKLIST_COMMANDS]}
    assert named <= built


def test_catalogue_is_complete() -> None:
    """Every file in the catalogue has a case, and every case a file."""
    for kind in ("answers", "checklists"):
        files = {p.stem for p in (HERE / kind).glob("*.yaml")}
        assert files == set(CASES[kind]), kind


@pytest.mark.parametrize(
    ("kind", "name", "args"),
    [
        ("answers", "syntax-deep", ["score", "-c", "run-small"]),
        ("answers", "alias-bomb", ["report", "--json", "-"]),
        ("checklists", "type-kind", ["show"]),
    ],
)
def test_debug_shows_the_traceback_too(
    kind: str, name: str, args: list[str], tmp_path: Path
) -> None:
    path = HERE / kind / f"{name}.yaml"
    env = {**os.environ, "SAFEAUDIT_CHECKLIST_PATH": str(GOOD)}
    command = [sys.executable, "-m", "safeaudit", "--debug", args[0], str(path), *args[1:]]
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, check=False, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].startswith(f"safeaudit: {path}:")
    plain = subprocess.run(
        [a for a in command if a != "--debug"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr
    assert plain.stderr.startswith(f"safeaudit: {path}:")


def test_good_fixtures_are_good(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    assert cli("lint", GOOD_CHECKLIST).code == 0
    assert cli("score", GOOD_ANSWERS).code == 0

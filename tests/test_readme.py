"""README.md's commands, run as typed, so the README can never drift from the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: The folder holding the `safeaudit` command of the environment running the tests.
BIN = Path(sys.executable).parent

#: `python3 -m venv .venv && .venv/bin/pip install ... && REST`: the set-up commands.
_SETUP = re.compile(r"^python3 -m venv \.venv && \.venv/bin/pip install -q (\S+) && (.+)$")


def _sh_blocks(text: str) -> list[list[str]]:
    """Every ```sh block of the README, as its command lines (comments and blanks dropped)."""
    blocks = re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)
    return [
        [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]
        for block in blocks
    ]


BLOCKS = _sh_blocks(README.read_text(encoding="utf-8"))
SETUP = [line for block in BLOCKS for line in block if _SETUP.match(line)]
USING = [line for block in BLOCKS for line in block if not _SETUP.match(line)]


def _workspace(tmp_path: Path) -> Path:
    """A folder laid out as the README assumes: the repository's checklists and examples, plus
    the files its commands name that a person would already have."""
    work = tmp_path / "work"
    work.mkdir()
    for folder in ("checklists", "examples"):
        shutil.copytree(ROOT / folder, work / folder)
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    # What `run` would have written, and last year's answers for --compare.
    shutil.copy(ROOT / "examples" / "primary-kcsie-2026.yaml", work / "answers.yaml")
    shutil.copy(ROOT / "examples" / "primary-kcsie-2025.yaml", work / "last-year.yaml")
    audits = work / "audits"
    audits.mkdir()
    for example in examples:
        shutil.copy(example, audits / example.name)
    return work


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("SAFEAUDIT_CHECKLIST_PATH", None)
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readme_has_the_two_setup_commands() -> None:
    assert len(SETUP) == 2, SETUP
    run_main_job, run_tests = SETUP
    assert " . " in f" {run_main_job} " or "install -q . " in run_main_job
    assert "'.[test]'" in run_tests and "pytest" in run_tests


def test_ci_calls_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert SETUP[1] in ci


def test_first_setup_command_writes_the_report(tmp_path: Path) -> None:
    """The part after the install, run with this environment's `safeaudit`."""
    match = _SETUP.match(SETUP[0])
    assert match is not None
    command = match.group(2).replace(".venv/bin/", "")
    work = _workspace(tmp_path)
    result = _shell(command, work)
    assert result.returncode == 0, result.stderr
    report = work / "report.html"
    assert report.stat().st_mode & 0o077 == 0, "the report must be readable only by its owner"
    assert "<h1" in report.read_text(encoding="utf-8")


def test_every_using_command_runs_as_typed(tmp_path: Path) -> None:
    assert any(line.startswith("safeaudit run ") for line in USING)
    work = _workspace(tmp_path)
    for line in USING:
        if line.startswith("safeaudit serve "):  # a web server: runs until Ctrl-C
            _serve_until_ctrl_c(line, work)
            continue
        result = _shell(line, work)
        output = result.stdout + result.stderr
        assert "Traceback" not in output, (line, output)
        if line.startswith(". "):  # activating the virtual environment
            continue
        if line.startswith("safeaudit run "):
            # Interactive: with no terminal it refuses in one sentence rather than hanging.
            assert result.returncode == 2, (line, output)
            assert "terminal" in result.stderr, (line, output)
            continue
        # 1 means findings (a statutory gap, changes between checklists), not a failure.
        assert result.returncode in (0, 1), (line, result.returncode, output)
    # What the commands promise to write is there, and private where it holds answers.
    for name in ("answers-by-hand.yaml", "report.html", "report-compared.html", "trust.html"):
        assert (work / name).is_file(), name
    for name in ("answers-by-hand.yaml", "answers-2026.yaml"):
        assert (work / name).stat().st_mode & 0o077 == 0, name


def _serve_until_ctrl_c(line: str, work: Path) -> None:
    """`safeaudit serve` runs until Ctrl-C: it must print its address, then stop cleanly."""
    import signal

    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["BROWSER"] = "true"  # the browser it opens is the `true` command: nothing opens here
    command = line.split("#", 1)[0].split()
    process = subprocess.Popen(
        command,
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as at a terminal: a script or CI job that started the tests in the background
        # ignores SIGINT, and a child inherits that, so the interrupt sent the moment the address
        # appears (before uvicorn takes SIGINT over) was lost and the server ran on.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert re.match(r"safeaudit is ready at http://127\.0\.0\.1:\d+/\?token=", first), first
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, (line, err)
    assert "Stopped. Every answer is saved" in err, (line, err)


def test_readme_commands_never_overwrite_each_other() -> None:
    """Following the README in order must not replace a file an earlier line wrote."""
    written: dict[str, str] = {}
    for line in USING:
        for name in re.findall(r"(?:-o|--html|--csv|--md|--json|>)\s+(\S+)", line):
            assert name not in written, f"{name} is written by both `{written[name]}` and `{line}`"
            written[name] = line


@pytest.mark.parametrize("path", [README, ROOT / ".pre-commit-hooks.yaml"])
def test_pre_commit_rev_is_a_real_release(path: Path) -> None:
    """A `rev:` in the instructions is a commit that the changelog names and git knows."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    revs = re.findall(r"rev: (\S+)", path.read_text(encoding="utf-8"))
    assert revs
    for rev in revs:
        assert re.fullmatch(r"[0-9a-f]{40}", rev), f"{rev} is not a full commit id"
        assert rev in changelog, f"{rev} is not a release named in CHANGELOG.md"
        if (ROOT / ".git").exists():
            known = subprocess.run(
                ["git", "-C", str(ROOT), "cat-file", "-e", f"{rev}^{{commit}}"],
                capture_output=True,
            )
            assert known.returncode == 0, f"{rev} is not a commit in this repository"

"""A write that fails part-way leaves the previous answer file or report exactly as it was."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safeaudit import store
from safeaudit.answers import load_answers
from safeaudit.checklists import load_checklist_file
from safeaudit.errors import WriteError
from safeaudit.questionnaire.navigation import Session

GOOD = Path(__file__).resolve().parent / "bad_inputs" / "good"
PREVIOUS = b"# the previous file\nkeep: me\n"


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


@pytest.mark.parametrize("step", ["replace", "fsync", "chmod", "write"])
def test_failed_write_leaves_previous_file(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "answers.yaml"
    target.write_bytes(PREVIOUS)
    if step == "write":
        real_fdopen = os.fdopen

        class HalfWritten:
            """A file that takes some bytes and then reports a full disk."""

            def __init__(self, fd: int, *args: Any, **kwargs: Any) -> None:
                self.handle = real_fdopen(fd, *args, **kwargs)

            def __enter__(self) -> HalfWritten:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: Any) -> int:
                self.handle.write(data[:10])
                _full_disk()
                return 0

        monkeypatch.setattr(os, "fdopen", HalfWritten)
    else:
        monkeypatch.setattr(os, step, _full_disk)
    with pytest.raises(WriteError) as caught:
        store.atomic_write_text(target, "new: content\n" * 1000)
    assert target.read_bytes() == PREVIOUS
    assert _leftovers(tmp_path) == []
    message = caught.value.message
    assert message == (
        f"{target}: could not be written (No space left on device); "
        "the previous file, if any, is unchanged"
    )
    assert "\n" not in message


def test_written_files_are_private(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    store.atomic_write_text(target, "a: 1\n")
    assert target.stat().st_mode & 0o777 == 0o600
    target.chmod(0o644)
    store.atomic_write_text(target, "a: 2\n")  # replacing a file makes it private again
    assert target.stat().st_mode & 0o777 == 0o600


def test_report_write_failure(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    html, md = tmp_path / "report.html", tmp_path / "report.md"
    html.write_bytes(PREVIOUS)
    md.write_bytes(PREVIOUS)
    monkeypatch.setattr(os, "replace", _full_disk)
    result = cli("report", GOOD / "answers.yaml", "--html", html, "--md", md)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.strip().splitlines()[-1] == (
        f"safeaudit: {html}: could not be written (No space left on device); the previous "
        "file, if any, is unchanged"
    )
    assert html.read_bytes() == PREVIOUS and md.read_bytes() == PREVIOUS
    assert _leftovers(tmp_path) == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_run_tells_the_user_when_a_save_fails(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`run` saves after every answer: a failed save keeps the old file and says so."""
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    answers = tmp_path / "answers.yaml"
    before = (
        (GOOD / "answers.yaml")
        .read_bytes()
        .replace(b'policy.written:\n    value: "yes"', b'policy.written:\n    value: "no"')
    )
    answers.write_bytes(before)
    monkeypatch.setattr(sys, "stdin", _Terminal("y\n\n\n\n\n"))
    monkeypatch.setattr(os, "replace", _full_disk)
    result = cli("run", "run-small", "-o", answers, "--review")
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.out + result.err
    assert "No space left on device" in result.err and "unchanged" in result.err
    assert answers.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_session_save_failure_leaves_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checklist = load_checklist_file(GOOD / "run-small.yaml")
    path = tmp_path / "answers.yaml"
    shutil.copy(GOOD / "answers.yaml", path)
    before = path.read_bytes()
    answers, _doc = load_answers(path)
    session = Session(
        checklist, answers, review=True, save=lambda new: store.save_answers(path, new)
    )
    monkeypatch.setattr(os, "fsync", _full_disk)
    with pytest.raises(WriteError):
        session.respond("n")
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KB file system, where mounting is allowed (root in a sandbox)."""
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root on Linux")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_real_full_disk(small_disk: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))
    answers = small_disk / "answers.yaml"
    shutil.copy(GOOD / "answers.yaml", answers)
    before = answers.read_bytes()
    with pytest.raises(WriteError, match="No space left on device"):
        store.atomic_write_text(answers, "x" * 200_000)
    assert answers.read_bytes() == before
    assert _leftovers(small_disk) == []
    # The report of an answer file on the full disk: the error, and nothing left behind.
    filler = small_disk / "filler"
    with filler.open("wb") as handle, pytest.raises(OSError):
        handle.write(b"\0" * 100_000)
        handle.flush()
        os.fsync(handle.fileno())
    result = cli("report", answers, "--html", small_disk / "report.html")
    assert result.code == 2
    assert "could not be written" in result.err and "Traceback" not in result.err
    assert not (small_disk / "report.html").exists()
    assert _leftovers(small_disk) == []
    assert answers.read_bytes() == before

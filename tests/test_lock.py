"""The answer-file lock: one run at a time, stale locks recovered, removed on the way out."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from safeaudit.errors import LockHeld
from safeaudit.lock import AnswerLock, LockInfo, lock_path, pid_running, this_host


def write_lock(path: Path, pid: int, host: str, since: dt.datetime) -> Path:
    lock = lock_path(path)
    lock.write_text(LockInfo(pid, host, since).text(), encoding="utf-8")
    return lock


def test_lock_is_created_exclusively_and_removed(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    with AnswerLock(answers) as held:
        lock = tmp_path / "answers.yaml.lock"
        assert lock.exists()
        info = LockInfo.parse(lock.read_text(encoding="utf-8"))
        assert info is not None and info.pid == os.getpid() and info.host == this_host()
        assert held.notices == []
        with pytest.raises(LockHeld, match=rf"process {os.getpid()} on this computer"):
            AnswerLock(answers).acquire()
    assert not lock.exists()


def test_lock_removed_when_an_error_escapes(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    with pytest.raises(KeyboardInterrupt), AnswerLock(answers):
        raise KeyboardInterrupt
    assert not lock_path(answers).exists()


def test_lock_of_a_dead_process_is_recovered(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    write_lock(answers, 999_999_999, this_host(), dt.datetime.now())
    lock = AnswerLock(answers, is_running=lambda pid: False)
    with lock:
        assert "no longer running" in lock.notices[0]
    assert not lock_path(answers).exists()


def test_old_lock_is_recovered_even_from_another_computer(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    write_lock(answers, 1, "elsewhere", dt.datetime.now() - dt.timedelta(hours=13))
    with AnswerLock(answers) as lock:
        assert "more than 12 hours" in lock.notices[0]


def test_recent_lock_from_another_computer_is_respected(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    write_lock(answers, 1, "office-pc", dt.datetime.now() - dt.timedelta(hours=1))
    with pytest.raises(LockHeld, match="the computer office-pc") as caught:
        AnswerLock(answers).acquire()
    assert "answers.yaml.lock" in caught.value.message
    assert lock_path(answers).exists()  # someone else's lock is never removed


def test_unreadable_lock_waits_then_is_recovered(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    lock_path(answers).write_text("", encoding="utf-8")
    with pytest.raises(LockHeld):
        AnswerLock(answers).acquire()
    later = AnswerLock(answers, clock=lambda: dt.datetime.now() + dt.timedelta(minutes=5))
    with later:
        assert "could not be read" in later.notices[0]


def test_release_leaves_a_lock_that_is_not_ours(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    lock = AnswerLock(answers)
    lock.acquire()
    write_lock(answers, 4242, "other", dt.datetime.now())
    lock.release()
    assert lock_path(answers).exists()


def test_pid_running() -> None:
    assert pid_running(os.getpid())
    assert not pid_running(0)
    assert not pid_running(999_999_999)

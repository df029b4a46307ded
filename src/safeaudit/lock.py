"""A lock file that stops two commands (`run`, `signoff`, `merge`...) writing one answer file at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from safeaudit.display import long_date
from safeaudit.errors import LockHeld

#: A lock older than this is treated as left behind, whoever holds it.
STALE_AFTER = dt.timedelta(hours=12)

#: A lock file that cannot be read (half-written by a crash) is left alone for this long first.
UNREADABLE_GRACE = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock: process id, computer name and when it was taken."""

    pid: int
    host: str
    since: dt.datetime
    #: The safeaudit command holding it (`run`, `signoff`...); empty in older lock files.
    command: str = ""

    def text(self) -> str:
        line = f"command: {self.command}\n" if self.command else ""
        return f"pid: {self.pid}\nhost: {self.host}\nsince: {self.since.isoformat()}\n{line}"

    @classmethod
    def parse(cls, text: str) -> LockInfo | None:
        fields: dict[str, str] = {}
        for line in text.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip()] = value.strip()
        try:
            return cls(
                int(fields["pid"]),
                fields["host"],
                dt.datetime.fromisoformat(fields["since"]),
                # Only a command name: never text from the file that could upset a terminal.
                "".join(c for c in fields.get("command", "") if c.isascii() and c.isalpha()),
            )
        except (KeyError, ValueError):
            return None


def lock_path(path: Path) -> Path:
    """`answers.yaml` is locked by `answers.yaml.lock` beside it."""
    return path.with_name(path.name + ".lock")


def locked_file(path: Path) -> Path:
    """The file a lock protects: the file a link points to, so a link and its file share one."""
    path = Path(path)
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def this_host() -> str:
    return socket.gethostname() or "this computer"


def pid_running(pid: int) -> bool:
    """Whether a process with this id is running on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)  # signal 0 only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists but belongs to someone else
    except OSError:
        return False
    return True


def _windows_pid_running(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows, so ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    query_limited, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited, False, pid)
    if not handle:
        return bool(kernel32.GetLastError() == access_denied)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == still_active)
    finally:
        kernel32.CloseHandle(handle)


class AnswerLock:
    """Hold `FILE.lock` while a command writes FILE; recover locks left by runs that died.

    Every command that writes an answer file takes it: `run` for the whole session, the others
    (`signoff`, `merge -o`, `migrate -o`, `template -o`) while they read, change and write it.
    `wait` is how many seconds to keep trying while another command holds it.
    """

    def __init__(
        self,
        path: Path,
        *,
        command: str = "run",
        wait: float = 0.0,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        is_running: Callable[[int], bool] = pid_running,
    ) -> None:
        self.path = Path(path)
        self.lock = lock_path(locked_file(self.path))
        self.command = command
        self.wait = wait
        self.clock = clock
        self.is_running = is_running
        self.notices: list[str] = []
        self._mine: str | None = None

    def stale_reason(self, info: LockInfo | None) -> str | None:
        """Why an existing lock can be taken over, or None if its holder may still be at work."""
        current = self.clock()
        if info is None:
            try:
                modified = dt.datetime.fromtimestamp(self.lock.stat().st_mtime)
            except OSError:
                return "it could not be read"
            return "it could not be read" if current - modified > UNREADABLE_GRACE else None
        if current - info.since > STALE_AFTER:
            return f"it was taken more than {int(STALE_AFTER.total_seconds() // 3600)} hours ago"
        if info.host == this_host() and not self.is_running(info.pid):
            return f"the run that took it (process {info.pid}) is no longer running"
        return None

    def acquire(self) -> None:
        """Take the lock, or raise LockHeld naming who has it (after `wait` seconds of trying)."""
        deadline = time.monotonic() + self.wait
        while True:
            try:
                self._try_acquire()
                return
            except LockHeld:
                holder = self._read()
                # A run or serve holds its file for as long as someone is answering: no use waiting.
                if time.monotonic() >= deadline or (
                    holder and holder.command in ("", "run", "serve")
                ):
                    raise
            time.sleep(0.05)

    def _try_acquire(self) -> None:
        info_text = LockInfo(
            os.getpid(), this_host(), self.clock().replace(microsecond=0), self.command
        ).text()
        for _attempt in range(3):
            try:
                fd = os.open(self.lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                info = self._read()
                reason = self.stale_reason(info)
                if reason is None:
                    raise LockHeld(self._held_message(info)) from None
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.lock)
                self.notices.append(
                    f"{self.path} was locked by an earlier run, but {reason}; "
                    "the lock has been cleared"
                )
                continue
            except FileNotFoundError:
                raise LockHeld(
                    f"{self.path}: the folder {self.path.parent} does not exist"
                ) from None
            except OSError as exc:
                raise LockHeld(
                    f"{self.lock}: cannot create the lock file ({exc.strerror or exc})"
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(info_text)
            self._mine = info_text
            return
        raise LockHeld(f"{self.path} is locked by another run that keeps starting; try again")

    def release(self) -> None:
        """Remove the lock if it is still ours (never another run's)."""
        if self._mine is None:
            return
        try:
            if self.lock.read_text(encoding="utf-8") == self._mine:
                self.lock.unlink()
        except OSError:
            pass
        self._mine = None

    def _read(self) -> LockInfo | None:
        try:
            return LockInfo.parse(self.lock.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None

    def _held_message(self, info: LockInfo | None) -> str:
        what = "run" if info is None or info.command in ("", "run") else "command"
        if info is None:
            who = "another safeaudit run"
        else:
            where = "this computer" if info.host == this_host() else f"the computer {info.host}"
            name = "run" if what == "run" else f"command (`safeaudit {info.command}`"
            opening = f"another safeaudit {name}" + (" (" if what == "run" else ", ")
            who = f"{opening}process {info.pid} on {where}, since {long_date(info.since)} {info.since:%H:%M})"
        return (
            f"{self.path} is being used by {who}; finish that {what} first, or if it has "
            f"stopped for good, delete {self.lock}"
        )

    def __enter__(self) -> AnswerLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()

"""Writing output files: only ever an ordinary file or a new one, atomically, privately.

Every command that writes a file (answer files, reports, roll-ups, templates) goes through
`write_file`, or `write_output` where `-` means standard output. A target that exists but is
not an ordinary file (a device such as /dev/null, a named pipe, a socket, a folder) is refused
before anything is written, so running as an administrator can never replace a device with a
regular file. A link is followed: the file it points to is replaced, and the link kept.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from safeaudit.errors import WriteError

#: Answer files and reports hold safeguarding information: owner-only access.
PRIVATE_MODE = 0o600

#: An output option given as this means standard output, where the command allows it.
STDOUT = "-"

#: Signals held back while a file is being replaced, then delivered once it is done.
_HELD_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")


def kind_of(mode: int) -> str:
    """What a non-regular file is, in plain words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def real_target(path: Path, *, stream_ok: bool = False) -> Path:
    """The file to replace for `path`: itself, or what a link points to; refuse anything else.

    Raises WriteError when the target exists and is not an ordinary file, or is a link to
    nothing.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path  # a new file
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written: {exc.strerror or exc}") from None
    target = path
    if stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        try:
            info = os.stat(target)
        except FileNotFoundError:
            raise WriteError(
                f"{path}: is a link to {target}, which does not exist; give the file name "
                "itself, or remove the link"
            ) from None
        except OSError as exc:
            raise WriteError(f"{path}: cannot be written: {exc.strerror or exc}") from None
    if stat.S_ISREG(info.st_mode):
        return target
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(f"{path}: is a folder; give a file name to write to")
    hint = "; to write to the screen, give - instead" if stream_ok else ""
    raise WriteError(
        f"{path}: is {kind_of(info.st_mode)}, not an ordinary file, so safeaudit will not "
        f"write to it; give the name of a file{hint}"
    )


class Terminated(BaseException):
    """SIGTERM or SIGHUP: stop, letting every `with` block (locks, files) finish on the way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def handlers_installed(
    names: tuple[str, ...], handler: Any, *, keep_ignored: bool = False
) -> Iterator[None]:
    """Handle each named signal this platform has with `handler` for the block, then restore.

    Signals can only be handled in the main thread; elsewhere this does nothing. A handler set
    outside Python is left alone, and with `keep_ignored` so is an ignored signal (`nohup`).
    """
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in names:
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            with contextlib.suppress(ValueError, OSError, TypeError):
                old = signal.getsignal(sig)
                if old is None or (keep_ignored and old == signal.SIG_IGN):
                    continue
                signal.signal(sig, handler)
                previous[sig] = old
    try:
        yield
    finally:
        for sig, old in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(sig, old)


@contextlib.contextmanager
def stop_on_terminate() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into Terminated for the block, so a command that is stopped
    still removes its lock; the exit code is then 128 + the signal number (143, 129)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    with handlers_installed(("SIGTERM", "SIGHUP"), stop, keep_ignored=True):
        yield


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP until the block ends, then deliver them.

    A file being replaced is then always either finished or untouched, never left as a
    temporary file. Signals can only be handled in the main thread; elsewhere this does nothing.
    """
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    try:
        with handlers_installed(_HELD_SIGNALS, hold):
            yield
    finally:
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)


def write_file(path: Path, data: str | bytes) -> Path:
    """Replace `path` (or the file a link points to) with `data` in one step, owner-only.

    Writes a temporary file in the same folder, flushes it to disk, then renames it over the
    target, so a crash, a full disk or a signal leaves either the old file or the new one,
    never a mix and never a temporary file. Returns the file actually written.
    """
    path = Path(path)
    target = real_target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    with signals_held():
        try:
            handle, temp_name = tempfile.mkstemp(
                dir=folder, prefix=f".{target.name}.", suffix=".tmp"
            )
        except FileNotFoundError:
            raise WriteError(f"{path}: the folder {folder} does not exist") from None
        except OSError as exc:
            raise WriteError(f"{path}: cannot write here: {exc.strerror or exc}") from None
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp_name, PRIVATE_MODE)
            os.replace(temp_name, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            if not isinstance(exc, OSError):
                raise
            reason = exc.strerror or str(exc)
            raise WriteError(
                f"{path}: could not be written ({reason}); the previous file, if any, is unchanged"
            ) from None
        _fsync_folder(folder)
    return target


class PendingFile:
    """An output written in pieces, as it is drawn, to a temporary file beside its target
    (owner-only, flushed to disk), then put in place in one step by `commit`, or removed by
    `discard`: for outputs too big to hold in memory whole, with `write_file`'s guarantees."""

    def __init__(self, path: Path, pieces: Iterable[str | bytes]) -> None:
        self.path = Path(path)
        self.target = real_target(self.path)
        self._folder = self.target.parent if str(self.target.parent) else Path(".")
        self._temp: str | None = None
        try:
            with signals_held():
                handle, self._temp = tempfile.mkstemp(
                    dir=self._folder, prefix=f".{self.target.name}.", suffix=".tmp"
                )
            with os.fdopen(handle, "wb") as stream:
                for piece in pieces:
                    stream.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(self._temp, PRIVATE_MODE)
        except BaseException as exc:
            self.discard()
            if isinstance(exc, FileNotFoundError) and self._temp is None:
                raise WriteError(f"{path}: the folder {self._folder} does not exist") from None
            if not isinstance(exc, OSError):
                raise
            reason = exc.strerror or str(exc)
            if self._temp is None:
                raise WriteError(f"{path}: cannot write here: {reason}") from None
            raise WriteError(
                f"{path}: could not be written ({reason}); the previous file, if any, is unchanged"
            ) from None

    def commit(self) -> Path:
        """Put the file in place (replacing the target in one step); returns the file written."""
        if self._temp is None:
            raise ValueError("nothing to put in place")
        with signals_held():
            try:
                os.replace(self._temp, self.target)
            except OSError as exc:
                self.discard()
                reason = exc.strerror or str(exc)
                raise WriteError(
                    f"{self.path}: could not be written ({reason}); the previous file, if any, "
                    "is unchanged"
                ) from None
            self._temp = None
        _fsync_folder(self._folder)
        return self.target

    def discard(self) -> None:
        """Remove the temporary file, if it is still there."""
        if self._temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temp)


def write_stdout(data: str | bytes) -> None:
    """Write to standard output as a stream (UTF-8 bytes, so legacy Windows consoles cope)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(payload)
        buffer.flush()
    else:
        sys.stdout.write(payload.decode("utf-8"))


def write_output(target: str | Path, data: str | bytes) -> None:
    """`-` writes to standard output; anything else is a file written with `write_file`."""
    if str(target) == STDOUT:
        write_stdout(data)
    else:
        write_file(Path(target), data)


def check_output(target: str | Path, *, stream_ok: bool = False) -> None:
    """Refuse an output early, before any work, if it could never be written."""
    if stream_ok and str(target) == STDOUT:
        return
    real_target(Path(target), stream_ok=stream_ok)


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (through links and hard links too)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return Path(os.path.realpath(first)) == Path(os.path.realpath(second))


def _fsync_folder(folder: Path) -> None:
    # Make the rename itself durable where the platform allows it (not on Windows).
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

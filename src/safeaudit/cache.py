"""A private folder of files safeaudit can rebuild at any time: checklists, help, roll-up indexes.

Where it is: SAFEAUDIT_CACHE_DIR if set; otherwise the platform's cache folder:
`$XDG_CACHE_HOME/safeaudit` or `~/.cache/safeaudit` on Linux, `~/Library/Caches/safeaudit` on
macOS and `%LOCALAPPDATA%\\safeaudit\\Cache` on Windows. Deleting it is always safe. Nothing here
ever stops a command: a folder that cannot be made or written, or a file that cannot be read,
is treated as an empty cache. Folders are made owner-only (0700) and files are written owner-only
(0600) and atomically, with `output.write_file`.

Old entries are pruned when a new one of the same kind is written (`prune`): an entry not used
for `MAX_AGE_DAYS`, and all but the `MAX_ENTRIES` most recently used of a kind, are removed.
Using an entry marks it used (its time is brought up to date at most once a day).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pathlib is imported only when needed: `--help` reads this module
    from pathlib import Path

#: Overrides the cache folder (tests point it at a temporary folder).
CACHE_VARIABLE = "SAFEAUDIT_CACHE_DIR"

#: Largest cache file read; a checklist's cached form is a little smaller than its YAML, and
#: YAML files are limited to 5 MB (loading.MAX_BYTES).
MAX_ENTRY_BYTES = 8 * 1024 * 1024

#: The kinds of entry, one subfolder each: validated checklists, `--help` text, roll-up indexes.
KINDS = ("checklists", "help", "rollup")
#: An entry not used for this many days is removed when another of its kind is written.
MAX_AGE_DAYS = 30
#: At most this many entries of a kind are kept: the most recently used.
MAX_ENTRIES = 100
#: A temporary file left by a write that was cut short is removed after this long.
_TEMPORARY_AGE = 24 * 60 * 60
#: Using an entry brings its time up to date when it is older than this (so not on every use).
_TOUCH_AFTER = 24 * 60 * 60


def cache_dir() -> Path:
    """The cache folder for this user (it may not exist yet)."""
    from pathlib import Path

    return Path(_root())


def _root() -> str:
    override = os.environ.get(CACHE_VARIABLE)
    if override:
        return override
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(local, "safeaudit", "Cache")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "safeaudit")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(home, ".cache")
    return os.path.join(base, "safeaudit")


def _entry_path(kind: str, name: str) -> str:
    return os.path.join(_root(), kind, name)


def read(kind: str, name: str) -> bytes | None:
    """The bytes of a cache entry, or None when it is missing, unreadable or not safely ours;
    an entry read is marked as used, so pruning keeps it."""
    path = _entry_path(kind, name)
    try:
        data = read_private_file(path, MAX_ENTRY_BYTES, touch=True)
    except (OSError, ValueError):
        return None
    return data


def is_private(info: os.stat_result, limit: int) -> bool:
    """Whether a file (by `os.fstat`) is an ordinary file of at most `limit` bytes that, on
    POSIX, is owned by this user and nobody else can write."""
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or (info.st_uid == getuid() and not info.st_mode & 0o022)


def read_private_file(
    path: str | os.PathLike[str], limit: int, *, touch: bool = False
) -> bytes | None:
    """The bytes of a file in the cache folder, or None unless it is safely ours and at most
    `limit` bytes; OSError when it cannot be opened (FileNotFoundError when it is not there).
    With `touch`, a file read whose time is more than a day old gets the time of now.

    On POSIX the file must be an ordinary file (never followed through a link) owned by this
    user that nobody else can write, so a shared or careless SAFEAUDIT_CACHE_DIR cannot slip in
    someone else's entries.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not is_private(info, limit):
            return None
        data = handle.read(limit + 1)
        if len(data) > limit:
            return None
        if touch and info.st_mtime < time.time() - _TOUCH_AFTER:
            with contextlib.suppress(OSError, NotImplementedError):
                os.utime(fd if os.utime in os.supports_fd else path)
        return data


def write(kind: str, name: str, data: bytes) -> bool:
    """Store an entry atomically and owner-only; False (never an error) when that is impossible."""
    from pathlib import Path

    from safeaudit.errors import SafeauditError
    from safeaudit.output import write_file

    path = Path(_entry_path(kind, name))
    try:
        make_private_folder(path.parent)
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISLNK(os.lstat(path).st_mode):
                os.unlink(path)  # replace a link itself, never the file it points to
        write_file(path, data)
    except (OSError, SafeauditError, ValueError):
        return False
    prune(kind, keep=name)
    return True


def make_private_folder(folder: Path) -> None:
    """Make the cache folder and `folder` inside it owner-only (0700), tightening `folder` if it
    exists with wider permissions; folders above the cache folder are left alone."""
    root = cache_dir()
    for part in (root, folder):
        if not part.is_dir():
            part.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                os.chmod(part, 0o700)  # mkdir's mode is narrowed by the umask, never widened
    # Our own subfolder is tightened even if it exists; the root may be a folder the user
    # named in SAFEAUDIT_CACHE_DIR, which is theirs to set.
    with contextlib.suppress(OSError):
        if folder.stat().st_mode & 0o077:
            os.chmod(folder, 0o700)


def remove(kind: str, name: str) -> None:
    """Delete an entry that turned out to be unusable (it is rewritten on the next load)."""
    with contextlib.suppress(OSError, ValueError):
        os.unlink(_entry_path(kind, name))


def prune(kind: str, *, keep: str = "", now: float | None = None) -> int:
    """Remove entries of `kind` not used for MAX_AGE_DAYS, all but the MAX_ENTRIES most recently
    used, and temporary files left for a day by writes that were cut short; never `keep` (the
    entry just written). Returns how many files were removed; never an error.

    Only ordinary files of this user directly inside the kind's own subfolder are ever removed:
    never the cache folder itself (which may be a folder the user named in SAFEAUDIT_CACHE_DIR),
    never a folder, and never a link or what it points to.
    """
    if kind not in KINDS:
        return 0
    now = time.time() if now is None else now
    folder = _entry_path(kind, "")
    getuid = getattr(os, "getuid", None)
    entries: list[tuple[float, str]] = []
    removed = 0
    try:
        with os.scandir(folder) as found:
            for item in found:
                try:
                    if item.name == keep or not item.is_file(follow_symlinks=False):
                        continue
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if getuid is not None and info.st_uid != getuid():
                    continue
                if item.name.startswith(".") and item.name.endswith(".tmp"):
                    if info.st_mtime < now - _TEMPORARY_AGE:
                        removed += _unlink(item.path)
                    continue
                if info.st_mtime < now - MAX_AGE_DAYS * 24 * 60 * 60:
                    removed += _unlink(item.path)
                else:
                    entries.append((info.st_mtime, item.path))
    except (OSError, ValueError):
        return removed
    entries.sort(reverse=True)
    for _mtime, path in entries[MAX_ENTRIES - bool(keep) :]:
        removed += _unlink(path)
    return removed


def _unlink(path: str) -> int:
    try:
        os.unlink(path)
    except OSError:
        return 0
    return 1

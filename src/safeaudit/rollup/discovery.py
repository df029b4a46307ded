"""Finding the answer files a roll-up reads: files, folders (searched recursively) and globs."""

from __future__ import annotations

import glob
import os
import stat as stat_mode
from collections.abc import Sequence
from pathlib import Path

from safeaudit.output import kind_of
from safeaudit.rollup.rows import Skipped


def _has_magic(text: str) -> bool:
    return any(char in text for char in "*?[")


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as an answer file, or None if it is an ordinary file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a link to {os.readlink(path)}, which does not exist"
        return "file not found; check the name and folder"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat_mode.S_ISREG(info.st_mode):
        return None
    return f"is {kind_of(info.st_mode)}, not an ordinary file"


def expand_paths(args: Sequence[str]) -> tuple[list[Path], list[Skipped]]:
    """Answer files named by files, folders (searched recursively) and globs (for Windows).

    Anything found that is not an ordinary file (a link to nothing, a device, a named pipe) is
    listed as skipped with the reason, never opened.
    """
    found: list[Path] = []
    missing: list[Skipped] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        if path in seen:
            return
        seen.add(path)
        reason = _not_a_file(path)
        if reason is None:
            found.append(path)
        else:
            missing.append(Skipped(str(path), reason))

    def add_folder(folder: Path) -> None:
        for item in sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")]):
            if not item.is_dir():
                add(item)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            add_folder(path)
        elif os.path.lexists(path):
            add(path)
        elif _has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                missing.append(Skipped(arg, "no files match this pattern"))
            for match in matches:
                item = Path(match)
                if item.is_dir():
                    add_folder(item)
                else:
                    add(item)
        else:
            missing.append(Skipped(arg, "file not found; check the name and folder"))
    return found, missing

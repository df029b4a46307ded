"""Finding the answer files a roll-up reads: files, folders (searched recursively) and globs."""

from __future__ import annotations

import glob
import os
import stat as stat_mode
from collections.abc import Iterator, Sequence
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


#: The endings of answer files looked for in folders.
_ENDINGS = (".yaml", ".yml")


def _walk(folder: str) -> Iterator[str]:
    """Every *.yaml and *.yml under `folder`, as `sorted(Path.rglob(...))` lists them (sorted by
    their parts; links to folders are not followed) without holding them all at once: each
    folder's entries are sorted by name and gone through depth first."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: os.path.normcase(entry.name))
    except OSError:
        return
    for entry in entries:
        path = entry.name if folder == os.curdir else os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()
            real_dir = is_dir and not entry.is_symlink()
        except OSError:
            continue
        if os.path.normcase(entry.name).endswith(_ENDINGS) and not is_dir:
            yield path
        if real_dir:
            yield from _walk(path)


def discover(args: Sequence[str]) -> tuple[list[str], list[Skipped]]:
    """Answer files named by files, folders (searched recursively) and globs (for Windows), as
    plain names (a few bytes each, however many there are).

    Anything found that is not an ordinary file (a link to nothing, a device, a named pipe) is
    listed as skipped with the reason, never opened.
    """
    found: list[str] = []
    missing: list[Skipped] = []
    # One folder or file cannot name a file twice: only then are the names not remembered.
    seen: set[str] | None = None
    if len(args) > 1 or any(_has_magic(arg) for arg in args):
        seen = set()

    def add(name: str) -> None:
        if seen is not None:
            key = os.path.normcase(name)
            if key in seen:
                return
            seen.add(key)
        reason = _not_a_file(Path(name))
        if reason is None:
            found.append(name)
        else:
            missing.append(Skipped(name, reason))

    def add_folder(folder: str) -> None:
        for name in _walk(folder):
            add(name)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            add_folder(str(path))
        elif os.path.lexists(path):
            add(str(path))
        elif _has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                missing.append(Skipped(arg, "no files match this pattern"))
            for match in matches:
                item = Path(match)
                if item.is_dir():
                    add_folder(str(item))
                else:
                    add(str(item))
        else:
            missing.append(Skipped(arg, "file not found; check the name and folder"))
    return found, missing


def expand_paths(args: Sequence[str]) -> tuple[list[Path], list[Skipped]]:
    """`discover`, with each file as a Path."""
    found, missing = discover(args)
    return [Path(name) for name in found], missing

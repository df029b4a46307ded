"""Writing answer files and reports safely: private, atomic, never half-written."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from safeaudit.errors import WriteError
from safeaudit.model import Answers

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: Answer files and reports hold safeguarding information: owner-only access.
PRIVATE_MODE = 0o600


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step, readable only by the owner.

    Writes a temporary file in the same folder, flushes it to disk, then renames it over the
    target, so a crash or full disk leaves either the old file or the new one, never a mix.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step, readable only by the owner (see atomic_write_text)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise WriteError(f"{path}: is a folder; give a file name to write to")
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise WriteError(f"{path}: the folder {folder} does not exist") from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, PRIVATE_MODE)
        os.replace(temp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        reason = exc.strerror or str(exc)
        raise WriteError(
            f"{path}: could not be written ({reason}); the previous file, if any, is unchanged"
        ) from None
    _fsync_folder(folder)


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


def answers_data(answers: Answers) -> dict[str, Any]:
    """Plain data for an answer file, in a stable, readable order, leaving out empty fields."""
    data = answers.model_dump(mode="python", exclude_defaults=True, by_alias=True)
    data.setdefault("answers", {})
    for answer in data["answers"].values():
        # A date answer read back from a file is text ("2025-09-14"); write it as a date again,
        # not as a quoted string, so saving an unchanged answer leaves the file unchanged.
        value = answer.get("value")
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            with contextlib.suppress(ValueError):
                answer["value"] = dt.date.fromisoformat(value)
    order = ["checklist", "setting", "audit_date", "completed_by", "answers", "signoffs"]
    return {key: data[key] for key in order if key in data}


def dump_answers(answers: Answers) -> str:
    header = (
        "# safeaudit answer file: private safeguarding information; do not share or publish.\n"
        "# Edit with care; `safeaudit score` checks it. Format: docs/checklist-format.md\n"
    )
    return header + yaml.dump(
        answers_data(answers),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def save_answers(path: Path, answers: Answers) -> None:
    """Write an answer file atomically with owner-only permissions."""
    atomic_write_text(path, dump_answers(answers))


def now() -> dt.datetime:
    """The current local time to the second, for `answered_at`."""
    return dt.datetime.now().replace(microsecond=0)

"""Writing answer files and reports safely: private, atomic, never half-written."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from safeaudit.model import Answers
from safeaudit.output import PRIVATE_MODE as PRIVATE_MODE
from safeaudit.output import write_file

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step, readable only by the owner (see output.write_file)."""
    write_file(path, text)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step, readable only by the owner (see output.write_file)."""
    write_file(path, data)


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

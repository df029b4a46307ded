"""A roll-up's index of the last run: each file's size, time, text hash and scored row.

It lets `rollup` rescore only the files that changed. It holds safeguarding information (setting
names and scores), so it lives in the user's own cache folder (owner-only, 0700), is written
owner-only (0600) and atomically, is never sent anywhere, and is simply ignored when it cannot
be read, is damaged, or was written by another version of safeaudit.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeaudit import cache
from safeaudit._version import __version__
from safeaudit.errors import WriteError
from safeaudit.output import write_file
from safeaudit.rollup.rows import Row
from safeaudit.scoring import VERDICT_ORDER

#: Bumped whenever what an index holds changes shape.
FORMAT = 1
#: A file changed this close to the moment it was looked at may change again within the same
#: tick of the file system's clock, so its size and time alone are not trusted next run.
RACY_NS = 2_000_000_000
#: Largest index file read: far above 24,000 settings (about 12 MB), far below memory limits.
MAX_INDEX_BYTES = 256 * 1024 * 1024


def index_file(args: Sequence[str]) -> Path:
    """The index for one set of roll-up arguments (the same folders give the same index)."""
    key = "\n".join(sorted(os.path.abspath(arg) for arg in args))
    name = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache.cache_dir() / "rollup" / f"{name}.json"


@dataclass
class Index:
    """What the last run left: per file [size, mtime_ns, digest, today, checklist id,
    other_version, gap ids, row fields]; per checklist id its fingerprint."""

    files: dict[str, list[Any]] = field(default_factory=dict)
    checklists: dict[str, str] = field(default_factory=dict)
    #: When the last run looked at the files (nanoseconds since the epoch).
    scanned_ns: int = 0
    #: Why an index that exists was not used, or "".
    note: str = ""


def load_index(path: Path) -> Index:
    """The index at `path`, or an empty one if there is none or it cannot be trusted."""
    try:
        raw = cache.read_private_file(path, MAX_INDEX_BYTES)
    except FileNotFoundError:
        return Index()
    except OSError as exc:
        return Index(note=f"the last run's index {path} could not be read ({exc.strerror or exc})")
    if raw is None:
        return Index()  # not an ordinary file of ours that only we can change (or too big)
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("files"), dict)
        or not isinstance(data.get("checklists"), dict)
        or not isinstance(data.get("scanned_ns"), int)
    ):
        return Index(note=f"the last run's index {path} was damaged, so every file was scored")
    if data.get("format") != FORMAT or data.get("safeaudit") != __version__:
        return Index()  # another version: silently start again
    files = {name: item for name, item in data["files"].items() if _well_formed(item)}
    checklists = {key: value for key, value in data["checklists"].items() if _text(value)}
    return Index(files, checklists, data["scanned_ns"])


def _well_formed(stored: Any) -> bool:
    """Whether an entry has the shape `entry` writes, as far as finding it again needs (the row
    itself is checked by `row_from` when it is used)."""
    return (
        isinstance(stored, list)
        and len(stored) == ENTRY_LENGTH
        and _count(stored[0])
        and _count(stored[1])
        and _text(stored[2])
        and _text(stored[3], optional=True)
        and _text(stored[4])
        and isinstance(stored[5], bool)
    )


def save_index(path: Path, index: Index) -> str:
    """Write the index owner-only and atomically; "" when written, else why not (one sentence)."""
    folder = path.parent
    try:
        cache.make_private_folder(folder)
        payload = {
            "format": FORMAT,
            "safeaudit": __version__,
            "scanned_ns": index.scanned_ns,
            "checklists": index.checklists,
            "files": index.files,
        }
        write_file(path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
    except WriteError as exc:
        return f"the roll-up index could not be saved: {exc.message}"
    except OSError as exc:
        return f"the roll-up index could not be saved in {folder}: {exc.strerror or exc}"
    return ""


def entry(
    size: int,
    mtime_ns: int,
    digest: str,
    today: str | None,
    checklist_id: str,
    other_version: bool,
    gaps: Sequence[int],
    row: Row,
) -> list[Any]:
    """One file's entry, as stored; `gaps` are the positions of its gaps in the checklist."""
    return [
        size,
        mtime_ns,
        digest,
        today,
        checklist_id,
        other_version,
        list(gaps),
        row.name,
        row.urn,
        row.setting_type,
        list(row.checklist),
        row.audit_date,
        row.percent,
        list(row.areas),
        row.verdict,
        row.statutory_gaps,
        row.gaps,
        row.unanswered,
        row.reviews_out_of_date,
        row.actions_overdue,
    ]


ENTRY_LENGTH = 20


def _text(value: Any, optional: bool = False) -> bool:
    return isinstance(value, str) or (optional and value is None)


def _number(value: Any) -> bool:
    return value is None or (isinstance(value, float) and 0.0 <= value <= 100.0)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def row_from(
    path: str, stored: list[Any], question_ids: Sequence[str]
) -> tuple[Row, tuple[str, ...]] | None:
    """The row and gap ids of an entry (`question_ids`: its checklist's, in order), or None if
    the entry is not exactly as written."""
    try:
        (_size, _mtime, _digest, _today, _cid, _other, where, name, urn, kind, checklist,
         audit_date, percent, areas, verdict, stat, gaps, unanswered, out_of_date, overdue) = stored  # fmt: skip
    except (TypeError, ValueError):
        return None
    if not (
        isinstance(where, list)
        and all(_count(g) and g < len(question_ids) for g in where)
        and _text(name)
        and _text(urn, optional=True)
        and _text(kind)
        and isinstance(checklist, list)
        and len(checklist) == 2
        and all(_text(c) for c in checklist)
        and _text(audit_date, optional=True)
        and _number(percent)
        and isinstance(areas, list)
        and all(_number(a) for a in areas)
        and verdict in VERDICT_ORDER
        and all(_count(n) for n in (stat, gaps, unanswered, out_of_date, overdue))
    ):
        return None
    row = Row(
        path, name, urn, kind, (checklist[0], checklist[1]), audit_date, percent, tuple(areas),
        verdict, stat, gaps, unanswered, out_of_date, overdue,
    )  # fmt: skip
    return row, tuple(question_ids[g] for g in where)
